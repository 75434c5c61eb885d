"""`sst-vocab show`, `search` and `tree`: lookups for people, built on the named queries."""

from __future__ import annotations

import re

import pytest

from conftest import REAL_VOCABS, ROOT, write
from sst_vocab.query import check
from test_query import endpoint  # noqa: F401  (the loopback SPARQL endpoint fixture)

SST_DEFINITION = (
    "The transformation of security system actors so that they play an effective, legitimate, and democratically "
    "accountable role in providing external and internal security for the populace"
)

PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/v/> .
"""


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# show
# ---------------------------------------------------------------------------


def test_show_ssr_gives_the_verbatim_definition_and_its_source(invoke):
    result = invoke("show", "SSR")
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    lines = result.stdout.splitlines()
    assert lines[0] == "Security system transformation"
    assert lines[1].startswith("sst:security-system-transformation  <https://w3id.org/sst-vocab/")
    assert SST_DEFINITION in out
    assert (
        "Source Verbatim: the roundtable's own draft definition, from “Security System Transformation "
        "Definitions Roundtable: Results”" in out
    )
    assert "Also called SSR · SST · security sector reform · security system reform" in out
    assert "Status submitted" in out
    assert "Scheme Security System Transformation Definitions (top concept)" in out
    assert (
        "Narrower Improving accountable oversight of the security system "
        "sst:accountable-oversight-of-the-security-system"
    ) in out
    assert "Related Security environment sst:security-environment" in out
    assert "Mappings close match http://metadata.un.org/thesaurus/1005788" in out
    assert "narrow match http://metadata.un.org/thesaurus/1004144" in out
    assert "Note OECD DAC CRS purpose code 15210" in out
    assert result.stderr == ""


@pytest.mark.parametrize(
    "term",
    [
        "ssr",
        "SSR",
        "Security System Transformation",
        "security sector reform",
        "sst:security-system-transformation",
        "https://w3id.org/sst-vocab/security-system-transformation",
        "<https://w3id.org/sst-vocab/security-system-transformation>",
        "security-system-transformation",
    ],
)
def test_show_finds_a_concept_by_label_alt_label_iri_curie_or_last_segment(term, invoke):
    result = invoke("show", term)
    assert result.exit_code == 0, result.output
    assert result.stdout == invoke("show", "SSR").stdout


def test_show_an_editorial_definition_with_broader_scope_notes_and_examples(invoke):
    result = invoke("show", "Informal, illicit or illegitimate security providers")
    assert result.exit_code == 0
    out = flat(result.stdout)
    assert "Source Editorial: written by the sst-vocab editors, not the roundtable's wording" in out
    assert "Broader Providers of security sst:providers-of-security" in out
    assert "Related Non-state security providers sst:non-state-security-providers" in out
    assert "Security environment sst:security-environment" in out
    assert "Scope note Informal, illicit, and/or illegitimate power structures can provide public services" in out
    assert "Example criminal gangs in parts of Russia" in out
    assert "Editorial Definition written by the sst-vocab editors" in out


def test_show_lists_narrower_concepts_stated_only_on_the_narrower_side(tmp_path, invoke):
    f = write(
        tmp_path / "v.ttl",
        PREFIXES
        + """
ex:a a skos:Concept ; skos:prefLabel "Alpha"@en .
ex:b a skos:Concept ; skos:prefLabel "Beta"@en ; skos:broader ex:a .
""",
    )
    out = flat(invoke("show", "alpha", "--vocab", str(f)).stdout)
    assert "Narrower Beta ex:b" in out


def test_show_marks_a_deprecated_concept_and_its_replacement(tmp_path, invoke):
    f = write(
        tmp_path / "v.ttl",
        PREFIXES
        + """
