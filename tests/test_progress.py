"""Progress on standard error for long commands: drawn on a terminal (a real pty here), never into a pipe.

The library only reports (sst_vocab.progress); the command line draws a status line when
standard error is a terminal and the work has run longer than SST_VOCAB_PROGRESS_DELAY
seconds (default 1; 0 here so that the test does not depend on the machine's speed).
"""

from __future__ import annotations

import os
import pty
import select
import subprocess

import pytest

from conftest import REAL_VOCABS, popen_sst, run_sst

LITHOLOGY = str(next(p for p in REAL_VOCABS if p.stem == "lithology"))


def run_with_terminal_stderr(*args: str, env: dict[str, str] | None = None) -> tuple[int, bytes, bytes]:
    """Run sst-vocab with standard error on a pseudo-terminal and standard output on a pipe."""
    master, slave = pty.openpty()
    proc = popen_sst(*args, env=env, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    seen = b""
    out_chunks = []
    while True:
        ready, _, _ = select.select([master, proc.stdout], [], [], 120)
        if not ready:
            proc.kill()
            raise AssertionError("no output for 120 s")
        if proc.stdout in ready:
            chunk = proc.stdout.read1(65536)
            if chunk:
                out_chunks.append(chunk)
        if master in ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal closed: the process has ended
                chunk = b""
            if not chunk:
                break
            seen += chunk
    out_chunks.append(proc.stdout.read())
    proc.wait(60)
    os.close(master)
    return proc.returncode, b"".join(out_chunks), seen


@pytest.mark.parametrize(
    "args",
    [
        ["validate", LITHOLOGY],
        ["export", LITHOLOGY, "--format", "turtle"],
    ],
)
def test_progress_is_drawn_on_a_terminal_and_erased(args):
    code, out, err = run_with_terminal_stderr(*args, env={"SST_VOCAB_PROGRESS_DELAY": "0"})
    assert code in (0, 1), err
    assert b"\r\x1b[K" in err, err[:300]
    assert b"reading the vocabulary" in err
    if args[0] == "validate":
        assert b"checking the shapes" in err and b"/" in err  # a count of shapes
    # the line is erased before the command's own output on stderr, and stdout has none of it
    assert b"\x1b[K" not in out and b"reading the vocabulary" not in out
    plain = run_sst(*args)
    assert out == plain.stdout


def test_docs_and_release_draw_progress(tmp_path):
    code, _, err = run_with_terminal_stderr(
        "docs", "--output", str(tmp_path / "site"), env={"SST_VOCAB_PROGRESS_DELAY": "0"}
    )
    assert code == 0, err
    assert b"building concept pages" in err and b"writing files" in err
    code, _, err = run_with_terminal_stderr(
        "release", "--output", str(tmp_path / "rel"), env={"SST_VOCAB_PROGRESS_DELAY": "0"}
    )
    assert code == 0, err
    assert b"writing the release formats" in err


def test_quick_work_draws_nothing_even_on_a_terminal():
    code, _, err = run_with_terminal_stderr("export", "--format", "turtle", env={"SST_VOCAB_PROGRESS_DELAY": "30"})
    assert code == 0
    assert err == b""


def test_nothing_extra_when_stderr_is_not_a_terminal():
    proc = run_sst("validate", LITHOLOGY, env={"SST_VOCAB_PROGRESS_DELAY": "0"})
    assert b"\r" not in proc.stderr and b"\x1b" not in proc.stderr
    assert b"reading the vocabulary" not in proc.stderr and b"checking the shapes" not in proc.stderr


def test_the_library_reports_to_a_listener_and_never_prints(capsys):
    from sst_vocab.progress import reporting
    from sst_vocab.validate import validate

    seen = []
    with reporting(lambda stage, done, total: seen.append((stage, done, total))):
        validate([LITHOLOGY])
    stages = [s for s, _, _ in seen]
    assert stages[0] == "reading the vocabulary" and "checking the shapes" in stages
    shapes = [(d, t) for s, d, t in seen if s == "checking the shapes"]
    assert shapes[0][0] == 0 and all(t == shapes[0][1] for _, t in shapes) and len(shapes) == shapes[0][1]
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""
    validate([LITHOLOGY])  # nobody listening: nothing to do
