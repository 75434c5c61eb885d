"""The one error type the library raises on bad input.

``VocabError`` carries the file and line the problem was found at, so every
command can print ``FILE:LINE: message`` and exit 2 without a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["VocabError", "option"]

_OPTION = re.compile("\x1e([A-Za-z_][A-Za-z0-9_]*)\x1f")


def option(name: str) -> str:
    """A placeholder for the parameter ``name`` in a message, rendered by whoever shows the message.

    The library names its parameters, not the command line's flags: ``f"pass {option('graph')} IRI"``
    reads ``pass graph= IRI`` from Python and ``pass --graph IRI`` from the command line, where the
    CLI maps the parameter to its command's own flag (:meth:`VocabError.render`).
    """
    return f"\x1e{name}\x1f"


class VocabError(Exception):
    """Input that cannot be used: a file that does not parse, a missing path, a bad query."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def render(self, name_option: Callable[[str], str] = lambda name: f"{name}=") -> str:
        """``FILE:LINE: message`` with each :func:`option` placeholder written by ``name_option``."""
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return where + _OPTION.sub(lambda m: name_option(m.group(1)), self.message)

    def __str__(self) -> str:
        return self.render()
