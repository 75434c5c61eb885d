"""Shared fixtures: the CLI runner, the repository's data folders, a tiny valid vocabulary."""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
REAL = DATA / "real-vocabularies"
REAL_VOCABS = sorted(REAL.glob("*.ttl"))


#: The environment for running this checkout's code in a child process.
SUBPROCESS_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(ROOT / "src")}


def load_hypothesis_profile() -> None:
    """The Hypothesis profiles of the property tests, one definition for every file that has them
    (a profile is global: two files registering ``ci`` differently would change each other's
    settings by the order they are collected in): ``ci``, the default (derandomized, 60
    examples), and ``thorough`` (500 examples, random; ``HYPOTHESIS_PROFILE=thorough``)."""
    from hypothesis import HealthCheck, settings

    slow = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
    settings.register_profile(
        "ci",
        max_examples=60,
        deadline=None,
        derandomize=True,
        print_blob=True,
        suppress_health_check=[*slow, HealthCheck.data_too_large],
    )
    settings.register_profile("thorough", max_examples=500, deadline=None, suppress_health_check=slow)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def checkout_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child process that runs this checkout's code (PYTHONPATH=src), plus ``extra``."""
    return {**SUBPROCESS_ENV, **(extra or {})}


def _capture(kwargs: dict) -> dict:
    if not {"stdout", "stderr", "capture_output"} & kwargs.keys():
        kwargs["capture_output"] = True
    return kwargs


def run_python(
    *args: str, env: dict[str, str] | None = None, prefix: tuple[str, ...] | list[str] = (), **kwargs
) -> subprocess.CompletedProcess:
    """``python ARGS`` as a real process: this interpreter (sys.executable), this checkout's code first.

    Every test that starts Python in a child process goes through here (or :func:`run_sst`,
    :func:`popen_python`), so none runs another installed copy of sst_vocab by accident.
    ``prefix``: a command that wraps it (e.g. ``setpriv ...``).  Output is captured unless
    ``stdout``/``stderr`` say otherwise.
    """
    return subprocess.run([*prefix, sys.executable, *args], env=checkout_env(env), **_capture(kwargs))


