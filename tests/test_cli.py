"""The console-script entry point (cli.main): exit statuses, complete output, and its fast exit.

main() ends the process with os._exit once the command is done (skipping the
interpreter's tear-down); these tests run real processes to show that nothing is
lost by it: statuses, every byte of output, atexit handlers, running threads, and
write errors are reported instead of swallowed.
"""

from __future__ import annotations

import os
import subprocess
import textwrap

import pytest

from conftest import REAL_VOCABS, run_python, run_shell, run_sst, sst_shell_command


def test_exit_statuses_are_kept():
    ok, no = run_sst("show", "SSR"), run_sst("show", "no such concept at all")
    bad = run_sst("show", "SSR", "missing.ttl")
    assert (ok.returncode, no.returncode, bad.returncode) == (0, 1, 2)
    assert b"Security System Transformation" in ok.stdout
    assert bad.stderr.decode().strip() == "Error: missing.ttl: no such file or folder"


def test_large_output_to_a_pipe_is_complete():
    big = max(REAL_VOCABS, key=lambda p: p.stat().st_size)
    piped = run_sst("export", str(big), "--format", "ntriples")
    assert piped.returncode == 0 and piped.stderr == b""
    assert len(piped.stdout) > 1_000_000  # far beyond any pipe or stdio buffer
    import pyoxigraph as ox

    assert len(list(ox.parse(piped.stdout, format=ox.RdfFormat.N_TRIPLES))) == len(piped.stdout.splitlines())


