"""Reading the file to format: Turtle only, through :mod:`sst_vocab.reading`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import VocabError

if TYPE_CHECKING:  # pragma: no cover
    from ..reading import Parsed


def read_turtle(data: bytes | str, path: str | None = None, *, base: str | None = None) -> Parsed:
    """Parse Turtle with :func:`sst_vocab.reading.parse` (triples, prefixes, base); RDF/XML is refused."""
    from ..reading import RDFXML, detect_format, parse

    if isinstance(data, str):
        data = data.encode("utf-8")
    if detect_format(data) == RDFXML:
        raise VocabError(
            "this is RDF/XML, not Turtle: the formatter rewrites Turtle files only (export it as Turtle first)",
            path=path or "<input>",
            line=1,
        )
    return parse(data, path, base=base, fmt="turtle")


def parse_turtle(data: bytes | str, path: str | None = None, *, base: str | None = None) -> tuple[list, dict[str, str]]:
    """Parse Turtle into (triples, declared prefixes); every problem is a VocabError with FILE:LINE.

    Read by :func:`sst_vocab.reading.parse`: relative IRIs resolve against ``base``, or the
    file's own ``file://`` IRI when ``path`` names a file.  RDF/XML is refused (fmt writes Turtle).
    """
    parsed = read_turtle(data, path, base=base)
    return parsed.triples, parsed.prefixes
