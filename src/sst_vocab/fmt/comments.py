"""Comments: where each one of a file belongs (the header, a subject block, a triple, the end).

The comments are found with :mod:`sst_vocab.turtle_lex`; each is anchored to the code token
next to it, and that token's term is resolved to an RDF term, so the writer can put the
comment back next to the same triple whatever order it writes them in.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import VocabError
from ..namespaces import RDF_TYPE
from ..turtle_lex import Statement, Token, TokenRole, roles, statements
from .terms import _kind, _term_key

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

# anchor kinds
TOP, PRED, OBJ, EOL, END = "top", "pred", "obj", "eol", "end"


@dataclass
class _Comments:
    """Every comment of a file, attached to the header, a subject block, or the end of the file."""

    header: list[str] = field(default_factory=list)  # lines ("" = blank line)
    trailer: list[str] = field(default_factory=list)
    leading: dict[str | ox.BlankNode, list[str]] = field(default_factory=dict)  # subject IRI or blank node -> lines
    anchored: dict[tuple, list[str]] = field(default_factory=dict)  # (kind, s[, p[, o]]) -> comments
    texts: list[str] = field(default_factory=list)  # every comment's text

    @classmethod
    def scan(cls, text: str, where: str, base: str | None = None, triples: list | None = None) -> _Comments:
        from ..turtle_lex import tokens

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
        units = statements(code)
        info = roles(code, units)
        starts = {u.first: ui for ui, u in enumerate(units)}
        # position of each comment among the code tokens
        order: list[tuple[int, Token]] = []
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

        leading_runs: dict[int, list[Token]] = {}
        header: list[Token] = []  # comment tokens, made lines at the end
        trailer: list[Token] = []
        for next_index, tok in order:
            prev_index = next_index - 1
            line = line_of(tok.start)
            trailing = prev_index >= 0 and line_of(code[prev_index].end - 1) == line
            if trailing:
                ui = info[prev_index].unit
                anchor, leading = prev_index, False
            elif next_index < len(code):
                ui = info[next_index].unit
                anchor, leading = next_index, next_index in starts
            else:
                trailer.append(tok)
                continue
            unit = units[ui]
            if unit.kind == "directive":
                header.append(tok)
                continue
            if leading:
                leading_runs.setdefault(ui, []).append(tok)
                continue
            if unit.blank_subject:
                blank = resolver.blank_subject(ui)
                if blank is None:
                    trailer.append(tok)
                else:
                    result.anchored.setdefault((TOP, blank), []).append(tok.text.rstrip())
                continue
            subject = resolver.subject(ui, where, line)
            key = _anchor_for(info, anchor, trailing, subject, resolver)
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
                header.extend(run[:cut])
                run = run[cut:]
                lines = _comment_lines(run, line_of)
                if not run:
                    continue
            if unit.blank_subject:
                subject = resolver.blank_subject(ui)
                if subject is None:  # a block the rewrite cannot match: its comments go to the end
                    trailer.extend(run)
                    continue
            else:
                subject = resolver.subject(ui, where, line_of(run[0].start))
            if line_of(code[unit.first].start) - line_of(run[-1].start) > 1:
                lines.append("")
            result.leading.setdefault(subject, [])
            if result.leading[subject] and result.leading[subject][-1] != "":
                result.leading[subject].append("")
            result.leading[subject].extend(lines)
        result.header = _comment_lines(header, line_of) if header else []
        result.trailer = _comment_lines(trailer, line_of) if trailer else []
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


def _anchor_for(info: list[TokenRole], index: int, trailing: bool, subject: str, resolver: _Resolver) -> tuple:
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


def _anchor(ti: TokenRole, trailing: bool, subject: str, key) -> tuple:

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
    """Turn token ranges into RDF terms by parsing them with the directives in force (through
    :func:`sst_vocab.reading.parse`, as the whole file was)."""

    def __init__(
        self, text: str, code: list, units: list[Statement], base: str | None = None, triples: list | None = None
    ) -> None:
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
                parts.append(self.text[self.code[u.first].start : self.code[u.last].end])
        return "\n".join(parts)

    def _parse(self, doc: str) -> list | None:
        """The triples of a piece of the file (its directives and one term or statement), or None."""
        from ..reading import parse

        try:
            return parse(doc, None, base=self.base, fmt="turtle").triples
        except VocabError:
            return None

    def _span(self, rng: tuple[int, int]) -> str:
        return self.text[self.code[rng[0]].start : self.code[rng[1]].end]

    def term(self, rng: tuple[int, int] | None):
        if rng is None:
            return None
        if rng in self.cache:
            return self.cache[rng]
        import pyoxigraph as ox

        span = self._span(rng)
        term: object
        if span == "a":
            term = ox.NamedNode(RDF_TYPE)
        else:
            doc = self._directives_before(self.unit_of[rng[0]]) + f"\n<urn:x:s> <urn:x:p> {span} .\n"
            triples = self._parse(doc)  # None: a token the lexer could not isolate (e.g. escapes)
            term = triples[0].object if triples is not None and len(triples) == 1 else None
        self.cache[rng] = term
        return term

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
        doc = self._directives_before(ui) + "\n" + self.text[first.start : self.code[unit.last].end] + "\n"
        alone = self._parse(doc)
        if alone is None:
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
            raise VocabError(
                "cannot keep this comment: the subject of its block could not be identified, so the "
                "comment cannot be anchored (the file was left as it was)",
                path=where,
                line=line,
            )
        return t.value
