"""SPARQL query text: what SHACL forbids in it, pre-binding, projection, joining a constraint to a target;
and the rows of a query's solutions, read by position."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from ..errors import VocabError
from ..namespaces import RDF, RDFS
from .model import _is_blank, _term

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

# -- SPARQL text helpers ---------------------------------------------------------------------
_STRIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)


@lru_cache(maxsize=1024)
def _code(text: str) -> str:
    """The query text without strings, IRIs and comments (keywords are searched in what is left)."""
    return _STRIP.sub(lambda m: " " * len(m.group(0)), text)


def _check_prebinding(text: str, params: list[str], where: str, source: str, own: bool = False) -> None:
    """Refuse what SHACL forbids in queries with pre-bound variables (SHACL 5.2.1 and 6.3).

    ``own``: the shipped shapes, which may use VALUES and MINUS (their meaning is defined there: $this
    is bound by a join, which the tests check against pySHACL and Jena); SERVICE never (no network)."""
    code = _code(text)
    for word in ("SERVICE",) if own else ("MINUS", "VALUES", "SERVICE"):
        if re.search(rf"\b{word}\b", code, re.I):
            raise VocabError(f"{where}: SHACL does not allow {word} in SPARQL constraints", path=source)
    prebound = ["this", "shapesGraph", "currentShape", *params]
    for var in prebound:
        if re.search(rf"\bAS\s+[?$]{re.escape(var)}\b", code, re.I):
            raise VocabError(f"{where}: a pre-bound variable (${var}) cannot be assigned with AS", path=source)
    m = re.search(r"\bWHERE\b|\{", code, re.I)
    inner = code[m.end() :] if m else code
    for sub in re.finditer(r"\bSELECT\b([^{]*?)\bWHERE\b|\bSELECT\b([^{]*?)\{", inner, re.I):
        projection = sub.group(1) or sub.group(2) or ""
        used = [v for v in prebound if re.search(rf"[?$]{re.escape(v)}\b", code)]
        if "*" in projection or any(not re.search(rf"[?$]{re.escape(v)}\b", projection) for v in used):
            raise VocabError(
                f"{where}: a subquery must return every pre-bound variable it may use "
                f"({', '.join('$' + v for v in used)})",
                path=source,
            )


def _joinable(text: str) -> bool:
    """Can ``$this`` be bound by joining the focus nodes in front of the WHERE group (one query for
    all focus nodes) with the same results as pre-binding it (one query per focus node)?

    Yes unless an inner group (not inside an EXISTS, which substitutes) filters or binds on $this
    without a triple pattern of its own binding it, a subquery uses $this, or the query needs
    $currentShape or $shapesGraph.  (The shipped shapes are all joinable: tests/test_shacl.py.)
    """
    code = _code(text)
    if re.search(r"[?$](currentShape|shapesGraph)\b", code):
        return False
    m = re.search(r"\bWHERE\s*\{", code, re.I) or re.search(r"\{", code)
    if m is None:
        return False
    body = code[m.end() :]
    this = re.compile(r"[?$]this\b")
    # Each group: [kind, text directly inside]; kind is "top", "exists", "select" or "group".
    stack: list[list] = [["top", []]]
    last = 0
    for i, ch in enumerate(body):
        if ch not in "{}":
            continue
        stack[-1][1].append(body[last:i])
        last = i + 1
        if ch == "{":
            before = body[:i].rstrip()
            inside_exists = any(k == "exists" for k, _ in stack)
            if inside_exists or re.search(r"\bEXISTS$", before, re.I):
                kind = "exists"
            elif re.search(r"^\s*SELECT\b", body[i + 1 :], re.I):
                kind = "select"
            else:
                kind = "group"
            stack.append([kind, []])
            continue
        kind, parts = stack.pop()
        if not stack:
            break
        direct = "".join(parts)
        if (
            kind in ("group", "select")
            and this.search(direct)
            and re.search(r"\b(FILTER|BIND)\b", direct, re.I)
            and not this.search(_strip_expressions(direct))
        ):
            return False  # $this only in a FILTER or BIND of a group that does not bind it
    return True


def _strip_expressions(text: str) -> str:
    """``text`` without its FILTER and BIND expressions (what is left: triple patterns)."""
    out, i = [], 0
    for m in re.finditer(r"\b(FILTER|BIND)\b", text, re.I):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        j = text.find("(", m.end())
        if j < 0:
            i = len(text)
            break
        depth = 0
        for k in range(j, len(text)):
            depth += text[k] == "("
            depth -= text[k] == ")"
            if depth == 0:
                i = k + 1
                break
        else:
            i = len(text)
    out.append(text[i:])
    return "".join(out)


def _join(text: str, target: str) -> str:
    """Pre-binding of $this done as a join: the focus nodes come first in the WHERE group."""
    code = _code(text)
    m = re.search(r"\bWHERE\s*\{", code, re.I) or re.search(r"\{", code)
    assert m is not None  # a SELECT that compiled has a group pattern
    return text[: m.end()] + " " + target + " " + text[m.end() :]


def _prebind(text: str, bindings: dict) -> tuple[str, dict]:
    """Pre-binding (SHACL 5.2.1): each pre-bound variable replaced by its value wherever it occurs,
    inner groups and BIND included; in the SELECT clause it becomes ``(value AS ?var)``.  Blank nodes
    cannot be written in a query: those stay variables, bound through pyoxigraph's substitutions."""
    written = {k: v for k, v in bindings.items() if not _is_blank(v)}
    if not written:
        return text, bindings
    code = _code(text)
    spans = []  # the SELECT clauses, where a value must be written (value AS ?var)
    for m in re.finditer(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?", code, re.I):
        end = re.search(r"\bWHERE\b|\{", code[m.end() :], re.I)
        spans.append((m.end(), m.end() + (end.start() if end else 0)))
    names = "|".join(re.escape(k) for k in written)
    pattern = re.compile(rf"\bbound\s*\(\s*[?$]({names})\s*\)|[?$]({names})\b", re.I)
    out, last = [], 0
    for hit in pattern.finditer(code):
        out.append(text[last : hit.start()])
        if hit.group(1):
            out.append("(true)")
        else:
            term = _term(written[hit.group(2)])
            span = next((i for i, (a, b) in enumerate(spans) if a <= hit.start() < b), None)
            if span is None:
                out.append(term)
            elif span == 0 and any(re.search(rf"[?$]{re.escape(hit.group(2))}\b", code[a:b]) for a, b in spans[1:]):
                out.append(hit.group(0))  # the outer SELECT returns what the subquery returns
            else:
                out.append(f"({term} AS ?{hit.group(2)})")
        last = hit.end()
    out.append(text[last:])
    return "".join(out), {k: v for k, v in bindings.items() if k not in written}


def _project(text: str, variables: list[str]) -> str:
    """The query with ``variables`` added to its (top-level) SELECT: pyoxigraph pre-binds only projected ones."""
    code = _code(text)
    m = re.search(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?", code, re.I)
    if m is None:
        return text
    end = re.search(r"\bWHERE\b|\{", code[m.end() :], re.I)
    projection = code[m.end() : m.end() + (end.start() if end else 0)]
    if projection.strip() == "*":
        return text
    missing = [v for v in variables if not re.search(rf"[?$]{re.escape(v)}\b", projection)]
    if not missing:
        return text
    return text[: m.end()] + " ".join("?" + v for v in missing) + " " + text[m.end() :]


def _ask_as_select(text: str) -> str:
    """An ASK validator as a SELECT that returns one row when the ASK is true (pyoxigraph pre-binds only in SELECT)."""
    code = _code(text)
    m = re.search(r"\bASK\b", code, re.I)
    assert m is not None  # an sh:ask without ASK is refused when the shapes are read
    return text[: m.start()] + "SELECT ?value ?this WHERE " + text[m.end() :]


def _get(row, name: str):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


class Rows(list):
    """The solutions of a query, with the names of its variables in the order of a row (``names``):
    pyoxigraph's rows do not carry them."""

    __slots__ = ("names",)

    def __init__(self, rows=(), names=()) -> None:
        super().__init__(rows)
        self.names = list(names)


def _solutions(store, text: str, **options) -> Rows:
    """The solutions of the SELECT query ``text``, as a list that keeps the names of its variables."""
    solutions = cast("ox.QuerySolutions", store.query(text, **options))
    return Rows(solutions, (v.value for v in solutions.variables))


def _placeholders(names, message: str | None) -> list[tuple[int, str]]:
    """The variables of a query's rows (position, name), but $this and ?value, whose value a SPARQL-based
    constraint's message may show as ``{?name}`` or ``{$name}`` (SHACL 5.3.2): those the message
    names, or every one when the message is not known yet."""
    return [
        (i, name)
        for i, name in enumerate(names)
        if name not in ("this", "value")
        and (message is None or "{?" + name + "}" in message or "{$" + name + "}" in message)
    ]


def _getter(rows):
    """``get(row, name)`` for ``rows``: a variable's value by its position (ten times faster than by
    name in pyoxigraph), None for a variable the query does not have."""
    names = getattr(rows, "names", None)
    if names is None:
        return _get
    where = {n: i for i, n in enumerate(names)}

    def get(row, name: str):
        i = where.get(name)
        return None if i is None else row[i]

    return get


_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>")
_PNAME = re.compile(r"(?:<([^<>\s]*)>|([A-Za-z][\w.-]*)?:((?:[\w-]|[\w.-]*[\w-])?)|(a))(?=\s)")


def _this_subject_of(text: str, predicates: set[str]) -> bool:
    """Does the WHERE group of the SPARQL query ``text`` hold, directly (not in a subquery, a UNION
    branch, OPTIONAL or EXISTS), a triple pattern ``$this P ...`` with a plain predicate P among
    ``predicates``?  Then each of its solutions has a focus node of a target sh:targetSubjectsOf P
    as $this, and joining the target in front of it changes nothing (but costs a DISTINCT subquery).
    Not with a subquery in the WHERE group."""
    code = _code(text)
    if re.search(r"\bBASE\b", code, re.I) or not _joinable(text):
        return False
    m = re.search(r"\bWHERE\s*\{", code, re.I) or re.search(r"\{", code)
    if m is None or re.search(r"\bSELECT\b", code[m.end() :], re.I):
        return False  # with a subquery, the focus nodes first guide oxigraph's join order (DEF-DUP-identical)
    if re.search(r"[{.;)}]\s*[?$](?!this\b)\w+\s+[^\s=!<>)+*/,&|]", code[m.end() :]):
        # a triple pattern about another node than $this: oxigraph may then start its join order from
        # that node and look up $this's triples for each of its rows (DEF-CIRC2-mutual, which joins the
        # linked concepts' definitions, went from 0.02 to 4 s on 1,000 concepts); the target first anchors it
        return False
    prefixes = {(d.group(1) or ""): d.group(2) for d in _PREFIX_DECL.finditer(text[: m.start()])}
    depth, parens, last = 1, 0, "{"
    for i in range(m.end(), len(code)):
        ch = code[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return False
        elif ch == "(":
            parens += 1
        elif ch == ")":
            parens -= 1
        elif depth == 1 and parens == 0 and ch in "?$" and last in "{." and re.match(r"[?$]this\s+", code[i:]):
            after = re.match(r"[?$]this\s+", text[i:])  # in code, a written IRI after it is blanked out
            assert after is not None
            j = i + after.end()
            pm = _PNAME.match(text, j)
            if pm is not None and not re.match(r"\s*[|/]", text[pm.end() :]):
                if pm.group(1) is not None:
                    iri = pm.group(1)
                elif pm.group(4):
                    iri = RDF + "type"
                elif (pm.group(2) or "") in prefixes:
                    iri = prefixes[pm.group(2) or ""] + pm.group(3)
                else:
                    iri = None
                if iri in predicates:
                    return True
        if not ch.isspace():
            last = ch if ch != "." or (i + 1 < len(code) and code[i + 1].isspace()) else "x"
    return False


def _instances(classes: dict[str, str], rows: str) -> str:
    """For each class C -> ?_classN: ``?_classN`` bound to true on the rows whose ?value is an instance of C
    (SHACL instance: ``rdf:type/rdfs:subClassOf*``), by a left join on ?value (a hash join in oxigraph).

    oxigraph lists the instances even when the query has no rows to join them with (20 ms for 10,000
    concepts): ``rows``, the query's pattern, once with LIMIT 1, guards the list (nothing is listed
    when it has no solution)."""
    guard = f"{{ SELECT ?this WHERE {{ {rows} }} LIMIT 1 }} "
    return "".join(
        f"OPTIONAL {{ SELECT DISTINCT ?value (true AS {var}) WHERE {{ {guard}"
        f"?value <{RDF}type>/<{RDFS}subClassOf>* {cls} }} }} "
        for cls, var in classes.items()
    )
