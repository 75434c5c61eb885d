"""The ``sst-vocab`` command line: thin commands, each calling one library function.

Heavy libraries (pyoxigraph, rdflib, pyshacl) are imported inside the commands that
need them, so ``--help`` and lookups start fast.
"""

from __future__ import annotations

import sys

import click

from .errors import VocabError

__all__ = ["cli", "main"]


# Parameter types are shared: each click.Path asks gettext for its name when created,
# which looks for translation files on disk (about 0.15 ms each, at every start-up).
ANY_PATH = click.Path(path_type=str, readable=False)
FILE_PATH = click.Path(path_type=str, dir_okay=False, writable=False)
DIR_PATH = click.Path(path_type=str, file_okay=False, writable=False)


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
        except OSError as exc:  # e.g. the output goes to a full disk
            raise InputError(os_error_message(exc)) from exc


def os_error_message(exc: OSError) -> str:
    """One line for an operating-system error: ``FILE: reason`` or the reason alone."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else f"cannot write the output: {reason}"


def vocab_paths_argument(f):
    return click.argument("paths", nargs=-1, type=ANY_PATH)(f)


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
@click.option("--shapes", "shapes", multiple=True, type=ANY_PATH,
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


# --- export and release (issue 3) ---

EXPORT_FORMATS = ("jsonld", "turtle", "ntriples", "rdfxml", "csv")  # sst_vocab.export.FORMATS


@cli.command()
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonld", show_default=True,
              help="jsonld: compact, with the published context; turtle, ntriples, rdfxml: the same graph; "
                   "csv: one row per concept.")
@click.option("--output", "-o", type=FILE_PATH,
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--vocab", "vocab", multiple=True, type=ANY_PATH,
              help="Turtle files or folders to export instead of the shipped vocabulary (repeatable).")
@click.option("--context-url", metavar="URL",
              help='jsonld only: write "@context": URL instead of embedding the context (never fetched).')
def export(fmt: str, output: str | None, vocab: tuple[str, ...], context_url: str | None) -> None:
    """Write the vocabulary as JSON-LD, Turtle, N-Triples, RDF/XML or CSV.

    The output is deterministic: the same input gives the same bytes.  Nothing
    is fetched (not owl:imports, not the context URL).

    Example:

    \b
        sst-vocab export > sst-vocab.jsonld
        sst-vocab export --format turtle --output sst-vocab.ttl
        sst-vocab export --vocab other.ttl --format csv
    """
    from .export import export as run_export
    from .export import write_atomic

    if context_url is not None and fmt != "jsonld":
        raise click.UsageError("--context-url applies to --format jsonld only")
    data = run_export(vocab or None, fmt, context_url=context_url)
    if output:
        write_atomic(output, data)
    else:
        stream = getattr(sys.stdout, "buffer", None)  # bytes as they are: UTF-8, CRLF in CSV kept
        if stream is None:
            click.echo(data.decode("utf-8"), nl=False)
        else:
            stream.write(data)
            stream.flush()


@cli.command()
@click.option("--output", "-o", required=True, type=DIR_PATH,
              help="Folder to write the release files into (created if missing).")
@click.option("--vocab", "vocab", multiple=True, type=ANY_PATH,
              help="Turtle files or folders to release instead of the shipped vocabulary (repeatable).")
@click.option("--force", is_flag=True,
              help="Release despite violations, and overwrite files of this version that differ.")
@click.pass_context
def release(ctx: click.Context, output: str, vocab: tuple[str, ...], force: bool) -> None:
    """Write the versioned release files and SHA256SUMS into a folder.

    The version is the concept scheme's owl:versionInfo.  Writes
    sst-vocab-VERSION.{ttl,jsonld,nt,rdf,csv}, sst-vocab-VERSION.context.jsonld
    and SHA256SUMS (check with: sha256sum -c SHA256SUMS).  Exit 1, writing
    nothing, when the vocabulary has violations (unless --force).

    Example:

    \b
        sst-vocab release --output dist
    """
    from . import render
    from .release import release as run_release

    result = run_release(output, vocab or None, force=force)
    if not result.written:
        click.echo(render.findings_text(result.report), nl=False, err=True)
        click.echo(f"Refusing to release {result.version}: the vocabulary has violations (--force to release anyway).",
                   err=True)
        ctx.exit(1)
    for name, digest in sorted(result.sha256.items()):
        click.echo(f"{digest}  {name}")
    click.echo(f"Released {result.version}: {render.plural(len(result.sha256), 'file')} and SHA256SUMS in {output}")


# --- editing loop (issue 6) ---


@cli.command("fmt")
@vocab_paths_argument
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and name each file that is not canonical.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print the change each file needs (unified diff).")
@click.pass_context
def fmt_command(ctx: click.Context, paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Rewrite Turtle files in the one canonical layout, keeping every triple and comment.

    With no PATHS, the shipped vocabulary.  Each file is checked before it is
    replaced (same graph, every comment kept) and written atomically; a file
    that does not parse is reported as FILE:LINE (exit 2) and nothing is
    written.  --check: exit 1 when a file would change, 0 when all are
    canonical.

    Example:

    \b
        sst-vocab fmt vocab/
        sst-vocab fmt --check --diff vocab/terms.ttl
    """
    from . import render
    from .fmt import format_files

    dry = check or show_diff
    results = format_files(paths or None, write=not dry)
    changed = [r for r in results if r.changed]
    for r in changed:
        if show_diff:
            click.echo(r.unified_diff(), nl=False)
        click.echo(f"{'would reformat' if dry else 'reformatted'} {r.path}", err=True)
    unchanged = len(results) - len(changed)
    verb = "would be reformatted" if dry else "reformatted"
    click.echo(f"{render.plural(len(changed), 'file')} {verb}, {unchanged} already canonical.", err=True)
    ctx.exit(1 if check and changed else 0)


