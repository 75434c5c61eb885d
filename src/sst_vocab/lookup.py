"""Lookups for people: ``show``, ``search`` and ``tree``, built on the named queries.

Nothing here talks to a store directly: every fact comes from one of the shipped
queries (``search``, ``concept``, ``labels``, ``top-concepts``, ``hierarchy``) run
through :func:`sst_vocab.query.select`, so a lookup answers exactly what
``sst-vocab query NAME`` answers, locally or on an endpoint.  Each lookup runs as a
whole under the time limit and returns its answer as data (:class:`Shown`,
:class:`Found`, :class:`Tree`); :mod:`sst_vocab.render_lookup` writes it out.

Locally a lookup runs in this process (its queries are the shipped ones, linear in
the size of the vocabulary) unless a ``timeout`` is given; then, like ``sst-vocab
query``, its work is stopped at the limit, kept apart as ``isolation`` says (see
:func:`sst_vocab.query.run_limited`).

A TERM is a preferred, alternative or hidden label or a notation in any case
(``SSR``), an IRI (``https://w3id.org/sst-vocab/security``, ``<...>``), a CURIE
(``sst:security``), or the last segment of an IRI (``security``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import VocabError
from .model import text_key
from .namespaces import DCT, OWL, RDF_TYPE, RDFS, SDO, SKOS, SSTX, STATUS_PROPS, curie
from .query import NamedQuery, Record, Request, Target, display, run, select

__all__ = ["ConceptView", "Found", "Hit", "Link", "Shown", "Tree", "search", "show", "tree"]

_EXACT = 85  # search scores at or above this are exact matches (label, alternative label, notation)


class Link(Record):
    __slots__ = ("iri", "label", "curie")
    iri: str
    label: str
    curie: str


class Hit(Record):
    __slots__ = ("iri", "label", "curie", "field", "match", "score", "deprecated", "replaced_by")
    iri: str
    label: str
    curie: str
    field: str
    match: str
    score: int
    deprecated: bool
    replaced_by: str  # CURIE of the replacement of a deprecated concept, or ""


class ConceptView(Record):
    """Everything ``show`` prints about a concept, as plain text."""

    iri: str
    curie: str
    label: str
    deprecated: bool
    replaced_by: list
    alt_labels: list
    other_labels: list  # (language, label) of the preferred labels in other languages
    notations: list
    definitions: list
    sources: list
    statuses: list
    schemes: list
    broader: list
    narrower: list
    related: list
    mappings: list  # (kind, Link)
    scope_notes: list
    examples: list
    notes: list
    history_notes: list
    change_notes: list
    editorial_notes: list
    other: list  # (property name, [values])
    review: list  # the review status, explained
    responses: list  # office - response - date - note
    __slots__ = tuple(__annotations__)  # the fields above, in order (positional arguments fill them)


class Shown(Record):
    """What ``show`` found for TERM: a view of each concept it names, or else ``suggestions`` (close matches).

    ``empty_default_graph``: on an endpoint, when nothing was found in a default graph
    that is empty, the graphs holding SKOS concepts there (see :func:`sst_vocab.query.empty_default_graph`).
    """

    __slots__ = ("term", "views", "suggestions", "empty_default_graph")
    term: str
    views: list  # ConceptView
    suggestions: list  # Link
    empty_default_graph: tuple | None

    @property
    def found(self) -> bool:
        return bool(self.views)


class Found(Record):
    """What ``search`` found for TEXT: the best ``hits`` (at most the limit, live concepts first) of
    ``total``, ``deprecated`` (IRI -> CURIE of its replacement, or ""), or else ``suggestions``."""

    __slots__ = ("text", "hits", "total", "deprecated", "suggestions", "empty_default_graph")
    text: str
    hits: list  # Hit
    total: int
    deprecated: dict
    suggestions: list  # Link
    empty_default_graph: tuple | None

    @property
    def found(self) -> bool:
        return bool(self.hits)


class Tree(Record):
    """The hierarchy ``tree`` draws: ``forest`` is a list of (heading or None, nodes), each node
    (label, CURIE, children, note).  ``term``: the TERM it was drawn from (None: from the top
    concepts); when it names nothing, ``suggestions``."""

    __slots__ = ("term", "forest", "suggestions", "empty_default_graph")
    term: str | None
    forest: list
    suggestions: list  # Link
    empty_default_graph: tuple | None

    @property
    def found(self) -> bool:
        return bool(self.forest)


class _Queries(dict):
    """The named queries a lookup uses, read from queries/ when first needed."""

    def __missing__(self, name: str) -> NamedQuery:
        from .query import find

        self[name] = found = find(name)
        return found


def _text(term) -> str:
    return "" if term is None else term.value


def _num(term) -> int:
    try:
        return int(term.value)
    except (AttributeError, ValueError):
        return 0


# ---------------------------------------------------------------------------
# Finding the concept a TERM names
# ---------------------------------------------------------------------------


class _Finder:
    """Resolves TERMs for one lookup, remembering what it already asked."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.q = _Queries()
        self.concept_rows: dict[str, list[tuple]] = {}
        self.search_rows: dict[str, list[Hit]] = {}

    def link(self, iri: str, label: str = "") -> Link:
        return Link(iri, label, curie(iri, self.target.prefixes))

    def concept(self, iri: str) -> list[tuple]:
        if iri not in self.concept_rows:
            _, rows = select(self.target, self.q["concept"], concept=f"<{iri}>")
            self.concept_rows[iri] = rows
        return self.concept_rows[iri]

    def search(self, text: str) -> list[Hit]:
        if text not in self.search_rows:
            _, rows = select(self.target, self.q["search"], text=text)
            hits = [
                Hit(
                    c.value,
                    _text(label),
                    curie(c.value, self.target.prefixes),
                    _text(field),
                    _text(match),
                    _num(score),
                    _text(deprecated) == "true",
                    curie(replaced.value, self.target.prefixes) if replaced is not None else "",
                )
                for c, label, field, match, score, deprecated, replaced in rows
            ]
            # The query's own order (best score, then label), kept here too: not every store sorts on
            # aggregates as asked (Virtuoso), and ties are broken the same way everywhere.
            hits.sort(key=lambda h: (-h.score, h.label.lower(), h.iri, h.field, h.match))
            self.search_rows[text] = hits
        return self.search_rows[text]

    def resolve(self, term: str) -> list[str]:
        """The IRIs of the concepts TERM names (several only when labels tie), or []."""
        import pyoxigraph as ox

        from .query import to_term

        text = term.strip()
        if not text:
            raise VocabError("give a term: a label, an IRI or a CURIE")
        as_term = to_term(text, self.target.prefixes)
        if isinstance(as_term, ox.NamedNode):
            return [as_term.value] if self.concept(as_term.value) else []
        hits = self.search(text)
        exact = [h for h in hits if h.score >= _EXACT]
        if exact:
            best = max(h.score for h in exact)
            return list(dict.fromkeys(h.iri for h in exact if h.score == best))
        if not any(ch.isspace() for ch in text):  # the last segment of an IRI
            namespaces = dict.fromkeys(ns for ns in self.target.prefixes.values() if ns.endswith(("/", "#")))
            for candidate in dict.fromkeys((text, text.lower())):
                for ns in namespaces:
                    try:
                        iri = ox.NamedNode(ns + candidate).value
                    except ValueError:
                        continue
                    if self.concept(iri):
                        return [iri]
            return self._by_last_segment(text)
        return []

    def _by_last_segment(self, text: str) -> list[str]:
        """Concepts whose IRI ends in ``/TEXT``, ``#TEXT`` or ``:TEXT`` (any namespace, declared or not;
        the loaded vocabulary only: a scan of its concepts, no query text built from TEXT)."""
        vocab = self.target.vocab
        if vocab is None:
            return []
        import pyoxigraph as ox

        wanted = {text, text.lower()}
        found = []
        for q in vocab.store.quads_for_pattern(
            None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS + "Concept"), ox.DefaultGraph()
        ):
            iri = q.subject.value if isinstance(q.subject, ox.NamedNode) else ""
            cut = max(iri.rfind("/"), iri.rfind("#"), iri.rfind(":"))
            if cut >= 0 and iri[cut + 1 :] in wanted:
                found.append(iri)
        return sorted(set(found))

    def suggestions(self, term: str, limit: int = 6) -> list[Link]:
        """Close matches: concepts whose labels contain TERM, then labels that look like it."""
        import difflib

        found: dict[str, Link] = {}
        text = term.strip()
        if text and not text.startswith("<"):
            for h in self.search(text):
                found.setdefault(h.iri, self.link(h.iri, h.label))
        _, rows = select(self.target, self.q["labels"])
        by_label: dict[str, list[tuple[str, str]]] = {}
        for concept, label, _kind, _lang in rows:
            by_label.setdefault(label.value.casefold(), []).append((concept.value, label.value))
        wanted = text.casefold().rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        for close in difflib.get_close_matches(wanted, list(by_label), n=limit, cutoff=0.6):
            for iri, label in by_label[close]:
                found.setdefault(iri, self.link(iri, label))
        return list(found.values())[:limit]


