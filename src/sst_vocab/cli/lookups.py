"""Commands that answer questions: queries, query, show, search, tree."""

from __future__ import annotations

import sys

import click

from . import base_option, complete_concept, complete_query, format_option, path_or_term, paths_argument


def _lookup_options(timeout_help: str, default: float | None):
    def decorate(f):
        f = click.option("--timeout", type=click.FloatRange(min=0), default=default, metavar="S", help=timeout_help)(f)
        f = click.option(
            "--no-cache",
            "no_cache",
            is_flag=True,
            help="Parse the Turtle files even when a current cached copy exists (large "
            "vocabularies are cached under $XDG_CACHE_HOME/sst-vocab).",
        )(f)
        f = click.option(
            "--graph",
            metavar="IRI",
            help="With --endpoint: query this named graph (sent as default-graph-uri), e.g. the "
            "version IRI that `sst-vocab publish` put the vocabulary in.",
        )(f)
        f = click.option(
            "--endpoint", metavar="URL", help="Ask this SPARQL 1.1 endpoint instead of loading Turtle files."
        )(f)
        return paths_argument(f)

    return decorate


_QUERY_TIMEOUT = "Stop a query still running after S seconds (default 5; 0: no limit)."
_LOOKUP_TIMEOUT = (
    "Stop after S seconds (default: no limit for the local vocabulary, whose lookups are our "
    "own linear queries; 5 s per request to an endpoint)."
)


def _width() -> int:
    import os

    try:
        if sys.stdout.isatty():
            return max(60, min(120, os.get_terminal_size(sys.stdout.fileno()).columns))
    except (OSError, ValueError, AttributeError):
        pass
    return 88


def _isolation() -> str:
    """How time-limited work runs apart: in a thread when the process ends with the command
    (:func:`sst_vocab.cli.main`), else (the commands called in another program's process) in a
    forked child, so that nothing keeps running there."""
    from . import ends_after_command

    return "thread" if ends_after_command() else "process"


def _call(fn, *args, **kwargs):
    """``fn(...)``, its errors in the command line's words: the query text is ``(--sparql)``, an example
    names its option (``Example: --bind concept=sst:security``); the options at fault are hinted by the group
    (:func:`sst_vocab.cli.with_option_hint`)."""
    from ..errors import VocabError
    from ..query.common import QUERY_TEXT, ArgumentError

    if kwargs.get("graph") is not None and not kwargs.get("endpoint"):
        raise VocabError(
            "--graph applies to --endpoint only: a local vocabulary is one graph (give its files as PATH arguments)"
        )
    try:
        return fn(*args, isolation=_isolation(), **kwargs)
    except VocabError as exc:
        from . import spelling

        path = "(--sparql)" if exc.path == QUERY_TEXT else exc.path
        options = tuple("name" if a == "spec" else a for a in exc.options)  # query's `spec` is the NAME argument
        message = exc.message
        example = exc.example if isinstance(exc, ArgumentError) else None
        if example and options:
            flag = spelling(click.get_current_context().command, options[0], flag_only=True)
            message += f" Example: {flag} {example}"
            options = ()
        if (path, message, options) == (exc.path, exc.message, exc.options):
            raise
        raise VocabError(message, path, exc.line, options=options) from None


def _default_graph_note(graphs: tuple[str, ...] | None) -> str:
    """Advice when nothing was found because an endpoint's default graph is empty."""
    if graphs is None:
        return ""
    note = (
        "The endpoint's default graph is empty, so nothing was found. A vocabulary published with "
        "`sst-vocab publish` is in a named graph (its version IRI): name it with --graph IRI."
    )
    if graphs:
        shown = ", ".join(f"<{g}>" for g in graphs[:5]) + (", ..." if len(graphs) > 5 else "")
        note += f" Graphs with SKOS concepts there: {shown}; for example --graph {graphs[0]}"
    return note + "\n"


def _emit(ctx: click.Context, found, texts: tuple[str, str]) -> None:
    """A lookup's answer: its text, what is missing and any advice on standard error, exit 0 or 1 (no match)."""
    out, err = texts
    click.echo(out, nl=False)
    err += _default_graph_note(found.empty_default_graph)
    if err:
        click.echo(err, nl=False, err=True)
    ctx.exit(0 if found.found else 1)


@click.command("queries")
@click.argument("name", required=False, shell_complete=complete_query)
def queries_command(name: str | None) -> None:
    """List the named queries in queries/, or describe one (parameters, columns).

    Example:

    \b
        sst-vocab queries
        sst-vocab queries narrower
    """
    from .. import render
    from ..query import find, library

    click.echo(render.query_help(find(name)) if name else render.query_list(list(library().values())), nl=False)


