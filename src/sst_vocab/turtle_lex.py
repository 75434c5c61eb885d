"""A Turtle lexer that follows the Turtle grammar: where each subject block starts, prefixes, comments.

pyoxigraph parses the data (fast, with exact error positions) but does not say
where a triple came from.  Reports need ``FILE:LINE`` for each focus node, and
``fmt`` needs every comment, so this module scans the text of a file that already
parsed.  The terminals are the grammar's (RDF 1.1 Turtle, section 6.5): IRIs with
``\\u`` escapes, the four string forms, prefixed names whose local part holds
``\\``-escapes (``ex:a\\#b``) and ``%``-codes, blank-node labels, numbers, language
tags; ``#`` starts a comment only outside all of those.  :func:`statements` and
:func:`roles` read the tokens' structure (directives, statements, subject, verbs and objects)
for ``fmt``, which anchors each comment to the term next to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "Statement",
    "Token",
    "TokenRole",
    "TurtleOutline",
    "language_tags",
    "outline",
    "roles",
    "statements",
    "tokens",
    "unescape_iri",
    "unescape_local",
]

# --- the grammar's terminals ------------------------------------------------------------------
# The character classes are the grammar's in ASCII; every non-ASCII character is let in as a name
# character (negated classes).  That is exact on text the parser accepted (outside strings, IRIs and comments,
# valid Turtle has no non-ASCII character that is not a name character), and compiles in
# microseconds, where the grammar's full ranges (up to U+EFFFF) took ~0.6 s at every start.
_PN_CHARS_BASE = r"[^\x00-\x40\x5b-\x60\x7b-\x7f]"  # letters (and any non-ASCII character)
_PN_CHARS_U = r"[^\x00-\x40\x5b-\x5e\x60\x7b-\x7f]"  # ... and "_"
_PN_CHARS = r"[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"  # ... and "-", digits
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PN_PREFIX = rf"{_PN_CHARS_BASE}(?:(?:{_PN_CHARS}|\.)*{_PN_CHARS})?"
_PN_LOCAL = (
    rf"(?:{_PN_CHARS_U}|[:0-9]|{_PLX})"
    rf"(?:(?:{_PN_CHARS}|[.:]|{_PLX})*(?:{_PN_CHARS}|:|{_PLX}))?"
)
_PNAME = rf"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"
_BNODE = rf"_:(?:{_PN_CHARS_U}|[0-9])(?:(?:{_PN_CHARS}|\.)*{_PN_CHARS})?"
_NUMBER = r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+)"
_LANGTAG = r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

_COMMENT = r"\#[^\r\n]*"
# The one-line strings and IRIs are written as "unrolled loops" (a run of plain characters, then
# escapes each followed by a run): the same language as (?:plain|escape)*, matched several
# times faster on long definitions.
_STRING = (
    r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r'|"[^"\\\n\r]*(?:\\.[^"\\\n\r]*)*"'
    r"|'[^'\\\n\r]*(?:\\.[^'\\\n\r]*)*'"
)
_IRI_CHAR = r"[^\x00-\x20<>\"{}|^`\\]"
_IRI = rf"<{_IRI_CHAR}*(?:(?:{_UCHAR}){_IRI_CHAR}*)*>"
_WORD = rf"\^\^(?:{_PNAME})?|{_LANGTAG}|{_BNODE}|{_NUMBER}|{_PNAME}|[A-Za-z]+"

_TOKEN = re.compile(
    rf"""
     (?P<space>\s+)
    |(?P<comment>{_COMMENT})
    |(?P<str>{_STRING})
    |(?P<iri>{_IRI})
    |(?P<punct>[;,\[\]()])
    |(?P<word>{_WORD})
    |(?P<dot>\.)
    |(?P<other>.)
    """,
    re.X | re.S,
)
_WORD_AT = re.compile(_WORD)


@dataclass(frozen=True)
class Token:
    kind: str  # comment, str, iri, punct, word, dot (other: a character no terminal takes)
    text: str
    start: int
    end: int


def tokens(text: str):
    """Yield the tokens of Turtle text (spaces skipped), by the grammar's terminals."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "space" or kind is None:  # every alternative is a named group: never None
            continue
        yield Token(kind, m.group(), m.start(), m.end())