@cli.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text: one line per change; markdown: a changelog entry; json: the changes as data.")
@click.option("--changelog", "changelog", is_flag=False, flag_value="CHANGELOG.md", default=None, metavar="[FILE]",
              help="Also add the Markdown entry at the top of FILE (default CHANGELOG.md) when there are changes.")
@click.pass_context
def diff_command(ctx: click.Context, old: str, new: str, fmt: str, changelog: str | None) -> None:
    """Report what changed between two versions of the vocabulary, in SKOS terms.

    OLD and NEW are Turtle files, folders, or git revisions (HEAD~3, a tag:
    the repository's vocab/ at that revision; REV:PATH for another path).
    Concepts added, removed (flagged: published IRIs must never disappear),
    deprecated (with replacements), label, definition, hierarchy, relation,
    mapping and scheme metadata changes.  Exit 0 when they are the same, 1
    when they differ.

    Example:

    \b
        sst-vocab diff v0.1.0 vocab/
        sst-vocab diff HEAD~3 HEAD --format markdown --changelog
    """
    from . import diff as d

    changes = d.diff(old, new)
    if fmt == "json":
        click.echo(d.render_json(changes), nl=False)
    elif fmt == "markdown":
        click.echo(d.render_markdown(changes), nl=False)
    else:
        click.echo(d.render_text(changes), nl=False)
    if changelog and changes.differ:
        target = d.append_changelog(d.render_markdown(changes), changelog)
        click.echo(f"Added the entry to {target}", err=True)
    if changes.removed:
        click.echo(f"Warning: {len(changes.removed)} concept(s) removed instead of deprecated: "
                   "published IRIs must never disappear.", err=True)
    ctx.exit(1 if changes.differ else 0)


@cli.command("review")
@vocab_paths_argument
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "markdown"]), default="table", show_default=True,
              help="How to print the state of review (csv and markdown are for circulating).")
@click.option("--record", "record", metavar="CONCEPT",
              help="Record a response to this concept's definition (IRI, CURIE, local name or label).")
@click.option("--agency", metavar="OFFICE", help="With --record: the participating office (acronym, e.g. USAID, or IRI).")
@click.option("--response", type=click.Choice(["concur", "nonconcur", "comment"]), help="With --record: the response.")
@click.option("--note", metavar="TEXT", help="With --record: the office's note (why it objects, what it suggests).")
@click.option("--date", metavar="YYYY-MM-DD", help="With --record: the date of the response (default: today).")
@click.option("--mark", "mark", metavar="CONCEPT", help="Set the review status of this concept's definition (--status).")
@click.option("--status", type=click.Choice(["draft", "under-review", "concurred", "revised"]),
              help="With --mark: the new status; concurred needs a concurrence from every participating office.")
