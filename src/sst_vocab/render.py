"""Renderers: data in, text out.  No RDF logic and no printing here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .validate import Report

__all__ = ["DIFF_FORMATS", "FINDINGS_FORMATS", "REVIEW_FORMATS", "findings_json", "findings_text", "plural", "table"]

#: How a validation report can be printed: one line per finding, JSON, or the SHACL report graph (Turtle).
FINDINGS_FORMATS = ("text", "json", "turtle")
#: How the changes between two versions can be printed (``diff.render_<format>``).
DIFF_FORMATS = ("text", "markdown", "json")
#: How the state of the interagency review can be printed (``review.render_<format>``).
REVIEW_FORMATS = ("table", "csv", "markdown")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def findings_text(
    report: Report, at_least: str = "Info", fail_on: str = "Violation", summarise_infos: bool = False
) -> str:
    """One line per finding as severe as ``at_least`` or more, then a summary line (counting all).

    With ``summarise_infos``, the Infos of a rule that fired more than once are one line: how
    many, and the first of them (``--verbose`` lists each).
    """
    lines = []
    shown = report.shown(at_least)
    per_rule: dict[str, list] = {}
    if summarise_infos:
        for f in shown:
            if f.severity == "Info":
                per_rule.setdefault(f.rule, []).append(f)
    for f in shown:
        where = f"{f.file}:{f.line}" if f.file else "(no file)"
        who = f"{f.label} <{f.focus}>" if f.label else f"<{f.focus}>"
        group = per_rule.get(f.rule) if f.severity == "Info" else None
        if group and len(group) > 1:
            if group[0] is f:
                lines.append(
                    f"{f.severity:<9} {f.rule}: {len(group)} findings like this one "
                    f"(--verbose lists each): {where}  {who}: {f.message}"
                )
            continue
        lines.append(f"{f.severity:<9} {where}  {who}  {f.rule}: {f.message}")
    counts = report.counts()
    verdict = "conforms" if report.conforms else "does not conform"
    if report.conforms and not report.passes(fail_on):
        verdict = f"conforms, but --fail-on {fail_on.rsplit(':', 1)[-1].lower()} fails it"
    hidden = len(report.findings) - len(shown)
    lines.append(
        f"{plural(report.concepts, 'concept')} ({report.top_concepts} top) in {plural(len(report.files), 'file')}: "
        f"{plural(counts['Violation'], 'violation')}, {plural(counts['Warning'], 'warning')}, "
        f"{plural(counts['Info'], 'info')}{f' ({hidden} not shown)' if hidden else ''}: {verdict}"
    )
    return "\n".join(lines) + "\n"


def findings_json(report: Report, at_least: str = "Info") -> str:
    """The findings as severe as ``at_least`` or more, and the summary (counting all), as a JSON document."""
    import json  # only the json format needs it; keeps lookups' start-up lean

    doc = {
        "conforms": report.conforms,
        "counts": report.counts(),
        "concepts": report.concepts,
        "top_concepts": report.top_concepts,
        "files": report.files,
        "findings": [],
    }
    head = json.dumps(doc, indent=2, ensure_ascii=False)
    shown = report.shown(at_least)
    if not shown:
        return head + "\n"
    # The findings are written here as json.dumps(indent=2) writes them: with an indent, json uses
    # its pure-Python encoder, five times slower than this on 100,000+ findings.
    from json.encoder import encode_basestring  # json's own string encoder (C), as ensure_ascii=False uses

    def value(v) -> str:
        if type(v) is str:
            return encode_basestring(v)
        if type(v) is int:
            return int.__repr__(v)
        return "null" if v is None else json.dumps(v, ensure_ascii=False)

    write = _FINDING_JSON
    body = ",\n".join(
        write(
            value(f.severity),
            value(f.rule),
            value(f.focus),
            value(f.label),
            value(f.file),
            value(f.line),
            value(f.message),
            value(f.value),
            value(f.path),
        )
        for f in shown
    )
    return head[: -len("[]\n}")] + "[\n" + body + "\n  ]\n}\n"


#: One finding in findings_json, its fields in the order of validate.Finding, indented as json.dumps(indent=2) does.
_FINDING_JSON = (
    "    {{\n"
    + ",\n".join(
        f'      "{name}": {{{n}}}'
        for n, name in enumerate(("severity", "rule", "focus", "label", "file", "line", "message", "value", "path"))
    )
    + "\n    }}"
).format


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An aligned plain-text table."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header).rstrip(), "  ".join("-" * w for w in widths)]
    out += [fmt.format(*row).rstrip() for row in rows]
    return "\n".join(out) + "\n"


# --- queries and lookups ---

__all__ += [
    "concept_text",
    "no_match_text",
    "query_help",
    "query_list",
    "results_markdown",
    "results_table",
    "search_text",
    "tree_text",
]

_CELL = 60  # widest cell in a results table; --format csv or json for whole values


def _cell(text: str, limit: int = _CELL) -> str:
    text = " ".join(text.split()) if ("\n" in text or "\r" in text or "\t" in text) else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def results_table(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int = 100) -> str:
    """SELECT results as an aligned table for people: long values cut at 60 characters, a row count."""
    body = table(columns, [[_cell(c) for c in row] for row in rows]) if columns else ""
    return body + f"({plural(len(rows), 'row')})\n"


def results_markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """SELECT results as a GitHub-flavoured Markdown table (whole values; | and line breaks escaped)."""

    def esc(text: str) -> str:
        text = text.replace("\\", "\\\\").replace("|", "\\|")
        return "<br>".join(text.replace("\r\n", "\n").split("\n"))

    out = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    out += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def query_list(queries: Sequence) -> str:
    """One line per named query: name, parameters ([optional]), description."""
    rows = []
    for q in queries:
        params = " ".join(("?" + p.name) if p.required else f"[?{p.name}]" for p in (q.params or ()))
        rows.append((q.name, params, q.description))
    name_w = max((len(r[0]) for r in rows), default=4)
    param_w = max((len(r[1]) for r in rows), default=0)
    lines = [f"{n:<{name_w}}  {p:<{param_w}}  {d}".rstrip() for n, p, d in rows]
    lines.append("")
    lines.append("Run one: sst-vocab query NAME [--bind VAR=VALUE ...]; details: sst-vocab queries NAME")
    return "\n".join(lines) + "\n"


def query_help(q) -> str:
    """A named query's documentation, from its header."""
    out = [f"{q.name}: {q.description}", f"File: {q.path}", ""]
    if q.params:
        out.append("Parameters:")
        w = max(len(p.name) for p in q.params) + 1
        for p in q.params:
            need = "required" if p.required else "optional"
            example = f" Example: {p.example}" if p.example else ""
            out.append(f"  {'?' + p.name:<{w}}  {p.kind}, {need}. {p.description}.{example}".replace("..", "."))
    else:
        out.append("Parameters: none")
    if q.columns:
        out += ["", "Columns:"]
        w = max(len(c.name) for c in q.columns) + 1
        out += [f"  {'?' + c.name:<{w}}  {c.description}" for c in q.columns]
    binds = " ".join(f"--bind {p.name}={p.example}" for p in (q.params or ()) if p.required or p.example)
    out += ["", f"Run it: sst-vocab query {q.name}" + (f" {binds}" if binds else "")]
    return "\n".join(out) + "\n"


