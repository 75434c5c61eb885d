"""The editing workflow end to end on a temporary copy of the vocabulary: add, deprecate, review,
bump and release, and the messages for misspellings (exact text)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ROOT, run_sst

#: The shipped vocabulary's version (owl:versionInfo of the scheme).
VERSION = re.search(r'owl:versionInfo "([^"]+)"', (ROOT / "vocab" / "scheme.ttl").read_text()).group(1)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with a copy of vocab/ (a git repository, tagged as its version), as the current directory."""
    shutil.copytree(ROOT / "vocab", tmp_path / "vocab")
    monkeypatch.chdir(tmp_path)
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(git + ["init", "-q", "."], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "initial"], check=True)
    subprocess.run(git + ["tag", f"v{VERSION}"], check=True)
    return tmp_path


def test_add_validate_show_and_site(project, invoke):
    r = invoke(
        "add",
        "Private military companies",
        "--broader",
        "Non-state security providers",
        "--definition",
        "Companies that sell military or security services to governments.",
    )
    assert r.exit_code == 0, r.output
    assert "Added Private military companies <https://w3id.org/sst-vocab/private-military-companies>" in r.stdout
    text = (project / "vocab" / "actors.ttl").read_text()
    block = text[text.index("sst:private-military-companies\n") :]
    block = block[: block.index("\n.\n")]
    for line in (
        "skos:broader sst:non-state-security-providers ;",
        "sstx:termOrigin sstx:editorsTerm ;",
        "sstx:definitionOrigin sstx:editorial ;",
        "reg:status status:submitted ;",
        "sstx:reviewStatus sstx:draft ;",
        "rdfs:isDefinedBy <https://w3id.org/sst-vocab> ;",
        "skos:inScheme <https://w3id.org/sst-vocab> ;",
    ):
        assert line in block
    assert "skos:editorialNote" in block
    assert "sst:private-military-companies ," in text or "sst:private-military-companies ;" in text  # narrower
    assert invoke("validate").exit_code == 0
    assert invoke("fmt", "--check").exit_code == 0
    assert "Private military companies" in invoke("tree", "non-state security providers").stdout
    assert invoke("docs", "--output", str(project / "site")).exit_code == 0
    assert "Private military companies" in (project / "site" / "private-military-companies.html").read_text()


def test_add_refuses_existing_label_and_iri(project, invoke):
    r = invoke("add", "media", "--broader", "Civil society bodies")
    assert r.exit_code == 2
    assert "'media'@en is already the preferred label of sst:media (vocab/actors.ttl:" in r.stderr
    r = invoke("add", "Press", "--broader", "Civil society bodies", "--id", "media")
    assert r.exit_code == 2 and "sst:media already exists" in r.stderr


def test_a_hand_written_concept_without_the_required_fields_fails(project, invoke):
    with open(project / "vocab" / "terms.ttl", "a") as f:
        f.write(
            '\nsst:hand-made a skos:Concept ; skos:prefLabel "Hand made"@en ; '
            'skos:definition "A concept written by hand without the project fields."@en ; '
            "skos:inScheme <https://w3id.org/sst-vocab> ; skos:broader sst:security ; "
            "dcterms:source <https://w3id.org/sst-vocab/source/roundtable-2006-03-23> .\n"
        )
    r = invoke("validate", "--min-severity", "violation")
    assert r.exit_code == 1
    assert "PRJ-01-required-field: This sst-vocab concept has no sstx:definitionOrigin" in r.stdout
    assert "has no reg:status" in r.stdout


