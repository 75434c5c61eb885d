"""Literals as written: lexical forms checked for sh:datatype, and the literals the store rewrote."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from ..namespaces import XSD
from .model import _is_blank, _is_literal

# -- lexical forms, for sh:datatype on what the store cannot tell apart -------------------------
_INT_RANGES = {
    "integer": (None, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "negativeInteger": (None, -1),
    "nonPositiveInteger": (None, 0),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_TZ = r"(Z|[+-]\d\d:\d\d)?"
_LEXICAL = {
    "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    "float": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    "double": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    "boolean": r"true|false|1|0",
    "date": r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + _TZ,
    "dateTime": r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-4]):[0-5]\d:[0-5]\d(\.\d+)?" + _TZ,
    "time": r"([01]\d|2[0-4]):[0-5]\d:[0-5]\d(\.\d+)?" + _TZ,
    "gYear": r"-?\d{4,}" + _TZ,
    "gYearMonth": r"-?\d{4,}-(0[1-9]|1[0-2])" + _TZ,
    "duration": r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?",
}


def _lexical_ok(lit, datatype: str) -> bool:
    """Is ``lit`` a well-formed literal of ``datatype``?  (Datatypes not known here: any form.)"""
    if not _is_literal(lit) or lit.datatype.value != datatype:
        return False
    if datatype == XSD + "string":
        return not lit.language
    if not datatype.startswith(XSD):
        return True
    name, text = datatype[len(XSD) :], lit.value
    if name in _INT_RANGES:
        if re.fullmatch(r"[+-]?\d+", text.strip()) is None:
            return False
        lo, hi = _INT_RANGES[name]
        n = int(text)
        return (lo is None or n >= lo) and (hi is None or n <= hi)
    if name in _LEXICAL:
        if re.fullmatch(_LEXICAL[name], text.strip()) is None:
            return False
        if name == "decimal":
            try:
                Decimal(text)
            except InvalidOperation:  # pragma: no cover
                return False
        return True
    return True


# -- the literals as written ---------------------------------------------------------------
def exact_literals(quads: Iterable) -> dict:
    """(subject or None for a blank node, predicate, literal as stored) -> [literal as written].

    Only the literals the store changes (``"12"^^xsd:int`` is stored as ``"12"^^xsd:integer``,
    ``"1"^^xsd:boolean`` as ``"true"``, ``"01"`` as ``"1"``) are listed; empty when none is.
    ``quads`` are the data's triples as parsed (exact terms).
    """
    import pyoxigraph as ox

    typed = [
        q
        for q in quads
        if _is_literal(q.object)
        and not q.object.language
        and q.object.datatype.value.startswith(XSD)
        and q.object.datatype.value != XSD + "string"
    ]
    if not typed:
        return {}
    scratch = ox.Store()
    p = ox.NamedNode("urn:x-sst-vocab:p")
    scratch.extend([ox.Quad(ox.NamedNode(f"urn:x-sst-vocab:{i}"), p, q.object) for i, q in enumerate(typed)])
    out: dict = {}
    for quad in scratch.quads_for_pattern(None, p, None):
        assert isinstance(quad.subject, ox.NamedNode)  # the subjects made above
        i = int(quad.subject.value.rsplit(":", 1)[1])
        original = typed[i]
        if quad.object != original.object:
            key = (None if _is_blank(original.subject) else original.subject, original.predicate, quad.object)
            out.setdefault(key, [])
            if original.object not in out[key]:
                out[key].append(original.object)
    return out


# Typed literals the store rewrites ("12"^^xsd:int is kept as "12"^^xsd:integer, "1"^^xsd:boolean as
# "true"): when a file has one, the literals as written are read again for sh:datatype and the report.
_REWRITTEN = re.compile(
    rb"\^\^\s*(?:xsd:|<http://www\.w3\.org/2001/XMLSchema#)(?:int|long|short|byte|nonNegativeInteger|positiveInteger"
    rb"|negativeInteger|nonPositiveInteger|unsigned[A-Za-z]+|integer|decimal|boolean|float|double)\b"
)


def exact_as_written(vocab) -> dict:
    """:func:`exact_literals` of a vocabulary, or {} when no file has a literal the store rewrites."""
    if not any(_REWRITTEN.search(text.encode("utf-8")) for text in vocab.texts.values()):
        return {}
    return exact_literals(vocab.source.quads)
