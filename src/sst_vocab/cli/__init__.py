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
    "validate": "data:validate_command",
    "export": "data:export_command",
    "release": "data:release_command",
    "publish": "data:publish_command",
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
    "docs": "website:docs_command",
    "serve": "website:serve_command",
    "reconcile": "website:reconcile_command",
    "redirects": "website:redirects_command",
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
            raise InputError(
                with_option_hint(str(exc), exc.options, self.get_command(ctx, ctx.invoked_subcommand or ""))
            ) from exc
        except BrokenPipeError:  # `sst-vocab ... | head`
            sys.stderr.close()
            ctx.exit(0)


def spelling(command: click.Command, name: str, *, flag_only: bool = False) -> str | None:
    """How ``command`` spells its parameter ``name``: ``--graph IRI``, ``--force``, ``--bump major|minor|patch``,
    ``PATH arguments``; just the flag with ``flag_only``; None when it has no such (visible) parameter."""
    for p in command.params:
        if p.name != name or (isinstance(p, click.Option) and p.hidden):
            continue
        if isinstance(p, click.Argument):  # [PATH]... -> PATH arguments
            what = (p.metavar or (p.name or "").upper()).strip("[].")
            return f"{what} argument" + ("s" if p.nargs != 1 else "")
        assert isinstance(p, click.Option)
        flag = max(p.opts, key=len)
        if p.is_flag or flag_only:
            return flag
        if isinstance(p.type, click.Choice):
            return f"{flag} {'|'.join(map(str, p.type.choices))}"
        return f"{flag} {p.metavar or p.type.name.upper()}"
    return None


def with_option_hint(message: str, options: tuple[str, ...], command: click.Command | None) -> str:
    """``message`` with the command's options for the library parameters ``options`` added (``(--graph IRI)``).

    Library messages name no command-line flag (the library has callers other than
    this command line); the error names the parameters that would fix it, and this
    adds how the command spells them, before a final full stop.
    """
    if not options or command is None:
        return message
    hints = [h for h in (spelling(command, name) for name in options) if h]
    if not hints:
        return message
    hint = f" ({' or '.join(hints)})"
    return message[:-1] + hint + "." if message.endswith(".") else message + hint


def echo_both(out: str, err: str) -> None:
    """A renderer's (standard output, standard error) text, each as it is."""
    click.echo(out, nl=False)
    click.echo(err, nl=False, err=True)


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


# --- shared options: one definition of each, used by every command that has it ---


def paths_argument(f):
    """``[PATH]...``: the Turtle files or folders to read, positional, on every command that reads a vocabulary.

    ``--vocab PATH`` (repeatable), the older spelling of some commands, still works, hidden
    from the help, and silent: a deprecation note on standard error would break the scripts
    and cron jobs that treat any output there as a failure (and the tests that assert a
    clean run prints nothing there), for an option whose meaning has not changed.  The
    README marks it deprecated; paths given both ways are read together.
    """
    import functools

    @functools.wraps(f)
    def with_paths(*args, paths: tuple[str, ...] = (), vocab_alias: tuple[str, ...] = (), **kwargs):
        return f(*args, paths=(*paths, *vocab_alias), **kwargs)

    with_paths = click.option("--vocab", "vocab_alias", multiple=True, type=ANY_PATH, hidden=True)(with_paths)
    return click.argument("paths", nargs=-1, type=ANY_PATH, metavar="[PATH]...")(with_paths)


def path_or_term(term: str | None, paths: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """For ``COMMAND [TERM] [PATH]...``: a first argument that names an existing file or folder is a path."""
    import os

    if term is not None and os.path.exists(term):
        return None, (term, *paths)
    return term, paths


class LibraryChoice(click.Choice):
    """The choices of an option: a registry of the library (``"export:FORMATS"``), read when first needed.

    Defining a command then imports nothing: ``sst-vocab --help`` builds every command
    but shows no choices, and need not import the modules that hold them.
    """

    def __init__(self, registry: str) -> None:
        self.registry = registry
        self._choices: tuple[str, ...] | None = None
        super().__init__(())

    @property
    def choices(self) -> tuple[str, ...]:
        if self._choices is None:
            import importlib

            module, name = self.registry.split(":")
            self._choices = tuple(getattr(importlib.import_module(f"sst_vocab.{module}"), name))
        return self._choices

    @choices.setter
    def choices(self, value) -> None:  # click.Choice.__init__ assigns the (empty) list given to it
        pass


def format_option(registry: str, default: str | None, help: str):
    """``--format``: the choices are the library's own registry of formats (``"query:FORMATS"``; tests/test_cli.py
    checks that every --format takes one)."""
    return click.option(
        "--format", "fmt", type=LibraryChoice(registry), default=default, show_default=default is not None, help=help
    )


def output_option(folder: bool = False, required: bool = False, help: str | None = None):
    """``--output/-o``: a file written atomically (default: standard output), or a folder."""
    return click.option(
        "--output",
        "-o",
        type=DIR_PATH if folder else FILE_PATH,
        required=required,
        help=help or "Write to FILE (atomically) instead of standard output.",
    )


def force_option(help: str):
    """``--force``: go on despite what would stop the command (the help says what)."""
    return click.option("--force", is_flag=True, help=help)


def listen_options(f):
    """``--port`` and ``--host`` of the commands that run a server."""
    f = click.option(
        "--host",
        default="127.0.0.1",
        show_default=True,
        help="Address to listen on; the default answers this machine only.",
    )(f)
    return click.option(
        "--port",
        type=click.IntRange(0, 65535),
        default=8000,
        show_default=True,
        help="Port to listen on (0: any free port).",
    )(f)


def site_url_option(help: str, required: bool = False):
    """``--site-url URL``: where the site built by ``sst-vocab docs`` is published."""
    return click.option("--site-url", metavar="URL", required=required, help=help)


BASE_HELP = (
    "Resolve relative IRIs in the files against this IRI (default: each file's own file:// IRI; "
    "an @base in a file still applies)."
)


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


_ENDS_AFTER_COMMAND = False


def ends_after_command() -> bool:
    """True when the process ends as soon as the command returns (:func:`main`, the ``sst-vocab``
    command line); False when the commands are called in another program's process (tests, scripts)."""
    return _ENDS_AFTER_COMMAND


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
    (:func:`ends_after_command`) instead of a forked child.
    """
    global _ENDS_AFTER_COMMAND
    _ENDS_AFTER_COMMAND = True
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
    if threading is not None and any(
        t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()
    ):
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
