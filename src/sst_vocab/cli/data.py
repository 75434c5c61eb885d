"""Commands that read the vocabulary whole: validate, export, release, publish."""

from __future__ import annotations

import sys

import click

from . import (
    ANY_PATH,
    base_option,
    echo_both,
    force_option,
    format_option,
    output_option,
    paths_argument,
    terminal_progress,
)


@click.command("validate")
@paths_argument
@format_option(
    "render:FINDINGS_FORMATS", "text", "text: one line per finding; json: a list; turtle: the SHACL report graph."
)
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    type=ANY_PATH,
    help="Shapes files or folders to use instead of the shipped shapes/ (then only they run, "
    "not the built-in checks LIT-01, FILE-01, REL-06).",
)
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: shapes compiled to SPARQL on pyoxigraph; pyshacl: the reference engine (slow).",
)
@click.option(
    "--min-severity",
    type=click.Choice(["info", "warning", "violation"]),
    default=None,
    help="text and json: list only findings this severe or more (the summary still counts all). "
    "Default: every finding, with the Infos of each rule in one line (all of them with info).",
)
@click.option("--verbose", "-v", is_flag=True, help="text: list every Info finding instead of one line per rule.")
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info"]),
    default="violation",
    show_default=True,
    help="Exit 1 when a finding is this severe or more (warning: a strict check).",
)
@click.pass_context
@base_option
def validate_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str,
    shapes: tuple[str, ...],
    engine: str,
    min_severity: str | None,
    verbose: bool,
    fail_on: str,
) -> None:
    """Check Turtle files (or folders of *.ttl) against the SKOS quality shapes.

    With no PATH, the vocab/ folder of the current directory (else the
    shipped vocabulary).  Each finding names the value at fault and its line.
    The Infos of a rule are summarised in one line unless --verbose or
    --min-severity info.  Exit 0 when it conforms (warnings allowed, unless
    --fail-on warning), 1 on any violation, 2 when the input cannot be read.

    Example:

    \b
        sst-vocab validate
        sst-vocab validate vocab/actors.ttl --format json
        sst-vocab validate --min-severity warning --fail-on warning
    """
    from .. import render
    from ..validate import validate as run_validate

    with terminal_progress():
        report = run_validate(paths or None, shapes=shapes or None, engine=engine, with_report_graph=fmt == "turtle")
    for note in report.notes:
        click.echo(f"warning: {note}", err=True)
    if fmt == "json":
        click.echo(render.findings_json(report, min_severity or "info"), nl=False)
    elif fmt == "turtle":
        click.echo(report.report_turtle, nl=False)
    else:
        click.echo(
            render.findings_text(
                report, min_severity or "info", fail_on, summarise_infos=not verbose and min_severity is None
            ),
            nl=False,
        )
    ctx.exit(0 if report.passes(fail_on) else 1)


@click.command("export")
@paths_argument
@format_option(
    "export:FORMATS",
    "jsonld",
    "jsonld: compact, with the published context; turtle, ntriples, rdfxml: the same graph; csv: one row per concept.",
)
@output_option()
@click.option(
    "--context-url",
    metavar="URL",
    help='jsonld only: write "@context": URL instead of embedding the context (never fetched).',
)
@click.option(
    "--spreadsheet-safe",
    is_flag=True,
    help="csv only: put ' before a cell that begins with = + - @ (or a tab), so spreadsheets show it "
    "as text instead of running it as a formula.",
)
@base_option
def export_command(
    paths: tuple[str, ...], fmt: str, output: str | None, context_url: str | None, spreadsheet_safe: bool
) -> None:
    """Write the vocabulary as JSON-LD, Turtle, N-Triples, RDF/XML or CSV.

    PATH: Turtle files or folders to export (default: vocab/ of the current
    directory, else the shipped vocabulary).  The output is deterministic: the same input gives the same bytes.  Nothing
    is fetched (not owl:imports, not the context URL).

    Example:

    \b
        sst-vocab export > sst-vocab.jsonld
        sst-vocab export --format turtle --output sst-vocab.ttl
        sst-vocab export other.ttl --format csv --spreadsheet-safe
    """
    from ..export import export as run_export
    from ..files import write_atomic

    if context_url is not None and fmt != "jsonld":
        raise click.UsageError("--context-url applies to --format jsonld only")
    if spreadsheet_safe and fmt != "csv":
        raise click.UsageError("--spreadsheet-safe applies to --format csv only")
    with terminal_progress():
        data = run_export(paths or None, fmt, context_url=context_url, spreadsheet_safe=spreadsheet_safe)
    if output:
        write_atomic(output, data)
    else:
        stream = getattr(sys.stdout, "buffer", None)  # bytes as they are: UTF-8, CRLF in CSV kept
        if stream is None:
            click.echo(data.decode("utf-8"), nl=False)
        else:
            stream.write(data)
            stream.flush()


