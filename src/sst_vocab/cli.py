"""The ``sst-vocab`` command line: thin commands, each calling one library function.

Heavy libraries (pyoxigraph, rdflib, pyshacl) are imported inside the commands that
need them, so ``--help`` and lookups start fast.
"""

from __future__ import annotations

import sys

import click

from .errors import VocabError

__all__ = ["cli", "main"]


class InputError(click.ClickException):
    """Bad input: printed as ``Error: FILE:LINE: message``, exit 2."""

    exit_code = 2


class VocabGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except VocabError as exc:
            raise InputError(str(exc)) from exc
        except BrokenPipeError:  # `sst-vocab ... | head`
            sys.stderr.close()
            ctx.exit(0)


def vocab_paths_argument(f):
    return click.argument("paths", nargs=-1, type=click.Path(path_type=str, readable=False))(f)


@click.group(cls=VocabGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sst-vocab", prog_name="sst-vocab")
def cli() -> None:
    """The security system transformation vocabulary (USIP roundtable, 2006) and its tools.

    Exit codes: 0 yes/ok, 1 the answer is no (violations, differences, no match),
    2 bad input.
    """


@cli.command()
@vocab_paths_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="text: one line per finding; json: a list; turtle: the SHACL report graph.")
@click.option("--shapes", "shapes", multiple=True, type=click.Path(path_type=str, readable=False),
              help="Shapes files or folders to use instead of the shipped shapes/.")
@click.option("--engine", type=click.Choice(["fast", "pyshacl"]), default="fast", show_default=True,
              help="fast: shapes compiled to SPARQL on pyoxigraph; pyshacl: the reference engine (slow).")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[str, ...], fmt: str, shapes: tuple[str, ...], engine: str) -> None:
    """Check Turtle files (or folders of *.ttl) against the SKOS quality shapes.

    With no PATHS, the shipped vocabulary.  Exit 0 when it conforms (warnings
    allowed), 1 on any violation, 2 when the input cannot be read.

    Example:

    \b
        sst-vocab validate
        sst-vocab validate vocab/actors.ttl --format json
    """
    from . import render
    from .validate import validate as run_validate

    report = run_validate(paths or None, shapes=shapes or None, engine=engine, with_report_graph=fmt == "turtle")
    if fmt == "json":
        click.echo(render.findings_json(report), nl=False)
    elif fmt == "turtle":
        click.echo(report.report_turtle, nl=False)
    else:
        click.echo(render.findings_text(report), nl=False)
    ctx.exit(0 if report.conforms else 1)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="sst-vocab")