def test_deprecate_every_view(project, invoke):
    r = invoke("deprecate", "sst:media", "--replaced-by", "sst:civil-society-bodies", "--note", "Merged.")
    assert r.exit_code == 0, r.output
    assert "removed sst:civil-society-bodies skos:narrower sst:media" in r.stdout
    text = (project / "vocab" / "actors.ttl").read_text()
    assert "PREFIX owl: <http://www.w3.org/2002/07/owl#>" in text
    block = text[text.index("\nsst:media\n") :]
    block = block[: block.index("\n.\n")]
    for line in (
        "owl:deprecated true ;",
        "dcterms:isReplacedBy sst:civil-society-bodies ;",
        "reg:status status:superseded ;",
    ):
        assert line in block
    assert "skos:broader" not in block
    # the block stayed where it was: after the same neighbour as before
    original = (ROOT / "vocab" / "actors.ttl").read_text()
    assert text.index("\nsst:media\n") > text.index("\nsst:advocacy-organizations\n")
    assert original.index("\nsst:media\n") > original.index("\nsst:advocacy-organizations\n")
    assert invoke("fmt", "--check").exit_code == 0
    assert invoke("validate").exit_code == 0
    assert "Media" not in invoke("tree", "civil society bodies").stdout
    assert "Media  [deprecated, replaced by sst:civil-society-bodies]" in invoke("tree", "--all").stdout
    assert "[DEPRECATED: use sst:civil-society-bodies]" in invoke("search", "media").stdout
    assert "[DEPRECATED]" in invoke("show", "sst:media").stdout
    assert "Media" not in invoke("review").stdout.split("Responses")[0].split("Review status (")[0]
    assert "sst-vocab/media," not in invoke("query", "drafts", "--format", "csv").stdout
    assert invoke("docs", "--output", str(project / "site")).exit_code == 0
    page = (project / "site" / "media.html").read_text()
    assert "deprecated-banner" in page and "Replaced by" in page
    index = (project / "site" / "index.html").read_text()
    assert '<h3 id="deprecated">Deprecated</h3>' in index and "50 concepts" in index


def test_deprecate_needs_a_reason(project, invoke):
    r = invoke("deprecate", "sst:media")
    assert r.exit_code == 2 and "--reason TEXT" in r.stderr


def test_review_correct_withdraw_and_refuse(project, invoke):
    r = invoke(
        "review", "--record", "Security system", "--agency", "OSD", "--response", "nonconcur", "--date", "2006-04-11"
    )
    assert r.exit_code == 2
    assert "a non-concurrence needs the office's note saying what it objects to (--note TEXT)" in r.stderr
    r = invoke(
        "review",
        "--record",
        "Security system",
        "--agency",
        "OSD",
        "--response",
        "nonconcur",
        "--date",
        "2006-04-11",
        "--note",
        "Too broad.",
    )
    assert r.exit_code == 0 and "Recorded OSD - nonconcur - 2006-04-11 - Too broad." in r.stdout
    r = invoke(
        "review",
        "--record",
        "Security system",
        "--agency",
        "OSD",
        "--response",
        "comment",
        "--date",
        "2006-04-11",
        "--note",
        "Name the bodies.",
    )
    assert r.exit_code == 0 and r.stdout.startswith("Replaced OSD - nonconcur - 2006-04-11 - Too broad.")
    table = invoke("review").stdout
    assert "Security system: OSD - comment - 2006-04-11 - Name the bodies." in table
    assert "Too broad." not in table
    assert max(len(line) for line in table.splitlines()) <= 100
    assert "Review status (sstx:reviewStatus)" in table
    assert "OSD - comment - 2006-04-11 - Name the bodies." in invoke("show", "security system").stdout
    r = invoke("review", "--withdraw", "Security system", "--agency", "OSD")
    assert r.exit_code == 0 and "Status: under-review -> draft." in r.stdout


def test_bump_release_and_diff(project, invoke, tmp_path):
    invoke("deprecate", "sst:media", "--replaced-by", "sst:civil-society-bodies", "--note", "Merged.")
    refused = invoke("release", "--output", str(tmp_path / "dist"))
    assert refused.exit_code == 2
    assert (
        f"version {VERSION} was released as git tag v{VERSION}, and the vocabulary has changed since" in refused.stderr
    )
    assert f"## Unreleased changes since {VERSION}" in invoke("diff", "--format", "markdown").stdout
    major, minor, _ = VERSION.split(".")
    after = f"{major}.{int(minor) + 1}.0"
    bumped = invoke("release", "--bump", "minor")
    assert bumped.exit_code == 0 and bumped.stdout.startswith(f"Version {VERSION} -> {after}")
    scheme = (project / "vocab" / "scheme.ttl").read_text()
    assert f'owl:versionInfo "{after}" ;' in scheme and f"version/{after}>" in scheme
    md = invoke("diff", "--format", "markdown")
    assert md.exit_code == 1 and f"## {after} (changes since {VERSION})" in md.stdout
    assert invoke("release", "--output", str(tmp_path / "dist")).exit_code == 0