_BREAKS = re.compile("[ \t]*(?:\r\n|[\r\n\x0b\x0c\x85\u2028\u2029])[ \t]*")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def one_line(text: str) -> str:
    """A label for a one-line layout: each line break becomes one space, a tab a space, another
    control character a visible U+FFFD (a terminal would act on it)."""
    if text is None:
        return text
    text = _BREAKS.sub(" ", text)
    return _CONTROLS.sub("\ufffd", text.replace("\t", " "))


def _wrap(text: str, width: int, indent: int) -> list[str]:
    """Greedy word wrap (textwrap costs an import for this); long words stay whole."""
    limit = max(30, width - indent)
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > limit:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def concept_text(view, width: int = 88) -> str:
    """One concept laid out for reading: label, IRI, then labelled fields (empty ones left out)."""
    pad = 16
    out = [one_line(view.label) + ("  [DEPRECATED]" if view.deprecated else "")]
    out.append(view.curie if view.curie == view.iri else f"{view.curie}  <{view.iri}>")
    out.append("")

    def field(name: str, values: Sequence[str], wrap: bool = True) -> None:
        first = True
        if values and len(name) > pad - 3:  # a long property name gets a line of its own
            out.append(f"  {name}")
            first = False
        for value in values:
            lines = _wrap(value, width, pad) if wrap else [one_line(value)]
            for line in lines:
                out.append(f"  {name if first else '':<{pad - 2}}{line}".rstrip())
                first = False

    def links(items) -> list[str]:
        if not items:
            return []
        w = min(max(len(one_line(i.label) or "") for i in items), 48)
        return [f"{one_line(i.label):<{w}}  {i.curie}" if i.label and i.label != i.curie else i.curie for i in items]

    if view.deprecated:
        field("Replaced by", links(view.replaced_by) or ["(no replacement recorded)"], wrap=False)
    field("Also called", [" · ".join(view.alt_labels)] if view.alt_labels else [])
    field(
        "Other names", [" · ".join(f"{text} ({lang})" for lang, text in view.other_labels)] if view.other_labels else []
    )
    field("Notation", [" · ".join(view.notations)] if view.notations else [])
    field("Definition", view.definitions)
    field("Source", view.sources)
    field("Status", [" · ".join(view.statuses)] if view.statuses else [])
    field("Review", getattr(view, "review", []))
    field("Responses", getattr(view, "responses", []))
    field("Scheme", view.schemes, wrap=False)
    field("Broader", links(view.broader), wrap=False)
    field("Narrower", links(view.narrower), wrap=False)
    field("Related", links(view.related), wrap=False)
    if view.mappings:
        w = max(len(kind) for kind, _ in view.mappings)
        field(
            "Mappings",
            [
                f"{kind:<{w}}  {link.curie}" + (f"  ({link.label})" if link.label else "")
                for kind, link in view.mappings
            ],
            wrap=False,
        )
    field("Scope note", view.scope_notes)
    field("Example", view.examples)
    field("Note", view.notes)
    field("History note", view.history_notes)
    field("Change note", view.change_notes)
    field("Editorial", view.editorial_notes)
    for name, values in view.other:
        field(name, values)
    return "\n".join(out) + "\n"


