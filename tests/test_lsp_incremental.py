"""Incremental validation in the language server gives exactly the report `validate` gives.

After each edit the workspace re-runs only the rules whose predicates changed; these tests
make a sequence of edits of every kind and compare its report with a full `validate` of
the same graph, on the shipped vocabulary and on a real vocabulary.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import REAL, ROOT

from sst_vocab.lsp.incremental import query_predicates
from sst_vocab.lsp.workspace import Workspace
from sst_vocab.validate import validate


def _same(ws: Workspace) -> None:
    report = ws.validate()
    full = validate(vocabulary=ws.vocabulary())
    assert report.findings == full.findings
    assert (report.concepts, report.top_concepts, report.schemes, report.triples) == (
        full.concepts, full.top_concepts, full.schemes, full.triples)


def test_each_kind_of_edit_gives_the_full_report(tmp_path):
    shutil.copytree(ROOT / "vocab", tmp_path / "vocab")
    (tmp_path / "pyproject.toml").write_text('[tool.sst-vocab]\nvocab = ["vocab"]\n', encoding="utf-8")
    ws = Workspace.for_folder(str(tmp_path))
    ws.load_all()
    assert ws._incremental_validator() is not None
    _same(ws)
    terms = str(tmp_path / "vocab" / "terms.ttl")
    text = ws.state(terms).text
    label = '    skos:prefLabel "Security system transformation"@en ;\n'
    edits = [
        text.replace(label, label + '    skos:prefLabel "Security sector transformation"@en ;\n', 1),  # a label
        text.replace(label, label.replace("Security system", "security  system"), 1),  # case and spacing
        text.replace("skos:narrower\n", "skos:related\n", 1),  # hierarchy -> relation
        text + '\nsst:orphan a skos:Concept ; skos:prefLabel "Orphan"@en ; skos:broader sst:nowhere .\n',  # new
        text.replace("sstx:definitionOrigin sstx:verbatim ;", "", 1),  # a project property removed
        text.replace("a skos:Concept ;", "a skos:Collection ;", 1),  # a type
        text + '\nsst:security dcterms:modified "not a date"^^<http://www.w3.org/2001/XMLSchema#date> .\n',
        text.replace("# Security system transformation", "# edited comment"),  # no graph change
        text,  # back where it started
    ]
    for edited in edits:
        ws.set_text(terms, edited)
        _same(ws)


@pytest.mark.parametrize("name", ["lithology.ttl", "commodity.ttl"])
def test_edits_to_a_real_vocabulary_give_the_full_report(tmp_path, name):
    shutil.copy(REAL / name, tmp_path / name)
    ws = Workspace.for_folder(str(tmp_path))
    ws.load_all()
    _same(ws)
    path = str(tmp_path / name)
    text = ws.state(path).text
    first_label = text.index("skos:prefLabel")
    line_end = text.index("\n", first_label)
    edited = text[:line_end] + '\n    skos:altLabel "an added alternative label"@en ;' + text[line_end:]
    ws.set_text(path, edited)
    _same(ws)
    link = "skos:broader" if "skos:broader" in text else "skos:inScheme"
    at = text.index(link)
    ws.set_text(path, text[:at] + "skos:related" + text[at + len(link):])  # a link of another kind
    _same(ws)


def test_query_predicates_are_read_conservatively():
    q = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?this ?value WHERE { ?this skos:prefLabel ?value . ?this a skos:Concept }"
    deps = query_predicates(q)
    assert deps is not None and "http://www.w3.org/2004/02/skos/core#prefLabel" in deps
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" in deps
    assert query_predicates("SELECT ?this WHERE { ?this ?p ?o }") is None  # any predicate
    assert query_predicates("SELECT ?this WHERE { ?this !<http://x/p> ?o }") is None  # a negated set
    assert query_predicates("SELECT ?this WHERE { ?this ex:p ?o }") is None  # a prefix it cannot expand
