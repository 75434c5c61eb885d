"""The time limit's clock: :func:`sst_vocab.query.limits.run_limited` sets it up, and the work
starts it (:func:`start_clock`) once its files are loaded, so the limit counts the query, not the
loading.  Apart from both so that the loaders (the persistent cache among them) can start it
without importing the runner."""

from __future__ import annotations

import os
from typing import Any

#: In a limited child process: the pipe on which to say "the timed part starts now".
FD: int | None = None
#: In a limited thread (by thread id): the event that starts the clock.
EVENTS: dict[int, Any] = {}


def start_clock() -> None:
    """In the work of :func:`~sst_vocab.query.limits.run_limited` with ``clock_on_signal``: the
    time limit counts from now.  Elsewhere it does nothing."""
    global FD
    if FD is not None:
        os.write(FD, b"R")
        FD = None
    if EVENTS:
        import _thread

        clock = EVENTS.pop(_thread.get_ident(), None)
        if clock is not None:
            clock.set()
