"""What the shipped vocabulary (vocab/*.ttl) says, as README.md promises it: the content, not the tools.

The tools are tested on small fixtures and on the real vocabularies in tests/data; the tests here
fail when the vocabulary's content changes against what the README states, whatever the code.
Point-by-point fidelity to the source text is in test_fidelity.py.
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, vocpub_results

SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
REG_STATUS = "http://purl.org/linked-data/registry#status"
SUBMITTED = "https://linked.data.gov.au/def/reg-statuses/submitted"


@pytest.fixture(scope="module")
def shipped():
    from sst_vocab.loader import load

    return load([ROOT / "vocab"])


def test_the_shipped_vocabulary_has_no_violation_or_warning():
    """README: "this project's shapes ... `sst-vocab validate`, no violations or warnings"."""
    from sst_vocab.validate import validate

    report = validate([ROOT / "vocab"])
    counts = report.counts()
    assert (counts["Violation"], counts["Warning"]) == (0, 0), [
        f"{f.file}:{f.line} {f.rule}: {f.message}" for f in report.findings if f.severity != "Info"
    ]


def test_the_shipped_vocabulary_conforms_to_vocpub():
    """README: VocPub "with no result at any severity", run with the profile's own validator."""
    results = vocpub_results(sorted((ROOT / "vocab").glob("*.ttl")))
    assert results == [], "\n".join(f"{sev} {shape} {focus}: {msg[:160]}" for sev, shape, focus, msg in results)


def test_every_live_definition_is_a_draft_awaiting_concurrence(shipped):
    """README: "All definitions are *drafts* awaiting interagency concurrence (`reg:status status:submitted`)"."""
    found = {
        str(row["c"].value): str(row["st"].value) if row["st"] is not None else None
        for row in shipped.store.query(
            f"SELECT ?c ?st WHERE {{ ?c a <{SKOS}Concept> . OPTIONAL {{ ?c <{REG_STATUS}> ?st }} "
            f"FILTER NOT EXISTS {{ ?c <{OWL}deprecated> true }} }}"
        )
    }
    assert found, "no live concepts"
    assert {c: s for c, s in found.items() if s != SUBMITTED} == {}


def test_iris_are_slash_iris_under_the_w3id_namespace(shipped):
    """README: IRIs are slash IRIs under https://w3id.org/sst-vocab/ (the scheme is https://w3id.org/sst-vocab)."""
    schemes = {str(r["s"].value) for r in shipped.store.query(f"SELECT ?s WHERE {{ ?s a <{SKOS}ConceptScheme> }}")}
    concepts = {str(r["c"].value) for r in shipped.store.query(f"SELECT ?c WHERE {{ ?c a <{SKOS}Concept> }}")}
    assert schemes == {"https://w3id.org/sst-vocab"}
    assert concepts and all(c.startswith("https://w3id.org/sst-vocab/") and "#" not in c for c in concepts)
    assert "https://w3id.org/sst-vocab/security-system-transformation" in concepts


def test_the_shipped_files_are_in_the_canonical_layout(invoke):
    """README: the files are kept in `sst-vocab fmt`'s layout (the pre-commit hook keeps them so)."""
    result = invoke("fmt", "--check", str(ROOT / "vocab"))
    assert result.exit_code == 0, result.stderr + result.stdout


def test_the_context_has_a_term_for_everything_the_shipped_vocabulary_says(invoke):
    """Keys like "sstx:newProperty" mean the published context lacks a term: add one to context.jsonld."""
    doc = json.loads(invoke("export").stdout)

    def keys(node):
        for key, value in node.items():
            yield key
            for v in value if isinstance(value, list) else [value]:
                if isinstance(v, dict) and "@value" not in v:  # nested nodes and language maps (no colons)
                    yield from keys(v)

    untermed = sorted({k for n in doc["@graph"] for k in keys(n) if ":" in k})
    assert untermed == []
    types = sorted(
        {
            t
            for n in doc["@graph"]
            for t in ([n["@type"]] if isinstance(n.get("@type"), str) else n.get("@type", []))
            if ":" in t
        }
    )
    assert types == []
