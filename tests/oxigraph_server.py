"""A real Oxigraph SPARQL server for tests: started on a free loopback port, stopped by its process id.

The binary comes from the ``oxigraph`` package on PyPI (the ``test`` extra; ``make test``
installs it): it sits next to the Python interpreter, or on PATH.  No mock of the store.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

__all__ = ["OxigraphServer", "oxigraph_binary"]


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` server binary: the venv's (next to sys.executable), else the one on PATH."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.is_file():
        return str(here)
    return shutil.which("oxigraph")


def _die_with_parent():
    """On Linux, have the kernel stop the server when the test process dies without cleaning up."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork: the child only makes the call
    pr_set_pdeathsig = 1
    return lambda: libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


_PREEXEC = _die_with_parent()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_ask(
    process: subprocess.Popen, query_url: str, ask: str, timeout: float, *, interval: float, request_timeout: float
) -> bool:
    """Whether the store ``process`` serves answers ``ask`` at ``query_url`` (HTTP 200) within ``timeout``
    seconds; False at once when the process has ended.  Both real stores of the tests wait this way."""
    deadline = time.monotonic() + timeout
    probe = query_url + "?" + urllib.parse.urlencode({"query": ask})
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(probe, timeout=request_timeout) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(interval)
    return False


class OxigraphServer:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` as a child process.

    ``command="serve-read-only"`` serves an existing store read-only; ``args`` are passed on
    (e.g. ``--union-default-graph``).
    """

    def __init__(
        self, binary: str, location: Path, *args: str, command: str = "serve", ready_timeout: float = 20.0
    ) -> None:
        self.location = location
        self.log_path = location.with_suffix(".log")
        for _attempt in range(3):  # the free port may be taken between probing and binding
            self.port = _free_port()
            self.base = f"http://127.0.0.1:{self.port}"
            self._log = open(self.log_path, "wb")  # noqa: SIM115 - the server writes to it until stop() closes it
            self.process = subprocess.Popen(
                [binary, command, "--location", str(location), "--bind", f"127.0.0.1:{self.port}", *args],
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_PREEXEC,
            )
            if self._wait_ready(ready_timeout):
                return
            self.stop()
        raise RuntimeError(f"oxigraph did not start: {self.log_path.read_text(errors='replace')[-2000:]}")

    @property
    def store(self) -> str:
        return self.base + "/store"

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait_ready(self, timeout: float) -> bool:
        return answers_ask(self.process, self.query_url, "ASK {}", timeout, interval=0.05, request_timeout=2)

    def query(self, sparql: str, accept: str = "application/sparql-results+json") -> bytes:
        data = urllib.parse.urlencode({"query": sparql}).encode()
        req = urllib.request.Request(self.query_url, data=data, headers={"Accept": accept}, method="POST")
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.read()

    def count(self, graph: str | None = None) -> int:
        """Triples in ``graph`` (None: the default graph)."""
        import json

        pattern = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
        doc = json.loads(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))
        return int(doc["results"]["bindings"][0]["n"]["value"])

    def graphs(self) -> set[str]:
        import json

        doc = json.loads(self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return {b["g"]["value"] for b in doc["results"]["bindings"]}

    def update(self, sparql: str) -> None:
        data = urllib.parse.urlencode({"update": sparql}).encode()
        with urllib.request.urlopen(
            urllib.request.Request(self.base + "/update", data=data, method="POST"), timeout=30
        ):
            pass

    def clear(self) -> None:
        """Empty the store: the default graph and every named graph."""
        self.update("DROP ALL")

    def stop(self) -> None:
        """Terminate the server by its process id and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._log.close()