def _snippet(text: str, wanted: str, around: int = 48) -> str:
    flat = " ".join(text.split())
    lowered = flat.lower()
    at = lowered.find(wanted.lower())
    if at < 0 or len(lowered) != len(flat):
        return flat if len(flat) <= 2 * around else flat[: 2 * around - 1] + "…"
    end = at + len(wanted)
    start_cut = max(0, at - around)
    end_cut = min(len(flat), end + around)
    if start_cut > 0:
        space = flat.find(" ", start_cut)
        start_cut = space + 1 if 0 <= space < at else start_cut
    if end_cut < len(flat):
        space = flat.rfind(" ", end, end_cut)
        end_cut = space if space > end else end_cut
    return (
        ("…" if start_cut > 0 else "")
        + flat[start_cut:at]
        + "*"
        + flat[at:end]
        + "*"
        + flat[end:end_cut]
        + ("…" if end_cut < len(flat) else "")
    )


_FIELD_NAMES = {
    "prefLabel": "label",
    "altLabel": "also called",
    "hiddenLabel": "hidden label",
    "notation": "notation",
    "definition": "definition",
}


def search_text(
    hits: Sequence, total: int, wanted: str, width: int = 88, deprecated: dict[str, str] | None = None
) -> str:
    """Ranked search hits: label and CURIE, then where it matched, with the match in *stars*.

    ``deprecated``: IRI -> replacement of the deprecated concepts, which are marked.
    """
    out = []
    deprecated = deprecated or {}
    number_w = len(str(len(hits)))
    for n, hit in enumerate(hits, start=1):
        line = (
            f"{n:>{number_w}}. {one_line(hit.label)}  ({hit.curie})" if hit.label else f"{n:>{number_w}}. {hit.curie}"
        )
        if hit.iri in deprecated:
            line += "  [DEPRECATED" + (f": use {deprecated[hit.iri]}]" if deprecated[hit.iri] else "]")
        out.append(line)
        where = _FIELD_NAMES.get(hit.field, hit.field)
        for line in _wrap(f"{where}: {_snippet(hit.match, wanted)}", width, number_w + 5):
            out.append(" " * (number_w + 2) + line)
    shown = len(hits)
    noun = "concept matches" if total == 1 else "concepts match"
    summary = f"{total} {noun} “{wanted}”"
    if shown < total:
        summary += f"; the first {shown} are shown (--limit N for more)"
    out += ["", summary + "."]
    return "\n".join(out) + "\n"


