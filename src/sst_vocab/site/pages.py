"""What a concept's page and another resource's page show: the data their templates render."""

from __future__ import annotations

from typing import Any

from ..namespaces import DCT, OWL, RDF_TYPE, SKOS, SSTX, STATUS_PROPS
from .graph import Text, humanize, local_name
from .layout import VARIANTS, attr_id, relative
from .pictures import neighbourhood_picture
from .views import MATCH_PROPS, Views

#: The note properties, in the order the concept page shows them, with their headings.
_NOTE_PROPS = (
    ("scopeNote", "Scope note"),
    ("example", "Examples"),
    ("note", "Notes"),
    ("historyNote", "History"),
    ("changeNote", "Changes"),
    ("editorialNote", "Editorial notes"),
)
_FORMAT_NAMES = {".ttl": "Turtle", ".jsonld": "JSON-LD", ".nt": "N-Triples", ".rdf": "RDF/XML", ".csv": "CSV"}
#: Properties that the concept page shows in their own sections.
_SHOWN = {
    RDF_TYPE,
    SKOS + "prefLabel",
    SKOS + "altLabel",
    SKOS + "hiddenLabel",
    SKOS + "definition",
    SKOS + "broader",
    SKOS + "narrower",
    SKOS + "related",
    SKOS + "inScheme",
    SKOS + "topConceptOf",
    SKOS + "notation",
    SSTX + "definitionOrigin",
    SSTX + "termOrigin",
    SSTX + "editorialRelation",
    DCT + "source",
    *STATUS_PROPS,
    OWL + "deprecated",
    DCT + "isReplacedBy",
    SSTX + "reviewResponse",
    SSTX + "reviewStatus",
    *(SKOS + p for p, _ in _NOTE_PROPS),
    *(SKOS + p for p, _ in MATCH_PROPS),
}
#: A resource's page lists at most this many links to it.
_INCOMING_SHOWN = 200


def page_common(common: dict[str, Any], file: str, title: str, iri: str, data: dict[str, bytes]) -> dict[str, Any]:
    """What every page but the index has: where the root is, its title, its data files."""
    stem = file[: -len(".html")]
    alternates = [
        {
            "type": media,
            "href": relative(file, stem + ext),
            "ext": ext[1:],
            "size": len(data[stem + ext]),
            "name": _FORMAT_NAMES[ext],
        }
        for media, ext in VARIANTS[1:]
        if stem + ext in data
    ]
    return {
        **common,
        "root": "../" * file.count("/"),
        "index_href": relative(file, "index.html"),
        "title": title,
        "iri": iri,
        "alternates": alternates,
    }


def concept_page(
    v: Views, common: dict[str, Any], c: str, data: dict[str, bytes], jsonld: dict[str, Any]
) -> dict[str, Any]:
    """What the page of concept ``c`` shows (``data``: its data files; ``jsonld``: its JSON-LD document)."""
    m = v.m
    stem = v.layout.stem[c]
    file = stem + ".html"
    label = m.label(c)
    return {
        **page_common(common, file, label.value, c, data),
        "label": label,
        "curie": m.curie(c),
        **_names(v, c, label),
        **_definitions(v, c),
        "origin": v.origin(file, c),
        "sources": v.sources(file, c),
        "status": v.status(file, c),
        "breadcrumbs": v.breadcrumbs(file, c),
        **_relations(v, file, c),
        "notes": _notes(v, c),
        "mappings": v.mappings(file, c),
        # The concept's own properties that no section shows (rdfs:isDefinedBy, ...).
        "others": v.property_rows(file, c, _SHOWN),
        "schemes": [
            v.link(file, s)
            for s in sorted(set(m.g.iris(c, SKOS + "inScheme")) | set(m.g.iris(c, SKOS + "topConceptOf")))
        ],
        "is_top": c in m.tops and c not in m.deprecated,
        "deprecated": c in m.deprecated,
        "replaced_by": v.links(file, m.g.iris(c, DCT + "isReplacedBy")),
        "responses": v.responses(c),
        "review_status": v.review_status(c),
        "picture": neighbourhood_picture(v, file, c),
        "turtle": data[stem + ".ttl"].decode("utf-8"),
        "jsonld": data[stem + ".jsonld"].decode("utf-8"),
        "head_jsonld": jsonld,
    }


