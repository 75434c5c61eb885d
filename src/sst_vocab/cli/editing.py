"""Commands of the editing loop: fmt, add, deprecate, diff, review, and the language server for editors (lsp)."""

from __future__ import annotations

import click

from . import ANY_PATH, base_option, complete_concept, complete_office, echo_both, format_option, paths_argument


@click.command("fmt")
@paths_argument
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and name each file that is not canonical.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Write nothing; print the change each file needs (unified diff)."
)
@click.pass_context
@base_option
def fmt_command(ctx: click.Context, paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Rewrite Turtle files in the one canonical layout, keeping every triple and comment.

    With no PATH, the vocab/ folder of the current directory (the
    vocabulary installed with sst-vocab is never edited).  Each file is checked before it is
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
    from ..edit import editing_paths
    from ..fmt import format_files

    dry = check or show_diff
    results = format_files(editing_paths(paths), write=not dry)
    changed = [r for r in results if r.changed]
    for r in changed:
        if show_diff:
            click.echo(r.unified_diff(), nl=False)
        click.echo(f"{'would reformat' if dry else 'reformatted'} {r.path}", err=True)
    unchanged = len(results) - len(changed)
    verb = "would be reformatted" if dry else "reformatted"
    click.echo(f"{render.plural(len(changed), 'file')} {verb}, {unchanged} already canonical.", err=True)
    ctx.exit(1 if check and changed else 0)


@click.command("add")
@click.argument("label")
@paths_argument
@click.option(
    "--broader",
    required=True,
    metavar="CONCEPT",
    shell_complete=complete_concept,
    help="The broader concept (IRI, CURIE, local name or label); the new concept goes where its "
    "other narrower concepts are written.",
)
@click.option("--definition", metavar="TEXT", help="The definition (written by the editors).")
@click.option("--id", "slug", metavar="SLUG", help="The last part of the new IRI (default: made from LABEL).")
@click.option(
    "--file",
    "file",
    type=ANY_PATH,
    metavar="PATH",
    help="Write the block into this file of the vocabulary instead of the siblings' file.",
)
@click.option("--lang", default="en", show_default=True, help="The language of LABEL and --definition.")
@click.option("--source", metavar="IRI", help="dcterms:source (default: the broader concept's).")
def add_command(
    label: str,
    paths: tuple[str, ...],
    broader: str,
    definition: str | None,
    slug: str | None,
    file: str | None,
    lang: str,
    source: str | None,
) -> None:
    """Add a concept: a complete block, written where its siblings live.

    PATH: the files or folders to edit (default: vocab/ in the current
    directory).  The block carries LABEL, the definition, an editorial note (added by the
    editors), sstx:termOrigin sstx:editorsTerm, sstx:definitionOrigin
    sstx:editorial, the broader concept's scheme, isDefinedBy and source,
    reg:status submitted and review status draft; the broader concept gets the
    inverse skos:narrower.  Written through the canonical formatter.  Refused
    when the IRI or the preferred label exists already.

    Example:

    \b
        sst-vocab add "Private military companies" --broader "Non-state security providers" \\
            --definition "Companies that sell military services."
        sst-vocab add "Coast guard" --broader sst:security-forces --id coast-guards
    """
    from .. import render
    from ..edit import add_concept

    done = add_concept(
        label, broader, definition=definition, slug_text=slug, file=file, lang=lang, source=source, paths=paths or None
    )
    echo_both(*render.added_text(done, has_definition=bool(definition)))


@click.command("deprecate")
@click.argument("concept", shell_complete=complete_concept)
@paths_argument
@click.option(
    "--replaced-by",
    "replaced_by",
    metavar="CONCEPT",
    shell_complete=complete_concept,
    help="The live concept to use instead.",
)
@click.option("--note", metavar="TEXT", help="With --replaced-by: what happened (goes into the skos:changeNote).")
@click.option("--reason", metavar="TEXT", help="Without --replaced-by: why the concept is withdrawn.")
def deprecate_command(
    concept: str, paths: tuple[str, ...], replaced_by: str | None, note: str | None, reason: str | None
) -> None:
    """Deprecate a concept: it stays (its IRI keeps resolving) but is marked not to be used.

    PATH: the files or folders to edit (default: vocab/ in the current
    directory).  Writes owl:deprecated true, dcterms:isReplacedBy, a dated skos:changeNote and
    reg:status superseded (retired without a replacement), takes the concept out
    of the hierarchy and of collections, and moves the links of live concepts to
    the replacement (or removes them), saying which.  Written through the
    canonical formatter; the block stays where it was.

    Example:

    \b
        sst-vocab deprecate sst:media --replaced-by sst:civil-society-bodies --note "Merged: too narrow."
        sst-vocab deprecate sst:old-term --reason "Not a term the roundtable uses."
    """
    from .. import render
    from ..edit import deprecate_concept

    if replaced_by and reason and not note:
        note = reason
    elif replaced_by is None and note and not reason:
        raise click.UsageError("without --replaced-by, say why with --reason TEXT (nothing replaces the concept)")
    elif reason and note:
        raise click.UsageError("give --note (with --replaced-by) or --reason (without), not both")
    if not replaced_by and not reason:
        raise click.UsageError("give --replaced-by CONCEPT --note TEXT, or --reason TEXT when nothing replaces it")
    if replaced_by and not note:
        raise click.UsageError("--replaced-by needs --note TEXT: say what happened (it goes into the changeNote)")
    done = deprecate_concept(concept, replaced_by=replaced_by, note=note or reason, paths=paths or None)
    echo_both(*render.deprecated_text(done))


@click.command("diff")
@click.argument("old", required=False)
@click.argument("new", required=False)
@format_option(
    "render:DIFF_FORMATS", "text", "text: one line per change; markdown: a changelog entry; json: the changes as data."
)
@click.option(
    "--changelog",
    "changelog",
    is_flag=False,
    flag_value="CHANGELOG.md",
    default=None,
    metavar="[FILE]",
    help="Also add the Markdown entry at the top of FILE (default CHANGELOG.md) when there are changes.",
)
@click.pass_context
@base_option
def diff_command(ctx: click.Context, old: str | None, new: str | None, fmt: str, changelog: str | None) -> None:
    """Report what changed between two versions of the vocabulary, in SKOS terms.

    OLD and NEW are Turtle files, folders, or git revisions (HEAD~3, a tag:
    the repository's vocab/ at that revision; REV:PATH for another path).
    With no OLD, the last release tag (vX.Y.Z); with no NEW, vocab/ as it is
    now.  Headings name the versions (owl:versionInfo).
    Concepts added, removed (flagged: published IRIs must never disappear),
    deprecated (with replacements), label, definition, hierarchy, relation,
    mapping and scheme metadata changes.  Exit 0 when they are the same, 1
    when they differ.

    Example:

    \b
        sst-vocab diff                    # since the last release
        sst-vocab diff v0.1.0 vocab/
        sst-vocab diff HEAD~3 HEAD --format markdown --changelog
    """
    from .. import diff as d

    changes = d.diff(old, new)
    click.echo(getattr(d, f"render_{fmt}")(changes), nl=False)
    if changelog and changes.differ:
        target = d.append_changelog(d.render_markdown(changes), changelog)
        click.echo(f"Added the entry to {target}", err=True)
    if changes.removed:
        click.echo(
            f"Warning: {len(changes.removed)} concept(s) removed instead of deprecated: "
            "published IRIs must never disappear.",
            err=True,
        )
    ctx.exit(1 if changes.differ else 0)


@click.command("review")
@paths_argument
@format_option(
    "render:REVIEW_FORMATS", "table", "How to print the state of review (csv and markdown are for circulating)."
)
@click.option(
    "--record",
    "record",
    metavar="CONCEPT",
    shell_complete=complete_concept,
    help="Record a response to this concept's definition (IRI, CURIE, local name or label).",
)
@click.option(
    "--agency",
    metavar="OFFICE",
    shell_complete=complete_office,
    help="With --record: the participating office (acronym, e.g. USAID, or IRI).",
)
@click.option("--response", type=click.Choice(["concur", "nonconcur", "comment"]), help="With --record: the response.")
@click.option("--note", metavar="TEXT", help="With --record: the office's note (why it objects, what it suggests).")
@click.option("--date", metavar="YYYY-MM-DD", help="With --record: the date of the response (default: today).")
@click.option(
    "--withdraw",
    "withdraw",
    metavar="CONCEPT",
    help="Remove an office's response (--agency; --date, default its latest) from this concept's record.",
)
@click.option(
    "--mark", "mark", metavar="CONCEPT", help="Set the review status of this concept's definition (--status)."
)
@click.option(
    "--status",
    type=click.Choice(["draft", "under-review", "concurred", "revised"]),
    help="With --mark: the new status; concurred needs a concurrence from every participating office.",
)
@base_option
def review_command(
    paths: tuple[str, ...],
    fmt: str,
    record: str | None,
    agency: str | None,
    response: str | None,
    note: str | None,
    date: str | None,
    withdraw: str | None,
    mark: str | None,
    status: str | None,
) -> None:
    """Show or record the interagency review of the definitions.

    With no options: for each definition, its status and which participating
    offices (dcterms:contributor of the scheme or of its source document) have
    concurred, objected, commented or not answered, then each response as office - response - date -
    note.  --record writes one office's response into the file that holds the
    concept, through the canonical formatter (a draft becomes under review); a
    response of the same office and date is replaced (to correct a mistake); a
    nonconcur needs --note.  --withdraw removes a response; --mark sets a
    definition's status.  PATH: the files to read or edit (default: vocab/).

    Example:

    \b
        sst-vocab review --format markdown > review.md
        sst-vocab review --record sst:security --agency USAID --response concur --date 2006-04-10
        sst-vocab review --record security --agency OSD --response nonconcur --note "Too broad."
        sst-vocab review --withdraw security --agency OSD --date 2006-04-11
        sst-vocab review --mark sst:security --status concurred
    """
    from .. import render
    from .. import review as rv

    if sum(bool(x) for x in (record, mark, withdraw)) > 1:
        raise click.UsageError("use one of --record, --withdraw and --mark")
    if withdraw:
        if not agency:
            raise click.UsageError("--withdraw needs --agency")
        if response or note:
            raise click.UsageError("--response and --note go with --record")
        done = rv.withdraw_response(withdraw, agency, date=date, paths=paths or None)
        action = "withdraw"
    elif record:
        if not agency or not response:
            raise click.UsageError("--record needs --agency and --response")
        done = rv.record_response(record, agency, response, note=note, date=date, paths=paths or None)
        action = "record"
    elif mark:
        if not status:
            raise click.UsageError("--mark needs --status")
        done = rv.set_status(mark, status, paths=paths or None)
        action = "mark"
    else:
        if agency or response or note or date or status:
            raise click.UsageError(
                "--agency, --response, --note and --date go with --record (or --withdraw); --status with --mark"
            )
        click.echo(getattr(rv, f"render_{fmt}")(rv.review_state(paths or None)), nl=False)
        return
    echo_both(*render.review_change_text(done, action, response))


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
