"""The pySHACL wrapper: ``validate(engine="pyshacl")`` runs the reference engine and reads its report
back as the fast engine's results."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .errors import VocabError
from .loader import read_text
from .namespaces import SH, XSD

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Vocabulary


def run_pyshacl(vocab: Vocabulary, shapes_files: list[str]) -> list:
    """Run pyshacl (the reference engine) and convert its report to the fast engine's results.

    pyshacl runs on the vocabulary's pyoxigraph store (its SPARQL is then pyoxigraph's: fast),
    with the shapes' plain strings typed xsd:string as the store's are (else "a" in sh:in or
    sh:hasValue never equals the data's "a").  When the data has literals the store rewrites
    (``"12"^^xsd:int`` kept as xsd:integer), pyshacl gets them as written, in an rdflib graph
    (slower).  Only the report's top-level results are read (not the sh:detail of sh:node).
    """
    import rdflib
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ReportableRuntimeError

    from .rdflib_bridge import quiet_rdflib
    from .shacl import Result
    from .shacl.literals import exact_as_written

    quiet_rdflib()
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False  # keep "01"^^xsd:integer and "none"^^xsd:boolean as written
    try:
        from .rdflib_bridge import to_rdflib_term
        from .reading import parse

        shapes = rdflib.Graph()  # through the reading layer: each file's base, terms as written
        for n, path in enumerate(shapes_files):
            for t in parse(read_text(path)[0], path, scope=f"s{n}_").triples:
                shapes.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))

        def as_written():
            graph = rdflib.Graph()
            for quad in vocab.source.quads:
                graph.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
            return graph

        def typed_strings(graph):
            typed = rdflib.Graph()
            for s_, p_, o in graph:
                if isinstance(o, rdflib.Literal) and o.datatype is None and not o.language:
                    o = rdflib.Literal(str(o), datatype=rdflib.XSD.string)
                typed.add((s_, p_, o))
            return typed

        # No allow_warnings: in pySHACL it also makes a nested shape with only Warning results conform
        # (sh:or over warning-level property shapes), which SHACL does not do.
        options: dict[str, Any] = {"inference": "none", "do_owl_imports": False}
        try:
            if exact_as_written(vocab):
                _, report, _ = shacl_validate(as_written(), shacl_graph=shapes, **options)
            else:
                try:
                    # pySHACL also reads a pyoxigraph Store (its backend); its annotations do not say so
                    _, report, _ = shacl_validate(
                        vocab.store,  # type: ignore[arg-type]
                        shacl_graph=typed_strings(shapes),
                        **options,
                    )
                except (TypeError, RuntimeError):
                    # pySHACL's pyoxigraph backend fails on a literal focus node (TypeError), and on a query
                    # that uses $currentShape or $shapesGraph without selecting it (RuntimeError: pyoxigraph
                    # substitutes only selected variables): rdflib's graph takes both
                    _, report, _ = shacl_validate(as_written(), shacl_graph=shapes, **options)
        except ReportableRuntimeError as exc:
            where = shapes_files[0] if len(shapes_files) == 1 else os.path.dirname(shapes_files[0]) or "."
            message = str(getattr(exc, "message", exc)).strip().splitlines()[0]
            raise VocabError(f"pyshacl cannot run these shapes: {message}", path=where) from exc
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    sh = rdflib.Namespace(SH)
    out = []
    for top in report.subjects(rdflib.RDF.type, sh.ValidationReport):
        for res in report.objects(top, sh.result):
            focus = report.value(res, sh.focusNode)
            value = report.value(res, sh.value)
            shape = report.value(res, sh.sourceShape)
            sev = report.value(res, sh.resultSeverity)
            sev_iri = str(sev) if sev is not None else SH + "Violation"
            sev_name = (
                sev_iri[len(SH) :]
                if sev_iri.startswith(SH)
                else sev_iri.rstrip("#/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            )
            msgs = list(report.objects(res, sh.resultMessage))
            msg = next((m for m in msgs if getattr(m, "language", None) in (None, "en")), msgs[0] if msgs else None)
            comp = report.value(res, sh.sourceConstraintComponent)
            path = report.value(res, sh.resultPath)
            comp_s = str(comp) if comp is not None else SH + "SPARQLConstraintComponent"
            out.append(
                Result(
                    shape=str(shape) if isinstance(shape, rdflib.URIRef) else f"_:{shape}",
                    severity=sev_name,
                    focus=_to_ox(focus),
                    message=str(msg) if msg else "",
                    value=_to_ox(value),
                    path=_path_text(report, path) if path is not None else None,
                    component=comp_s[len(SH) :] if comp_s.startswith(SH) else comp_s,
                    shape_node=_to_ox(shape),
                    severity_iri=sev_iri,
                    path_node=_to_ox(path) if isinstance(path, rdflib.URIRef) else None,
                )
            )
    return out


def _path_text(graph, path) -> str | None:
    """A SHACL path from pyshacl's report as SPARQL path text (for the findings' ``path``)."""
    import rdflib

    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    sh = rdflib.Namespace(SH)
    if (path, rdflib.RDF.first, None) in graph:
        return "(" + "/".join(_path_text(graph, p) or "?" for p in rdflib.collection.Collection(graph, path)) + ")"
    inv = graph.value(path, sh.inversePath)
    if inv is not None:
        return "^" + (_path_text(graph, inv) or "?")
    alt = graph.value(path, sh.alternativePath)
    if alt is not None:
        return "(" + "|".join(_path_text(graph, p) or "?" for p in rdflib.collection.Collection(graph, alt)) + ")"
    for key, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = graph.value(path, sh[key])
        if inner is not None:
            return "(" + (_path_text(graph, inner) or "?") + ")" + op
    return None


def _to_rdflib(term):
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":  # as rdflib reads "a" in the shapes: no datatype
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _to_ox(term):
    """An rdflib term as a pyoxigraph term, with the lexical form as written (str(), never .value)."""
    import pyoxigraph as ox
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD + "string")))