def _by_language(v: Views, texts: list[Text]) -> list[Text]:
    """Texts in the site's language first, then by language and text."""
    lang = v.m.lang
    return sorted(texts, key=lambda t: (t.lang != lang, t.lang, t.value))


def _names(v: Views, c: str, label: Text) -> dict[str, Any]:
    g = v.m.g
    return {
        "notations": [o.value for o in g.props(c).get(SKOS + "notation", ()) if isinstance(o, g.Literal)],
        "alt_labels": _by_language(v, g.texts(c, SKOS + "altLabel")),
        "other_labels": sorted(
            (t for t in g.texts(c, SKOS + "prefLabel") if t != label), key=lambda t: (t.lang, t.value)
        ),
    }


def _definitions(v: Views, c: str) -> dict[str, Any]:
    """The definitions in the site's language, and the others (translations)."""
    defs = v.m.g.texts(c, SKOS + "definition")
    main = v.m.texts(c, SKOS + "definition")
    return {
        "definitions": main,
        "other_definitions": sorted((d for d in defs if d not in main), key=lambda d: (d.lang, d.value)),
    }


def _relations(v: Views, file: str, c: str) -> dict[str, Any]:
    """Broader, narrower and related concepts (each marked when the relation is the editors' reading),
    and relations to things outside the vocabulary."""
    m = v.m
    editorial = v.editorial(c)

    def links(iris: list[str]) -> list[dict[str, Any]]:
        return [{**v.link(file, x), "editorial": x in editorial} for x in iris]

    return {
        "broader": links(m.parents[c]),
        "narrower": links(m.children[c]),
        "related": links(sorted(v.related(c), key=m.sort_key)),
        "external_links": v.external_semantic(file, c),
    }


def _notes(v: Views, c: str) -> list[dict[str, Any]]:
    notes = []
    for prop, heading in _NOTE_PROPS:
        texts = v.m.g.texts(c, SKOS + prop)
        if texts:
            notes.append({"prop": prop, "heading": heading, "texts": _by_language(v, texts)})
    return notes


def resource_page(
    v: Views, common: dict[str, Any], doc: str, subjects: list[str], data: dict[str, bytes], jsonld: dict[str, Any]
) -> dict[str, Any]:
    """What the page of another resource under the base shows: one section per subject of its document."""
    m = v.m
    stem = v.layout.stem[doc]
    file = stem + ".html"
    main = doc if doc in subjects else subjects[0]
    return {
        **page_common(common, file, m.label(main).value, doc, data),
        "label": m.label(main),
        "sections": [_section(v, file, s) for s in [main] + [x for x in subjects if x != main]],
        "turtle": data[stem + ".ttl"].decode("utf-8"),
        "head_jsonld": jsonld,
    }


def _section(v: Views, file: str, s: str) -> dict[str, Any]:
    """A subject's types, properties and the links to it."""
    m = v.m
    types = [{**v.link(file, t), "name": humanize(local_name(t))} for t in m.g.iris(s, RDF_TYPE)]
    incoming = sorted(
        {(p, x.value) for x, p in m.g.incoming.get(s, ()) if isinstance(x, m.g.NamedNode)},
        key=lambda px: (m.curie(px[0]), m.sort_key(px[1])),
    )
    return {
        "iri": s,
        "id": attr_id(s.split("#", 1)[1]) if "#" in s else "",
        "label": m.label(s),
        "types": types,
        "rows": v.property_rows(file, s, {RDF_TYPE}),
        "incoming": [{"prop": m.curie(p), "link": v.link(file, x)} for p, x in incoming[:_INCOMING_SHOWN]],
        "incoming_more": max(0, len(incoming) - _INCOMING_SHOWN),
    }
