"""publish: Graph Store PUT to a real Oxigraph server, verified by a count; refusals, error paths, credentials.

The store is a real ``oxigraph serve`` (fixture ``oxigraph`` in conftest.py).  Failures a
real store will not produce on demand (500, 401, 413, a hang, a redirect) come from a
tiny local stub server that records every request.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import subprocess
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REAL_VOCABS, free_port, loopback, run_python, run_sst, url, write
from sst_vocab.loader import load


def _shipped_graph() -> str:
    """The shipped scheme's owl:versionIRI, the graph a plain publish replaces."""
    (q,) = load().store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI"), None)
    return q.object.value


SHIPPED_GRAPH = _shipped_graph()
SMALL_SCHEME = "https://example.org/small/scheme"

SMALL = """@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/small/> .

ex:scheme a skos:ConceptScheme ;
    skos:prefLabel "Small"@en ;
    skos:definition "A small test vocabulary."@en ;
    dcterms:created "2024-01-01"^^xsd:date ;
    dcterms:modified "2024-02-01"^^xsd:date ;
    dcterms:creator ex:editors ;
    dcterms:publisher ex:editors ;
    dcterms:source "Made up for the tests."@en ;
    skos:hasTopConcept ex:alpha .

ex:alpha a skos:Concept ;
    skos:prefLabel "Alpha"@en ;
    skos:definition "The first letter of the Greek alphabet."@en ;
    skos:inScheme ex:scheme ;
    skos:topConceptOf ex:scheme ;
    skos:narrower ex:beta .

ex:beta a skos:Concept ;
    skos:prefLabel "Beta"@en ;
    skos:definition "The second letter of the Greek alphabet."@en ;
    skos:inScheme ex:scheme ;
    skos:broader ex:alpha .
"""

# Two English prefLabels on one concept: a violation.
BROKEN = SMALL.replace('skos:prefLabel "Beta"@en ;', 'skos:prefLabel "Beta"@en , "Beta again"@en ;')

TOKEN = "tok-9f2c1e7a5b3d4c6e8f0a"
PASSWORD = "pw-7d3b9a1c5e2f4a6b8c0d"


@pytest.fixture
def small(tmp_path) -> Path:
    return write(tmp_path / "small.ttl", SMALL)


@pytest.fixture
def broken(tmp_path) -> Path:
    return write(tmp_path / "broken.ttl", BROKEN)


def triples(path) -> int:
    return len(load([path]).store)


