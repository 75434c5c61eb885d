"""The layout's fixed choices: predicate order in a block, indentation, the comment column."""

from __future__ import annotations

from ..namespaces import DCT, OWL, PROV, RDF_TYPE, RDFS, REG, SDO, SKOS, SSTX

_GROUPS: list[list[str]] = [
    # type
    [RDF_TYPE],
    # who and what, for activities such as review responses
    [PROV + "wasAssociatedWith", SSTX + "responseType"],
    # labels
    [SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel", SKOS + "notation", RDFS + "label",
     DCT + "title", SDO + "name", SDO + "alternateName"],
    # definition and description
    [SKOS + "definition", DCT + "description", DCT + "abstract", RDFS + "comment"],
    # notes
    [SKOS + "scopeNote", SKOS + "example", SKOS + "note", SKOS + "historyNote", SKOS + "editorialNote",
     SKOS + "changeNote"],
    # scheme membership
    [SKOS + "inScheme", SKOS + "topConceptOf", SKOS + "hasTopConcept"],
    # hierarchy and relations (SKOS, then the schema-level equivalents)
    [SKOS + "broader", SKOS + "broaderTransitive", SKOS + "narrower", SKOS + "narrowerTransitive",
     SKOS + "related", SKOS + "member", SKOS + "memberList", RDFS + "subClassOf", RDFS + "subPropertyOf",
     OWL + "inverseOf", RDFS + "domain", RDFS + "range"],
    # mappings
    [SKOS + "exactMatch", SKOS + "closeMatch", SKOS + "broadMatch", SKOS + "narrowMatch", SKOS + "relatedMatch",
     SKOS + "mappingRelation", OWL + "sameAs", OWL + "equivalentClass", OWL + "equivalentProperty"],
    # provenance
    [DCT + "source", PROV + "wasDerivedFrom", RDFS + "seeAlso", RDFS + "isDefinedBy", DCT + "created",
     DCT + "issued", DCT + "modified", DCT + "date", DCT + "creator", DCT + "contributor", DCT + "publisher",
     DCT + "rightsHolder", DCT + "rights", DCT + "license", DCT + "language", OWL + "versionInfo",
     OWL + "versionIRI", OWL + "priorVersion", PROV + "qualifiedAssociation",
     PROV + "startedAtTime", PROV + "endedAtTime"],
    # (any other predicate goes here, sorted by IRI)
    [],
    # status
    [OWL + "deprecated", DCT + "isReplacedBy", DCT + "replaces", REG + "status", SSTX + "reviewStatus",
     SSTX + "reviewResponse"],
]
#: The predicate order inside a block; predicates not listed come between provenance and status, by IRI.
PREDICATE_ORDER: tuple[str, ...] = tuple(p for g in _GROUPS for p in g)
_OTHER_GROUP = 9
_PRED_RANK = {p: (gi, pi) for gi, g in enumerate(_GROUPS) for pi, p in enumerate(g)}

#: Column where end-of-line comments start (or two spaces after the code, if it is longer).
COMMENT_COLUMN = 73
INDENT = "    "
