"""release: a complete, checksummed, versioned set of files; refused on violations or changed content."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import pyoxigraph as ox
import pytest

from conftest import REAL_VOCABS, ROOT
from sst_vocab.export import context_bytes, export
from sst_vocab.loader import load
from sst_vocab.release import scheme_version
from sst_vocab.validate import validate

VERSION = scheme_version(load())  # the shipped scheme's owl:versionInfo
MODIFIED = next(
    q.object.value
    for q in load().store.quads_for_pattern(
        ox.NamedNode("https://w3id.org/sst-vocab"), ox.NamedNode("http://purl.org/dc/terms/modified"), None
    )
)
NAMES = [
    f"sst-vocab-{VERSION}.context.jsonld",
    f"sst-vocab-{VERSION}.csv",
    f"sst-vocab-{VERSION}.jsonld",
    f"sst-vocab-{VERSION}.nt",
    f"sst-vocab-{VERSION}.rdf",
    f"sst-vocab-{VERSION}.ttl",
]


@pytest.fixture
def vocab_copy(tmp_path):
    """A copy of the shipped vocabulary that a test may edit."""
    dest = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", dest)
    return dest


def edit(folder, old: str, new: str, name: str = "scheme.ttl") -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def bump(folder, version: str) -> None:
    edit(folder, f'owl:versionInfo "{VERSION}"', f'owl:versionInfo "{version}"')
    edit(folder, f"/version/{VERSION}>", f"/version/{version}>")


def test_release_writes_every_format_the_context_and_checksums(invoke, tmp_path):
    out = tmp_path / "dist"
    result = invoke("release", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(NAMES + ["SHA256SUMS"])
    assert f"Released {VERSION}: 6 files and SHA256SUMS in {out}" in result.stdout
    assert (out / f"sst-vocab-{VERSION}.jsonld").read_bytes() == export(None, "jsonld")
    assert (out / f"sst-vocab-{VERSION}.ttl").read_bytes() == export(None, "turtle")
    assert (out / f"sst-vocab-{VERSION}.context.jsonld").read_bytes() == context_bytes()
    doc = json.loads((out / f"sst-vocab-{VERSION}.jsonld").read_text(encoding="utf-8"))
    scheme = next(n for n in doc["@graph"] if n["@id"] == "https://w3id.org/sst-vocab")
    assert scheme["versionInfo"] == VERSION
    assert scheme["versionIRI"] == f"sst:version/{VERSION}"

    lines = (out / "SHA256SUMS").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == NAMES
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
        assert f"{digest}  {name}" in result.stdout


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs coreutils sha256sum")
def test_sha256sum_can_check_the_release(invoke, tmp_path):
    assert invoke("release", "--output", str(tmp_path)).exit_code == 0
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == len(NAMES)


def test_releasing_again_is_a_no_op(invoke, tmp_path):
    assert invoke("release", "--output", str(tmp_path)).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert invoke("release", "--output", str(tmp_path)).exit_code == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_released_version_does_not_change_without_force(invoke, tmp_path, vocab_copy):
    out = tmp_path / "dist"
    assert invoke("release", "--output", str(out), str(vocab_copy)).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(
        vocab_copy,
        "Convened at the United States Institute of Peace (USIP).",
        "Convened at the United States Institute of Peace (USIP), Washington.",
    )
    result = invoke("release", "--output", str(out), str(vocab_copy))
    assert result.exit_code == 2
    assert "already released here with other content" in result.stderr and "owl:versionInfo" in result.stderr
    assert "(--bump major|minor|patch or --force)" in result.stderr  # the library names no flag; the CLI does
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert invoke("release", "--output", str(out), str(vocab_copy), "--force").exit_code == 0
    assert (out / f"sst-vocab-{VERSION}.ttl").read_bytes() != before[f"sst-vocab-{VERSION}.ttl"]


def test_versions_side_by_side_share_one_checksum_file(invoke, tmp_path, vocab_copy):
    assert invoke("release", "--output", str(tmp_path)).exit_code == 0
    major, minor, _ = VERSION.split(".")
    following = f"{major}.{int(minor) + 1}.0"
    bump(vocab_copy, following)
    assert invoke("release", "--output", str(tmp_path), str(vocab_copy)).exit_code == 0
    names = [line.split("  ")[1] for line in (tmp_path / "SHA256SUMS").read_text().splitlines()]
    assert names == sorted(NAMES + [n.replace(VERSION, following) for n in NAMES])
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=tmp_path).returncode == 0


def test_violations_refuse_the_release_unless_forced(invoke, tmp_path, vocab_copy):
    # Two English prefLabels on one concept breaks SKOS integrity (S14).
    edit(vocab_copy, 'skos:prefLabel "Police"@en ;', 'skos:prefLabel "Police"@en , "Police force"@en ;', "actors.ttl")
    assert not validate([vocab_copy]).conforms  # the precondition
    out = tmp_path / "dist"
    result = invoke("release", "--output", str(out), str(vocab_copy))
    assert result.exit_code == 1
    assert "Violation" in result.stderr and f"Refusing to release {VERSION}" in result.stderr
    assert not out.exists()
    forced = invoke("release", "--output", str(out), str(vocab_copy), "--force")
    assert forced.exit_code == 0 and (out / "SHA256SUMS").is_file()


@pytest.mark.parametrize(
    "old, new, words",
    [
        (f'    owl:versionInfo "{VERSION}" ;\n', "", "no concept scheme has an owl:versionInfo"),
        (f'owl:versionInfo "{VERSION}"', 'owl:versionInfo "1.0/../../x"', "cannot be part of a file name"),
        (f"/version/{VERSION}>", "/version/0.0.9>", "does not name owl:versionInfo"),
        (f"    owl:versionIRI <https://w3id.org/sst-vocab/version/{VERSION}> ;\n", "", "no owl:versionIRI"),
        (f'    dcterms:modified "{MODIFIED}"^^xsd:date ;\n', "", "no dcterms:modified"),
    ],
    ids=["no-version", "unsafe-version", "version-iri-mismatch", "no-version-iri", "no-modified"],
)
def test_release_metadata_is_required(invoke, tmp_path, vocab_copy, old, new, words):
    edit(vocab_copy, old, new)
    out = tmp_path / "dist"
    result = invoke("release", "--output", str(out), str(vocab_copy), "--force")
    assert result.exit_code == 2
    assert words in result.stderr
    assert f"{vocab_copy / 'scheme.ttl'}:" in result.stderr  # FILE:LINE of the scheme
    assert not out.exists()


def test_broken_vocabulary_writes_nothing(invoke, tmp_path, vocab_copy):
    edit(vocab_copy, 'skos:prefLabel "Police"@en ;', 'skos:prefLabel "Police@en ;', "actors.ttl")
    out = tmp_path / "dist"
    result = invoke("release", "--output", str(out), str(vocab_copy), "--force")
    assert result.exit_code == 2 and f"{vocab_copy / 'actors.ttl'}:" in result.stderr
    assert not out.exists()


def test_output_must_be_a_folder(invoke, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    assert invoke("release", "--output", str(target)).exit_code == 2


@pytest.mark.parametrize("path", REAL_VOCABS, ids=[p.stem for p in REAL_VOCABS])
def test_real_vocabularies_release_or_say_why_not(invoke, tmp_path, path):
    out = tmp_path / "dist"
    result = invoke("release", "--output", str(out), str(path), "--force")
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 0:
        assert (out / "SHA256SUMS").is_file() and len(list(out.iterdir())) == 7
    else:
        assert result.stderr.startswith(f"Error: {path}")


def test_make_release_calls_the_cli():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrelease:", 1)[1].split("\n\n", 1)[0]
    assert "sst-vocab release --output" in recipe


def test_the_package_version_is_the_vocabulary_version():
    """The wheel ships the vocabulary: `pip install sst-vocab==X` must give vocabulary X."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == VERSION