@dataclass
class TurtleOutline:
    """The subjects of a file's top-level statements (IRI -> first line) and its prefixes."""

    subjects: dict[str, int] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)


# Inside a statement only brackets and the dot change the outline; strings, comments, IRIs and
# escapes are skipped whole (a dot in them ends nothing), and so is everything else (prefixed
# names, numbers, keywords).  One match runs to the next bracket or dot: the tokens before it in
# one atomic group, at C speed (a possessive ``*+`` would do, but
# CPython 3.11 raises SystemError on some inputs with it); group "tok" ends where the last of those tokens ends.
# A character that starts no token it could start (a lone quote, an unclosed "<") is skipped.
_TO_EVENT = re.compile(
    rf"""
    (?>(?:[^\#"'<\\\[\]().]+
      |(?P<tok>{_COMMENT}|{_STRING}|{_IRI}|\\.)
      |["'<\\]
    )*)
    (?:(?P<open>[\[(])|(?P<close>[\])])|(?P<dot>\.))
    """,
    re.X | re.S,
)
_SPACE = re.compile(r"(?:\s+|\#[^\r\n]*)+")
_WORDISH = re.compile(r"[\w:%.@+\-^\u00B7\u0300-\u036F\u203F\u2040\u200C\u200D]")
_DIRECTIVES = ("@prefix", "prefix", "@base", "base")


def _dot_ends_statement(text: str, dot: int, floor: int) -> bool:
    """Is the ``.`` at ``dot`` a statement's end, rather than inside a name or number?"""
    start = dot
    while start > floor:
        ch = text[start - 1]
        if start - 2 >= floor and text[start - 2] == "\\":
            start -= 2
            continue
        if _WORDISH.match(ch):
            start -= 1
            continue
        break
    pos = start
    while pos <= dot:
        m = _WORD_AT.match(text, pos)
        if m is None or m.end() == pos:
            pos += 1
            continue
        if m.end() > dot:
            return False
        pos = m.end()
    return True


def outline(text: str, base: str | None = None) -> TurtleOutline:
    """Scan ``text`` and return where each subject's block starts and which prefixes it declares.

    ``base``: the base IRI the file was read with (its ``file://`` IRI or ``--base``).
    """
    from .reading import resolve_iri

    result = TurtleOutline()
    counted = [0, 1]  # the line at an offset, counted from the last offset asked (they come in order)

    def line_of(offset: int) -> int:
        at, line = counted if offset >= counted[0] else (0, 1)
        line += text.count("\n", at, offset)
        counted[:] = offset, line
        return line

    def next_token(pos: int):
        space = _SPACE.match(text, pos)
        if space:
            pos = space.end()
        return _TOKEN.match(text, pos)

    n = len(text)
    pos = 0
    depth = 0
    at_start = True
    while pos < n:
        if at_start and depth == 0:
            m = next_token(pos)
            if m is None or m.lastgroup == "space":
                break
            kind, value = m.lastgroup, m.group()
            if kind == "word" and value.lower() in _DIRECTIVES and (value[0] != "@" or value.islower()):
                name = value.lower()
                pos = m.end()
                if name.endswith("prefix"):
                    pname = next_token(pos)
                    iri = next_token(pname.end()) if pname else None
                    if pname is None or iri is None or iri.lastgroup != "iri":
                        break
                    result.prefixes[pname.group()[:-1]] = resolve_iri(unescape_iri(iri.group()[1:-1]), base)
                    pos = iri.end()
                else:
                    iri = next_token(pos)
                    if iri is None or iri.lastgroup != "iri":
                        break
                    base = resolve_iri(unescape_iri(iri.group()[1:-1]), base)
                    pos = iri.end()
                if name.startswith("@"):  # the closing dot, after any spaces and comments
                    dot = next_token(pos)
                    if dot is not None and dot.lastgroup == "dot":
                        pos = dot.end()
                continue
            if kind == "punct" and value in "[(":
                depth = 1
                pos = m.end()
                at_start = False
                continue
            iri = _subject_iri(kind, value, result.prefixes, base)
            if iri is not None and iri not in result.subjects:
                result.subjects[iri] = line_of(m.start())
            at_start = False
            pos = m.end()
            continue
        m = _TO_EVENT.match(text, pos)
        if m is None:
            break
        if m.start("open") >= 0:
            depth += 1
        elif m.start("close") >= 0:
            depth -= 1
        elif depth == 0 and _dot_ends_statement(text, m.start("dot"), max(pos, m.end("tok"))):
            at_start = True
        pos = m.end()
    return result


