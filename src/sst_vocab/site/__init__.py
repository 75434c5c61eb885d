"""A static documentation site for a SKOS vocabulary: one page per concept, an index, search, data files.

``build(paths)`` loads Turtle files (default: the shipped vocabulary) and returns a
:class:`Site`: every file of the site as bytes, keyed by its path, plus the table of
resources that :mod:`sst_vocab.serve` negotiates and :mod:`sst_vocab.redirects` redirects.
``write_site(site, folder)`` writes it.  Nothing is written until everything is built,
so a broken vocabulary never touches the folder.

Layout (the path of a page mirrors the path of its IRI below the scheme's IRI, so a
persistent-URI service can send ``https://w3id.org/sst-vocab/security`` to it)::

    index.html  index.ttl  index.jsonld  index.nt  index.rdf  index.csv   the scheme, the whole vocabulary
    context.jsonld                                                        the JSON-LD context
    security.html  security.ttl  security.jsonld  security.nt  security.rdf   one concept
    agent/usip.html ...                                                   other resources under the base
    assets/site.css  assets/site.js  assets/search-index.js

Every serialization comes from :mod:`sst_vocab.export` (the whole vocabulary is
serialized once; a concept's N-Triples and JSON-LD are its slices of those documents, its
Turtle and RDF/XML are the export of those triples).  The output is deterministic: the
same input gives the same bytes.  Pages make no external request (no fonts, no CDN);
search and the hierarchy picture work offline, also from ``file://``.

Modules, each one concern (data is built in Python, HTML only by the templates in
``sst_vocab/templates``):

- :mod:`.layout`: where everything is (representations, negotiable resources, paths,
  :class:`Site`); all that :mod:`sst_vocab.serve` and :mod:`sst_vocab.redirects` import;
- :mod:`.graph`: the triples by subject, texts by language;
- :mod:`.vocabulary`: what the vocabulary is (concepts, main scheme, base, language, labels, hierarchy);
- :mod:`.views`, :mod:`.pages`, :mod:`.index_page`, :mod:`.pictures`, :mod:`.search`: what each
  page (and the search index) shows, as data;
- :mod:`.data`: the data files, sliced from the whole vocabulary's serializations;
- :mod:`.templating`: the Jinja2 environment; :mod:`.builder`: puts it together;
  :mod:`.writing`: writes a built site into a folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import attributes
from .layout import CONTENT_TYPES, DATA_EXTENSIONS, MANIFEST, VARIANTS, Resource, Site, WriteResult

if TYPE_CHECKING:  # pragma: no cover
    from .builder import build, build_site, plan, plan_site
    from .writing import write_site

__all__ = [
    "CONTENT_TYPES",
    "DATA_EXTENSIONS",
    "MANIFEST",
    "VARIANTS",
    "Resource",
    "Site",
    "WriteResult",
    "build",
    "build_site",
    "plan",
    "plan_site",
    "write_site",
]

#: Loaded on first use, so that ``serve`` and ``redirects`` (which need only the layout) stay light.
_LAZY = {
    "build": "builder",
    "build_site": "builder",
    "plan": "builder",
    "plan_site": "builder",
    "write_site": "writing",
}


__getattr__ = attributes(__name__, _LAZY)
