"""Bindings: text -> RDF term -> VALUES block (never pasted into the query text)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..errors import VocabError
from ..namespaces import PREFIXES
from .catalogue import NamedQuery
from .common import ArgumentError
from .scan import Scan, token_kinds

_ABSOLUTE_IRI = re.compile(r"(?i)(?:https?|urn):\S")
_CURIE = re.compile(r"([A-Za-z][\w.-]*)?:(\S*)")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def to_term(value: str, prefixes: Mapping[str, str] = PREFIXES, kind: str | None = None, name: str = "value"):
    """The RDF term a ``--bind`` value stands for.

    ``<IRI>``, an absolute IRI (``http:``, ``https:``, ``urn:``) or a CURIE with a known
    prefix is an IRI; anything else is a plain literal.  A parameter declared ``text``
    is always a literal; one declared ``IRI`` must be an IRI.
    """
    import pyoxigraph as ox

    if kind == "text":
        return ox.Literal(value)
    iri = None
    explicit = value.startswith("<") and value.endswith(">") and len(value) > 2
    if explicit:
        iri = value[1:-1]
    elif _ABSOLUTE_IRI.match(value):
        iri = value
    else:
        m = _CURIE.fullmatch(value)
        if m and (m.group(1) or "") in prefixes and not m.group(2).startswith("//"):
            iri = prefixes[m.group(1) or ""] + m.group(2)
    if iri is not None:
        try:
            return ox.NamedNode(iri)
        except ValueError as exc:
            if explicit or kind == "IRI":
                raise VocabError(f"?{name}: {value!r} is not a valid IRI ({exc})") from exc
    if kind == "IRI":
        known = ", ".join(sorted(p + ":" for p in prefixes if p))
        raise VocabError(
            f"?{name} takes an IRI: an absolute IRI (http:, https:, urn:), <IRI>, or a CURIE with a known prefix "
            f"({known}); {value!r} is none of these"
        )
    return ox.Literal(value)


def parse_binds(binds: Iterable[str]) -> list[tuple[str, str]]:
    """``VAR=VALUE`` strings (``?VAR=`` and ``$VAR=`` too) as (name, value) pairs."""
    pairs: list[tuple[str, str]] = []
    seen = set()
    for item in binds:
        name, sep, value = item.partition("=")
        name = name.strip()
        if name[:1] in "?$":
            name = name[1:]
        if not sep or not _VAR_NAME.fullmatch(name):
            raise ArgumentError(f"a binding is VAR=VALUE, not {item!r}.", ("binds",), example="concept=sst:security")
        if name in seen:
            raise VocabError(f"?{name} is bound twice")
        seen.add(name)
        pairs.append((name, value))
    return pairs


def bind(query: NamedQuery, scan: Scan, pairs: Sequence[tuple[str, str]], prefixes: Mapping[str, str]) -> dict:
    """Check the pairs against the query's parameters and turn each value into an RDF term."""
    if query.params is None:
        kinds: dict[str, str | None] = dict.fromkeys(scan.variables)
        for pname, _ in pairs:
            if pname not in kinds:
                known = ", ".join("?" + v for v in sorted(scan.variables)) or "none"
                raise VocabError(f"?{pname} does not appear in the query (its variables: {known})", path=query.path)
    else:
        kinds = {p.name: p.kind for p in query.params}
        takes = ", ".join("?" + p.name for p in query.params) or "no parameters"
        for pname, _ in pairs:
            if pname not in kinds:
                raise VocabError(f"unknown parameter ?{pname} for query '{query.name}' (it takes {takes})")
        given = {pname for pname, _ in pairs}
        for p in query.params:
            if p.required and p.name not in given:
                raise ArgumentError(
                    f"query '{query.name}' needs ?{p.name} ({p.kind}): {p.description}.".replace("..", "."),
                    ("binds",),
                    example=f"{p.name}={p.example}" if p.example else None,
                )
    return {pname: to_term(value, prefixes, kinds.get(pname), pname) for pname, value in pairs}


def _sparql_term(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        if re.search(r'[<>"{}|^`\\\x00-\x20]', term.value):  # NamedNode already refuses these
            raise VocabError(f"not a valid IRI: {term.value!r}")
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return str(term)  # N-Triples form: quotes, backslashes and line breaks escaped
    raise VocabError(f"cannot bind {term!r}: only IRIs and literals can be bound")


def values_block(bindings: Mapping[str, Any]) -> str:
    """``VALUES (?a ?b) { (term term) }`` for one row of bindings, verified token by token."""
    names = list(bindings)
    for n in names:
        if not _VAR_NAME.fullmatch(n):
            raise VocabError(f"not a variable name: {n!r}")
    terms = [_sparql_term(t) for t in bindings.values()]
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
    # The block must read back as exactly: VALUES ( vars ) { ( terms ) }.
    kinds = token_kinds(block)
    term_kinds = [k for t in terms for k in token_kinds(t)]
    expected = ["word", "punct", *["var"] * len(names), "punct", "brace", "punct", *term_kinds, "punct", "brace"]
    allowed = {"iri", "string", "lang", "punct"}  # punct: the two ^ of a typed literal's ^^
    if kinds != expected or not set(term_kinds) <= allowed:
        raise VocabError("internal error: a binding did not serialize to a single RDF term")
    return block


def with_values(text: str, scan: Scan, bindings: Mapping[str, Any], where: str | None = None) -> str:
    """The query with the bindings as a VALUES block at the start of its WHERE group."""
    if not bindings:
        return text
    if scan.short_construct:
        raise VocabError(
            "the short form CONSTRUCT WHERE { ... } cannot take bindings; write CONSTRUCT { ... } WHERE { ... }",
            path=where,
        )
    if scan.where is None:
        raise VocabError("this query has no WHERE clause to bind variables in", path=where)
    return f"{text[: scan.where]} {values_block(bindings)} {text[scan.where :]}"