def review_command(paths: tuple[str, ...], fmt: str, record: str | None, agency: str | None, response: str | None,
                   note: str | None, date: str | None, mark: str | None, status: str | None) -> None:
    """Show or record the interagency review of the definitions.

    With no options: for each definition, its status and which participating
    offices (the scheme's dcterms:contributor) have concurred, objected,
    commented or not answered.  --record writes one office's response into the
    file that holds the concept, through the canonical formatter (a draft
    becomes under review); --mark sets a definition's status.

    Example:

    \b
        sst-vocab review --format markdown > review.md
        sst-vocab review --record sst:security --agency USAID --response concur --date 2006-04-10
        sst-vocab review --record security --agency OSD --response nonconcur --note "Too broad."
        sst-vocab review --mark sst:security --status concurred
    """
    from . import review as rv

    if record and mark:
        raise click.UsageError("use --record or --mark, not both")
    if record:
        if not agency or not response:
            raise click.UsageError("--record needs --agency and --response")
        done = rv.record_response(record, agency, response, note=note, date=date, paths=paths or None)
        d = done.review
        last = next(r for r in reversed(d.responses) if r.office == done.office.iri and r.response == response)
        click.echo(f"Recorded {done.office.acronym}: {response} ({last.date}) on {d.label or done.concept} "
                   f"<{done.concept}> in {done.file}.")
        _review_outcome(done)
        return
    if mark:
        if not status:
            raise click.UsageError("--mark needs --status")
        done = rv.set_status(mark, status, paths=paths or None)
        click.echo(f"Marked {done.label or done.concept} <{done.concept}> {status} in {done.file}.")
        _review_outcome(done)
        return
    if agency or response or note or date or status:
        raise click.UsageError("--agency, --response, --note and --date go with --record; --status with --mark")
    state = rv.review_state(paths or None)
    render = {"table": rv.render_table, "csv": rv.render_csv, "markdown": rv.render_markdown}[fmt]
    click.echo(render(state), nl=False)


def _review_outcome(done) -> None:
    d = done.review
    if done.status_before != done.status_after:
        click.echo(f"Status: {done.status_before or '(none)'} -> {done.status_after}.")
    click.echo(f"Concurred: {', '.join(d.concurred) or '-'}; objected: {', '.join(d.objected) or '-'}; "
               f"commented: {', '.join(d.commented) or '-'}; not answered: {', '.join(d.unanswered) or '-'}.")
    if d.all_concurred and d.status != "concurred":
        click.echo(f"Every participating office has concurred: mark it with "
                   f"sst-vocab review --mark {done.concept} --status concurred")
    if not done.was_canonical:
        click.echo(f"Note: {done.file} was not in the canonical layout, so the whole file was reformatted.", err=True)


# --- publishing (issue 5) ---


@cli.command()
@click.option("--store", "store", required=True, metavar="URL",
              help="The Graph Store endpoint: Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DATASET/data, "
                   "GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service.")
@click.option("--graph", "graph", metavar="IRI",
              help="The graph to replace (default: the scheme's owl:versionIRI, else the scheme IRI).")
@click.option("--default-graph", is_flag=True, help="Replace the store's default graph instead of a named graph.")
@click.option("--vocab", "vocab", multiple=True, type=ANY_PATH,
              help="Turtle files or folders to publish instead of the shipped vocabulary (repeatable).")
@click.option("--query-endpoint", metavar="URL",
              help="The SPARQL query endpoint used to count what arrived (default: derived from --store).")
@click.option("--dry-run", is_flag=True, help="Validate and say what would be sent where; send nothing.")
@click.option("--force", is_flag=True, help="Publish even when the vocabulary has violations.")
@click.option("--timeout", type=float, default=60.0, show_default=True, metavar="SECONDS",
              help="Give up when the store does not answer for this long.")
