"""Publish, then query, without surprises: against a real Oxigraph server.

`sst-vocab publish` puts the vocabulary in the named graph of its version IRI; the
commands that query an endpoint take `--graph IRI` (sent as the protocol's
default-graph-uri), `publish` prints the command that queries what it published, and a
lookup that finds nothing because the endpoint's default graph is empty says so and
names `--graph`.
"""

from __future__ import annotations

import shlex

import pytest

from sst_vocab.query import find, library


def _shipped_graph() -> str:
    """The graph a plain publish of the shipped vocabulary replaces (its owl:versionIRI)."""
    from sst_vocab.loader import load
    from sst_vocab.publish import default_graph_iri

    return default_graph_iri(load())[0]


GRAPH = _shipped_graph()


_PUBLISHED: dict[str, str] = {}


@pytest.fixture
def published(oxigraph_server):
    """The real server holding the shipped vocabulary in its version graph only, published by `sst-vocab publish`.

    Published again whenever another test (the `oxigraph` fixture empties the server) changed that.
    """
    from conftest import run_sst

    if "out" not in _PUBLISHED or oxigraph_server.graphs() != {GRAPH} or oxigraph_server.count() != 0:
        oxigraph_server.clear()
        proc = run_sst(
            "publish",
            "--store",
            oxigraph_server.store,
            text=True,
            env={"SST_VOCAB_TOKEN": "", "SST_VOCAB_USER": "", "SST_VOCAB_PASSWORD": ""},
        )
        assert proc.returncode == 0, proc.stderr
        _PUBLISHED["out"] = proc.stdout
    assert oxigraph_server.graphs() == {GRAPH} and oxigraph_server.count() == 0
    return oxigraph_server, _PUBLISHED["out"]


def test_publish_ends_with_the_command_that_queries_it(published, invoke):
    server, out = published
    last = out.splitlines()[-2]
    assert last == f"Query it: sst-vocab tree --depth 1 --endpoint {server.query_url} --graph {GRAPH}"
    words = shlex.split(last[len("Query it: ") :])
    remote = invoke(*words[1:])
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout == invoke("tree", "--depth", "1").stdout


def test_publishing_to_the_default_graph_prints_a_command_without_graph(oxigraph, invoke, tiny_vocab):
    result = invoke("publish", "--store", oxigraph.store, "--default-graph", str(tiny_vocab), "--force")
    assert result.exit_code == 0, result.stderr
    assert f"Query it: sst-vocab tree --depth 1 --endpoint {oxigraph.query_url}\n" in result.stdout


@pytest.mark.parametrize("args", [["search", "police"], ["show", "SSR"], ["tree"]])
def test_an_empty_default_graph_is_named_and_graph_suggested(args, published, invoke):
    server, _ = published
    result = invoke(*args, "--endpoint", server.query_url)
    assert result.exit_code == 1
    assert "The endpoint's default graph is empty" in result.stderr
    assert f"--graph {GRAPH}" in result.stderr
    assert "Traceback" not in result.output


def test_a_query_with_no_rows_on_an_empty_default_graph_says_so(published, invoke):
    server, _ = published
    result = invoke("query", "definitions", "--format", "csv", "--endpoint", server.query_url)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["concept,label,definition,origin,source,status"]
    assert f"--graph {GRAPH}" in result.stderr
    ask = invoke("query", "--sparql", "ASK { ?s a skos:Concept }", "--endpoint", server.query_url)
    assert ask.exit_code == 1 and "default graph is empty" in ask.stderr


def test_no_note_when_the_default_graph_has_data(oxigraph, invoke, tiny_vocab):
    assert invoke("publish", "--store", oxigraph.store, "--default-graph", str(tiny_vocab), "--force").exit_code == 0
    result = invoke("search", "police", "--endpoint", oxigraph.query_url)
    assert result.exit_code == 1 and "default graph" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [["show", "SSR"], ["show", "secrity"], ["search", "police"], ["tree"], ["tree", "security system", "--depth", "1"]],
)
def test_lookups_with_graph_answer_as_locally(args, published, invoke):
    server, _ = published
    local = invoke(*args)
    remote = invoke(*args, "--endpoint", server.query_url, "--graph", GRAPH)
    assert (remote.exit_code, remote.stdout, remote.stderr) == (local.exit_code, local.stdout, local.stderr)


@pytest.mark.parametrize("name", sorted(library()))
def test_named_queries_with_graph_answer_as_locally(name, published, invoke):
    server, _ = published
    binds = [f"--bind={p.name}={p.example}" for p in (find(name).params or ()) if p.example]
    local = invoke("query", name, *binds, "--format", "csv")
    remote = invoke("query", name, *binds, "--format", "csv", "--endpoint", server.query_url, "--graph", GRAPH)
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout_bytes == local.stdout_bytes


def test_the_graph_is_sent_as_default_graph_uri(invoke, endpoint_recorder):
    url, forms = endpoint_recorder
    invoke("query", "--sparql", "ASK { ?s ?p ?o }", "--endpoint", url, "--graph", GRAPH)
    assert forms and all(f.get("default-graph-uri") == [GRAPH] for f in forms)
    assert all("GRAPH" not in f["query"][0] for f in forms)  # the query text is not changed


@pytest.fixture
def endpoint_recorder():
    """A loopback SPARQL endpoint that records the forms it is sent and answers ASK true."""
    import http.server
    import urllib.parse

    from conftest import loopback, url

    forms: list[dict] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            forms.append(urllib.parse.parse_qs(body.decode()))
            answer = b'{"head":{},"boolean":true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    with loopback(Handler) as server:
        yield url(server) + "/sparql", forms


@pytest.mark.parametrize(
    "args, message",
    [
        (["search", "police", "--graph", GRAPH], "--graph applies to --endpoint only"),
        (["query", "drafts", "--graph", GRAPH], "--graph applies to --endpoint only"),
        (["show", "SSR", "--endpoint", "http://127.0.0.1:9/sparql", "--graph", "not an iri"], "is not an absolute IRI"),
    ],
)
def test_graph_misuse_is_one_clear_error(args, message, invoke, canary):
    result = invoke(*args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
