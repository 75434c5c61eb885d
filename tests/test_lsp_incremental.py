"""Incremental validation in the language server gives exactly the report `validate` gives.

After each edit the workspace re-runs only the rules whose predicates changed; these tests
make a sequence of edits of every kind and compare its report with a full `validate` of
the same graph, on the shipped vocabulary and on a real vocabulary.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import REAL, ROOT
from sst_vocab.lsp.incremental import query_predicates, subject_local
from sst_vocab.lsp.workspace import Workspace
from sst_vocab.validate import validate


def _same(ws: Workspace) -> None:
    """The workspace's report is the full report, but for the lines: an edit that leaves the graph as it
    was (a comment, a line break) is not validated again, and the diagnostics read the lines afresh."""
    from dataclasses import replace

    report = ws.validate()
    full = validate(vocabulary=ws.vocabulary())
    assert [replace(f, line=None) for f in report.findings] == [replace(f, line=None) for f in full.findings]
    assert (report.concepts, report.top_concepts, report.schemes, report.triples) == (
        full.concepts,
        full.top_concepts,
        full.schemes,
        full.triples,
    )


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
        text + '\nsst:security skos:altLabel "Sicherheit"@qq .\n',  # an unregistered language tag (LNG-01)
        text + "\nsst:security a <http://www.w3.org/2004/02/skos/cor#Concept> .\n",  # a misspelt namespace (NS-01)
        text + "\nsst:security a <http://www.w3.org/2004/02/skos/cor#Concept> ; skos:related sst:police .\n",
        text + "\nsst:security skos:related sst:police .\n",  # links alone: the literal checks' answers stand
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
    # a second English preferred label: the rules that read only the concept's own triples run for it alone
    label_line = text[text.rfind("\n", 0, first_label) + 1 : line_end]
    if "@en" in label_line:
        indent = label_line[: len(label_line) - len(label_line.lstrip())]
        twice = text[:line_end] + f'\n{indent}skos:prefLabel "A second English label"@en ;' + text[line_end:]
        ws.set_text(path, twice)
        _same(ws)
        assert any(f.rule.startswith("LBL-01") for f in ws.report.findings)
        ws.set_text(path, text)
        _same(ws)
        assert not any(f.rule.startswith("LBL-01") for f in ws.report.findings)
    link = "skos:broader" if "skos:broader" in text else "skos:inScheme"
    at = text.index(link)
    ws.set_text(path, text[:at] + "skos:related" + text[at + len(link) :])  # a link of another kind
    _same(ws)


def test_query_predicates_are_read_conservatively():
    q = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?this ?value WHERE { ?this skos:prefLabel ?value . ?this a skos:Concept }"
    )
    deps = query_predicates(q)
    assert deps is not None and "http://www.w3.org/2004/02/skos/core#prefLabel" in deps
    assert "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" in deps
    assert query_predicates("SELECT ?this WHERE { ?this ?p ?o }") is None  # any predicate
    assert query_predicates("SELECT ?this WHERE { ?this !<http://x/p> ?o }") is None  # a negated set
    assert query_predicates("SELECT ?this WHERE { ?this ex:p ?o }") is None  # a prefix it cannot expand


def test_subject_local_queries_are_read_conservatively():
    target = (
        "SELECT DISTINCT ?this WHERE { { SELECT DISTINCT ?this WHERE { { ?this "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> [] . } } } "
    )
    own = target + "?this <http://www.w3.org/2004/02/skos/core#prefLabel> ?a , ?b . FILTER(?a != ?b) }"
    assert subject_local(own)
    other = target + "?this <http://www.w3.org/2004/02/skos/core#broader> ?p . ?p <http://x/q> ?v }"
    assert not subject_local(other)  # reads the triples of another node
    inverse = target + "?this ^<http://www.w3.org/2004/02/skos/core#broader> ?c }"
    assert not subject_local(inverse)
    path = target + "?this <http://x/p>/<http://x/q> ?v }"
    assert not subject_local(path)
    exists = target + "FILTER NOT EXISTS { ?other <http://x/p> ?this } }"
    assert not subject_local(exists)
    grouped = target + "?this <http://x/p> ?v . ?o <http://x/p> ?v } GROUP BY ?v"
    assert not subject_local(grouped)
    subselect = target + "{ SELECT ?this (COUNT(?v) AS ?n) WHERE { ?x <http://x/p> ?v } GROUP BY ?this } }"
    assert not subject_local(subselect)


def _whole(ws: Workspace, path: str):
    """The triples (blank nodes as one placeholder) and subject lines of a whole parse of the file's good text."""
    from sst_vocab.lsp.workspace import _signature, parse_text
    from sst_vocab.turtle_lex import outline

    text = ws.state(path).good_text
    return _signature(parse_text(text, path)[0]), outline(text).subjects


