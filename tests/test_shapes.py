"""Every shape has a passing and a failing fixture, and reports exactly the expected focus nodes.

Fixtures live in tests/data/shapes/<RULE>.pass.ttl and <RULE>.fail.ttl; a fail fixture names what
it must produce in header lines ``# expect: <RULE> <focus IRI>``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DATA
from sst_vocab.namespaces import SSTSH
from sst_vocab.validate import load_shapes, validate

FIXTURES = DATA / "shapes"
RULES = sorted(s.iri[len(SSTSH) :] for s in load_shapes().shapes if s.iri.startswith(SSTSH))
EXPECT = re.compile(r"^#\s*expect:\s*(\S+)\s+<?([^>\s]+)>?", re.M)


def expected(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for rule, focus in EXPECT.findall(path.read_text(encoding="utf-8")):
        out.setdefault(rule, set()).add(focus)
    return out


def reported(path: Path, rule: str, engine: str = "fast") -> set[str]:
    return {f.focus for f in validate([path], engine=engine).findings if f.rule == rule}


def test_there_are_shapes():
    assert len(RULES) >= 40


@pytest.mark.parametrize("rule", RULES)
def test_each_shape_has_both_fixtures(rule):
    assert (FIXTURES / f"{rule}.pass.ttl").is_file(), f"missing {rule}.pass.ttl"
    assert (FIXTURES / f"{rule}.fail.ttl").is_file(), f"missing {rule}.fail.ttl"


@pytest.mark.parametrize("rule", RULES)
def test_pass_fixture_is_clean_for_its_rule(rule):
    path = FIXTURES / f"{rule}.pass.ttl"
    if not path.is_file():
        pytest.skip("no fixture (reported by test_each_shape_has_both_fixtures)")
    assert reported(path, rule) == set()


@pytest.mark.parametrize("rule", RULES)
def test_fail_fixture_reports_exactly_the_expected_focus_nodes(rule):
    path = FIXTURES / f"{rule}.fail.ttl"
    if not path.is_file():
        pytest.skip("no fixture (reported by test_each_shape_has_both_fixtures)")
    want = expected(path).get(rule)
    assert want, f"{path.name} has no '# expect: {rule} <IRI>' line"
    assert reported(path, rule) == want


@pytest.mark.parametrize("rule", RULES)
def test_pyshacl_agrees_on_the_fail_fixture(rule):
    path = FIXTURES / f"{rule}.fail.ttl"
    if not path.is_file():
        pytest.skip("no fixture")
    assert reported(path, rule, engine="pyshacl") == reported(path, rule)
