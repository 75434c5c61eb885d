"""Loading Turtle: every way input can be bad gives one VocabError with file and line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REAL_VOCABS, ROOT, run_python, write
from sst_vocab.errors import VocabError
from sst_vocab.loader import load, resolve_paths

GOOD = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/v/> .

ex:a a skos:Concept ;
    skos:prefLabel "A"@en .
"""


def test_loads_a_file_and_knows_where_each_subject_starts(tmp_path):
    f = write(tmp_path / "v.ttl", GOOD + '\n# a comment\nex:b a skos:Concept ;\n  skos:prefLabel "B"@en .\n')
    vocab = load([f])
    assert len(vocab) == 4
    assert vocab.location("https://example.org/v/a") == (str(f), 4)
    assert vocab.location("https://example.org/v/b") == (str(f), 8)


def test_folder_is_searched_recursively_for_turtle_only(tmp_path):
    write(tmp_path / "a" / "b" / "deep.ttl", GOOD)
    write(tmp_path / "notes.txt", "not turtle")
    write(tmp_path / "backup.ttl~", "@@@ broken")
    assert resolve_paths([tmp_path]) == [str(tmp_path / "a" / "b" / "deep.ttl")]


def test_default_is_the_shipped_vocabulary():
    files = resolve_paths(None)
    assert files and all(isinstance(p, str) and p.endswith(".ttl") for p in files)
    assert all((ROOT / "vocab") in Path(p).resolve().parents for p in files)


@pytest.mark.parametrize(
    "text, line, words",
    [
        (GOOD + 'ex:c skos:prefLabel "unterminated@en ;\n  skos:note "x" .\n', 6, "string"),
        (GOOD + '\nex:d skso:prefLabel "x" .\n', 7, "skso"),
        (GOOD + "ex:e skos:broader <not an iri> .\n", 6, "IRI"),
        ('<https://a.example/s> <https://a.example/p> "x"@123 .\n', 1, "language"),
    ],
    ids=["unterminated-string", "undeclared-prefix", "space-in-iri", "bad-lang-tag"],
)
def test_syntax_errors_name_file_and_line(tmp_path, text, line, words):
    f = write(tmp_path / "broken.ttl", text)
    with pytest.raises(VocabError) as err:
        load([f])
    assert err.value.path == str(f)
    assert err.value.line == line
    assert words.lower() in err.value.message.lower()
    assert str(err.value).startswith(f"{f}:{line}: ")


def test_missing_path(tmp_path):
    with pytest.raises(VocabError, match="no such file or folder") as err:
        load([tmp_path / "nope.ttl"])
    assert err.value.path == str(tmp_path / "nope.ttl")


def test_folder_without_turtle(tmp_path):
    write(tmp_path / "readme.md", "# hi")
    with pytest.raises(VocabError, match=r"no Turtle \(\*\.ttl\) files"):
        load([tmp_path])


def test_binary_file(tmp_path):
    f = tmp_path / "image.ttl"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(VocabError, match="binary file") as err:
        load([f])
    assert err.value.line == 3


def test_not_utf8(tmp_path):
    f = tmp_path / "latin1.ttl"
    f.write_bytes((GOOD + 'ex:a skos:altLabel "S\u00e9curit\u00e9"@fr .\n').encode("latin-1"))
    with pytest.raises(VocabError, match="not valid UTF-8") as err:
        load([f])
    assert err.value.line == 6


def test_utf8_bom_is_accepted(tmp_path):
    f = tmp_path / "bom.ttl"
    f.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert len(load([f])) == 2


def _without_root_powers() -> list[str]:
    """A command prefix that drops root's power to read any file (CI runs as root)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, "--bounding-set", caps, "--inh-caps", caps]


def test_unreadable_file(tmp_path):
    f = write(tmp_path / "secret.ttl", GOOD)
    f.chmod(0)
    proc = run_python("-m", "sst_vocab", "validate", str(f), prefix=_without_root_powers(), text=True)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == f"Error: {f}: cannot read this file: permission denied"
    assert proc.stdout == ""


def test_deep_nesting_is_loaded_or_refused_cleanly(tmp_path):
    depth = 50_000
    text = (
        "<https://a.example/s> <https://a.example/p> "
        + "[ <https://a.example/p> " * depth
        + "1"
        + " ]" * depth
        + " .\n"
    )
    f = write(tmp_path / "deep.ttl", text)
    vocab = load([f])
    assert len(vocab) == depth + 1


def test_huge_literal_over_the_parser_limit(tmp_path):
    f = write(tmp_path / "huge.ttl", '<https://a.example/s> <https://a.example/p> "' + "x" * (17 * 2**20) + '" .\n')
    with pytest.raises(VocabError, match="16 MiB") as err:
        load([f])
    assert err.value.path == str(f)


def test_large_literal_under_the_limit_loads(tmp_path):
    f = write(tmp_path / "big.ttl", '<https://a.example/s> <https://a.example/p> "' + "x" * (4 * 2**20) + '" .\n')
    assert len(load([f])) == 1


@pytest.mark.parametrize("path", REAL_VOCABS, ids=lambda p: p.name)
def test_real_vocabularies_load_with_a_location_for_every_subject(path):
    vocab = load([path])
    rows = vocab.store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")
    subjects = {r["s"].value for r in rows}
    assert subjects
    missing = [s for s in subjects if vocab.location(s) is None]
    assert missing == []
