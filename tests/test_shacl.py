"""The fast engine must report exactly what pyshacl (the reference SHACL engine) reports."""

from __future__ import annotations

import re

import pytest

from conftest import DATA, write
from sst_vocab.errors import VocabError
from sst_vocab.validate import validate

ENGINE = DATA / "engine"


def results(report) -> set[tuple[str, str, str | None]]:
    """(rule, focus, value) with blank node labels erased: the two engines name them differently."""

    def norm(x):
        return "_:" if x is not None and x.startswith("_:") else x

    out = set()
    for f in report.findings:
        out.add((norm(f.rule), norm(f.focus), norm(f.value)))
    return out


def test_every_compiled_component_matches_pyshacl():
    shapes = [ENGINE / "shapes.ttl"]
    fast = validate([ENGINE / "data.ttl"], shapes=shapes, engine="fast")
    ref = validate([ENGINE / "data.ttl"], shapes=shapes, engine="pyshacl")
    assert results(fast) == results(ref)
    rules = {r.rsplit("/", 1)[-1] for r, _, _ in results(fast)}
    # every shape in the engine fixture fires at least once, except the deactivated one
    expected = {
        "min-count",
        "min-count-2",
        "max-count",
        "unique-lang",
        "datatype",
        "datatype-lang",
        "class",
        "pattern",
        "pattern-flags",
        "language-in",
        "disjoint",
        "equals",
        "in",
        "min-length",
        "max-length",
        "or",
        "xone",
        "not",
        "and",
        "sequence",
        "one-or-more",
        "zero-or-more",
        "zero-or-one",
        "sparql",
        "sparql-group",
        "subclass-target",
    }
    assert expected <= rules
    assert "deactivated" not in rules


def test_node_kind_and_has_value_pass_when_data_is_right():
    fast = validate([ENGINE / "data.ttl"], shapes=[ENGINE / "shapes.ttl"])
    rules = {f.rule.rsplit("/", 1)[-1] for f in fast.findings}
    assert "node-kind" not in rules and "has-value" not in rules


def test_has_value_and_node_kind_fail_when_data_is_wrong(tmp_path):
    text = (ENGINE / "data.ttl").read_text().replace("ex:scheme a skos:ConceptScheme ;", "ex:scheme a ex:NotAScheme ;")
    data = write(tmp_path / "d.ttl", text + "\n_:x skos:broader ex:top .\n")
    fast = validate([data], shapes=[ENGINE / "shapes.ttl"])
    ref = validate([data], shapes=[ENGINE / "shapes.ttl"], engine="pyshacl")
    assert results(fast) == results(ref)
    rules = {f.rule.rsplit("/", 1)[-1] for f in fast.findings}
    assert {"has-value", "node-kind"} <= rules


# pySHACL evaluates every SPARQL constraint once per focus node, so it checks samples of the real
# vocabularies (their scheme and a dozen concepts each, multilingual included), not the whole files.
REAL_SAMPLES = sorted((DATA / "real-samples").glob("*.ttl"))


@pytest.mark.slow
@pytest.mark.parametrize("path", REAL_SAMPLES, ids=lambda p: p.name)
def test_shipped_shapes_agree_with_pyshacl_on_real_vocabularies(path):
    fast = validate([path])
    ref = validate([path], engine="pyshacl")
    assert results(fast) == results(ref)


@pytest.mark.slow
def test_shipped_shapes_agree_with_pyshacl_on_the_shipped_vocabulary():
    assert results(validate()) == results(validate(engine="pyshacl"))


SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/s/x> a sh:PropertyShape ; sh:targetClass skos:Concept ; sh:path skos:prefLabel ;
    sh:minCount 1 ; {extra} sh:message "m" .