def test_editing_commands_refuse_a_folder_without_vocab(tmp_path, monkeypatch, invoke):
    monkeypatch.chdir(tmp_path)
    r = invoke("fmt")
    assert r.exit_code == 2 and "there is no vocab/ folder in the current directory" in r.stderr


def test_misspellings_exact_messages(project, invoke):
    r = run_sst("valdate", text=True)
    assert r.returncode == 2
    assert (
        "Error: No such command 'valdate'. Did you mean 'validate'? (sst-vocab --help lists the commands)" in r.stderr
    )
    assert run_sst(text=True).returncode == 0
    # a misspelt IRI: the value, its own line, did you mean
    path = project / "vocab" / "actors.ttl"
    text = path.read_text()
    at = text.index("skos:broader sst:civil-society-bodies ;", text.index("\nsst:media\n"))
    path.write_text(text[:at] + "skos:broader sst:civil-society-bodes ;" + text[at + 39 :])
    line = path.read_text()[:at].count("\n") + 1
    out = invoke("validate").stdout
    assert (
        f"Violation vocab/actors.ttl:{line}  Media <https://w3id.org/sst-vocab/media>  HIE-06-link-target: A "
        "broader, narrower or related link points at sst:civil-society-bodes, which is not declared as a "
        "skos:Concept in the files. Declare that concept or fix the IRI. Did you mean sst:civil-society-bodies?"
    ) in out
    path.write_text(text)
    # a misspelt well-known namespace: one finding, at the PREFIX line
    path.write_text(text.replace("<http://www.w3.org/2004/02/skos/core#>", "<http://www.w3.org/2004/02/skos/cor#>"))
    out = invoke("validate", "--min-severity", "violation").stdout
    assert out.count("Violation") == 1
    assert (
        "NS-01-misspelt-namespace: the prefix skos: is bound to <http://www.w3.org/2004/02/skos/cor#>, which is "
        "not the SKOS namespace: did you mean <http://www.w3.org/2004/02/skos/core#>?"
    ) in out
    path.write_text(text)
    # a misspelt prefix name, and a missing PREFIX line
    path.write_text(
        text.replace("skos:broader sst:civil-society-bodies ;", "skso:broader sst:civil-society-bodies ;", 1)
    )
    assert "has not been declared; did you mean skos:?" in invoke("validate").stderr
    path.write_text(text + "\nsst:media owl:deprecated true .\n")
    assert (
        "The prefix owl: has not been declared; add the line PREFIX owl: <http://www.w3.org/2002/07/owl#> at "
        "the top of the file"
    ) in invoke("validate").stderr


def test_editor_facing_inverse_message(project, invoke):
    path = project / "vocab" / "actors.ttl"
    text = path.read_text()
    path.write_text(text.replace("        sst:media ,\n", "", 1))
    out = invoke("validate", "--verbose").stdout
    assert (
        "sst:media has skos:broader sst:civil-society-bodies, but sst:civil-society-bodies does not list it as "
        "narrower: add `skos:narrower sst:media` to sst:civil-society-bodies."
    ) in out


def test_infos_one_line_per_rule(project, invoke):
    out = invoke("validate").stdout
    assert sum("DEF-FORM-genus" in line for line in out.splitlines()) == 1
    assert sum("DEF-FORM-genus" in line for line in invoke("validate", "--verbose").stdout.splitlines()) > 1
    assert (
        sum("DEF-FORM-genus" in line for line in invoke("validate", "--min-severity", "info").stdout.splitlines()) > 1
    )


def test_completion_scripts(invoke):
    for shell in ("bash", "zsh", "fish"):
        r = invoke("completion", shell)
        assert r.exit_code == 0 and "_SST_VOCAB_COMPLETE" in r.stdout


def test_one_finding_per_fault(tmp_path, invoke):
    path = tmp_path / "two-labels.ttl"
    path.write_text(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "PREFIX ex: <https://example.org/v/>\n\n"
        'ex:v a skos:ConceptScheme ; skos:prefLabel "Example"@en ; dcterms:language "en" ; '
        "skos:hasTopConcept ex:a .\n\n"
        'ex:a a skos:Concept ;\n    skos:prefLabel "Alpha"@en , "First"@en ;\n'
        "    skos:inScheme ex:v ;\n    skos:topConceptOf ex:v .\n"
    )
    out = invoke("validate", str(path)).stdout
    assert "LBL-01-unique-lang" in out and "LBL-02-monolingual" not in out


