"""The search index the pages' search box reads (``assets/search-index.js``: works offline, also from ``file://``)."""

from __future__ import annotations

import json

from ..namespaces import SKOS
from .vocabulary import SiteVocabulary


def search_index(m: SiteVocabulary, page: dict[str, str]) -> bytes:
    """``[page, label, [other labels], definition]`` per concept, sorted by label (``page``: IRI -> its HTML file)."""
    g = m.g
    rows = []
    for c in sorted(m.concepts, key=m.sort_key):
        label = m.label(c).value
        alts = [t.value for t in g.texts(c, SKOS + "altLabel")]
        alts += [t.value for t in g.texts(c, SKOS + "hiddenLabel")]
        alts += [t.value for t in g.texts(c, SKOS + "prefLabel") if t.value != label]
        alts += [o.value for o in g.props(c).get(SKOS + "notation", ()) if isinstance(o, g.Literal)]
        alts = sorted(set(alts))
        definition = m.texts(c, SKOS + "definition")
        if c in m.deprecated:
            label += " (deprecated)"
        rows.append([page[c], label, alts, definition[0].value if definition else ""])
    body = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return (
        "/* Search index: [page, label, [other labels], definition] per concept. */\n"
        f"window.SST_SEARCH_INDEX = {body};\n"
    ).encode()
