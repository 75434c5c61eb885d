"""The persistent lookup cache (sst_vocab.query.cache): same answers as parsing, never stale, safe with two processes.

Every test runs the real CLI (in-process, or as processes where processes matter) with
``SST_VOCAB_CACHE_MIN_BYTES=0`` so that small files are cached too, and compares with
``--no-cache``.  Staleness is tested the ways files change under an editor, git and
scripts: edits (also of the same size, with the modification time put back), renames,
deletions, added files, a writer that keeps rewriting while lookups run.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import REAL_VOCABS, popen_sst, run_sst, write

TEMPLATE = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/v/> .

ex:scheme a skos:ConceptScheme ; skos:prefLabel "Scheme"@en ; skos:hasTopConcept ex:a .
ex:a a skos:Concept ; skos:inScheme ex:scheme ; skos:topConceptOf ex:scheme ;
    skos:prefLabel "{label}"@en ; skos:definition "A thing, version {version}."@en .
"""


@pytest.fixture
def cached(monkeypatch, tmp_path):
    """Cache every input, in a cache folder of this test; returns that folder."""
    folder = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.setenv("SST_VOCAB_CACHE_MIN_BYTES", "0")
    return folder / "sst-vocab"


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.glob("*/data-*")) if cache.is_dir() else []


def answer(invoke, *args: str) -> tuple[int, str, str]:
    result = invoke(*args)
    return result.exit_code, result.stdout, result.stderr


def both(invoke, *args: str) -> tuple[tuple, tuple]:
    """(the answer with the cache, the answer from parsing)."""
    return answer(invoke, *args), answer(invoke, *args, "--no-cache")


# ---------------------------------------------------------------------------
# Same answers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL_VOCABS, ids=lambda p: p.stem)
def test_lookups_from_the_cache_equal_lookups_from_parsing(path, invoke, cached):
    for args in (
        ["tree", "--depth", "2"],
        ["search", "a", "--limit", "5"],
        ["show", "zzzz-no-such"],
        ["query", "labels", "--format", "csv"],
        ["query", "hierarchy", "--format", "json"],
        ["query", "--sparql", "ASK { ?c a skos:Concept }"],
    ):
        cold, parsed = both(invoke, *args, str(path))
        warm = answer(invoke, *args, str(path))  # now from kept answers
        assert cold == parsed == warm, args
    assert entries(cached), "the cache was not used"
    assert list(entries(cached)[0].glob("answers/*")), "no answer was kept"


