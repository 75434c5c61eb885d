"""The Python API: the vocabulary for programs, without the command line.

Everything is also available from the package itself (``import sst_vocab``)::

    import sst_vocab

    g = sst_vocab.graph()                      # rdflib.Graph of the shipped vocabulary
    doc = sst_vocab.jsonld()                   # the compact JSON-LD document (a dict)
    c = sst_vocab.concept("SSR")               # by IRI, CURIE (sst:security), label or notation
    c.iri, c.pref_label, c.broader             # 'https://w3id.org/sst-vocab/security-system-transformation', ...
    [c.pref_label for c in sst_vocab.concepts()]

Every function takes ``paths`` (Turtle files or folders) to work on another SKOS
vocabulary instead of the shipped one, and raises :class:`~sst_vocab.errors.VocabError`
(``FILE:LINE: message``) when it cannot be read.  Nothing touches the network.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from .errors import VocabError
from .namespaces import DCT, RDF_TYPE, SKOS, STATUS_PROPS

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from .loader import Vocabulary

__all__ = ["Concept", "concept", "concepts", "concepts_of", "context", "graph", "jsonld"]

Paths = Iterable[str | os.PathLike[str]] | None

_MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


@dataclass(frozen=True)
class Concept:
    """One ``skos:Concept``, flattened for programs.

    Text fields (``pref_label``, ``alt_labels``, ``definition``) are in the requested
    language (default ``en``; a regional tag such as ``en-GB`` counts), else untagged,
    else the alphabetically first language present; ``pref_labels`` has every
    language (``""`` for an untagged label).  ``broader``, ``narrower`` and ``related``
    are IRIs, sorted, whichever direction the data states them in.

    Example::

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


# ---------------------------------------------------------------------------
# Loading (the shipped vocabulary is loaded once per process)
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _shipped() -> "Vocabulary":
    from .loader import load

    return load(None)


def _load(paths: Paths) -> "Vocabulary":
    if paths is None:
        return _shipped()
    from .loader import load

    return load(list(paths))


def graph(paths: Paths = None) -> "rdflib.Graph":
    """The vocabulary as a new ``rdflib.Graph`` (default: the shipped vocabulary), prefixes bound.

    Example::

        >>> g = graph()
        >>> len(g) > 0
        True
    """
    import rdflib

    from .export import read_source
    from .namespaces import PREFIXES
    from .rdflib_bridge import quiet_rdflib, to_rdflib_term

    source = read_source(_load(paths))
    quiet_rdflib()
    g = rdflib.Graph()
    add = g.add
    for q in source.quads:  # as written: the store would hand back "1.5" for "1.50"
        add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
    for prefix, ns in {**PREFIXES, **source.prefixes}.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def jsonld(paths: Paths = None, *, context_url: str | None = None) -> dict[str, Any]:
    """The vocabulary as a compact JSON-LD document (``@context`` embedded, or ``context_url``).

    The same document ``sst-vocab export`` writes.  Example::

        >>> doc = jsonld()
        >>> sorted(doc)
        ['@context', '@graph']
    """
    from .export import to_jsonld

    return to_jsonld(_load(paths), context_url=context_url)


def context() -> dict[str, Any]:
    """The published JSON-LD context document, ``{"@context": {...}}``.

    Example::

        >>> context()["@context"]["broader"]["@id"]
        'skos:broader'
    """
    from .export import context_document

    return context_document()


# ---------------------------------------------------------------------------
# Concepts
# ---------------------------------------------------------------------------


def _pick(by_lang: dict[str, list[str]], lang: str) -> list[str]:
    """The values in ``lang`` (or a regional variant), else untagged, else the first language."""
    if not by_lang:
        return []
    want = lang.lower()
    for tag in sorted(by_lang):
        if tag.lower() == want:
            return sorted(by_lang[tag])
    for tag in sorted(by_lang):
        if tag.lower().startswith(want + "-"):
            return sorted(by_lang[tag])
    if "" in by_lang:
        return sorted(by_lang[""])
    return sorted(by_lang[min(by_lang)])


