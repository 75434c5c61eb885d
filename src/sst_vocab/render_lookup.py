"""Writing out the answers of ``query``, ``show``, ``search`` and ``tree`` (data in, text or bytes out).

The library returns data (:class:`sst_vocab.query.Result`, :class:`sst_vocab.lookup.Shown`,
:class:`~sst_vocab.lookup.Found`, :class:`~sst_vocab.lookup.Tree`); these functions lay it
out.  Exit codes are the command line's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import render

if TYPE_CHECKING:  # pragma: no cover
    from .lookup import Found, Shown, Tree
    from .query import Result

__all__ = ["found_text", "query_result", "shown_text", "tree_text"]


def query_result(result: Result, fmt: str = "table", width: int = 100) -> bytes:
    """A query's answer: SELECT in ``fmt`` (one of :data:`sst_vocab.query.FORMATS`); ASK ``true``/``false``
    (SPARQL JSON with ``fmt="json"``); CONSTRUCT and DESCRIBE as Turtle, with the prefixes it uses."""
    import pyoxigraph as ox

    if result.form == "ASK":
        if fmt == "json":
            return b'{"head":{},"boolean":%s}\n' % (b"true" if result.boolean else b"false")
        return b"true\n" if result.boolean else b"false\n"
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        triples = result.triples
        iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
        used = {p: ns for p, ns in result.prefixes.items() if p and ns and any(i.startswith(ns) for i in iris)}
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used) or b""
    if fmt == "csv":
        return _csv_results(result)
    if fmt in ("tsv", "json"):
        formats = {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}
        data = result.solutions().serialize(format=formats[fmt])
        return data + b"\n" if fmt == "json" and not data.endswith(b"\n") else data
    from .query import display

    rows = [[display(term, result.prefixes) for term in row] for row in result.rows]
    if fmt == "markdown":
        return render.results_markdown(result.columns, rows).encode("utf-8")
    return render.results_table(result.columns, rows, width=width).encode("utf-8")


def _csv_results(result: Result) -> bytes:
    """SPARQL 1.1 CSV results (an IRI, a literal's text, ``_:label``), every cell through the csv
    module, so a value holding a comma, a quote or a line break (even an IRI with a comma) stays
    one field.  (pyoxigraph's own CSV writer leaves such IRIs unquoted.)"""
    import csv
    import io

    import pyoxigraph as ox

    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.columns)

    def cell(term) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return term.value

    for row in result.rows:
        writer.writerow([cell(term) for term in row])
    return buf.getvalue().encode("utf-8")


def shown_text(shown: Shown, width: int = 88) -> tuple[str, str]:
    """``show``: (the concepts, laid out for reading; or, on standard error, that nothing matched)."""
    if not shown.views:
        return "", render.no_match_text("concept matches", shown.term, shown.suggestions)
    return "\n".join(render.concept_text(view, width) for view in shown.views), ""


def found_text(found: Found, width: int = 88) -> tuple[str, str]:
    """``search``: (the hits, best first; or, on standard error, that nothing matched)."""
    if not found.hits:
        return "", render.no_match_text("concept mentions", found.text, found.suggestions)
    return render.search_text(found.hits, found.total, found.text.strip(), width, found.deprecated), ""


def tree_text(tree: Tree, iris: bool = False) -> tuple[str, str]:
    """``tree``: (the indented tree, with each concept's CURIE or IRI when ``iris``; or what is missing)."""
    if tree.forest:
        return render.tree_text(tree.forest, iris), ""
    if tree.term is not None:
        return "", render.no_match_text("concept matches", tree.term, tree.suggestions)
    return "", "No concepts found.\n"
