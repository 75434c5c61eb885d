"""What the query modules share: a small record type and the default time limit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import VocabError

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

#: How a SELECT answer can be written out (:func:`sst_vocab.render_lookup.query_result`);
#: ASK answers are ``true``/``false`` (or JSON), CONSTRUCT and DESCRIBE answers Turtle.
FORMATS = ("table", "csv", "tsv", "json", "markdown")
#: Seconds a query may run before it is stopped.
DEFAULT_TIMEOUT = 5.0


class Record:
    """A small immutable-by-convention record: fields by position or name, compared by value.

    (``typing.NamedTuple`` costs about 0.25 ms per class at start-up; lookups count milliseconds.)
    """

    __slots__: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for name, value in zip(self.__slots__, args, strict=False):  # the rest by keyword
            object.__setattr__(self, name, value)
        for name, value in kwargs.items():
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"


class ArgumentError(VocabError):
    """Bad input in an argument of a library call: ``arguments`` names the parameters at fault
    (``binds``, ``timeout``, ``graph``, ``endpoint``, ``paths``, ``spec``, ``sparql``), so that a
    front end can add how its users spell them (the command line: ``--bind VAR=VALUE`` ...).
    The message itself names no option of any front end."""

    def __init__(
        self,
        message: str,
        arguments: tuple[str, ...],
        path: str | None = None,
        line: int | None = None,
        example: str | None = None,
    ) -> None:
        super().__init__(message, path, line, options=arguments)
        self.arguments = arguments
        #: A value of the (first) argument that would do, e.g. ``concept=sst:security`` for ``binds``.
        self.example = example

    def __str__(self) -> str:
        return super().__str__() + (f" Example: {self.example}" if self.example else "")


#: How errors name the text of an ad-hoc query (not a file): the ``path`` of its VocabErrors.
QUERY_TEXT = "(query text)"


def vocab_prefixes(vocab: Vocabulary) -> dict[str, str]:
    """The prefixes the vocabulary's files declare, resolved against each file's base (first
    file wins); a cheap scan, see :attr:`sst_vocab.loader.Vocabulary.prefixes`."""
    scanned = getattr(vocab, "scanned_prefixes", None)  # a cached vocabulary: found when it was stored
    if scanned is not None:
        return dict(scanned)
    return vocab.prefixes