_UCHAR_RE = re.compile(_UCHAR)
_LOCAL_ESC = re.compile(r"\\(.)")


def unescape_iri(text: str) -> str:
    """An IRIREF's content with its ``\\u``/``\\U`` escapes decoded."""
    if "\\" not in text:
        return text
    return _UCHAR_RE.sub(lambda m: chr(int(m.group()[2:], 16)), text)


def unescape_local(local: str) -> str:
    """A PN_LOCAL's text as IRI characters: ``\\#`` -> ``#`` (``%`` codes stay as written)."""
    return _LOCAL_ESC.sub(r"\1", local) if "\\" in local else local


def _subject_iri(kind: str, value: str, prefixes: dict[str, str], base: str | None) -> str | None:
    if kind == "iri":
        from .reading import resolve_iri

        return resolve_iri(unescape_iri(value[1:-1]), base)
    if kind == "word" and ":" in value and not value.startswith(("_:", "^^", "@")):
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + unescape_local(local)
    return None


_TAG_AFTER_STRING = re.compile(r"""["'](@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)""")


def language_tags(text: str) -> dict[str, str]:
    """Language tags as written in ``text``, by their lower-case form (the first spelling wins).

    The parser lower-cases tags (RDF 1.1 compares them case-insensitively); outputs use
    this map to write each tag as its author did (``en-GB``, not ``en-gb``).  A cheap
    scan: a tag is ``@tag`` right after a closing quote; only tags that differ from
    their lower-case form are kept.
    """
    found: dict[str, str] = {}
    for m in _TAG_AFTER_STRING.finditer(text):
        tag = m.group(1)[1:]
        low = tag.lower()
        if tag != low and low not in found:
            found[low] = tag
    return found


# --- statements and the role of each token (fmt places comments by them) ---------------------------


@dataclass
class Statement:
    kind: str  # directive | statement
    first: int
    last: int
    blank_subject: bool = False


@dataclass
class TokenRole:
    unit: int
    depth: int = 0
    role: str = ""  # subject, verb, object, punct, nested
    verb: tuple[int, int] | None = None  # token index range of the verb
    obj: tuple[int, int] | None = None  # token index range of a term object (None for [ ] and ( ))


def statements(code: list) -> list[Statement]:
    """Split a file's code tokens (:func:`tokens` without the comments) into directives and statements."""
    units: list[Statement] = []
    i, n = 0, len(code)
    while i < n:
        t = code[i]
        low = t.text.lower() if t.kind == "word" else ""
        if low in ("@prefix", "prefix", "@base", "base"):
            want = 3 if low.endswith("prefix") else 2
            j = i + want - 1
            if low.startswith("@") and j + 1 < n and code[j + 1].kind == "dot":
                j += 1
            units.append(Statement("directive", i, min(j, n - 1)))
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
        units.append(Statement("statement", i, min(j, n - 1), blank_subject=blank))
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


def _skip_nested(code: list, k: int, last: int) -> int:
    """Index of the token closing the ``[`` or ``(`` at ``k`` (``last`` when it is not closed)."""
    d = 0
    while k <= last:
        t = code[k]
        if t.kind == "punct" and t.text in "[(":
            d += 1
        elif t.kind == "punct" and t.text in "])":
            d -= 1
            if d == 0:
                return k
        k += 1
    return last


def roles(code: list, units: list[Statement]) -> list[TokenRole]:
    """For each code token: its statement, nesting depth, role, and the verb/object it belongs to."""
    info = [TokenRole(unit=-1) for _ in code]
    for ui, u in enumerate(units):
        for k in range(u.first, u.last + 1):
            info[k].unit = ui
        if u.kind != "statement":
            continue
        i = u.first
        depth = 0

        # subject
        if code[i].kind == "punct" and code[i].text in "[(":
            end = _skip_nested(code, i, u.last)
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
                end = _skip_nested(code, i, u.last)
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
