"""A real Virtuoso Open Source server for tests: a temporary database on free loopback ports, stopped by its PID.

The binary is Debian's ``virtuoso-t`` (package ``virtuoso-opensource-7-bin``; ``make test``
installs it).  It runs in the foreground (``-f``) with an INI file written here, so
nothing outside the temporary folder is touched.  The administrator account is Virtuoso's
default for a new database (``dba``/``dba``): the Graph Store endpoint
``/sparql-graph-crud-auth`` asks it for HTTP Digest authentication.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from oxigraph_server import answers_ask

__all__ = ["VirtuosoServer", "virtuoso_binary"]

USER = "dba"
PASSWORD = "dba"

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
CaseMode = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
MaxQueryCostEstimationTime = 400
"""


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    return lambda: libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


_PREEXEC = _die_with_parent()


class VirtuosoServer:
    """``virtuoso-t -f -c INI`` on a new database in ``folder``."""

    def __init__(self, binary: str, folder: Path, ready_timeout: float = 90.0) -> None:
        self.folder = folder
        for _attempt in range(3):  # a probed port may be taken before the server binds it
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            self.http_port, self.sql_port = _free_port(), _free_port()
            self.ini = folder / "virtuoso.ini"
            self.ini.write_text(_INI.format(dir=folder, sql_port=self.sql_port, http_port=self.http_port))
            self._log = open(folder / "stdout.log", "wb")  # noqa: SIM115 - open until stop() closes it
            self.process = subprocess.Popen(
                [binary, "-f", "-c", str(self.ini)],
                cwd=folder,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_PREEXEC,
            )
            if self._wait_ready(ready_timeout):
                return
            self.stop()
        log = (folder / "stdout.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"virtuoso did not start: {log}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def store(self) -> str:
        """The Graph Store endpoint that takes writes, with HTTP Digest authentication."""
        return self.base + "/sparql-graph-crud-auth"

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def pid(self) -> int:
        return self.process.pid

    def _wait_ready(self, timeout: float) -> bool:
        return answers_ask(self.process, self.query_url, "ASK { ?s ?p ?o }", timeout, interval=0.2, request_timeout=5)

    def query(self, sparql: str, graph: str | None = None, accept: str = "application/sparql-results+json") -> bytes:
        form = {"query": sparql, **({"default-graph-uri": graph} if graph else {})}
        req = urllib.request.Request(
            self.query_url, data=urllib.parse.urlencode(form).encode(), headers={"Accept": accept}, method="POST"
        )
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.read()

    def count(self, graph: str) -> int:
        import json

        doc = json.loads(self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"))
        return int(doc["results"]["bindings"][0]["n"]["value"])

    def stop(self) -> None:
        """Terminate the server by its process id and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
