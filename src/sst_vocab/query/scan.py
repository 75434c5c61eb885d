"""The scanner: refusals, variables, prefixes, where the WHERE group starts."""

from __future__ import annotations

import re

from ..errors import VocabError
from .common import ArgumentError, Record

# Name characters.  A variable, the local part of a prefixed name and a blank node label
# are the only code not searched for forbidden keywords, so none of these tokens may
# end before pyoxigraph's own token does (else a keyword after it would go unseen).
# Ours are as long or longer: \w (letters, digits, _) agrees with the grammar on
# ASCII, and a non-ASCII \w character outside the grammar's PN_CHARS is a syntax
# error for pyoxigraph, never a token boundary; a local name may take a final "."
# (the grammar leaves it to the statement), which hides nothing.  What a local name
# must not do is start with "." ("a:.SERVICE" is "a:" "." "SERVICE").  The exact
# Unicode ranges of the grammar take ~40 ms to compile: too slow here.
_PLX = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = rf"(?:[\w:%]|{_PLX})(?:[\w:%\-.\u00b7]|{_PLX})*+"
_VARNAME = r"\w[\w\u00b7]*"

# The SPARQL 1.1 terminals, tried in this order at each position (the grammar's
# longest-match where it matters: long strings before short ones, names before words,
# "?x" before "?", "<iri>" before "<").  A character that starts none of them is
# skipped, like a one-character token (an explicit catch-all "." would make this take
# 10 ms to compile instead of 1).  The prefix of a prefixed name is possessive so that
# a plain word fails at once instead of backtracking.
_TOKEN = re.compile(
    rf"""
     (?P<ws>\s+)
    |(?P<comment>\#[^\n\r]*)
    |(?P<brace>[{{}}])
    |(?P<punct>[()\[\];,*+/|^!=&])
    |(?P<var>[?$]{_VARNAME})
    |(?P<pname>(?P<prefix>[^\W\d_][\w\-.\u00b7]*+)?:(?:{_PN_LOCAL})?)
    |(?P<bnode>_:\w[\w\-.\u00b7]*+)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
    |(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    |(?P<op>\^\^|\|\||&&|!=|<=|>=|[.?$@<>-])
    """,
    re.X | re.S,
)

# Searched as substrings of every bare word, prefix name and language tag, because
# pyoxigraph's parser splits "trueSERVICE" or "SERVICEex:x" into a keyword and a name.
# No SPARQL keyword or function contains one of these.
_FORBIDDEN = re.compile(r"SERVICE|FROM|INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH|USING", re.I)
_REASONS = {
    "SERVICE": "SERVICE (a federated query) would send part of the query to another server; "
    "queries run on the vocabulary only",
    "FROM": "FROM / FROM NAMED would read a graph other than the vocabulary; queries always run on the "
    "loaded vocabulary",
    "LOAD": "LOAD would fetch and insert data; queries are read-only",
}
_UPDATE_REASON = "SPARQL Update ({word}) would change the data; queries are read-only"


class Scan(Record):
    """What the scanner learnt about a query that passed :func:`check`."""

    __slots__ = ("variables", "prefixes", "used_prefixes", "form", "where", "short_construct")
    variables: frozenset[str]
    prefixes: dict[str, str]  # declared with PREFIX
    used_prefixes: frozenset[str]
    form: str | None  # SELECT, ASK, CONSTRUCT or DESCRIBE (first keyword found)
    where: int | None  # offset just after the "{" that opens the WHERE group
    short_construct: bool  # CONSTRUCT WHERE { ... }


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _refuse(text: str, offset: int, word: str, where: str | None) -> None:
    word = word.upper()
    line, column = _position(text, offset)
    reason = _REASONS.get(word) or _UPDATE_REASON.format(word=word)
    if word == "FROM":  # the files to read are chosen by the caller
        raise ArgumentError(f"column {column}: {word} is refused: {reason}", ("paths",), path=where, line=line)
    raise VocabError(f"column {column}: {word} is refused: {reason}", path=where, line=line)


def check(text: str, where: str | None = None) -> Scan:
    """Refuse updates, SERVICE, FROM/FROM NAMED and LOAD (VocabError with line and column); else scan."""
    variables: set[str] = set()
    declared: dict[str, str] = {}
    used: set[str] = set()
    form = None
    depth = 0
    top_braces: list[int] = []
    where_at: int | None = None
    saw_where = False
    construct_then_where = False
    previous_word: str | None = None
    pending_prefix: str | None = None
    forbidden = _FORBIDDEN.search
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "ws" or kind == "comment":
            continue
        if kind == "brace":
            if m.group() == "{":
                if depth == 0:
                    top_braces.append(m.end())
                    if saw_where and where_at is None:
                        where_at = m.end()
                depth += 1
            elif depth:
                depth -= 1
            previous_word = None
        elif kind == "word":
            value = m.group()
            hit = forbidden(value)
            if hit:
                _refuse(text, m.start() + hit.start(), hit.group(), where)
            upper = value.upper()
            if depth == 0:
                if form is None and upper in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                    form = upper
                elif upper == "WHERE":
                    saw_where = True
                    construct_then_where = form == "CONSTRUCT" and previous_word == "CONSTRUCT"
            previous_word = upper
        elif kind == "var":
            variables.add(m.group()[1:])
            previous_word = None
        elif kind == "pname":
            prefix = m.group("prefix") or ""
            hit = forbidden(prefix) if prefix else None
            if hit:
                _refuse(text, m.start() + hit.start(), hit.group(), where)
            if previous_word == "PREFIX" and m.end() - m.start() == len(prefix) + 1:
                pending_prefix = prefix
            else:
                used.add(prefix)
            previous_word = None
        else:
            if kind == "iri" and pending_prefix is not None:
                declared.setdefault(pending_prefix, m.group()[1:-1])
                pending_prefix = None
            elif kind == "lang":
                hit = forbidden(m.group())
                if hit:
                    _refuse(text, m.start() + hit.start(), hit.group(), where)
            previous_word = None
    if where_at is None and not saw_where and top_braces:
        # WHERE is optional: the group is the first top-level one (the second after a CONSTRUCT template).
        index = 1 if form == "CONSTRUCT" else 0
        if len(top_braces) > index:
            where_at = top_braces[index]
    return Scan(frozenset(variables), declared, frozenset(used), form, where_at, construct_then_where)


def token_kinds(text: str) -> list[str | None]:
    """Token kinds, with None for any character no token covers."""
    kinds: list[str | None] = []
    at = 0
    for m in _TOKEN.finditer(text):
        if m.start() > at:
            kinds.append(None)
        at = m.end()
        if m.lastgroup != "ws":
            kinds.append(m.lastgroup)
    if at < len(text):
        kinds.append(None)
    return kinds