def test_the_shipped_vocabulary_is_not_cached_by_default(invoke, tmp_path, monkeypatch):
    """Below 256 kB parsing costs ~3 ms: the cache would only add work."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert invoke("show", "SSR").exit_code == 0
    assert not (tmp_path / "c").exists()


def test_no_cache_writes_nothing(invoke, cached):
    assert invoke("search", "rock", str(REAL_VOCABS[-1]), "--no-cache").exit_code == 0
    assert not cached.exists()


def test_a_large_vocabulary_is_cached_by_default(invoke, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    monkeypatch.delenv("SST_VOCAB_CACHE_MIN_BYTES", raising=False)
    lithology = next(p for p in REAL_VOCABS if p.stem == "lithology")  # 1.9 MB
    assert invoke("search", "basalt", str(lithology)).exit_code == 0
    assert entries(tmp_path / "c" / "sst-vocab")


def test_locations_from_a_cached_vocabulary_are_those_of_the_files(cached, tmp_path):
    """FILE:LINE from a cached vocabulary: the same as from parsing, and refused if the file changed since."""
    from sst_vocab import VocabError
    from sst_vocab.loader import load as parse
    from sst_vocab.query.cache import CachedVocabulary, load

    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    load([str(path)])
    vocab = load([str(path)])
    assert isinstance(vocab, CachedVocabulary)
    iri = "https://example.org/v/a"
    assert vocab.location(iri) == parse([str(path)]).location(iri) == (str(path), 5)
    assert len(vocab) == len(parse([str(path)]))
    later = load([str(path)])
    path.write_text("\n\n" + TEMPLATE.format(label="Alpha", version=1), encoding="utf-8")
    with pytest.raises(VocabError, match="changed while it was being read"):
        later.location(iri)  # its triples are the old file's; the new lines do not belong to them


# ---------------------------------------------------------------------------
# Never stale
# ---------------------------------------------------------------------------


def label_of(invoke, *vocab: Path, extra: tuple[str, ...] = ()) -> str:
    args = [str(p) for p in vocab]
    result = invoke("tree", *args, *extra)
    return result.stdout


def test_an_edit_is_seen(invoke, cached, tmp_path):
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    assert "Alpha" in label_of(invoke, path)
    assert "Alpha" in label_of(invoke, path)  # from the cache
    write(path, TEMPLATE.format(label="Gamma delta", version=2))
    assert "Gamma delta" in label_of(invoke, path)


def test_a_same_size_edit_with_the_modification_time_put_back_is_seen(invoke, cached, tmp_path):
    """Same size, same mtime (as `cp -p`, `rsync -t` or a fast editor leave it): the content decides."""
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    before = os.stat(path)
    assert "Alpha" in label_of(invoke, path)
    path.write_text(TEMPLATE.format(label="Omega", version=1), encoding="utf-8")  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert "Omega" in label_of(invoke, path)
    assert "Alpha" not in label_of(invoke, path)


def test_an_old_file_edited_keeping_size_and_mtime_is_seen(invoke, cached, tmp_path):
    """A file last changed long before it was cached (not "racy"): its change time still gives it away."""
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    time.sleep(2.2)  # older than the racy window when cached
    assert "Alpha" in label_of(invoke, path)
    assert "Alpha" in label_of(invoke, path)
    before = os.stat(path)
    path.write_text(TEMPLATE.format(label="Omega", version=1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "Omega" in label_of(invoke, path)


def test_touch_keeps_the_cache_and_the_answer(invoke, cached, tmp_path):
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    assert "Alpha" in label_of(invoke, path)
    built = entries(cached)
    os.utime(path)
    assert "Alpha" in label_of(invoke, path)
    assert entries(cached) == built  # the content hashes the same: nothing rebuilt


def test_files_added_renamed_and_deleted_in_a_folder_are_seen(invoke, cached, tmp_path):
    folder = tmp_path / "vocab"
    write(folder / "a.ttl", TEMPLATE.format(label="Alpha", version=1))
    assert "Alpha" in label_of(invoke, folder)
    extra = (
        TEMPLATE.format(label="Beta", version=1)
        .replace("ex:a ", "ex:b ")
        .replace("hasTopConcept ex:a", "hasTopConcept ex:b")
    )
    write(folder / "sub" / "b.ttl", extra)
    assert "Beta" in label_of(invoke, folder)  # an added file
    (folder / "sub" / "b.ttl").rename(folder / "sub" / "b.ttl.bak")
    assert "Beta" not in label_of(invoke, folder)  # renamed away from *.ttl
    (folder / "sub" / "b.ttl.bak").rename(folder / "c.ttl")
    assert "Beta" in label_of(invoke, folder)  # renamed back in, elsewhere
    (folder / "c.ttl").unlink()
    out = label_of(invoke, folder)
    assert "Beta" not in out and "Alpha" in out  # deleted
    (folder / "a.ttl").unlink()
    result = invoke("tree", str(folder))
    assert result.exit_code == 2 and "no Turtle" in result.stderr


def test_a_file_replaced_by_rename_is_seen(invoke, cached, tmp_path):
    """Editors and git replace a file by renaming a new one over it (a new inode, maybe the same size)."""
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    assert "Alpha" in label_of(invoke, path)
    new = write(tmp_path / ".v.ttl.swp", TEMPLATE.format(label="Omega", version=1))
    os.utime(new, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns))
    os.replace(new, path)
    assert "Omega" in label_of(invoke, path)


def test_broken_input_reads_the_same_with_the_cache(invoke, cached, tmp_path):
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    assert "Alpha" in label_of(invoke, path)
    write(path, TEMPLATE.format(label="Alpha", version=1).replace("skos:inScheme", "skso:inScheme"))
    cold, parsed = both(invoke, "tree", str(path))
    assert cold == parsed
    assert cold[0] == 2 and "v.ttl:5:" in cold[2] and "Traceback" not in cold[2]


def test_a_damaged_cache_costs_time_not_answers(invoke, cached, tmp_path):
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    expected = answer(invoke, "tree", str(path), "--no-cache")
    assert answer(invoke, "tree", str(path)) == expected
    for answer_file in entries(cached)[0].glob("answers/*"):
        answer_file.write_bytes(b"\x00garbage")
    assert answer(invoke, "tree", str(path)) == expected
    for answer_file in entries(cached)[0].glob("answers/*"):
        kept = answer_file.read_bytes()
        answer_file.write_bytes(kept[: len(kept) * 2 // 3])  # cut short, as by a full disk
    assert answer(invoke, "tree", str(path)) == expected
    (entries(cached)[0] / "vocab.nt").unlink()
    assert answer(invoke, "tree", str(path)) == expected
    for meta in cached.glob("*/meta.json"):
        meta.write_text("{not json", encoding="utf-8")
    assert answer(invoke, "tree", str(path)) == expected


def test_a_kept_copy_missing_whole_lines_is_not_used(invoke, cached, tmp_path):
    """The copy is loaded leniently (pyoxigraph wrote it): whole lines missing still parse, so its lines are counted."""
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    expected = answer(invoke, "tree", str(path), "--no-cache")
    assert answer(invoke, "tree", str(path)) == expected
    entry = entries(cached)[0]
    for answer_file in entry.glob("answers/*"):
        answer_file.unlink()
    lines = (entry / "vocab.nt").read_bytes().splitlines(keepends=True)
    (entry / "vocab.nt").write_bytes(b"".join(line for line in lines if b"prefLabel" not in line))
    assert answer(invoke, "tree", str(path)) == expected


def test_an_unwritable_cache_folder_only_costs_time(invoke, tmp_path, monkeypatch):
    blocker = write(tmp_path / "not-a-folder", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.setenv("SST_VOCAB_CACHE_MIN_BYTES", "0")
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Alpha", version=1))
    assert "Alpha" in label_of(invoke, path)


def test_standard_input_is_never_cached(cached, tmp_path):
    env = {"XDG_CACHE_HOME": str(cached.parent), "SST_VOCAB_CACHE_MIN_BYTES": "0"}
    for label in ("Alpha", "Omega"):
        proc = run_sst("tree", "/dev/stdin", env=env, input=TEMPLATE.format(label=label, version=1).encode())
        assert proc.returncode == 0, proc.stderr
        assert label in proc.stdout.decode()
    assert not entries(cached)


# ---------------------------------------------------------------------------
# Two processes at once
# ---------------------------------------------------------------------------


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return popen_sst(*args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_processes_building_the_cache_at_once_all_answer_right(cached, tmp_path):
    lithology = next(p for p in REAL_VOCABS if p.stem == "lithology")
    env = {"XDG_CACHE_HOME": str(cached.parent), "SST_VOCAB_CACHE_MIN_BYTES": "0"}
    args = ["search", "basalt", str(lithology)]
    expected = run_sst(*args, "--no-cache", env=env).stdout
    procs = [_spawn(args, env) for _ in range(4)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [o[1] for o in outputs]
    assert all(out == expected for out, _ in outputs)
    assert run_sst(*args, env=env).stdout == expected  # and the cache they left answers right


def test_a_writer_rewriting_the_file_while_lookups_run(cached, tmp_path):
    """Lookups during the writes see one version or another, never a mixture; after the last write, the last."""
    env = {"XDG_CACHE_HOME": str(cached.parent), "SST_VOCAB_CACHE_MIN_BYTES": "0"}
    path = write(tmp_path / "v.ttl", TEMPLATE.format(label="Version 0", version=0))
    stop = threading.Event()
    written = [0]

    def writer():
        while not stop.is_set():
            written[0] += 1
            n = written[0]
            tmp = tmp_path / f".v{n}.ttl"
            tmp.write_text(TEMPLATE.format(label=f"Version {n}", version=n), encoding="utf-8")
            if n % 2:
                os.replace(tmp, path)  # an editor's save: a new file renamed over the old
            else:
                path.write_text(tmp.read_text(encoding="utf-8"), encoding="utf-8")  # written in place
                tmp.unlink()
            time.sleep(0.003)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        for _ in range(6):
            procs = [_spawn(["show", "https://example.org/v/a", str(path)], env) for _ in range(2)]
            for proc in procs:
                out, err = proc.communicate(timeout=120)
                text = out.decode()
                if proc.returncode == 0:  # a file caught half-written in place: no match (1) or no parse (2)
                    label = text.splitlines()[0]
                    assert label.startswith("Version "), text
                    number = label.split()[1]
                    assert f"version {number}." in text, text  # the definition belongs to the same version
                else:
                    assert proc.returncode in (1, 2) and b"Traceback" not in err, err
    finally:
        stop.set()
        thread.join()
    final = written[0]
    for _ in range(2):
        proc = run_sst("show", "https://example.org/v/a", str(path), env=env)
        assert proc.stdout.decode().splitlines()[0] == f"Version {final}", proc.stdout
