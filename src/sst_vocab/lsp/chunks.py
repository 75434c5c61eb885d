"""A file parsed in chunks of whole statements, so that an edit re-parses only the chunks it touched.

A large vocabulary is one file of thousands of subject blocks; parsing it again on every
keystroke (and scanning it again for the line of each subject) costs a few hundred
milliseconds.  So the text after the directives (the *header*) is cut into chunks of whole
top-level statements, each parsed on its own with the header in front of it, and each
chunk's triples and subjects are kept.  After an edit, the chunks before and after the
changed span are kept as they are; the span between them is cut again and parsed.

Why the triples are those of a parse of the whole file: each chunk, header in front, parses
as a complete Turtle document, so it ends where a statement ends (a chunk cut inside a
statement, a long string or a bracket does not parse: it ends with an unclosed one).  A
statement does not depend on the others except through the directives and blank-node
labels, and chunking is used only when every directive is in the header (none further down)
and the text has no ``_:`` label.  When any of that fails, the caller parses the whole file
(which also gives the exact position of a syntax error).  ``tests/test_lsp_incremental.py``
compares the chunked triples and outline with a whole parse after random edits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import VocabError

if TYPE_CHECKING:
    from ..turtle_lex import TurtleOutline

__all__ = ["Chunk", "Chunked", "chunk_text", "update"]

#: Chunks are about this many characters (whole statements): the cost of an edit's re-parse.
CHUNK = 2048

# A place where a top-level statement may start: a line that begins with a term (not a space, a
# comment or punctuation) after a line that ends a statement (a dot) or is a SPARQL-style directive.
_BOUNDARY = re.compile(
    r"(?:\.|^[ \t]*(?:PREFIX|BASE)[ \t][^\n]*>)[ \t\r]*\n(?:[ \t\r]*(?:\#[^\n]*)?\n)*"
    r"(?=[^\s#.;,)\]])",
    re.I | re.M,
)
_DIRECTIVE_AT = re.compile(r"[ \t]*@?(?:prefix|base)[ \t:]", re.I)
_DIRECTIVE = re.compile(r"^[ \t]*@?(?:prefix|base)[ \t:]", re.I | re.M)


@dataclass
class Chunk:
    """Whole statements of a file: their text, their triples (as parsed), and their subjects."""

    text: str
    triples: list
    subjects: dict[str, int]  # subject IRI -> its first line, 0-based, counted from the chunk's first line
    newlines: int


@dataclass
class Chunked:
    """A file's text as its header and its chunks; ``counts``: each triple -> how many chunks state it."""

    text: str
    header: str
    prefixes: dict[str, str]
    chunks: list[Chunk]
    counts: Counter = field(default_factory=Counter)


Parser = Callable[[str], list]  # text -> triples; raises VocabError on a syntax error
Outliner = Callable[[str], "TurtleOutline"]  # text -> its subjects and prefixes


def _header_end(text: str) -> int | None:
    for m in _BOUNDARY.finditer(text):
        if not _DIRECTIVE_AT.match(text, m.end()):
            return m.end()
    return None


def _cut(text: str, start: int, end: int) -> list[str]:
    """``text[start:end]`` (whole statements) cut at statement starts into pieces of about CHUNK characters."""
    out = []
    piece = start
    pos = start + CHUNK
    while pos < end:
        m = _BOUNDARY.search(text, pos, end)
        if m is None or m.end() >= end:
            break
        out.append(text[piece : m.end()])
        piece = m.end()
        pos = piece + CHUNK
    if piece < end:
        out.append(text[piece:end])
    return out


def _make(header: str, header_lines: int, pieces: list[str], parse: Parser, outline: Outliner) -> list[Chunk] | None:
    chunks = []
    for piece in pieces:
        try:
            triples = parse(header + piece)
        except VocabError:
            return None
        subjects = {iri: line - 1 - header_lines for iri, line in outline(header + piece).subjects.items()}
        chunks.append(Chunk(piece, triples, subjects, piece.count("\n")))
    return chunks


def chunk_text(text: str, parse: Parser, outline: Outliner) -> Chunked | None:
    """The text in chunks, or None where chunking cannot be trusted (then parse the whole file)."""
    if "_:" in text:
        return None
    end = _header_end(text)
    if end is None or _DIRECTIVE.search(text, end):
        return None
    header = text[:end]
    try:
        if parse(header):  # the header holds statements: the boundary was misread
            return None
    except VocabError:
        return None
    prefixes = dict(outline(header).prefixes)
    chunks = _make(header, header.count("\n"), _cut(text, end, len(text)), parse, outline)
    if chunks is None:
        return None
    counts: Counter = Counter()
    for c in chunks:
        counts.update(c.triples)
    return Chunked(text, header, prefixes, chunks, counts)


def _common_prefix(a: str, b: str) -> int:
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:  # the longest k with a[:k] == b[:k]
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid : len(a) - lo] == b[len(b) - mid : len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def update(old: Chunked, text: str, parse: Parser, outline: Outliner) -> tuple[Chunked, list, list] | None:
    """The chunks of the new ``text`` (the old ones kept where the text did not change), with the
    triples the file no longer states and those it states anew; None: parse the whole file instead."""
    header = old.header
    if not text.startswith(header) or "_:" in text or _DIRECTIVE.search(text, len(header)):
        return None
    p = _common_prefix(old.text, text)
    s = _common_suffix(old.text, text, min(len(old.text), len(text)) - p)
    offsets = []
    pos = len(header)
    for c in old.chunks:
        offsets.append(pos)
        pos += len(c.text)
    first = 0  # the chunks before the change
    while first < len(old.chunks) and offsets[first] + len(old.chunks[first].text) <= p:
        first += 1
    last = len(old.chunks)  # the chunks after it
    while last > first and offsets[last - 1] >= len(old.text) - s:
        last -= 1
    start = offsets[first] if first < len(old.chunks) else len(header)
    if first == len(old.chunks) and old.chunks:
        start = offsets[-1] + len(old.chunks[-1].text)
    end = (offsets[last] if last < len(old.chunks) else len(old.text)) + len(text) - len(old.text)
    if end < start:
        return None
    new = _make(header, header.count("\n"), _cut(text, start, end), parse, outline)
    if new is None:
        return None
    counts = old.counts  # updated in place: the old Chunked is not used again
    fresh = []
    for c in new:
        for t in c.triples:
            counts[t] += 1
            if counts[t] == 1:
                fresh.append(t)
    gone = []
    for c in old.chunks[first:last]:
        for t in c.triples:
            counts[t] -= 1
            if counts[t] == 0:
                del counts[t]
                gone.append(t)
    chunks = old.chunks[:first] + new + old.chunks[last:]
    return Chunked(text, header, old.prefixes, chunks, counts), gone, fresh


def subjects(chunked: Chunked) -> dict[str, int]:
    """Every subject IRI -> the 1-based line of its first block in the file."""
    out: dict[str, int] = {}
    line = chunked.header.count("\n") + 1
    for c in chunked.chunks:
        for iri, rel in c.subjects.items():
            if iri not in out:
                out[iri] = line + rel
        line += c.newlines
    return out
