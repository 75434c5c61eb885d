"""The canonical Turtle layout: any valid Turtle in, one layout out, nothing lost.

The file is parsed with pyoxigraph, and the canonical text is written from the
parsed triples (never with a general-purpose serializer, which reorders and drops
comments).  Comments are found with :mod:`sst_vocab.turtle_lex` and attached to
the file header or to the subject block they belong to.  Before a file is
replaced, the new text is parsed again and must give an isomorphic graph and
keep the text of every comment; it is then written atomically.

The layout (documented for people in ``docs/editing.md``):

* header comments (the comments before the first directive), then one
  ``PREFIX`` line per prefix actually used, sorted by name;
* one block per subject, separated by a blank line, in this order: ontology
  headers, concept schemes, concepts in hierarchy order (depth first from the
  concepts that have no broader concept in the file, children sorted by IRI),
  collections, classes, properties, every other IRI subject by IRI, then blank
  node subjects;
* in a block, predicates in :data:`PREDICATE_ORDER` (type, who/what for review
  responses, labels, definition, notes, scheme membership, hierarchy, relations,
  mappings, provenance, any other predicate by IRI, then status); objects sorted
  (IRIs, then literals by language and text, then blank nodes);
* one object: on the predicate's line; several: one per line, indented; every
  predicate line ends with ``;`` and the block ends with ``.`` on its own line;
* blank nodes used once are written inline as ``[ ... ]`` (RDF lists as
  ``( ... )``); others get stable labels ``_:b1``, ``_:b2``...;
* literals with line breaks are written between triple quotes.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .errors import VocabError
from .files import write_atomic
from .namespaces import DCT, OWL, PREFIXES, PROV, RDF, RDF_TYPE, RDFS, REG, SDO, SKOS, SSTX, XSD

__all__ = ["Formatted", "PREDICATE_ORDER", "format_files", "format_text", "parse_turtle"]


_GROUPS: list[list[str]] = [
    # type
    [RDF_TYPE],
    # who and what, for activities such as review responses
    [PROV + "wasAssociatedWith", SSTX + "responseType"],
    # labels
    [SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", SKOS + "notation", RDFS + "label",
     DCT + "title", SDO + "name", SDO + "alternateName"],
    # definition and description
    [SKOS + "definition", DCT + "description", DCT + "abstract", RDFS + "comment"],
    # notes
    [SKOS + "scopeNote", SKOS + "example", SKOS + "note", SKOS + "historyNote", SKOS + "editorialNote",
     SKOS + "changeNote"],
    # scheme membership
    [SKOS + "inScheme", SKOS + "topConceptOf", SKOS + "hasTopConcept"],
    # hierarchy and relations (SKOS, then the schema-level equivalents)
    [SKOS + "broader", SKOS + "broaderTransitive", SKOS + "narrower", SKOS + "narrowerTransitive",
     SKOS + "related", SKOS + "member", SKOS + "memberList", RDFS + "subClassOf", RDFS + "subPropertyOf",
     OWL + "inverseOf", RDFS + "domain", RDFS + "range"],
    # mappings
    [SKOS + "exactMatch", SKOS + "closeMatch", SKOS + "broadMatch", SKOS + "narrowMatch", SKOS + "relatedMatch",
     SKOS + "mappingRelation", OWL + "sameAs", OWL + "equivalentClass", OWL + "equivalentProperty"],
    # provenance
    [DCT + "source", PROV + "wasDerivedFrom", RDFS + "seeAlso", RDFS + "isDefinedBy", DCT + "created",
     DCT + "issued", DCT + "modified", DCT + "date", DCT + "creator", DCT + "contributor", DCT + "publisher",
     DCT + "rightsHolder", DCT + "rights", DCT + "license", DCT + "language", OWL + "versionInfo",
     OWL + "versionIRI", OWL + "priorVersion", PROV + "qualifiedAssociation",
     PROV + "startedAtTime", PROV + "endedAtTime"],
    # (any other predicate goes here, sorted by IRI)
    [],
    # status
    [OWL + "deprecated", DCT + "isReplacedBy", DCT + "replaces", REG + "status", SSTX + "reviewStatus",
     SSTX + "reviewResponse"],
]
#: The predicate order inside a block; predicates not listed come between provenance and status, by IRI.
PREDICATE_ORDER: tuple[str, ...] = tuple(p for g in _GROUPS for p in g)
_OTHER_GROUP = 9
_PRED_RANK = {p: (gi, pi) for gi, g in enumerate(_GROUPS) for pi, p in enumerate(g)}

#: Column where end-of-line comments start (or two spaces after the code, if it is longer).
COMMENT_COLUMN = 73
INDENT = "    "

_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")
_PREFIX_NAME = re.compile(r"(?:[A-Za-z](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------


@dataclass
class Formatted:
    """One file's canonical text next to its current text."""

    path: str
    original: str
    text: str

    @property
    def changed(self) -> bool:
        return self.original != self.text

    def unified_diff(self) -> str:
        """The change as a unified diff (empty when the file is canonical)."""
        if not self.changed:
            return ""
        lines = difflib.unified_diff(
            self.original.splitlines(keepends=True), self.text.splitlines(keepends=True),
            fromfile=f"{self.path} (current)", tofile=f"{self.path} (canonical)",
        )
        out = []
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return "".join(out)


def parse_turtle(data: bytes | str, path: str | None = None, *, base: str | None = None) -> tuple[list, dict[str, str]]:
    """Parse Turtle into (triples, declared prefixes); every problem is a VocabError with FILE:LINE.

    Read by :func:`sst_vocab.reading.parse`: relative IRIs resolve against ``base``, or the
    file's own ``file://`` IRI when ``path`` names a file.  RDF/XML is refused (fmt writes Turtle).
    """
    from .reading import RDFXML, detect_format, parse

    where = path or "<input>"
    if isinstance(data, str):
        data = data.encode("utf-8")
    if detect_format(data) == RDFXML:
        raise VocabError("this is RDF/XML, not Turtle: fmt rewrites Turtle files only (convert it with "
                         "`sst-vocab export FILE --format turtle`)", path=where, line=1)
    parsed = parse(data, path, base=base, fmt="turtle")
    return parsed.triples, parsed.prefixes


def _parse_with_base(text: str, path: str | None, base: str | None):
    from .reading import RDFXML, detect_format, parse

    data = text.encode("utf-8")
    if detect_format(data) == RDFXML:
        raise VocabError("this is RDF/XML, not Turtle: fmt rewrites Turtle files only (convert it with "
                         "`sst-vocab export FILE --format turtle`)", path=path or "<input>", line=1)
    return parse(data, path, base=base, fmt="turtle")


