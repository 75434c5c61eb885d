"""The domain model: a vocabulary's concepts, the one label picker and the one subject index.

(Named ``model``, not ``concepts``: a submodule ``sst_vocab.concepts`` would replace the public
function ``sst_vocab.concepts()`` as soon as it was imported.)

Everything that shows a resource by its label (the Python API, the CSV export, ``review``,
``diff``, ``add``/``deprecate``, the lookups, the site, validate's messages) picks that label
with :func:`best_text` under one rule (:func:`language_key`), and reads subjects through
:class:`SubjectIndex` (subject -> predicate IRI -> objects).  :class:`Concept` is a
``skos:Concept`` flattened for programs (:func:`sst_vocab.model.concept.concepts_of`).

Cheap to import (the lookups use the label rule): pure Python over the terms of a store.
pyoxigraph is imported only inside the functions that build terms; this module imports
nothing but :mod:`sst_vocab.namespaces`.  :class:`~sst_vocab.model.concept.Concept` lives in
:mod:`sst_vocab.model.concept`, so the lookups do not pay for building a dataclass.

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

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from ..namespaces import OWL, RDF_TYPE, SKOS

__all__ = [
    "PREF_LABEL",
    "SubjectIndex",
    "best_text",
    "in_best_language",
    "language_key",
    "named_node",
    "ranked_texts",
    "term_kind",
    "text_key",
]

T = TypeVar("T")

PREF_LABEL = SKOS + "prefLabel"


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
    for a, b in zip(subtags, wanted_subtags, strict=False):  # the shared leading subtags
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
        return [
            s
            for s, pm in self.props.items()
            if term_kind(s) == "NamedNode"
            and any(term_kind(o) == "NamedNode" and o.value == cls for o in pm.get(RDF_TYPE, []))
        ]

    def is_deprecated(self, node: Any) -> bool:
        """``owl:deprecated true`` (or ``1``) on ``node``."""
        return any(
            term_kind(o) == "Literal" and o.value.lower() in ("true", "1") for o in self.get(node, OWL + "deprecated")
        )