"""


def test_typos_in_other_shapes_are_ignored_with_a_warning(tmp_path, invoke):
    """As pySHACL and Jena: an sh: term SHACL does not define does nothing, but sst-vocab says so."""
    shapes = write(tmp_path / "s.ttl", SHAPE.replace("{extra}", 'sh:mesage "typo" ;'))
    report = validate([ENGINE / "data.ttl"], shapes=[shapes])
    assert report.notes and "sh:mesage" in report.notes[0]
    result = invoke("validate", str(ENGINE / "data.ttl"), "--shapes", str(shapes))
    assert "warning:" in result.stderr and "sh:mesage" in result.stderr


def test_typos_in_the_shipped_shapes_are_errors():
    import pyoxigraph as ox

    from sst_vocab.shacl import ShapesGraph

    triples = list(ox.parse(SHAPE.replace("{extra}", 'sh:mesage "typo" ;').encode(), format=ox.RdfFormat.TURTLE))
    with pytest.raises(VocabError, match=re.escape("unknown SHACL term(s) in the shapes: sh:mesage")):
        ShapesGraph(triples, strict=True)


def test_shapes_without_severity_report_violations(tmp_path):
    shapes = write(tmp_path / "s.ttl", SHAPE.replace("{extra}", "sh:maxCount 0 ;"))
    report = validate([ENGINE / "data.ttl"], shapes=[shapes])
    assert report.findings and {f.severity for f in report.findings} == {"Violation"}
    assert results(report) == results(validate([ENGINE / "data.ttl"], shapes=[shapes], engine="pyshacl"))


BRIEF = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/s#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Thing a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:kind ; sh:in ( "a" "b" ) ] ;
    sh:property [ sh:path ex:kind ; sh:hasValue "a" ; sh:severity ex:Minor ] ;
    sh:property [ sh:path ex:size ; sh:datatype xsd:int ] ;
    sh:property [ sh:path ex:small ; sh:datatype xsd:byte ] ;
    sh:property [ sh:path ex:flag ; sh:datatype xsd:boolean ] ;
    sh:property [ sh:path ex:part ; sh:node ex:Part ] .
ex:Part a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
"""
BRIEF_DATA = """@prefix ex: <https://example.org/s#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:ok a ex:Thing ; ex:kind "a" ; ex:size "12"^^xsd:int ; ex:small "12"^^xsd:byte ; ex:flag true ;
    ex:part [ ex:name "p" ] .
ex:bad a ex:Thing ; ex:kind "c" ; ex:size "x"^^xsd:int ; ex:small "300"^^xsd:byte ; ex:flag "none"^^xsd:boolean ;
    ex:part [ ex:other "p" ] .
"""


def test_both_engines_agree_on_what_third_party_shapes_use(tmp_path):
    """Plain strings in sh:in and sh:hasValue, a custom severity, blank-node shapes, sh:node (whose
    sh:detail is not a finding), xsd:int and xsd:byte (which the store rewrites to xsd:integer) and
    an ill-typed boolean shown as written, in both engines."""
    from test_third_party_shapes import report_rows

    shapes, data = write(tmp_path / "s.ttl", BRIEF), write(tmp_path / "d.ttl", BRIEF_DATA)
    fast = validate([data], shapes=[shapes], with_report_graph=True)
    ref = validate([data], shapes=[shapes], engine="pyshacl", with_report_graph=True)
    assert report_rows(fast.report_turtle) == report_rows(ref.report_turtle)
    assert results(fast) == results(ref)
    bad = {(f.rule.startswith("_:"), f.value) for f in fast.findings}
    assert all(f.focus.endswith("#bad") or f.focus.startswith("_:") for f in fast.findings), fast.findings
    assert (True, '"none"') in bad and (True, '"300"') in bad and (True, '"x"') in bad and (True, '"c"') in bad
    assert {f.severity for f in fast.findings} == {"Violation", "Info"}  # ex:Minor counts as Info
    assert "ex:Minor" not in fast.report_turtle or "https://example.org/s#Minor" in fast.report_turtle


def test_the_report_graph_conforms_only_without_results(tmp_path):
    """SHACL 3.1: warnings and infos make sh:conforms false; the exit code policy stays (violations)."""
    import pyoxigraph as ox

    shapes = write(tmp_path / "s.ttl", SHAPE.replace("{extra}", "sh:maxCount 0 ; sh:severity sh:Warning ;"))
    report = validate([ENGINE / "data.ttl"], shapes=[shapes], with_report_graph=True)
    assert report.conforms and report.findings
    store = ox.Store()
    store.load(report.report_turtle.encode(), format=ox.RdfFormat.TURTLE)
    assert store.query("ASK { ?r <http://www.w3.org/ns/shacl#conforms> false }")
    sh = "http://www.w3.org/ns/shacl#"
    assert store.query(f"""ASK {{ ?x a <{sh}ValidationResult> ; <{sh}sourceConstraintComponent>
                               <{sh}MaxCountConstraintComponent> ; <{sh}resultPath> ?p }}""")


def test_shipped_shapes_use_only_real_shacl_terms():
    # compiling lints them: an unknown sh: term would raise
    from sst_vocab.validate import load_shapes

    compiled = load_shapes()
    assert compiled.shapes, "the shipped shapes/ folder defines shapes"
    assert all(s.severity in ("Violation", "Warning", "Info") for s in compiled.shapes)


