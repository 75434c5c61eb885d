"""Export a vocabulary: compact JSON-LD with the published context, Turtle, N-Triples, RDF/XML, CSV.

Every format is built from one sorted list of triples (``vocab.source.ordered()``: blank
nodes relabelled from their place in the graph, :mod:`sst_vocab.canonical`), so two runs
give the same bytes.  One module per format: :mod:`.jsonld` (the published context and the
compact document), :mod:`.rdf` (Turtle, N-Triples, RDF/XML), :mod:`.tabular` (CSV).  The
tests read every output back with rdflib and pyld and compare the graphs.

Nothing here touches the network: ``owl:imports`` is data, and ``--context-url`` is
only written into the document, never fetched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import VocabError
from .jsonld import MAX_NESTING, context_bytes, context_document, jsonld_bytes, to_jsonld
from .tabular import CSV_HEADER, CSV_SEPARATOR, FORMULA_STARTS

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

__all__ = [
    "CSV_HEADER",
    "CSV_SEPARATOR",
    "EXTENSIONS",
    "FORMATS",
    "FORMULA_STARTS",
    "MAX_NESTING",
    "context_bytes",
    "context_document",
    "export",
    "jsonld_bytes",
    "serialize",
    "to_jsonld",
]

#: The export formats, the first is the default.
FORMATS = ("jsonld", "turtle", "ntriples", "rdfxml", "csv")
#: File extension per format (used by ``release``).
EXTENSIONS = {"jsonld": ".jsonld", "turtle": ".ttl", "ntriples": ".nt", "rdfxml": ".rdf", "csv": ".csv"}


def serialize(
    vocab: Vocabulary, fmt: str = "jsonld", *, context_url: str | None = None, spreadsheet_safe: bool = False
) -> bytes:
    """A loaded vocabulary in one of :data:`FORMATS`, as UTF-8 bytes (deterministic).

    ``spreadsheet_safe`` (CSV only): a cell that begins with one of :data:`FORMULA_STARTS`
    gets a ``'`` in front, so spreadsheet programs show it as text instead of running it
    as a formula.  Off by default: the CSV then holds the text exactly.
    """
    if fmt not in FORMATS:
        raise VocabError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")
    if context_url is not None and fmt != "jsonld":
        raise VocabError("a context URL only applies to the jsonld format")
    if spreadsheet_safe and fmt != "csv":
        raise VocabError("spreadsheet-safe output only applies to the csv format")
    from ..progress import update

    update(f"writing {fmt}")
    if fmt == "jsonld":
        return jsonld_bytes(to_jsonld(vocab, context_url=context_url))
    if fmt == "csv":
        from .tabular import to_csv

        return to_csv(vocab, spreadsheet_safe)
    from .rdf import to_rdf

    return to_rdf(vocab, fmt)


def export(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    fmt: str = "jsonld",
    *,
    context_url: str | None = None,
    spreadsheet_safe: bool = False,
) -> bytes:
    """Load Turtle files (default: the shipped vocabulary) and serialize them (see :func:`serialize`).

    Raises VocabError (with file and line) when the input cannot be read or parsed.

    Example::

        export(fmt="turtle").decode()
    """
    from ..loader import load

    if context_url is not None and (not context_url.strip() or any(ch.isspace() for ch in context_url)):
        raise VocabError(f"not a usable context URL: {context_url!r}")
    if spreadsheet_safe and fmt != "csv":
        raise VocabError("spreadsheet-safe output only applies to the csv format")
    from ..progress import update

    update("reading the vocabulary")
    return serialize(load(paths), fmt, context_url=context_url, spreadsheet_safe=spreadsheet_safe)
