"""A fast SHACL engine: SHACL Core and SHACL-SPARQL, shapes compiled to SPARQL on pyoxigraph.

The shapes in ``shapes/`` are the single definition of the rules; this module only
decides how to run them.  pyshacl evaluates SPARQL-based constraints once per focus
node (re-parsing the query text each time on rdflib), which is what makes it slow at
scale.  Here each constraint of a shape whose focus nodes a SPARQL pattern can find
(``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``,
implicit class targets, and the property shapes of such a shape) becomes one query over
all its focus nodes, run by pyoxigraph's Rust engine.  What one query cannot say
(``sh:node``, ``sh:qualifiedValueShape``, ``sh:closed``, ``sh:lessThan``, logical
constraints over shapes that have property shapes, nested ``sh:property``, SPARQL
constraints whose ``$this`` must be pre-bound inside inner groups, SPARQL-based
constraint components) is evaluated set-at-a-time: the value nodes of all focus nodes
are gathered once, and each nested shape is checked once for all of them.

Everything in SHACL Core and SHACL-SPARQL's constraints and constraint components is run
(the W3C test suites pass in full: tests/test_shacl_conformance.py); nothing is skipped.
SPARQL queries SHACL forbids (MINUS, VALUES, SERVICE, ``AS $this``, a subquery that
does not return ``$this``) are refused with a clear error, as SHACL asks.  SHACL-AF
terms (rules, functions, targets by SPARQL) and UI terms (``sh:group``, ``sh:order``,
``sh:name``...) are accepted and do not validate.  pyshacl stays available as the
reference engine (``engine="pyshacl"``), and the tests check that both report the same
results, and that Apache Jena does too.

The shapes graph is read from the parsed triples with their exact terms (a store would
turn ``"1"^^xsd:boolean`` into ``"true"``).  The data is the vocabulary's pyoxigraph
store, which keeps typed literals by value; the caller may pass the literals as written
(:func:`exact_literals`) so that ``sh:datatype`` and the reported values see them.

The package, one concern per module (each imports only those above it):

- :mod:`.model`: the terms of SHACL, results, shapes and constraints, RDF term helpers;
- :mod:`.sparql_text`: SPARQL query text (what SHACL forbids, pre-binding, projection);
- :mod:`.literals`: lexical forms for ``sh:datatype``, and the literals as written;
- :mod:`.shapes`: reading the shapes graph and compiling it (:class:`ShapesGraph`);
- :mod:`.runner`: running the compiled shapes on a store (:func:`run`);
- :mod:`.report`: the report graph (:func:`report_turtle`).
"""

from .literals import exact_literals
from .model import SHACL_TERMS, Constraint, Result, Shape
from .report import report_turtle
from .runner import run
from .shapes import ShapesGraph

__all__ = [
    "SHACL_TERMS",
    "Constraint",
    "Result",
    "Shape",
    "ShapesGraph",
    "exact_literals",
    "report_turtle",
    "run",
]