# ---------------------------------------------------------------------------
# show
# ---------------------------------------------------------------------------

_MAPPINGS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
_NOTES = {
    "scopeNote": "scope_notes",
    "example": "examples",
    "note": "notes",
    "historyNote": "history_notes",
    "changeNote": "change_notes",
    "editorialNote": "editorial_notes",
}
_SKIP = {
    RDF_TYPE,
    RDFS + "isDefinedBy",
    OWL + "deprecated",
    DCT + "isReplacedBy",
    SSTX + "definitionOrigin",
    DCT + "source",
    SSTX + "reviewStatus",
    SSTX + "reviewResponse",
    *STATUS_PROPS,
}

#: What each status means, next to it (registry statuses, then review statuses).
_STATUS_MEANING = {
    "submitted": "registry status: a draft awaiting interagency concurrence",
    "experimental": "registry status: may change",
    "stable": "registry status: stable",
    "superseded": "registry status: deprecated, replaced by another concept",
    "retired": "registry status: deprecated, withdrawn",
    "draft": "no office has answered yet",
    "underReview": "circulated; answers are coming in",
    "concurred": "every participating office concurs",
    "revised": "changed after answers; it goes round again",
}


def _new_names(alt_labels: list, shown: list[str]) -> list[str]:
    """The alternative labels, best language first, without the texts ``show`` already prints as names.

    (Some vocabularies repeat each language's preferred label as an untagged alternative
    label; listing it twice makes the page harder to read.  `query concept` has them all.)
    """
    seen = set(shown)
    out = []
    for v in sorted(alt_labels, key=text_key):
        if v.value not in seen:
            seen.add(v.value)
            out.append(v.value)
    return out


