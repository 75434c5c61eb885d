"""The pieces pages show, as plain data for the templates: links, property values, status, origin,
sources, mappings, relations, review answers, the hierarchy as a tree."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ..namespaces import DCT, PROV, RDFS, SDO, SKOS, SSTX, STATUS_PROPS, XSD
from .graph import Text, humanize, local_name
from .layout import Layout, attr_id
from .vocabulary import SiteVocabulary

#: The mapping properties, in the order the concept page shows them, with their headings.
MATCH_PROPS = (
    ("exactMatch", "Exact match"),
    ("closeMatch", "Close match"),
    ("broadMatch", "Broader match"),
    ("narrowMatch", "Narrower match"),
    ("relatedMatch", "Related match"),
)
#: Well-known vocabularies that mappings point into: IRI start -> name.
_KNOWN_TARGETS = (
    ("http://metadata.un.org/thesaurus/", "UNBIS Thesaurus"),
    ("https://metadata.un.org/thesaurus/", "UNBIS Thesaurus"),
    ("http://eurovoc.europa.eu/", "EuroVoc"),
    ("https://eurovoc.europa.eu/", "EuroVoc"),
    ("http://vocabularies.unesco.org/thesaurus/", "UNESCO Thesaurus"),
    ("https://vocabularies.unesco.org/thesaurus/", "UNESCO Thesaurus"),
    ("http://www.wikidata.org/entity/", "Wikidata"),
    ("https://www.wikidata.org/entity/", "Wikidata"),
    ("http://dbpedia.org/resource/", "DBpedia"),
    ("http://id.loc.gov/", "Library of Congress"),
    ("https://id.loc.gov/", "Library of Congress"),
    ("http://sws.geonames.org/", "GeoNames"),
    ("http://publications.europa.eu/resource/authority/", "EU Publications Office"),
)
#: Short explanations of the registry statuses (reg:status values of the AGLDWG register).
_STATUS_HELP = {
    "accepted": "accepted by the register's control body",
    "experimental": "published for trial; it may still change",
    "stable": "accepted and expected to change rarely",
    "submitted": "a draft proposed for acceptance, awaiting review",
    "deprecated": "still valid but should no longer be used",
    "retired": "withdrawn; kept for reference",
    "superseded": "replaced by another item",
    "invalid": "found to be in error",
    "notAccepted": "reviewed and not accepted",
    "reserved": "reserved for future use",
    "valid": "valid",
    "original": "as originally published",
}
#: What the interagency review statuses mean (they are not the register's statuses).
_REVIEW_STATUS = {
    "draft": "draft: no office has answered yet",
    "underReview": "under review: circulated; answers are coming in",
    "concurred": "concurred: every participating office concurs",
    "revised": "revised: changed after answers; it goes round again",
}
#: sstx:termOrigin values -> the keys the templates use.
TERM_ORIGINS = {SSTX + "roundtableTerm": "roundtable-term", SSTX + "editorsTerm": "editors-term"}


def linkable(iri: str) -> bool:
    return iri.startswith(("http://", "https://"))


class Views:
    """Builds the data of each piece of a page from the model and the layout."""

    def __init__(self, model: SiteVocabulary, layout: Layout) -> None:
        self.m = model
        self.layout = layout
        self.site_title = model.site_title()

    def href(self, from_file: str, iri: str) -> tuple[str, bool]:
        return self.layout.href(from_file, iri)

    def link(self, from_file: str, iri: str) -> dict[str, Any]:
        """A link to ``iri`` from a page: to its page on the site, to the IRI itself, or none."""
        href, internal = self.href(from_file, iri)
        label = self.m.label(iri) if (internal or iri in self.m.g.by_iri) else Text(self.m.curie(iri))
        return {"href": href if (internal or linkable(iri)) else None, "label": label, "iri": iri, "internal": internal}

    def links(self, from_file: str, iris: list[str]) -> list[dict[str, Any]]:
        """Links to ``iris``, sorted by label."""
        return [self.link(from_file, x) for x in sorted(iris, key=self.m.sort_key)]

    def value_view(self, from_file: str, o: Any, inside: frozenset = frozenset()) -> dict[str, Any]:
        """An RDF value: a link, a blank node's own properties, or a literal (with its datatype)."""
        g = self.m.g
        if isinstance(o, g.NamedNode):
            return {"kind": "link", **self.link(from_file, o.value)}
        if isinstance(o, g.BlankNode):
            if o in inside or len(inside) > 8:  # a cycle of blank nodes, or absurdly deep nesting
                return {"kind": "literal", "text": Text("[…]"), "datatype": ""}
            props = g.out.get(o, {})
            rows = [
                {
                    "prop": self.m.prop_label(p),
                    "prop_iri": p,
                    "values": [self.value_view(from_file, v, inside | {o}) for v in vs],
                }
                for p, vs in sorted(props.items())
            ]
            return {"kind": "blank", "rows": rows}
        dt = o.datatype.value if not o.language else ""
        return {
            "kind": "literal",
            "text": Text(o.value, o.language or ""),
            "datatype": self.m.curie(dt) if dt and dt != XSD + "string" else "",
        }

    def property_rows(self, from_file: str, iri: str, skip: set[str]) -> list[dict[str, Any]]:
        """The subject's properties that no section of the page shows (those not in ``skip``)."""
        rows = []
        for p, values in sorted(self.m.g.props(iri).items()):
            if p in skip:
                continue
            rows.append(
                {
                    "prop": self.m.prop_label(p),
                    "prop_iri": p,
                    "values": [self.value_view(from_file, v) for v in values],
                }
            )
        return rows

    def status(self, from_file: str, iri: str) -> dict[str, Any] | None:
        """The register's status of ``iri`` (reg:status, adms:status ...), with what it means."""
        g = self.m.g
        for prop in STATUS_PROPS:
            values = g.iris(iri, prop)
            if values:
                s = values[0]
                name = local_name(s)
                label = self.m.label(s) if s in g.by_iri else Text(humanize(name).lower())
                href, internal = self.href(from_file, s)
                return {
                    "iri": s,
                    "label": label,
                    "key": attr_id(name),
                    "help": _STATUS_HELP.get(name, ""),
                    "href": href if internal or linkable(s) else None,
                }
        return None

    def origin(self, from_file: str, c: str) -> dict[str, Any] | None:
        """Whose words the concept's definition is (sstx:definitionOrigin) and where its term comes from."""
        g = self.m.g
        values = g.iris(c, SSTX + "definitionOrigin")
        if not values:
            return None
        o = values[0]
        name = local_name(o)
        comment = self.m.texts(o, RDFS + "comment")
        href, internal = self.href(from_file, o)
        label = self.m.label(o) if o in g.by_iri else Text(name)
        term = g.iris(c, SSTX + "termOrigin")
        return {
            "key": attr_id(name),
            "label": Text(label.value[:1].upper() + label.value[1:], label.lang),
            "comment": comment[0] if comment else None,
            "verbatim": o == SSTX + "verbatim",
            "href": href if internal else None,
            # sstx:roundtableTerm -> "roundtable-term", sstx:editorsTerm -> "editors-term", else None
            "term": TERM_ORIGINS.get(term[0], "other") if term else None,
        }

    def sources(self, from_file: str, iri: str) -> list[dict[str, Any]]:
        """dcterms:source values: links with their date, or the text as written (a link when it is a URL)."""
        g = self.m.g
        out = []
        for o in g.props(iri).get(DCT + "source", ()):
            if isinstance(o, g.NamedNode):
                view = self.link(from_file, o.value)
                view["date"] = self.m.first_text(o.value, DCT + "date") or self.m.first_text(o.value, DCT + "issued")
                out.append(view)
            elif isinstance(o, g.Literal):
                text = o.value
                url = text if re.match(r"https?://\S+$", text) else None
                out.append(
                    {"href": url, "label": Text(text, o.language or ""), "internal": False, "date": None, "iri": text}
                )
        return out

    def mappings(self, from_file: str, c: str) -> list[dict[str, Any]]:
        """The concept's mappings by property, each target named by the vocabulary it belongs to."""
        groups = []
        for prop, heading in MATCH_PROPS:
            items = [self._mapping(from_file, target) for target in self.m.g.iris(c, SKOS + prop)]
            if items:
                items.sort(key=lambda i: (i["source"], i["iri"]))
                groups.append({"prop": prop, "heading": heading, "items": items})
        return groups

    def _mapping(self, from_file: str, target: str) -> dict[str, Any]:
        href, internal = self.href(from_file, target)
        if internal:
            return {
                "href": href,
                "source": self.site_title,
                "label": self.m.label(target),
                "iri": target,
                "internal": True,
            }
        name = next((n for start, n in _KNOWN_TARGETS if target.startswith(start)), None)
        host = urlsplit(target).hostname or target
        return {
            "href": target if linkable(target) else None,
            "source": name or host,
            "label": Text(local_name(target) if name else target),
            "iri": target,
            "internal": False,
        }

    def breadcrumbs(self, from_file: str, c: str) -> list[dict[str, Any]]:
        """The chain of first broader concepts up to a top concept (stopping at a cycle)."""
        chain: list[str] = []
        seen = {c}
        x = c
        while self.m.parents.get(x):
            p = self.m.parents[x][0]
            if p in seen:
                break
            seen.add(p)
            chain.append(p)
            x = p
        return [self.link(from_file, p) for p in reversed(chain)]

    def related(self, c: str) -> set[str]:
        """Concepts related to ``c``, stated on either side."""
        g, cs = self.m.g, self.m.concept_set
        out = {x for x in g.iris(c, SKOS + "related") if x in cs and x != c}
        for s, p in g.incoming.get(c, ()):
            if p == SKOS + "related" and isinstance(s, g.NamedNode) and s.value in cs and s.value != c:
                out.add(s.value)
        return out

    def editorial(self, c: str) -> set[str]:
        """Concepts whose relation to ``c`` the editors marked as their reading (sstx:editorialRelation,
        stated on either side)."""
        g = self.m.g
        out = set(g.iris(c, SSTX + "editorialRelation"))
        for s, p in g.incoming.get(c, ()):
            if p == SSTX + "editorialRelation" and isinstance(s, g.NamedNode):
                out.add(s.value)
        return out

    def external_semantic(self, file: str, c: str) -> list[dict[str, Any]]:
        """broader/narrower/related values that are not concepts of this vocabulary."""
        out = []
        for prop, heading in (
            ("broader", "Broader (outside this vocabulary)"),
            ("narrower", "Narrower (outside this vocabulary)"),
            ("related", "Related (outside this vocabulary)"),
        ):
            values = [x for x in self.m.g.iris(c, SKOS + prop) if x not in self.m.concept_set]
            if values:
                out.append({"heading": heading, "links": [self.link(file, x) for x in values]})
        return out

    def review_status(self, c: str) -> str | None:
        """The interagency review status, with what it means (it is not the register's status)."""
        values = self.m.g.iris(c, SSTX + "reviewStatus")
        if not values:
            return None
        name = local_name(values[0])
        return _REVIEW_STATUS.get(name, humanize(name).lower())

    def responses(self, c: str) -> list[str]:
        """The review responses to the concept's definition: office - response - date - note."""
        g = self.m.g
        out = []
        for r in g.props(c).get(SSTX + "reviewResponse", ()):
            props = g.out.get(r, {})
            office = [o for o in props.get(PROV + "wasAssociatedWith", ()) if not isinstance(o, g.Literal)]
            name = None
            if office:
                alt = self.m.texts(office[0].value, SDO + "alternateName")
                name = alt[0].value if alt else self.m.label(office[0].value).value
            kind = [o.value.rsplit("#", 1)[-1] for o in props.get(SSTX + "responseType", ())]
            date = [o.value for o in props.get(DCT + "date", ()) if isinstance(o, g.Literal)]
            note = [o.value for o in props.get(RDFS + "comment", ()) if isinstance(o, g.Literal)]
            parts = [name or "?", kind[0] if kind else "?", date[0] if date else "(no date)"] + note[:1]
            out.append(" - ".join(parts))
        return sorted(out, key=lambda t: (t.split(" - ")[2], t))

    def tree(self, file: str) -> list[dict[str, Any]]:
        """The hierarchy as nested items; a concept under several parents is expanded once."""
        expanded: set[str] = set()
        children = self.m.children

        def item(c: str, path: frozenset[str]) -> dict[str, Any]:
            first = c not in expanded
            expanded.add(c)
            kids = []
            if first:
                kids = [item(k, path | {c}) for k in children[c] if k not in path]
            return {**self.link(file, c), "children": kids, "repeat": not first and bool(children[c])}

        return [item(t, frozenset()) for t in self.m.tops]
