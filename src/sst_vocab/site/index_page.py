"""What the index page shows: the scheme (what, where from, who, rules, version), the downloads, the
hierarchy (picture and tree), collections and deprecated concepts."""

from __future__ import annotations

import hashlib
from typing import Any

from ..namespaces import DCT, OWL, PROV, RDF_TYPE, RDFS, SDO, SKOS, SSTX, STATUS_PROPS
from .data import DataFiles
from .graph import Text, local_name
from .layout import SCHEME_VARIANTS, attr_id
from .pictures import hierarchy_picture
from .views import TERM_ORIGINS, Views

FILE = "index.html"
#: The whole vocabulary's files: (name, extension, media type, what it is).
_DOWNLOADS = (
    ("Turtle", ".ttl", "text/turtle", "the vocabulary as written, with its prefixes"),
    ("JSON-LD", ".jsonld", "application/ld+json", "compact, with the context embedded"),
    ("N-Triples", ".nt", "application/n-triples", "one triple per line, sorted"),
    ("RDF/XML", ".rdf", "application/rdf+xml", "for older RDF tools"),
    ("CSV", ".csv", "text/csv", "one row per concept, for spreadsheets"),
)
#: The scheme's facts, in the order the index lists them.
_FACTS = (
    ("Version", OWL + "versionInfo"),
    ("Version IRI", OWL + "versionIRI"),
    ("Created", DCT + "created"),
    ("Issued", DCT + "issued"),
    ("Modified", DCT + "modified"),
    ("Creator", DCT + "creator"),
    ("Publisher", DCT + "publisher"),
    ("License", DCT + "license"),
    ("Rights", DCT + "rights"),
    ("Language", DCT + "language"),
)
#: The scheme's properties the index shows in their own sections.
_SHOWN = {
    RDF_TYPE,
    SKOS + "prefLabel",
    DCT + "title",
    SKOS + "definition",
    DCT + "description",
    SKOS + "historyNote",
    SKOS + "editorialNote",
    SKOS + "hasTopConcept",
    DCT + "contributor",
    DCT + "source",
    PROV + "wasDerivedFrom",
    OWL + "versionInfo",
    OWL + "versionIRI",
    DCT + "created",
    DCT + "issued",
    DCT + "modified",
    DCT + "creator",
    DCT + "publisher",
    DCT + "license",
    DCT + "language",
    DCT + "rights",
    *STATUS_PROPS,
}
_KEYWORD_PROPS = (SDO + "keywords", "http://www.w3.org/ns/dcat#keyword")
#: Up to this many concepts the tree on the index starts unfolded.
_TREE_OPEN_LIMIT = 200


def index_page(v: Views, common: dict[str, Any], files: dict[str, bytes], data: DataFiles) -> dict[str, Any]:
    """What the index shows (``files``: the files built so far, the whole vocabulary's among them)."""
    m, s = v.m, v.m.scheme
    title = m.label(s) if s else Text("SKOS vocabulary")
    source_iris = _source_iris(v)
    return {
        **common,
        "root": "",
        "index_href": FILE,
        "title": title.value,
        "iri": s or "",
        "alternates": [{"type": media, "href": "index" + ext} for media, ext in SCHEME_VARIANTS[1:]],
        "label": title,
        **_about(v),
        "facts": _facts(v),
        "rules": sorted((t for x in source_iris for t in m.g.texts(x, SSTX + "ruleOfTheRoad")), key=lambda t: t.value),
        **_people(v, source_iris),
        "participation_notes": [t for x in source_iris for t in m.texts(x, SSTX + "participationNote")],
        "sources": [_source(v, x) for x in source_iris],
        **_whose_words(v),
        "concept_count": len(m.concepts) - len(m.deprecated),
        "deprecated": [
            {**v.link(FILE, c), "replaced_by": v.links(FILE, m.g.iris(c, DCT + "isReplacedBy"))}
            for c in sorted(m.deprecated, key=m.sort_key)
        ],
        "downloads": _downloads(v, files),
        "others": v.property_rows(FILE, s, _SHOWN) if s else [],
        **_hierarchy(v),
        "collections": _collections(v),
        "other_schemes": [v.link(FILE, x) for x in m.other_schemes],
        "head_jsonld": data.jsonld([s]) if s and data.has_node(s) else None,
        "mount_note": m.base,
    }