@click.pass_context
def publish(ctx: click.Context, store: str, graph: str | None, default_graph: bool, vocab: tuple[str, ...],
            query_endpoint: str | None, dry_run: bool, force: bool, timeout: float) -> None:
    """Replace a graph in a triple store with the vocabulary, then check that it all arrived.

    Validates first (violations: exit 1, nothing sent, unless --force), sends
    the vocabulary as Turtle in one Graph Store Protocol PUT (publishing again
    replaces the graph, never duplicates it; a failed PUT leaves it as it was),
    then counts the graph's triples on the store: exit 1 when the count differs
    from what was sent.  Exit 2 when the store cannot be reached or refuses.

    Credentials come from the environment, never from the command line:
    SST_VOCAB_TOKEN (bearer), or SST_VOCAB_USER and SST_VOCAB_PASSWORD
    (HTTP basic), or the store host's entry in ~/.netrc ($NETRC).

    Example:

    \b
        sst-vocab publish --store http://127.0.0.1:7878/store --dry-run
        sst-vocab publish --store http://127.0.0.1:7878/store
        sst-vocab publish --store http://localhost:3030/sst/data --default-graph
    """
    from . import render
    from .publish import publish as run_publish

    result = run_publish(store, vocab or None, graph=graph, default_graph=default_graph,
                         query_endpoint=query_endpoint, force=force, dry_run=dry_run, timeout=timeout)
    violations = render.plural(result.report.counts()["Violation"], "violation")
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if result.refused:
        click.echo(render.findings_text(result.report), nl=False, err=True)
        click.echo(f"Refusing to publish: the vocabulary has {violations} (--force to publish anyway). "
                   "Nothing was sent.", err=True)
        ctx.exit(1)
    if result.forced:
        click.echo(render.findings_text(result.report), nl=False, err=True)
        click.echo(f"WARNING: {'would publish' if dry_run else 'publishing'} a vocabulary with {violations} "
                   "(--force).", err=True)
    what = f"{render.plural(result.triples, 'triple')} ({result.size:,} bytes of Turtle)"
    if dry_run:
        click.echo("Dry run: nothing was sent.")
        click.echo(f"Would PUT {what} to {result.target}")
        click.echo(f"  graph: {result.graph_label} ({result.graph_source})")
        click.echo(f"  then count its triples with a SPARQL query to {result.query_endpoint}")
        click.echo(f"  credentials: {result.credentials or 'none'}")
        return
    replaced = {201: "created"}.get(result.status or 0, "replaced")
    click.echo(f"Published {what} to {result.graph_label} at {result.store} (HTTP {result.status}, {replaced}).")
    if not result.verified:
        hint = ("the default graph may also hold other data, or be the union of all graphs on this store; "
                "publish to a named graph (--graph IRI)" if result.graph is None else
                "another writer may have changed the graph meanwhile, or the store rewrote some values")
        click.echo(f"Mismatch: sent {render.plural(result.triples, 'triple')}, but the store's graph holds "
                   f"{result.stored} (counted via {result.query_endpoint}): {hint}.", err=True)
        ctx.exit(1)
    click.echo(f"Verified: the store holds {render.plural(result.stored or 0, 'triple')} in {result.graph_label}, "
               f"as sent (counted via {result.query_endpoint}).")


# --- queries and lookups (issue 4) ---

QUERY_FORMATS = ("table", "csv", "tsv", "json", "markdown")  # sst_vocab.query.FORMATS


def _lookup_options(timeout_help: str, default: float | None):
    def decorate(f):
        f = click.option("--timeout", type=click.FloatRange(min=0), default=default, metavar="S", help=timeout_help)(f)
        f = click.option("--endpoint", metavar="URL",
                         help="Ask this SPARQL 1.1 endpoint instead of loading Turtle files.")(f)
        return click.option("--vocab", "vocab", multiple=True, type=ANY_PATH,
                            help="Turtle files or folders to use instead of the shipped vocabulary (repeatable).")(f)

    return decorate


_QUERY_TIMEOUT = "Stop a query still running after S seconds (default 5; 0: no limit)."
_LOOKUP_TIMEOUT = ("Stop after S seconds (default: no limit for the local vocabulary, whose lookups are our "
                   "own linear queries; 5 s per request to an endpoint).")


def _width() -> int:
    import os

    try:
        if sys.stdout.isatty():
            return max(60, min(120, os.get_terminal_size(sys.stdout.fileno()).columns))
    except (OSError, ValueError, AttributeError):
        pass
    return 88


def _emit(ctx: click.Context, out: str, err: str, code: int) -> None:
    click.echo(out, nl=False)
    if err:
        click.echo(err, nl=False, err=True)
    ctx.exit(code)