@click.command("release")
@paths_argument
@click.option(
    "--bump",
    type=click.Choice(["major", "minor", "patch"]),
    help="First raise the version (owl:versionInfo, owl:versionIRI, dcterms:modified) in the files.",
)
@output_option(folder=True, help="Folder to write the release files into (created if missing).")
@force_option("Release despite violations, and overwrite files of this version that differ.")
@click.pass_context
@base_option
def release_command(
    ctx: click.Context, paths: tuple[str, ...], bump: str | None, output: str | None, force: bool
) -> None:
    """Raise the version (--bump), and/or write the versioned release files into a folder.

    The version is the concept scheme's owl:versionInfo.  --bump edits the
    files given as PATH (default: vocab/ in the current directory).
    --output writes sst-vocab-VERSION.{ttl,jsonld,nt,rdf,csv},
    sst-vocab-VERSION.context.jsonld and SHA256SUMS (check with: sha256sum -c
    SHA256SUMS).  Refused when this version was released before (git tag
    vVERSION, or the files in the folder) with other content.  Exit 1, writing
    nothing, when the vocabulary has violations (unless --force).

    Example:

    \b
        sst-vocab release --bump minor
        sst-vocab release --output dist
    """
    from .. import render
    from ..release import bump_version
    from ..release import release as run_release

    if not bump and not output:
        raise click.UsageError("give --bump major|minor|patch, --output FOLDER, or both")
    if bump:
        click.echo(render.bumped_text(bump_version(bump, paths or None), then_release=bool(output)), nl=False)
        paths = paths or ("vocab",)
    if not output:
        return
    with terminal_progress():
        result = run_release(output, paths or None, force=force)
    echo_both(*render.release_text(result, output))
    ctx.exit(0 if result.written else 1)


@click.command("publish")
@paths_argument
@click.option(
    "--store",
    "store",
    required=True,
    metavar="URL",
    help="The Graph Store endpoint: Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DATASET/data, "
    "GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service, Virtuoso "
    "http://HOST:8890/sparql-graph-crud-auth.",
)
@click.option(
    "--graph",
    "graph",
    metavar="IRI",
    help="The graph to replace (default: the scheme's owl:versionIRI, else the scheme IRI).",
)
@click.option("--default-graph", is_flag=True, help="Replace the store's default graph instead of a named graph.")
@click.option(
    "--query-endpoint",
    metavar="URL",
    help="The SPARQL query endpoint used to count what arrived (default: derived from --store).",
)
@click.option("--dry-run", is_flag=True, help="Validate and say what would be sent where; send nothing.")
@force_option("Publish even when the vocabulary has violations.")
@click.option(
    "--timeout",
    type=float,
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up when the store does not answer for this long.",
)
@click.pass_context
@base_option
def publish_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    store: str,
    graph: str | None,
    default_graph: bool,
    query_endpoint: str | None,
    dry_run: bool,
    force: bool,
    timeout: float,
) -> None:
    """Replace a graph in a triple store with the vocabulary, then check that it all arrived.

    PATH: Turtle files or folders to publish (default: vocab/ of the current
    directory, else the shipped vocabulary).  Validates first (violations:
    exit 1, nothing sent, unless --force), sends the vocabulary as Turtle in
    one Graph Store Protocol PUT (publishing again replaces the graph, never
    duplicates it; a failed PUT leaves it as it was), then counts the graph's
    triples on the store: exit 1 when the count differs from what was sent.
    Exit 2 when the store cannot be reached or refuses.

    Credentials come from the environment, never from the command line:
    SST_VOCAB_TOKEN (bearer), or SST_VOCAB_USER and SST_VOCAB_PASSWORD
    (HTTP basic, or Digest when the store asks for it), or the store host's
    entry in ~/.netrc ($NETRC).  Ends with the command that queries what was
    published.

    Example:

    \b
        sst-vocab publish --store http://127.0.0.1:7878/store --dry-run
        sst-vocab publish --store http://127.0.0.1:7878/store
        sst-vocab publish other.ttl --store http://localhost:3030/sst/data --default-graph
    """
    from .. import render
    from ..publish import publish

    with terminal_progress():
        result = publish(
            store,
            paths or None,
            graph=graph,
            default_graph=default_graph,
            query_endpoint=query_endpoint,
            force=force,
            dry_run=dry_run,
            timeout=timeout,
        )
    echo_both(*render.publication_text(result, dry_run=dry_run))
    ctx.exit(1 if result.refused or (result.sent and not result.verified) else 0)
