"""The layout's choices: the order of blocks and of predicates in a block, indentation, the comment column."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..namespaces import DCT, OWL, PROV, RDF, RDF_TYPE, RDFS, REG, SDO, SKOS, SSTX
from .terms import _kind

_GROUPS: list[list[str]] = [
    # type
    [RDF_TYPE],
    # who and what, for activities such as review responses
    [PROV + "wasAssociatedWith", SSTX + "responseType"],
    # labels
    [
        SKOS + "prefLabel",
        SKOS + "altLabel",
        SKOS + "hiddenLabel",
        SKOS + "notation",
        RDFS + "label",
        DCT + "title",
        SDO + "name",
        SDO + "alternateName",
    ],
    # definition and description
    [SKOS + "definition", DCT + "description", DCT + "abstract", RDFS + "comment"],
    # notes
    [
        SKOS + "scopeNote",
        SKOS + "example",
        SKOS + "note",
        SKOS + "historyNote",
        SKOS + "editorialNote",
        SKOS + "changeNote",
    ],
    # scheme membership
    [SKOS + "inScheme", SKOS + "topConceptOf", SKOS + "hasTopConcept"],
    # hierarchy and relations (SKOS, then the schema-level equivalents)
    [
        SKOS + "broader",
        SKOS + "broaderTransitive",
        SKOS + "narrower",
        SKOS + "narrowerTransitive",
        SKOS + "related",
        SKOS + "member",
        SKOS + "memberList",
        RDFS + "subClassOf",
        RDFS + "subPropertyOf",
        OWL + "inverseOf",
        RDFS + "domain",
        RDFS + "range",
    ],
    # mappings
    [
        SKOS + "exactMatch",
        SKOS + "closeMatch",
        SKOS + "broadMatch",
        SKOS + "narrowMatch",
        SKOS + "relatedMatch",
        SKOS + "mappingRelation",
        OWL + "sameAs",
        OWL + "equivalentClass",
        OWL + "equivalentProperty",
    ],
    # provenance
    [
        DCT + "source",
        PROV + "wasDerivedFrom",
        RDFS + "seeAlso",
        RDFS + "isDefinedBy",
        DCT + "created",
        DCT + "issued",
        DCT + "modified",
        DCT + "date",
        DCT + "creator",
        DCT + "contributor",
        DCT + "publisher",
        DCT + "rightsHolder",
        DCT + "rights",
        DCT + "license",
        DCT + "language",
        OWL + "versionInfo",
        OWL + "versionIRI",
        OWL + "priorVersion",
        PROV + "qualifiedAssociation",
        PROV + "startedAtTime",
        PROV + "endedAtTime",
    ],
    # (any other predicate goes here, sorted by IRI)
    [],
    # status
    [
        OWL + "deprecated",
        DCT + "isReplacedBy",
        DCT + "replaces",
        REG + "status",
        SSTX + "reviewStatus",
        SSTX + "reviewResponse",
    ],
]
#: The predicate order inside a block; predicates not listed come between provenance and status, by IRI.
PREDICATE_ORDER: tuple[str, ...] = tuple(p for g in _GROUPS for p in g)
_OTHER_GROUP = 9
_PRED_RANK = {p: (gi, pi) for gi, g in enumerate(_GROUPS) for pi, p in enumerate(g)}

#: Column where end-of-line comments start (or two spaces after the code, if it is longer).
COMMENT_COLUMN = 73
INDENT = "    "


def block_order(
    props: dict, refs: Counter, labels: dict, source_order: list[str], block_body: Callable[[object], str]
) -> list:
    """The subjects written as blocks, in the layout's order (see :mod:`sst_vocab.fmt`)."""
    types: dict[object, set[str]] = {}
    for s, pm in props.items():
        types[s] = {o.value for o in pm.get(RDF_TYPE, []) if _kind(o) == "NamedNode"}
    top = [s for s in props if _kind(s) == "NamedNode" or (s in labels) or (_kind(s) == "BlankNode" and refs[s] == 0)]
    concepts = {s for s in top if _kind(s) == "NamedNode" and SKOS + "Concept" in types[s]}

    def rank(s) -> int:
        if _kind(s) == "BlankNode":
            return 8 if s in labels else 7
        t = types[s]
        if OWL + "Ontology" in t:
            return 0
        if SKOS + "ConceptScheme" in t:
            return 1
        if s in concepts:
            return 2
        if t & {SKOS + "Collection", SKOS + "OrderedCollection"}:
            return 3
        if t & {OWL + "Class", RDFS + "Class", RDFS + "Datatype"}:
            return 4
        if t & {RDF + "Property", OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty"}:
            return 5
        return 6

    position = {c: i for i, c in enumerate(_hierarchy(props, concepts, source_order))}

    def key(s):
        r = rank(s)
        if r == 2:
            return (r, position[s], "")
        if r == 7:
            return (r, 0, block_body(s))
        if r == 8:
            return (r, 0, labels[s])
        return (r, 0, s.value)

    return sorted(top, key=key)


def _hierarchy(props: dict, concepts: set, source_order: list[str]) -> list:
    """Concepts depth first from those with no broader concept, children by IRI."""
    parents: dict[object, set] = {c: set() for c in concepts}
    children: dict[object, set] = {c: set() for c in concepts}
    for c in concepts:
        pm = props.get(c, {})
        for b in pm.get(SKOS + "broader", []):
            if b in concepts and b != c:
                parents[c].add(b)
                children[b].add(c)
        for n in pm.get(SKOS + "narrower", []):
            if n in concepts and n != c:
                parents[n].add(c)
                children[c].add(n)
    order: list = []
    visited: set = set()

    def visit(root) -> None:
        stack = [root]
        while stack:
            node = stack.pop()
            if node in visited:
                continue
            visited.add(node)
            order.append(node)
            stack.extend(sorted(children[node], key=lambda x: x.value, reverse=True))

    roots = sorted((c for c in concepts if not parents[c]), key=lambda x: x.value)
    floating = _floating(props, [r for r in roots if _deprecated(props, r)], source_order)
    for r in roots:
        if r not in floating:
            visit(r)
    for c in sorted(concepts, key=lambda x: x.value):
        if c not in floating:
            visit(c)
    # A deprecated concept taken out of the hierarchy stays where it was written: right after the
    # block that preceded it in the file (or first, when a non-concept block or nothing preceded it).
    by_iri = {c.value: c for c in concepts}
    head = 0  # how many blocks were placed first
    for c, anchor in floating.items():
        start = len(order)
        visit(c)
        placed = order[start:]
        del order[start:]
        at = order.index(by_iri[anchor]) + 1 if anchor is not None and by_iri[anchor] in order else head
        if at <= head:
            head += len(placed)
        order[at:at] = placed
    return order


def _deprecated(props: dict, node) -> bool:
    return any(
        _kind(o) == "Literal" and o.value in ("true", "1") for o in props.get(node, {}).get(OWL + "deprecated", [])
    )


def _floating(props: dict, candidates: list, source_order: list[str]) -> dict:
    """Deprecated concepts with no broader concept that the file had written: each -> the IRI of
    the block written just before it (None when it came first or after a non-concept block), in
    the order the file had them."""
    position = {iri: i for i, iri in enumerate(source_order)}
    written = sorted((c for c in candidates if c.value in position), key=lambda c: position[c.value])
    concept_iris = {
        s.value
        for s, pm in props.items()
        if _kind(s) == "NamedNode"
        and any(_kind(o) == "NamedNode" and o.value == SKOS + "Concept" for o in pm.get(RDF_TYPE, []))
    }
    out: dict = {}
    for c in written:
        i = position[c.value]
        before = source_order[i - 1] if i > 0 else None
        out[c] = before if before in concept_iris else None
    return out
