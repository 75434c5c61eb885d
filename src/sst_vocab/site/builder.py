"""Building the site: every page and data file of a loaded vocabulary."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable
from urllib.parse import urlsplit

from ..namespaces import (DCT, OWL, PREFIXES, PROV, RDF_TYPE, RDFS, SDO, SKOS, SSTX, STATUS_PROPS, XSD,
                          curie)
from .graph import Text, _Graph, _humanize, _local_name, _pick
from .layout import (_EXTENSION_END, _MOVABLE, SCHEME_VARIANTS, VARIANTS, Resource, Site, _attr_id, _fallback_stem,
                     _natural_path, _relative)
from .pictures import _hierarchy_svg, _neighbourhood_svg
from .slices import _context_prefixes, _is_prefix, _keys_and_types, _nt_by_subject, _nt_closure, _pruned_context

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

FOAF = "http://xmlns.com/foaf/0.1/"

# ---------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------

_NOTE_PROPS = (
    ("scopeNote", "Scope note"),
    ("example", "Examples"),
    ("note", "Notes"),
    ("historyNote", "History"),
    ("changeNote", "Changes"),
    ("editorialNote", "Editorial notes"),
)
_MATCH_PROPS = (
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
_FORMAT_NAMES = {".ttl": "Turtle", ".jsonld": "JSON-LD", ".nt": "N-Triples", ".rdf": "RDF/XML", ".csv": "CSV"}
#: Properties that the concept page shows in their own sections.
_SHOWN = {
    RDF_TYPE, SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", SKOS + "definition",
    SKOS + "broader", SKOS + "narrower", SKOS + "related", SKOS + "inScheme", SKOS + "topConceptOf",
    SKOS + "notation", SSTX + "definitionOrigin", SSTX + "termOrigin", SSTX + "editorialRelation", DCT + "source",
    *STATUS_PROPS,
    OWL + "deprecated", DCT + "isReplacedBy", SSTX + "reviewResponse", SSTX + "reviewStatus",
    *(SKOS + p for p, _ in _NOTE_PROPS), *(SKOS + p for p, _ in _MATCH_PROPS),
}
#: sstx:termOrigin values -> the keys the templates use.
_TERM_ORIGINS = {SSTX + "roundtableTerm": "roundtable-term", SSTX + "editorsTerm": "editors-term"}
_LABEL_PROPS = (SKOS + "prefLabel", RDFS + "label", SDO + "name", FOAF + "name", DCT + "title", SKOS + "altLabel")


class _Builder:
    def __init__(self, vocab: "Vocabulary") -> None:
        from ..export import read_source

        source = read_source(vocab)
        self.vocab = vocab
        self.g = _Graph(source.quads)
        self.prefixes = {**PREFIXES, **source.prefixes}
        self.source_prefixes = source.prefixes
        g = self.g
        self.concepts = sorted(
            s for s, props in g.by_iri.items() if any(o.value == SKOS + "Concept" for o in props.get(RDF_TYPE, ()))
        )
        self.concept_set = set(self.concepts)
        schemes = sorted(
            s for s, props in g.by_iri.items()
            if any(o.value == SKOS + "ConceptScheme" for o in props.get(RDF_TYPE, ()))
        )
        members: dict[str, int] = {s: 0 for s in schemes}
        for c in self.concepts:
            for s in set(g.iris(c, SKOS + "inScheme")) | set(g.iris(c, SKOS + "topConceptOf")):
                if s in members:
                    members[s] += 1
        self.scheme = max(schemes, key=lambda s: (members[s], -schemes.index(s))) if schemes else None
        self.other_schemes = [s for s in schemes if s != self.scheme]
        self.base = self._base()
        self.lang = self._language()
        self._labels: dict[str, Text] = {}

    def _site_title(self) -> str:
        """The main scheme's title; with several schemes, all of theirs (up to three), or the main
        one's and how many others, so the site does not pass for one scheme among several."""
        if not self.scheme:
            return "SKOS vocabulary"
        main = self.label(self.scheme).value
        if not self.other_schemes:
            return main
        if len(self.other_schemes) <= 2:
            return " · ".join([main] + [self.label(s).value for s in self.other_schemes])
        return f"{main} and {len(self.other_schemes)} other concept schemes"

    # -- basics ------------------------------------------------------------

    def _base(self) -> str:
        if self.scheme:
            s = self.scheme
            return s if s.endswith(("/", "#")) else s + "/"
        iris = self.concepts
        if not iris:
            return "urn:x-sst-vocab:"
        prefix = os.path.commonprefix(iris)
        cut = max(prefix.rfind("/"), prefix.rfind("#"))
        return prefix[: cut + 1] if cut >= 0 else "urn:x-sst-vocab:"

    def _language(self) -> str:
        if self.scheme:
            for iri in self.g.iris(self.scheme, DCT + "language"):
                tail = _local_name(iri)
                if re.fullmatch(r"[a-z]{2,3}", tail):
                    return tail
            for t in self.g.texts(self.scheme, DCT + "language"):
                if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", t.value):
                    return t.value.lower()
        counts: dict[str, int] = {}
        for c in self.concepts:
            for t in self.g.texts(c, SKOS + "prefLabel"):
                if t.lang:
                    counts[t.lang.lower()] = counts.get(t.lang.lower(), 0) + 1
        if "en" in counts or not counts:
            return "en"
        return max(sorted(counts), key=lambda k: counts[k])

    def label(self, iri: str) -> Text:
        found = self._labels.get(iri)
        if found is None:
            found = Text(self.curie(iri))
            for prop in _LABEL_PROPS:
                picked = _pick(self.g.texts(iri, prop), self.lang)
                if picked:
                    found = picked[0]
                    break
            self._labels[iri] = found
        return found

    def curie(self, iri: str) -> str:
        return curie(iri, self.prefixes)

    # -- hierarchy ---------------------------------------------------------

    def hierarchy(self) -> None:
        g, cs = self.g, self.concept_set
        parents: dict[str, set[str]] = {c: set() for c in self.concepts}
        for c in self.concepts:
            for b in g.iris(c, SKOS + "broader"):
                if b in cs and b != c:
                    parents[c].add(b)
            for n in g.iris(c, SKOS + "narrower"):
                if n in cs and n != c:
                    parents[n].add(c)
        children: dict[str, set[str]] = {c: set() for c in self.concepts}
        for c, ps in parents.items():
            for p in ps:
                children[p].add(c)
        key = self.sort_key
        self.parents = {c: sorted(ps, key=key) for c, ps in parents.items()}
        self.children = {c: sorted(ch, key=key) for c, ch in children.items()}
        tops: set[str] = set()
        if self.scheme:
            tops |= {c for c in g.iris(self.scheme, SKOS + "hasTopConcept") if c in cs}
            tops |= {c for c in self.concepts if self.scheme in g.iris(c, SKOS + "topConceptOf")}
        # Deprecated concepts are out of the hierarchy (and of the picture, the tree and the counts).
        self.deprecated = {c for c in self.concepts if any(
            isinstance(o, g.Literal) and o.value.lower() in ("true", "1") for o in g.props(c).get(OWL + "deprecated", ()))}
        tops |= {c for c in self.concepts if not parents[c]}
        tops -= {c for c in self.deprecated if not parents[c]}
        # Concepts only reachable through a cycle: show the first of each cycle at the top.
        reached: set[str] = set()
        stack = list(tops)
        while stack:
            c = stack.pop()
            if c not in reached:
                reached.add(c)
                stack.extend(self.children[c])
        for c in self.concepts:
            if c not in reached and c not in self.deprecated:
                tops.add(c)
                stack = [c]
                while stack:
                    x = stack.pop()
                    if x not in reached:
                        reached.add(x)
                        stack.extend(self.children[x])
        self.tops = sorted(tops, key=key)

    def sort_key(self, iri: str) -> tuple[str, str]:
        return (self.label(iri).value.casefold(), iri)

    # -- paths -------------------------------------------------------------

    def assign_paths(self) -> None:
        """Give every page a file stem; pages mirror IRI paths below the base."""
        g, base = self.g, self.base
        taken: set[str] = {"index", "context", "assets/site", "assets/search-index"}
        self.stem: dict[str, str] = {}
        self.negotiable: dict[str, str] = {}  # IRI -> request path
        if self.scheme:
            self.stem[self.scheme] = "index"
        fallback: list[str] = []
        for c in self.concepts:
            natural = _natural_path(c, base)
            if natural is None or natural.lower() in taken:
                fallback.append(c)
                continue
            taken.add(natural.lower())
            self.stem[c] = natural
            if not base.endswith("#"):
                self.negotiable[c] = natural
        for c in fallback:
            stem = _fallback_stem(c, taken)
            taken.add(stem.lower())
            self.stem[c] = stem
            # Its IRI is still answered at its own path when that path is usable (a name the site
            # needs for itself, ``index``): the server and the redirect rules point it at the moved files.
            rest = c[len(base):] if c.startswith(base) and not base.endswith("#") else ""
            if rest and _MOVABLE.fullmatch(rest) and not _EXTENSION_END.search(rest) and \
                    all(seg not in ("", ".", "..") for seg in rest.split("/")):
                self.negotiable[c] = rest
        # Other resources under the base (agents, sources, collections, ontology terms):
        # one page per document (the IRI without its fragment).
        docs: dict[str, list[str]] = {}
        if not base.endswith("#"):
            for s in sorted(g.by_iri):
                if s in self.concept_set or s == self.scheme:
                    continue
                doc = s.split("#", 1)[0]
                if doc in self.concept_set or doc == self.scheme or doc in self.stem:
                    continue
                natural = _natural_path(doc, base)
                if natural is None:
                    continue
                docs.setdefault(doc, []).append(s)
        self.docs: dict[str, list[str]] = {}
        for doc, subjects in sorted(docs.items()):
            natural = _natural_path(doc, base)
            assert natural is not None
            if natural.lower() in taken:
                continue
            # A folder of pages and a page of the same name can both exist (a.html, a/b.html).
            taken.add(natural.lower())
            self.stem[doc] = natural
            self.negotiable[doc] = natural
            self.docs[doc] = subjects
        # What the server negotiates and the redirect rules redirect: path below the base -> resource.
        resources: dict[str, Resource] = {}
        # The index answers for the scheme IRI (or for the base, when the files declare no scheme).
        resources[""] = Resource(self.scheme or self.base, "", "index", self._variants("index", SCHEME_VARIANTS),
                                 "scheme")
        for iri, path in self.negotiable.items():
            kind = "concept" if iri in self.concept_set else "resource"
            resources[path] = Resource(iri, path, self.stem[iri], self._variants(self.stem[iri], VARIANTS), kind)
        self.resources = dict(sorted(resources.items()))
        # Where each IRI is described.
        self.page: dict[str, str] = {}
        for iri, stem in self.stem.items():
            self.page[iri] = stem + ".html"
        for doc, subjects in self.docs.items():
            for s in subjects:
                if s != doc:
                    self.page[s] = self.stem[doc] + ".html#" + _attr_id(s.split("#", 1)[1])

    def href(self, from_file: str, iri: str) -> tuple[str, bool]:
        """(URL, internal) for a link to ``iri`` from a page."""
        target = self.page.get(iri)
        if target is not None:
            return _relative(from_file, target), True
        return iri, False

    # -- building ----------------------------------------------------------

    def build(self) -> Site:
        import jinja2

        from ..export import context_bytes, context_document, jsonld_bytes, serialize, to_jsonld

        self.hierarchy()
        self.assign_paths()
        files: dict[str, bytes] = {}

        # The whole vocabulary, once per format.
        from ..progress import update as progress_update

        progress_update("writing the whole vocabulary in each format")
        whole: dict[str, bytes] = {}
        for fmt, ext in (("turtle", ".ttl"), ("ntriples", ".nt"), ("rdfxml", ".rdf"), ("csv", ".csv")):
            whole[ext] = serialize(self.vocab, fmt)
        doc = to_jsonld(self.vocab)
        whole[".jsonld"] = jsonld_bytes(doc)
        self.context = context_document()["@context"]
        self._context_keep = frozenset(
            name for name, value in self.context.items() if name.startswith("@") or _is_prefix(name, value)
        )
        nt_groups = _nt_by_subject(whole[".nt"])
        self.nodes = self._nodes_by_subject(doc["@graph"])

        env = jinja2.Environment(
            loader=jinja2.PackageLoader("sst_vocab", "templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
        env.filters["t"] = self._text_filter
        env.filters["link"] = self._link_filter
        env.filters["jsonscript"] = _json_script
        self.env = env
        from importlib.metadata import PackageNotFoundError, version

        try:
            tool_version = version("sst-vocab")
        except PackageNotFoundError:  # pragma: no cover
            tool_version = "0"
        self.common = {
            "lang": self.lang,
            "site_title": self._site_title(),
            "tool_version": tool_version,
            "scheme_version": self._first_text(self.scheme, OWL + "versionInfo") if self.scheme else None,
        }

        # Concept pages and their data.
        from ..progress import update

        concept_template = env.get_template("concept.html")
        for number, c in enumerate(self.concepts):
            if not number % 50:
                update("building concept pages", number, len(self.concepts))
            stem = self.stem[c]
            data = self._data_files(stem, [c], nt_groups)
            files.update(data)
            files[stem + ".html"] = self._concept_page(concept_template, c, data).encode("utf-8")

        # Other resources under the base.
        resource_template = env.get_template("resource.html")
        for doc_iri, subjects in self.docs.items():
            stem = self.stem[doc_iri]
            data = self._data_files(stem, subjects, nt_groups)
            files.update(data)
            files[stem + ".html"] = self._resource_page(resource_template, doc_iri, subjects, data).encode("utf-8")

        # The index: the scheme and the whole vocabulary.
        for ext, data in whole.items():
            files["index" + ext] = data
        files["context.jsonld"] = context_bytes()
        files["index.html"] = self._index_page(env.get_template("index.html"), files).encode("utf-8")

        # Assets.
        from importlib.resources import files as package_files

        templates = package_files("sst_vocab").joinpath("templates")
        files["assets/site.css"] = templates.joinpath("site.css").read_bytes()
        files["assets/site.js"] = templates.joinpath("site.js").read_bytes()
        files["assets/search-index.js"] = self._search_index()

        return self.site(dict(sorted(files.items())))

    def plan(self) -> Site:
        """The site's layout (paths, resources) without building any file."""
        self.hierarchy()
        self.assign_paths()
        return self.site({})

    def site(self, files: dict[str, bytes]) -> Site:
        return Site(
            files=files,
            base=self.base,
            scheme=self.scheme,
            resources=self.resources,
            pages=dict(sorted(self.page.items())),
            concepts=len(self.concepts),
        )

    @staticmethod
    def _variants(stem: str, variants: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        return tuple((media, stem + ext) for media, ext in variants)

    def _first_text(self, iri: str | None, prop: str) -> str | None:
        if not iri:
            return None
        values = [o.value for o in self.g.props(iri).get(prop, ()) if not isinstance(o, self.g.BlankNode)]
        return values[0] if values else None

    # -- data files --------------------------------------------------------

    def _nodes_by_subject(self, graph: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        prefixes = _context_prefixes(self.context)
        out: dict[str, dict[str, Any]] = {}
        for node in graph:
            ident = node.get("@id", "")
            prefix, sep, local = ident.partition(":")
            if sep and prefix in prefixes and not local.startswith("//"):
                ident = prefixes[prefix] + local
            out[ident] = node
        return out

    def _data_files(self, stem: str, subjects: list[str], nt_groups: dict[str, list[str]]) -> dict[str, bytes]:
        """Turtle, JSON-LD, N-Triples and RDF/XML describing ``subjects`` (their triples, blank nodes included)."""
        import pyoxigraph as ox

        from ..export import jsonld_bytes, serialize
        from ..loader import Vocabulary

        lines = _nt_closure(subjects, nt_groups)
        nt = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
        # Turtle and RDF/XML: sst_vocab.export on exactly these triples, with the prefixes they use.
        body = "\n".join(lines) + "\n"
        used = [(p, ns) for p, ns in self.source_prefixes.items() if "<" + ns in body]
        text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in used) + body
        part = Vocabulary(store=ox.Store(), files=[], texts={Path(stem + ".nt"): text})
        out = {
            stem + ".ttl": serialize(part, "turtle"),
            stem + ".nt": nt,
            stem + ".rdf": serialize(part, "rdfxml"),
        }
        self.last_doc = self._jsonld_doc(self._jsonld_nodes(subjects))
        out[stem + ".jsonld"] = jsonld_bytes(self.last_doc)
        return out

    def _jsonld_nodes(self, subjects: list[str]) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = []
        seen: set[str] = set()
        todo = list(subjects)
        while todo:
            s = todo.pop(0)
            if s in seen or s not in self.nodes:
                continue
            seen.add(s)
            node = self.nodes[s]
            nodes.append(node)
            blanks: set[str] = set()
            _keys_and_types(node, set(), set(), blanks)
            todo.extend(sorted(b for b in blanks if b in self.nodes and b not in seen))
        return nodes

    def _jsonld_doc(self, nodes: list[dict[str, Any]]) -> dict[str, Any]:
        ctx = _pruned_context(self.context, nodes, self._context_keep)
        if len(nodes) == 1:
            return {"@context": ctx, **nodes[0]}
        return {"@context": ctx, "@graph": nodes}

    # -- views -------------------------------------------------------------

    def _text_filter(self, value: Any) -> Any:
        from markupsafe import Markup, escape

        if isinstance(value, Text):
            if value.lang and value.lang.lower() != self.lang:
                return Markup(f'<span lang="{escape(value.lang)}">{escape(value.value)}</span>')
            return escape(value.value)
        return escape(value)

    def _link_filter(self, link: dict[str, Any]) -> Any:
        """``{{ l|link }}``: an ``<a>`` to a page of the site or an external link, or the plain label."""
        from markupsafe import Markup, escape

        label = self._text_filter(link["label"])
        href = link.get("href")
        if not href:
            return Markup(f'<span class="iri">{label}</span>')
        extra = "" if link.get("internal") else ' class="external" rel="external"'
        return Markup(f'<a href="{escape(href)}"{extra}>{label}</a>')

    def link(self, from_file: str, iri: str) -> dict[str, Any]:
        href, internal = self.href(from_file, iri)
        label = self.label(iri) if (internal or iri in self.g.by_iri) else Text(self.curie(iri))
        return {"href": href if (internal or _linkable(iri)) else None, "label": label, "iri": iri,
                "internal": internal}

    def value_view(self, from_file: str, o: Any, inside: frozenset = frozenset()) -> dict[str, Any]:
        g = self.g
        if isinstance(o, g.NamedNode):
            return {"kind": "link", **self.link(from_file, o.value)}
        if isinstance(o, g.BlankNode):
            if o in inside or len(inside) > 8:  # a cycle of blank nodes, or absurdly deep nesting
                return {"kind": "literal", "text": Text("[…]"), "datatype": ""}
            props = g.out.get(o, {})
            rows = [
                {"prop": self.prop_label(p), "prop_iri": p,
                 "values": [self.value_view(from_file, v, inside | {o}) for v in vs]}
                for p, vs in sorted(props.items())
            ]
            return {"kind": "blank", "rows": rows}
        dt = o.datatype.value if not o.language else ""
        return {
            "kind": "literal",
            "text": Text(o.value, o.language or ""),
            "datatype": self.curie(dt) if dt and dt != XSD + "string" else "",
        }

    def prop_label(self, p: str) -> str:
        """A property's rdfs:label when the vocabulary defines one (``review status``), else its CURIE."""
        if p in self.g.by_iri:
            found = _pick(self.g.texts(p, RDFS + "label"), self.lang)
            if found:
                return found[0].value
        return self.curie(p)

    def property_rows(self, from_file: str, iri: str, skip: set[str]) -> list[dict[str, Any]]:
        rows = []
        for p, values in sorted(self.g.props(iri).items()):
            if p in skip:
                continue
            rows.append({
                "prop": self.prop_label(p),
                "prop_iri": p,
                "values": [self.value_view(from_file, v) for v in values],
            })
        return rows

    def _status(self, from_file: str, iri: str) -> dict[str, Any] | None:
        for prop in STATUS_PROPS:
            values = self.g.iris(iri, prop)
            if values:
                s = values[0]
                name = _local_name(s)
                label = self.label(s) if s in self.g.by_iri else Text(_humanize(name).lower())
                href, internal = self.href(from_file, s)
                return {"iri": s, "label": label, "key": _attr_id(name),
                        "help": _STATUS_HELP.get(name, ""), "href": href if internal or _linkable(s) else None}
        return None

    def _origin(self, from_file: str, c: str) -> dict[str, Any] | None:
        values = self.g.iris(c, SSTX + "definitionOrigin")
        if not values:
            return None
        o = values[0]
        name = _local_name(o)
        comment = _pick(self.g.texts(o, RDFS + "comment"), self.lang)
        href, internal = self.href(from_file, o)
        label = self.label(o) if o in self.g.by_iri else Text(name)
        term = self.g.iris(c, SSTX + "termOrigin")
        return {
            "key": _attr_id(name),
            "label": Text(label.value[:1].upper() + label.value[1:], label.lang),
            "comment": comment[0] if comment else None,
            "verbatim": o == SSTX + "verbatim",
            "href": href if internal else None,
            # sstx:roundtableTerm -> "roundtable-term", sstx:editorsTerm -> "editors-term", else None
            "term": _TERM_ORIGINS.get(term[0], "other") if term else None,
        }

    def _sources(self, from_file: str, iri: str) -> list[dict[str, Any]]:
        out = []
        for o in self.g.props(iri).get(DCT + "source", ()):
            if isinstance(o, self.g.NamedNode):
                view = self.link(from_file, o.value)
                date = self._first_text(o.value, DCT + "date") or self._first_text(o.value, DCT + "issued")
                view["date"] = date
                out.append(view)
            elif isinstance(o, self.g.Literal):
                text = o.value
                url = text if re.match(r"https?://\S+$", text) else None
                out.append({"href": url, "label": Text(text, o.language or ""), "internal": False, "date": None,
                            "iri": text})
        return out

    def _mappings(self, from_file: str, c: str) -> list[dict[str, Any]]:
        groups = []
        for prop, heading in _MATCH_PROPS:
            items = []
            for target in self.g.iris(c, SKOS + prop):
                href, internal = self.href(from_file, target)
                if internal:
                    items.append({"href": href, "source": self.common["site_title"], "label": self.label(target),
                                  "iri": target, "internal": True})
                    continue
                name = next((n for start, n in _KNOWN_TARGETS if target.startswith(start)), None)
                host = urlsplit(target).hostname or target
                items.append({"href": target if _linkable(target) else None, "source": name or host,
                              "label": Text(_local_name(target) if name else target), "iri": target,
                              "internal": False})
            if items:
                items.sort(key=lambda i: (i["source"], i["iri"]))
                groups.append({"prop": prop, "heading": heading, "items": items})
        return groups

    def _breadcrumbs(self, from_file: str, c: str) -> list[dict[str, Any]]:
        chain: list[str] = []
        seen = {c}
        x = c
        while self.parents.get(x):
            p = self.parents[x][0]
            if p in seen:
                break
            seen.add(p)
            chain.append(p)
            x = p
        return [self.link(from_file, p) for p in reversed(chain)]

    def _page_common(self, file: str, title: str, iri: str, data: dict[str, bytes]) -> dict[str, Any]:
        depth = file.count("/")
        root = "../" * depth
        stem = file[: -len(".html")]
        alternates = [
            {"type": media, "href": _relative(file, stem + ext), "ext": ext[1:], "size": len(data[stem + ext]),
             "name": _FORMAT_NAMES[ext]}
            for media, ext in VARIANTS[1:]
            if stem + ext in data
        ]
        return {
            **self.common,
            "root": root,
            "index_href": _relative(file, "index.html"),
            "title": title,
            "iri": iri,
            "alternates": alternates,
        }

    def _concept_page(self, template: Any, c: str, data: dict[str, bytes]) -> str:
        g = self.g
        file = self.stem[c] + ".html"
        label = self.label(c)
        defs = g.texts(c, SKOS + "definition")
        main_defs = _pick(defs, self.lang)
        other_defs = sorted((d for d in defs if d not in main_defs), key=lambda d: (d.lang, d.value))
        pref_all = g.texts(c, SKOS + "prefLabel")
        other_labels = sorted((t for t in pref_all if t != label), key=lambda t: (t.lang, t.value))
        notes = []
        for prop, heading in _NOTE_PROPS:
            texts = g.texts(c, SKOS + prop)
            if texts:
                notes.append({"prop": prop, "heading": heading,
                              "texts": sorted(texts, key=lambda t: (t.lang != self.lang, t.lang, t.value))})
        # The subject's own properties that no section shows (rdfs:isDefinedBy, ...).
        others = self.property_rows(file, c, _SHOWN)
        # Relations the editors marked as their reading (sstx:editorialRelation, either side).
        editorial = set(g.iris(c, SSTX + "editorialRelation"))
        for s_, p_ in g.incoming.get(c, ()):
            if p_ == SSTX + "editorialRelation" and isinstance(s_, g.NamedNode):
                editorial.add(s_.value)
        ctx = {
            **self._page_common(file, label.value, c, data),
            "label": label,
            "curie": self.curie(c),
            "notations": [o.value for o in g.props(c).get(SKOS + "notation", ()) if isinstance(o, g.Literal)],
            "alt_labels": sorted(g.texts(c, SKOS + "altLabel"), key=lambda t: (t.lang != self.lang, t.lang, t.value)),
            "other_labels": other_labels,
            "definitions": main_defs,
            "other_definitions": other_defs,
            "origin": self._origin(file, c),
            "sources": self._sources(file, c),
            "status": self._status(file, c),
            "breadcrumbs": self._breadcrumbs(file, c),
            "broader": [{**self.link(file, x), "editorial": x in editorial} for x in self.parents[c]],
            "narrower": [{**self.link(file, x), "editorial": x in editorial} for x in self.children[c]],
            "related": [{**self.link(file, x), "editorial": x in editorial}
                        for x in sorted(self._related(c), key=self.sort_key)],

            "external_links": self._external_semantic(file, c),
            "notes": notes,
            "mappings": self._mappings(file, c),
            "others": others,
            "schemes": [self.link(file, s) for s in sorted(set(g.iris(c, SKOS + "inScheme")) | set(g.iris(c, SKOS + "topConceptOf")))],
            "is_top": c in self.tops and c not in self.deprecated,
            "deprecated": c in self.deprecated,
            "replaced_by": [self.link(file, x) for x in sorted(g.iris(c, DCT + "isReplacedBy"), key=self.sort_key)],
            "responses": self._responses(c),
            "review_status": self._review_status(c),
            "picture": _neighbourhood_svg(self, file, c),
            "turtle": data[self.stem[c] + ".ttl"].decode("utf-8"),
            "jsonld": data[self.stem[c] + ".jsonld"].decode("utf-8"),
            "head_jsonld": self.last_doc,
        }
        return template.render(ctx)

    def _review_status(self, c: str) -> str | None:
        """The interagency review status, with what it means (it is not the register's status)."""
        values = self.g.iris(c, SSTX + "reviewStatus")
        if not values:
            return None
        name = _local_name(values[0])
        words = {"draft": "draft: no office has answered yet",
                 "underReview": "under review: circulated; answers are coming in",
                 "concurred": "concurred: every participating office concurs",
                 "revised": "revised: changed after answers; it goes round again"}
        return words.get(name, _humanize(name).lower())

    def _responses(self, c: str) -> list[str]:
        """The review responses to the concept's definition: office - response - date - note."""
        g = self.g
        out = []
        for r in g.props(c).get(SSTX + "reviewResponse", ()):
            props = g.out.get(r, {})
            office = [o for o in props.get(PROV + "wasAssociatedWith", ()) if not isinstance(o, g.Literal)]
            name = None
            if office:
                alt = _pick(g.texts(office[0].value, SDO + "alternateName"), self.lang)
                name = alt[0].value if alt else self.label(office[0].value).value
            kind = [o.value.rsplit("#", 1)[-1] for o in props.get(SSTX + "responseType", ())]
            date = [o.value for o in props.get(DCT + "date", ()) if isinstance(o, g.Literal)]
            note = [o.value for o in props.get(RDFS + "comment", ()) if isinstance(o, g.Literal)]
            parts = [name or "?", kind[0] if kind else "?", date[0] if date else "(no date)"] + note[:1]
            out.append(" - ".join(parts))
        return sorted(out, key=lambda t: (t.split(" - ")[2], t))

    def _related(self, c: str) -> set[str]:
        out = {x for x in self.g.iris(c, SKOS + "related") if x in self.concept_set and x != c}
        for s, p in self.g.incoming.get(c, ()):
            if p == SKOS + "related" and isinstance(s, self.g.NamedNode) and s.value in self.concept_set and s.value != c:
                out.add(s.value)
        return out

    def _external_semantic(self, file: str, c: str) -> list[dict[str, Any]]:
        """broader/narrower/related values that are not concepts of this vocabulary."""
        out = []
        for prop, heading in (("broader", "Broader (outside this vocabulary)"),
                              ("narrower", "Narrower (outside this vocabulary)"),
                              ("related", "Related (outside this vocabulary)")):
            values = [x for x in self.g.iris(c, SKOS + prop) if x not in self.concept_set]
            if values:
                out.append({"heading": heading, "links": [self.link(file, x) for x in values]})
        return out

    def _resource_page(self, template: Any, doc: str, subjects: list[str], data: dict[str, bytes]) -> str:
        file = self.stem[doc] + ".html"
        main = doc if doc in subjects else subjects[0]
        title = self.label(main).value
        sections = []
        for s in ([main] + [x for x in subjects if x != main]):
            types = [{**self.link(file, t), "name": _humanize(_local_name(t))} for t in self.g.iris(s, RDF_TYPE)]
            incoming = sorted(
                {(p, x.value) for x, p in self.g.incoming.get(s, ()) if isinstance(x, self.g.NamedNode)},
                key=lambda px: (self.curie(px[0]), self.sort_key(px[1])),
            )
            sections.append({
                "iri": s,
                "id": _attr_id(s.split("#", 1)[1]) if "#" in s else "",
                "label": self.label(s),
                "types": types,
                "rows": self.property_rows(file, s, {RDF_TYPE}),
                "incoming": [{"prop": self.curie(p), "link": self.link(file, x)} for p, x in incoming[:200]],
                "incoming_more": max(0, len(incoming) - 200),
            })
        ctx = {
            **self._page_common(file, title, doc, data),
            "label": self.label(main),
            "sections": sections,
            "turtle": data[self.stem[doc] + ".ttl"].decode("utf-8"),
            "head_jsonld": self.last_doc,
        }
        return template.render(ctx)

    def _index_page(self, template: Any, files: dict[str, bytes]) -> str:
        g, s = self.g, self.scheme
        file = "index.html"
        title = self.label(s) if s else Text("SKOS vocabulary")
        name = _attr_id(_local_name(s)) if s else "vocabulary"
        version = self._first_text(s, OWL + "versionInfo")
        stem = f"{name}-{version}" if version else name
        downloads = []
        for label, ext, media, note in (
            ("Turtle", ".ttl", "text/turtle", "the vocabulary as written, with its prefixes"),
            ("JSON-LD", ".jsonld", "application/ld+json", "compact, with the context embedded"),
            ("N-Triples", ".nt", "application/n-triples", "one triple per line, sorted"),
            ("RDF/XML", ".rdf", "application/rdf+xml", "for older RDF tools"),
            ("CSV", ".csv", "text/csv", "one row per concept, for spreadsheets"),
        ):
            data = files["index" + ext]
            downloads.append({"label": label, "href": "index" + ext, "download": stem + ext, "media": media,
                              "size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "note": note})
        ctx_data = files["context.jsonld"]
        downloads.append({"label": "JSON-LD context", "href": "context.jsonld", "download": f"{name}.context.jsonld",
                          "media": "application/ld+json", "size": len(ctx_data),
                          "sha256": hashlib.sha256(ctx_data).hexdigest(),
                          "note": "the term definitions used by the JSON-LD files"})

        facts = []
        if s:
            def fact(label: str, prop: str, kind: str = "text") -> None:
                values = g.props(s).get(prop, ())
                if values:
                    facts.append({"label": label, "values": [self.value_view(file, v) for v in values]})

            fact("Version", OWL + "versionInfo")
            fact("Version IRI", OWL + "versionIRI")
            fact("Created", DCT + "created")
            fact("Issued", DCT + "issued")
            fact("Modified", DCT + "modified")
            fact("Creator", DCT + "creator")
            fact("Publisher", DCT + "publisher")
            fact("License", DCT + "license")
            fact("Rights", DCT + "rights")
            fact("Language", DCT + "language")

        # Definition origins (verbatim vs editorial) and statuses, counted.
        origin_counts: dict[str, int] = {}
        for c in self.concepts:
            if c in self.deprecated:
                continue
            for o in g.iris(c, SSTX + "definitionOrigin"):
                origin_counts[o] = origin_counts.get(o, 0) + 1
        origins = [
            {"label": self.label(o) if o in g.by_iri else Text(_local_name(o)), "count": n, "key": _attr_id(_local_name(o)),
             "comment": (_pick(g.texts(o, RDFS + "comment"), self.lang) or [None])[0]}
            for o, n in sorted(origin_counts.items(), key=lambda kv: (kv[0] != SSTX + "verbatim", kv[0]))
        ]

        sources = []
        source_iris: list[str] = []
        if s:
            for prop in (DCT + "source", PROV + "wasDerivedFrom"):
                for x in g.iris(s, prop):
                    if x not in source_iris:
                        source_iris.append(x)
        # Contributors of the encoding (the scheme's dcterms:contributor) or, when it has none, the
        # participants named on its source documents (dcterms:contributor there, or a
        # prov:qualifiedAttribution's agent): people who took part in the work the source records,
        # not in the encoding.
        agent_iris = list(g.iris(s, DCT + "contributor")) if s else []
        from_source = not agent_iris
        if from_source:
            for x in source_iris:
                found = list(g.iris(x, DCT + "contributor"))
                for q in g.props(x).get(PROV + "qualifiedAttribution", ()):
                    qprops = g.props(q.value) if isinstance(q, g.NamedNode) else g.out.get(q, {})
                    found += [o.value for o in qprops.get(PROV + "agent", ()) if isinstance(o, g.NamedNode)]
                for a in found:
                    if a not in agent_iris:
                        agent_iris.append(a)
        contributors = []
        for a in agent_iris:
            alt = _pick(g.texts(a, SDO + "alternateName"), self.lang)
            parent = g.iris(a, SDO + "parentOrganization")
            history = _pick(g.texts(a, SKOS + "historyNote"), self.lang)
            contributors.append({
                **self.link(file, a),
                "alt": alt[0] if alt else None,
                "parent": self.link(file, parent[0]) if parent else None,
                "history": history[0] if history else None,
            })
        contributors.sort(key=lambda x: (x["label"].value.casefold(), x["iri"]))
        participation_notes = [t for x in source_iris for t in _pick(g.texts(x, SSTX + "participationNote"), self.lang)]
        source_rules = sorted((t for x in source_iris for t in g.texts(x, SSTX + "ruleOfTheRoad")), key=lambda t: t.value)
        for x in source_iris:
            abstract = _pick(g.texts(x, DCT + "abstract"), self.lang)
            description = _pick(g.texts(x, DCT + "description"), self.lang)
            sources.append({
                **self.link(file, x),
                "date": self._first_text(x, DCT + "date") or self._first_text(x, DCT + "issued"),
                "description": description[0] if description else None,
                "abstract": abstract[0] if abstract else None,
            })
        same_people = bool(source_iris) and set(g.iris(s, DCT + "contributor")) == set(
            g.iris(source_iris[0], DCT + "contributor")
        ) if s else False
        # Definitions by origin, by name: whose words each definition is.
        verbatim_concepts = sorted((c for c in self.concepts if SSTX + "verbatim" in g.iris(c, SSTX + "definitionOrigin")),
                                   key=self.sort_key)
        term_counts: dict[str, int] = {}
        for c in self.concepts:
            if SSTX + "editorial" in g.iris(c, SSTX + "definitionOrigin"):
                terms = g.iris(c, SSTX + "termOrigin")
                key = _TERM_ORIGINS.get(terms[0], "other") if terms else "unknown"
                term_counts[key] = term_counts.get(key, 0) + 1

        shown = {
            RDF_TYPE, SKOS + "prefLabel", DCT + "title", SKOS + "definition", DCT + "description",
            SKOS + "historyNote", SKOS + "editorialNote", SKOS + "hasTopConcept", DCT + "contributor",
            DCT + "source", PROV + "wasDerivedFrom", OWL + "versionInfo", OWL + "versionIRI", DCT + "created",
            DCT + "issued", DCT + "modified", DCT + "creator", DCT + "publisher", DCT + "license",
            DCT + "language", DCT + "rights", *STATUS_PROPS,
        }
        collections = []
        for x in sorted(g.by_iri, key=self.sort_key):
            types = g.types(x)
            if types & {SKOS + "Collection", SKOS + "OrderedCollection"}:
                members = [m for m in g.iris(x, SKOS + "member")]
                collections.append({**self.link(file, x), "count": len(members),
                                    "members": [self.link(file, m) for m in sorted(members, key=self.sort_key)]})

        ctx = {
            **self.common,
            "root": "",
            "index_href": "index.html",
            "title": title.value,
            "iri": s or "",
            "alternates": [{"type": m, "href": "index" + e} for m, e in SCHEME_VARIANTS[1:]],
            "label": title,
            "definitions": _pick(g.texts(s, SKOS + "definition"), self.lang) if s else [],
            "descriptions": _pick(g.texts(s, DCT + "description"), self.lang) if s else [],
            "history": _pick(g.texts(s, SKOS + "historyNote"), self.lang) if s else [],
            "status": self._status(file, s) if s else None,
            "facts": facts,
            "keywords": sorted({t.value for p in (SDO + "keywords", "http://www.w3.org/ns/dcat#keyword")
                                for t in _pick(g.texts(s, p), self.lang)}) if s else [],
            "rules": source_rules,
            "editorial_notes": sorted(g.texts(s, SKOS + "editorialNote"), key=lambda t: t.value) if s else [],
            "contributors": contributors,
            "contributors_heading": "Participants" if (same_people or from_source) else "Contributors",
            "participants_from_source": from_source and bool(contributors),
            "participation_notes": participation_notes,
            "verbatim_concepts": [self.link(file, c) for c in verbatim_concepts],
            "editorial_by_term": term_counts,
            "sources": sources,
            "origins": origins,
            "concept_count": len(self.concepts) - len(self.deprecated),
            "deprecated": [{**self.link(file, c), "replaced_by": [self.link(file, x) for x in
                                                                   sorted(g.iris(c, DCT + "isReplacedBy"), key=self.sort_key)]}
                           for c in sorted(self.deprecated, key=self.sort_key)],
            "downloads": downloads,
            "others": self.property_rows(file, s, shown) if s else [],
            "picture": _hierarchy_svg(self, file),
            "hierarchical": any(self.children[c] for c in self.concepts),
            "top_count": len(self.tops),
            "tree": self._tree(file),
            "tree_open": len(self.concepts) <= 200,
            "collections": collections,
            "other_schemes": [self.link(file, x) for x in self.other_schemes],
            "head_jsonld": self._jsonld_doc(self._jsonld_nodes([s])) if s and s in self.nodes else None,
            "mount_note": self.base,
        }
        return template.render(ctx)

    def _tree(self, file: str) -> list[dict[str, Any]]:
        """The hierarchy as nested items; a concept under several parents is expanded once."""
        expanded: set[str] = set()

        def item(c: str, path: frozenset[str]) -> dict[str, Any]:
            first = c not in expanded
            expanded.add(c)
            kids = []
            if first:
                kids = [item(k, path | {c}) for k in self.children[c] if k not in path]
            return {**self.link(file, c), "children": kids, "repeat": not first and bool(self.children[c])}

        return [item(t, frozenset()) for t in self.tops]

    def _search_index(self) -> bytes:
        rows = []
        for c in sorted(self.concepts, key=self.sort_key):
            label = self.label(c).value
            alts = [t.value for t in self.g.texts(c, SKOS + "altLabel")]
            alts += [t.value for t in self.g.texts(c, SKOS + "hiddenLabel")]
            alts += [t.value for t in self.g.texts(c, SKOS + "prefLabel") if t.value != label]
            alts += [o.value for o in self.g.props(c).get(SKOS + "notation", ()) if isinstance(o, self.g.Literal)]
            alts = sorted(set(alts))
            definition = _pick(self.g.texts(c, SKOS + "definition"), self.lang)
            if c in self.deprecated:
                label += " (deprecated)"
            rows.append([self.page[c], label, alts, definition[0].value if definition else ""])
        body = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        return ("/* Search index: [page, label, [other labels], definition] per concept. */\n"
                f"window.SST_SEARCH_INDEX = {body};\n").encode("utf-8")


def _linkable(iri: str) -> bool:
    return iri.startswith(("http://", "https://"))


def _json_script(value: Any) -> Any:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>``, ``&`` escaped."""
    from markupsafe import Markup

    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def build_site(vocab: "Vocabulary") -> Site:
    """Build the documentation site of a loaded vocabulary (nothing is written)."""
    return _Builder(vocab).build()


def plan(paths: Iterable[str | os.PathLike[str]] | None = None) -> Site:
    """The layout of the site (``resources``, ``pages``, ``base``) with no files: fast, for redirect rules."""
    from ..loader import load

    return _Builder(load(paths)).plan()


def build(paths: Iterable[str | os.PathLike[str]] | None = None) -> Site:
    """Load Turtle files (default: the shipped vocabulary) and build the site.

    Raises VocabError (with file and line) when the input cannot be read or parsed.

    Example::

        site = build()
        site.files["index.html"][:15]   # b'<!DOCTYPE html>'
        site.resources["security"].variants[1]   # ('text/turtle', 'security.ttl')
    """
    from ..loader import load

    return build_site(load(paths))


def plan_site(vocab: "Vocabulary") -> Site:
    """The layout of the site of a loaded vocabulary (``pages``, ``resources``, ``base``), with no files."""
    return _Builder(vocab).plan()