def _view(finder: _Finder, iri: str) -> ConceptView:
    import pyoxigraph as ox

    prefixes = finder.target.prefixes
    rows = finder.concept(iri)
    by_prop: dict[str, list[tuple[Any, str]]] = {}
    for prop, value, value_label, _stated in rows:
        by_prop.setdefault(prop.value, []).append((value, _text(value_label)))

    def values(local: str, ns: str = SKOS) -> list:
        return [v for v, _ in by_prop.get(ns + local, [])]

    def links(local: str, ns: str = SKOS) -> list[Link]:
        items = [finder.link(v.value, lab) for v, lab in by_prop.get(ns + local, []) if isinstance(v, ox.NamedNode)]
        return sorted(items, key=lambda link: (link.label.casefold() or "\uffff", link.iri))

    def texts(local: str) -> list[str]:
        return [v.value for v in sorted(values(local), key=text_key)]

    pref = sorted(values("prefLabel"), key=text_key)
    # no skos:prefLabel (a deprecated concept often keeps only rdfs:label): the other names a label takes
    named = pref or sorted(
        [v for ns, local in ((RDFS, "label"), (DCT, "title"), (SDO, "name")) for v in values(local, ns)], key=text_key
    )
    label = named[0].value if named else curie(iri, prefixes)
    main_lang = getattr(pref[0], "language", None) if pref else None
    other_labels = [(p.language or "-", p.value) for p in pref[1:] if (p.language or None) != main_lang]
    definitions = []
    for d in sorted(values("definition"), key=text_key):
        lang = getattr(d, "language", None)
        definitions.append(
            d.value if lang in (None, "", main_lang) or len(values("definition")) == 1 else f"({lang}) {d.value}"
        )

    origins = {v.value.rsplit("#", 1)[-1] for v, _ in by_prop.get(SSTX + "definitionOrigin", [])}
    source_names = []
    for v, lab in by_prop.get(DCT + "source", []):
        source_names.append(f"“{lab}”" if lab else display(v, prefixes))
    sources = []
    if "verbatim" in origins:
        sources.append(
            "Verbatim: the roundtable's own draft definition"
            + (f", from {', '.join(source_names)}" if source_names else "")
        )
    elif "editorial" in origins:
        sources.append(
            "Editorial: written by the sst-vocab editors, not the roundtable's wording"
            + (f" (the term comes from {', '.join(source_names)})" if source_names else "")
        )
    elif source_names:
        sources.extend(source_names)

    statuses = []
    for key in STATUS_PROPS:
        for v, lab in by_prop.get(key, []):
            local = v.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] if isinstance(v, ox.NamedNode) else ""
            name = lab or local or v.value
            statuses.append(name + (f" ({_STATUS_MEANING[local]})" if local in _STATUS_MEANING else ""))
    review = []
    for v, lab in by_prop.get(SSTX + "reviewStatus", []):
        local = v.value.rsplit("#", 1)[-1] if isinstance(v, ox.NamedNode) else v.value
        words = {"underReview": "under review"}.get(local, lab or local)
        review.append(f"{words} (interagency review: {_STATUS_MEANING[local]})" if local in _STATUS_MEANING else words)
    # each response's label is "office - response - date - note" (the concept query writes it), by date
    responses = sorted(
        (lab for _v, lab in by_prop.get(SSTX + "reviewResponse", []) if lab), key=lambda t: (t.split(" - ")[2:3], t)
    )

    top_of = {link.iri for link in links("topConceptOf")}
    schemes = []
    for link in links("inScheme") + [
        s for s in links("topConceptOf") if s.iri not in {x.iri for x in links("inScheme")}
    ]:
        schemes.append((link.label or link.curie) + ("  (top concept)" if link.iri in top_of else ""))

    mappings = []
    for kind in _MAPPINGS:
        words = kind.replace("Match", " match")
        mappings += [(words, link) for link in sorted(links(kind), key=lambda link: link.iri)]

    deprecated = any(v.value.lower() in ("true", "1") for v in values("deprecated", OWL))
    replaced_by = links("isReplacedBy", DCT)

    shown = {
        SKOS + name
        for name in (
            "prefLabel",
            "altLabel",
            "hiddenLabel",
            "notation",
            "definition",
            "inScheme",
            "topConceptOf",
            "broader",
            "narrower",
            "related",
            *(_MAPPINGS),
            *_NOTES,
        )
    }
    other = []
    for prop in sorted(by_prop):
        if prop in shown or prop in _SKIP:
            continue
        vals = [lab or display(v, prefixes) for v, lab in by_prop[prop]]
        other.append((curie(prop, prefixes), sorted(vals)))

    notes = {attr: texts(local) for local, attr in _NOTES.items()}
    return ConceptView(
        iri=iri,
        curie=curie(iri, prefixes),
        label=label,
        deprecated=deprecated,
        replaced_by=replaced_by,
        alt_labels=_new_names(values("altLabel"), [label, *(text for _, text in other_labels)]),
        other_labels=other_labels,
        notations=[v.value for v in values("notation")],
        definitions=definitions,
        sources=sources,
        statuses=statuses,
        schemes=schemes,
        broader=links("broader"),
        narrower=links("narrower"),
        related=links("related"),
        mappings=mappings,
        other=other,
        review=review,
        responses=responses,
        **notes,
    )