_SNIPPETS = [
    '\nex:new{n} a skos:Concept ;\n    skos:prefLabel "New {n}"@en .\n',
    "# a comment {n}\n",
    " .\n",
    ";\n",
    '"',
    '"""',
    "\n",
    "[ ",
    " ]",
    "ex:",
    "PREFIX ex2: <http://example.org/two/>\n",
    "_:b{n} ",
    ".",
    "@base <x/> .\n",
]


@pytest.mark.parametrize("seed", range(3))
def test_a_file_kept_in_chunks_parses_as_a_whole_after_random_edits(tmp_path, seed):
    """Random edits (statements added, cut, broken and mended, directives and blank-node labels typed
    mid-file) to a file kept in chunks: its triples, subject lines and the merged report stay those of
    a whole parse (and of a full `validate`), and a text that does not parse gets its problem."""
    import random

    from sst_vocab.lsp import chunks
    from sst_vocab.lsp.workspace import _signature

    rng = random.Random(seed)
    text = (REAL / "commodity.ttl").read_text(encoding="utf-8")
    text = text.replace("\n@prefix", "\nPREFIX ex: <http://example.org/>\n@prefix", 1)
    (tmp_path / "c.ttl").write_text(text, encoding="utf-8")
    ws = Workspace.for_folder(str(tmp_path))
    ws.load_all()
    path = str(tmp_path / "c.ttl")
    assert ws.state(path).chunked is not None and len(ws.state(path).chunked.chunks) > 10
    current = text
    for n in range(40):
        at = rng.randrange(len(current))
        if rng.random() < 0.5:
            current = current[:at] + rng.choice(_SNIPPETS).format(n=n) + current[at:]
        else:
            current = current[:at] + current[at + rng.randrange(1, 400) :]
        if rng.random() < 0.3:
            current = ws.state(path).good_text  # back to the last good text, as an undo would
        ws.set_text(path, current)
        state = ws.state(path)
        signature, lines = _whole(ws, path)
        assert _signature(state.triples) == signature
        assert state.outline.subjects == lines
        if state.chunked is not None:
            assert set(state.chunked.counts) == set(state.triples)
            assert chunks.subjects(state.chunked) == lines
        try:
            from sst_vocab.errors import VocabError
            from sst_vocab.lsp.workspace import parse_text

            parse_text(current, path)
            assert state.problem is None
        except VocabError:
            assert state.problem is not None
        if n % 8 == 7:
            _same(ws)
    _same(ws)


def test_the_store_holds_every_file_s_triples_after_edits_in_chunks(tmp_path):
    """Two files that state the same triple: cutting it from one (re-parsed in chunks) keeps it in the store."""
    text = (REAL / "commodity.ttl").read_text(encoding="utf-8")
    (tmp_path / "a.ttl").write_text(text, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(text, encoding="utf-8")
    ws = Workspace.for_folder(str(tmp_path))
    ws.load_all()
    before = len(ws.store)
    a = str(tmp_path / "a.ttl")
    middle = text.index("\n\n", len(text) // 2) + 2  # cut a few statements out of the middle of a.ttl
    end = text.index("\n\n", middle + 2000) + 2
    ws.set_text(a, text[:middle] + text[end:])
    assert ws.state(a).chunked is not None
    assert len(ws.store) == before  # b.ttl still states every triple
    _same(ws)


def test_dollar_this_is_the_focus_variable_too():
    target = (
        "SELECT DISTINCT $this WHERE { { SELECT DISTINCT ?this WHERE { { ?this "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> [] . } } } "
    )
    assert subject_local(target + "$this <http://www.w3.org/2004/02/skos/core#prefLabel> ?a , ?b . FILTER(?a != ?b) }")
    assert not subject_local(target + "$this <http://x/p> ?v . ?v <http://x/q> ?w }")


def _set_in_block(text: str, subject: str, predicate: str, value: str) -> str:
    """``text`` with the ``predicate "..."@en`` line of ``subject``'s block (``lith:x``) set to ``value``."""
    import re

    start = text.index(f"\n{subject}\n") + 1
    end = text.index("\n.\n", start)
    block = re.sub(
        rf'{predicate} "(?:[^"\\]|\\.)*"@en', lambda m: f'{predicate} "{value}"@en', text[start:end], count=1
    )
    return text[:start] + block + text[end:]


