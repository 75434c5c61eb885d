"""Progress of long work, told to whoever listens: the library reports, it never draws.

Library code calls :func:`update` at the steps of work that can take seconds on a
large vocabulary (validating shape by shape, building pages, writing files,
publishing); nothing happens unless a caller installed a listener with
:func:`reporting`.  The command line installs one that draws a status line on standard
error when it is a terminal (:mod:`sst_vocab.cli`), so pipes and CI logs stay clean.

A listener is ``callback(stage, done, total)``: ``stage`` a short text ("checking
shapes"), ``done`` the steps finished, ``total`` the number of steps or None when
unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Listener", "reporting", "update"]

Listener = Callable[[str, int, "int | None"], None]

_listeners: list[Listener] = []


@contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Send progress to ``listener`` while the ``with`` block runs."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def update(stage: str, done: int = 0, total: int | None = None) -> None:
    """Report that ``done`` of ``total`` steps of ``stage`` are finished (cheap when nobody listens)."""
    if _listeners:
        _listeners[-1](stage, done, total)