def run_sst(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """`sst-vocab ARGS` as a real process (``python -m sst_vocab``): its exit, its bytes, its fast exit path."""
    return run_python("-m", "sst_vocab", *args, env=env, **kwargs)


def popen_python(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    """``python ARGS`` started in the background (a server, a language server, a pty), like :func:`run_python`."""
    return subprocess.Popen([sys.executable, *args], env=checkout_env(env), **kwargs)


def popen_sst(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.Popen:
    """`sst-vocab ARGS` started in the background."""
    return popen_python("-m", "sst_vocab", *args, env=env, **kwargs)


def sst_shell_command(*args: str) -> str:
    """`sst-vocab ARGS` as a shell command line, for a pipeline run with ``run_shell``."""
    import shlex

    return shlex.join([sys.executable, "-m", "sst_vocab", *args])


def run_shell(command: str, **kwargs) -> subprocess.CompletedProcess:
    """A shell pipeline (built with :func:`sst_shell_command`) with this checkout's environment."""
    return subprocess.run(command, shell=True, env=checkout_env(), **_capture(kwargs))


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


@contextlib.contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[socketserver.BaseServer]:
    """Serve ``server`` from a background thread for the ``with`` block, then shut it down and close it."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def loopback(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[http.server.ThreadingHTTPServer]:
    """A stub HTTP server on a free loopback port answering with ``handler`` (``url(server)`` is its base URL)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.block_on_close = False
    with serving(server):
        yield server


def url(server: socketserver.BaseServer) -> str:
    """``http://127.0.0.1:PORT`` of a loopback server."""
    return f"http://127.0.0.1:{server.server_address[1]}"


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
    with loopback(type("Handler", (_Recorder,), {"hits": hits})) as server:
        yield url(server), hits


@pytest.fixture
def chdir_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


#: The smallest valid vocabulary: a scheme and one top concept, "Alpha", with a definition.
TINY = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/v/> .
ex:s a skos:ConceptScheme ; skos:prefLabel "S"@en ; skos:hasTopConcept ex:a .
ex:a a skos:Concept ; skos:prefLabel "Alpha"@en ; skos:definition "The first."@en ; skos:inScheme ex:s ;
  skos:topConceptOf ex:s .
"""


@pytest.fixture
def tiny_vocab(tmp_path) -> Path:
    """:data:`TINY` in a file of its own."""
    return write(tmp_path / "tiny" / "v.ttl", TINY)


os.environ.setdefault("NO_COLOR", "1")

# The lookup cache (sst_vocab.query.cache) of every test, in-process or in a child process, goes to a
# folder of this session, never to the developer's ~/.cache.
_CACHE_HOME = __import__("tempfile").mkdtemp(prefix="sst-vocab-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
SUBPROCESS_ENV["XDG_CACHE_HOME"] = _CACHE_HOME
__import__("atexit").register(__import__("shutil").rmtree, _CACHE_HOME, True)


# --- real triple stores, one of each for the session ---


def _store_fixture(module: str, server_class: str, find_binary: str, missing: str):
    """A session fixture running one real store server (tests/MODULE.py), skipped with ``missing`` when absent."""

    @pytest.fixture(scope="session")
    def store_server(tmp_path_factory):
        import importlib

        helpers = importlib.import_module(module)
        binary = getattr(helpers, find_binary)()
        if binary is None:
            pytest.skip(missing)
        server = getattr(helpers, server_class)(binary, tmp_path_factory.mktemp(module) / "db")
        try:
            yield server
        finally:
            server.stop()

    store_server.__doc__ = f"One real {server_class} for the session; skipped when its binary is absent."
    return store_server


#: A real `oxigraph serve` (PyPI package `oxigraph`).
oxigraph_server = _store_fixture(
    "oxigraph_server",
    "OxigraphServer",
    "oxigraph_binary",
    "the oxigraph server binary is not installed (pip install -e '.[test]', or make test)",
)

#: A real Virtuoso Open Source (Debian's virtuoso-opensource-7-bin).
virtuoso_server = _store_fixture(
    "virtuoso_server",
    "VirtuosoServer",
    "virtuoso_binary",
    "virtuoso-t is not installed (apt-get install virtuoso-opensource-7-bin as root, or make test)",
)


@pytest.fixture
def oxigraph(oxigraph_server):
    """The session's Oxigraph server, emptied before the test."""
    oxigraph_server.clear()
    return oxigraph_server


# --- the documentation site ---


@pytest.fixture(scope="session")
def site():
    """The documentation site of the shipped vocabulary, built once (in memory)."""
    from sst_vocab.site import build

    return build()


@pytest.fixture(scope="session")
def site_server(site):
    """`sst-vocab serve`'s server on a free loopback port, serving that site."""
    from sst_vocab.serve import make_server

    with serving(make_server(site, "127.0.0.1", 0)) as srv:
        yield srv


# --- profiles, checked with their own validators ---

VOCPUB = DATA / "third-party-shapes" / "vocpub"
SH = "http://www.w3.org/ns/shacl#"


def vocpub_results(paths: list[Path]) -> list[tuple[str, str, str, str]]:
    """(severity, source shape, focus node, message) of every VocPub result for these files."""
    rdflib = pytest.importorskip("rdflib")
    pyshacl = pytest.importorskip("pyshacl")
    data = rdflib.Graph()
    for path in paths:
        data.parse(path, format="turtle")
    shapes = rdflib.Graph().parse(VOCPUB / "validators" / "validator.ttl", format="turtle")
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=False, do_owl_imports=False
    )
    sh = rdflib.Namespace(SH)
    return sorted(
        (
            str(report.value(r, sh.resultSeverity)).removeprefix(SH),
            str(report.value(r, sh.sourceShape)),
            str(report.value(r, sh.focusNode)),
            str(report.value(r, sh.resultMessage)),
        )
        for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
    )
