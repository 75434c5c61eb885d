"""`sst-vocab diff`: changes in SKOS terms between paths or git revisions, as text, Markdown and JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import REAL_VOCABS, ROOT, write
from sst_vocab.diff import diff

HEAD = """@prefix ex: <https://example.org/v/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

OLD = (
    HEAD
    + """
ex:scheme a skos:ConceptScheme ; skos:prefLabel "Scheme"@en ; owl:versionInfo "0.1.0" ;
    skos:hasTopConcept ex:a , ex:c .
ex:a a skos:Concept ; skos:prefLabel "Alpha"@en , "Alpha"@fr ; skos:definition "The first."@en ;
    skos:topConceptOf ex:scheme .
ex:b a skos:Concept ; skos:prefLabel "Beta"@en ; skos:broader ex:a ; skos:definition "The second."@en .
ex:c a skos:Concept ; skos:prefLabel "Gamma"@en ; skos:topConceptOf ex:scheme .
ex:d a skos:Concept ; skos:prefLabel "Delta"@en ; skos:broader ex:c .
ex:f a skos:Concept ; skos:prefLabel "Phi"@en ; skos:broader ex:c .
"""
)

NEW = (
    HEAD
    + """
ex:scheme a skos:ConceptScheme ; skos:prefLabel "Scheme"@en ; owl:versionInfo "0.2.0" ;
    skos:hasTopConcept ex:a , ex:c .
ex:a a skos:Concept ; skos:prefLabel "Alpha prime"@en , "Alpha"@fr ; skos:altLabel "A"@en ;
    skos:definition "The very first."@en ; skos:topConceptOf ex:scheme ;
    skos:closeMatch <http://www.wikidata.org/entity/Q1> ; skos:related ex:e .
ex:b a skos:Concept ; skos:prefLabel "Beta"@en ; skos:broader ex:c ; skos:definition "The second."@en .
ex:c a skos:Concept ; skos:prefLabel "Gamma"@en ; skos:topConceptOf ex:scheme .
ex:d a skos:Concept ; skos:prefLabel "Delta"@en ; owl:deprecated true ; dcterms:isReplacedBy ex:e ;
    skos:changeNote "Deprecated in 0.2.0: merged into Epsilon."@en .
ex:e a skos:Concept ; skos:prefLabel "Epsilon"@en ; skos:broader ex:c .
"""
)


@pytest.fixture
def versions(tmp_path):
    return write(tmp_path / "old.ttl", OLD), write(tmp_path / "new.ttl", NEW)


def test_every_kind_of_change_is_named(versions):
    old, new = versions
    c = diff(str(old), str(new))
    assert c.differ
    assert [r.iri for r in c.added] == ["https://example.org/v/e"]
    assert [r.iri for r in c.removed] == ["https://example.org/v/f"]
    dep = c.deprecated[0]
    assert dep.concept.label == "Delta" and [r.label for r in dep.replaced_by] == ["Epsilon"]
    assert dep.reasons == ["Deprecated in 0.2.0: merged into Epsilon."]
    changed = {
        cc.concept.label: {(ch.kind, ch.property, ch.language): (ch.old, ch.new) for ch in cc.changes}
        for cc in c.changed
    }
    a = changed["Alpha prime"]
    assert a[("label", "skos:prefLabel", "en")] == (["Alpha"], ["Alpha prime"])
    assert ("label", "skos:prefLabel", "fr") not in a
    assert a[("label", "skos:altLabel", "en")] == ([], ["A"])
    assert a[("definition", "skos:definition", "en")] == (["The first."], ["The very first."])
    assert a[("mapping", "skos:closeMatch", None)] == ([], ["<http://www.wikidata.org/entity/Q1>"])
    assert a[("relation", "skos:related", None)] == ([], ["Epsilon (ex:e)"]) or a[("relation", "skos:related", None)][
        1
    ][0].startswith("Epsilon")
    assert changed["Beta"][("moved", "skos:broader", None)][0][0].startswith("Alpha")
    assert changed["Beta"][("moved", "skos:broader", None)][1][0].startswith("Gamma")
    # the deprecated concept's move out of the hierarchy is reported, its deprecation is not repeated
    assert ("status", "owl:deprecated", None) not in changed["Delta"]
    schemes = {ch.property: (ch.old, ch.new) for ch in c.schemes[0].changes}
    assert schemes["owl:versionInfo"] == (['"0.1.0"'], ['"0.2.0"'])
    assert (c.old_version, c.new_version) == ("0.1.0", "0.2.0")