def format_text(text: str, path: str | None = None,
                transform: Callable[[list], list] | None = None, *, base: str | None = None) -> str:
    """The canonical layout of the Turtle ``text`` (comments kept).

    ``transform`` may change the triples before they are written (used to record
    review responses): it receives the parsed triples and returns the new list.
    ``base``: the base IRI (default: the ``file://`` IRI of ``path``); the rewrite keeps
    the file's ``@base``/``BASE`` and writes IRIs below it relative to it.
    Raises VocabError when the text does not parse, when a comment cannot be
    placed, or (never expected) when the rewrite would not give the same graph.
    """
    where = path or "<input>"
    if text.startswith("\ufeff"):
        text = text[1:]
    parsed = _parse_with_base(text, path, base)
    triples, declared = parsed.triples, parsed.prefixes
    comments = _Comments.scan(text, where, parsed.base, triples)
    if transform is not None:
        triples = list(transform(list(triples)))
    # IRIs below the base are written relative to it: the file's own @base (kept as a BASE
    # line), else the base it was read with (its location), which the rewrite must not bake in.
    declared_base = parsed.final_base if parsed.final_base != parsed.base else None
    from .turtle_lex import language_tags, outline

    out = _Writer(triples, declared, comments, base=parsed.final_base, declared_base=declared_base,
                  tags=language_tags(text), source_order=list(outline(text, parsed.base).subjects)).render()
    _verify(out, triples, comments, where, path, base)
    return out


def format_files(paths: Iterable[str | os.PathLike[str]] | None = None, *, write: bool = True,
                 base: str | None = None) -> list[Formatted]:
    """Format Turtle files (folders: every ``*.ttl`` in them; default: the shipped vocabulary).

    Every file is read, formatted and checked before any file is written, so a
    broken file anywhere leaves every file untouched.  With ``write=False``
    nothing is written (``--check``/``--diff``).
    """
    from .loader import read_text, resolve_paths

    results = []
    for p in resolve_paths(list(paths) if paths else None):
        _, text = read_text(p)
        results.append(Formatted(path=p, original=text, text=format_text(text, p, base=base)))
    if write:
        for r in results:
            if r.changed:
                write_atomic(r.path, r.text)
    return results


# --------------------------------------------------------------------------------------------
# comments: where each one belongs
# --------------------------------------------------------------------------------------------

# anchor kinds
TOP, PRED, OBJ, EOL, END = "top", "pred", "obj", "eol", "end"


@dataclass
class _Comments:
    """Every comment of a file, attached to the header, a subject block, or the end of the file."""

    header: list[str] = field(default_factory=list)  # lines ("" = blank line)
    trailer: list[str] = field(default_factory=list)
    leading: dict[str, list[str]] = field(default_factory=dict)  # subject IRI -> lines
    anchored: dict[tuple, list[str]] = field(default_factory=dict)  # (kind, s[, p[, o]]) -> comments
    texts: list[str] = field(default_factory=list)  # every comment's text

    @classmethod
    def scan(cls, text: str, where: str, base: str | None = None, triples: list | None = None) -> "_Comments":
        from .turtle_lex import tokens

        result = cls()
        toks = list(tokens(text))
        comments = [t for t in toks if t.kind == "comment"]
        if not comments:
            return result
        result.texts = [c.text.rstrip() for c in comments]
        newlines = [m.start() for m in re.finditer("\n", text)]

        def line_of(offset: int) -> int:
            return bisect_right(newlines, offset - 1) + 1

        code = [t for t in toks if t.kind != "comment"]
        units = _units(code)
        info = _annotate(code, units)
        starts = {u.first: ui for ui, u in enumerate(units)}
        # position of each comment among the code tokens
        order: list[tuple[int, Any]] = []  # (index among the code tokens, comment token)
        ci = 0
        for t in toks:
            if t.kind == "comment":
                order.append((ci, t))
            else:
                ci += 1
        first_directive = next((ui for ui, u in enumerate(units) if u.kind == "directive"), None)
        first_statement = next((ui for ui, u in enumerate(units) if u.kind == "statement"), None)

        # resolve terms lazily, one small parse per statement
        resolver = _Resolver(text, code, units, base, triples or [])

        leading_runs: dict[int, list] = {}
        owner: tuple[str, int, int | None]
        for next_index, tok in order:
            prev_index = next_index - 1
            line = line_of(tok.start)
            trailing = prev_index >= 0 and line_of(code[prev_index].end - 1) == line
            if trailing:
                ui = info[prev_index].unit
                owner = ("inner", ui, prev_index)
            elif next_index < len(code):
                ui = info[next_index].unit
                owner = ("leading", ui, None) if next_index in starts else ("inner", ui, next_index)
            else:
                result.trailer.append(tok)
                continue
            unit = units[ui]
            if unit.kind == "directive":
                result.header.append(tok)
                continue
            if owner[0] == "leading":
                leading_runs.setdefault(ui, []).append(tok)
                continue
            if unit.blank_subject:
                blank = resolver.blank_subject(ui)
                if blank is None:
                    result.trailer.append(tok)
                else:
                    result.anchored.setdefault((TOP, blank), []).append(tok.text.rstrip())
                continue
            subject = resolver.subject(ui, where, line)
            assert owner[2] is not None  # the "leading" owners, without a token, were handled above
            key = _anchor_for(info, owner[2], trailing, subject, resolver)
            result.anchored.setdefault(key, []).append(tok.text.rstrip())

        for ui, run in leading_runs.items():
            unit = units[ui]
            lines = _comment_lines(run, line_of)
            if first_directive is None and ui == first_statement:
                # no directives: comments separated from the first block by a blank line are the header
                block_line = line_of(code[unit.first].start)
                cut = 0
                prev_line = block_line
                for i in range(len(run) - 1, -1, -1):
                    ln = line_of(run[i].start)
                    if prev_line - ln > 1:
                        cut = i + 1
                        break
                    prev_line = ln
                result.header.extend(run[:cut])
                run = run[cut:]
                lines = _comment_lines(run, line_of)
                if not run:
                    continue
            if unit.blank_subject:
                subject = resolver.blank_subject(ui)
                if subject is None:  # a block the rewrite cannot match: its comments go to the end
                    result.trailer.extend(run)
                    continue
            else:
                subject = resolver.subject(ui, where, line_of(run[0].start))
            if line_of(code[unit.first].start) - line_of(run[-1].start) > 1:
                lines.append("")
            result.leading.setdefault(subject, [])
            if result.leading[subject] and result.leading[subject][-1] != "":
                result.leading[subject].append("")
            result.leading[subject].extend(lines)
        result.header = _comment_lines(result.header, line_of) if result.header else []
        result.trailer = _comment_lines(result.trailer, line_of) if result.trailer else []
        return result


