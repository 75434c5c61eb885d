"""Positions: text offsets (code points) <-> LSP positions (line, character in the negotiated unit).

LSP counts characters in UTF-16 code units unless client and server agree on UTF-8 or
UTF-32; Python strings count code points.  Every conversion goes through here.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from urllib.parse import quote, unquote, urlparse

__all__ = ["Lines", "path_to_uri", "uri_to_path"]


class Lines:
    """The line starts of a text, for converting offsets and positions."""

    __slots__ = ("text", "starts", "encoding")

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def line_text(self, line: int) -> str:
        if line < 0 or line >= len(self.starts):
            return ""
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[line] : end]

    def _units(self, s: str) -> int:
        if self.encoding == "utf-32" or s.isascii():
            return len(s)
        if self.encoding == "utf-8":
            return len(s.encode("utf-8", "surrogatepass"))
        return len(s.encode("utf-16-le", "surrogatepass")) // 2

    def position(self, offset: int) -> tuple[int, int]:
        """A code-point offset -> (line, character) in the negotiated unit, both 0-based."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        return line, self._units(self.text[self.starts[line] : offset])

    def offset(self, line: int, character: int) -> int:
        """(line, character) -> a code-point offset (clamped to the text)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        text = self.line_text(line)
        if self.encoding == "utf-32" or text.isascii():
            return self.starts[line] + min(character, len(text))
        units = 0
        for i, ch in enumerate(text):
            if units >= character:
                return self.starts[line] + i
            units += len(ch.encode("utf-8")) if self.encoding == "utf-8" else (2 if ord(ch) > 0xFFFF else 1)
        return self.starts[line] + len(text)

    def line_end(self, line: int) -> tuple[int, int]:
        """The position at the end of ``line`` (0-based)."""
        return line, self._units(self.line_text(line))

    def column_to_character(self, line: int, column: int) -> int:
        """A 0-based code-point column on ``line`` -> its character in the negotiated unit."""
        return self._units(self.line_text(line)[: max(0, column)])


def uri_to_path(uri: str) -> str | None:
    """``file:///a/b.ttl`` -> ``/a/b.ttl``; None for any other scheme."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if os.name == "nt" and path.startswith("/") and len(path) > 2 and path[2] == ":":  # pragma: no cover
        path = path[1:]
    return os.path.normpath(path)


def path_to_uri(path: str) -> str:
    return "file://" + quote(os.path.abspath(path).replace(os.sep, "/"), safe="/:@")
