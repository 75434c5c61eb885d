"""rdflib, imported only where it is needed, with its logger kept quiet.

rdflib logs a full traceback through its own logger for ill-typed literals such as
``"x"^^xsd:date``; sst-vocab reports those itself (rule LIT-01), so the log is muted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox
    import rdflib

__all__ = ["quiet_rdflib", "to_rdflib_graph", "to_rdflib_term"]


def quiet_rdflib() -> None:
    """Stop rdflib from printing tracebacks for data problems we report ourselves."""
    log = logging.getLogger("rdflib")
    log.setLevel(logging.CRITICAL)
    log.propagate = False


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Triple):  # the readers refuse them; data built by hand may hold one
        from .errors import VocabError

        raise VocabError(f"RDF 1.2 triple terms are not supported: {term}")
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    dt = term.datatype.value
    if dt == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt))


def to_rdflib_graph(store: ox.Store) -> rdflib.Graph:
    """Copy the default graph of a pyoxigraph store into an rdflib Graph (no re-parse)."""
    import pyoxigraph as ox
    import rdflib

    quiet_rdflib()
    graph = rdflib.Graph()
    add = graph.add
    for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        add((to_rdflib_term(q.subject), to_rdflib_term(q.predicate), to_rdflib_term(q.object)))
    return graph
