"""How far from its focus node a rule query reads: the nodes an edit can change the answer for.

A query of the fast engine returns rows for focus nodes ``?this``.  When every triple pattern
it holds is joined to ``?this`` through variables (not through constants, values computed
in BIND, or sub-selects), each row for a focus node ``x`` is made of triples within a few
steps of ``x``: a pattern whose nearer end is ``d`` steps from ``?this`` matches triples
``d`` steps from ``x``.  So an edit can change the rows of ``x`` only when ``x`` is within
that many steps (the *radius*) of a node of a triple the edit added or removed, walking
along the predicates of the patterns nearer to ``?this``.  A query whose patterns all start
at ``?this`` has radius 0 (it reads the focus node's own triples); a query that reads the
labels of the focus node's broader concepts has radius 1 (walking along ``skos:broader``).

:func:`radius` reads this from the query text, conservatively: any construct it does not
follow (sub-selects, property paths with ``*``, ``+``, ``?``, nested paths, blank-node property
lists, grouping by anything but ``?this``, GRAPH, SERVICE) gives None, and the query runs in full.
"""

from __future__ import annotations

import re

__all__ = ["radius", "reach"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_PREFIX_DECL = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_TOKEN = re.compile(
    r"""
     (?P<space>\s+|\#[^\n]*)
    |(?P<str>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
     (?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*))?
    |(?P<iri><[^<>\s"{}|^`\\]*>)
    |(?P<var>[?$][A-Za-z_0-9]\w*)
    |(?P<bnode>_:[\w.-]+|\[\s*\])
    |(?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[A-Za-z_0-9][\w.-]*[\w-]|[A-Za-z_0-9])?)
    |(?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
    |(?P<word>[A-Za-z_]\w*)
    |(?P<punct>[{}()\[\].;,|^/*+?!=<>&]+?)
    """,
    re.X | re.S,
)
# the targets the engine writes: a focus node's own triples (depth 0), read as a filter on ?this
_TARGETS = [
    re.compile(
        r"\?this\s+<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>/"
        r"<http://www\.w3\.org/2000/01/rdf-schema#subClassOf>\*\s+<[^<>\s]*>\s*\.?"
    ),
    re.compile(
        r"\{\s*SELECT\s+DISTINCT\s+\?this\s+WHERE\s*\{\s*(?:\{\s*\?this\s+<[^<>\s]*>\s+\[\]\s*\.\s*\}\s*"
        r"(?:UNION\s*)?)+\}\s*\}"
    ),
]
# In a UNION branch, an OPTIONAL, MINUS or [NOT] EXISTS group a variable can be bound by that group
# alone, not joined to ?this at all (then every node of the graph would count): so a pattern in such
# a group must hold ?this itself, and its other variable must not be used outside the group.
_GROUPS = {"OPTIONAL", "MINUS", "UNION", "EXISTS", "NOT"}
_REJECT = {
    "SELECT",
    "GRAPH",
    "SERVICE",
    "CONSTRUCT",
    "DESCRIBE",
    "ASK",
    "FROM",
    "LIMIT",
    "OFFSET",
    "VALUES",
    "GROUP",
    "ORDER",
    "HAVING",
}


def _tokens(query: str) -> list[tuple[str, str]] | None:
    prefixes = {(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(query)}
    body = _PREFIX_DECL.sub(" ", query)
    body = re.sub(r"\$this\b", "?this", body)
    body = _TARGETS[0].sub(" ?this <urn:x-sst-vocab:target> [] . ", body)
    body = _TARGETS[1].sub(" ", body)
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None:
            return None
        pos = m.end()
        kind, text = m.lastgroup, m.group()
        if kind is None:  # every alternative is a named group: never None
            return None
        if kind == "space":
            continue
        if kind == "pname":
            prefix, _, local = text.partition(":")
            if prefix not in prefixes:
                return None
            kind, text = "iri", "<" + prefixes[prefix] + local + ">"
        elif kind == "word" and text == "a":
            kind, text = "iri", f"<{RDF_TYPE}>"
        elif kind == "var":
            text = "?" + text[1:]
        elif kind == "bnode":  # a variable: each [] its own, a _:label one per label
            kind, text = "var", "?_b" + (text[2:] if text.startswith("_:") else f"{len(out)}")
        out.append((kind, text))
    return out


def _skip_balanced(toks: list, i: int, open_: str, close: str) -> int:
    depth = 0
    while i < len(toks):
        t = toks[i][1]
        if t == open_:
            depth += 1
        elif t == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


class _Group:
    """A group graph pattern: its triple patterns, its unions (each a list of branches), its
    OPTIONAL, MINUS and [NOT] EXISTS groups, and its sub-selects (projected variables, their group)."""

    def __init__(self) -> None:
        self.patterns: list[tuple[str, list[frozenset], str]] = []
        self.unions: list[list[_Group]] = []
        self.side: list[_Group] = []
        self.selects: list[tuple[set[str], _Group]] = []

    def flat(self) -> bool:
        return not (self.unions or self.side or self.selects)


class _Unread(Exception):
    """A construct the reading does not follow: the query runs in full."""


def _triples(toks: list, i: int, out: list, fresh: list) -> int:
    """Read the triples of one subject (predicate-object lists) from ``toks[i]``; the index after them."""
    subject = toks[i][1]
    i += 1
    while True:  # predicate-object lists
        steps: list[frozenset] = []
        current: set[str] = set()
        alternatives = False
        while i < len(toks):
            k, w = toks[i]
            if k == "iri":
                current.add(w[1:-1])
            elif w == "|" or w == "^":
                alternatives = alternatives or w == "|"
            elif w in ("(", ")"):  # (a|b|^c): a group of alternatives
                if w == ")" and i + 1 < len(toks) and toks[i + 1][1] in ("*", "+", "?"):
                    raise _Unread
                alternatives = True
            elif w == "/":
                if not current or alternatives:  # a|b/c is a | (b/c): not read
                    raise _Unread
                steps.append(frozenset(current))
                current = set()
            elif k == "var" and not current and not steps:
                raise _Unread  # a variable predicate
            else:
                break
            i += 1
        if not current or i >= len(toks) or toks[i][1] in ("*", "+", "?", "(", "!") or (alternatives and steps):
            raise _Unread
        steps.append(frozenset(current))
        while True:  # objects
            k, w = toks[i]
            if k not in ("var", "iri", "str", "number") and not (k == "word" and w in ("true", "false")):
                raise _Unread
            obj = w if k in ("var", "iri") else f"literal{len(fresh)}"
            fresh.append(obj)
            out.append((subject, steps, obj))
            i += 1
            if i < len(toks) and toks[i][1] == ",":
                i += 1
                continue
            break
        if i < len(toks) and toks[i][1] == ";":
            i += 1
            if i < len(toks) and toks[i][1] in (".", "}"):
                return i
            continue
        return i


def _word(toks: list, i: int) -> str:
    return toks[i][1].upper() if i < len(toks) and toks[i][0] == "word" else ""


def _select(toks: list, i: int, fresh: list) -> tuple[set[str], _Group, int]:
    """A sub-select from ``toks[i]`` (SELECT): its projected variables and its group; the index after it.
    Its answer per focus node is read only when it projects ?this and groups by ?this (or does not group)."""
    j = i + 1
    projected: set[str] = set()
    aggregate = False
    while j < len(toks) and toks[j][1] != "{" and _word(toks, j) != "WHERE":
        k, w = toks[j]
        if k == "word" and w.upper() in _AGGREGATES:
            aggregate = True
        if k == "var":
            projected.add(w)  # a variable of an expression counts too: conservative
        j += 1
    if _word(toks, j) == "WHERE":
        j += 1
    group, j = _group(toks, j, fresh)
    grouped: list[str] = []
    if _word(toks, j) == "GROUP" and _word(toks, j + 1) == "BY":
        j += 2
        while j < len(toks) and toks[j][0] == "var":
            grouped.append(toks[j][1])
            j += 1
    if _word(toks, j) == "HAVING":
        aggregate = True
        j = _skip_balanced(toks, j + 1, "(", ")")
    if _word(toks, j) in ("ORDER", "LIMIT", "OFFSET", "VALUES"):
        raise _Unread
    if "?this" not in projected or ((aggregate or grouped) and "?this" not in grouped):
        raise _Unread
    return projected, group, j


def _group(toks: list, i: int, fresh: list) -> tuple[_Group, int]:
    """The group graph pattern that opens at ``toks[i]`` (``{``); the index after its ``}``."""
    if i >= len(toks) or toks[i][1] != "{":
        raise _Unread
    g = _Group()
    i += 1
    if _word(toks, i) == "SELECT":
        projected, inner, i = _select(toks, i, fresh)
        g.selects.append((projected, inner))
        if i >= len(toks) or toks[i][1] != "}":
            raise _Unread
        return g, i + 1
    while i < len(toks) and toks[i][1] != "}":
        kind, t = toks[i]
        up = _word(toks, i)
        if t == ".":
            i += 1
        elif t == "{":
            sub, i = _group(toks, i, fresh)
            branches = [sub]
            while _word(toks, i) == "UNION":
                b, i = _group(toks, i + 1, fresh)
                branches.append(b)
            if len(branches) > 1:
                g.unions.append(branches)
            else:  # a plain group: joined with this one
                g.patterns += sub.patterns
                g.unions += sub.unions
                g.side += sub.side
                g.selects += sub.selects
        elif up in ("OPTIONAL", "MINUS"):
            sub, i = _group(toks, i + 1, fresh)
            g.side.append(sub)
        elif up == "FILTER" and _word(toks, i + 1) in ("NOT", "EXISTS"):
            i += 2 if _word(toks, i + 1) == "EXISTS" else 3
            if _word(toks, i - 1) != "EXISTS":
                raise _Unread
            sub, i = _group(toks, i, fresh)
            g.side.append(sub)
        elif up in ("FILTER", "BIND"):
            j = _skip_balanced(toks, i + 1, "(", ")")
            if any(k == "word" and w.upper() in _REJECT | _GROUPS | _AGGREGATES for k, w in toks[i + 1 : j]):
                raise _Unread
            i = j
        elif kind in ("var", "iri"):
            i = _triples(toks, i, g.patterns, fresh)
        else:
            raise _Unread  # a literal subject, a collection, a blank-node property list, another keyword
    if i >= len(toks):
        raise _Unread
    return g, i + 1


def _tree(patterns: list) -> tuple[int, frozenset[str]]:
    """(radius, predicates to walk back along) of a conjunction of patterns joined to ?this as a tree."""
    if not patterns:
        return 0, frozenset()
    edges: list[tuple[str, str, frozenset]] = []
    n = 0
    for s, steps, o in patterns:
        nodes = [s] + [f"?_m{(n := n + 1)}" for _ in steps[:-1]] + [o]
        for k, step in enumerate(steps):
            edges.append((nodes[k], nodes[k + 1], step))
    # depth of each variable: steps from ?this through the patterns' variables (a path step adds one)
    depth = {"?this": 0}
    changed = True
    while changed:
        changed = False
        for a, b, _ in edges:
            for x, y in ((a, b), (b, a)):
                if x in depth and y.startswith("?") and depth.get(y, 1 << 30) > depth[x] + 1:
                    depth[y] = depth[x] + 1
                    changed = True
    variables = {x for a, b, _ in edges for x in (a, b) if x.startswith("?")} | {"?this"}
    joins = [(a, b) for a, b, _ in edges if a.startswith("?") and b.startswith("?")]
    if len(joins) != len(variables) - 1 or any(a == b for a, b in joins):
        raise _Unread  # not a tree: a variable reached two ways (its depth would not bound its distance)
    far = 0
    for a, b, _ in edges:
        ends = [x for x in (a, b) if x.startswith("?")]
        if not ends or any(x not in depth for x in ends):
            raise _Unread  # a pattern not joined to ?this through variables
        far = max(far, min(depth[x] for x in ends))
    walk = frozenset(p for a, b, step in edges for p in step if min(depth.get(x, 1 << 30) for x in (a, b)) < far)
    return far, walk


def _variables(patterns: list) -> set[str]:
    return {x for s, _, o in patterns for x in (s, o) if x.startswith("?")}


def _analyse(g: _Group) -> tuple[int, frozenset[str]]:
    """The radius of a group: the most over each way its unions can be taken, with and without each
    OPTIONAL, MINUS or EXISTS group, and over its sub-selects (each read on its own)."""
    far, walk = 0, frozenset[str]()
    core = _variables(g.patterns)
    own: list[set[str]] = []  # the variables each union or side group adds to the core
    for s_projected, inner in g.selects:
        r, w = _analyse(inner)
        far, walk = max(far, r), walk | w
        opaque = s_projected - {"?this"}
        if (
            opaque & core
            or any(opaque & _variables(b.patterns) for u in g.unions for b in u)
            or any(opaque & _variables(x.patterns) for x in g.side)
        ):
            raise _Unread  # a value computed by a sub-select, joined on: not followed
        own.append(opaque)
    for branches in g.unions:
        if not all(b.flat() for b in branches):
            raise _Unread
        own.append(set().union(*(_variables(b.patterns) for b in branches)) - core)
    for x in g.side:
        if not x.flat():
            raise _Unread
        own.append(_variables(x.patterns) - core)
    for a in range(len(own)):
        for b in range(a + 1, len(own)):
            if own[a] & own[b]:
                raise _Unread  # two groups share a variable the core does not bind
    choices: list[list] = [[]]
    for branches in g.unions:
        choices = [c + b.patterns for c in choices for b in branches]
        if len(choices) > 64:
            raise _Unread
    for c in choices:
        extras: list[list] = [[]] + [x.patterns for x in g.side]
        for extra in extras:
            r, w = _tree(g.patterns + c + extra)
            far, walk = max(far, r), walk | w
    return far, walk


def radius(query: str) -> tuple[int, frozenset[str]] | None:
    """(the radius, the predicates to walk back along) of a rule query, or None when it cannot be read."""
    toks = _tokens(query)
    if toks is None or _word(toks, 0) != "SELECT":
        return None
    at = next((n for n, (k, w) in enumerate(toks) if k == "word" and w.upper() == "WHERE"), None)
    if at is None or not any(w == "?this" for _, w in toks[:at]):
        return None
    if any(k == "word" and w.upper() in _AGGREGATES for k, w in toks[:at]):
        return None
    try:
        group, end = _group(toks, at + 1, [])
        if end != len(toks):
            return None  # GROUP BY, ORDER BY, LIMIT... after the top-level group
        return _analyse(group)
    except (_Unread, IndexError):
        return None


def reach(store, starts: set, steps: int, predicates: frozenset[str], limit: int) -> set | None:
    """The nodes within ``steps`` of ``starts`` along ``predicates`` (either way); None past ``limit`` nodes."""
    import pyoxigraph as ox

    seen = set(starts)
    frontier = list(starts)
    preds = [ox.NamedNode(p) for p in predicates]
    graph = ox.DefaultGraph()
    for _ in range(steps):
        nxt = []
        for node in frontier:
            for p in preds:
                if not isinstance(node, ox.Literal):
                    for q in store.quads_for_pattern(node, p, None, graph):
                        if q.object not in seen:
                            seen.add(q.object)
                            nxt.append(q.object)
                for q in store.quads_for_pattern(None, p, node, graph):
                    if q.subject not in seen:
                        seen.add(q.subject)
                        nxt.append(q.subject)
            if len(seen) > limit:
                return None
        frontier = nxt
    return seen
