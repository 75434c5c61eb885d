"""The console-script entry point (cli.main): exit statuses, complete output, and its fast exit.

main() ends the process with os._exit once the command is done (skipping the
interpreter's tear-down); these tests run real processes to show that nothing is
lost by it: statuses, every byte of output, atexit handlers, running threads, and
write errors are reported instead of swallowed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from conftest import REAL_VOCABS, SUBPROCESS_ENV, run_sst


def test_exit_statuses_are_kept():
    ok, no = run_sst("show", "SSR"), run_sst("show", "no such concept at all")
    bad = run_sst("show", "SSR", "--vocab", "missing.ttl")
    assert (ok.returncode, no.returncode, bad.returncode) == (0, 1, 2)
    assert b"Security System Transformation" in ok.stdout
    assert bad.stderr.decode().strip() == "Error: missing.ttl: no such file or folder"


def test_large_output_to_a_pipe_is_complete():
    big = max(REAL_VOCABS, key=lambda p: p.stat().st_size)
    piped = run_sst("export", "--format", "ntriples", "--vocab", str(big))
    assert piped.returncode == 0 and piped.stderr == b""
    assert len(piped.stdout) > 1_000_000  # far beyond any pipe or stdio buffer
    import pyoxigraph as ox

    assert len(list(ox.parse(piped.stdout, format=ox.RdfFormat.N_TRIPLES))) == len(piped.stdout.splitlines())


def test_output_redirected_to_a_file_is_complete(tmp_path):
    out = tmp_path / "out.ttl"
    with out.open("wb") as f:
        proc = subprocess.run([sys.executable, "-m", "sst_vocab", "export", "--format", "turtle"], stdout=f,
                              stderr=subprocess.PIPE, env=SUBPROCESS_ENV)
    assert proc.returncode == 0
    written = tmp_path / "written.ttl"
    assert run_sst("export", "--format", "turtle", "--output", str(written)).returncode == 0
    assert out.read_bytes() == written.read_bytes() and out.stat().st_size > 10_000


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["tree"], ["export", "--format", "ntriples"], ["--help"], ["--version"]])
def test_a_failed_write_is_reported_not_lost(args):
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "sst_vocab", *args], stdout=full, stderr=subprocess.PIPE,
                              env=SUBPROCESS_ENV)
    assert proc.returncode == 2
    assert proc.stderr.decode() == "Error: cannot write the output: No space left on device\n"
    assert b"Traceback" not in proc.stderr


def test_closed_pipe_ends_quietly():
    proc = subprocess.run(f"'{sys.executable}' -m sst_vocab export --format ntriples | head -c 10", shell=True,
                          capture_output=True, env=SUBPROCESS_ENV)
    assert len(proc.stdout) == 10 and proc.stderr == b""


def _run_main(tmp_path, setup: str, *args: str) -> subprocess.CompletedProcess:
    script = textwrap.dedent(setup) + textwrap.dedent(f"""
        import sys
        sys.argv = ["sst-vocab", *{list(args)!r}]
        from sst_vocab.cli import main
        main()
        """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, env=SUBPROCESS_ENV, cwd=tmp_path)


def test_atexit_handlers_still_run(tmp_path):
    proc = _run_main(tmp_path, """
        import atexit
        atexit.register(lambda: open("atexit-ran", "w").write("yes"))
        """, "show", "no such concept at all")
    assert proc.returncode == 1
    assert (tmp_path / "atexit-ran").read_text() == "yes"


def test_a_running_thread_is_waited_for(tmp_path):
    proc = _run_main(tmp_path, """
        import threading, time
        def later():
            time.sleep(0.3)
            open("thread-done", "w").write("yes")
        threading.Thread(target=later).start()
        """, "tree")
    assert proc.returncode == 0 and b"Security" in proc.stdout
    assert (tmp_path / "thread-done").read_text() == "yes"


def test_help_and_version():
    helped, version = run_sst("--help"), run_sst("--version")
    assert helped.returncode == 0 and b"Usage: sst-vocab" in helped.stdout and b"show" in helped.stdout
    assert version.returncode == 0 and version.stdout.startswith(b"sst-vocab, version ")


def test_every_command_is_registered_under_its_own_name():
    import importlib

    from sst_vocab.cli import COMMANDS, cli

    for name, where in COMMANDS.items():
        module, function = where.split(":")
        command = getattr(importlib.import_module(f"sst_vocab.cli.{module}"), function)
        assert command.name == name, (name, where)
    import pkgutil

    import sst_vocab.cli

    modules = [m.name for m in pkgutil.iter_modules(sst_vocab.cli.__path__)]
    defined = {name for module in modules
               for name, obj in vars(importlib.import_module(f"sst_vocab.cli.{module}")).items()
               if isinstance(obj, __import__("click").Command)}
    assert {w.split(":")[1] for w in COMMANDS.values()} == defined  # no command left out of the registry
    assert sorted(COMMANDS) == cli.list_commands(None)


def test_a_lookup_loads_only_its_own_commands():
    code = textwrap.dedent("""
        import sys
        from click.testing import CliRunner
        from sst_vocab.cli import cli
        result = CliRunner().invoke(cli, ["show", "SSR"])
        assert result.exit_code == 0, result.output
        print(" ".join(sorted(m for m in sys.modules if m.startswith("sst_vocab.cli."))))
        """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=SUBPROCESS_ENV, check=True)
    assert proc.stdout.split() == ["sst_vocab.cli.lookups"]