def no_match_text(kind: str, term: str, suggestions: Sequence) -> str:
    """The message for a term that matches nothing, with close matches (label and CURIE)."""
    out = [f"No {kind} “{term}”."]
    if suggestions:
        out.append("Did you mean:")
        w = min(max(len(one_line(s.label) or "") for s in suggestions), 48)
        out += [f"  {one_line(s.label):<{w}}  {s.curie}" for s in suggestions]
    else:
        out.append("Try a shorter text with: sst-vocab search TEXT")
    return "\n".join(out) + "\n"


def tree_text(forest: Sequence, iris: bool = False) -> str:
    """Hierarchies drawn with ├── └── │; ``forest`` is (heading or None, [node, ...]) pairs.

    A node is (label, curie, children, note); the note (e.g. "shown above") follows the label.
    """
    out: list[str] = []
    for heading, roots in forest:
        if out:
            out.append("")
        prefix_root = ""
        if heading:
            out.append(one_line(heading))
        stack = [
            (node, prefix_root, i == len(roots) - 1, heading is None) for i, node in reversed(list(enumerate(roots)))
        ]
        while stack:
            (label, curie, children, note), prefix, last, top = stack.pop()
            text = one_line(label) + (f"  ({curie})" if iris and curie else "") + (f"  [{note}]" if note else "")
            if top:
                out.append(text)
                child_prefix = ""
            else:
                out.append(prefix + ("└── " if last else "├── ") + text)
                child_prefix = prefix + ("    " if last else "│   ")
            for i in range(len(children) - 1, -1, -1):
                stack.append((children[i], child_prefix, i == len(children) - 1, False))
    return "\n".join(out) + "\n"


# --- publishing and the review record: what a command did, for people ---

__all__ += ["added_text", "deprecated_text", "publication_text", "release_text", "review_change_text"]