def _about(v: Views) -> dict[str, Any]:
    """What the scheme says of itself: definitions, descriptions, history, status, keywords, editorial notes."""
    m, s = v.m, v.m.scheme
    return {
        "definitions": m.texts(s, SKOS + "definition"),
        "descriptions": m.texts(s, DCT + "description"),
        "history": m.texts(s, SKOS + "historyNote"),
        "status": v.status(FILE, s) if s else None,
        "keywords": sorted({t.value for p in _KEYWORD_PROPS for t in m.texts(s, p)}) if s else [],
        "editorial_notes": sorted(m.g.texts(s, SKOS + "editorialNote"), key=lambda t: t.value) if s else [],
    }


def _facts(v: Views) -> list[dict[str, Any]]:
    """The scheme's version, dates, creator, publisher, licence, rights and language."""
    s = v.m.scheme
    if not s:
        return []
    props = v.m.g.props(s)
    return [
        {"label": label, "values": [v.value_view(FILE, x) for x in props[prop]]}
        for label, prop in _FACTS
        if props.get(prop)
    ]


def _downloads(v: Views, files: dict[str, bytes]) -> list[dict[str, Any]]:
    """The whole vocabulary in each format and the JSON-LD context, with sizes, checksums and file names
    that carry the version."""
    s = v.m.scheme
    name = attr_id(local_name(s)) if s else "vocabulary"
    version = v.m.first_text(s, OWL + "versionInfo")
    stem = f"{name}-{version}" if version else name
    downloads = []
    for label, ext, media, note in _DOWNLOADS:
        data = files["index" + ext]
        downloads.append(
            {
                "label": label,
                "href": "index" + ext,
                "download": stem + ext,
                "media": media,
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "note": note,
            }
        )
    ctx_data = files["context.jsonld"]
    downloads.append(
        {
            "label": "JSON-LD context",
            "href": "context.jsonld",
            "download": f"{name}.context.jsonld",
            "media": "application/ld+json",
            "size": len(ctx_data),
            "sha256": hashlib.sha256(ctx_data).hexdigest(),
            "note": "the term definitions used by the JSON-LD files",
        }
    )
    return downloads


def _source_iris(v: Views) -> list[str]:
    """The scheme's sources (dcterms:source, prov:wasDerivedFrom), in order, once each."""
    s = v.m.scheme
    out: list[str] = []
    if s:
        for prop in (DCT + "source", PROV + "wasDerivedFrom"):
            for x in v.m.g.iris(s, prop):
                if x not in out:
                    out.append(x)
    return out


def _source(v: Views, x: str) -> dict[str, Any]:
    m = v.m
    abstract = m.texts(x, DCT + "abstract")
    description = m.texts(x, DCT + "description")
    return {
        **v.link(FILE, x),
        "date": m.first_text(x, DCT + "date") or m.first_text(x, DCT + "issued"),
        "description": description[0] if description else None,
        "abstract": abstract[0] if abstract else None,
    }


def _people(v: Views, source_iris: list[str]) -> dict[str, Any]:
    """Contributors of the encoding (the scheme's dcterms:contributor) or, when it has none, the
    participants named on its source documents (dcterms:contributor there, or a
    prov:qualifiedAttribution's agent): people who took part in the work the source records,
    not in the encoding."""
    g, s = v.m.g, v.m.scheme
    agent_iris = list(g.iris(s, DCT + "contributor")) if s else []
    from_source = not agent_iris
    if from_source:
        for x in source_iris:
            for a in _participants(v, x):
                if a not in agent_iris:
                    agent_iris.append(a)
    contributors = sorted(
        (_contributor(v, a) for a in agent_iris), key=lambda x: (x["label"].value.casefold(), x["iri"])
    )
    same_people = (
        bool(source_iris) and set(g.iris(s, DCT + "contributor")) == set(g.iris(source_iris[0], DCT + "contributor"))
        if s
        else False
    )
    return {
        "contributors": contributors,
        "contributors_heading": "Participants" if (same_people or from_source) else "Contributors",
        "participants_from_source": from_source and bool(contributors),
    }