def _comment_lines(run: list, line_of) -> list[str]:
    """Comment tokens -> lines, keeping one blank line where the source had one or more."""
    lines: list[str] = []
    prev = None
    for tok in run:
        ln = line_of(tok.start)
        if prev is not None and ln - prev > 1:
            lines.append("")
        lines.append(tok.text.rstrip())
        prev = ln
    return lines


@dataclass
class _Unit:
    kind: str  # directive | statement
    first: int
    last: int
    blank_subject: bool = False


@dataclass
class _TokInfo:
    unit: int
    depth: int = 0
    role: str = ""  # subject, verb, object, punct, nested
    verb: tuple[int, int] | None = None  # token index range of the verb
    obj: tuple[int, int] | None = None  # token index range of a term object (None for [ ] and ( ))


def _units(code: list) -> list[_Unit]:
    """Split the code tokens into directives and statements."""
    units: list[_Unit] = []
    i, n = 0, len(code)
    while i < n:
        t = code[i]
        low = t.text.lower() if t.kind == "word" else ""
        if low in ("@prefix", "prefix", "@base", "base"):
            want = 3 if low.endswith("prefix") else 2
            j = i + want - 1
            if low.startswith("@") and j + 1 < n and code[j + 1].kind == "dot":
                j += 1
            units.append(_Unit("directive", i, min(j, n - 1)))
            i = j + 1
            continue
        depth = 0
        j = i
        while j < n:
            tj = code[j]
            if tj.kind == "punct" and tj.text in "[(":
                depth += 1
            elif tj.kind == "punct" and tj.text in "])":
                depth -= 1
            elif tj.kind == "dot" and depth == 0:
                break
            j += 1
        blank = (t.kind == "punct" and t.text in "[(") or (t.kind == "word" and t.text.startswith("_:"))
        units.append(_Unit("statement", i, min(j, n - 1), blank_subject=blank))
        i = j + 1
    return units


def _term_end(code: list, i: int) -> int:
    """Index of the last token of the term starting at ``i`` (a literal may span 2-3 tokens)."""
    if code[i].kind != "str":
        return i
    j = i
    if j + 1 < len(code) and code[j + 1].kind == "word":
        w = code[j + 1].text
        if w.startswith("@"):
            return j + 1
        if w == "^^" and j + 2 < len(code):
            return j + 2
        if w.startswith("^^"):
            return j + 1
    return j


def _annotate(code: list, units: list[_Unit]) -> list[_TokInfo]:
    """For each code token: its unit, nesting depth, role, and the verb/object it belongs to."""
    info = [_TokInfo(unit=-1) for _ in code]
    for ui, u in enumerate(units):
        for k in range(u.first, u.last + 1):
            info[k].unit = ui
        if u.kind != "statement":
            continue
        i = u.first
        depth = 0

        def skip_nested(k: int, u: _Unit = u) -> int:
            d = 0
            while k <= u.last:
                t = code[k]
                if t.kind == "punct" and t.text in "[(":
                    d += 1
                elif t.kind == "punct" and t.text in "])":
                    d -= 1
                    if d == 0:
                        return k
                k += 1
            return u.last

        # subject
        if code[i].kind == "punct" and code[i].text in "[(":
            end = skip_nested(i)
            for k in range(i, end + 1):
                info[k].role = "nested"
                info[k].depth = 1
            i = end + 1
        else:
            info[i].role = "subject"
            i += 1
        verb = None
        obj = None
        while i <= u.last:
            t = code[i]
            if t.kind == "dot" or (t.kind == "punct" and t.text in ";,"):
                info[i].role = "dot" if t.kind == "dot" else "punct"
                info[i].verb, info[i].obj = verb, obj
                if t.text == ";":
                    verb, obj = None, None
                i += 1
                continue
            if verb is None:
                verb = (i, i)
                info[i].role = "verb"
                info[i].verb = verb
                i += 1
                continue
            if t.kind == "punct" and t.text in "[(":
                end = skip_nested(i)
                for k in range(i, end + 1):
                    info[k].role = "nested"
                    info[k].depth = depth + 1
                    info[k].verb = verb
                info[end].role = "close"
                info[end].depth = 0
                obj = None
                i = end + 1
                continue
            end = _term_end(code, i)
            obj = (i, end)
            for k in range(i, end + 1):
                info[k].role = "object"
                info[k].verb, info[k].obj = verb, obj
            i = end + 1
    return info


def _anchor_for(info: list[_TokInfo], index: int, trailing: bool, subject: str, resolver: "_Resolver") -> tuple:
    """Where a comment inside the block of ``subject`` goes, from the code token next to it."""
    ti = info[index]

    def key(rng):
        term = resolver.term(rng)
        if term is None:
            raise LookupError
        return _term_key(term)

    try:
        return _anchor(ti, trailing, subject, key)
    except LookupError:
        return (TOP, subject)


def _anchor(ti: _TokInfo, trailing: bool, subject: str, key) -> tuple:

    if ti.role in ("nested", "subject"):
        return (TOP, subject)
    if ti.role == "close":  # next to a [ ... ] or ( ... ) object: blank nodes are not anchors
        return (PRED, subject, key(ti.verb)) if ti.verb is not None else (TOP, subject)
    if ti.role == "verb":
        return (PRED, subject, key(ti.verb))
    if ti.role == "object":
        return (EOL if trailing else OBJ, subject, key(ti.verb), key(ti.obj))
    if ti.role == "dot" and not trailing:  # a comment line right before the block's closing "."
        return (END, subject)
    if ti.role in ("punct", "dot"):
        if ti.obj is not None:
            return (EOL, subject, key(ti.verb), key(ti.obj))
        if ti.verb is not None:
            return (PRED, subject, key(ti.verb))
        return (TOP, subject) if trailing else (END, subject)
    return (TOP, subject)


