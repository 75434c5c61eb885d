"""A loaded vocabulary whose Turtle outlines (subject -> line) come from the language server's
buffers, computed once per text instead of once per validation run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..loader import Vocabulary

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from ..turtle_lex import TurtleOutline


class OutlinedVocabulary(Vocabulary):
    """A Vocabulary whose outlines are the workspace's (computed once per text, not per run)."""

    __slots__ = ("_given",)

    def __init__(
        self, store: ox.Store, files: list[str], texts: dict[str, str], outlines: dict[str, TurtleOutline]
    ) -> None:
        super().__init__(store=store, files=files, texts=texts)
        self._given = outlines

    @property
    def outlines(self) -> dict[str, TurtleOutline]:
        return self._given
