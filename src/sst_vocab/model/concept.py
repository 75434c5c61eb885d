"""A ``skos:Concept`` flattened for programs: :class:`Concept` and :func:`concepts_of`.

What the Python API (:mod:`sst_vocab.api`) and the CSV export return.  Labels and
definitions are picked by the label rule of :mod:`sst_vocab.model`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..namespaces import DCT, RDF_TYPE, SKOS, STATUS_PROPS
from . import best_text, in_best_language

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

__all__ = ["Concept", "concepts_of"]

_MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


@dataclass(frozen=True)
class Concept:
    """One ``skos:Concept``, flattened for programs.

    Text fields (``pref_label``, ``alt_labels``, ``definition``) are in the requested language,
    picked by the label rule of :mod:`sst_vocab.model` (default ``en``: ``en``, then a
    regional ``en-*`` tag, then untagged, then the alphabetically first language present);
    ``alt_labels`` are all those in the best language.  ``pref_labels`` has every language
    (``""`` for an untagged label).  ``broader``, ``narrower`` and ``related`` are IRIs,
    sorted, whichever direction the data states them in.

    Example::

        >>> from sst_vocab import concept
        >>> c = concept("Security")
        >>> c.pref_label, c.narrower
        ('Security', ())
    """

    iri: str
    pref_label: str | None
    pref_labels: dict[str, str] = field(default_factory=dict)
    alt_labels: tuple[str, ...] = ()
    definition: str | None = None
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    notations: tuple[str, ...] = ()
    #: SKOS mapping links by property name (``exactMatch``, ``closeMatch``, ...), only those present.
    mappings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The registry status IRI (``reg:status`` or ``adms:status``), if any.
    status: str | None = None
    #: ``dcterms:source`` values: IRIs or text.
    source: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return hash(self.iri)


def concepts_of(vocab: Vocabulary, *, lang: str = "en") -> list[Concept]:
    """Every ``skos:Concept`` of a loaded vocabulary, sorted by IRI, its texts as written
    (``vocab.source``: lexical forms kept)."""
    import pyoxigraph as ox

    texts: dict[str, dict[str, list]] = {}  # subject -> property -> literals
    links: dict[str, dict[str, set[str]]] = {}  # subject -> property -> IRIs
    other: dict[str, dict[str, list[str]]] = {}  # subject -> property -> values
    is_concept: set[str] = set()
    text_props = {SKOS + p: p for p in ("prefLabel", "altLabel", "definition")}
    link_props = {SKOS + p: p for p in ("broader", "narrower", "related", "inScheme", "topConceptOf") + _MATCHES}
    inverses = {"broader": "narrower", "narrower": "broader", "related": "related"}
    NamedNode, Literal = ox.NamedNode, ox.Literal
    for q in vocab.source.quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, NamedNode):
            continue
        sv = s.value
        if p == RDF_TYPE:
            if isinstance(o, NamedNode) and o.value == SKOS + "Concept":
                is_concept.add(sv)
        elif p in text_props:
            if isinstance(o, Literal):
                texts.setdefault(sv, {}).setdefault(text_props[p], []).append(o)
        elif p in link_props:
            if isinstance(o, NamedNode):
                name = link_props[p]
                links.setdefault(sv, {}).setdefault(name, set()).add(o.value)
                inverse = inverses.get(name)
                if inverse:
                    links.setdefault(o.value, {}).setdefault(inverse, set()).add(sv)
        elif (p == SKOS + "notation" or p in STATUS_PROPS or p == DCT + "source") and isinstance(
            o, (NamedNode, Literal)
        ):
            other.setdefault(sv, {}).setdefault(p, []).append(o.value)

    out = []
    for iri in sorted(is_concept):
        t = texts.get(iri, {})
        li = links.get(iri, {})
        ot = other.get(iri, {})
        pref = best_text(t.get("prefLabel", ()), lang)
        definition = best_text(t.get("definition", ()), lang)
        labels: dict[str, str] = {}
        for label in sorted(t.get("prefLabel", ()), key=lambda x: (x.language or "", x.value)):
            labels.setdefault(label.language or "", label.value)
        status = sorted(ot.get(STATUS_PROPS[0], [])) or sorted(ot.get(STATUS_PROPS[1], []))
        out.append(
            Concept(
                iri=iri,
                pref_label=pref.value if pref is not None else None,
                pref_labels=labels,
                alt_labels=tuple(a.value for a in in_best_language(t.get("altLabel", ()), lang)),
                definition=definition.value if definition is not None else None,
                broader=tuple(sorted(li.get("broader", ()))),
                narrower=tuple(sorted(li.get("narrower", ()))),
                related=tuple(sorted(li.get("related", set()) - {iri})),
                schemes=tuple(sorted(li.get("inScheme", set()) | li.get("topConceptOf", set()))),
                notations=tuple(sorted(ot.get(SKOS + "notation", []))),
                mappings={m: tuple(sorted(li[m])) for m in _MATCHES if m in li},
                status=status[0] if status else None,
                source=tuple(sorted(ot.get(DCT + "source", []))),
            )
        )
    return out