def test_the_installed_vocabulary_is_never_edited(tmp_path, monkeypatch, invoke):
    installed = tmp_path / "site-packages" / "sst_vocab" / "_data"
    shutil.copytree(ROOT / "vocab", installed / "vocab")
    monkeypatch.setattr("sst_vocab.resources.installed_data_root", lambda: str(installed.resolve()))
    before = (installed / "vocab" / "terms.ttl").read_text()
    for args in (
        ["fmt", str(installed / "vocab")],
        ["add", "Coast guard", str(installed / "vocab"), "--broader", "police"],
        ["deprecate", "sst:media", str(installed / "vocab"), "--reason", "x"],
    ):
        r = invoke(*args)
        assert r.exit_code == 2, args
        assert "this is the vocabulary installed with the sst-vocab package" in r.stderr
        assert "copy it into your project" in r.stderr
    assert (installed / "vocab" / "terms.ttl").read_text() == before


@pytest.mark.parametrize(
    "words, cword, expected",
    [
        ("sst-vocab query dr", 2, "drafts"),
        ("sst-vocab review --agency U", 3, "USAID"),
        ("sst-vocab show sst:security-sys", 2, "sst:security-system"),
        ("sst-vocab valid", 1, "validate"),
    ],
)
def test_completion_completes_queries_offices_and_concepts(words, cword, expected):

    env = {"COMP_WORDS": words, "COMP_CWORD": str(cword), "_SST_VOCAB_COMPLETE": "bash_complete"}
    proc = run_sst(text=True, cwd=ROOT, env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"plain,{expected}" in proc.stdout.splitlines()


@pytest.mark.parametrize(
    "call, args, hint",
    [
        (
            {"fn": "add_concept", "label": "!!!", "broader": "sst:security"},
            ["add", "!!!", "--broader", "sst:security"],
            "(--id SLUG)",
        ),
        (
            {"fn": "add_concept", "label": "X", "broader": "sst:security", "slug_text": "security"},
            ["add", "X", "--broader", "sst:security", "--id", "security"],
            "(--id SLUG)",
        ),
        (
            {"fn": "deprecate_concept", "concept": "sst:media", "replaced_by": "sst:media", "note": "x"},
            ["deprecate", "sst:media", "--replaced-by", "sst:media", "--note", "x"],
            "(--replaced-by CONCEPT)",
        ),
        (
            {"fn": "record_response", "concept": "sst:security", "agency": "OSD", "response": "nonconcur"},
            ["review", "--record", "sst:security", "--agency", "OSD", "--response", "nonconcur"],
            "(--note TEXT)",
        ),
        ({"fn": "check_base", "base": "not-an-iri"}, ["export", "--base", "not-an-iri"], "(--base IRI)"),
    ],
)
def test_library_messages_name_no_flag_and_the_command_line_adds_it(project, invoke, call, args, hint):
    """The editing functions' messages name no option; each command adds its own spelling (one line, exit 2)."""
    from sst_vocab import edit, reading, review
    from sst_vocab.errors import VocabError

    call = dict(call)
    fn = next(getattr(m, call["fn"]) for m in (edit, review, reading) if hasattr(m, call["fn"]))
    del call["fn"]
    with pytest.raises(VocabError) as caught:
        fn(**call)
    assert "--" not in caught.value.message and caught.value.options
    r = invoke(*args)
    assert r.exit_code == 2 and r.stderr == f"Error: {caught.value} {hint}\n"


def test_no_vocab_folder_names_the_path_arguments(tmp_path, monkeypatch, invoke):
    monkeypatch.chdir(tmp_path)
    for command in (["fmt"], ["add", "X", "--broader", "sst:security"], ["deprecate", "sst:media", "--reason", "x"]):
        r = invoke(*command)
        assert r.exit_code == 2 and r.stderr.rstrip().endswith("give the files or folders to edit (PATH arguments)")