@cli.command("queries")
@click.argument("name", required=False)
def queries_command(name: str | None) -> None:
    """List the named queries in queries/, or describe one (parameters, columns).

    Example:

    \b
        sst-vocab queries
        sst-vocab queries narrower
    """
    from . import render
    from .query import find, library

    click.echo(render.query_help(find(name)) if name else render.query_list(list(library().values())), nl=False)


@cli.command("query")
@click.argument("name", required=False, metavar="[NAME|FILE.rq]")
@click.option("--sparql", metavar="TEXT", help="Run this query text instead ('-': read it from standard input).")
@click.option("--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Set a parameter (repeatable): an IRI (http:, https:, urn:, <...>) or a CURIE with a known "
                   "prefix binds as an IRI, anything else as a plain literal.")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default=None,
              help="SELECT results: table (the default, for people; long values cut), csv, tsv, json (SPARQL 1.1 "
                   "results formats, exact), markdown.")
@_lookup_options(_QUERY_TIMEOUT, 5.0)
@click.pass_context
def query_command(ctx: click.Context, name: str | None, sparql: str | None, binds: tuple[str, ...], fmt: str | None,
                  vocab: tuple[str, ...], endpoint: str | None, timeout: float) -> None:
    """Run a named query, a query file or --sparql TEXT, read-only, on the vocabulary.

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
    from .query import execute

    if sparql == "-":
        sparql = sys.stdin.read()
    data, code = execute(name, sparql, binds, fmt, vocab or None, endpoint, timeout, width=_width())
    click.echo(data, nl=False)  # bytes: written as they are (CSV keeps its CRLF)
    ctx.exit(code)


@cli.command("show")
@click.argument("term")
@_lookup_options(_LOOKUP_TIMEOUT, None)
@click.pass_context
def show_command(ctx: click.Context, term: str, vocab: tuple[str, ...], endpoint: str | None, timeout: float) -> None:
    """Everything about one concept, laid out for reading.

    TERM is a label or alternative label in any case (SSR), a notation, an IRI, a
    CURIE (sst:security) or the last segment of an IRI.  Exit 1, with close
    matches, when nothing matches.

    Example:

    \b
        sst-vocab show SSR
        sst-vocab show "civil management and oversight bodies"
    """
    from .lookup import show

    _emit(ctx, *show(term, vocab or None, endpoint, timeout, width=_width()))


@cli.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Show at most N concepts.")
@_lookup_options(_LOOKUP_TIMEOUT, None)
@click.pass_context
def search_command(ctx: click.Context, text: str, limit: int, vocab: tuple[str, ...], endpoint: str | None,
                   timeout: float) -> None:
    """Concepts whose labels, notations or definitions contain TEXT, best matches first.

    Any case, any language.  Exit 1, with close matches, when nothing matches.

    Example:

    \b
        sst-vocab search oversight
    """
    from .lookup import search

    _emit(ctx, *search(text, vocab or None, endpoint, timeout, limit=limit, width=_width()))


@cli.command("tree")
@click.argument("term", required=False)
@click.option("--depth", type=click.IntRange(min=1), default=None, help="Draw at most N levels below each root.")
@click.option("--iris", is_flag=True, help="Print each concept's CURIE or IRI after its label.")
@_lookup_options(_LOOKUP_TIMEOUT, None)
@click.pass_context
def tree_command(ctx: click.Context, term: str | None, depth: int | None, iris: bool, vocab: tuple[str, ...],
                 endpoint: str | None, timeout: float) -> None:
    """The concept hierarchy as an indented tree: from the top concepts, or from TERM.

    Example:

    \b
        sst-vocab tree
        sst-vocab tree "security system actors" --depth 1
    """
    from .lookup import tree

    _emit(ctx, *tree(term, vocab or None, endpoint, timeout, depth=depth, iris=iris))


# --- documentation site (issue 7) ---


@cli.command()
@click.option("--output", "-o", required=True, type=DIR_PATH,
              help="Folder to write the site into (created if missing; other files in it are left alone).")
@click.option("--vocab", "vocab", multiple=True, type=ANY_PATH,
              help="Turtle files or folders to document instead of the shipped vocabulary (repeatable).")
@click.option("--site-url", metavar="URL",
              help="Where the site will be published: also write the persistent-URI redirect rules "
                   "to FOLDER/.htaccess.w3id (see `sst-vocab redirects`).")
def docs(output: str, vocab: tuple[str, ...], site_url: str | None) -> None:
    """Build the static documentation site: an index, a page per concept, search, downloads.

    Each concept's page sits at the path of its IRI below the scheme's IRI
    (https://w3id.org/sst-vocab/security -> security.html, with security.ttl,
    .jsonld, .nt and .rdf beside it).  The pages work offline and from file://,
    and fetch nothing from other sites.  Deterministic: the same input gives the
    same bytes; unchanged files are not rewritten.

    Example:

    \b
        sst-vocab docs --output site
        sst-vocab docs --output site --vocab other.ttl
        sst-vocab serve            # preview with content negotiation
    """
    from .redirects import htaccess
    from .site import build, write_site

    site = build(vocab or None)
    rules = htaccess(site, site_url) if site_url else None
    result = write_site(site, output)
    if rules is not None:
        from pathlib import Path

        from .export import write_atomic

        write_atomic(Path(output) / ".htaccess.w3id", rules.encode("utf-8"))
    pages = sum(1 for r in site.resources.values() if r.kind == "concept")
    click.echo(f"Wrote the site of {site.concepts} concepts to {output}: {len(result.written)} files written, "
               f"{len(result.unchanged)} unchanged, {len(result.removed)} stale removed "
               f"({pages} concept pages negotiable under {site.base}).")
    if rules is not None:
        click.echo(f"Redirect rules for {site.base} -> {site_url}: {output}/.htaccess.w3id")


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default answers this machine only.")
@click.option("--vocab", "vocab", multiple=True, type=ANY_PATH,
              help="Turtle files or folders to serve instead of the shipped vocabulary (repeatable).")
def serve(port: int, host: str, vocab: tuple[str, ...]) -> None:
    """Preview the site with content negotiation, as its persistent IRIs will answer.

    Builds the site in memory and serves it at the path of the scheme's IRI
    (/sst-vocab/).  A concept's path answers by Accept: text/html (the page),
    text/turtle, application/ld+json, application/n-triples,
    application/rdf+xml (its description); the scheme's path gives the whole
    vocabulary; anything else gets 406 and the list of types.  Serves only the
    generated files.  Stop with Ctrl-C.

    Example:

    \b
        sst-vocab serve --port 8000
        curl -H 'Accept: text/turtle' http://127.0.0.1:8000/sst-vocab/security
    """
    from .serve import make_server
    from .site import build

    site = build(vocab or None)
    server = make_server(site, host, port, log=lambda line: click.echo(line, err=True))
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}: other machines can reach this server.", err=True)
    click.echo(f"Serving {site.concepts} concepts at http://{shown}:{bound_port}{site.mount} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()


@cli.command()
@click.option("--site-url", required=True, metavar="URL",
              help="Where the site built by `sst-vocab docs` is published (https://example.org/sst-vocab/).")
@click.option("--output", "-o", type=FILE_PATH,
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--vocab", "vocab", multiple=True, type=ANY_PATH,
              help="Turtle files or folders instead of the shipped vocabulary (repeatable).")
def redirects(site_url: str, output: str | None, vocab: tuple[str, ...]) -> None:
    """Write the persistent-URI redirect rules (a w3id.org-style .htaccess).

    Each IRI under the scheme's IRI is sent with 303 See Other to the file of
    the site that matches the request's Accept header (HTML by default,
    Turtle, JSON-LD, N-Triples, RDF/XML); unknown types get 406.  Put the
    file in the w3id.org repository's folder for the vocabulary (see the
    README section "Documentation site").

    Example:

    \b
        sst-vocab redirects --site-url https://example.github.io/sst-vocab/ -o .htaccess
    """
    from .redirects import htaccess
    from .site import plan

    rules = htaccess(plan(vocab or None), site_url)
    if output:
        from .export import write_atomic

        write_atomic(output, rules.encode("utf-8"))
    else:
        click.echo(rules, nl=False)


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
    from . import runtime

    runtime.ends_after_command = True
    try:
        cli.main(prog_name="sst-vocab")
    except SystemExit as exc:
        _exit_now(exc.code)
    _exit_now(0)  # pragma: no cover - click's standalone mode always raises SystemExit


def _exit_now(code: object) -> None:
    import atexit
    import os

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"), as the interpreter would report it
        print(code, file=sys.stderr)
        status = 1
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