def show(
    term: str,
    paths: Sequence[str] | None = None,
    endpoint: str | None = None,
    timeout: float | None = None,
    *,
    graph: str | None = None,
    cache: bool = True,
    isolation: str = "process",
) -> Shown:
    """Everything about the concept(s) TERM names.

    ``graph``: on an endpoint, the named graph to query; ``cache``: read a large local
    vocabulary from the persistent cache (:mod:`sst_vocab.query.cache`); ``timeout`` and
    ``isolation``: see :class:`sst_vocab.query.Request`.
    """
    request = Request(paths, endpoint, graph=graph, timeout=timeout, cache=cache, isolation=isolation)
    return run(request, lambda target: _show(target, term))


def _empty_default_graph(target: Target) -> tuple[str, ...] | None:
    """For a lookup that found nothing: on an endpoint's default graph, whether that graph is empty."""
    if not target.endpoint or target.graph is not None:
        return None
    from .query import DEFAULT_TIMEOUT, empty_default_graph

    return empty_default_graph(target.endpoint, target.timeout or DEFAULT_TIMEOUT)


def _show(target: Target, term: str) -> Shown:
    finder = _Finder(target)
    iris = finder.resolve(term)
    if not iris:
        return Shown(term, [], finder.suggestions(term), _empty_default_graph(target))
    return Shown(term, [_view(finder, iri) for iri in iris], [], None)