class _Resolver:
    """Turn token ranges into RDF terms by parsing them with the directives in force (pyoxigraph)."""

    def __init__(self, text: str, code: list, units: list[_Unit], base: str | None = None,
                 triples: list | None = None) -> None:
        self.base = base
        self.triples = triples or []
        self._blank_index: dict | None = None
        self._blank_used: set = set()
        self._blank_of_unit: dict = {}
        self.text = text
        self.code = code
        self.units = units
        self.cache: dict[tuple[int, int], object] = {}
        self.unit_of: dict[int, int] = {}
        for ui, u in enumerate(units):
            for k in range(u.first, u.last + 1):
                self.unit_of[k] = ui

    def _directives_before(self, ui: int) -> str:
        parts = []
        for u in self.units[:ui]:
            if u.kind == "directive":
                parts.append(self.text[self.code[u.first].start:self.code[u.last].end])
        return "\n".join(parts)

    def _span(self, rng: tuple[int, int]) -> str:
        return self.text[self.code[rng[0]].start:self.code[rng[1]].end]

    def term(self, rng: tuple[int, int] | None):
        if rng is None:
            return None
        if rng in self.cache:
            return self.cache[rng]
        import pyoxigraph as ox

        span = self._span(rng)
        term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
        if span == "a":
            term = ox.NamedNode(RDF_TYPE)
        else:
            doc = self._directives_before(self.unit_of[rng[0]]) + f"\n<urn:x:s> <urn:x:p> {span} .\n"
            try:
                triples = [q.triple for q in ox.parse(input=doc.encode("utf-8"), format=ox.RdfFormat.TURTLE,
                                                      base_iri=self.base)]
                term = triples[0].object if len(triples) == 1 else None
            except (SyntaxError, ValueError):  # a token the lexer could not isolate (e.g. escapes)
                term = None
        self.cache[rng] = term
        return term

    def _labels_in(self, first: int, last: int) -> set[str]:
        return {t.text[2:] for t in self.code[first:last + 1] if t.kind == "word" and t.text.startswith("_:")}

    @staticmethod
    def _signature(node, triples_by_subject: dict, labelled: set[str]) -> tuple:
        def sig(o):
            if _kind(o) == "BlankNode":
                return "_:" + o.value if o.value in labelled else "_"
            return str(o)

        return tuple(sorted((p.value, sig(o)) for p, o in triples_by_subject.get(node, ())))

    def blank_subject(self, ui: int):
        """The blank node a statement with a blank-node subject describes, or None when it cannot be told."""
        if ui not in self._blank_of_unit:
            self._blank_of_unit[ui] = self._find_blank_subject(ui)
        return self._blank_of_unit[ui]

    def _find_blank_subject(self, ui: int):
        import pyoxigraph as ox

        unit = self.units[ui]
        first = self.code[unit.first]
        if first.kind == "word" and first.text.startswith("_:"):
            return ox.BlankNode(first.text[2:])
        # [ ... ] or ( ... ): parse the statement alone, and find the node with the same description
        doc = self._directives_before(ui) + "\n" + self.text[first.start:self.code[unit.last].end] + "\n"
        try:
            alone = [q.triple for q in ox.parse(input=doc.encode("utf-8"), format=ox.RdfFormat.TURTLE,
                                                base_iri=self.base)]
        except (SyntaxError, ValueError):
            return None
        labels = {t.text[2:] for t in self.code if t.kind == "word" and t.text.startswith("_:")}
        by_subject: dict = {}
        objects = set()
        for t in alone:
            by_subject.setdefault(t.subject, []).append((t.predicate, t.object))
            objects.add(t.object)
        roots = [s for s in by_subject if _kind(s) == "BlankNode" and s not in objects]
        if len(roots) != 1:
            return None
        want = self._signature(roots[0], by_subject, labels)
        if self._blank_index is None:
            full: dict = {}
            for t in self.triples:
                if _kind(t.subject) == "BlankNode":
                    full.setdefault(t.subject, []).append((t.predicate, t.object))
            self._blank_index = {}
            for s in full:
                self._blank_index.setdefault(self._signature(s, full, labels), []).append(s)
        for candidate in self._blank_index.get(want, ()):
            if candidate not in self._blank_used:
                self._blank_used.add(candidate)
                return candidate
        return None

    def subject(self, ui: int, where: str, line: int) -> str:
        i = self.units[ui].first
        t = self.term((i, i))
        if t is None or _kind(t) != "NamedNode":
            raise VocabError("cannot keep this comment: the subject of its block could not be identified, so the "
                             "comment cannot be anchored (the file was left as it was)", path=where, line=line)
        return t.value


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------


def _kind(term) -> str:
    return type(term).__name__  # NamedNode, BlankNode, Literal


@dataclass(frozen=True)
class _T:
    """A triple for :func:`sst_vocab.export.tree_labels` (predicate as a term with ``.value``)."""

    subject: object
    predicate_iri: str
    object: object

    @property
    def predicate(self):
        return _Iri(self.predicate_iri)


@dataclass(frozen=True)
class _Iri:
    value: str


#: Blank nodes nested deeper than this are written as labelled blocks (no deep recursion, no
#: quadratic indentation: 100,000 levels of ``[ ... ]`` format in linear time).
MAX_INLINE_DEPTH = 24


