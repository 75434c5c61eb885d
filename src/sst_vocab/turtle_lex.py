"""A small Turtle lexer: where each subject block starts, and the prefixes declared.

pyoxigraph parses the data (fast, with exact error positions) but does not say
where a triple came from.  Reports need ``FILE:LINE`` for each focus node, so
this module scans the text of a file that already parsed and records, for each
subject of a top-level statement, the line its block starts on.  It only runs
on text that pyoxigraph accepted, so it can trust the syntax.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from urllib.parse import urljoin

__all__ = ["Token", "TurtleOutline", "outline", "tokens"]

# The pieces both scanners below share: a comment, a string (long forms first), an IRI.
_COMMENT = r"\#[^\n]*"
_STRING = (r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
           r"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
           r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
           r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'")
_IRI = r'<[^<>"{}|^`\\\s]*>'

_TOKEN = re.compile(
    rf"""
     (?P<comment>{_COMMENT})
    |(?P<str>{_STRING})
    |(?P<iri>{_IRI})
    |(?P<punct>[;,\[\]()])
    |(?P<word>[^\s<>"'\#;,\[\]()]+)
    """,
    re.X | re.S,
)


@dataclass(frozen=True)
class Token:
    kind: str  # comment, str, iri, punct, word, dot
    text: str
    start: int
    end: int


def tokens(text: str):
    """Yield the tokens of valid Turtle text, splitting a word's trailing dots into ``dot`` tokens."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group()
        start = m.start()
        if kind == "word" and value.endswith(".") and not _is_number(value):
            stripped = value.rstrip(".")
            if stripped:
                yield Token("word", stripped, start, start + len(stripped))
            for i in range(len(stripped), len(value)):
                yield Token("dot", ".", start + i, start + i + 1)
            continue
        yield Token(kind, value, start, m.end())


def _is_number(word: str) -> bool:
    return bool(re.fullmatch(r"[+-]?(\d+\.\d*([eE][+-]?\d+)?|\.?\d+([eE][+-]?\d+)?)", word)) and not word.endswith(".")


@dataclass
class TurtleOutline:
    """The subjects of a file's top-level statements (IRI -> first line) and its prefixes."""

    subjects: dict[str, int] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)


# Inside a statement only strings, comments, IRIs, brackets and the terminating dot matter:
# one regex search skips everything else (prefixed names, numbers, keywords) at C speed.
_STRUCTURE = re.compile(
    rf"""
     (?P<comment>{_COMMENT})
    |(?P<str>{_STRING})
    |(?P<iri>{_IRI})
    |(?P<open>[\[(])
    |(?P<close>[\])])
    |(?P<dot>\.(?=[\s\#<"'\[\]()]|$))
    """,
    re.X | re.S,
)
_SPACE = re.compile(r"(?:\s+|\#[^\n]*)+")


def outline(text: str, base: str | None = None) -> TurtleOutline:
    """Scan ``text`` and return where each subject's block starts and which prefixes it declares."""
    result = TurtleOutline()
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect_right(newlines, offset - 1) + 1

    n = len(text)
    pos = 0
    depth = 0
    at_start = True
    while pos < n:
        if at_start and depth == 0:
            space = _SPACE.match(text, pos)
            if space:
                pos = space.end()
                if pos >= n:
                    break
            m = _TOKEN.match(text, pos)
            if m is None:  # cannot happen on text the parser accepted; stop rather than loop
                break
            kind, value = m.lastgroup, m.group()
            if kind == "word" and value.lower().rstrip(".") in ("@prefix", "prefix", "@base", "base"):
                name = value.lower()
                parts = []
                pos = m.end()
                wanted = 2 if name in ("@prefix", "prefix") else 1
                while len(parts) < wanted:
                    space = _SPACE.match(text, pos)
                    if space:
                        pos = space.end()
                    t = _TOKEN.match(text, pos)
                    parts.append(t.group())
                    pos = t.end()
                if wanted == 2:
                    result.prefixes[parts[0][:-1]] = _resolve(parts[1][1:-1], base)
                else:
                    base = _resolve(parts[0][1:-1], base)
                if name.startswith("@"):  # the closing dot, after any spaces and comments
                    space = _SPACE.match(text, pos)
                    pos = (space.end() if space else pos) + 1
                continue
            if kind == "punct" and value in "[(":
                depth = 1
                pos = m.end()
                at_start = False
                continue
            word = value
            if kind == "word" and word.endswith(".") and not _is_number(word):
                word = word.rstrip(".")
            iri = _subject_iri(Token(kind, word, m.start(), m.end()), result.prefixes, base)
            if iri is not None and iri not in result.subjects:
                result.subjects[iri] = line_of(m.start())
            at_start = False
            pos = m.end()
            if kind == "word" and value != word:  # "ex:a." ends the statement at once
                at_start = True
            continue
        m = _STRUCTURE.search(text, pos)
        if m is None:
            break
        kind = m.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "dot" and depth == 0:
            at_start = True
        pos = m.end()
    return result


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and ":" not in iri.split("/", 1)[0] else iri


def _subject_iri(tok: Token, prefixes: dict[str, str], base: str | None) -> str | None:
    if tok.kind == "iri":
        return _resolve(tok.text[1:-1], base)
    if tok.kind == "word" and ":" in tok.text and not tok.text.startswith("_:"):
        prefix, _, local = tok.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None
