"""Reading the file to format: Turtle only, through :mod:`sst_vocab.reading`."""

from __future__ import annotations

from ..errors import VocabError

def parse_turtle(data: bytes | str, path: str | None = None, *, base: str | None = None) -> tuple[list, dict[str, str]]:
    """Parse Turtle into (triples, declared prefixes); every problem is a VocabError with FILE:LINE.

    Read by :func:`sst_vocab.reading.parse`: relative IRIs resolve against ``base``, or the
    file's own ``file://`` IRI when ``path`` names a file.  RDF/XML is refused (fmt writes Turtle).
    """
    from ..reading import RDFXML, detect_format, parse

    where = path or "<input>"
    if isinstance(data, str):
        data = data.encode("utf-8")
    if detect_format(data) == RDFXML:
        raise VocabError("this is RDF/XML, not Turtle: fmt rewrites Turtle files only (convert it with "
                         "`sst-vocab export FILE --format turtle`)", path=where, line=1)
    parsed = parse(data, path, base=base, fmt="turtle")
    return parsed.triples, parsed.prefixes


def _parse_with_base(text: str, path: str | None, base: str | None):
    from ..reading import RDFXML, detect_format, parse

    data = text.encode("utf-8")
    if detect_format(data) == RDFXML:
        raise VocabError("this is RDF/XML, not Turtle: fmt rewrites Turtle files only (convert it with "
                         "`sst-vocab export FILE --format turtle`)", path=path or "<input>", line=1)
    return parse(data, path, base=base, fmt="turtle")