@click.command("query")
@click.argument("name", required=False, metavar="[NAME|FILE.rq]", shell_complete=complete_query)
@click.option("--sparql", metavar="TEXT", help="Run this query text instead ('-': read it from standard input).")
@click.option(
    "--bind",
    "binds",
    multiple=True,
    metavar="VAR=VALUE",
    help="Set a parameter (repeatable): an IRI (http:, https:, urn:, <...>) or a CURIE with a known "
    "prefix binds as an IRI, anything else as a plain literal.",
)
@format_option(
    "query:FORMATS",
    None,
    "SELECT results: table (the default, for people; long values cut), csv, tsv, "
    "json (SPARQL 1.1 results formats, exact), markdown.",
)
@_lookup_options(_QUERY_TIMEOUT, 5.0)
@click.pass_context
@base_option
def query_command(
    ctx: click.Context,
    name: str | None,
    sparql: str | None,
    binds: tuple[str, ...],
    fmt: str | None,
    paths: tuple[str, ...],
    endpoint: str | None,
    graph: str | None,
    no_cache: bool,
    timeout: float,
) -> None:
    """Run a named query, a query file or --sparql TEXT, read-only, on the vocabulary.

    PATH: Turtle files or folders to query (default: vocab/ of the current
    directory, else the shipped vocabulary); with --sparql, a first argument
    that names an existing file or folder is a PATH too.

    SELECT prints a table (or --format); ASK prints true or false and exits 0 or
    1; CONSTRUCT and DESCRIBE print Turtle.  Updates, SERVICE, FROM and LOAD are
    refused before anything runs or is sent.  Exit 2 for a bad query or input.

    Example:

    \b
        sst-vocab query narrower --bind concept=sst:security-system
        sst-vocab query search --bind text=oversight --format csv
        sst-vocab query --sparql 'SELECT ?c WHERE { ?c a skos:Concept }' --format json
        sst-vocab query drafts --endpoint http://localhost:7878/query
    """
    from ..errors import VocabError
    from ..query import execute
    from ..render_lookup import query_result

    if sparql is not None:
        name, paths = path_or_term(name, paths)
    if sparql == "-":
        sparql = sys.stdin.read()
    result = _call(
        execute,
        name,
        sparql,
        binds,
        paths=paths or None,
        endpoint=endpoint,
        timeout=timeout,
        graph=graph,
        cache=not no_cache,
    )
    if result.form in ("CONSTRUCT", "DESCRIBE") and fmt not in (None, "table"):
        raise VocabError(f"--format {fmt} is for SELECT results; {result.form} results are printed as Turtle")
    click.echo(query_result(result, fmt or "table", width=_width()), nl=False)  # bytes, as they are (CSV: CRLF)
    note = _default_graph_note(result.empty_default_graph)
    if note:
        click.echo(note, nl=False, err=True)
    ctx.exit(1 if result.boolean is False else 0)


@click.command("show")
@click.argument("term", shell_complete=complete_concept)
@_lookup_options(_LOOKUP_TIMEOUT, None)
@click.pass_context
@base_option
def show_command(
    ctx: click.Context,
    term: str,
    paths: tuple[str, ...],
    endpoint: str | None,
    graph: str | None,
    no_cache: bool,
    timeout: float,
) -> None:
    """Everything about one concept, laid out for reading.

    TERM is a label or alternative label in any case (SSR), a notation, an IRI, a
    CURIE (sst:security) or the last segment of an IRI.  Exit 1, with close
    matches, when nothing matches.

    Example:

    \b
        sst-vocab show SSR
        sst-vocab show "civil management and oversight bodies"
    """
    from ..lookup import show
    from ..render_lookup import shown_text

    shown = _call(show, term, paths=paths or None, endpoint=endpoint, timeout=timeout, graph=graph, cache=not no_cache)
    _emit(ctx, shown, shown_text(shown, _width()))


@click.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most N concepts.")
@_lookup_options(_LOOKUP_TIMEOUT, None)
@click.pass_context
@base_option
def search_command(
    ctx: click.Context,
    text: str,
    limit: int,
    paths: tuple[str, ...],
    endpoint: str | None,
    graph: str | None,
    no_cache: bool,
    timeout: float,
) -> None:
    """Concepts whose labels, notations or definitions contain TEXT, best matches first.

    Any case, any language.  Exit 1, with close matches, when nothing matches.

    Example:

    \b
        sst-vocab search oversight
    """
    from ..lookup import search
    from ..render_lookup import found_text

    found = _call(
        search,
        text,
        paths=paths or None,
        endpoint=endpoint,
        timeout=timeout,
        limit=limit,
        graph=graph,
        cache=not no_cache,
    )
    _emit(ctx, found, found_text(found, _width()))


@click.command("tree")
@click.argument("term", required=False, shell_complete=complete_concept)
@click.option("--depth", type=click.IntRange(min=1), default=None, help="Draw at most N levels below each root.")
@click.option("--iris", is_flag=True, help="Print each concept's CURIE or IRI after its label.")
@click.option("--all", "show_all", is_flag=True, help="Also draw deprecated concepts (marked).")
@_lookup_options(_LOOKUP_TIMEOUT, None)
@click.pass_context
@base_option
def tree_command(
    ctx: click.Context,
    term: str | None,
    depth: int | None,
    iris: bool,
    show_all: bool,
    paths: tuple[str, ...],
    endpoint: str | None,
    graph: str | None,
    no_cache: bool,
    timeout: float,
) -> None:
    """The concept hierarchy as an indented tree: from the top concepts, or from TERM.

    Deprecated concepts are left out unless --all.  A first argument that
    names an existing file or folder is a PATH, not a TERM.

    Example:

    \b
        sst-vocab tree
        sst-vocab tree "security system actors" --depth 1
    """
    from ..lookup import tree
    from ..render_lookup import tree_text

    term, paths = path_or_term(term, paths)
    drawn = _call(
        tree,
        term,
        paths=paths or None,
        endpoint=endpoint,
        timeout=timeout,
        depth=depth,
        show_all=show_all,
        graph=graph,
        cache=not no_cache,
    )
    _emit(ctx, drawn, tree_text(drawn, iris))