def _project(tmp_path, name: str, version: str):
    shutil.copytree(ROOT / "vocab", tmp_path / "vocab")
    (tmp_path / "pyproject.toml").write_text(
        f'[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "{name}"\nversion = "{version}"\n\n'
        f'[tool.other]\nversion = "{version}"\n'
    )
    return tmp_path


def test_bump_raises_the_package_version_with_the_scheme(invoke, tmp_path, monkeypatch):
    project = _project(tmp_path, "sst-vocab", VERSION)
    monkeypatch.chdir(project)
    major, minor, _ = VERSION.split(".")
    after = f"{major}.{int(minor) + 1}.0"
    r = invoke("release", "--bump", "minor")
    assert r.exit_code == 0, r.output
    assert f"Package version {VERSION} -> {after} in " in r.stdout
    text = (project / "pyproject.toml").read_text()
    assert f'[project]\nname = "sst-vocab"\nversion = "{after}"\n' in text
    assert f'[tool.other]\nversion = "{VERSION}"\n' in text  # only the package's own version line


@pytest.mark.parametrize("name, version", [("someone-elses-vocab", VERSION), ("sst-vocab", "9.9.9")])
def test_bump_leaves_other_projects_alone(invoke, tmp_path, monkeypatch, name, version):
    project = _project(tmp_path, name, version)
    before = (project / "pyproject.toml").read_bytes()
    monkeypatch.chdir(project)
    r = invoke("release", "--bump", "patch")
    assert r.exit_code == 0, r.output
    assert "Package version" not in r.stdout
    assert (project / "pyproject.toml").read_bytes() == before
