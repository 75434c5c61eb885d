"""IRIs and prefixes, bound the same everywhere.  The persistent base is recorded here only."""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = [
    "BASE",
    "DCT",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "RDF_TYPE",
    "REG",
    "SCHEME",
    "SDO",
    "SH",
    "SKOS",
    "SSTSH",
    "SSTX",
    "STATUS_PROPS",
    "XSD",
    "curie",
    "expand",
]

#: The persistent base of every IRI the project mints (w3id.org style, slash IRIs).
BASE = "https://w3id.org/sst-vocab/"
#: The concept scheme's IRI.
SCHEME = BASE.rstrip("/")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SDO = "https://schema.org/"
REG = "http://purl.org/linked-data/registry#"
#: The properties that give a concept's status: registry status, then ADMS status.
STATUS_PROPS = (REG + "status", "http://www.w3.org/ns/adms#status")
SH = "http://www.w3.org/ns/shacl#"
SSTSH = BASE + "shapes/"
SSTX = BASE + "ns#"

#: Prefixes used in output and accepted in CURIEs (``--bind c=sst:security``).
PREFIXES: dict[str, str] = {
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "reg": "http://purl.org/linked-data/registry#",
    "sdo": "https://schema.org/",
    "sh": SH,
    "skos": SKOS,
    "sst": BASE,
    "sstsh": SSTSH,
    "sstx": SSTX,
    "status": "https://linked.data.gov.au/def/reg-statuses/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


_LOCAL = re.compile(r"[\w][\w.-]*")


def curie(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Shorten ``iri`` to ``prefix:local`` with the longest matching namespace, or return it unchanged.

    The one place IRIs are shortened for display (lookups, reports, the site, diffs).
    """
    best = best_ns = ""
    for prefix, ns in prefixes.items():
        if prefix and ns and iri.startswith(ns) and len(ns) > len(best_ns):
            best, best_ns = prefix, ns
    if best:
        local = iri[len(best_ns) :]
        if local and _LOCAL.fullmatch(local) and not local.endswith("."):
            return f"{best}:{local}"
    return iri


def expand(text: str, prefixes: dict[str, str] = PREFIXES) -> str | None:
    """Expand a CURIE ``prefix:local`` with a known prefix; None when it is not one."""
    prefix, sep, local = text.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return None
