"""A second real triple store: Virtuoso Open Source (Debian's virtuoso-opensource-7-bin).

``sst-vocab publish`` puts the shipped vocabulary into Virtuoso through its authenticated
Graph Store endpoint (``/sparql-graph-crud-auth``, HTTP Digest), the count is verified, and
then the command that ``publish`` prints, the lookups and the named queries run on the
published graph with ``--graph`` and give the same rows as the local vocabulary.  The
server is started on free loopback ports with a temporary database and stopped by its PID
(tests/virtuoso_server.py); without ``virtuoso-t`` these tests are skipped.
"""

from __future__ import annotations

import csv
import io
import json
import shlex

import pytest

from sst_vocab.loader import load
from sst_vocab.query import find, library
from virtuoso_server import PASSWORD, USER


def _shipped_graph() -> str:
    """The graph a plain publish of the shipped vocabulary replaces (its owl:versionIRI)."""
    from sst_vocab.loader import load
    from sst_vocab.publish import default_graph_iri

    return default_graph_iri(load())[0]


GRAPH = _shipped_graph()
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def published(virtuoso_server, tmp_path_factory):
    """The shipped vocabulary published into Virtuoso with `sst-vocab publish` (Digest credentials from the env)."""
    from conftest import run_sst

    home = tmp_path_factory.mktemp("home")
    env = {"SST_VOCAB_USER": USER, "SST_VOCAB_PASSWORD": PASSWORD, "HOME": str(home), "NETRC": str(home / "none")}
    proc = run_sst("publish", "--store", virtuoso_server.store, env=env, text=True)
    assert proc.returncode == 0, proc.stderr
    return virtuoso_server, proc.stdout


def test_publish_with_digest_authentication_is_verified(published):
    server, out = published
    sent = len(load())
    assert f"Published {sent} triples" in out
    assert f"Verified: the store holds {sent} triples in <{GRAPH}>" in out
    assert server.count(GRAPH) == sent


def test_the_printed_command_queries_what_was_published(published, invoke):
    server, out = published
    line = next(line for line in out.splitlines() if line.startswith("Query it: "))
    words = shlex.split(line[len("Query it: ") :])
    assert words[:2] == ["sst-vocab", "tree"] and server.query_url in words and GRAPH in words
    remote = invoke(*words[1:])
    local = invoke(*[w for w in words[1:] if w not in ("--endpoint", server.query_url, "--graph", GRAPH)])
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout == local.stdout and "Security system" in remote.stdout


def test_wrong_digest_credentials_are_one_clear_error(virtuoso_server, invoke, monkeypatch, no_credentials):
    monkeypatch.setenv("SST_VOCAB_USER", USER)
    monkeypatch.setenv("SST_VOCAB_PASSWORD", "not-the-password")
    result = invoke("publish", "--store", virtuoso_server.store, "--graph", "urn:x:never")
    assert result.exit_code == 2
    assert "HTTP 401" in result.stderr and "rejected the HTTP Digest credentials" in result.stderr
    assert "not-the-password" not in result.output and "Traceback" not in result.output
    assert virtuoso_server.count("urn:x:never") == 0


def test_no_credentials_say_how_to_set_them(virtuoso_server, invoke, no_credentials):
    result = invoke("publish", "--store", virtuoso_server.store, "--graph", "urn:x:never")
    assert result.exit_code == 2 and "HTTP 401" in result.stderr and "SST_VOCAB_USER" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["show", "SSR"],
        ["show", "sst:police"],
        ["show", "secrity"],
        ["search", "police"],
        ["search", "oversight", "--limit", "3"],
        ["tree"],
        ["tree", "security system"],
    ],
)
def test_lookups_on_the_published_graph_answer_as_locally(args, invoke, published):
    server, _ = published
    local = invoke(*args)
    remote = invoke(*args, "--endpoint", server.query_url, "--graph", GRAPH)
    assert (remote.exit_code, remote.stdout, remote.stderr) == (local.exit_code, local.stdout, local.stderr)


def rows(output: str) -> list[tuple]:
    table = list(csv.reader(io.StringIO(output)))
    return [tuple(table[0])] + sorted(tuple(r) for r in table[1:])


@pytest.mark.parametrize("name", sorted(library()))
def test_every_named_query_gives_the_same_rows_as_locally(name, invoke, published):
    """The same rows (Virtuoso does not order by aggregates as the queries ask, so rows are compared as a multiset)."""
    server, _ = published
    binds = [f"--bind={p.name}={p.example}" for p in (find(name).params or ()) if p.example]
    local = invoke("query", name, *binds, "--format", "csv")
    remote = invoke("query", name, *binds, "--format", "csv", "--endpoint", server.query_url, "--graph", GRAPH)
    assert remote.exit_code == 0, remote.stderr
    assert rows(remote.stdout) == rows(local.stdout)
    assert len(rows(local.stdout)) > 1


def test_ask_and_typed_values_come_back_standard(invoke, published):
    """Virtuoso's quirks (typed-literal JSON, booleans as 0/1, ASK) are undone in one place."""
    server, _ = published
    url = ["--endpoint", server.query_url, "--graph", GRAPH]
    assert invoke("query", "--sparql", "ASK { sst:police ?p ?o }", *url).stdout == "true\n"
    nobody = invoke("query", "--sparql", "ASK { sst:nobody ?p ?o }", *url)
    assert (nobody.exit_code, nobody.stdout) == (1, "false\n")
    top = invoke("query", "top-concepts", "--format", "json", *url)
    declared = [row["declared"] for row in json.loads(top.stdout)["results"]["bindings"]]
    assert declared and all(d == {"type": "literal", "value": "true", "datatype": XSD + "boolean"} for d in declared)
    assert "typed-literal" not in top.stdout


def test_without_graph_virtuoso_queries_all_graphs(invoke, published):
    """Virtuoso's default graph is the union of its graphs: a lookup finds the vocabulary without --graph."""
    server, _ = published
    result = invoke("show", "SSR", "--endpoint", server.query_url)
    assert result.exit_code == 0 and result.stdout.startswith("Security system transformation")