class _Writer:
    def __init__(self, triples: list, declared: dict[str, str], comments: _Comments, *,
                 base: str | None = None, declared_base: str | None = None, tags: dict[str, str] | None = None,
                 source_order: list[str] | None = None) -> None:
        self.comments = comments
        self.source_order = source_order or []
        #: language tags as written (the parser lower-cases them): lower-case form -> as written
        self.tags = tags or {}
        self.base = base
        self.declared_base = declared_base
        self.props: dict[Any, dict[str, list]] = {}  # subject term -> predicate IRI -> objects
        self.refs: Counter = Counter()
        seen = set()
        for t in triples:
            key = (t.subject, t.predicate, t.object)
            if key in seen:
                continue
            seen.add(key)
            self.props.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
            if _kind(t.object) == "BlankNode":
                self.refs[t.object] += 1
        self.iris = self._collect_iris()
        self.prefixes = _choose_prefixes(declared, self.iris)
        self._ns_sorted = sorted(((ns, name) for name, ns in self.prefixes.items()), key=lambda x: -len(x[0]))
        self.used_prefixes: set[str] = set()
        self.labels: dict[object, str] = {}
        self._inline_cache: dict[object, str] = {}
        self._plan_blank_nodes()

    # -- prefixes ---------------------------------------------------------------------------
    def _collect_iris(self) -> set[str]:
        iris: set[str] = set()
        for s, pm in self.props.items():
            if _kind(s) == "NamedNode":
                iris.add(s.value)
            for p, objs in pm.items():
                iris.add(p)
                for o in objs:
                    k = _kind(o)
                    if k == "NamedNode":
                        iris.add(o.value)
                    elif k == "Literal" and not o.language:
                        iris.add(o.datatype.value)
        return iris

    def iri(self, value: str, predicate: bool = False) -> str:
        if predicate and value == RDF_TYPE:
            return "a"
        for ns, name in self._ns_sorted:
            if value.startswith(ns):
                local = value[len(ns):]
                if _LOCAL.fullmatch(local):
                    self.used_prefixes.add(name)
                    return f"{name}:{local}"
        return "<" + _escape_iri(self.relative(value)) + ">"

    def relative(self, value: str) -> str:
        """``value`` relative to the base when a simple reference resolves back to it exactly."""
        base = self.base
        if not base or not value.startswith(base[: base.rfind("/") + 1] if "/" in base else base):
            return value
        from .reading import resolve_iri

        if value == base.split("#", 1)[0] and "#" not in value:
            candidates = [""]
        else:
            candidates = []
            if value.startswith(base.split("#", 1)[0] + "#"):
                candidates.append(value[len(base.split("#", 1)[0]):])
            folder = base[: base.rfind("/") + 1]
            if folder and value.startswith(folder):
                rest = value[len(folder):]
                if rest and not rest.startswith(("/", "?", "#")) and ":" not in rest.split("/", 1)[0]:
                    candidates.append(rest)
        for ref in candidates:
            if resolve_iri(ref, base) == value:
                return ref
        return value

    # -- blank nodes ------------------------------------------------------------------------
    def _is_list(self, node) -> bool:
        """A well-formed RDF list whose nodes are blank, used once, and carry only first/rest."""
        seen = set()
        while True:
            if _kind(node) == "NamedNode" and node.value == RDF + "nil":
                return True
            if _kind(node) != "BlankNode" or node in seen or self.refs[node] != 1:
                return False
            seen.add(node)
            pm = self.props.get(node, {})
            if set(pm) != {RDF + "first", RDF + "rest"} or len(pm[RDF + "first"]) != 1 or len(pm[RDF + "rest"]) != 1:
                return False
            node = pm[RDF + "rest"][0]

    def _plan_blank_nodes(self) -> None:
        """Decide which blank nodes are written inline and label the others stably."""
        blanks = {s for s in self.props if _kind(s) == "BlankNode"} | set(self.refs)
        inline: set = set()
        # reachable from roots through single references -> inline
        roots = [s for s in self.props if _kind(s) == "NamedNode" or self.refs[s] == 0]
        labelled = {b for b in blanks if self.refs[b] > 1}

        deep: list = []

        def walk(start) -> None:
            stack = [(start, 0)]
            while stack:
                node, depth = stack.pop()
                for p, objs in self.props.get(node, {}).items():
                    for o in objs:
                        if _kind(o) == "BlankNode" and self.refs[o] == 1 and o not in inline and o not in labelled:
                            d = depth if p == RDF + "rest" else depth + 1  # a list's cells are one level
                            if d > MAX_INLINE_DEPTH:
                                deep.append(o)
                                continue
                            inline.add(o)
                            stack.append((o, d))

        def walk_deep() -> None:
            while deep:  # nested deeper than MAX_INLINE_DEPTH: a labelled block of its own
                b = deep.pop()
                if b not in inline and b not in labelled:
                    labelled.add(b)
                    walk(b)

        for r in roots:
            walk(r)
        for b in sorted(labelled, key=str):
            walk(b)
        walk_deep()
        rest = sorted((b for b in blanks if b not in inline and b not in labelled and self.refs[b] > 0), key=str)
        for b in rest:  # cycles of blank nodes used once each: label one, inline the others
            if b in inline or b in labelled:
                continue
            labelled.add(b)
            walk(b)
            walk_deep()
        self.inline = inline
        # stable labels: by the rendering of each labelled node (other labels hidden) and of what points to it
        self.labels = dict.fromkeys(labelled, "_:?")
        incoming: dict[object, list[str]] = {b: [] for b in labelled}
        for s, pm in self.props.items():
            for p, objs in pm.items():
                for o in objs:
                    if o in incoming:
                        incoming[o].append((s.value if _kind(s) == "NamedNode" else "_:") + " " + p)
        tie = self._tie_breakers(labelled)
        sig = {b: (self._block_body(b), sorted(incoming[b]), tie.get(b, str(b))) for b in labelled}
        self.labels = {b: f"_:b{i + 1}" for i, b in enumerate(sorted(labelled, key=lambda b: sig[b]))}
        self._inline_cache.clear()

    def _tie_breakers(self, labelled: set) -> dict:
        """For blank nodes whose blocks read the same (a deep nesting cut into labelled pieces): a
        label from their place in the graph (:func:`sst_vocab.export.tree_labels`), not from how the
        source named them, so a second run gives the same text."""
        if len(labelled) < 2:
            return {}
        from .export import tree_labels

        triples = [_T(s, p, o) for s, pm in self.props.items() for p, objs in pm.items() for o in objs]
        return tree_labels(triples) or {}

    def _block_body(self, node) -> str:
        return "\n".join(self._po_lines(node, 1))

    # -- terms ------------------------------------------------------------------------------
    def term(self, node, indent: int) -> list[str]:
        """Lines for an object term; the first line is placed after the predicate or indentation."""
        k = _kind(node)
        if k == "NamedNode":
            if node.value == RDF + "nil":
                return ["()"]
            return [self.iri(node.value)]
        if k == "Literal":
            return _literal_lines(node, self)
        if node in self.labels:
            return [self.labels[node]]
        if node in self.inline:
            if self._is_list(node):
                return self._list_lines(node, indent)
            pm = self.props.get(node)
            if not pm:
                return ["[]"]
            return ["["] + self._po_lines(node, indent + 1) + [INDENT * indent + "]"]
        return [self.labels.get(node, "_:" + node.value)]

    def _list_lines(self, node, indent: int) -> list[str]:
        items = []
        while not (_kind(node) == "NamedNode" and node.value == RDF + "nil"):
            pm = self.props[node]
            items.append(pm[RDF + "first"][0])
            node = pm[RDF + "rest"][0]
        rendered = [self.term(i, indent + 1) for i in items]
        flat = "( " + " ".join(r[0] for r in rendered) + " )" if items else "()"
        if all(len(r) == 1 for r in rendered) and len(flat) <= 80:
            return [flat]
        lines = ["("]
        for r in rendered:
            lines.append(INDENT * (indent + 1) + r[0])
            lines.extend(r[1:])
        lines.append(INDENT * indent + ")")
        return lines

    def sort_key(self, node):
        k = _kind(node)
        if k == "NamedNode":
            return (0, node.value, "", "")
        if k == "Literal":
            return (1, (node.language or "").lower(), node.value, "" if node.language else node.datatype.value)
        return (2, self._inline_text(node), "", "")

    def _inline_text(self, node) -> str:
        if node not in self._inline_cache:
            self._inline_cache[node] = "\n".join(self.term(node, 0))
        return self._inline_cache[node]

    # -- blocks -----------------------------------------------------------------------------
    def _pred_key(self, p: str):
        if p in _PRED_RANK:
            return (_PRED_RANK[p][0], _PRED_RANK[p][1], "")
        return (_OTHER_GROUP, 0, p)

    def _po_lines(self, node, indent: int, subject: str | None = None) -> list[str]:
        """The predicate-object lines of ``node``; comments are placed only for a top-level IRI ``subject``."""
        pad = INDENT * indent
        inner = INDENT * (indent + 1)
        lines: list[str] = []
        pm = self.props.get(node, {})
        anch = self.comments.anchored if subject is not None else {}
        for p in sorted(pm, key=self._pred_key):
            objs = pm[p] if len(pm[p]) == 1 else sorted(pm[p], key=self.sort_key)
            pred = self.iri(p, predicate=True)
            pk = _term_key(p)
            before = list(anch.get((PRED, subject, pk), ()))
            okeys = [_term_key(o) for o in objs]
            eols = [anch.get((EOL, subject, pk, ok), []) for ok in okeys]
            befores = [anch.get((OBJ, subject, pk, ok), []) for ok in okeys]
            # one object sits on the predicate's line, so a nested [ ... ] closes at the predicate's indent
            rendered = [self.term(o, indent if len(objs) == 1 else indent + 1) for o in objs]
            one_line_types = (p == RDF_TYPE and all(len(r) == 1 for r in rendered)
                              and not any(eols) and not any(befores))
            if len(objs) == 1:
                lines.extend(pad + c for c in before + befores[0])
                body = [pad + pred + " " + rendered[0][0]] + rendered[0][1:]
                body[-1] += " ;"
                if eols[0]:
                    body[-1] = _with_comment(body[-1], eols[0])
                lines.extend(body)
                continue
            lines.extend(pad + c for c in before)
            if one_line_types:
                lines.append(pad + pred + " " + " , ".join(r[0] for r in rendered) + " ;")
                continue
            lines.append(pad + pred)
            for i, r in enumerate(rendered):
                lines.extend(inner + c for c in befores[i])
                body = [inner + r[0]] + r[1:]
                body[-1] += " ;" if i == len(objs) - 1 else " ,"
                if eols[i]:
                    body[-1] = _with_comment(body[-1], eols[i])
                lines.extend(body)
        return lines

    def _subject_order(self) -> list:
        types: dict[object, set[str]] = {}
        for s, pm in self.props.items():
            types[s] = {o.value for o in pm.get(RDF_TYPE, []) if _kind(o) == "NamedNode"}
        top = [s for s in self.props if _kind(s) == "NamedNode" or (s in self.labels) or
               (_kind(s) == "BlankNode" and self.refs[s] == 0)]
        concepts = {s for s in top if _kind(s) == "NamedNode" and SKOS + "Concept" in types[s]}

        def rank(s) -> int:
            if _kind(s) == "BlankNode":
                return 8 if s in self.labels else 7
            t = types[s]
            if OWL + "Ontology" in t:
                return 0
            if SKOS + "ConceptScheme" in t:
                return 1
            if s in concepts:
                return 2
            if t & {SKOS + "Collection", SKOS + "OrderedCollection"}:
                return 3
            if t & {OWL + "Class", RDFS + "Class", RDFS + "Datatype"}:
                return 4
            if t & {RDF + "Property", OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty"}:
                return 5
            return 6

        position = {c: i for i, c in enumerate(self._hierarchy(concepts))}

        def key(s):
            r = rank(s)
            if r == 2:
                return (r, position[s], "")
            if r == 7:
                return (r, 0, self._block_body(s))
            if r == 8:
                return (r, 0, self.labels[s])
            return (r, 0, s.value)

        return sorted(top, key=key)

    def _hierarchy(self, concepts: set) -> list:
        parents: dict[object, set] = {c: set() for c in concepts}
        children: dict[object, set] = {c: set() for c in concepts}
        for c in concepts:
            pm = self.props.get(c, {})
            for b in pm.get(SKOS + "broader", []):
                if b in concepts and b != c:
                    parents[c].add(b)
                    children[b].add(c)
            for n in pm.get(SKOS + "narrower", []):
                if n in concepts and n != c:
                    parents[n].add(c)
                    children[c].add(n)
        order: list = []
        visited: set = set()

        def visit(root) -> None:
            stack = [root]
            while stack:
                node = stack.pop()
                if node in visited:
                    continue
                visited.add(node)
                order.append(node)
                stack.extend(sorted(children[node], key=lambda x: x.value, reverse=True))

        roots = sorted((c for c in concepts if not parents[c]), key=lambda x: x.value)
        floating = self._floating([r for r in roots if self._deprecated(r)])
        for r in roots:
            if r not in floating:
                visit(r)
        for c in sorted(concepts, key=lambda x: x.value):
            if c not in floating:
                visit(c)
        # A deprecated concept taken out of the hierarchy stays where it was written: right after the
        # block that preceded it in the file (or first, when a non-concept block or nothing preceded it).
        by_iri = {c.value: c for c in concepts}
        head = 0  # how many blocks were placed first
        for c, anchor in floating.items():
            start = len(order)
            visit(c)
            placed = order[start:]
            del order[start:]
            at = order.index(by_iri[anchor]) + 1 if anchor is not None and by_iri[anchor] in order else head
            if at <= head:
                head += len(placed)
            order[at:at] = placed
        return order

    def _deprecated(self, node) -> bool:
        return any(_kind(o) == "Literal" and o.value in ("true", "1")
                   for o in self.props.get(node, {}).get(OWL + "deprecated", []))

    def _floating(self, candidates: list) -> dict:
        """Deprecated concepts with no broader concept that the file had written: each -> the IRI of
        the block written just before it (None when it came first or after a non-concept block), in
        the order the file had them."""
        position = {iri: i for i, iri in enumerate(self.source_order)}
        written = sorted((c for c in candidates if c.value in position), key=lambda c: position[c.value])
        concept_iris = {s.value for s, pm in self.props.items() if _kind(s) == "NamedNode" and any(
            _kind(o) == "NamedNode" and o.value == SKOS + "Concept" for o in pm.get(RDF_TYPE, []))}
        out: dict = {}
        for c in written:
            i = position[c.value]
            before = self.source_order[i - 1] if i > 0 else None
            out[c] = before if before in concept_iris else None
        return out

    def _relocate_orphans(self, subjects: set[str]) -> list[str]:
        """Comments whose triple is gone (a transform removed it) move up to their predicate or block;
        those whose block is gone are returned, to be kept at the end of the file."""
        present = self._present_anchors()
        anchored = self.comments.anchored
        lost: list[str] = []
        for key in list(anchored):
            kind, s = key[0], key[1]
            if (kind in (TOP, END) and s in subjects) or key in present:
                continue
            texts = anchored.pop(key)
            if s not in subjects:
                lost.extend(texts)
            elif kind in (OBJ, EOL) and (PRED, s, key[2]) in present:
                anchored.setdefault((PRED, s, key[2]), []).extend(texts)
            else:
                anchored.setdefault((TOP, s), []).extend(texts)
        for s in list(self.comments.leading):
            if s not in subjects:
                lost.extend(c for c in self.comments.leading.pop(s) if c)
        return lost

    def render(self) -> str:
        order = self._subject_order()
        self._move_blank_comments(set(order))
        subjects = {s.value for s in order if _kind(s) == "NamedNode"} | {s for s in order if _kind(s) == "BlankNode"}
        lost = self._relocate_orphans(subjects)
        anchored = self.comments.anchored
        blocks: list[str] = []
        for s in order:
            lines: list[str] = []
            if _kind(s) == "NamedNode":
                sv = s.value
                lines.extend(self.comments.leading.get(sv, []))
                lines.extend(anchored.get((TOP, sv), []))
                lines.append(self.iri(sv))
                lines.extend(self._po_lines(s, 1, subject=sv))
                lines.extend(INDENT + c for c in anchored.get((END, sv), []))
                lines.append(".")
            elif s in self.labels:
                lines.extend(self.comments.leading.get(s, []))
                lines.extend(anchored.get((TOP, s), []))
                lines.append(self.labels[s])
                lines.extend(self._po_lines(s, 1))
                lines.append(".")
            else:
                lines.extend(self.comments.leading.get(s, []))
                lines.extend(anchored.get((TOP, s), []))
                lines.append("[")
                lines.extend(self._po_lines(s, 1))
                lines.append("] .")
            blocks.append("\n".join(lines))
        out: list[str] = []
        if self.comments.header:
            out.append("\n".join(self.comments.header))
        directives = []
        if self.declared_base:
            directives.append(f"BASE <{_escape_iri(self.declared_base)}>")
        directives.extend(f"PREFIX {name}: <{_escape_iri(self.relative(self.prefixes[name]))}>"
                          for name in sorted(self.used_prefixes))
        if directives:
            out.append("\n".join(directives))
        out.extend(blocks)
        trailer = list(self.comments.trailer)
        if lost:
            trailer = lost + ([""] if trailer else []) + trailer
        if trailer:
            out.append("\n".join(trailer))
        return "\n\n".join(out) + "\n" if out else ""

    def _move_blank_comments(self, top: set) -> None:
        """Comments of a blank node written inside another block go to the top of that block."""
        keys = [k for k in self.comments.anchored if _kind(k[1]) == "BlankNode" and k[1] not in top]
        leading = [s for s in self.comments.leading if _kind(s) == "BlankNode" and s not in top]
        if not keys and not leading:
            return
        parent: dict = {}
        for s, pm in self.props.items():
            for objs in pm.values():
                for o in objs:
                    if _kind(o) == "BlankNode":
                        parent.setdefault(o, s)

        def home(node):
            seen = set()
            while node not in top and node in parent and node not in seen:
                seen.add(node)
                node = parent[node]
            if node in top:
                return node.value if _kind(node) == "NamedNode" else node
            return None

        for s in leading:
            target = home(s)
            texts = [c for c in self.comments.leading.pop(s) if c]
            if target is not None:
                self.comments.anchored.setdefault((TOP, target), []).extend(texts)
            else:
                self.comments.trailer = texts + self.comments.trailer
        for k in keys:
            target = home(k[1])
            texts = self.comments.anchored.pop(k)
            if target is not None:
                self.comments.anchored.setdefault((TOP, target), []).extend(texts)
            else:
                self.comments.trailer = texts + self.comments.trailer

    def _present_anchors(self) -> set[tuple]:
        present: set[tuple] = set()
        for s, pm in self.props.items():
            if _kind(s) != "NamedNode":
                continue
            for p, objs in pm.items():
                pk = _term_key(p)
                present.add((PRED, s.value, pk))
                for o in objs:
                    ok = _term_key(o)
                    present.add((OBJ, s.value, pk, ok))
                    present.add((EOL, s.value, pk, ok))
        return present


def _term_key(term) -> str:
    """A hashable, parse-independent key for a term (blank nodes are never anchors)."""
    if isinstance(term, str):
        return "<" + term + ">"
    if _kind(term) == "NamedNode":
        return "<" + term.value + ">"
    return str(term)


def _with_comment(line: str, comments: list[str]) -> str:
    text = "  ".join(comments)
    gap = max(2, COMMENT_COLUMN - len(line))
    return line + " " * gap + text


def _choose_prefixes(declared: dict[str, str], iris: set[str]) -> dict[str, str]:
    """Declared prefixes that can shorten an IRI, plus the project's well-known ones that do not clash."""

    def usable(candidates: dict[str, str]) -> dict[str, str]:
        by_ns: dict[str, list[str]] = {}
        for name, ns in candidates.items():
            if _PREFIX_NAME.fullmatch(name) and ns:
                by_ns.setdefault(ns, []).append(name)
        chosen = {sorted(names, key=lambda n: (n == "", len(n), n))[0]: ns for ns, names in by_ns.items()}
        ordered = sorted(chosen.items(), key=lambda x: -len(x[1]))
        used = set()
        for iri in iris:
            for name, ns in ordered:
                if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
                    used.add(name)
                    break
        return {n: chosen[n] for n in used}

    first = usable(declared)
    merged = dict(first)
    taken_ns = set(first.values())
    for name, ns in PREFIXES.items():
        if name not in merged and ns not in taken_ns:
            merged[name] = ns
    return usable(merged)


def _escape_iri(value: str) -> str:
    out = []
    for ch in value:
        if ch in '<>"{}|^`\\' or ord(ch) <= 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


_BARE_INTEGER = re.compile(r"0|-?[1-9][0-9]*")
_BARE_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")


def bare_number(value: str, datatype: str) -> bool:
    """May this number be written without quotes (``42``) and still be read back with this exact
    lexical form?  Only canonical integers and decimals: readers such as rdflib turn a bare
    ``+1``, ``007`` or ``1.0e0`` into a number and write it back as ``1``, ``7``, ``1.0``; those
    are written ``"+1"^^xsd:integer`` so no reader changes them."""
    if datatype == XSD + "integer":
        return bool(_BARE_INTEGER.fullmatch(value))
    if datatype == XSD + "decimal" and _BARE_DECIMAL.fullmatch(value):
        from decimal import Decimal

        return str(Decimal(value)) == value
    return False


def _literal_lines(lit, writer: _Writer) -> list[str]:
    value = lit.value
    if lit.language:
        suffix = "@" + writer.tags.get(lit.language, lit.language)
    else:
        dt = lit.datatype.value
        if dt == XSD + "boolean" and value in ("true", "false"):
            return [value]
        if bare_number(value, dt):
            return [value]
        suffix = "" if dt == XSD + "string" else "^^" + writer.iri(dt)
    if "\n" in value:
        quoted = '"""' + _escape_long(value) + '"""'
    else:
        quoted = '"' + _escape_short(value) + '"'
    lines = (quoted + suffix).split("\n")
    return lines


def _escape_short(value: str) -> str:
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _escape_long(value: str) -> str:
    out = []
    n = len(value)
    for i, ch in enumerate(value):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"' if i == n - 1 or value[i + 1] == '"' else '"')
        elif ch == "\r":
            out.append("\\r")
        elif ch in "\n\t":
            out.append(ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# verification
# --------------------------------------------------------------------------------------------


def _verify(out: str, triples: list, comments: _Comments, where: str, path: str | None = None,
            base: str | None = None) -> None:
    """The rewrite must parse to an isomorphic graph and keep every comment's text."""
    try:
        again, _ = parse_turtle(out, path, base=base)
    except VocabError as exc:  # pragma: no cover - a bug in the writer
        raise VocabError(f"internal error: the canonical rewrite does not parse ({exc.message}); "
                         "the file was left as it was", path=where) from exc
    if not isomorphic(triples, again):
        raise VocabError("internal error: the canonical rewrite would change the graph; the file was left as it was",
                         path=where)
    if comments.texts:
        from .turtle_lex import tokens

        kept = "\n".join(t.text for t in tokens(out) if t.kind == "comment")
        missing = [c for c, n in Counter(comments.texts).items() if kept.count(c) < n]
        if missing:
            raise VocabError(f"internal error: the comment {missing[0]!r} would be lost; the file was left as it was",
                             path=where)


def isomorphic(a: list, b: list) -> bool:
    """Are two lists of pyoxigraph triples the same graph (blank nodes matched by structure)?

    Blank nodes that form trees (each used at most once as an object, no cycles: the usual
    ``[ ... ]`` and ``( ... )``) are compared by a canonical text of their tree, which is
    exact and fast; anything else falls back to rdflib's isomorphism check.
    """
    ca, rest_a = _canonical_form(a)
    cb, rest_b = _canonical_form(b)
    if not rest_a and not rest_b:
        return ca == cb
    import rdflib
    from rdflib.compare import isomorphic as rdflib_isomorphic

    from .rdflib_bridge import quiet_rdflib, to_rdflib_term

    quiet_rdflib()

    def graph(triples):
        g = rdflib.Graph()
        for t in triples:
            g.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
        return g

    return rdflib_isomorphic(graph(a), graph(b))


def _canonical_form(triples: list) -> tuple[Counter, bool]:
    """(multiset of canonical statements, whether some blank nodes are not tree-shaped)."""
    props: dict[object, list] = {}
    refs: Counter = Counter()
    unique = set(triples)
    for t in unique:
        props.setdefault(t.subject, []).append((t.predicate.value, t.object))
        if _kind(t.object) == "BlankNode":
            refs[t.object] += 1
    memo: dict[object, str | None] = {}

    def canon(node) -> str | None:
        # iterative post-order over the tree below ``node``
        stack = [(node, False)]
        on_path: set = set()
        while stack:
            b, done = stack.pop()
            if done:
                on_path.discard(b)
                parts = []
                for p, o in props.get(b, []):
                    if _kind(o) == "BlankNode":
                        c = memo.get(o)
                        if c is None:
                            memo[b] = None
                            break
                        parts.append(f"<{p}> {c}")
                    else:
                        parts.append(f"<{p}> {o}")
                else:
                    memo[b] = "[" + hashlib.sha256(" ; ".join(sorted(parts)).encode("utf-8")).hexdigest() + "]"
                continue
            if b in memo:
                continue
            if b in on_path:
                memo[b] = None
                continue
            on_path.add(b)
            stack.append((b, True))
            for _, o in props.get(b, []):
                if _kind(o) == "BlankNode":
                    if refs[o] != 1 or o in on_path:
                        memo[o] = None
                    elif o not in memo:
                        stack.append((o, False))
        return memo.get(node)

    out: Counter = Counter()
    irregular = False
    for t in unique:
        s, o = t.subject, t.object
        if _kind(s) == "BlankNode":
            continue  # part of a tree below a root, or irregular (checked through its root)
        if _kind(o) == "BlankNode":
            c = canon(o) if refs[o] == 1 else None
            if c is None:
                irregular = True
                break
            out[f"{s} <{t.predicate.value}> {c}"] += 1
        else:
            out[str(t)] += 1
    if not irregular:
        for b in props:
            if _kind(b) == "BlankNode" and refs[b] == 0:
                c = canon(b)
                if c is None:
                    irregular = True
                    break
                out["ROOT " + c] += 1
    if not irregular:
        # every blank node must be reached from a root or an IRI subject (no detached cycles)
        reached = {b for b, c in memo.items() if c is not None}
        if any(_kind(b) == "BlankNode" and b not in reached for b in props) or \
                any(b not in reached for b in refs):
            irregular = True
    return out, irregular