ex:old a skos:Concept ; skos:prefLabel "Old term"@en ; owl:deprecated true ; dcterms:isReplacedBy ex:new .
ex:new a skos:Concept ; skos:prefLabel "New term"@en .
ex:gone a skos:Concept ; skos:prefLabel "Gone"@en ; owl:deprecated true .
""",
    )
    result = invoke("show", "old term", "--vocab", str(f))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Old term  [DEPRECATED]"
    assert "Replaced by New term ex:new" in flat(result.stdout)
    gone = invoke("show", "gone", "--vocab", str(f))
    assert "[DEPRECATED]" in gone.stdout and "(no replacement recorded)" in gone.stdout
    assert "DEPRECATED" not in invoke("show", "new term", "--vocab", str(f)).stdout


def test_show_without_a_match_suggests_close_matches_and_exits_1(invoke):
    result = invoke("show", "secrity sistem")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("No concept matches “secrity sistem”.\nDid you mean:\n")
    assert re.search(r"\n  Security system +sst:security-system\n", result.stderr)
    partial = invoke("show", "oversight")
    assert partial.exit_code == 1
    assert "Oversight and supervisory bodies" in partial.stderr
    assert "Civil management and oversight bodies" in partial.stderr
    assert invoke("show", "sst:no-such-concept").exit_code == 1


def test_show_two_concepts_with_the_same_label(tmp_path, invoke):
    f = write(
        tmp_path / "v.ttl",
        PREFIXES
        + """
ex:bank1 a skos:Concept ; skos:prefLabel "Bank"@en ; skos:definition "Of a river."@en .
ex:bank2 a skos:Concept ; skos:prefLabel "Bank"@en ; skos:definition "Where money is."@en .
""",
    )
    result = invoke("show", "bank", "--vocab", str(f))
    assert result.exit_code == 0
    assert "Of a river." in result.stdout and "Where money is." in result.stdout


def test_show_is_exit_2_for_bad_input(invoke):
    assert invoke("show", "  ").exit_code == 2
    missing = invoke("show", "SSR", "--vocab", "/no/such/file.ttl")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


# ---------------------------------------------------------------------------
# search
# ---------------------------------------------------------------------------


def test_search_ranks_labels_before_definitions_with_a_snippet(invoke):
    result = invoke("search", "oversight")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "1. Oversight and supervisory bodies  (sst:oversight-and-supervisory-bodies)"
    assert lines[1] == "   label: *Oversight* and supervisory bodies"
    titles = [line for line in lines if re.match(r"\s*\d+\. ", line)]
    assert any("Civil management and oversight bodies" in t for t in titles)
    assert any("definition: " in line and "*oversight*" in line for line in lines)
    assert re.search(r"^\d+ concepts match “oversight”\.$", lines[-1])


def test_search_matches_alternative_labels_in_any_case(invoke):
    result = invoke("search", "ssr")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "1. Security system transformation  (sst:security-system-transformation)",
        "   also called: *SSR*",
    ]
    assert result.stdout.splitlines()[-1] == "1 concept matches “ssr”."


def test_search_limit_and_no_match(invoke):
    limited = invoke("search", "security", "--limit", "3")
    assert limited.exit_code == 0
    assert len([ln for ln in limited.stdout.splitlines() if re.match(r"\d+\. ", ln)]) == 3
    assert "the first 3 are shown (--limit N for more)" in limited.stdout
    none = invoke("search", "zebra crossing")
    assert none.exit_code == 1 and none.stdout == ""
    assert none.stderr.startswith("No concept mentions “zebra crossing”.")
    assert invoke("search", " ").exit_code == 2


# ---------------------------------------------------------------------------
# tree
# ---------------------------------------------------------------------------


def test_tree_from_the_top_concepts(invoke):
    result = invoke("tree")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Security System Transformation Definitions"
    tops = [line[4:] for line in lines if re.match(r"[├└]── ", line)]
    assert tops == [
        "Security",
        "Security environment",
        "Security system",
        "Security system transformation",
        "Transitional security",
        "Whole of government approach",
    ]
    assert "│   │   └── Informal, illicit or illegitimate security providers" in lines
    assert "│       ├── Armed forces, police and paramilitary units" in lines
    assert "│       │   ├── Armed forces" in lines
    concepts = invoke("query", "--sparql", "SELECT (COUNT(*) AS ?n) { ?c a skos:Concept }", "--format", "csv")
    assert len(lines) - 1 == int(concepts.stdout.split()[1]), "every concept appears once"


def test_tree_from_a_term_with_depth_and_iris(invoke):
    result = invoke("tree", "security system actors", "--depth", "1", "--iris")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Security system actors  (sst:security-system-actors)"
    assert (
        lines[1] == "├── Armed forces, police and paramilitary units  (sst:armed-forces-police-and-paramilitary-units)"
        "  [3 narrower not shown]"
    )
    assert len(lines) == 7
    leaf = invoke("tree", "police")
    assert (leaf.exit_code, leaf.stdout) == (0, "Police\n")
    assert invoke("tree", "no such concept").exit_code == 1


def test_tree_survives_cycles_and_marks_repeats(tmp_path, invoke):
    f = write(
        tmp_path / "v.ttl",
        PREFIXES
        + """
