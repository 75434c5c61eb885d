"""Remote queries against a real Oxigraph server give the same rows as the local vocabulary, in every format.

The shipped vocabulary is published into the server's default graph with ``sst-vocab
publish`` itself; then every named query in ``queries/`` (with the example bindings
its header gives) runs once locally and once with ``--endpoint``, in every output
format, and so do ``show``, ``search`` and ``tree``.  The refusals (update, SERVICE,
FROM) happen before anything is sent, which matters: the real server follows
SERVICE itself.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox
import pytest

from sst_vocab.loader import load
from sst_vocab.query import FORMATS, find, library

QUERY_NAMES = sorted(library())
_BLANK = re.compile(r"_:[A-Za-z0-9_.-]+")


def example_binds(name: str) -> list[str]:
    """The --bind options the query's header gives as examples."""
    return [f"--bind={p.name}={p.example}" for p in (find(name).params or ()) if p.example]


@pytest.fixture(scope="module")
def store(oxigraph_server):
    """The real server holding exactly the shipped vocabulary in its default graph (published by `publish`)."""
    from sst_vocab.publish import publish

    oxigraph_server.clear()
    result = publish(oxigraph_server.store, default_graph=True)
    assert result.verified, (result.triples, result.stored)
    return oxigraph_server


def rows(fmt: str, output: bytes) -> tuple[list, list]:
    """(header, rows) of one output, blank node labels made equal; rows sorted (an answer is a multiset)."""
    text = _BLANK.sub("_:b", output.decode("utf-8"))
    if fmt == "json":
        doc = json.loads(text)
        header = doc["head"]["vars"]
        body = [json.dumps(b, sort_keys=True) for b in doc["results"]["bindings"]]
    elif fmt in ("csv", "tsv"):
        table = list(csv.reader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
        header, body = table[0], ["\x1f".join(r) for r in table[1:]]
    else:  # table, markdown: rendered lines
        lines = text.splitlines()
        header, body = lines[:1], lines[1:]
    return header, sorted(body)


def canonical(fmt: str, output: bytes) -> str:
    """The whole output with blank node labels made equal (order kept)."""
    text = _BLANK.sub("_:b", output.decode("utf-8"))
    if fmt == "json":
        doc = json.loads(text)
        return json.dumps([doc["head"], doc["results"]["bindings"]], sort_keys=True)
    if fmt in ("csv", "tsv"):
        return text.replace("\r\n", "\n")
    return text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_named_query_gives_the_same_rows_remotely(name, fmt, invoke, store):
    local = invoke("query", name, *example_binds(name), "--format", fmt)
    remote = invoke("query", name, *example_binds(name), "--format", fmt, "--endpoint", store.query_url)
    assert local.exit_code == 0, local.stderr
    assert remote.exit_code == 0, remote.stderr
    local_rows, remote_rows = rows(fmt, local.stdout_bytes), rows(fmt, remote.stdout_bytes)
    assert remote_rows == local_rows
    assert local_rows[1], f"{name}: the example should find something, or the comparison proves little"
    # Same order too: the named queries order their rows, and the same engine breaks ties alike.
    assert canonical(fmt, remote.stdout_bytes) == canonical(fmt, local.stdout_bytes)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "SSR"],
        ["show", "sst:police"],
        ["show", "secrity"],
        ["search", "oversight"],
        ["search", "reform", "--limit", "3"],
        ["tree"],
        ["tree", "security system"],
    ],
)
def test_lookups_give_the_same_answers_remotely(args, invoke, store):
    local = invoke(*args)
    remote = invoke(*args, "--endpoint", store.query_url)
    assert (remote.exit_code, remote.stdout, remote.stderr) == (local.exit_code, local.stdout, local.stderr)


def test_ask_and_construct_remotely(invoke, store):
    url = store.query_url
    for ask, code in (("ASK { sst:police ?p ?o }", 0), ("ASK { sst:nobody ?p ?o }", 1)):
        assert invoke("query", "--sparql", ask, "--endpoint", url).exit_code == code
        assert invoke("query", "--sparql", ask).exit_code == code
    construct = "CONSTRUCT { sst:police ?p ?o } WHERE { sst:police ?p ?o }"
    remote = invoke("query", "--sparql", construct, "--endpoint", url)
    local = invoke("query", "--sparql", construct)
    assert remote.exit_code == local.exit_code == 0
    parsed = [set(ox.parse(r.stdout_bytes, format=ox.RdfFormat.TURTLE)) for r in (remote, local)]
    assert parsed[0] == parsed[1] and parsed[0]


def test_the_store_holds_exactly_the_vocabulary(store):
    assert store.count() == len(load().store)


# ---------------------------------------------------------------------------
# Refusals come before sending: the real server would act on them
# ---------------------------------------------------------------------------


def test_the_real_server_follows_service_itself(store, canary):
    """Why the refusal matters: sent directly, SERVICE makes the server fetch the URL."""
    base, hits = canary
    query = f"SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}"
    try:
        store.query(query)
    except OSError:
        pass  # the canary's answer is not SPARQL results; the request is what counts
    assert hits, "the server did not follow SERVICE: the refusal below would prove nothing"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE {{ SERVICE <{base}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * FROM <{base}/g> WHERE {{ ?s ?p ?o }}",
        "DROP ALL",
        "INSERT DATA {{ <urn:x:s> <urn:x:p> <urn:x:o> }}",
        "LOAD <{base}/data.ttl>",
    ],
)
def test_refused_queries_are_never_sent(query, invoke, store, canary):
    base, hits = canary
    before = store.count()
    result = invoke("query", "--sparql", query.format(base=base), "--endpoint", store.query_url)
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.output
    assert hits == []
    assert store.count() == before
