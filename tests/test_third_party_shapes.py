"""Shapes written by others run exactly as pySHACL runs them (Apache Jena too: test_shacl_crosscheck.py).

tests/data/third-party-shapes/vocpub holds the VocPub profile's validators (AGLDWG; CC BY 4.0; README
there) and the profile's own valid and invalid examples.  Each example is validated with the profile it
was written for (all with VocPub itself; the GA examples also with VocPub + the GA rules; the
multilingual ones also with the multilingual variant), and the shipped vocabulary with every profile;
SHUI's shapes (sh:group, sh:order: user-interface terms) must be accepted too.  (The examples are
written for several versions of the profile: some "valid" ones do not conform to the version here,
in either engine; the test is that the engines agree.)  The fast engine's
SHACL report and pySHACL's must hold the same results: focus node, source shape, value, constraint
component and severity, counted (blank nodes compared as blank nodes).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import DATA
from sst_vocab.namespaces import SH
from sst_vocab.validate import validate

VOCPUB = DATA / "third-party-shapes" / "vocpub"
VALIDATORS = VOCPUB / "validators"
EXAMPLES = sorted((VOCPUB / "examples").glob("*.ttl"))
PROFILES = {
    "vocpub": [VALIDATORS / "validator.ttl"],
    "vocpub-multilang": [VALIDATORS / "validator.multilang.ttl"],
    "vocpub-ga": [VALIDATORS / "validator.ttl", VALIDATORS / "validator.ga.ttl"],
    "shui": [VALIDATORS / "validator.ttl", VALIDATORS / "shui.ttl"],  # SHUI adds form groups to VocPub's shapes
}


def profiles_for(example: Path) -> list[str]:
    out = ["vocpub"]
    if "GA" in example.name:
        out.append("vocpub-ga")
    if "multi" in example.name:
        out.append("vocpub-multilang")
    return out


#: (data files or None for the shipped vocabulary, profile name).  VocPub + SHUI is an ill-formed
#: shapes graph, refused by every engine: test_ill_formed_shapes_are_refused_by_every_engine.
CASES = [([e], p) for e in EXAMPLES for p in profiles_for(e)] + [(None, p) for p in PROFILES if p != "shui"]


def case_id(case) -> str:
    paths, profile = case
    return f"{paths[0].stem if paths else 'shipped-vocabulary'}-{profile}"


def canonical(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:b"
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if term.language:
        return f"{term.value!r}@{term.language.lower()}"
    return f"{term.value!r}^^<{term.datatype.value}>"


def report_rows(turtle: str) -> Counter:
    """The results of a SHACL report graph, as the W3C compares them (message left out).  Read with
    pyoxigraph's parser, not into a store: a store would turn "4.0"^^xsd:decimal into "4"."""
    props: dict = {}
    for t in ox.parse(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE):
        props.setdefault(t.subject, {})[t.predicate.value] = t.object
    keys = ("focusNode", "sourceShape", "value", "sourceConstraintComponent", "resultSeverity")
    return Counter(
        tuple(canonical(p.get(SH + k)) for k in keys)
        for p in props.values()
        if p.get("http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == ox.NamedNode(SH + "ValidationResult")
    )


def results(paths, profile: str, engine: str = "fast") -> Counter:
    report = validate(paths, shapes=PROFILES[profile], engine=engine, with_report_graph=True)
    return report_rows(report.report_turtle)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_fast_engine_agrees_with_pyshacl(case):
    paths, profile = case
    fast = results(paths, profile)
    assert fast == results(paths, profile, engine="pyshacl")


@pytest.mark.parametrize("example", [e for e in EXAMPLES if "invalid" in e.name], ids=lambda p: p.stem)
def test_the_invalid_examples_do_not_conform(example):
    reports = [validate([example], shapes=PROFILES[p], with_report_graph=True) for p in profiles_for(example)]
    assert any(r.findings for r in reports)
    assert all(("sh:conforms false" in r.report_turtle) == bool(r.findings) for r in reports)


def test_ill_formed_shapes_are_refused_by_every_engine():
    """VocPub + SHUI: SHUI's sh:property points at a VocPub shape that has no sh:path.  pySHACL and Jena
    refuse the shapes graph; so does the fast engine, with one clear error."""
    from sst_vocab.errors import VocabError

    with pytest.raises(VocabError, match="has no sh:path"):
        validate([EXAMPLES[0]], shapes=PROFILES["shui"])
    with pytest.raises(VocabError, match="pyshacl cannot run these shapes"):
        validate([EXAMPLES[0]], shapes=PROFILES["shui"], engine="pyshacl")


GROUPED = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/form#> .
ex:labels a sh:PropertyGroup ; sh:order 0 ; <http://www.w3.org/2000/01/rdf-schema#label> "Labels" .
ex:Concept a sh:NodeShape ; sh:targetClass skos:Concept ; sh:name "Concept" ; sh:description "A SKOS concept" ;
    sh:property [ sh:path skos:prefLabel ; sh:group ex:labels ; sh:order 1 ; sh:name "preferred label" ;
                  sh:minCount 1 ; sh:uniqueLang true ;
                  sh:datatype <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> ] ,
                [ sh:path skos:altLabel ; sh:group ex:labels ; sh:order 2 ; sh:defaultValue "x" ] .
"""


@pytest.mark.slow
def test_form_shapes_with_groups_are_accepted(tmp_path):
    """SkoHub-style shapes: sh:group, sh:order, sh:name, sh:PropertyGroup, sh:defaultValue do not validate."""
    shapes = tmp_path / "form.ttl"
    shapes.write_text(GROUPED, encoding="utf-8")
    for example in EXAMPLES[:3]:
        fast = validate([example], shapes=[shapes], with_report_graph=True)
        assert not fast.notes
        ref = validate([example], shapes=[shapes], engine="pyshacl", with_report_graph=True)
        assert report_rows(fast.report_turtle) == report_rows(ref.report_turtle)


def test_with_other_shapes_only_those_shapes_run():
    """--shapes replaces the catalogue: the built-in Python checks (LIT-01, FILE-01, REL-06) do not run."""
    report = validate(None, shapes=PROFILES["vocpub"])
    assert not {f.rule for f in report.findings} & {
        "LIT-01-ill-typed-literal",
        "FILE-01-subject-in-two-files",
        "REL-06-disconnected-cluster",
    }
    assert all(f.rule.startswith("http") or f.rule.startswith("_:") for f in report.findings)
