"""`sst-vocab validate`: reports, formats, exit codes, bad input, and no network."""

from __future__ import annotations

import json

import pytest

from conftest import REAL_VOCABS, ROOT, run_sst, write
from sst_vocab.validate import validate

BROKEN_LABELS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/v/> .

ex:scheme a skos:ConceptScheme .

ex:a a skos:Concept ;
    skos:prefLabel "Alpha"@en , "Alpha again"@en ;
    skos:inScheme ex:scheme .
"""


def test_shipped_vocabulary_conforms(invoke):
    result = invoke("validate")
    assert result.exit_code == 0, result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert "0 violations" in summary and summary.endswith(": conforms")
    assert result.stderr == ""


def test_a_violation_names_severity_file_line_label_iri_and_rule(invoke, tmp_path):
    f = write(tmp_path / "v.ttl", BROKEN_LABELS)
    result = invoke("validate", str(f))
    assert result.exit_code == 1
    lines = [ln for ln in result.stdout.splitlines() if "LBL-01" in ln and "unique" in ln.lower()]
    assert lines, result.stdout
    line = lines[0]
    assert line.startswith("Violation")
    assert f"{f}:6" in line
    assert "Alpha <https://example.org/v/a>" in line
    assert result.stdout.splitlines()[-1].endswith("does not conform")


def test_json_format_lists_the_same_findings(invoke, tmp_path):
    f = write(tmp_path / "v.ttl", BROKEN_LABELS)
    text = invoke("validate", str(f)).stdout
    result = invoke("validate", str(f), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["conforms"] is False
    assert len(doc["findings"]) == len(text.strip().splitlines()) - 1
    first = doc["findings"][0]
    assert {"severity", "rule", "focus", "label", "file", "line", "message"} <= set(first)


def test_turtle_format_is_a_shacl_report_graph(invoke, tmp_path):
    import pyoxigraph as ox

    f = write(tmp_path / "v.ttl", BROKEN_LABELS)
    result = invoke("validate", str(f), "--format", "turtle")
    assert result.exit_code == 1
    store = ox.Store()
    store.load(input=result.stdout.encode(), format=ox.RdfFormat.TURTLE)
    assert store.query(
        "ASK { ?r a <http://www.w3.org/ns/shacl#ValidationReport> ; <http://www.w3.org/ns/shacl#conforms> false }"
    )
    n = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?r a <http://www.w3.org/ns/shacl#ValidationResult> }")
    assert int(next(iter(n))["n"].value) >= 1


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("syntax.ttl", '@prefix ex: <https://example.org/> .\nex:a ex:b "open .\n', ":2: "),
        ("binary.ttl", b"\x00\x01\x02", "binary file"),
        ("latin1.ttl", 'ex:a ex:b "caf\u00e9" .'.encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_input_is_one_clear_error_with_exit_2(invoke, tmp_path, name, content, message):
    f = tmp_path / name
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = invoke("validate", str(f))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {f}")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 3


def test_missing_path_and_empty_folder(invoke, tmp_path):
    result = invoke("validate", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 2 and "no Turtle" in result.stderr


def test_ill_typed_literal_is_a_finding_not_a_crash(invoke, tmp_path):
    f = write(
        tmp_path / "v.ttl",
        BROKEN_LABELS.replace(
            "ex:scheme a skos:ConceptScheme .",
            "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            'ex:scheme a skos:ConceptScheme ; <http://purl.org/dc/terms/created> "x"^^xsd:date .',
        ),
    )
    result = invoke("validate", str(f))
    assert result.exit_code == 1
    assert "LIT-01-ill-typed-literal" in result.stdout
    assert "Traceback" not in result.output


def test_no_traceback_from_a_real_process(tmp_path):
    f = write(tmp_path / "bad.ttl", "@prefix ex: <https://example.org/> .\n\nex:a ex:b [ ex:c .\n")
    proc = run_sst("validate", str(f), text=True)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.startswith(f"Error: {f}:")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_owl_imports_and_remote_references_are_never_fetched(invoke, tmp_path, canary, engine):
    url, hits = canary
    f = write(
        tmp_path / "v.ttl",
        f"""@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/v/scheme> a skos:ConceptScheme, owl:Ontology ;
    owl:imports <{url}/imported.ttl> ;
    <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{url}/seealso.ttl> .