def test_text_report_and_exit_codes(versions, invoke):
    old, new = versions
    result = invoke("diff", str(old), str(new))
    assert result.exit_code == 1
    out = result.stdout
    assert "REMOVED WITHOUT DEPRECATION (1)" in out and "Phi <https://example.org/v/f>" in out
    assert "Added:\n  + Epsilon <https://example.org/v/e>" in out
    assert "~ Delta <https://example.org/v/d>, replaced by Epsilon <https://example.org/v/e>" in out
    assert 'skos:prefLabel@en: "Alpha" -> "Alpha prime"' in out
    assert "      - The first.\n      + The very first." in out
    assert "moved: broader Alpha" in out
    assert "removed instead of deprecated" in result.stderr
    same = invoke("diff", str(old), str(old))
    assert same.exit_code == 0 and "No differences." in same.stdout


def test_layout_changes_are_not_changes(tmp_path, invoke):
    from sst_vocab.fmt import format_text

    a = write(tmp_path / "a.ttl", OLD)
    b = write(tmp_path / "b.ttl", format_text(OLD))
    assert invoke("diff", str(a), str(b)).exit_code == 0


def test_markdown_is_a_changelog_entry_and_json_is_data(versions, invoke):
    old, new = versions
    md = invoke("diff", str(old), str(new), "--format", "markdown").stdout
    assert md.startswith("## 0.2.0 (changes since 0.1.0) - ")
    assert "> **Warning: 1 concept(s) removed instead of deprecated.**" in md
    assert "### Added\n\n- **Epsilon** (<https://example.org/v/e>)" in md
    assert "### Deprecated" in md and "replaced by **Epsilon**" in md
    assert "  - definition (en) changed:\n    - before: The first.\n    - after: The very first." in md
    data = json.loads(invoke("diff", str(old), str(new), "--format", "json").stdout)
    assert data["differ"] is True
    assert [r["iri"] for r in data["removed"]] == ["https://example.org/v/f"]
    assert data["deprecated"][0]["replaced_by"][0]["label"] == "Epsilon"


def test_changelog_is_appended_newest_first(versions, invoke, chdir_tmp):
    old, new = versions
    write(chdir_tmp / "CHANGELOG.md", "# Changelog\n\nRelease notes.\n\n## 0.1.0 - 2006-03-23\n\nFirst.\n")
    result = invoke("diff", str(old), str(new), "--changelog")
    assert result.exit_code == 1
    log = (chdir_tmp / "CHANGELOG.md").read_text()
    assert log.startswith("# Changelog\n\nRelease notes.\n\n## 0.2.0 (changes since 0.1.0)")
    assert log.index("## 0.2.0") < log.index("## 0.1.0 - 2006-03-23")
    assert invoke("diff", str(old), str(old), "--changelog", "OTHER.md").exit_code == 0
    assert not (chdir_tmp / "OTHER.md").exists()  # nothing to add when nothing changed