LITH = "http://linked.data.gov.au/def/lithotype/"


def test_rules_that_read_a_neighbour_are_run_again_for_the_nodes_near_an_edit(tmp_path, monkeypatch):
    """DEF-CIRC2 (two linked concepts whose definitions use each other's labels) reads the labels and
    definitions of the focus node's neighbours: after each edit it runs again only for the nodes near
    the edit, and the report is the full one (the finding appears and goes on both concepts)."""
    import re

    from sst_vocab.lsp import radius as radius_module
    from sst_vocab.lsp.radius import radius

    near: list = []
    real_reach = radius_module.reach

    def spy(*args):
        found = real_reach(*args)
        near.append(found)
        return found

    monkeypatch.setattr(radius_module, "reach", spy)
    shutil.copy(REAL / "lithology.ttl", tmp_path / "lithology.ttl")
    ws = Workspace.for_folder(str(tmp_path))
    ws.load_all()
    _same(ws)
    circ2 = [q for q in ws._incremental.memo if "each other" not in q and "Pairs are looked for" in q]
    assert circ2 and radius(circ2[0]) is not None and radius(circ2[0])[0] == 1
    path = str(tmp_path / "lithology.ttl")
    text = ws.state(path).text

    def circular() -> set:
        return {f.focus for f in ws.report.findings if f.rule == "DEF-CIRC2-mutual"}

    before = circular()
    child, parent = next(
        m.groups()
        for m in re.finditer(r"\n(lith:[\w-]+)\n(?:    .*\n)*?    skos:broader (lith:[\w-]+) ;", text)
        if not {m.group(1).replace("lith:", LITH), m.group(2).replace("lith:", LITH)} & before
    )
    pair = {child.replace("lith:", LITH), parent.replace("lith:", LITH)}
    label = {
        c: re.search(rf'\n{c}\n(?:    .*\n)*?    skos:prefLabel "([^"]+)"@en', text).group(1) for c in (child, parent)
    }
    one = _set_in_block(text, child, "skos:definition", f"A rock that is a kind of {label[parent]} in the field.")
    both = _set_in_block(one, parent, "skos:definition", f"A group of rocks such as {label[child]} and others.")
    renamed = _set_in_block(both, parent, "skos:prefLabel", "Quite another name")
    for edited, expected in ((one, set()), (both, pair), (renamed, set()), (both, pair), (text, set())):
        ws.set_text(path, edited)
        _same(ws)
        assert circular() == before | expected
    assert any(found is not None and 2 <= len(found) <= 96 for found in near)  # the few nodes near an edit


