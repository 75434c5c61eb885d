"""IRIs and prefixes, bound the same everywhere.  The persistent base is recorded here only."""

from __future__ import annotations

__all__ = ["BASE", "SCHEME", "PREFIXES", "SKOS", "SH", "SSTSH", "SSTX", "curie", "expand"]

#: The persistent base of every IRI the project mints (w3id.org style, slash IRIs).
BASE = "https://w3id.org/sst-vocab/"
#: The concept scheme's IRI.
SCHEME = BASE.rstrip("/")

SKOS = "http://www.w3.org/2004/02/skos/core#"
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


def curie(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """Shorten ``iri`` with the longest matching prefix, or return it unchanged."""
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            best = prefix
    if best:
        local = iri[len(prefixes[best]):]
        if local and all(ch.isalnum() or ch in "-_." for ch in local) and not local.endswith("."):
            return f"{best}:{local}"
    return iri


def expand(text: str, prefixes: dict[str, str] = PREFIXES) -> str | None:
    """Expand a CURIE ``prefix:local`` with a known prefix; None when it is not one."""
    prefix, sep, local = text.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return None
