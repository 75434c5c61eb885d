"""Turtle, N-Triples and RDF/XML: pyoxigraph's serializers on the sorted triples, with language
tags as written, numbers and escaped names a reader would change made safe, and what RDF/XML
cannot carry refused."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import VocabError

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from ..loader import Vocabulary

__all__ = ["to_rdf"]


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_NAME_AT_END = re.compile(r"[^\W\d][\w.-]*$")


def _check_rdfxml(quads: list[ox.Quad]) -> None:
    """Refuse what RDF/XML cannot carry (pyoxigraph would write an ill-formed document)."""
    import pyoxigraph as ox

    for q in quads:
        p = q.predicate.value
        if not _XML_NAME_AT_END.search(p):
            raise VocabError(f"cannot be written as RDF/XML: the property <{p}> does not end in an XML name")
        o = q.object
        if isinstance(o, ox.Literal) and _XML_FORBIDDEN.search(o.value):
            raise VocabError(
                f"cannot be written as RDF/XML: a value of {q.subject} <{p}> contains a control "
                "character, which XML 1.0 cannot carry"
            )


def to_rdf(vocab: Vocabulary, fmt: str) -> bytes:
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
    source = vocab.source
    quads = source.ordered()
    prefixes = None if fmt == "ntriples" else source.prefixes
    if fmt == "rdfxml":
        _check_rdfxml(quads)
        # XML namespace prefixes must be XML names (Turtle allows more); the others get generated ones
        prefixes = {
            k: v
            for k, v in (prefixes or {}).items()
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", k) and not k.lower().startswith("xml")
        }
    try:
        out = ox.serialize((q.triple for q in quads), format=formats[fmt], prefixes=prefixes)
    except (ValueError, OSError) as exc:
        raise VocabError(f"cannot be written as {fmt}: {exc}") from exc
    assert out is not None  # no output file given: serialize returns the bytes
    if not out.endswith(b"\n"):
        out += b"\n"
    if fmt == "rdfxml":
        out = _fix_rdfxml(out, source.tags)
    else:
        out = _fix_turtle(out, source.tags, numbers=fmt == "turtle", prefixes=prefixes, quads=quads)
    if fmt == "rdfxml":
        import xml.parsers.expat

        try:  # a safety net: never hand out ill-formed XML
            xml.parsers.expat.ParserCreate().Parse(out, True)
        except xml.parsers.expat.ExpatError as exc:
            raise VocabError(f"cannot be written as RDF/XML: the serializer produced ill-formed XML ({exc})") from exc
    if fmt == "turtle" and prefixes:
        # pyoxigraph orders the @prefix lines by namespace length: put them in name order.
        lines = out.split(b"\n")
        n = 0
        while n < len(lines) and lines[n].startswith(b"@prefix "):
            n += 1
        out = b"\n".join(sorted(lines[:n]) + [b""] + lines[n:])
    return out


# In pyoxigraph's Turtle: a literal (short strings only: the serializer escapes line breaks), an
# IRI, a prefixed name with \-escapes, or a bare number (terms start after white space).
_TURTLE_TERMS = re.compile(
    r'(?P<lit>"(?:[^"\\\n\r]|\\.)*")(?P<tag>@[A-Za-z0-9\-]+)?'
    r"|(?P<iri><[^>]*>)"
    r"|(?<!\S)(?P<pfx>[^\s:\\\"<>]*):(?P<local>(?:[^\s\\;,()\[\]\"<>]|\\.)*\\.(?:[^\s\\;,()\[\]\"<>]|\\.)*)"
    r"|(?<!\S)(?P<num>[+-]?(?:[0-9]+\.[0-9]+|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?)(?![^\s;,)\]])"
)
_XML_TAG = re.compile(r'<(?:[^<>"]|"[^"]*")*>')
_XML_LANG = re.compile(r'xml:lang="([^"]*)"')
_XSD = "http://www.w3.org/2001/XMLSchema#"


_LOCAL_ESCAPE = re.compile(rb"\\[_~.\-!$&()*+,;=/?#@%]")
_NUMERIC_TYPES = (_XSD + "integer", _XSD + "decimal", _XSD + "double")


def _odd_numbers(quads) -> bool:
    """Does some number have a lexical form that the serializer would write bare and a reader change?"""
    import pyoxigraph as ox

    from ..fmt import bare_number

    Literal = ox.Literal
    for q in quads:
        o = q.object
        if isinstance(o, Literal):
            dt = o.datatype.value
            if dt in _NUMERIC_TYPES and not bare_number(o.value, dt):
                return True
    return False


def _fix_turtle(
    out: bytes, tags: dict[str, str], numbers: bool, prefixes: dict[str, str] | None = None, quads: list | None = None
) -> bytes:
    """pyoxigraph's N-Triples/Turtle, with language tags as written and, in Turtle, a bare number
    quoted (``"+1"^^xsd:integer``) when a reader would change its lexical form, and a prefixed
    name with ``\\``-escapes (``p:a\\,b``, legal but misread by rdflib) written as a full IRI."""
    if not tags and not numbers:
        return out
    # The full scan costs ~0.7 s per MB (a Python call per term): run it only when something needs it.
    # A \-escape of a local name never occurs inside the serializer's strings (not an ECHAR).
    escapes = numbers and _LOCAL_ESCAPE.search(out) is not None
    if not tags and not escapes and not (numbers and _odd_numbers(quads)):
        return out
    from ..fmt import _escape_iri, bare_number
    from ..turtle_lex import unescape_local

    def fix(m: re.Match) -> str:
        if m.group("lit") is not None:
            tag = m.group("tag")
            if tag and tag[1:] in tags:
                return m.group("lit") + "@" + tags[tag[1:]]
            return m.group()
        if m.group("local") is not None:
            ns = (prefixes or {}).get(m.group("pfx"))
            return m.group() if ns is None else "<" + _escape_iri(ns + unescape_local(m.group("local"))) + ">"
        num = m.group("num")
        if num is None or not numbers:
            return m.group()
        dt = _XSD + ("double" if "e" in num.lower() else "decimal" if "." in num else "integer")
        return num if bare_number(num, dt) else f'"{num}"^^<{dt}>'

    return _TURTLE_TERMS.sub(fix, out.decode("utf-8")).encode("utf-8")


def _fix_rdfxml(out: bytes, tags: dict[str, str]) -> bytes:
    """pyoxigraph's RDF/XML, with carriage returns as ``&#13;`` (an XML reader turns a raw one
    into a line feed) and language tags as written."""
    out = out.replace(b"\r", b"&#13;")
    if tags:

        def tag(m: re.Match) -> str:
            return _XML_LANG.sub(lambda a: f'xml:lang="{tags.get(a.group(1), a.group(1))}"', m.group())

        out = _XML_TAG.sub(tag, out.decode("utf-8")).encode("utf-8")
    return out
