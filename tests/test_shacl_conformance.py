"""The W3C SHACL test suites (Core and SHACL-SPARQL), driven from their manifests, one case per test.

tests/data/conformance/shacl holds the suites as published (README there: source, licence).
Each ``sht:Validate`` test gives a data graph, a shapes graph and the expected validation
report (or ``sht:Failure``: the engine must refuse the shapes).  A test passes as the W3C
judges it: the report sst-vocab writes (``validate(..., with_report_graph=True)``, the graph
behind ``validate --format turtle``) and the expected one are isomorphic once each result is
reduced to sh:focusNode, sh:resultPath, sh:value, sh:resultSeverity, sh:sourceShape and
sh:sourceConstraintComponent, beside sh:conforms.

Every test runs twice: through the public ``validate`` (each constraint compiled to one SPARQL
query where it can be), and with every constraint evaluated set-at-a-time
(``shacl.run(..., compiled=False)``), so the two halves of the engine agree with the suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from conftest import DATA
from sst_vocab.errors import VocabError

SUITE = DATA / "conformance" / "shacl"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
KEPT = (SH.focusNode, SH.resultPath, SH.value, SH.resultSeverity, SH.sourceShape, SH.sourceConstraintComponent)


def _file(uri: str) -> Path:
    return Path(uri[len("file://") :]) if uri.startswith("file://") else Path(uri)


def collect(manifest: Path) -> list[tuple[str, Path, Path, rdflib.Graph, object]]:
    """(test id, data file, shapes file, manifest graph, expected result node) for every test."""
    g = rdflib.Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    out = []
    for inc in g.objects(None, MF.include):
        out += collect(_file(str(inc)))
    for entries in g.objects(None, MF.entries):
        for test in rdflib.collection.Collection(g, entries):
            if (test, RDF.type, SHT.Validate) not in g:
                continue
            action = g.value(test, MF.action)
            data = _file(str(g.value(action, SHT.dataGraph)))
            shapes = _file(str(g.value(action, SHT.shapesGraph)))
            name = str(test).split("/tests/data/conformance/shacl/", 1)[-1]
            out.append((name, data, shapes, g, g.value(test, MF.result)))
    return out


TESTS = collect(SUITE / "manifest.ttl")


def test_the_suites_are_all_there():
    core = [t for t in TESTS if t[0].startswith("core/")]
    sparql = [t for t in TESTS if t[0].startswith("sparql/")]
    assert len(core) == 98, len(core)  # the number the W3C suite states
    assert len(sparql) >= 20, len(sparql)


def _with_base(path: Path, tmp: Path) -> Path:
    """The file as given, with an @base of its own location (the suite uses relative IRIs)."""
    out = tmp / path.name
    if not out.exists():
        out.write_text(f"@base <{path.as_uri()}> .\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return out


def _copy(src: rdflib.Graph, node, dst: rdflib.Graph, seen: set) -> None:
    """The triples of a blank node (a path, a list) and of the blank nodes it reaches."""
    if not isinstance(node, rdflib.BNode) or node in seen:
        return
    seen.add(node)
    for p, o in src.predicate_objects(node):
        dst.add((node, p, _norm(o)))
        _copy(src, o, dst, seen)


def _norm(term):
    if isinstance(term, rdflib.Literal) and term.language:
        return rdflib.Literal(str(term), lang=term.language.lower())
    return term


def reduced(g: rdflib.Graph, report) -> rdflib.Graph:
    """The report as the W3C compares it."""
    out = rdflib.Graph()
    conforms = g.value(report, SH.conforms)
    out.add((report, RDF.type, SH.ValidationReport))
    out.add((report, SH.conforms, rdflib.Literal(str(conforms).lower() in ("true", "1"))))
    seen: set = set()
    for res in g.objects(report, SH.result):
        out.add((report, SH.result, res))
        for p in KEPT:
            for o in g.objects(res, p):
                out.add((res, p, _norm(o)))
                if p == SH.resultPath:
                    _copy(g, o, out, seen)
    return out


def ours(data: Path, shapes: Path, tmp: Path, compiled: bool) -> rdflib.Graph:
    from sst_vocab import shacl
    from sst_vocab.loader import load
    from sst_vocab.validate import _exact, load_shapes, validate

    d, s = _with_base(data, tmp), _with_base(shapes, tmp)
    if compiled:
        text = validate([d], shapes=[s], with_report_graph=True).report_turtle
    else:
        vocab, compiled_shapes = load([d]), load_shapes([s])
        text = shacl.report_turtle(
            shacl.run(compiled_shapes, vocab.store, exact=_exact(vocab), compiled=False), compiled_shapes
        )
    g = rdflib.Graph().parse(data=text, format="turtle")
    return reduced(
        g, g.value(None, RDF.type, SH.ValidationReport, any=False) or next(g.subjects(RDF.type, SH.ValidationReport))
    )


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "set-at-a-time"])
@pytest.mark.parametrize("name,data,shapes,manifest,expected", TESTS, ids=[t[0] for t in TESTS])
def test_w3c_shacl(name, data, shapes, manifest, expected, compiled, tmp_path):
    if expected == SHT.Failure:
        with pytest.raises(VocabError):
            ours(data, shapes, tmp_path, compiled)
        return
    got = ours(data, shapes, tmp_path, compiled)
    want = reduced(manifest, expected)
    if not isomorphic(got, want):
        pytest.fail(
            "report differs from the expected one\n--- expected\n"
            + want.serialize(format="turtle")
            + "\n--- ours\n"
            + got.serialize(format="turtle")
        )
