"""Writing one RDF term as Turtle: prefixed names, IRIs, literals and their escapes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..namespaces import PREFIXES, XSD

if TYPE_CHECKING:  # pragma: no cover
    from .writer import _Writer

_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")
_PREFIX_NAME = re.compile(r"(?:[A-Za-z](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?")


def _kind(term) -> str:
    return type(term).__name__  # NamedNode, BlankNode, Literal


def _term_key(term) -> str:
    """A hashable, parse-independent key for a term (blank nodes are never anchors)."""
    if isinstance(term, str):
        return "<" + term + ">"
    if _kind(term) == "NamedNode":
        return "<" + term.value + ">"
    return str(term)


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
                if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns) :]):
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
