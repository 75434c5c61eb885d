"""The Python API: the vocabulary for programs, without the command line.

Everything is also available from the package itself (``import sst_vocab``)::

    import sst_vocab

    g = sst_vocab.graph()                      # rdflib.Graph of the shipped vocabulary
    doc = sst_vocab.jsonld()                   # the compact JSON-LD document (a dict)
    c = sst_vocab.concept("SSR")               # by IRI, CURIE (sst:security), label or notation
    c.iri, c.pref_label, c.broader             # 'https://w3id.org/sst-vocab/security-system-transformation', ...
    [c.pref_label for c in sst_vocab.model()]

Every function takes ``paths`` (Turtle files or folders) to work on another SKOS
vocabulary instead of the shipped one, and raises :class:`~sst_vocab.errors.VocabError`
(``FILE:LINE: message``) when it cannot be read.  Nothing touches the network.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .errors import VocabError
from .model.concept import Concept, concepts_of
from .namespaces import SKOS

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

    from .loader import Vocabulary

__all__ = ["Concept", "concept", "concepts", "concepts_of", "context", "graph", "jsonld"]

Paths = Iterable[str | os.PathLike[str]] | None

# ---------------------------------------------------------------------------
# Loading (the shipped vocabulary is loaded once per process)
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _shipped() -> Vocabulary:
    from .loader import load

    return load(None)


def _load(paths: Paths) -> Vocabulary:
    if paths is None:
        return _shipped()
    from .loader import load

    return load(list(paths))


def graph(paths: Paths = None) -> rdflib.Graph:
    """The vocabulary as a new ``rdflib.Graph`` (default: the shipped vocabulary), prefixes bound.

    Example::

        >>> g = graph()
        >>> len(g) > 0
        True
    """
    import rdflib

    from .namespaces import PREFIXES
    from .rdflib_bridge import quiet_rdflib, to_rdflib_term

    source = _load(paths).source
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

    from .namespaces import PREFIXES, expand

    vocab = _load(paths)
    source = vocab.source
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
            if (
                q.predicate.value in props
                and isinstance(o, ox.Literal)
                and isinstance(s, ox.NamedNode)
                and s.value in found
                and _norm(o.value) == want
            ):
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
