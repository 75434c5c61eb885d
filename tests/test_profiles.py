"""Profiles the shipped vocabulary conforms to, checked with the profiles' own validators.

VocPub (AGLDWG's SKOS publishing profile): its SHACL validator, copied unchanged into
tests/data/third-party-shapes/vocpub/ (CC BY 4.0, see the README there), run with pySHACL directly
on an rdflib graph of vocab/*.ttl, as the profile's own tooling runs it (advanced=True for its
SPARQL-based shapes). The shipped vocabulary must conform with no result at any severity: not even
the profile's SHOULD warnings (agents' schema:url, 2.1.12 theming with IRIs, 2.3.04 concept
origins).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, ROOT

VOCPUB = DATA / "third-party-shapes" / "vocpub"
SH = "http://www.w3.org/ns/shacl#"


def _vocpub(paths: list[Path]) -> list[tuple[str, str, str, str]]:
    """(severity, source shape, focus node, message) of every VocPub result for these files."""
    rdflib = pytest.importorskip("rdflib")
    pyshacl = pytest.importorskip("pyshacl")
    data = rdflib.Graph()
    for path in paths:
        data.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(VOCPUB / "validators" / "validator.ttl", format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none",
                                    allow_warnings=False, do_owl_imports=False)
    sh = rdflib.Namespace(SH)
    return sorted(
        (str(report.value(r, sh.resultSeverity)).removeprefix(SH), str(report.value(r, sh.sourceShape)),
         str(report.value(r, sh.focusNode)), str(report.value(r, sh.resultMessage)))
        for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
    )


def test_the_validator_runs_as_the_profile_means_it():
    """The copied validator finds violations in the profile's invalid example and none in its valid one."""
    assert [r for r in _vocpub([VOCPUB / "examples" / "01-valid.ttl"]) if r[0] == "Violation"] == []
    assert [r for r in _vocpub([VOCPUB / "examples" / "01-invalid.ttl"]) if r[0] == "Violation"]


def test_shipped_vocabulary_conforms_to_vocpub():
    results = _vocpub(sorted((ROOT / "vocab").glob("*.ttl")))
    assert results == [], "\n".join(f"{sev} {shape} {focus}: {msg[:160]}" for sev, shape, focus, msg in results)
