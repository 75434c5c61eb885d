"""The SHACL validation report graph (sh:ValidationReport) as Turtle."""

from __future__ import annotations

from ..namespaces import SH, SSTSH, XSD
from .model import _RDF_TYPE, Result, _is_blank
from .shapes import ShapesGraph


def report_turtle(results: list[Result], shapes: ShapesGraph | None = None) -> str:
    """The SHACL validation report graph (sh:ValidationReport) of ``results``, as Turtle.

    sh:conforms is true only when there is no result at all (SHACL 3.1), whatever the
    severities (the exit code policy, violations fail unless --fail-on, is the CLI's).
    Each result has sh:focusNode, sh:resultSeverity, sh:sourceShape,
    sh:sourceConstraintComponent, sh:resultMessage, and sh:value, sh:resultPath (a path
    that is a blank node is copied from the shapes) and sh:sourceConstraint when it has them.
    """
    import pyoxigraph as ox

    def sh(name: str) -> ox.NamedNode:
        return ox.NamedNode(SH + name)

    rdf_type = ox.NamedNode(_RDF_TYPE)
    report = ox.BlankNode("report")
    triples = [
        ox.Triple(report, rdf_type, sh("ValidationReport")),
        ox.Triple(
            report, sh("conforms"), ox.Literal("false" if results else "true", datatype=ox.NamedNode(XSD + "boolean"))
        ),
    ]

    def key(r: Result):
        return (r.shape, str(r.focus), str(r.value), r.component)

    for i, r in enumerate(sorted(results, key=key)):
        res = ox.BlankNode(f"r{i}")
        shape = r.shape_node if r.shape_node is not None else ox.NamedNode(r.shape)
        triples += [
            ox.Triple(report, sh("result"), res),
            ox.Triple(res, rdf_type, sh("ValidationResult")),
            ox.Triple(res, sh("focusNode"), r.focus),
            ox.Triple(res, sh("resultSeverity"), ox.NamedNode(r.severity_iri)),
            ox.Triple(res, sh("sourceShape"), shape),
            ox.Triple(res, sh("sourceConstraintComponent"), ox.NamedNode(r.component_iri)),
            ox.Triple(res, sh("resultMessage"), ox.Literal(r.message)),
        ]
        if r.value is not None:
            triples.append(ox.Triple(res, sh("value"), r.value))
        if r.path_node is not None:
            if _is_blank(r.path_node) and shapes is not None:  # a copy of the path for each result
                head, path = shapes.path_triples(r.path_node, f"r{i}p")
                triples.append(ox.Triple(res, sh("resultPath"), head))
                triples.extend(path)
            else:
                triples.append(ox.Triple(res, sh("resultPath"), r.path_node))
        if r.constraint is not None:
            triples.append(ox.Triple(res, sh("sourceConstraint"), r.constraint))
    return (
        ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sh": SH, "sstsh": SSTSH, "xsd": XSD}) or b""
    ).decode()
