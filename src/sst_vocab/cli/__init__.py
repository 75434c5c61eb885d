"""The ``sst-vocab`` command line: thin commands, each calling one library function.

The commands live in one module per concern (``data``, ``editing``, ``lookups``,
``website``) and are loaded only when named (:data:`COMMANDS`): a lookup does not
pay for building the options of fifteen commands.  Heavy libraries (pyoxigraph,
rdflib, pyshacl) are imported inside the commands that need them, so ``--help`` and
lookups start fast.
"""

from __future__ import annotations

import sys

import click

from ..errors import VocabError

__all__ = ["cli", "main"]


# Parameter types are shared: each click.Path asks gettext for its name when created,
# which looks for translation files on disk (about 0.15 ms each, at every start-up).
ANY_PATH = click.Path(path_type=str, readable=False)
FILE_PATH = click.Path(path_type=str, dir_okay=False, writable=False)
DIR_PATH = click.Path(path_type=str, file_okay=False, writable=False)


class InputError(click.ClickException):
    """Bad input: printed as ``Error: FILE:LINE: message``, exit 2."""

    exit_code = 2


#: Every command: its name -> "module:function" in this package, imported when the command is used.
COMMANDS = {
    "validate": "data:validate",
    "export": "data:export",
    "release": "data:release",
    "publish": "data:publish",
    "fmt": "editing:fmt_command",
    "add": "editing:add_command",
    "deprecate": "editing:deprecate_command",
    "diff": "editing:diff_command",
    "review": "editing:review_command",
    "lsp": "editing:lsp_command",
    "queries": "lookups:queries_command",
    "query": "lookups:query_command",
    "show": "lookups:show_command",
    "search": "lookups:search_command",
    "tree": "lookups:tree_command",
    "completion": "shell:completion_command",
    "docs": "website:docs",
    "serve": "website:serve",
    "reconcile": "website:reconcile_command",
    "redirects": "website:redirects",
}