ex:s a skos:ConceptScheme ; skos:prefLabel "S"@en ; skos:hasTopConcept ex:a .
ex:a a skos:Concept ; skos:prefLabel "A"@en ; skos:inScheme ex:s .
ex:b a skos:Concept ; skos:prefLabel "B"@en ; skos:inScheme ex:s ; skos:broader ex:a, ex:c .
ex:c a skos:Concept ; skos:prefLabel "C"@en ; skos:inScheme ex:s ; skos:broader ex:a, ex:b .
ex:d a skos:Concept ; skos:prefLabel "D"@en ; skos:inScheme ex:s ; skos:broader ex:c .
ex:e a skos:Concept ; skos:prefLabel "E"@en ; skos:inScheme ex:s .
""",
    )
    result = invoke("tree", "--vocab", str(f))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:7] == [
        "S",
        "├── A",
        "│   ├── B",
        "│   │   └── C",
        "│   │       ├── B  [cycle: it is also above]",
        "│   │       └── D",
        "│   └── C  [shown above]",
    ]
    assert "└── E  [no broader concept, not a declared top concept]" in result.stdout


# ---------------------------------------------------------------------------
# Every real vocabulary
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("vocab", REAL_VOCABS, ids=lambda p: p.stem)
def test_lookups_work_on_each_real_vocabulary(vocab, invoke):
    tree = invoke("tree", "--vocab", str(vocab), "--depth", "2")
    assert tree.exit_code == 0, tree.output
    first_top = next(line[4:].split("  [")[0] for line in tree.stdout.splitlines() if line.startswith(("├── ", "└── ")))
    show = invoke("show", first_top, "--vocab", str(vocab))
    assert show.exit_code == 0, show.output
    assert show.stdout.splitlines()[0].startswith(first_top)
    search = invoke("search", first_top[:4], "--vocab", str(vocab))
    assert search.exit_code == 0 and first_top in search.stdout


def test_multilingual_show_and_search(invoke):
    countries = str(next(p for p in REAL_VOCABS if p.stem == "countries"))
    result = invoke("show", "deutschland", "--vocab", countries)
    assert result.exit_code == 0
    out = flat(result.stdout)
    assert result.stdout.splitlines()[0] == "Germany"
    assert "Allemagne (l’) (fr)" in out and "Deutschland (de)" in out
    assert "Notation DE" in out
    assert invoke("show", "DE", "--vocab", countries).stdout == result.stdout  # notation
    search = invoke("search", "Allemagne", "--vocab", countries)
    assert search.stdout.splitlines()[1].strip() == "label: *Allemagne* (l’)"


def test_polyhierarchy_is_drawn_with_repeats_marked(invoke):
    lithology = str(next(p for p in REAL_VOCABS if p.stem == "lithology"))
    result = invoke("tree", "--vocab", lithology)
    assert result.exit_code == 0
    assert "[shown above]" in result.stdout
    assert "Igneous rock" in result.stdout


# ---------------------------------------------------------------------------
# Built on the named queries: an endpoint sees only them
# ---------------------------------------------------------------------------


def strip_values(text: str) -> str:
    return re.sub(r" VALUES \([^)]*\) \{ \(.*?\) \} ", "", text, count=1, flags=re.S)


@pytest.mark.parametrize(
    "args", [["show", "SSR"], ["search", "oversight"], ["tree"], ["tree", "security system"], ["show", "secrity"]]
)
def test_lookups_use_only_the_named_queries_locally_and_remotely(args, invoke, endpoint):  # noqa: F811
    local = invoke(*args)
    remote = invoke(*args, "--endpoint", endpoint.url + "/sparql")
    assert (remote.exit_code, remote.stdout, remote.stderr) == (local.exit_code, local.stdout, local.stderr)
    shipped = {p.read_text(encoding="utf-8") for p in (ROOT / "queries").glob("*.rq")}
    assert endpoint.queries
    from sst_vocab.query import DEFAULT_GRAPH_PROBES

    for sent in endpoint.queries:
        # (no match: the endpoint is also asked whether its default graph is empty, to advise --graph)
        assert strip_values(sent) in shipped or (args == ["show", "secrity"] and sent in DEFAULT_GRAPH_PROBES)
        check(sent)


def test_show_does_not_repeat_a_name_as_an_alternative_label(invoke):
    """iso639 repeats each language's preferred label as an untagged altLabel; show prints each name once."""
    iso = next(p for p in REAL_VOCABS if p.stem == "iso639-language-code")
    out = invoke("show", "French", "--vocab", str(iso)).stdout
    assert "Other names   Französisch (de) · français (fr)" in out
    assert "Also called" not in out
    rows = invoke(
        "query",
        "concept",
        "--bind",
        "concept=<https://linked.data.gov.au/def/iso639-1/fr>",
        "--vocab",
        str(iso),
        "--format",
        "csv",
    ).stdout
    assert rows.count("altLabel") == 3  # the data itself is untouched: the query still has all three