def assert_clean_failure(result, *needles: str) -> None:
    """Exit 2, one `Error:` message on stderr containing the needles, nothing on stdout, no traceback."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


# ---------------------------------------------------------------------------
# A tiny stub HTTP server for the failures a real store does not give on demand
# ---------------------------------------------------------------------------


class Stub:
    """Answers each method with a fixed (status, body) or a function of the request; records every request."""

    def __init__(self, answers: dict, delay: float = 0.0) -> None:
        self.requests: list[dict] = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                req = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "body": body}
                stub.requests.append(req)
                if delay:
                    time.sleep(delay)
                answer = answers.get(self.command, (405, b"no"))
                status, payload, *rest = answer(req) if callable(answer) else answer
                headers = rest[0] if rest else {}
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _any

            def log_message(self, *args) -> None:
                pass

        self._serving = contextlib.ExitStack()
        self.server = self._serving.enter_context(loopback(Handler))
        self.base = url(self.server)

    @property
    def store(self) -> str:
        return self.base + "/store"

    def methods(self) -> list[str]:
        return [r["method"] for r in self.requests]

    def close(self) -> None:
        self._serving.close()


def count_answer(n: int):
    body = json.dumps(
        {
            "head": {"vars": ["n"]},
            "results": {
                "bindings": [
                    {"n": {"type": "literal", "value": str(n), "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}
                ]
            },
        }
    )
    return (200, body.encode(), {"Content-Type": "application/sparql-results+json"})


@pytest.fixture
def stub():
    made: list[Stub] = []

    def _make(answers: dict, delay: float = 0.0) -> Stub:
        s = Stub(answers, delay)
        made.append(s)
        return s

    yield _make
    for s in made:
        s.close()


# ---------------------------------------------------------------------------
# Against a real Oxigraph server
# ---------------------------------------------------------------------------


def test_publish_puts_the_vocabulary_into_its_version_graph_and_verifies_it(invoke, oxigraph):
    sent = len(load().store)
    result = invoke("publish", "--store", oxigraph.store)
    assert result.exit_code == 0, result.stderr
    assert oxigraph.graphs() == {SHIPPED_GRAPH}
    assert oxigraph.count(SHIPPED_GRAPH) == sent
    assert oxigraph.count() == 0  # nothing in the default graph
    assert f"Published {sent} triples" in result.stdout and "HTTP 201, created" in result.stdout
    assert f"Verified: the store holds {sent} triples in <{SHIPPED_GRAPH}>, as sent" in result.stdout
    assert f"counted via {oxigraph.query_url}" in result.stdout


def test_publishing_again_replaces_the_graph_without_duplicates(invoke, oxigraph):
    sent = len(load().store)
    assert invoke("publish", "--store", oxigraph.store).exit_code == 0
    again = invoke("publish", "--store", oxigraph.store)
    assert again.exit_code == 0, again.stderr
    assert "HTTP 204, replaced" in again.stdout
    assert oxigraph.count(SHIPPED_GRAPH) == sent
    assert oxigraph.graphs() == {SHIPPED_GRAPH}


def test_publishing_a_changed_vocabulary_leaves_exactly_the_new_triples(invoke, oxigraph, tmp_path, small):
    g = "https://example.org/graphs/small"
    assert invoke("publish", "--store", oxigraph.store, "--graph", g, str(small)).exit_code == 0
    changed = write(
        tmp_path / "changed" / "small.ttl",
        SMALL.replace("The second letter of the Greek alphabet.", "The letter after alpha."),
    )
    result = invoke("publish", "--store", oxigraph.store, "--graph", g, str(changed))
    assert result.exit_code == 0, result.stderr
    assert oxigraph.count(g) == triples(changed)
    old = json.loads(oxigraph.query(f'ASK {{ GRAPH <{g}> {{ ?s ?p "The second letter of the Greek alphabet."@en }} }}'))
    assert old["boolean"] is False


def test_default_graph(invoke, oxigraph, small):
    n = triples(small)
    for status in ("HTTP 20", "HTTP 204"):
        result = invoke("publish", "--store", oxigraph.store, "--default-graph", str(small))
        assert result.exit_code == 0, result.stderr
        assert status in result.stdout
        assert f"Verified: the store holds {n} triples in the default graph" in result.stdout
    assert oxigraph.count() == n
    assert oxigraph.graphs() == set()


def test_graph_option_and_scheme_iri_default(invoke, oxigraph, small):
    n = triples(small)
    result = invoke("publish", "--store", oxigraph.store, str(small), "--dry-run")
    assert f"graph: <{SMALL_SCHEME}> (scheme IRI)" in result.stdout  # no owl:versionIRI: the scheme IRI
    assert invoke("publish", "--store", oxigraph.store, str(small)).exit_code == 0
    assert invoke("publish", "--store", oxigraph.store, str(small), "--graph", "urn:x-test:other").exit_code == 0
    assert oxigraph.graphs() == {SMALL_SCHEME, "urn:x-test:other"}
    assert oxigraph.count(SMALL_SCHEME) == oxigraph.count("urn:x-test:other") == n


def test_the_payload_is_the_same_bytes_on_every_run_with_blank_nodes():
    """Each load labels blank nodes at random (the shipped vocabulary has some: qualified
    attributions); the Turtle sent, and the size a dry run reports, must not change with them."""
    runs = {run_sst("publish", "--store", "http://127.0.0.1:9/store", "--dry-run").stdout for _ in range(3)}
    assert len(runs) == 1
    from sst_vocab.publish import _turtle

    assert _turtle(load()) == _turtle(load())


def test_dry_run_sends_nothing(invoke, oxigraph, canary):
    result = invoke("publish", "--store", oxigraph.store, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert oxigraph.graphs() == set() and oxigraph.count() == 0
    out = result.stdout
    assert out.startswith("Dry run: nothing was sent.")
    quoted = urllib.parse.quote(SHIPPED_GRAPH, safe="")
    assert f"Would PUT {len(load().store)} triples" in out and f"{oxigraph.store}?graph={quoted}" in out
    assert f"graph: <{SHIPPED_GRAPH}> (owl:versionIRI)" in out
    assert oxigraph.query_url in out

    base, hits = canary
    result = invoke("publish", "--store", base + "/store", "--dry-run")
    assert result.exit_code == 0 and hits == []


def test_violations_refuse_to_publish_and_force_publishes_loudly(invoke, oxigraph, broken):
    result = invoke("publish", "--store", oxigraph.store, str(broken))
    assert result.exit_code == 1
    assert "Violation" in result.stderr and "LBL-01" in result.stderr
    assert (
        "Refusing to publish: the vocabulary has 1 violation (--force to publish anyway). Nothing was sent."
        in result.stderr
    )
    assert result.stdout == ""
    assert oxigraph.graphs() == set()

    dry = invoke("publish", "--store", oxigraph.store, str(broken), "--dry-run")
    assert dry.exit_code == 1 and "Refusing" in dry.stderr

    forced = invoke("publish", "--store", oxigraph.store, str(broken), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "WARNING: publishing a vocabulary with 1 violation (--force)." in forced.stderr
    assert "LBL-01" in forced.stderr
    assert oxigraph.count(SMALL_SCHEME) == triples(broken)


@pytest.mark.slow  # validation of the larger real vocabularies takes seconds each
@pytest.mark.parametrize("path", REAL_VOCABS, ids=[p.stem for p in REAL_VOCABS])
def test_real_vocabularies(invoke, oxigraph, path):
    result = invoke("publish", "--store", oxigraph.store, str(path), "--force")
    assert result.exit_code == 0, result.stderr
    assert "Verified:" in result.stdout
    (graph,) = oxigraph.graphs()
    assert oxigraph.count(graph) == triples(path)


def test_mismatch_when_the_default_graph_is_the_union_of_all_graphs(invoke, tmp_path, small):
    """A store whose default graph is the union (oxigraph --union-default-graph, GraphDB): exit 1, both counts."""
    from oxigraph_server import OxigraphServer, oxigraph_binary

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed")
    server = OxigraphServer(binary, tmp_path / "union-db", "--union-default-graph")
    try:
        server.update("INSERT DATA { GRAPH <urn:x-test:g> { <urn:x-test:s> <urn:x-test:p> <urn:x-test:o> } }")
        result = invoke("publish", "--store", server.store, "--default-graph", str(small))
    finally:
        server.stop()
    n = triples(small)
    assert result.exit_code == 1
    assert f"Published {n} triples" in result.stdout
    assert f"Mismatch: sent {n} triples, but the store's graph holds {n + 1}" in result.stderr
    assert "publish to a named graph" in result.stderr


def test_a_refused_put_on_a_real_read_only_store_leaves_the_old_graph(invoke, tmp_path, small):
    from oxigraph_server import OxigraphServer, oxigraph_binary

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed")
    location = tmp_path / "ro-db"
    server = OxigraphServer(binary, location)
    try:
        assert invoke("publish", "--store", server.store, str(small)).exit_code == 0
    finally:
        server.stop()
    changed = write(tmp_path / "changed.ttl", SMALL.replace('"Alpha"@en', '"Alpha (changed)"@en'))
    ro = OxigraphServer(binary, location, command="serve-read-only")  # answers 403 to Graph Store writes
    try:
        result = invoke("publish", "--store", ro.store, str(changed))
        assert_clean_failure(
            result,
            f"could not publish to {ro.store} (<{SMALL_SCHEME}>): HTTP 403",
            "read-only",
            f"Nothing was replaced: <{SMALL_SCHEME}> on the store keeps its previous content.",
        )
        assert ro.count(SMALL_SCHEME) == triples(small)
        kept = json.loads(ro.query(f'ASK {{ GRAPH <{SMALL_SCHEME}> {{ ?s ?p "Alpha"@en }} }}'))
        assert kept["boolean"] is True
    finally:
        ro.stop()


def test_wrong_path_on_a_real_server(invoke, oxigraph):
    result = invoke("publish", "--store", oxigraph.base + "/nope", "--query-endpoint", oxigraph.query_url)
    assert_clean_failure(
        result,
        f"could not publish to {oxigraph.base}/nope",
        "HTTP 404",
        "Oxigraph http://HOST:7878/store, Fuseki http://HOST:3030/DATASET/data",
    )
    # The query endpoint is not a Graph Store endpoint; nothing to derive a query endpoint from either.
    result = invoke("publish", "--store", oxigraph.query_url)
    assert_clean_failure(result, "cannot tell the SPARQL query endpoint", "--query-endpoint")
    assert oxigraph.graphs() == set()


def test_publish_does_not_import_rdflib(oxigraph, small):
    code = (
        "import sys\n"
        "from sst_vocab.publish import publish\n"
        f"p = publish({oxigraph.store!r}, [{str(small)!r}])\n"
        "assert p.verified, (p.triples, p.stored)\n"
        "print(sorted(m for m in ('rdflib', 'pyshacl', 'click') if m in sys.modules))\n"
    )
    out = run_python("-c", code, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------
# Error paths: nothing listening, HTTP errors, hangs, redirects, bad answers
# ---------------------------------------------------------------------------


def test_nothing_listening(invoke, small):
    port = free_port()
    store = f"http://127.0.0.1:{port}/store"
    result = invoke("publish", "--store", store, str(small))
    assert_clean_failure(
        result,
        f"could not publish to {store} (<{SMALL_SCHEME}>): connection refused",
        "Check that the server is running",
    )


@pytest.mark.parametrize(
    "status, needles",
    [
        (500, ["HTTP 500", "the server said: boom", "check its log", "Nothing was replaced"]),
        (503, ["HTTP 503", "check its log", "Nothing was replaced"]),
        (504, ["HTTP 504", "The store may still apply the upload; publishing again is safe"]),
        (
            401,
            [
                "HTTP 401",
                f"Nothing was replaced: <{SMALL_SCHEME}> on the store keeps its previous content.",
                "none were sent",
                "SST_VOCAB_TOKEN",
                "SST_VOCAB_USER and SST_VOCAB_PASSWORD",
                "netrc",
            ],
        ),
        (403, ["HTTP 403", "read-only"]),
        (404, ["HTTP 404", "GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service"]),
        (405, ["HTTP 405", "probably the query endpoint"]),
        (413, ["HTTP 413", "bytes) is larger than the server", "client_max_body_size"]),
    ],
)
def test_http_errors_are_one_clear_message(invoke, stub, small, no_credentials, status, needles):
    s = stub({"PUT": (status, b"boom")})
    result = invoke("publish", "--store", s.store, str(small))
    assert_clean_failure(result, f"could not publish to {s.store} (<{SMALL_SCHEME}>)", *needles)
    assert s.methods() == ["PUT"]  # no DELETE first, no query after a failed PUT


def test_timeout(invoke, stub, small):
    s = stub({"PUT": (204, b"")}, delay=3)  # it would succeed, after 3 s: the failure is the timeout's
    result = invoke("publish", "--store", s.store, str(small), "--timeout", "0.5")
    assert_clean_failure(result, "no answer within 0.5 s", "--timeout", "publishing again is safe")


def test_redirects_are_not_followed(invoke, stub, small, monkeypatch):
    monkeypatch.setenv("SST_VOCAB_TOKEN", TOKEN)
    s = stub({"PUT": (307, b"", {"Location": "http://127.0.0.1:9/elsewhere"})})
    result = invoke("publish", "--store", s.store, str(small))
    assert_clean_failure(result, "HTTP 307", "a redirect to http://127.0.0.1:9/elsewhere", "Use that URL directly")
    assert s.methods() == ["PUT"]
    assert TOKEN not in result.stderr


def test_a_failing_count_says_the_upload_was_accepted(invoke, stub, small):
    s = stub({"PUT": (204, b""), "POST": (500, b"query engine down")})
    result = invoke("publish", "--store", s.store, str(small))
    assert_clean_failure(
        result,
        f"could not count the published triples with {s.base}/query",
        "HTTP 500",
        "The upload itself was accepted (HTTP 204)",
    )
    s2 = stub({"PUT": (204, b""), "POST": (200, b"<html>not sparql</html>", {"Content-Type": "text/html"})})
    result = invoke("publish", "--store", s2.store, str(small))
    assert_clean_failure(result, "did not answer the triple count with SPARQL JSON results", "text/html")


def test_what_is_sent(invoke, stub, small):
    n = triples(small)
    s = stub({"PUT": (201, b""), "POST": count_answer(n)})
    result = invoke(
        "publish",
        "--store",
        s.store + "?repo=x",
        str(small),
        "--graph",
        "urn:x-test:g",
        "--query-endpoint",
        s.base + "/sparql",
    )
    assert result.exit_code == 0, result.stderr
    put, count = s.requests
    assert put["method"] == "PUT"
    assert put["path"] == "/store?repo=x&graph=urn%3Ax-test%3Ag"
    assert put["headers"]["Content-Type"].startswith("text/turtle")
    sent = ox.Store()
    sent.load(put["body"], format=ox.RdfFormat.TURTLE)
    assert set(sent) == set(load([small]).store)
    assert count["method"] == "POST" and count["path"] == "/sparql"
    assert "application/sparql-results+json" in count["headers"]["Accept"]
    query = urllib.parse.parse_qs(count["body"].decode())["query"][0]
    assert "GRAPH <urn:x-test:g>" in query and "COUNT" in query


def test_a_wrong_count_is_a_mismatch(invoke, stub, small):
    s = stub({"PUT": (204, b""), "POST": count_answer(3)})
    result = invoke("publish", "--store", s.store, str(small))
    assert result.exit_code == 1
    assert f"Mismatch: sent {triples(small)} triples, but the store's graph holds 3" in result.stderr


@pytest.mark.parametrize(
    "args, needle",
    [
        (["--graph", "urn:x:g", "--default-graph"], "not both (--graph IRI or --default-graph)"),
        (["--graph", "not an iri"], "is not an absolute IRI"),
        (["--timeout", "0"], "the timeout must be a positive number of seconds (--timeout SECONDS)"),
    ],
)
def test_bad_arguments(invoke, canary, small, args, needle):
    base, hits = canary
    result = invoke("publish", "--store", base + "/store", str(small), *args)
    assert_clean_failure(result, needle)
    assert hits == []


@pytest.mark.parametrize(
    "store, needle",
    [
        ("ftp://127.0.0.1/store", "must be an absolute http:// or https:// URL"),
        ("/store", "must be an absolute http:// or https:// URL"),
        ("{base}/store?graph=urn:x:g", "without ?graph= or ?default"),
        ("{base}/store?default", "without ?graph= or ?default"),
        ("{base}/somewhere", "cannot tell the SPARQL query endpoint"),
    ],
)
def test_bad_store_urls_send_nothing(invoke, canary, small, store, needle):
    base, hits = canary
    result = invoke("publish", "--store", store.format(base=base), str(small))
    assert_clean_failure(result, needle)
    assert hits == []


def test_which_graph_needs_one_scheme(invoke, canary, tmp_path, small):
    base, hits = canary
    two = write(
        tmp_path / "two.ttl",
        SMALL.replace(
            "ex:scheme a skos:ConceptScheme ;", "ex:other a skos:ConceptScheme .\nex:scheme a skos:ConceptScheme ;"
        ),
    )
    result = invoke("publish", "--store", base + "/store", str(two))
    assert_clean_failure(result, "2 concept schemes", "--graph IRI or --default-graph")
    none = write(tmp_path / "none.ttl", "<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    result = invoke("publish", "--store", base + "/store", str(none))
    assert_clean_failure(result, "no skos:ConceptScheme to name the graph after")
    assert hits == []


@pytest.mark.parametrize(
    "kwargs, options",
    [
        ({"graph": "urn:x:g", "default_graph": True}, ("graph", "default_graph")),
        ({"graph": "not an iri"}, ("graph",)),
        ({"timeout": 0}, ("timeout",)),
        ({"store": "http://127.0.0.1:9/somewhere"}, ("query_endpoint",)),
    ],
)
def test_library_errors_name_parameters_not_flags(small, kwargs, options):
    """The library has callers besides the command line: its messages spell no flag, its errors name the
    parameters that would fix them (the CLI adds its own spelling, as the tests above show)."""
    from sst_vocab.errors import VocabError
    from sst_vocab.publish import publish

    store = kwargs.pop("store", "http://127.0.0.1:9/store")
    with pytest.raises(VocabError) as caught:
        publish(store, [small], dry_run=True, **kwargs)
    assert caught.value.options == options
    assert "--" not in str(caught.value)


def test_query_endpoints_of_known_layouts():
    from sst_vocab.publish import query_endpoint_for

    assert query_endpoint_for("http://h:7878/store") == "http://h:7878/query"
    assert query_endpoint_for("https://h/oxigraph/store/") == "https://h/oxigraph/query"
    assert query_endpoint_for("http://h:3030/sst/data") == "http://h:3030/sst/sparql"
    assert query_endpoint_for("http://h:7200/repositories/sst/rdf-graphs/service") == "http://h:7200/repositories/sst"


# ---------------------------------------------------------------------------
# Credentials: from the environment or netrc; they reach the server and never the output
# ---------------------------------------------------------------------------


def _all_output(result) -> str:
    return result.stdout + result.stderr


def test_bearer_token_from_the_environment(invoke, stub, small, monkeypatch, no_credentials):
    monkeypatch.setenv("SST_VOCAB_TOKEN", TOKEN)
    s = stub({"PUT": (204, b""), "POST": count_answer(triples(small))})
    result = invoke("publish", "--store", s.store, str(small))
    assert result.exit_code == 0, result.stderr
    assert [r["headers"].get("Authorization") for r in s.requests] == [f"Bearer {TOKEN}"] * 2
    assert TOKEN not in _all_output(result)

    dry = invoke("publish", "--store", s.store, str(small), "--dry-run")
    assert "credentials: bearer token from SST_VOCAB_TOKEN" in dry.stdout
    assert TOKEN not in _all_output(dry)
    assert len(s.requests) == 2


def test_basic_credentials_from_the_environment(invoke, stub, small, monkeypatch, no_credentials):
    monkeypatch.setenv("SST_VOCAB_USER", "editor")
    monkeypatch.setenv("SST_VOCAB_PASSWORD", PASSWORD)
    pair = base64.b64encode(f"editor:{PASSWORD}".encode()).decode()
    s = stub({"PUT": (204, b""), "POST": count_answer(triples(small))})
    result = invoke("publish", "--store", s.store, str(small))
    assert result.exit_code == 0, result.stderr
    assert s.requests[0]["headers"]["Authorization"] == f"Basic {pair}"
    assert PASSWORD not in _all_output(result) and pair not in _all_output(result)


def test_basic_credentials_from_netrc(invoke, stub, small, monkeypatch, no_credentials, tmp_path):
    netrc = write(tmp_path / "netrc", f"machine 127.0.0.1 login editor password {PASSWORD}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    s = stub({"PUT": (204, b""), "POST": count_answer(triples(small))})
    dry = invoke("publish", "--store", s.store, str(small), "--dry-run")
    assert "credentials: HTTP basic credentials from the netrc file" in dry.stdout
    result = invoke("publish", "--store", s.store, str(small))
    assert result.exit_code == 0, result.stderr
    pair = base64.b64encode(f"editor:{PASSWORD}".encode()).decode()
    assert s.requests[0]["headers"]["Authorization"] == f"Basic {pair}"
    for r in (dry, result):
        assert PASSWORD not in _all_output(r) and pair not in _all_output(r)


@pytest.mark.parametrize("status", [401, 403, 500])
def test_credentials_never_appear_in_error_messages(invoke, stub, small, monkeypatch, no_credentials, status):
    """Even a server that echoes the Authorization header back in its error page."""
    monkeypatch.setenv("SST_VOCAB_TOKEN", TOKEN)

    def echo(req):
        return status, f"denied: {req['headers'].get('Authorization')}".encode()

    s = stub({"PUT": echo})
    result = invoke("publish", "--store", s.store, str(small))
    assert_clean_failure(result, f"HTTP {status}", "denied: Bearer ***")
    assert TOKEN not in _all_output(result)
    if status == 401:
        assert "rejected the bearer token from SST_VOCAB_TOKEN" in result.stderr
    assert s.requests[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"


def test_credentials_are_not_taken_from_the_url(invoke, canary, small, no_credentials):
    base, hits = canary
    store = base.replace("http://", f"http://editor:{PASSWORD}@") + "/store"
    result = invoke("publish", "--store", store, str(small))
    assert_clean_failure(result, "do not put credentials in the URL", "SST_VOCAB_USER")
    assert PASSWORD not in _all_output(result) and "editor" not in _all_output(result)
    assert hits == []


def test_half_set_basic_credentials(invoke, canary, small, monkeypatch, no_credentials):
    base, hits = canary
    monkeypatch.setenv("SST_VOCAB_PASSWORD", PASSWORD)
    result = invoke("publish", "--store", base + "/store", str(small))
    assert_clean_failure(result, "SST_VOCAB_USER is not set")
    assert PASSWORD not in _all_output(result)
    assert hits == []


def test_plain_http_with_credentials_to_another_host_is_warned(invoke, small, monkeypatch, no_credentials):
    monkeypatch.setenv("SST_VOCAB_TOKEN", TOKEN)
    result = invoke("publish", "--store", "http://store.example.org/store", str(small), "--dry-run")
    assert result.exit_code == 0
    assert "Warning: credentials are sent to store.example.org over plain http" in result.stderr
    assert TOKEN not in _all_output(result)


def test_help_names_the_layouts_and_the_credential_variables(invoke):
    result = invoke("publish", "--help")
    assert result.exit_code == 0
    for needle in ("/store", "/DATASET/data", "rdf-graphs/service", "SST_VOCAB_TOKEN", "netrc", "--dry-run"):
        assert needle in result.stdout


def test_tls_certificates_are_verified(invoke, small, tmp_path, no_credentials, monkeypatch):
    """A store with a certificate no CA vouches for: refused before any HTTP request (or credential) is sent."""
    import shutil
    import ssl

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SST_VOCAB_TOKEN", TOKEN)
    s = Stub({"PUT": (204, b""), "POST": count_answer(triples(small))})
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    s.server.socket = context.wrap_socket(s.server.socket, server_side=True)
    try:
        store = s.store.replace("http://", "https://")
        result = invoke("publish", "--store", store, str(small))
        assert_clean_failure(
            result,
            f"could not publish to {store}",
            "TLS certificate of 127.0.0.1",
            "could not be verified",
            "SSL_CERT_FILE",
        )
        assert s.requests == [] and TOKEN not in _all_output(result)
        # Trusting that certificate (SSL_CERT_FILE) makes the same store acceptable.
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        result = invoke("publish", "--store", store, str(small))
        assert result.exit_code == 0, result.stderr
        assert [r["method"] for r in s.requests] == ["PUT", "POST"]
        assert s.requests[0]["headers"]["Authorization"] == f"Bearer {TOKEN}"
    finally:
        s.close()


def test_a_broken_netrc_is_named_without_its_content(invoke, canary, small, monkeypatch, no_credentials, tmp_path):
    base, hits = canary
    netrc = write(tmp_path / "netrc", f"machine 127.0.0.1 login editor\npassword {PASSWORD} bogus-token here\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    result = invoke("publish", "--store", base + "/store", str(small))
    assert_clean_failure(result, f"{netrc}:", "cannot read the netrc file")
    assert PASSWORD not in _all_output(result) and "bogus-token" not in _all_output(result)
    assert hits == []