def publication_text(p, dry_run: bool = False) -> tuple[str, str]:
    """What :func:`sst_vocab.publish.publish` did (or would do, ``dry_run``): (standard output, standard error).

    The command's exit status follows from the result: 1 when ``p.refused`` or when
    the store's count differs from what was sent (``p.sent and not p.verified``).
    """
    out: list[str] = []
    err: list[str] = [f"Warning: {w}" for w in p.warnings]
    violations = plural(p.report.counts()["Violation"], "violation")
    if p.refused:
        err.append(findings_text(p.report).rstrip("\n"))
        err.append(
            f"Refusing to publish: the vocabulary has {violations} (--force to publish anyway). Nothing was sent."
        )
        return "", _lines(err)
    if p.forced:
        err.append(findings_text(p.report).rstrip("\n"))
        err.append(f"WARNING: {'would publish' if dry_run else 'publishing'} a vocabulary with {violations} (--force).")
    what = f"{plural(p.triples, 'triple')} ({p.size:,} bytes of Turtle)"
    if dry_run:
        out += [
            "Dry run: nothing was sent.",
            f"Would PUT {what} to {p.target}",
            f"  graph: {p.graph_label} ({_GRAPH_SOURCE.get(p.graph_source, p.graph_source)})",
            f"  then count its triples with a SPARQL query to {p.query_endpoint}",
            f"  credentials: {p.credentials or 'none'}",
        ]
        return _lines(out), _lines(err)
    replaced = {201: "created"}.get(p.status or 0, "replaced")
    out.append(f"Published {what} to {p.graph_label} at {p.store} (HTTP {p.status}, {replaced}).")
    if not p.verified:
        hint = (
            "the default graph may also hold other data, or be the union of all graphs on this store; "
            "publish to a named graph (--graph IRI)"
            if p.graph is None
            else "another writer may have changed the graph meanwhile, or the store rewrote some values"
        )
        err.append(
            f"Mismatch: sent {plural(p.triples, 'triple')}, but the store's graph holds {p.stored} "
            f"(counted via {p.query_endpoint}): {hint}."
        )
        return _lines(out), _lines(err)
    out.append(
        f"Verified: the store holds {plural(p.stored or 0, 'triple')} in {p.graph_label}, as sent "
        f"(counted via {p.query_endpoint})."
    )
    out.append(f"Query it: {publication_query_command(p)}")
    out.append("  (show, search and query take the same --endpoint" + (" and --graph)" if p.graph is not None else ")"))
    return _lines(out), _lines(err)


def publication_query_command(p) -> str:
    """The command line that queries what was published: a lookup on the query endpoint, in its graph."""
    import shlex

    words = ["sst-vocab", "tree", "--depth", "1", "--endpoint", p.query_endpoint]
    if p.graph is not None:
        words += ["--graph", p.graph]
    return " ".join(shlex.quote(w) for w in words)


#: Why the graph was chosen (Publication.graph_source), as the command line says it.
_GRAPH_SOURCE = {"given": "--graph"}


def response_text(r, offices: dict[str, str]) -> str:
    """One :class:`sst_vocab.review.Response` as people read it: office - response - date - note."""
    from .namespaces import curie

    parts = [offices.get(r.office, curie(r.office)), r.response, r.date or "(no date)"]
    if r.note:
        parts.append(r.note)
    return " - ".join(parts)


def review_change_text(done, action: str, response: str | None = None) -> tuple[str, str]:
    """What a change to the review record did (``action``: record, withdraw or mark): (standard output, standard error).

    ``done`` is the :class:`sst_vocab.review.Recorded` the library returned; ``response``
    the answer recorded (for ``record``).
    """
    d = done.review
    name = f"{done.label or done.concept} <{done.concept}>"
    out: list[str] = []
    if action == "withdraw":
        offices = {done.office.iri: done.office.acronym}
        out.append(f"Withdrew {response_text(done.replaced, offices)} from {name} in {done.file}.")
    elif action == "record":
        offices = {done.office.iri: done.office.acronym}
        last = next(r for r in reversed(d.responses) if r.office == done.office.iri and r.response == response)
        if done.replaced is not None:
            out.append(
                f"Replaced {response_text(done.replaced, offices)} (the same office and date) on "
                f"{d.label or done.concept} <{done.concept}> with {response_text(last, offices)} in "
                f"{done.file}."
            )
        else:
            out.append(
                f"Recorded {response_text(last, offices)} on {d.label or done.concept} <{done.concept}> in {done.file}."
            )
    else:
        out.append(f"Marked {name} {done.status_after} in {done.file}.")
    if done.status_before != done.status_after:
        out.append(f"Status: {done.status_before or '(none)'} -> {done.status_after}.")
    out.append(
        f"Concurred: {', '.join(d.concurred) or '-'}; objected: {', '.join(d.objected) or '-'}; "
        f"commented: {', '.join(d.commented) or '-'}; not answered: {', '.join(d.unanswered) or '-'}."
    )
    if done.status_before == done.status_after and d.status:
        out.append(f"Review status: {d.status.replace('-', ' ')}.")
    if d.all_concurred and d.status != "concurred":
        out.append(
            f"Every participating office has concurred: mark it with "
            f"sst-vocab review --mark {done.concept} --status concurred"
        )
    err = (
        []
        if done.was_canonical
        else [f"Note: {done.file} was not in the canonical layout, so the whole file was reformatted."]
    )
    return _lines(out), _lines(err)


