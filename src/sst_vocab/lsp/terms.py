"""What the server knows without reading the workspace: SKOS terms and well-known namespaces.

The SKOS definitions are those of the W3C SKOS Reference (2009), shortened.
"""

from __future__ import annotations

from ..namespaces import PREFIXES, SKOS

__all__ = ["KNOWN_NAMESPACES", "SKOS_TERMS", "skos_term"]

#: SKOS local name -> (kind, definition).
SKOS_TERMS: dict[str, tuple[str, str]] = {
    "Concept": (
        "class",
        "A unit of thought: an idea, meaning or category, with labels, notes and links to other concepts.",
    ),
    "ConceptScheme": (
        "class",
        "An aggregation of one or more concepts: a thesaurus, classification scheme or "
        "other knowledge organization system.",
    ),
    "Collection": ("class", "A meaningful group of concepts (labelled, but not itself a concept)."),
    "OrderedCollection": (
        "class",
        "A collection whose members are in a meaningful order (given with skos:memberList).",
    ),
    "prefLabel": ("property", "The preferred lexical label of a resource: at most one per language tag (S14)."),
    "altLabel": (
        "property",
        "An alternative label: a synonym, abbreviation, acronym or other name people use. "
        "Disjoint with prefLabel (S13).",
    ),
    "hiddenLabel": (
        "property",
        "A label that text search should find but displays should not show, such as a misspelling.",
    ),
    "notation": ("property", "A code that identifies the concept within its scheme, usually a typed literal."),
    "definition": ("property", "A complete explanation of the intended meaning of a concept."),
    "scopeNote": ("property", "Information about the intended meaning of a concept, usually its scope or use."),
    "example": ("property", "An example of the use of a concept."),
    "note": ("property", "A general note, for any purpose (the super-property of the other documentation properties)."),
    "historyNote": ("property", "Significant changes to the meaning or the form of a concept."),
    "editorialNote": ("property", "Information for the editors, translators or maintainers of the vocabulary."),
    "changeNote": ("property", "A fine-grained change to the concept, for administration and maintenance."),
    "inScheme": ("property", "The concept scheme the resource belongs to."),
    "hasTopConcept": ("property", "A top-level concept of the scheme; the inverse of skos:topConceptOf."),
    "topConceptOf": ("property", "The scheme of which this concept is a top concept; a sub-property of skos:inScheme."),
    "broader": (
        "property",
        "A more general concept (hierarchical link); the inverse of skos:narrower. Not transitive.",
    ),
    "narrower": ("property", "A more specific concept (hierarchical link); the inverse of skos:broader."),
    "related": (
        "property",
        "An associative (non-hierarchical) link to another concept; symmetric, disjoint with broaderTransitive (S27).",
    ),
    "broaderTransitive": (
        "property",
        "The transitive super-property of skos:broader; normally inferred, not asserted.",
    ),
    "narrowerTransitive": (
        "property",
        "The transitive super-property of skos:narrower; normally inferred, not asserted.",
    ),
    "semanticRelation": ("property", "The super-property of every link between concepts."),
    "member": ("property", "A member (concept or collection) of a collection."),
    "memberList": ("property", "The members of an ordered collection, as an RDF list."),
    "mappingRelation": (
        "property",
        "The super-property of the mapping properties: links to concepts in other schemes.",
    ),
    "exactMatch": (
        "property",
        "A concept in another scheme that can be used interchangeably with this one; transitive.",
    ),
    "closeMatch": (
        "property",
        "A concept in another scheme similar enough to be used interchangeably in some applications.",
    ),
    "broadMatch": ("property", "A more general concept in another scheme."),
    "narrowMatch": ("property", "A more specific concept in another scheme."),
    "relatedMatch": ("property", "An associated concept in another scheme."),
}

#: Namespaces offered by prefix completion when a file has not declared them (besides the workspace's).
KNOWN_NAMESPACES: dict[str, str] = {
    **PREFIXES,
    "adms": "http://www.w3.org/ns/adms#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
    "void": "http://rdfs.org/ns/void#",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "isothes": "http://purl.org/iso25964/skos-thes#",
}


def skos_term(iri: str) -> tuple[str, str, str] | None:
    """(local name, kind, definition) when ``iri`` is a SKOS term."""
    if iri.startswith(SKOS):
        local = iri[len(SKOS) :]
        if local in SKOS_TERMS:
            return (local, *SKOS_TERMS[local])
    return None
