"""The fast engine must report exactly what pyshacl (the reference SHACL engine) reports."""

from __future__ import annotations

import re

import pytest

from conftest import DATA, REAL, ROOT, write
from sst_vocab.errors import VocabError
from sst_vocab.validate import validate

ENGINE = DATA / "engine"


def results(report) -> set[tuple[str, str, str | None]]:
    """(rule, focus, value) with blank node labels erased: the two engines name them differently."""
    def norm(x):
        return "_:" if x is not None and x.startswith("_:") else x

    out = set()
    for f in report.findings:
        out.add((f.rule, norm(f.focus), norm(f.value)))
    return out


def test_every_compiled_component_matches_pyshacl():
    shapes = [ENGINE / "shapes.ttl"]
    fast = validate([ENGINE / "data.ttl"], shapes=shapes, engine="fast")
    ref = validate([ENGINE / "data.ttl"], shapes=shapes, engine="pyshacl")
    assert results(fast) == results(ref)
    rules = {r.rsplit("/", 1)[-1] for r, _, _ in results(fast)}
    # every shape in the engine fixture fires at least once, except the deactivated one
    expected = {
        "min-count", "min-count-2", "max-count", "unique-lang", "datatype", "datatype-lang", "class", "pattern",
        "pattern-flags", "language-in", "disjoint", "equals", "in", "min-length", "max-length", "or", "xone",
        "not", "and", "sequence", "one-or-more", "zero-or-more", "zero-or-one", "sparql", "sparql-group",
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


UNSUPPORTED = {
    "typo": ('sh:mesage "typo" ;', "unknown SHACL term(s) in the shapes: sh:mesage"),
    "no-severity": ("", "needs sh:severity"),
    "closed": ("sh:closed true ;", "sh:closed, which the fast engine does not run"),
}


@pytest.mark.parametrize("case", sorted(UNSUPPORTED))
def test_shapes_the_engine_cannot_run_are_refused_not_skipped(tmp_path, case):
    extra, message = UNSUPPORTED[case]
    severity = "" if case == "no-severity" else "sh:severity sh:Violation ;"
    shapes = write(tmp_path / "s.ttl", f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/s/x> a sh:PropertyShape ; sh:targetClass skos:Concept ; sh:path skos:prefLabel ;
    sh:minCount 1 ; {severity} {extra} sh:message "m" .
""")
    with pytest.raises(VocabError, match=re.escape(message)):
        validate([ENGINE / "data.ttl"], shapes=[shapes])


def test_shipped_shapes_use_only_real_shacl_terms():
    # compiling lints them: an unknown sh: term would raise
    from sst_vocab.validate import load_shapes

    compiled = load_shapes()
    assert compiled.shapes, "the shipped shapes/ folder defines shapes"
    assert all(s.severity in ("Violation", "Warning", "Info") for s in compiled.shapes)
