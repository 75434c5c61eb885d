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


#: (data files or None for the shipped vocabulary, profile name).  SHUI is left to Jena
#: (test_shacl_crosscheck.py): pySHACL refuses VocPub + SHUI (a shape SHUI extends "is not a
#: well-formed SHACL PropertyShape"; see test_pyshacl_refusal_is_a_clear_error).
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
    """The results of a SHACL report graph, as the W3C compares them (message left out)."""
    store = ox.Store()
    store.load(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"""SELECT ?focus ?shape ?value ?component ?severity WHERE {{
        ?r a <{SH}ValidationResult> ; <{SH}focusNode> ?focus ; <{SH}sourceShape> ?shape ;
           <{SH}sourceConstraintComponent> ?component ; <{SH}resultSeverity> ?severity .
        OPTIONAL {{ ?r <{SH}value> ?value }} }}""")
    return Counter(tuple(canonical(r[v]) for v in ("focus", "shape", "value", "component", "severity"))
                   for r in rows)


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


def test_pyshacl_refusal_is_a_clear_error():
    from sst_vocab.errors import VocabError

    with pytest.raises(VocabError, match="pyshacl cannot run these shapes"):
        validate([EXAMPLES[0]], shapes=PROFILES["shui"], engine="pyshacl")


def test_ui_shapes_with_groups_are_accepted():
    """SHUI (SkoHub-style form shapes): sh:group, sh:order, sh:PropertyGroup are SHACL terms that do not validate."""
    report = validate([EXAMPLES[0]], shapes=PROFILES["shui"])
    assert not report.notes
    assert report.engine == "fast"


def test_with_other_shapes_only_those_shapes_run():
    """--shapes replaces the catalogue: the built-in Python checks (LIT-01, FILE-01, REL-06) do not run."""
    report = validate(None, shapes=PROFILES["vocpub"])
    assert not {f.rule for f in report.findings} & {
        "LIT-01-ill-typed-literal", "FILE-01-subject-in-two-files", "REL-06-disconnected-cluster"}
    assert all(f.rule.startswith("http") or f.rule.startswith("_:") for f in report.findings)
