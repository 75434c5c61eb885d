"""The one error type the library raises on bad input.

``VocabError`` carries the file and line the problem was found at, so every
command can print ``FILE:LINE: message`` and exit 2 without a traceback.
"""

from __future__ import annotations

__all__ = ["VocabError"]


class VocabError(Exception):
    """Input that cannot be used: a file that does not parse, a missing path, a bad query."""

    def __init__(
        self, message: str, path: str | None = None, line: int | None = None, *, options: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        #: The parameters that would fix this (e.g. ``("graph", "default_graph")``), of this call or of the
        #: step that should come first (``"bump"``: :func:`sst_vocab.release.bump_version`).  The message
        #: does not spell them: a front end names them its own way (the CLI: ``--graph IRI``).
        self.options = options

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return f"{where}{self.message}"
