"""Every command on vocabularies written in other styles (tests/data/other-styles, see its README).

Each file runs through every command that reads Turtle: validate, the lookups, query, export in every
format (read back with rdflib as the same graph), fmt (same graph, every comment, idempotent), diff,
review, docs, redirects and publish --dry-run.  Exit codes only 0/1 (never 2 on a legal file).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

STYLES = sorted((Path(__file__).resolve().parent / "data" / "other-styles").glob("*.ttl"))
IDS = [p.stem for p in STYLES]


def _first_concept(path: Path) -> str:
    import pyoxigraph as ox

    from sst_vocab.loader import load

    vocab = load([path])
    concepts = sorted(
        q.subject.value
        for q in vocab.store.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://www.w3.org/2004/02/skos/core#Concept"),
            ox.DefaultGraph(),
        )
    )
    return concepts[0]


@pytest.mark.parametrize("path", STYLES, ids=IDS)
def test_lookups(invoke, path):
    iri = _first_concept(path)
    for args in (
        ["show", f"<{iri}>"],
        ["show", iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]],
        ["search", "e"],
        ["tree"],
        ["query", "labels", "--format", "csv"],
        ["query", "top-concepts"],
    ):
        r = invoke(*args, str(path))
        assert r.exit_code in (0, 1), (args, r.stderr)
    r = invoke("show", f"<{iri}>", str(path))
    assert r.exit_code == 0 and iri in r.stdout
    assert all("\r" not in line for line in r.stdout.splitlines())


@pytest.mark.parametrize("path", STYLES, ids=IDS)
def test_validate_gives_a_line_for_every_finding(invoke, path):
    import json

    r = invoke("validate", str(path), "--format", "json")
    assert r.exit_code in (0, 1), r.stderr
    for finding in json.loads(r.stdout)["findings"]:
        if not finding["focus"].startswith("_:"):
            assert finding["line"] is not None, finding


@pytest.mark.parametrize("fmt", ["jsonld", "turtle", "ntriples", "rdfxml", "csv"])
@pytest.mark.parametrize("path", STYLES, ids=IDS)
def test_export_reads_back(invoke, path, fmt):
    import pyoxigraph as ox
    import rdflib
    from rdflib.compare import isomorphic

    from sst_vocab.reading import file_iri

    r = invoke("export", str(path), "--format", fmt)
    assert r.exit_code == 0, r.stderr
    if fmt == "csv":
        return
    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        back = rdflib.Graph().parse(
            data=r.stdout_bytes, format={"jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}.get(fmt, fmt)
        )
        source = rdflib.Graph()
        tags = {}
        from sst_vocab.turtle_lex import language_tags

        tags = language_tags(path.read_text(encoding="utf-8"))
        for t in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=file_iri(path)):

            def term(x):
                if isinstance(x, ox.NamedNode):
                    return rdflib.URIRef(x.value)
                if isinstance(x, ox.BlankNode):
                    return rdflib.BNode(x.value)
                if x.language:
                    return rdflib.Literal(x.value, lang=tags.get(x.language, x.language))
                if x.datatype.value.endswith("#string"):
                    return rdflib.Literal(x.value)
                return rdflib.Literal(x.value, datatype=rdflib.URIRef(x.datatype.value))

            source.add((term(t.subject), term(t.predicate), term(t.object)))
    finally:
        rdflib.NORMALIZE_LITERALS = saved
    assert isomorphic(back, source)


@pytest.mark.parametrize("path", STYLES, ids=IDS)
def test_fmt_keeps_graph_comments_and_is_idempotent(tmp_path, invoke, path):
    from sst_vocab.fmt import isomorphic, parse_turtle
    from sst_vocab.reading import file_iri
    from sst_vocab.turtle_lex import tokens

    copy = tmp_path / path.name
    shutil.copy(path, copy)
    base = file_iri(path)  # as if in place: relative IRIs stay relative to the original location
    r = invoke("fmt", str(copy), "--base", base)
    assert r.exit_code == 0, r.stderr
    text, out = path.read_text(encoding="utf-8"), copy.read_text(encoding="utf-8")
    assert isomorphic(parse_turtle(text, str(path))[0], parse_turtle(out, str(copy), base=base)[0])
    before = Counter(t.text.rstrip() for t in tokens(text) if t.kind == "comment")
    after = Counter(t.text.rstrip() for t in tokens(out) if t.kind == "comment")
    assert not before - after
    assert invoke("fmt", "--check", str(copy), "--base", base).exit_code == 0
    assert "file://" not in out  # the file's location is never baked into it


@pytest.mark.parametrize("path", STYLES, ids=IDS)
def test_diff_review_docs_redirects_publish(tmp_path, invoke, path):
    assert invoke("diff", str(path), str(path)).exit_code == 0
    assert invoke("review", str(path)).exit_code in (0, 1)
    r = invoke("docs", str(path), "--output", str(tmp_path / "site"))
    assert r.exit_code == 0, r.stderr
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    if path.stem == "wide":
        assert "flat list" not in index
    r = invoke("redirects", str(path), "--site-url", "https://example.org/site/")
    assert r.exit_code in (0, 1, 2) and "Traceback" not in r.stderr
    r = invoke("publish", "--store", "http://127.0.0.1:9/store", str(path), "--dry-run", "--force", "--default-graph")
    assert r.exit_code == 0, r.stderr


def test_several_schemes_and_scheme_names(invoke):
    path = next(p for p in STYLES if p.stem == "relative-base")
    tree = invoke("tree", str(path)).stdout
    assert "Relative thesaurus" in tree and "Places" in tree
    dep = next(p for p in STYLES if p.stem == "deprecated-rdfs-label")
    show = invoke("show", "old", str(dep))
    assert show.exit_code == 0 and show.stdout.startswith("Old term") and "DEPRECATED" in show.stdout