class VocabGroup(click.Group):
    """The command group: loads its commands from :data:`COMMANDS` on demand; maps errors to exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            import importlib

            module, function = COMMANDS[name].split(":")
            self.add_command(getattr(importlib.import_module(f"{__name__}.{module}"), function), name)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint} (sst-vocab --help lists the commands)")
        return super().resolve_command(ctx, args)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:  # no arguments: the help, and success
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except VocabError as exc:
            raise InputError(str(exc)) from exc
        except BrokenPipeError:  # `sst-vocab ... | head`
            sys.stderr.close()
            ctx.exit(0)


def os_error_message(exc: OSError) -> str:
    """One line for an operating-system error: ``FILE: reason``, or what failed and why."""
    import errno

    reason = exc.strerror or str(exc)
    if exc.filename:
        return f"{exc.filename}: {reason}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        return f"cannot write the output: {reason}"
    return reason


class _StatusLine:
    """Progress drawn as one line on standard error, redrawn in place and erased at the end.

    Drawn only when standard error is a terminal, and only once the work has taken
    longer than ``SST_VOCAB_PROGRESS_DELAY`` seconds (default 1): quick commands and
    pipes (CI logs) get no extra output at all.
    """

    def __init__(self, stream) -> None:
        import os
        import time

        self.stream = stream
        self.started = time.monotonic()
        try:
            self.delay = float(os.environ.get("SST_VOCAB_PROGRESS_DELAY", "1"))
        except ValueError:
            self.delay = 1.0
        self.last = 0.0
        self.stage = ""
        self.drawn = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        import shutil
        import time

        now = time.monotonic()
        if now - self.started < self.delay:
            return
        # A new stage is always shown; within a stage, at most ten redraws a second (and the last).
        if self.drawn and stage == self.stage and now - self.last < 0.1 and done != total:
            return
        self.last = now
        self.stage = stage
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        elapsed = f"{now - self.started:.0f} s"
        if total:
            filled = int(20 * min(done, total) / total)
            text = f"[{'#' * filled}{'-' * (20 - filled)}] {done:,}/{total:,} {stage}  {elapsed}"
        else:
            text = f"{stage} ...  {elapsed}"
        self.stream.write("\r\x1b[K" + text[:width])
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def terminal_progress():
    """A ``with`` block whose library work shows progress on standard error, if it is a terminal."""
    import contextlib

    from ..progress import reporting

    stream = sys.stderr
    try:
        interactive = stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive:
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def drawing():
        line = _StatusLine(stream)
        try:
            with reporting(line):
                yield
        finally:
            line.close()

    return drawing()


# --- shell completion (cheap: names read from the files with a regular expression, nothing parsed) ---


def _vocab_texts() -> list[str]:
    import os

    from ..loader import default_vocab

    folder = default_vocab()
    texts = []
    for base, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".ttl"):
                try:
                    with open(os.path.join(base, name), encoding="utf-8", errors="replace") as f:
                        texts.append(f.read())
                except OSError:
                    pass
    return texts


def complete_query(ctx, param, incomplete: str) -> list[str]:
    """Named query names, for ``query NAME`` and ``queries NAME``."""
    import os

    from ..resources import data_dir

    try:
        names = sorted(n[:-3] for n in os.listdir(data_dir("queries")) if n.endswith(".rq"))
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []
    return [n for n in names if n.startswith(incomplete)]


def complete_office(ctx, param, incomplete: str) -> list[str]:
    """Office acronyms (the agents' sdo:alternateName), for ``review --agency``."""
    import re

    found = set()
    for text in _vocab_texts():
        found.update(re.findall(r'sdo:alternateName\s+"([^"]+)"', text))
    return sorted(a for a in found if a.lower().startswith(incomplete.lower()))


def complete_concept(ctx, param, incomplete: str) -> list[str]:
    """Concept CURIEs (``sst:...`` subjects of the vocabulary's blocks)."""
    import re

    found = set()
    for text in _vocab_texts():
        found.update(re.findall(r"(?m)^(sst:[\w.-]*\w)\s*$", text))
    return sorted(c for c in found if c.startswith(incomplete))


def vocab_paths_argument(f):
    return click.argument("paths", nargs=-1, type=ANY_PATH)(f)


BASE_HELP = ("Resolve relative IRIs in the files against this IRI (default: each file's own file:// IRI; "
             "an @base in a file still applies).")


def base_option(f):
    """``--base IRI`` for a command that reads files: the files are read with that base IRI."""
    import functools

    @functools.wraps(f)
    def with_base(*args, base: str | None = None, **kwargs):
        if base is None:
            return f(*args, **kwargs)
        from ..reading import check_base, using_base

        with using_base(check_base(base)):
            return f(*args, **kwargs)

    return click.option("--base", metavar="IRI", default=None, help=BASE_HELP)(with_base)


@click.group(cls=VocabGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sst-vocab", prog_name="sst-vocab")
def cli() -> None:
    """The security system transformation vocabulary (USIP roundtable, 2006) and its tools.

    Exit codes: 0 yes/ok, 1 the answer is no (violations, differences, no match),
    2 bad input.
    """


def main() -> None:
    """Console-script entry point: run the command, then end the process at once.

    Once the command has returned (or exited through click), its output is flushed
    and the process ends with ``os._exit``, after running the ``atexit`` handlers:
    the interpreter's own tear-down (freeing every module and object one by one)
    costs 15-20 ms, as much as a lookup's whole work, and nothing needs it, since
    the library closes every file it writes before returning (``files.write_atomic``).
    If another non-daemon thread is still running, or the command ended with an
    uncaught exception, the normal exit is kept.  Because the process ends with the
    command, a query that overruns its ``--timeout`` can be left in a thread
    (:data:`sst_vocab.runtime.ends_after_command`) instead of a forked child.
    """
    from .. import runtime

    runtime.ends_after_command = True
    try:
        cli.main(prog_name="sst-vocab")
    except SystemExit as exc:
        _exit_now(exc.code)
    except OSError as exc:  # e.g. the output (of a command, or of --help) goes to a full disk
        _exit_now(f"Error: {os_error_message(exc)}", status=2)
    _exit_now(0)  # pragma: no cover - click's standalone mode always raises SystemExit


def _exit_now(code: object, status: int = 1) -> None:
    """End the process with ``code`` (an exit status, or a message printed to stderr with ``status``)."""
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"), as the interpreter would report it
        try:
            print(code, file=sys.stderr)
        except OSError:
            pass
    threading = sys.modules.get("threading")
    if threading is not None and any(t.is_alive() and not t.daemon for t in threading.enumerate()
                                     if t is not threading.main_thread()):
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except BrokenPipeError:  # `sst-vocab ... | head`: the reader has gone, which is fine
            pass
        except OSError as exc:  # e.g. a full disk behind a redirect: one line, exit 2
            try:
                sys.stderr.write(f"Error: {os_error_message(exc)}\n")
                sys.stderr.flush()
            except OSError:
                pass
            status = 2
    os._exit(status)
