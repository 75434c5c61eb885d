"""What the query modules share: a small record type and the default time limit."""

from __future__ import annotations

from typing import Any


#: Seconds a query may run before it is stopped.
DEFAULT_TIMEOUT = 5.0


class Record:
    """A small immutable-by-convention record: fields by position or name, compared by value.

    (``typing.NamedTuple`` costs about 0.25 ms per class at start-up; lookups count milliseconds.)
    """

    __slots__: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for name, value in zip(self.__slots__, args):
            object.__setattr__(self, name, value)
        for name, value in kwargs.items():
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"
