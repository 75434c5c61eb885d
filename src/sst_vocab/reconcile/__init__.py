"""Entity reconciliation for a SKOS vocabulary: the logic of the W3C Reconciliation Service API 0.2.

OpenRefine and other data-cleaning tools match a column of names ("Ministry of
Defence", "NGOs", "police") to a vocabulary's concepts through the Reconciliation
Service API (https://reconciliation-api.github.io/specs/0.2/).  This module answers
the API's questions with plain data (dicts, lists, one HTML string); the HTTP layer
(:mod:`sst_vocab.reconcile.web`) only routes requests to it, and ``sst-vocab serve`` /
``sst-vocab reconcile`` put that on a port.

:class:`Service` indexes a loaded vocabulary once (pure Python, no search engine):

- every preferred, alternative and hidden label, ``rdfs:label`` and notation, in
  every language, is *folded*: Unicode NFKD with the accents dropped, case-folded,
  punctuation turned into spaces (``&`` reads ``and``, apostrophes vanish), so
  ``"Côte d'Ivoire"``, ``"COTE DIVOIRE"`` and ``"cote d ivoire"`` are one key;
- each word also has a *canonical* form that merges English plural and singular
  (``NGOs``/``NGO``, ``ministries``/``ministry``) and British and American spellings
  (``Defence``/``Defense``, ``organisation``/``organization``, ``centre``/``center``,
  ``colour``/``color``, ``catalogue``/``catalog``, ``modelling``/``modeling``);
- multi-word labels also answer to their initials (``MoD`` -> *Ministry of defense*).

A query is scored against each candidate's labels and the best label counts (0-100):
100 the label as written, case and spacing aside (preferred label or notation; 99.5 an
alternative, 99 a hidden label), 2 less when only accents or punctuation differ, 96 the
same letters without spaces, 95 the same canonical words, 90 the same words in another
order (stop words aside), 85 the initials, and below 85 a weighted word overlap (rarer
words weigh more; a word the user has only begun counts for part).  ``match`` is true
only for an unambiguous exact label: the one concept with a label exactly as written,
or else the one concept with a label exact but for accents and punctuation (or the
concept whose IRI or CURIE the query is): the matches a tool may accept without a person.

Types are the concept schemes and collections a concept belongs to (``skos:Concept``
when it has none); ``properties`` filter the candidates (``broader``: the concept lies
below the given one, at any depth; ``inScheme``, ``member``, ``narrower``, ``related``,
``notation``, the mapping properties, or any property IRI).  Deprecated concepts
(``owl:deprecated true``) are left out unless asked for.

Example::

    from sst_vocab.loader import load
    from sst_vocab.reconcile import Service

    service = Service(load())
    service.reconcile({"q0": {"query": "Ministry of Defence"}})["q0"]["result"][0]["name"]
    # 'Ministry of defense'
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from .requests import MAX_BATCH, MAX_LIMIT, PROPERTIES, BatchTooLarge, parse_batch
from .service import Service
from .text import canonical, fold

__all__ = [
    "MAX_BATCH",
    "MAX_LIMIT",
    "PROPERTIES",
    "BatchTooLarge",
    "Service",
    "canonical",
    "fold",
    "parse_batch",
    "wsgi_app",
]


def wsgi_app(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    site_url: str | None = None,
    lang: str | None = None,
    include_deprecated: bool = False,
    public_url: str | None = None,
):
    """A WSGI application serving the reconciliation service of the vocabulary in ``paths``.

    Mount it where the service should answer (its endpoint is the application's root):
    ``gunicorn 'sst_vocab.reconcile:wsgi_app(["vocab/"])'``.  ``site_url``: where the
    documentation site (``sst-vocab docs``) is published, so that "view" links open the
    concept's page there (default: the concept IRI itself).  ``public_url``: the
    endpoint's public URL when a proxy in front changes it (default: from the request).
    """
    from ..loader import load
    from .web import ReconcileApp

    vocab = load(paths)
    view = None
    if site_url:
        from urllib.parse import urljoin

        from ..site import plan_site

        pages = plan_site(vocab).pages
        base = site_url if site_url.endswith("/") else site_url + "/"

        def page_url(iri: str) -> str | None:
            return urljoin(base, pages[iri]) if iri in pages else None

        view = page_url
    service = Service(vocab, lang=lang, include_deprecated=include_deprecated, view=view)
    return ReconcileApp(service, public_url=public_url)