def _participants(v: Views, source: str) -> list[str]:
    """The agents a source document names: its dcterms:contributor, its prov:qualifiedAttribution's agents."""
    g = v.m.g
    found = list(g.iris(source, DCT + "contributor"))
    for q in g.props(source).get(PROV + "qualifiedAttribution", ()):
        qprops = g.props(q.value) if isinstance(q, g.NamedNode) else g.out.get(q, {})
        found += [o.value for o in qprops.get(PROV + "agent", ()) if isinstance(o, g.NamedNode)]
    return found


def _contributor(v: Views, a: str) -> dict[str, Any]:
    m = v.m
    alt = m.texts(a, SDO + "alternateName")
    parent = m.g.iris(a, SDO + "parentOrganization")
    history = m.texts(a, SKOS + "historyNote")
    return {
        **v.link(FILE, a),
        "alt": alt[0] if alt else None,
        "parent": v.link(FILE, parent[0]) if parent else None,
        "history": history[0] if history else None,
    }


def _whose_words(v: Views) -> dict[str, Any]:
    """Definitions by origin: counted by origin (verbatim first), the verbatim ones by name, the
    editorial ones counted by where their term comes from."""
    m = v.m
    g = m.g
    origin_counts: dict[str, int] = {}
    for c in m.concepts:
        if c in m.deprecated:
            continue
        for o in g.iris(c, SSTX + "definitionOrigin"):
            origin_counts[o] = origin_counts.get(o, 0) + 1
    origins = [
        _origin(v, o, n) for o, n in sorted(origin_counts.items(), key=lambda kv: (kv[0] != SSTX + "verbatim", kv[0]))
    ]
    verbatim = [c for c in m.concepts if SSTX + "verbatim" in g.iris(c, SSTX + "definitionOrigin")]
    term_counts: dict[str, int] = {}
    for c in m.concepts:
        if SSTX + "editorial" in g.iris(c, SSTX + "definitionOrigin"):
            terms = g.iris(c, SSTX + "termOrigin")
            key = TERM_ORIGINS.get(terms[0], "other") if terms else "unknown"
            term_counts[key] = term_counts.get(key, 0) + 1
    return {"origins": origins, "verbatim_concepts": v.links(FILE, verbatim), "editorial_by_term": term_counts}


def _origin(v: Views, o: str, count: int) -> dict[str, Any]:
    m = v.m
    comment = m.texts(o, RDFS + "comment")
    return {
        "label": m.label(o) if o in m.g.by_iri else Text(local_name(o)),
        "count": count,
        "key": attr_id(local_name(o)),
        "comment": comment[0] if comment else None,
    }


def _hierarchy(v: Views) -> dict[str, Any]:
    m = v.m
    return {
        "picture": hierarchy_picture(v, FILE),
        "hierarchical": any(m.children[c] for c in m.concepts),
        "top_count": len(m.tops),
        "tree": v.tree(FILE),
        "tree_open": len(m.concepts) <= _TREE_OPEN_LIMIT,
    }


def _collections(v: Views) -> list[dict[str, Any]]:
    """skos:Collection and skos:OrderedCollection resources with their members, sorted by label."""
    m = v.m
    out = []
    for x in sorted(m.g.by_iri, key=m.sort_key):
        if m.g.types(x) & {SKOS + "Collection", SKOS + "OrderedCollection"}:
            members = m.g.iris(x, SKOS + "member")
            out.append({**v.link(FILE, x), "count": len(members), "members": v.links(FILE, members)})
    return out