def _reformatted(files) -> list[str]:
    return [
        f"Note: {w.path} was not in the canonical layout, so the whole file was reformatted."
        for w in files
        if not w.was_canonical
    ]


def added_text(done, has_definition: bool) -> tuple[str, str]:
    """What :func:`sst_vocab.edit.add_concept` wrote, and what to do next: (standard output, standard error)."""
    from .namespaces import curie

    where = f"{done.file}:{done.line}" if done.line else done.file
    out = [f"Added {done.label} <{done.iri}> under {done.broader_label} ({curie(done.broader)}) in {where}."]
    others = [w.path for w in done.files if w.path != done.file]
    if others:
        out.append(f"Added skos:narrower {curie(done.iri)} to {curie(done.broader)} in {', '.join(others)}.")
    if not has_definition:
        out.append(
            f"It has no definition yet: add a skos:definition (and sstx:definitionOrigin sstx:editorial) in {where}."
        )
    out.append(f"Check it: sst-vocab validate; see it: sst-vocab show {curie(done.iri)}")
    return _lines(out), _lines(_reformatted(done.files))


def deprecated_text(done) -> tuple[str, str]:
    """What :func:`sst_vocab.edit.deprecate_concept` changed: (standard output, standard error)."""
    from .namespaces import curie

    status = done.status.rsplit("/", 1)[-1]
    repl = f", replaced by {curie(done.replaced_by)}" if done.replaced_by else ""
    out = [
        f"Deprecated {done.label} <{done.iri}>{repl} (reg:status {status}).",
        f"  skos:changeNote: {done.note}",
        *(f"  {link.text()}" for link in done.links),
        "Wrote " + ", ".join(w.path for w in done.files) + ".",
    ]
    return _lines(out), _lines(_reformatted(done.files))


def bumped_text(done, then_release: bool) -> str:
    """The version :func:`sst_vocab.release.bump_version` wrote, and (unless a release follows) what comes next."""
    out = [
        f"Version {done.old} -> {done.new} (owl:versionIRI <{done.version_iri}>, dcterms:modified "
        f"{done.modified}) in {done.file}."
    ]
    if done.package_file:
        out.append(f"Package version {done.old} -> {done.new} in {done.package_file}.")
    if not then_release:
        out.append(
            f"Next: sst-vocab diff --format markdown --changelog, commit, tag v{done.new}, then "
            "sst-vocab release --output FOLDER"
        )
    return _lines(out)


def release_text(result, folder: str) -> tuple[str, str]:
    """What :func:`sst_vocab.release.release` wrote (checksums), or why it refused: (standard output,
    standard error)."""
    if not result.written:
        return "", findings_text(result.report) + _lines(
            [f"Refusing to release {result.version}: the vocabulary has violations (--force to release anyway)."]
        )
    out = [f"{digest}  {name}" for name, digest in sorted(result.sha256.items())]
    out.append(f"Released {result.version}: {plural(len(result.sha256), 'file')} and SHA256SUMS in {folder}")
    return _lines(out), ""


def _lines(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)
