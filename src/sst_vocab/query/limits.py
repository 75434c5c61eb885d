"""Running work with a time limit, apart from the caller (a thread or a forked child).

A :class:`Request` says where and how a query or lookup runs; :func:`run` does a piece
of work on the :class:`~.target.Target` it names: on an endpoint at once, on the local
vocabulary through :func:`run_limited`, with the isolation the caller chose.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..errors import VocabError
from . import clock as _clock
from .clock import start_clock
from .common import DEFAULT_TIMEOUT, ArgumentError, Record
from .target import Target

#: How limited work runs apart from the caller (see :func:`run_limited`).
ISOLATIONS = ("process", "thread")

T = TypeVar("T")


class Request(Record):
    """Where and how a query or lookup runs.

    ``paths``: the vocabulary's files or folders (None: the default one); ``endpoint``: a
    SPARQL endpoint to ask instead, with ``graph`` the named graph to query there;
    ``timeout``: seconds (None or 0: no limit; on an endpoint, the limit of each
    request, None meaning :data:`DEFAULT_TIMEOUT`); ``cache``: read a large local
    vocabulary from the persistent cache (:mod:`sst_vocab.query.cache`); ``isolation``: how
    local work is kept apart so it can be stopped at the limit (see :func:`run_limited`).
    """

    __slots__ = ("paths", "endpoint", "graph", "timeout", "cache", "isolation")
    paths: Sequence[str] | None
    endpoint: str | None
    graph: str | None
    timeout: float | None
    cache: bool
    isolation: str

    def __init__(
        self,
        paths: Sequence[str] | None = None,
        endpoint: str | None = None,
        *,
        graph: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        cache: bool = True,
        isolation: str = "process",
    ) -> None:
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS}, not {isolation!r}")
        super().__init__(paths or None, endpoint or None, graph, timeout, cache, isolation)

    @property
    def remote(self) -> bool:
        """True when the work goes to an endpoint (a graph named without one is an error there)."""
        return self.endpoint is not None or self.graph is not None


def run(request: Request, work: Callable[[Target], T]) -> T:
    """``work(target)`` where ``request`` says.

    On an endpoint the work runs here (every request to it has its own time limit).
    Locally the vocabulary is loaded and the work done within ``request.timeout``
    (:func:`run_limited`, the limit counting from when loading is done; with the
    ``process`` isolation the child loads the vocabulary itself, so this process never
    imports pyoxigraph).
    """
    if request.remote:
        return work(Target.open(None, request.endpoint, request.timeout, graph=request.graph))
    return run_limited(
        _load_and_run, (request, work), request.timeout, isolation=request.isolation, clock_on_signal=True
    )


def _load_and_run(request: Request, work: Callable[[Target], T]) -> T:
    target = Target.open(request.paths, None, None, cache=request.cache)
    if not getattr(target.vocab, "starts_clock", False):  # a cached vocabulary loads later, if at all
        start_clock()
    return work(target)


def _timed_out(timeout: float) -> VocabError:
    return ArgumentError(
        f"the query did not finish within {timeout:g} s and was stopped; narrow it down "
        "(fewer patterns, a LIMIT) or allow more time",
        ("timeout",),
    )


def run_limited(
    fn: Callable[..., Any],
    args: Sequence[Any] = (),
    timeout: float | None = DEFAULT_TIMEOUT,
    *,
    isolation: str = "process",
    clock_on_signal: bool = False,
) -> Any:
    """``fn(*args)``, stopped after ``timeout`` seconds.

    pyoxigraph cannot cancel a running query, so the work runs apart and is given up
    at the limit, as ``isolation`` says.  ``"process"`` (the default): in a forked
    child process that is killed at the limit (``os.fork``: a few milliseconds), so
    nothing keeps running in the caller's process; ``fn``'s result travels back
    pickled.  ``"thread"``: in a daemon thread (pyoxigraph releases the GIL while it
    evaluates, so the wait keeps time), left behind at the limit, which only a process
    that ends right after the call may do (the command line: 2-10 ms cheaper).  With
    ``clock_on_signal`` the limit counts from ``fn``'s call of :func:`start_clock`
    (after loading the vocabulary, whose size should not count against a query's
    time), else from the start.  A VocabError raised by ``fn`` is raised again here;
    any other error becomes "the query failed".  Without a timeout, or with the
    ``process`` isolation where there is no ``fork`` (Windows), ``fn`` runs here, without a limit.
    """
    if isolation not in ISOLATIONS:
        raise ValueError(f"isolation must be one of {ISOLATIONS}, not {isolation!r}")
    if not timeout:
        return fn(*args)
    if isolation == "thread":
        return _run_in_thread(fn, args, timeout, clock_on_signal)
    if not hasattr(os, "fork"):
        return fn(*args)
    return _run_in_child(fn, args, timeout, clock_on_signal)


def _run_in_thread(fn: Callable[..., Any], args: Sequence[Any], timeout: float, clock_on_signal: bool) -> Any:
    import contextvars
    import threading

    context = contextvars.copy_context()  # the run's settings (--base) go with the work
    clock, done = threading.Event(), threading.Event()
    outcome: list[tuple[str, Any]] = []

    def work() -> None:
        if clock_on_signal:
            _clock.EVENTS[threading.get_ident()] = clock
        try:
            outcome.append(("ok", context.run(fn, *args)))
        except BaseException as exc:  # noqa: BLE001 - reported to the waiting caller
            outcome.append(("error", exc))
        finally:
            _clock.EVENTS.pop(threading.get_ident(), None)
            clock.set()
            done.set()

    if not clock_on_signal:
        clock.set()
    threading.Thread(target=work, name="sst-vocab limited work", daemon=True).start()
    clock.wait()
    if not done.wait(timeout):
        raise _timed_out(timeout)
    kind, value = outcome[0]
    if kind == "ok":
        return value
    if isinstance(value, VocabError):
        raise value
    raise VocabError(f"the query failed: {type(value).__name__}: {value}") from value


def _run_in_child(fn: Callable[..., Any], args: Sequence[Any], timeout: float, clock_on_signal: bool) -> Any:
    import gc
    import pickle
    import select as select_module
    import signal
    import time

    read_end, write_end = os.pipe()
    gc.freeze()  # the collector must not touch (and so copy) every shared object in the child
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 0
        try:
            gc.disable()
            os.close(read_end)
            _clock.FD = write_end if clock_on_signal else None
            try:
                payload: tuple = ("ok", fn(*args))
            except VocabError as exc:
                payload = (
                    "error",
                    exc.message,
                    exc.path,
                    exc.line,
                    getattr(exc, "arguments", None),
                    getattr(exc, "example", None),
                )
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                payload = ("crash", f"{type(exc).__name__}: {exc}")
            start_clock()  # the framing: "R" always comes first when clock_on_signal
            try:
                message = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                message = pickle.dumps(("crash", f"{type(exc).__name__}: {exc}"))
            unsent = memoryview(message)
            while unsent:
                unsent = unsent[os.write(write_end, unsent) :]
        except BaseException:  # noqa: BLE001
            status = 70
        finally:
            os._exit(status)
    gc.unfreeze()
    os.close(write_end)
    deadline = None if clock_on_signal else time.monotonic() + timeout
    chunks: list[bytes] = []
    timed_out = False
    try:
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select_module.select([read_end], [], [], remaining)
            if ready:
                chunk = os.read(read_end, 1 << 20)
                if not chunk:
                    break
                if deadline is None:  # the first byte is the child's "R": the clock starts
                    deadline = time.monotonic() + timeout
                    chunk = chunk[1:]
                chunks.append(chunk)
    finally:
        os.close(read_end)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - it finished just now
                pass
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise _timed_out(timeout)
    data = b"".join(chunks)
    if not data:
        how = f"signal {-os.waitstatus_to_exitcode(status)}" if os.WIFSIGNALED(status) else f"exit {status >> 8}"
        raise VocabError(f"the query process ended without an answer ({how}); it may have run out of memory")
    payload = pickle.loads(data)
    if payload[0] == "ok":
        return payload[1]
    if payload[0] == "error":
        if payload[4] is not None:
            raise ArgumentError(payload[1], payload[4], path=payload[2], line=payload[3], example=payload[5])
        raise VocabError(payload[1], path=payload[2], line=payload[3])
    raise VocabError(f"the query failed: {payload[1]}")
