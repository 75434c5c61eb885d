"""Shared fixtures: the CLI runner, the repository's data folders, a tiny valid vocabulary."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
REAL = DATA / "real-vocabularies"
REAL_VOCABS = sorted(REAL.glob("*.ttl"))


#: The environment for running this checkout's code in a child process.
SUBPROCESS_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(ROOT / "src")}


def run_sst(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`sst-vocab ARGS` as a real process (``python -m sst_vocab``): its exit, its bytes, its fast exit path."""
    kwargs.setdefault("capture_output", True)
    return subprocess.run([sys.executable, "-m", "sst_vocab", *args], env={**SUBPROCESS_ENV, **(env or {})},
                          **kwargs)


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    """No credentials from the developer's environment or ~/.netrc leak into a test."""
    for name in ("SST_VOCAB_TOKEN", "SST_VOCAB_USER", "SST_VOCAB_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI in-process; returns click's Result (stdout, stderr, exit_code)."""
    from sst_vocab.cli import cli

    def _invoke(*args: str, **kwargs):
        return runner.invoke(cli, list(args), catch_exceptions=False, **kwargs)

    return _invoke


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str]

    def _any(self):
        self.hits.append(f"{self.command} {self.path}")
        body = b'{"@context": {"x": "http://leak.example/"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _any

    def log_message(self, *args):  # keep pytest output clean
        pass


@pytest.fixture
def canary():
    """A loopback HTTP server that records every request: tests assert it stays silent."""
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def chdir_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


os.environ.setdefault("NO_COLOR", "1")

# The lookup cache (sst_vocab.cache) of every test, in-process or in a child process, goes to a
# folder of this session, never to the developer's ~/.cache.
_CACHE_HOME = __import__("tempfile").mkdtemp(prefix="sst-vocab-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
SUBPROCESS_ENV["XDG_CACHE_HOME"] = _CACHE_HOME
__import__("atexit").register(__import__("shutil").rmtree, _CACHE_HOME, True)


# --- a real Oxigraph server (issue 5) ---


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """One real `oxigraph serve` for the session (PyPI package `oxigraph`); skipped when the binary is absent."""
    from oxigraph_server import OxigraphServer, oxigraph_binary

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install -e '.[test]', or make test)")
    server = OxigraphServer(binary, tmp_path_factory.mktemp("oxigraph") / "db")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def oxigraph(oxigraph_server):
    """The session's Oxigraph server, emptied before the test."""
    oxigraph_server.clear()
    return oxigraph_server


# --- the documentation site (issue 7) ---


@pytest.fixture(scope="session")
def site():
    """The documentation site of the shipped vocabulary, built once (in memory)."""
    from sst_vocab.site import build

    return build()


@pytest.fixture(scope="session")
def site_server(site):
    """`sst-vocab serve`'s server on a free loopback port, serving that site."""
    from sst_vocab.serve import make_server

    srv = make_server(site, "127.0.0.1", 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


# --- a real Virtuoso Open Source server (issue 15) ---


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """One real Virtuoso (Debian's virtuoso-opensource-7-bin) for the session; skipped when it is not installed."""
    from virtuoso_server import VirtuosoServer, virtuoso_binary

    binary = virtuoso_binary()
    if binary is None:
        pytest.skip("virtuoso-t is not installed (apt-get install virtuoso-opensource-7-bin as root, or make test)")
    server = VirtuosoServer(binary, tmp_path_factory.mktemp("virtuoso") / "db")
    try:
        yield server
    finally:
        server.stop()
