"""Commands of the editing loop: fmt, diff, review, and the language server for editors (lsp)."""

from __future__ import annotations

import click

from . import vocab_paths_argument




@click.command("fmt")
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
    from .. import render
    from ..fmt import format_files

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


@click.command("diff")
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
    from .. import diff as d

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


@click.command("review")
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
    from .. import review as rv

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


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only transport).")
def lsp_command(stdio: bool) -> None:
    """Run the Language Server for editors (Language Server Protocol over stdio).

    Editors start it themselves: diagnostics from the same reading layer and
    SHACL rules as validate while you type, hover, go to definition, references,
    symbols, completion, quick fixes, rename and formatting.  The workspace is
    the folders in [tool.sst-vocab] vocab = [...] of the workspace's
    pyproject.toml, else every *.ttl under the workspace folder.  Needs pygls:
    pip install 'sst-vocab[lsp]'.  Setup for Neovim, Emacs, Helix and VS Code:
    docs/editor.md.
    """
    from ..lsp import run

    run()