def git(cwd, *args):
    subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "HOME": str(cwd),
            "PATH": "/usr/bin:/bin",
        },
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_revisions(tmp_path, invoke, monkeypatch):
    repo = tmp_path / "repo"
    write(repo / "vocab" / "terms.ttl", OLD)
    git(repo, "init", "-q")
    git(repo, "add", "vocab")
    git(repo, "commit", "-q", "-m", "v1")
    git(repo, "tag", "v0.1.0")
    write(repo / "vocab" / "terms.ttl", NEW)
    git(repo, "commit", "-q", "-am", "v2")
    monkeypatch.chdir(repo)
    result = invoke("diff", "v0.1.0", "HEAD")
    assert result.exit_code == 1
    assert "+ Epsilon" in result.stdout and "REMOVED WITHOUT DEPRECATION" in result.stdout
    assert invoke("diff", "HEAD~1:vocab/terms.ttl", "vocab/terms.ttl").exit_code == 1
    assert invoke("diff", "HEAD", "vocab").exit_code == 0
    bad = invoke("diff", "no-such-rev", "HEAD")
    assert bad.exit_code == 2 and "not a git revision" in bad.stderr
    missing = invoke("diff", "HEAD:nothing-here", "HEAD")
    assert missing.exit_code == 2 and "no Turtle" in missing.stderr


def test_broken_side_is_exit_2_with_file_and_line(tmp_path, invoke):
    good = write(tmp_path / "good.ttl", OLD)
    bad = write(tmp_path / "bad.ttl", OLD + '\nex:x skos:prefLabel "oops .\n')
    result = invoke("diff", str(good), str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}:")


def test_shipped_vocabulary_against_itself(invoke):
    result = invoke("diff", str(ROOT / "vocab"), str(ROOT / "vocab"))
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("path", REAL_VOCABS, ids=lambda p: p.name)
def test_real_vocabularies(path, tmp_path, invoke):
    from sst_vocab.fmt import format_text

    text = path.read_text(encoding="utf-8")
    canonical = write(tmp_path / "canonical.ttl", format_text(text, str(path)))
    assert invoke("diff", str(path), str(canonical)).exit_code == 0
    # drop the first concept block: reported as removed without deprecation
    blocks = canonical.read_text().split("\n\n")
    i = next(i for i, b in enumerate(blocks) if re.search(r"^    a (.* , )?skos:Concept( ,| ;)", b, re.M))
    iri = blocks[i].splitlines()[0]
    write(tmp_path / "cut.ttl", "\n\n".join(blocks[:i] + blocks[i + 1 :]))
    result = invoke("diff", str(canonical), str(tmp_path / "cut.ttl"), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert len(data["removed"]) == 1
    assert data["removed"][0]["iri"].endswith(iri.split(":")[-1].strip("<>"))


def test_an_office_is_named_as_review_names_it(tmp_path, invoke):
    """A response's office is named by its acronym (schema:alternateName), as `review` names it, even
    when its full name sorts first; a concept with only regional English labels by the en-GB one."""
    head = (
        HEAD
        + """@prefix sdo: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sstx: <https://w3id.org/sst-vocab/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:scheme a skos:ConceptScheme ; skos:prefLabel "Scheme"@en ; dcterms:contributor ex:fbi .
ex:fbi a sdo:Organization ; sdo:name "Bureau of Investigation"@en ; sdo:alternateName "FBI"@en .
ex:a a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Color"@en-US , "Colour"@en-GB ;
    skos:definition "A hue."@en """
    )
    old = write(tmp_path / "old.ttl", head + ".\n")
    new = write(
        tmp_path / "new.ttl",
        head
        + """;
    sstx:reviewResponse [ a sstx:ReviewResponse ; prov:wasAssociatedWith ex:fbi ; sstx:responseType sstx:concur ;
        dcterms:date "2006-04-10"^^xsd:date ] .
""",
    )
    out = invoke("diff", str(old), str(new))
    assert out.exit_code == 1
    assert "Colour <https://example.org/v/a>" in out.stdout
    assert "FBI: concur (2006-04-10)" in out.stdout and "Bureau of Investigation" not in out.stdout
    review = invoke("review", str(new))
    assert review.exit_code == 0 and "FBI - concur - 2006-04-10" in review.stdout