# ---------------------------------------------------------------------------
# search
# ---------------------------------------------------------------------------


def search(
    text: str,
    paths: Sequence[str] | None = None,
    endpoint: str | None = None,
    timeout: float | None = None,
    limit: int = 20,
    *,
    graph: str | None = None,
    cache: bool = True,
    isolation: str = "process",
) -> Found:
    """Concepts whose labels, notations or definitions contain TEXT, best first (at most ``limit``)."""
    if not text.strip():
        raise VocabError("give a text to search for")
    request = Request(paths, endpoint, graph=graph, timeout=timeout, cache=cache, isolation=isolation)
    return run(request, lambda target: _search(target, text, limit))


def _search(target: Target, text: str, limit: int) -> Found:
    finder = _Finder(target)
    best: dict[str, Hit] = {}
    for hit in finder.search(text.strip()):  # ordered best first
        seen = best.get(hit.iri)
        if seen is None or (hit.score == seen.score and hit.match == hit.label != seen.match):
            best[hit.iri] = hit  # among equal scores, the match that is the label shown
    if not best:
        return Found(text, [], 0, {}, finder.suggestions(text), _empty_default_graph(target))
    hits = sorted(best.values(), key=lambda h: h.deprecated)  # live concepts first, order kept
    deprecated = {h.iri: h.replaced_by for h in hits if h.deprecated}
    return Found(text, hits[: max(1, limit)], len(hits), deprecated, [], None)


# ---------------------------------------------------------------------------
# tree
# ---------------------------------------------------------------------------


def tree(
    term: str | None = None,
    paths: Sequence[str] | None = None,
    endpoint: str | None = None,
    timeout: float | None = None,
    depth: int | None = None,
    show_all: bool = False,
    *,
    graph: str | None = None,
    cache: bool = True,
    isolation: str = "process",
) -> Tree:
    """The hierarchy as a tree: from each scheme's top concepts, or from the concept(s) TERM names.

    Deprecated concepts are left out unless ``show_all`` (then they are marked).
    """
    request = Request(paths, endpoint, graph=graph, timeout=timeout, cache=cache, isolation=isolation)
    return run(request, lambda target: _tree(target, term, depth, show_all))


