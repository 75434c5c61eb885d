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
    "diff": "editing:diff_command",
    "review": "editing:review_command",
    "lsp": "editing:lsp_command",
    "queries": "lookups:queries_command",
    "query": "lookups:query_command",
    "show": "lookups:show_command",
    "search": "lookups:search_command",
    "tree": "lookups:tree_command",
    "docs": "website:docs",
    "serve": "website:serve",
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


def vocab_paths_argument(f):
    return click.argument("paths", nargs=-1, type=ANY_PATH)(f)


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