<https://example.org/v/a> a skos:Concept ; skos:prefLabel "A"@en ; skos:broader <{url}/remote-concept> .
""",
    )
    result = invoke("validate", str(f), "--engine", engine)
    assert result.exit_code in (0, 1)
    assert hits == []


@pytest.mark.parametrize("path", REAL_VOCABS, ids=lambda p: p.name)
def test_real_vocabularies_validate_without_crashing(invoke, path):
    result = invoke("validate", str(path), "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert doc["concepts"] > 100
    for f in doc["findings"]:
        if not f["focus"].startswith("_:"):
            assert f["file"] == str(path) and f["line"] >= 1, f


def test_python_m_entry_point_and_help():
    proc = run_sst("validate", "--help", text=True)
    assert proc.returncode == 0
    assert "Example:" in proc.stdout


CLUSTERS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/c/> .
ex:s a skos:ConceptScheme .
ex:a a skos:Concept ; skos:topConceptOf ex:s ; skos:narrower ex:a1 , ex:a2 .
ex:a1 a skos:Concept ; skos:related ex:a3 .
ex:a2 a skos:Concept .
ex:a3 a skos:Concept .
ex:b a skos:Concept ; skos:topConceptOf ex:s .
ex:b1 a skos:Concept ; skos:broader ex:b .
ex:c2 a skos:Concept ; skos:broaderTransitive ex:c1 .
ex:c1 a skos:Concept .
ex:lonely a skos:Concept .
"""


def _clusters(path) -> list[tuple[str, str]]:
    return [(f.focus, f.severity) for f in validate([path]).findings if f.rule == "REL-06-disconnected-cluster"]


def test_disconnected_clusters_are_reported_at_their_heads(tmp_path):
    found = validate([write(tmp_path / "v.ttl", CLUSTERS)]).findings
    clusters = [f for f in found if f.rule == "REL-06-disconnected-cluster"]
    # four groups: a (4 concepts, the largest), b (2), c (2), lonely (an orphan: REL-05, not REL-06)
    assert [(f.focus, f.severity) for f in clusters] == [
        ("https://example.org/c/b", "Info"),
        ("https://example.org/c/c1", "Info"),
    ]
    assert "a group of 2 concepts" in clusters[0].message and "largest group has 4" in clusters[0].message
    assert clusters[0].line == 8


def test_linking_the_groups_or_a_flat_list_reports_no_cluster(tmp_path):
    linked = CLUSTERS + "ex:b skos:related ex:a .\nex:c1 skos:broader ex:a2 .\n"
    assert _clusters(write(tmp_path / "linked.ttl", linked)) == []
    flat = "\n".join(
        line
        for line in CLUSTERS.splitlines()
        if "broader" not in line and "narrower" not in line and "related" not in line
    )
    assert _clusters(write(tmp_path / "flat.ttl", flat)) == []  # all orphans: REL-05's business


def test_clusters_in_real_vocabularies():
    by_name = {p.stem: p for p in REAL_VOCABS}
    assert _clusters(by_name["lithology"]) == [("http://linked.data.gov.au/def/lithotype/non-rock-observation", "Info")]
    assert len(_clusters(by_name["geo-commodities"])) == 2
    assert _clusters(by_name["countries"]) == []


def test_deprecated_concepts_do_not_form_clusters(tmp_path):
    # every way the shapes (REL-05) accept "deprecated": true, "1"^^xsd:boolean, a plain "true"
    retired = CLUSTERS + (
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'ex:c1 owl:deprecated true .\nex:c2 owl:deprecated "1"^^xsd:boolean .\n'
        'ex:b1 owl:deprecated "true" .\n'
    )
    assert _clusters(write(tmp_path / "v.ttl", retired)) == []