# ---------------------------------------------------------------------------
# The library returns data; the command line writes it out
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("isolation, timeout", [("process", None), ("process", 5), ("thread", 5)])
def test_lookups_return_data_the_command_line_writes_out(isolation, timeout, invoke):
    from sst_vocab import lookup, render_lookup

    shown = lookup.show("SSR", timeout=timeout, isolation=isolation)
    assert shown.found and shown.views[0].label == "Security system transformation"
    assert shown.views[0].definitions[0].startswith(SST_DEFINITION)
    assert render_lookup.shown_text(shown, 88) == (invoke("show", "SSR").stdout, "")

    found = lookup.search("oversight", timeout=timeout, isolation=isolation, limit=3)
    assert found.found and len(found.hits) <= 3 <= found.total
    assert all("oversight" in (h.match + h.label).lower() for h in found.hits)
    assert render_lookup.found_text(found, 88)[0] == invoke("search", "oversight", "--limit", "3").stdout

    tree = lookup.tree(timeout=timeout, isolation=isolation, depth=1)
    assert tree.found and all(len(node) == 4 for _heading, nodes in tree.forest for node in nodes)
    assert render_lookup.tree_text(tree, iris=True)[0] == invoke("tree", "--depth", "1", "--iris").stdout


def test_a_lookup_that_finds_nothing_says_so_in_data(invoke):
    from sst_vocab import lookup, render_lookup

    shown = lookup.show("secrity")
    assert not shown.found and shown.views == [] and shown.empty_default_graph is None
    assert any(link.curie == "sst:security" for link in shown.suggestions)
    result = invoke("show", "secrity")
    assert result.exit_code == 1 and render_lookup.shown_text(shown) == ("", result.stderr)
    assert not lookup.search("zzzqqqxxx").found and not lookup.tree("zzzqqqxxx").found