def _tree(target: Target, term: str | None, depth: int | None, show_all: bool = False) -> Tree:
    finder = _Finder(target)
    prefixes = target.prefixes
    _, rows = select(target, finder.q["hierarchy"])
    deprecated = {
        concept.value: curie(replaced.value, prefixes) if replaced is not None else ""
        for concept, _l, _b, flag, replaced in rows
        if _text(flag) == "true"
    }
    hidden = set() if show_all else set(deprecated)
    labels: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    has_broader: set[str] = set()
    for concept, label, broader, _flag, _replaced in rows:
        labels.setdefault(concept.value, _text(label))
        if concept.value in hidden or (broader is not None and broader.value in hidden):
            continue
        if broader is not None:
            children.setdefault(broader.value, []).append(concept.value)
            has_broader.add(concept.value)

    def name(iri: str) -> str:
        return labels.get(iri) or curie(iri, prefixes)

    def mark(iri: str, note: str) -> str:
        if iri not in deprecated:
            return note
        what = "deprecated" + (f", replaced by {deprecated[iri]}" if deprecated[iri] else "")
        return f"{what}; {note}" if note else what

    for kids in children.values():
        kids.sort(key=lambda i: (name(i).casefold(), i))

    seen: set[str] = set()  # expanded already, anywhere above in the output

    def build(root: str, note: str = "") -> tuple:
        """(label, curie, children, note), depth first in display order, without recursion."""
        top: list[Any] = [name(root), curie(root, prefixes), [], mark(root, note)]
        if root in seen:
            top[3] = (note + "; " if note else "") + "shown above" if children.get(root) else note
            return _freeze(top)
        seen.add(root)
        stack = [(top, 0, frozenset([root]), iter(children.get(root, [])))]
        while stack:
            node, level, path, kids = stack[-1]
            kid = next(kids, None)
            if kid is None:
                stack.pop()
                continue
            child: list[Any] = [name(kid), curie(kid, prefixes), [], mark(kid, "")]
            node[2].append(child)
            if kid in path:
                child[3] = mark(kid, "cycle: it is also above")
            elif kid in seen:
                child[3] = mark(kid, "shown above" if children.get(kid) else "")
            else:
                seen.add(kid)
                if depth is not None and level + 1 >= depth:
                    if children.get(kid):
                        child[3] = mark(kid, f"{len(children[kid])} narrower not shown")
                else:
                    stack.append((child, level + 1, path | {kid}, iter(children.get(kid, []))))
        return _freeze(top)

    forest: list[tuple[str | None, list[tuple]]] = []
    if term is not None:
        found = finder.resolve(term)
        if not found:
            return Tree(term, [], finder.suggestions(term), _empty_default_graph(target))
        forest.append((None, [build(iri) for iri in found]))
    else:
        _, tops = select(target, finder.q["top-concepts"])
        schemes: dict[str, tuple[str, list[tuple[str, bool]]]] = {}
        for scheme, scheme_label, concept, label, declared, _n in tops:
            entry = schemes.setdefault(scheme.value, (_text(scheme_label) or curie(scheme.value, prefixes), []))
            entry[1].append((concept.value, _text(declared) == "true"))
            labels.setdefault(concept.value, _text(label))
        placed = set()
        retired: list[str] = []
        for scheme_iri in schemes:  # in the query's order, kept here too: not every store sorts on aggregates
            schemes[scheme_iri][1].sort(key=lambda root: (not root[1], name(root[0]).lower(), root[0]))
        for _scheme, (heading, roots) in sorted(schemes.items()):
            nodes = []
            for iri, declared in roots:
                placed.add(iri)
                if iri in deprecated and not declared:
                    retired.append(iri)
                if iri in hidden or (iri in deprecated and not declared):
                    continue
                nodes.append(build(iri, "" if declared else "no broader concept, not a declared top concept"))
            forest.append((heading, nodes))
        orphans = sorted(
            (
                i
                for i in labels
                if i not in has_broader
                and i not in placed
                and i not in hidden
                and i not in {c for kids in children.values() for c in kids}
            ),
            key=lambda i: (name(i).casefold(), i),
        )
        if orphans and not schemes:
            forest.append((None, [build(iri) for iri in orphans]))
        elif orphans:
            forest.append(("(concepts in no scheme's hierarchy)", [build(iri) for iri in orphans]))
        if retired and show_all:
            forest.append(("Deprecated concepts", [build(iri) for iri in dict.fromkeys(retired)]))
    if not forest:
        return Tree(term, [], [], _empty_default_graph(target))
    return Tree(term, forest, [], None)


def _freeze(node: list) -> tuple:
    """Nested lists -> nested tuples, without recursion."""
    out: dict[int, tuple] = {}
    order = []
    stack = [node]
    while stack:
        n = stack.pop()
        order.append(n)
        stack.extend(n[2])
    for n in reversed(order):
        out[id(n)] = (n[0], n[1], tuple(out[id(c)] for c in n[2]), n[3])
    return out[id(node)]
