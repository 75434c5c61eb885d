"""The domain model: a vocabulary's concepts, the one label picker and the one subject index.

(Named ``model``, not ``concepts``: a submodule ``sst_vocab.concepts`` would replace the public
function ``sst_vocab.concepts()`` as soon as it was imported.)

Everything that shows a resource by its label (the Python API, the CSV export, ``review``,
``diff``, ``add``/``deprecate``, the lookups, the site, validate's messages) picks that label
with :func:`best_text` under one rule (:func:`language_key`), and reads subjects through
:class:`SubjectIndex` (subject -> predicate IRI -> objects).  :class:`Concept` is a
``skos:Concept`` flattened for programs (:func:`concepts_of`).

Cheap to import: pure Python over the terms of a store.  pyoxigraph is imported only inside
the functions that build terms; this module imports nothing but :mod:`sst_vocab.namespaces`.

The label rule
--------------
A preference is one BCP 47 language tag ``want`` (default ``en``); tags are compared
case-insensitively (RFC 5646 section 2.1.1), subtag by subtag.  A value's tag ranks:

0. the tag ``want`` itself (``en`` for ``en``; ``en-GB`` for ``en-GB``);
1. a tag with the same primary language (``en-GB``, ``en-US`` or ``en-GB-oxendict`` for ``en``;
   ``en`` or ``en-US`` for ``en-GB``), ranked among themselves by
   a. more leading subtags shared with ``want`` first (for ``en-GB-oxendict``: ``en-GB`` before
      ``en``, as RFC 4647 lookup truncates the request; for ``zh-Hant``: ``zh-Hant-TW`` before
      ``zh``),
   b. then fewer subtags (the more general tag: for ``en-GB``, ``en`` before ``en-US``; for
      ``en``, ``en-US`` before ``en-GB-oxendict``),
   c. then the tag in alphabetical order (``en-AU`` < ``en-GB`` < ``en-US``: no regional variety
      is favoured over another; the order is only there to be stable);
2. no tag (a plain string);
3. any other tag, in alphabetical order.

Between values with the same tag, the smallest text (code-point order) comes first.  This is a
total order on (tag, text), so the pick never depends on the order of the triples in a file.

Which *properties* give a label is the caller's choice (``SubjectIndex.label(node, props)``):
the first property in its list that has a literal wins, then the rule above picks among its
values.  A ``skos:prefLabel`` in any language is a better name than an ``rdfs:label``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence, TypeVar

from .namespaces import DCT, OWL, RDF_TYPE, SKOS, STATUS_PROPS

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Vocabulary

__all__ = [
    "Concept",
    "PREF_LABEL",
    "SubjectIndex",
    "best_text",
    "concepts_of",
    "in_best_language",
    "language_key",
    "named_node",
    "ranked_texts",
    "term_kind",
    "text_key",
]

T = TypeVar("T")

PREF_LABEL = SKOS + "prefLabel"
_MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


# ---------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------


def term_kind(term: Any) -> str:
    """``"NamedNode"``, ``"BlankNode"`` or ``"Literal"`` for a pyoxigraph term (no import needed)."""
    return type(term).__name__


def named_node(iri: str) -> Any:
    """``pyoxigraph.NamedNode(iri)`` (pyoxigraph imported on first use)."""
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _tag(text: Any) -> str:
    """The language tag of a literal (pyoxigraph's ``.language``) or of a ``(value, lang)`` record
    with ``.lang`` (the site's ``Text``); ``""`` for none."""
    tag = getattr(text, "language", None)
    if tag is None:
        tag = getattr(text, "lang", None)
    return tag or ""


# ---------------------------------------------------------------------------
# The label picker
# ---------------------------------------------------------------------------


def language_key(tag: str | None, want: str = "en") -> tuple:
    """Sort key of the language tag ``tag`` for the preference ``want``: smaller is better.

    The rule is in the module's docstring; ``None`` and ``""`` mean no tag.
    """
    have = (tag or "").lower()
    wanted = want.lower()
    if have == wanted:
        return (0,)
    if not have:
        return (2,)
    subtags, wanted_subtags = have.split("-"), wanted.split("-")
    if subtags[0] != wanted_subtags[0]:
        return (3, have)
    shared = 0
    for a, b in zip(subtags, wanted_subtags):
        if a != b:
            break
        shared += 1
    return (1, -shared, len(subtags), have)


def text_key(text: Any, want: str = "en") -> tuple:
    """Sort key of one literal (anything with ``.value`` and ``.language`` or ``.lang``): the
    language rank of its tag, then its text."""
    return language_key(_tag(text), want) + (text.value,)


def ranked_texts(texts: Iterable[T], want: str = "en") -> list[T]:
    """The literals, best first (see the module's docstring)."""
    return sorted(texts, key=lambda t: text_key(t, want))


def best_text(texts: Iterable[T], want: str = "en") -> T | None:
    """The best literal for the language ``want``, or None when there is none."""
    return min(texts, key=lambda t: text_key(t, want), default=None)


def in_best_language(texts: Iterable[T], want: str = "en") -> list[T]:
    """Every literal in the best-ranked tag (all alternative labels in one language), by text."""
    ranked = ranked_texts(texts, want)
    if not ranked:
        return []
    tag = _tag(ranked[0]).lower()
    return [t for t in ranked if _tag(t).lower() == tag]


# ---------------------------------------------------------------------------
# The subject index
# ---------------------------------------------------------------------------


class SubjectIndex:
    """Subject -> predicate IRI -> objects of some triples (a store's default graph, or any
    iterable of quads or triples), with the lookups the editing and reporting commands share.

    Terms are pyoxigraph terms; objects keep the order of the input.
    """

    def __init__(self, triples: Iterable[Any]) -> None:
        self.props: dict[Any, dict[str, list]] = {}
        for t in triples:
            self.props.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def get(self, node: Any, prop: str) -> list:
        """The objects of ``node``'s ``prop`` (empty when none)."""
        return self.props.get(node, {}).get(prop, [])

    def iris(self, node: Any, prop: str) -> list[str]:
        """The IRIs among ``node``'s ``prop`` values, sorted."""
        return sorted(o.value for o in self.get(node, prop) if term_kind(o) == "NamedNode")

    def literals(self, node: Any, prop: str) -> list:
        """The literal values of ``node``'s ``prop``."""
        return [o for o in self.get(node, prop) if term_kind(o) == "Literal"]

    def literal(self, node: Any, prop: str, want: str = "en") -> str | None:
        """The text of the best literal of ``prop`` for the language ``want`` (see :func:`best_text`)."""
        best = best_text(self.literals(node, prop), want)
        return best.value if best is not None else None

    def label(self, node: Any, props: Sequence[str] = (PREF_LABEL,), want: str = "en") -> str | None:
        """``node``'s label: the first of ``props`` that has a literal, its best value for ``want``."""
        for prop in props:
            text = self.literal(node, prop, want)
            if text is not None:
                return text
        return None

    def types(self, node: Any) -> set[str]:
        """The IRIs of ``node``'s ``rdf:type`` values."""
        return {o.value for o in self.get(node, RDF_TYPE) if term_kind(o) == "NamedNode"}

    def subjects_of_type(self, cls: str) -> list:
        """The IRI subjects typed ``cls``, in the order first seen."""
        return [s for s, pm in self.props.items()
                if term_kind(s) == "NamedNode" and any(term_kind(o) == "NamedNode" and o.value == cls
                                                       for o in pm.get(RDF_TYPE, []))]

    def is_deprecated(self, node: Any) -> bool:
        """``owl:deprecated true`` (or ``1``) on ``node``."""
        return any(term_kind(o) == "Literal" and o.value.lower() in ("true", "1")
                   for o in self.get(node, OWL + "deprecated"))


# ---------------------------------------------------------------------------
# Concepts
# ---------------------------------------------------------------------------


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


def concepts_of(vocab: "Vocabulary", *, lang: str = "en") -> list[Concept]:
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
    NamedNode, Literal, BlankNode = ox.NamedNode, ox.Literal, ox.BlankNode
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
        elif p == SKOS + "notation" or p in STATUS_PROPS or p == DCT + "source":
            if not isinstance(o, BlankNode):
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