def test_radius_is_read_conservatively():
    from sst_vocab.lsp.radius import radius

    skos = "http://www.w3.org/2004/02/skos/core#"
    head = f"PREFIX skos: <{skos}>\nSELECT DISTINCT $this ?value WHERE {{ "
    assert radius(head + "$this skos:prefLabel ?value . }")[0] == 0
    r = radius(head + "$this skos:broader|^skos:narrower ?value . ?value skos:prefLabel ?l . FILTER(?l != '') }")
    assert r == (1, frozenset({skos + "broader", skos + "narrower"}))
    assert radius(head + "$this skos:broader/skos:broader ?value . ?value skos:prefLabel ?l }")[0] == 2
    assert radius(head + "$this skos:prefLabel ?l . ?value skos:prefLabel ?l }") == (1, frozenset({skos + "prefLabel"}))
    assert radius(head + "$this skos:prefLabel ?l . ?value skos:altLabel ?m . FILTER(LCASE(?l) = LCASE(?m)) }") is None
    assert radius(head + "$this skos:broader+ ?value }") is None  # a path of any length
    assert radius(head + "$this skos:broader|skos:related/skos:broader ?value }") is None
    # each way a UNION can be taken, with and without each OPTIONAL, must be a tree joined to ?this
    assert radius(head + "$this skos:broader ?value . OPTIONAL { ?value skos:prefLabel ?l } }") == (
        1,
        frozenset({skos + "broader"}),
    )
    assert radius(head + "OPTIONAL { $this skos:broader ?w } ?w skos:prefLabel ?value }") is None  # ?w may be unbound
    assert radius(head + "{ $this skos:broader ?x } UNION { $this skos:related ?x } ?x skos:prefLabel ?value }") == (
        1,
        frozenset({skos + "broader", skos + "related"}),
    )
    assert radius(head + "{ $this skos:broader ?x } UNION { ?x skos:related ?y } ?x skos:prefLabel ?value }") is None
    assert radius(head + "$this skos:prefLabel ?value . MINUS { ?x skos:prefLabel ?value } }") == (
        1,
        frozenset({skos + "prefLabel"}),
    )  # the other subjects with the same label: one step from it
    assert radius(head + "$this skos:prefLabel ?value . MINUS { ?x skos:prefLabel ?y } }") is None
    # a sub-select is read on its own when it gives one answer per focus node
    grouped = (
        "{ SELECT $this (COUNT(?l) AS ?n) WHERE { $this skos:broader ?p . ?p skos:prefLabel ?l } GROUP BY $this } "
    )
    assert radius(head + "$this skos:definition ?value . " + grouped + "FILTER(?n = 0) }") == (
        1,
        frozenset({skos + "broader"}),
    )
    assert (
        radius(head + "$this skos:definition ?value . " + grouped.replace("GROUP BY $this", "GROUP BY ?p") + "}")
        is None
    )
    assert (
        radius(head + "$this skos:definition ?value . " + grouped + "?other skos:notation ?n }") is None
    )  # joined on ?n
    assert (
        radius(
            head + "$this skos:inScheme ?s . { SELECT ?s (COUNT(?c) AS ?n) WHERE { ?c skos:inScheme ?s } "
            "GROUP BY ?s } }"
        )
        is None
    )
    assert radius(head + "$this skos:broader ?a . $this skos:related ?b . ?a skos:related ?b }") is None  # a cycle
    assert radius(head + "$this ?p ?value }") is None
    assert (
        radius(head + "$this skos:prefLabel ?value . { SELECT (COUNT(*) AS ?n) WHERE { ?s skos:prefLabel ?o } } }")
        is None
    )
    assert radius(head + "$this skos:prefLabel ?value . FILTER NOT EXISTS { ?other skos:prefLabel ?o } }") is None
    # groups whose patterns hold ?this itself (their other variables their own) read the focus node's triples
    assert radius(
        head + "$this (skos:prefLabel|skos:altLabel) ?value . FILTER NOT EXISTS { ?o skos:related $this } }"
    ) == (0, frozenset())
    assert radius(head + "{ $this skos:prefLabel ?value } UNION { $this skos:altLabel ?value } }") == (0, frozenset())
    assert radius(head + "$this skos:prefLabel ?value . OPTIONAL { $this skos:altLabel ?a } }") == (0, frozenset())
    assert radius(head + "$this (skos:broader|skos:related)? ?value }") is None


def test_a_file_that_cannot_be_read_keeps_its_problem_and_leaves_the_graph(tmp_path):
    """A file saved in another encoding (here, a byte that is not UTF-8) shows why it cannot be read, at
    load and after a change on disk; its triples leave the graph (the other files stay) and come back
    when it is fixed."""
    from sst_vocab.errors import VocabError
    from sst_vocab.loader import read_text

    good = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<urn:x:a> a skos:Concept .\n"
    (tmp_path / "a.ttl").write_text(good, encoding="utf-8")
    (tmp_path / "b.ttl").write_text(good.replace("urn:x:a", "urn:x:b"), encoding="utf-8")
    ws = Workspace.for_folder(str(tmp_path))
    ws.load_all()
    a = str(tmp_path / "a.ttl")
    assert ws.files[a].problem is None and len(ws.store) == 2

    (tmp_path / "a.ttl").write_bytes(b'<urn:x:a> <urn:x:p> "caf\xe9" .\n')  # Latin-1, not UTF-8
    with pytest.raises(VocabError) as expected:
        read_text(a)
    assert ws.disk_changed(a)
    fresh = Workspace.for_folder(str(tmp_path))
    fresh.load_all()
    for state in (ws.files[a], fresh.files[a]):  # after the change, and at load
        assert state.problem is not None
        assert (state.problem.message, state.problem.line) == (expected.value.message, expected.value.line)
    assert {str(q.subject) for q in ws.store} == {"<urn:x:b>"}
    assert ws.vocabulary().files == [str(tmp_path / "b.ttl")]
    _same(ws)

    (tmp_path / "a.ttl").write_text(good, encoding="utf-8")
    assert ws.disk_changed(a)
    assert ws.files[a].problem is None and len(ws.store) == 2
    _same(ws)