def concepts_of(vocab: "Vocabulary", *, lang: str = "en") -> list[Concept]:
    """Every ``skos:Concept`` of a loaded vocabulary, sorted by IRI."""
    import pyoxigraph as ox

    from .export import read_source

    texts: dict[str, dict[str, dict[str, list[str]]]] = {}  # subject -> property -> lang -> values
    links: dict[str, dict[str, set[str]]] = {}  # subject -> property -> IRIs
    other: dict[str, dict[str, list[str]]] = {}  # subject -> property -> values
    is_concept: set[str] = set()
    text_props = {SKOS + p: p for p in ("prefLabel", "altLabel", "definition")}
    link_props = {SKOS + p: p for p in ("broader", "narrower", "related", "inScheme", "topConceptOf") + _MATCHES}
    for q in read_source(vocab).quads:
        s, p, o = q.subject, q.predicate.value, q.object
        if not isinstance(s, ox.NamedNode):
            continue
        sv = s.value
        if p == RDF_TYPE:
            if isinstance(o, ox.NamedNode) and o.value == SKOS + "Concept":
                is_concept.add(sv)
        elif p in text_props:
            if isinstance(o, ox.Literal):
                texts.setdefault(sv, {}).setdefault(text_props[p], {}).setdefault(o.language or "", []).append(o.value)
        elif p in link_props:
            if isinstance(o, ox.NamedNode):
                name = link_props[p]
                links.setdefault(sv, {}).setdefault(name, set()).add(o.value)
                inverse = {"broader": "narrower", "narrower": "broader", "related": "related"}.get(name)
                if inverse:
                    links.setdefault(o.value, {}).setdefault(inverse, set()).add(sv)
        elif (p == SKOS + "notation" or p in STATUS_PROPS or p == DCT + "source") and isinstance(o, (ox.NamedNode,
                                                                                                     ox.Literal)):
            other.setdefault(sv, {}).setdefault(p, []).append(o.value)

    out = []
    for iri in sorted(is_concept):
        t = texts.get(iri, {})
        li = links.get(iri, {})
        ot = other.get(iri, {})
        pref = _pick(t.get("prefLabel", {}), lang)
        definition = _pick(t.get("definition", {}), lang)
        status = sorted(ot.get(STATUS_PROPS[0], [])) or sorted(ot.get(STATUS_PROPS[1], []))
        out.append(
            Concept(
                iri=iri,
                pref_label=pref[0] if pref else None,
                pref_labels={tag: sorted(v)[0] for tag, v in sorted(t.get("prefLabel", {}).items())},
                alt_labels=tuple(_pick(t.get("altLabel", {}), lang)),
                definition=definition[0] if definition else None,
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


def concepts(paths: Paths = None, *, lang: str = "en") -> list[Concept]:
    """Every concept of the vocabulary (default: the shipped one), sorted by IRI.

    Example::

        >>> len(concepts()) > 50
        True
    """
    return concepts_of(_load(paths), lang=lang)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def concept(key: str, paths: Paths = None, *, lang: str = "en") -> Concept | None:
    """Find one concept by IRI, CURIE (``sst:police``), label (any language) or notation.

    Tried in this order, case-insensitively for labels: IRI or CURIE, ``skos:prefLabel``,
    ``skos:altLabel``/``skos:hiddenLabel``, ``skos:notation``.  Returns None when nothing
    matches; raises VocabError when a label names more than one concept.

    Example::

        >>> concept("SSR").iri
        'https://w3id.org/sst-vocab/security-system-transformation'
        >>> concept("no such thing") is None
        True
    """
    import pyoxigraph as ox

    from .export import read_source
    from .namespaces import PREFIXES, expand

    vocab = _load(paths)
    source = read_source(vocab)
    quads = source.quads
    found = {c.iri: c for c in concepts_of(vocab, lang=lang)}
    key = key.strip()
    iri = key[1:-1] if key.startswith("<") and key.endswith(">") else key
    for candidate in (iri, expand(iri, {**PREFIXES, **source.prefixes}) or ""):
        if candidate in found:
            return found[candidate]

    levels = [
        {SKOS + "prefLabel"},
        {SKOS + "altLabel", SKOS + "hiddenLabel"},
        {SKOS + "notation"},
    ]
    want = _norm(key)
    for props in levels:
        hits: dict[str, bool] = {}  # concept IRI -> matched with exact case
        for q in quads:
            s, o = q.subject, q.object
            if (q.predicate.value in props and isinstance(o, ox.Literal) and isinstance(s, ox.NamedNode)
                    and s.value in found and _norm(o.value) == want):
                hits[s.value] = hits.get(s.value, False) or o.value == key
        if len(hits) > 1:
            exact = [s for s, same_case in hits.items() if same_case]
            if len(exact) == 1:
                return found[exact[0]]
            names = ", ".join(f"<{s}>" for s in sorted(hits))
            raise VocabError(f"{key!r} names {len(hits)} concepts: {names}; use an IRI")
        if hits:
            return found[next(iter(hits))]
    return None