def test_values_in_sparql_constraints_only_in_the_shipped_shapes():
    """SHACL forbids VALUES (and MINUS) in SPARQL constraints: refused in other shapes, as the W3C suite
    asks; the shipped shapes may use them (their $this is bound by a join); SERVICE never."""
    import pyoxigraph as ox

    from sst_vocab.shacl import ShapesGraph

    text = """@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/s/v> a sh:NodeShape ; sh:targetSubjectsOf <https://example.org/p> ;
    sh:sparql [ sh:select "SELECT $this WHERE { VALUES ?x { 1 } $this <https://example.org/p> ?x }" ] .
"""
    triples = list(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    assert ShapesGraph(triples, strict=True).shapes
    with pytest.raises(VocabError, match="does not allow VALUES"):
        ShapesGraph(triples)
    service = list(
        ox.parse(
            text.replace("VALUES ?x { 1 }", "SERVICE <http://example.org/> { ?a ?b ?c }").encode(),
            format=ox.RdfFormat.TURTLE,
        )
    )
    with pytest.raises(VocabError, match="does not allow SERVICE"):
        ShapesGraph(service, strict=True)


@pytest.mark.parametrize(
    "validator, wanted",
    [
        ('sh:SPARQLAskValidator ; sh:ask "SELECT ?x WHERE { $this ?p ?x }"', "sh:ask must be an ASK query"),
        ('sh:SPARQLSelectValidator ; sh:select "ASK { $this ?p ?x }"', "sh:select must be a SELECT query"),
    ],
    ids=["ask", "select"],
)
def test_a_validator_of_the_wrong_query_form_is_bad_input(tmp_path, invoke, validator, wanted):
    """It used to reach the engine and end validate in an AttributeError traceback (found by mypy)."""
    shapes = write(
        tmp_path / "s.ttl",
        f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/s/> .
ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:p ] ;
    sh:validator [ a {validator} ] .
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:q ; ex:p 1 .
""",
    )
    result = invoke("validate", str(ENGINE / "data.ttl"), "--shapes", str(shapes))
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"{shapes}: constraint component <https://example.org/s/C>: {wanted}" in result.stderr


@pytest.fixture(scope="module")
def target_free_queries():
    """The compiled queries (of the shipped shapes and of shapes written to probe the compiler) from
    which the compiler left the target out (its path, or the SPARQL constraint's own ``$this P ...``,
    selects the focus nodes), each beside the same query compiled with the target joined in front."""
    import sst_vocab.shacl.shapes as compiler
    from sst_vocab.validate import _compile_shapes, _shapes_files

    def queries():
        out = []
        for shapes in (_compile_shapes(_shapes_files(None), strict=True), _compile_shapes([str(TARGET_FREE)])):
            for shape in shapes.shapes:
                for plan in [shape.plan, *(p for _, p in shape.sub)]:
                    out += [(shape.iri, q) for _, q in plan.queries]
        return out

    free = queries()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compiler, "_this_subject_of", lambda *a: False)
        mp.setattr(compiler.ShapesGraph, "_path_in_target", lambda *a: False)
        joined = queries()
    pairs = [(shape, f, j) for (shape, f), (_, j) in zip(free, joined, strict=True) if f != j]
    assert pairs  # the compiler does leave targets out of some queries
    return pairs


TARGET_FREE = ENGINE / "target-free.ttl"
_TARGET_DATA = sorted(
    [
        *(DATA / "real-vocabularies").glob("*.ttl"),
        *(DATA / "other-styles").glob("*.ttl"),
        *(DATA / "shapes").glob("*.ttl"),
    ]
)


@pytest.mark.parametrize("path", _TARGET_DATA, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_queries_without_their_target_find_what_they_find_with_it(path, target_free_queries):
    """Leaving the target out of a query whose own pattern selects the focus nodes changes no answer,
    on vocabularies written by others, in other styles and on every shape fixture (pass and fail)."""
    from sst_vocab.loader import load

    store = load([path]).store
    for shape, free, joined in target_free_queries:
        rows = [sorted(tuple(str(t) for t in row) for row in store.query(q)) for q in (free, joined)]
        assert rows[0] == rows[1], shape


@pytest.mark.parametrize("current_shape", [False, True], ids=["one-query", "per-focus-node"])
def test_a_sparql_message_shows_the_other_variables_of_its_row(tmp_path, current_shape):
    """SHACL 5.3.2: ``{?name}`` in the message of a SPARQL-based constraint is the row's value of ?name,
    for every variable of the SELECT, not only $this and ?value; both engines fill it in. (With
    $currentShape the fast engine runs the query once per focus node instead of once for all.)"""
    uses_shape = " FILTER(BOUND($currentShape))" if current_shape else ""
    shapes = write(
        tmp_path / "shapes.ttl",
        f'''@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass <http://www.w3.org/2004/02/skos/core#Concept> ; sh:severity sh:Warning ;
  sh:sparql [ a sh:SPARQLConstraint ; sh:message "{{?label}} has {{?value}} letters, {{$unbound}} stays" ;
    sh:select """SELECT $this ?value ?label ?unbound WHERE {{
      $this <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .{uses_shape}
      BIND(STRLEN(?label) AS ?value) OPTIONAL {{ $this <http://example.org/none> ?unbound }} }}""" ] .
''',
    )
    data = write(
        tmp_path / "data.ttl",
        "<http://example.org/c> a <http://www.w3.org/2004/02/skos/core#Concept> ; "
        '<http://www.w3.org/2004/02/skos/core#prefLabel> "Hello"@en, "Ciao"@it .\n',
    )
    wanted = ["Ciao has 4 letters, {$unbound} stays", "Hello has 5 letters, {$unbound} stays"]
    for engine in ("fast", "pyshacl"):
        report = validate([data], shapes=[shapes], engine=engine)
        # (the report adds the value at fault to a message that does not say which value it is about)
        assert sorted(f.message.split(" (the value at fault")[0] for f in report.findings) == wanted, engine