def test_min_severity_hides_findings_but_the_summary_counts_them(invoke):
    everything = invoke("validate", "--verbose")
    quiet = invoke("validate", "--min-severity", "warning")
    assert everything.exit_code == quiet.exit_code == 0
    counts = validate().counts()
    assert counts["Info"] > 0 and counts["Violation"] == counts["Warning"] == 0  # the shipped vocabulary
    assert everything.stdout.count("\nInfo ") + everything.stdout.startswith("Info ") == counts["Info"]
    assert quiet.stdout.splitlines() == [
        everything.stdout.splitlines()[-1].replace(
            f"{counts['Info']} infos:", f"{counts['Info']} infos ({counts['Info']} not shown):"
        )
    ]
    data = json.loads(invoke("validate", "--format", "json", "--min-severity", "warning").stdout)
    assert data["findings"] == [] and data["counts"] == counts


def test_fail_on_makes_the_check_stricter(invoke, tmp_path):
    assert invoke("validate", "--fail-on", "warning").exit_code == 0  # the shipped vocabulary: infos only
    strict = invoke("validate", "--fail-on", "info", "--min-severity", "violation")
    assert strict.exit_code == 1 and strict.stdout.endswith(": conforms, but --fail-on info fails it\n")
    warned = ROOT / "tests" / "data" / "shapes" / "REL-05-orphan.fail.ttl"  # conforms, with one warning
    assert validate([warned]).counts() == {"Violation": 0, "Warning": 1, "Info": 0}
    assert invoke("validate", str(warned)).exit_code == 0
    assert invoke("validate", str(warned), "--fail-on", "warning").exit_code == 1
    assert invoke("validate", str(warned), "--min-severity", "violation").exit_code == 0  # hiding is not passing


def test_severity_names_are_checked():
    from sst_vocab.errors import VocabError

    report = validate()
    assert report.passes("warning") and report.passes("sh:Warning") and not report.passes("Info")
    assert len(report.shown("Info")) == report.counts()["Info"] > 0 and report.shown("violation") == []
    with pytest.raises(VocabError, match="unknown severity 'fatal'"):
        report.passes("fatal")


# --- LNG-01 against the IANA Language Subtag Registry (Python checks with shape-style fixtures) ---

LANGUAGE_CHECKS = ("LNG-01-unregistered-language-tag", "LNG-01-private-use-language-tag")
SHAPE_FIXTURES = ROOT / "tests" / "data" / "shapes"


@pytest.mark.parametrize("rule", LANGUAGE_CHECKS)
def test_language_tag_fixtures(rule):
    import re

    fail = SHAPE_FIXTURES / f"{rule}.fail.ttl"
    want = set(re.findall(rf"^#\s*expect:\s*{re.escape(rule)}\s+<([^>]+)>", fail.read_text(encoding="utf-8"), re.M))
    assert want
    assert {f.focus for f in validate([fail]).findings if f.rule == rule} == want
    assert [f for f in validate([SHAPE_FIXTURES / f"{rule}.pass.ttl"]).findings if f.rule == rule] == []


@pytest.mark.parametrize(
    "tag, rule, why",
    [
        ("xy", "LNG-01-unregistered-language-tag", '"xy" is not a registered language subtag'),
        ("en-DX", "LNG-01-unregistered-language-tag", '"dx" is not a registered region subtag'),
        ("sr-Latx", "LNG-01-unregistered-language-tag", '"latx" is not a registered script subtag'),
        ("de-1997", "LNG-01-unregistered-language-tag", '"1997" is not a registered variant subtag'),
        ("zh-xyz", "LNG-01-unregistered-language-tag", '"xyz" is not a registered extended language subtag'),
        ("x-other", "LNG-01-private-use-language-tag", '"x-other" is private use only'),
        ("qtz", "LNG-01-private-use-language-tag", '"qtz" is a private-use subtag'),
        ("en-XA", "LNG-01-private-use-language-tag", '"xa" is a private-use subtag'),
        ("en-GB", None, None),
        ("zh-Hant-TW", None, None),
        ("de-CH-1901", None, None),
        ("es-419", None, None),
        ("i-klingon", None, None),
        ("en-US-u-ca-gregory", None, None),
        ("en-x-internal", None, None),
    ],
)
def test_language_tags_are_checked_against_the_registry(tmp_path, tag, rule, why):
    path = write(
        tmp_path / "v.ttl",
        f"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        f'<https://example.org/a> a skos:Concept ; skos:prefLabel "A"@{tag} .\n',
    )
    found = [f for f in validate([path]).findings if f.rule in LANGUAGE_CHECKS]
    if rule is None:
        assert found == []
    else:
        assert [(f.rule, f.focus, f.line) for f in found] == [(rule, "https://example.org/a", 2)]
        assert why in found[0].message
        assert found[0].severity == ("Violation" if "unregistered" in rule else "Warning")