def test_output_redirected_to_a_file_is_complete(tmp_path):
    out = tmp_path / "out.ttl"
    with out.open("wb") as f:
        proc = run_sst("export", "--format", "turtle", stdout=f, stderr=subprocess.PIPE)
    assert proc.returncode == 0
    written = tmp_path / "written.ttl"
    assert run_sst("export", "--format", "turtle", "--output", str(written)).returncode == 0
    assert out.read_bytes() == written.read_bytes() and out.stat().st_size > 10_000


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["tree"], ["export", "--format", "ntriples"], ["--help"], ["--version"]])
def test_a_failed_write_is_reported_not_lost(args):
    with open("/dev/full", "wb") as full:
        proc = run_sst(*args, stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 2
    assert proc.stderr.decode() == "Error: cannot write the output: No space left on device\n"
    assert b"Traceback" not in proc.stderr


def test_closed_pipe_ends_quietly():
    proc = run_shell(sst_shell_command("export", "--format", "ntriples") + " | head -c 10")
    assert len(proc.stdout) == 10 and proc.stderr == b""


def _run_main(tmp_path, setup: str, *args: str) -> subprocess.CompletedProcess:
    script = textwrap.dedent(setup) + textwrap.dedent(f"""
        import sys
        sys.argv = ["sst-vocab", *{list(args)!r}]
        from sst_vocab.cli import main
        main()
        """)
    return run_python("-c", script, cwd=tmp_path)


def test_atexit_handlers_still_run(tmp_path):
    proc = _run_main(
        tmp_path,
        """
        import atexit
        atexit.register(lambda: open("atexit-ran", "w").write("yes"))
        """,
        "show",
        "no such concept at all",
    )
    assert proc.returncode == 1
    assert (tmp_path / "atexit-ran").read_text() == "yes"


def test_a_running_thread_is_waited_for(tmp_path):
    proc = _run_main(
        tmp_path,
        """
        import threading, time
        def later():
            time.sleep(0.3)
            open("thread-done", "w").write("yes")
        threading.Thread(target=later).start()
        """,
        "tree",
    )
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
    defined = {
        name
        for module in modules
        for name, obj in vars(importlib.import_module(f"sst_vocab.cli.{module}")).items()
        if isinstance(obj, __import__("click").Command)
    }
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
    proc = run_python("-c", code, text=True, check=True)
    assert proc.stdout.split() == ["sst_vocab.cli.lookups"]


# --- one input convention, shared options, choices from the library ---


def _commands():
    from sst_vocab.cli import COMMANDS, cli

    return {name: cli.get_command(None, name) for name in COMMANDS}


#: The commands that read a vocabulary from files.  diff compares two (OLD and NEW, files, folders or
#: git revisions); every other one of these takes [PATH]... and the hidden --vocab alias.
READS_VOCABULARY = {
    "validate",
    "export",
    "release",
    "publish",
    "fmt",
    "add",
    "deprecate",
    "review",
    "query",
    "show",
    "search",
    "tree",
    "docs",
    "serve",
    "reconcile",
    "redirects",
}


def test_every_command_that_reads_a_vocabulary_takes_paths_as_arguments():
    import click

    for name, command in _commands().items():
        arguments = {p.name: p for p in command.params if isinstance(p, click.Argument)}
        options = {o: p for p in command.params if isinstance(p, click.Option) for o in p.opts}
        if name in READS_VOCABULARY:
            assert "paths" in arguments and arguments["paths"].nargs == -1, name
            assert options["--vocab"].hidden, name  # still accepted, not advertised
        else:
            assert "paths" not in arguments and "--vocab" not in options, name


def test_every_format_choice_is_the_library_registry():
    """No list of formats is copied into cli/: each --format offers exactly what the library renders."""
    import click

    from sst_vocab import diff, export, query, render, review

    registries = {
        "validate": render.FINDINGS_FORMATS,
        "export": export.FORMATS,
        "query": query.FORMATS,
        "diff": render.DIFF_FORMATS,
        "review": render.REVIEW_FORMATS,
    }
    offered = {
        name: tuple(p.type.choices)
        for name, command in _commands().items()
        for p in command.params
        if isinstance(p, click.Option) and "--format" in p.opts
    }
    assert offered == {name: tuple(formats) for name, formats in registries.items()}
    assert all(callable(getattr(diff, f"render_{f}")) for f in render.DIFF_FORMATS)
    assert all(callable(getattr(review, f"render_{f}")) for f in render.REVIEW_FORMATS)


def test_commands_are_named_after_their_verb():
    from sst_vocab.cli import COMMANDS

    assert all(where.endswith(f":{name}_command") for name, where in COMMANDS.items())


def test_shared_options_read_the_same_everywhere():
    """--output, --port, --host, --site-url, --base and --force: one definition each, so one help text each."""
    import click

    helps: dict[str, set] = {}
    for command in _commands().values():
        for p in command.params:
            if isinstance(p, click.Option) and p.opts[0] in ("--port", "--host", "--base"):
                helps.setdefault(p.opts[0], set()).add((p.help, p.default))
    assert helps and all(len(h) == 1 for h in helps.values()), helps


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{v}", "--format", "ntriples"],
        ["validate", "{v}"],
        ["show", "Alpha", "{v}"],
        ["search", "alpha", "{v}"],
        ["tree", "{v}"],
        ["query", "--sparql", "SELECT ?c WHERE {{ ?c a skos:Concept }}", "{v}", "--format", "csv"],
        ["redirects", "{v}", "--site-url", "https://example.org/s/"],
    ],
)
def test_paths_as_arguments_and_the_old_vocab_option_give_the_same(args, invoke, tiny_vocab):
    v = tiny_vocab
    positional = invoke(*[a.format(v=v) for a in args])
    rest = [a for a in args if a != "{v}"]
    old = invoke(*[a.format(v=v) for a in rest], "--vocab", str(v))
    assert positional.exit_code == old.exit_code and positional.exit_code in (0, 1), positional.output
    assert positional.stdout == old.stdout
    assert "Alpha" in positional.stdout or "example.org/v/" in positional.stdout  # the file given was read
    assert old.stderr == positional.stderr  # the alias is silent: scripts that use it see no change


def test_vocab_is_hidden_from_help(invoke):
    for name in ("export", "show", "publish", "docs"):
        helped = invoke(name, "--help").stdout
        assert "--vocab" not in helped and "[PATH]..." in helped, name


def test_tree_takes_an_existing_path_as_its_first_argument(invoke, tiny_vocab):
    v = tiny_vocab
    assert invoke("tree", str(v)).stdout == invoke("tree", "--vocab", str(v)).stdout
    assert invoke("tree", "Alpha", str(v)).stdout.startswith("Alpha")


def test_a_library_error_gets_the_commands_own_spelling_of_the_option(invoke, canary):
    base, hits = canary
    result = invoke("publish", "--store", base + "/somewhere")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot tell the SPARQL query endpoint")
    assert result.stderr.rstrip().endswith("(--query-endpoint URL)") and hits == []
