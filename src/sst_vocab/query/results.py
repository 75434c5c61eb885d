"""``sst-vocab query``: one function from arguments to output."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from ..errors import VocabError
from .catalogue import NamedQuery, find, from_text
from .binding import parse_binds
from .common import DEFAULT_TIMEOUT
from .limits import run_local
from .remote import _MEDIA, _parse_remote, endpoint_quirks, run_remote
from .scan import Scan, check
from .target import Target, _form_of, display, prepare, query_form


#: Output formats of ``sst-vocab query`` (SELECT results; ASK and CONSTRUCT have their own).
FORMATS = ("table", "csv", "tsv", "json", "markdown")


#: What :func:`empty_default_graph_note` asks an endpoint: is the default graph empty; which graphs hold concepts.
DEFAULT_GRAPH_PROBES = (
    "ASK { ?s ?p ?o }",
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a <http://www.w3.org/2004/02/skos/core#Concept> } } ORDER BY ?g LIMIT 6",
)


def empty_default_graph_note(target: "Target") -> str | None:
    """When a query on an endpoint's default graph found nothing: say so if that graph is empty, and name --graph.

    None when a graph was named, when the default graph holds data, or when the
    endpoint cannot tell (the note is advice; its failure must not hide the answer).
    """
    if not target.endpoint or target.graph is not None:
        return None
    try:
        _, body = run_remote(target.endpoint, DEFAULT_GRAPH_PROBES[0], timeout=target.timeout or DEFAULT_TIMEOUT)
        _, body = endpoint_quirks("ASK", "application/sparql-results+json", body)
        import json

        if json.loads(body).get("boolean") is not False:
            return None
        _, body = run_remote(target.endpoint, DEFAULT_GRAPH_PROBES[1], timeout=target.timeout or DEFAULT_TIMEOUT)
        _, body = endpoint_quirks("SELECT", "application/sparql-results+json", body)
        graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"] if "g" in b]
    except (VocabError, ValueError, KeyError, TypeError, AttributeError):
        return None
    note = ("The endpoint's default graph is empty, so nothing was found. A vocabulary published with "
            "`sst-vocab publish` is in a named graph (its version IRI): name it with --graph IRI.")
    if graphs:
        shown = ", ".join(f"<{g}>" for g in graphs[:5]) + (", ..." if len(graphs) > 5 else "")
        note += f" Graphs with SKOS concepts there: {shown}; for example --graph {graphs[0]}"
    return note + "\n"



def execute(spec: str | None = None, sparql: str | None = None, binds: Iterable[str] = (), fmt: str | None = None,
            paths: Sequence[str] | None = None, endpoint: str | None = None,
            timeout: float | None = DEFAULT_TIMEOUT, width: int = 100, *, graph: str | None = None,
            cache: bool = True, notes: list[str] | None = None) -> tuple[bytes, int]:
    """Run a named query, a query file or ``--sparql`` text; return (output, exit code).

    SELECT: ``fmt`` (default table); ASK: ``true``/``false`` (JSON with ``fmt=json``),
    exit 0/1; CONSTRUCT and DESCRIBE: Turtle.  Locally the query is stopped after
    ``timeout`` seconds (None or 0: no limit; see :func:`run_limited`), and a large
    vocabulary is read from the persistent cache unless ``cache`` is False
    (:mod:`sst_vocab.cache`).  ``graph``: on an endpoint, the named graph to query.
    ``notes``: a list that receives advice for the user (for standard error), e.g.
    that an endpoint's default graph is empty.
    """
    if (spec is None) == (sparql is None):
        raise VocabError("give a query NAME, a FILE.rq, or --sparql TEXT (one of them)")
    query = from_text(sparql) if sparql is not None else find(spec or "")
    scan = check(query.text, query.where)  # refuse before loading anything
    pairs = parse_binds(binds)
    if not endpoint:
        if graph is not None:
            Target.open(None, None, graph=graph)  # the error: --graph is for endpoints
        return run_local(_run_and_output, paths, (query, scan, pairs, fmt, width), timeout, cache)
    target = Target.open(None, endpoint, timeout, graph=graph)
    text, _ = prepare(query, pairs, target, scan)
    prefixes = {**target.prefixes, **scan.prefixes}
    form = query_form(query, target, scan)
    _check_format(form, fmt)
    if form == "SELECT":
        # Always SPARQL JSON from the endpoint, written out here in the format asked for: stores differ in
        # their CSV and TSV (Virtuoso's booleans are 1 and 0 there, which only JSON's datatypes can undo).
        ctype, body = endpoint_quirks(form, *run_remote(target.endpoint or "", text, accept=_MEDIA["json"],
                                                        timeout=target.timeout or DEFAULT_TIMEOUT,
                                                        graph=target.graph))
        if notes is not None and _no_rows(ctype, body):
            _note_empty_default_graph(target, notes)
        result = _parse_remote(form, ctype, body)
    else:
        result = target.run(query, text, form)
        if notes is not None and form == "ASK" and not bool(result):
            _note_empty_default_graph(target, notes)
    try:
        return _output(result, form, fmt or "table", prefixes, width)
    except SyntaxError as exc:  # the parsers read lazily: a bad value shows up while writing the output
        raise VocabError(f"the endpoint's answer does not parse: {exc}") from exc


def _no_rows(ctype: str, body: bytes) -> bool:
    """True when a SELECT answer has no solutions (False when it cannot tell)."""
    import pyoxigraph as ox

    fmt = ox.QueryResultsFormat.from_media_type(ctype) if ctype else None
    if fmt is None:
        return False
    if fmt == ox.QueryResultsFormat.CSV:
        return len(body.strip().splitlines()) <= 1
    try:
        return next(iter(ox.parse_query_results(body, format=fmt)), None) is None
    except (SyntaxError, ValueError, OSError):
        return False


def _note_empty_default_graph(target: "Target", notes: list[str]) -> None:
    note = empty_default_graph_note(target)
    if note:
        notes.append(note)


def _check_format(form: str, fmt: str | None) -> None:
    if form in ("CONSTRUCT", "DESCRIBE") and fmt not in (None, "table"):
        raise VocabError(f"--format {fmt} is for SELECT results; {form} results are printed as Turtle")


def _run_and_output(target: Target, query: NamedQuery, scan: Scan, pairs: Sequence[tuple[str, str]],
                    fmt: str | None, width: int) -> tuple[bytes, int]:
    text, _ = prepare(query, pairs, target, scan)
    prefixes = {**target.prefixes, **scan.prefixes}
    try:
        result = target.run(query, text)
        form = _form_of(result, scan.form)
        _check_format(form, fmt)
        return _output(result, form, fmt or "table", prefixes, width)
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors, e.g. a bad regular expression
        raise VocabError(f"the query failed: {exc}", path=query.path) from exc


def _csv_results(result) -> bytes:
    """SPARQL 1.1 CSV results (an IRI, a literal's text, ``_:label``), every cell through the csv
    module, so a value holding a comma, a quote or a line break (even an IRI with a comma) stays
    one field.  (pyoxigraph's own CSV writer leaves such IRIs unquoted.)"""
    import csv
    import io

    import pyoxigraph as ox

    columns = [v.value for v in result.variables]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)

    def cell(term) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return term.value

    for solution in result:
        writer.writerow([cell(solution[c]) for c in columns])
    return buf.getvalue().encode("utf-8")


def _output(result, form: str, fmt: str, prefixes: Mapping[str, str], width: int) -> tuple[bytes, int]:
    import pyoxigraph as ox

    from .. import render

    if form == "ASK":
        answer = bool(result)
        if fmt == "json":
            data = result.serialize(format=ox.QueryResultsFormat.JSON) if isinstance(result, ox.QueryBoolean) \
                else (b'{"head":{},"boolean":%s}' % (b"true" if answer else b"false"))
            return data + b"\n", 0 if answer else 1
        return (b"true\n" if answer else b"false\n"), 0 if answer else 1
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = list(result)
        iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
        used = {p: ns for p, ns in prefixes.items() if p and ns and any(i.startswith(ns) for i in iris)}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used), 0
    if fmt == "csv":
        return _csv_results(result), 0
    if fmt in _MEDIA:
        formats = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                   "json": ox.QueryResultsFormat.JSON}
        data = result.serialize(format=formats[fmt])
        return (data + b"\n" if fmt == "json" and not data.endswith(b"\n") else data), 0
    columns = [v.value for v in result.variables]
    rows = [[display(s[c], prefixes) for c in columns] for s in result]
    if fmt == "markdown":
        return render.results_markdown(columns, rows).encode("utf-8"), 0
    return render.results_table(columns, rows, width=width).encode("utf-8"), 0