def test_the_registry_ships_with_its_source():
    from sst_vocab.validate import language_registry

    registry = language_registry()
    assert len(registry["language"]) > 8000 and "en" in registry["language"] and "gb" in registry["region"]
    readme = (ROOT / "src" / "sst_vocab" / "data" / "README.md").read_text(encoding="utf-8")
    head = (ROOT / "src" / "sst_vocab" / "data" / "language-subtag-registry.txt").read_text(encoding="utf-8")[:40]
    assert head.split("\n")[0].split(": ")[1] in readme  # the File-Date the README names


def test_findings_name_a_concept_by_the_project_label_rule(tmp_path):
    """validate labels findings as every other command does (sst_vocab.model): en, then en-GB before
    en-US, then untagged; before, a concept with only regional English labels took the smallest text."""
    path = write(
        tmp_path / "v.ttl",
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/v/> .
ex:s a skos:ConceptScheme ; skos:prefLabel "S"@en ; skos:hasTopConcept ex:a .
ex:a a skos:Concept ; skos:prefLabel "Colour"@en-GB, "Color"@en-US, "Farbe"@de ; skos:inScheme ex:s ;
  skos:topConceptOf ex:s .
""",
    )
    labels = {f.label for f in validate([path]).findings if f.focus == "https://example.org/v/a"}
    assert labels == {"Colour"}


def test_a_misspelt_namespace_counts_each_triple_once_whichever_files_state_it(tmp_path):
    """NS-01 counts the uses of the misspelt namespace in the merged graph: each term of each
    triple once, a triple stated in two files once, and only its IRIs (not literals that look alike)."""
    typo = "http://www.w3.org/2004/02/skos/cor#"
    head = f"@prefix skos: <{typo}> .\n@prefix ex: <https://example.org/v/> .\n"
    a = write(tmp_path / "a.ttl", head + 'ex:a a skos:Concept ; skos:prefLabel "Alpha"@en .\n')
    b = write(tmp_path / "b.ttl", head + f'ex:a a skos:Concept .\nex:b ex:p "{typo}x" ; ex:q skos:x .\n')
    ns01 = [f for f in validate([a, b]).findings if f.rule == "NS-01-misspelt-namespace"]
    assert [(f.focus, f.file, f.line) for f in ns01] == [(typo, str(a), 1)]
    # ex:a a skos:Concept (once, though in both files), skos:prefLabel, skos:x
    assert "3 use(s) of it mean nothing to SKOS tools" in ns01[0].message


def test_findings_name_each_concept_by_its_best_english_preflabel(tmp_path):
    """The label of a finding's focus follows the one label rule: "en" (any case), the least text of
    several; else en-*, fewer subtags and then alphabetical; else untagged; else another language."""
    f = write(
        tmp_path / "v.ttl",
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/v/> .
ex:s a skos:ConceptScheme ; skos:prefLabel "S"@en ; skos:hasTopConcept ex:a, ex:b, ex:c, ex:d .
ex:a a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "beta"@en , "alpha"@EN , "aaa"@en-GB .
ex:b a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "zeta"@fr , "gamma"@en-US , "delta"@en-GB .
ex:c a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "plain" , "deutsch"@de .
ex:d a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "zz"@fr , "dd"@de .
""",
    )
    labels = {f.focus.rsplit("/", 1)[-1]: f.label for f in validate([f]).findings}
    assert labels == {"s": "S", "a": "alpha", "b": "delta", "c": "plain", "d": "dd"}
