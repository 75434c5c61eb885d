"""`sst-vocab queries` and `sst-vocab query`: the named query library, bindings, result formats,
refusals, time limit and remote endpoints."""

from __future__ import annotations

import csv
import http.server
import io
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse

import pyoxigraph as ox
import pytest

from conftest import REAL_VOCABS, ROOT, free_port, run_python, run_sst, write
from sst_vocab.query import Target, check, find, library, select

QUERY_NAMES = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
FORMATS = ["table", "csv", "tsv", "json", "markdown"]
PAYLOAD = '" } ; DROP ALL ; SELECT * {'


def example_binds(name: str) -> list[str]:
    """The --bind options the query's header gives as examples."""
    return [f"--bind={p.name}={p.example}" for p in (find(name).params or ()) if p.example]


def parse_json(stdout: str) -> tuple[list[str], list[dict]]:
    doc = json.loads(stdout)
    return doc["head"]["vars"], doc["results"]["bindings"]


# ---------------------------------------------------------------------------
# A tiny SPARQL 1.1 endpoint on the loopback, backed by pyoxigraph, for --endpoint
# ---------------------------------------------------------------------------


class Endpoint:
    """Answers POSTed queries on /sparql; records every query; other paths misbehave on purpose."""

    def __init__(self, files):
        self.store = ox.Store()
        for f in files:
            self.store.load(path=str(f), format=ox.RdfFormat.TURTLE)
        self.queries: list[str] = []
        self.accepts: list[str] = []
        self.authorizations: list[str | None] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
                outer.queries.append(form["query"][0])
                outer.accepts.append(self.headers.get("Accept", ""))
                if self.path == "/error":
                    return self.reply(500, "text/plain", b"boom: the store is on fire")
                if self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/sparql")
                    self.end_headers()
                    return None
                if self.path == "/html":
                    return self.reply(200, "text/html", b"<html>not results</html>")
                if self.path == "/missing":
                    return self.reply(404, "text/plain", b"no such dataset")
                if self.path == "/private":
                    outer.authorizations.append(self.headers.get("Authorization"))
                    if self.headers.get("Authorization") != "Bearer s3cret-token":
                        return self.reply(401, "text/plain", b"who are you?")
                if self.path == "/trickle":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/sparql-results+json")
                    self.end_headers()
                    for _ in range(40):
                        self.wfile.write(b" " * 10)
                        self.wfile.flush()
                        time.sleep(0.1)
                    return None
                if self.path == "/slow":
                    time.sleep(3)
                try:
                    result = outer.store.query(form["query"][0])
                except SyntaxError as exc:
                    return self.reply(400, "text/plain", str(exc).encode())
                accept = self.headers.get("Accept", "")
                if isinstance(result, ox.QueryTriples):
                    return self.reply(200, "text/turtle", ox.serialize(result, format=ox.RdfFormat.TURTLE))
                fmt = {
                    "text/csv": ox.QueryResultsFormat.CSV,
                    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
                }.get(accept.split(",")[0].strip(), ox.QueryResultsFormat.JSON)
                return self.reply(200, fmt.media_type, result.serialize(format=fmt))

            def reply(self, code, ctype, body):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    """A loopback SPARQL endpoint serving the shipped vocabulary."""
    ep = Endpoint(sorted((ROOT / "vocab").glob("*.ttl")))
    yield ep
    ep.close()


# ---------------------------------------------------------------------------
# The library and its headers
# ---------------------------------------------------------------------------


def test_queries_lists_every_file_from_its_header(invoke):
    result = invoke("queries")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith("Run")]
    assert listed == QUERY_NAMES
    for q in library().values():
        assert q.description and q.description in result.stdout
    for required in (
        "search",
        "concept",
        "narrower",
        "broader",
        "top-concepts",
        "definitions",
        "actors",
        "drafts",
        "mappings",
    ):
        assert required in QUERY_NAMES


def test_a_query_is_described_from_its_header(invoke):
    result = invoke("queries", "narrower")
    assert result.exit_code == 0
    assert "?concept" in result.stdout and "IRI, required" in result.stdout
    assert "Example: sst:security-system-actors" in result.stdout
    assert "?depth" in result.stdout
    assert "sst-vocab query narrower --bind concept=sst:security-system-actors" in result.stdout


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_header_is_complete_and_matches_the_query(name, invoke):
    q = find(name)
    assert q.description.endswith("."), "the description is one sentence"
    assert q.params is not None, "every shipped query declares its parameters (or 'Parameters: none')"
    scan = check(q.text)
    for p in q.params:
        assert p.example, f"?{p.name} has no example"
        assert p.name in scan.variables
    assert all(p.example for p in q.params)
    result = invoke("query", name, *example_binds(name), "--format", "json")
    assert result.exit_code == 0, result.output
    columns, rows = parse_json(result.stdout)
    assert columns == [c.name for c in q.columns], "the header lists the result columns in order"
    assert rows, f"{name} with its example finds something in the shipped vocabulary"


def test_every_query_copies_cleanly_it_declares_its_own_prefixes():
    for name in QUERY_NAMES:
        scan = check(find(name).text)
        assert scan.used_prefixes <= set(scan.prefixes), name


# ---------------------------------------------------------------------------
# Every named query on every vocabulary
# ---------------------------------------------------------------------------


def bindings_for(target: Target) -> dict[str, str]:
    """Parameter values that exist in this vocabulary: a concept with narrower concepts, a word of a label."""
    _, rows = select(target, find("hierarchy"))
    parent = next(r[2].value for r in rows if r[2] is not None) if any(r[2] for r in rows) else rows[0][0].value
    child = next((r[0].value for r in rows if r[2] is not None), rows[0][0].value)
    word = next(r[1].value.split()[0] for r in rows if r[1] is not None)
    _, tops = select(target, find("top-concepts"))
    return {
        "concept": parent,
        "child": child,
        "text": word,
        "scheme": tops[0][0].value,
        "has_hierarchy": any(r[2] is not None for r in rows),
    }


@pytest.mark.parametrize("vocab", REAL_VOCABS, ids=lambda p: p.stem)
def test_every_named_query_runs_with_bindings_on_each_real_vocabulary(vocab):
    target = Target.open([str(vocab)])
    values = bindings_for(target)
    for name in QUERY_NAMES:
        q = find(name)
        binds = {}
        for p in q.params or ():
            binds[p.name] = (
                f"<{values['child']}>"
                if name == "broader"
                else (f"<{values[p.name]}>" if p.kind == "IRI" else values[p.name])
            )
        columns, rows = select(target, q, **binds)
        assert columns == [c.name for c in q.columns], name
        expected = {"search", "concept", "top-concepts", "definitions", "hierarchy", "labels"}
        if values["has_hierarchy"]:
            expected |= {"narrower", "broader"}
        if name in expected:
            assert rows, f"{name} {binds} found nothing in {vocab.name}"


@pytest.mark.parametrize("vocab", REAL_VOCABS, ids=lambda p: p.stem)
def test_query_command_works_on_each_real_vocabulary(vocab, invoke):
    result = invoke("query", "search", "--bind", "text=a", "--vocab", str(vocab), "--format", "json")
    assert result.exit_code == 0, result.output
    assert parse_json(result.stdout)[1]
    result = invoke("query", "top-concepts", "--vocab", str(vocab))
    assert result.exit_code == 0 and "row" in result.stdout.splitlines()[-1]


def test_multilingual_labels_match_in_any_language_and_show_english(invoke):
    countries = next(p for p in REAL_VOCABS if p.stem == "countries")
    result = invoke("query", "search", "--bind", "text=DEUTSCHLAND", "--vocab", str(countries), "--format", "json")
    _, rows = parse_json(result.stdout)
    assert rows[0]["label"] == {"type": "literal", "value": "Germany", "xml:lang": "en"}
    assert rows[0]["match"]["xml:lang"] == "de" and rows[0]["score"]["value"] == "100"


def test_vocabulary_prefixes_work_in_bindings_and_queries(invoke):
    lithology = next(p for p in REAL_VOCABS if p.stem == "lithology")
    result = invoke("query", "broader", "--bind", "concept=lith:granite", "--vocab", str(lithology))
    assert result.exit_code == 0, result.output
    assert "lith:granitoid" in result.stdout and "Granitoid" in result.stdout
    result = invoke("query", "--sparql", "ASK { lith:granite skos:broader lith:granitoid }", "--vocab", str(lithology))
    assert (result.exit_code, result.stdout) == (0, "true\n")


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_format_parses_with_a_standard_reader(name, invoke):
    from rdflib.query import Result

    outputs = {}
    for fmt in FORMATS:
        result = invoke("query", name, *example_binds(name), "--format", fmt)
        assert result.exit_code == 0, result.output
        outputs[fmt] = result.stdout_bytes
    columns, rows = parse_json(outputs["json"].decode())
    n = len(rows)

    table = list(csv.reader(io.StringIO(outputs["csv"].decode("utf-8"), newline="")))
    assert table[0] == columns and len(table) == n + 1
    assert outputs["csv"].endswith(b"\r\n"), "SPARQL 1.1 CSV lines end with CRLF"
    tsv = outputs["tsv"].decode().split("\n")
    assert tsv[0].split("\t") == ["?" + c for c in columns]

    for fmt in ("csv", "tsv", "json"):
        parsed = Result.parse(io.BytesIO(outputs[fmt]), format=fmt)
        assert [str(v) for v in parsed.vars] == columns
        assert len(list(parsed)) == n, fmt

    md = outputs["markdown"].decode().splitlines()
    assert md[0] == "| " + " | ".join(columns) + " |" and md[1].count("---") == len(columns)
    assert len(md) == n + 2 and all(line.startswith("| ") and line.endswith(" |") for line in md[2:])

    lines = outputs["table"].decode().splitlines()
    assert lines[0].split() == columns and set(lines[1]) <= {"-", " "}
    assert lines[-1] == (f"({n} row)" if n == 1 else f"({n} rows)")


def test_table_is_for_people_csv_has_whole_values(invoke):
    table = invoke("query", "definitions").stdout
    assert "sst:security-system-transformation" in table  # CURIEs
    assert "…" in table  # long definitions cut
    full = invoke("query", "definitions", "--format", "csv").stdout
    assert "https://w3id.org/sst-vocab/security-system-transformation" in full and "…" not in full


def test_ask_prints_true_or_false_and_exits_0_or_1(invoke):
    yes = invoke("query", "--sparql", "ASK { sst:police a skos:Concept }")
    no = invoke("query", "--sparql", "ASK { sst:police a skos:ConceptScheme }")
    assert (yes.exit_code, yes.stdout) == (0, "true\n")
    assert (no.exit_code, no.stdout) == (1, "false\n")
    as_json = invoke("query", "--sparql", "ASK { sst:police a skos:Concept }", "--format", "json")
    assert json.loads(as_json.stdout) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    "text",
    [
        "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c skos:broader sst:security-system ; skos:prefLabel ?l }",
        "DESCRIBE sst:police",
    ],
)
def test_construct_and_describe_print_turtle(text, invoke):
    result = invoke("query", "--sparql", text)
    assert result.exit_code == 0, result.output
    triples = list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.TURTLE))
    assert triples
    assert "@prefix skos:" in result.stdout
    refused = invoke("query", "--sparql", text, "--format", "csv")
    assert refused.exit_code == 2 and "Turtle" in refused.stderr


def test_a_query_file_and_standard_input(tmp_path, invoke):
    f = write(tmp_path / "mine.rq", "# Labels of the police.\nSELECT ?l WHERE { sst:police skos:prefLabel ?l }\n")
    result = invoke("query", str(f), "--format", "csv")
    assert (result.exit_code, result.stdout_bytes) == (0, b"l\r\nPolice\r\n")
    result = invoke(
        "query",
        "--sparql",
        "-",
        "--format",
        "csv",
        input="SELECT ?l WHERE { ?c skos:altLabel ?l FILTER(?l = 'SSR'@en) }",
    )
    assert (result.exit_code, result.stdout_bytes) == (0, b"l\r\nSSR\r\n")


# ---------------------------------------------------------------------------
# Bindings: RDF terms, never text in the query
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, term",
    [
        ("https://w3id.org/sst-vocab/police", {"type": "uri", "value": "https://w3id.org/sst-vocab/police"}),
        ("urn:isbn:123", {"type": "uri", "value": "urn:isbn:123"}),
        ("<http://example.org/a>", {"type": "uri", "value": "http://example.org/a"}),
        ("sst:police", {"type": "uri", "value": "https://w3id.org/sst-vocab/police"}),
        ("skos:Concept", {"type": "uri", "value": "http://www.w3.org/2004/02/skos/core#Concept"}),
        ("SSR", {"type": "literal", "value": "SSR"}),
        ("nope:thing", {"type": "literal", "value": "nope:thing"}),
        ("http://has space", {"type": "literal", "value": "http://has space"}),
        ("12", {"type": "literal", "value": "12"}),
        ("", {"type": "literal", "value": ""}),
    ],
)
def test_a_binding_is_an_iri_or_a_plain_literal(value, term, invoke):
    result = invoke(
        "query", "--sparql", "SELECT ?x WHERE { BIND(?v AS ?x) }", "--bind", f"v={value}", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert parse_json(result.stdout)[1] == [{"x": term}]


def count_triples(invoke, *extra) -> int:
    result = invoke("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv", *extra)
    return int(result.stdout.split()[1])


@pytest.mark.parametrize(
    "payload",
    [
        PAYLOAD,
        '"} } ; DROP ALL ; SELECT * { ?s ?p ?o } #',
        'x" . } INSERT DATA { <a:b> <a:c> <a:d> } #',
        'line\nbreak\\ and \\" escapes \u0000\u2028',
        "> } SERVICE <http://127.0.0.1:1/> { ?s ?p ?o",
        "http://x> } ; DROP ALL ; <http://y",
    ],
)
def test_injection_through_bind_is_impossible(payload, invoke, endpoint):
    before = count_triples(invoke)
    q = "SELECT ?x WHERE { BIND(?v AS ?x) }"
    result = invoke("query", "--sparql", q, "--bind", f"v={payload}", "--format", "json")
    assert result.exit_code == 0, result.output
    assert parse_json(result.stdout)[1] == [{"x": {"type": "literal", "value": payload}}]
    assert count_triples(invoke) == before
    # the same through an endpoint: the VALUES block carries one escaped literal
    remote = invoke(
        "query", "--sparql", q, "--bind", f"v={payload}", "--format", "json", "--endpoint", endpoint.url + "/sparql"
    )
    assert remote.exit_code == 0, remote.output
    assert parse_json(remote.stdout)[1] == [{"x": {"type": "literal", "value": payload}}]
    assert len(endpoint.queries) == 1 and "DROP ALL ;" not in endpoint.queries[0].replace(
        ox.Literal(payload).__str__(), ""
    )
    assert count_triples(invoke, "--endpoint", endpoint.url + "/sparql") == before


def test_search_text_is_a_literal_even_when_it_looks_like_an_iri(invoke):
    result = invoke("query", "search", "--bind", "text=sst:police", "--format", "json")
    assert result.exit_code == 0 and parse_json(result.stdout)[1] == []


@pytest.mark.parametrize(
    "args, words",
    [
        (["query", "concept"], ["needs ?concept", "--bind concept=sst:security-system-transformation"]),
        (
            ["query", "concept", "--bind", "concept=sst:police", "--bind", "lang=en"],
            ["unknown parameter ?lang", "?concept"],
        ),
        (["query", "drafts", "--bind", "x=1"], ["unknown parameter ?x", "no parameters"]),
        (["query", "--sparql", "SELECT ?a WHERE { ?a ?b ?c }", "--bind", "d=1"], ["?d does not appear", "?a, ?b, ?c"]),
        (["query", "concept", "--bind", "concept=SSR"], ["?concept takes an IRI", "'SSR'"]),
        (["query", "concept", "--bind", "concept"], ["VAR=VALUE"]),
        (["query", "concept", "--bind", "concept=sst:a", "--bind", "?concept=sst:b"], ["bound twice"]),
        (["query", "serch"], ["no query named 'serch'", "did you mean search"]),
        (["query", "missing.rq"], ["missing.rq", "no such query file"]),
        (["query"], ["NAME", "--sparql"]),
        (["query", "drafts", "--sparql", "ASK {}"], ["one of them"]),
    ],
)
def test_bad_input_is_exit_2_and_names_the_problem(args, words, invoke):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------
# Read-only and local: refusals before anything runs or is sent
# ---------------------------------------------------------------------------

EVIL = [
    ("SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("select * where { service silent <{url}/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}/x> { ?s ?q ?r } } }", "SERVICE"),
    ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{url}/x> { ?s ?p ?o } } } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p 1SERVICE <{url}/x> { ?a ?b ?c } }", "SERVICE"),
    ("SELECT * WHERE { ?s ?p trueSERVICE <{url}/x> { ?a ?b ?c } }", "SERVICE"),
    ("PREFIX a: <http://a/> SELECT * WHERE { ?s ?p a:.SERVICE <{url}/x> { ?a ?b ?c } }", "SERVICE"),
    ("PREFIX ex: <{url}/> SELECT * WHERE { SERVICEex:x { ?a ?b ?c } }", "SERVICE"),
    ('SELECT * WHERE { ?s ?p "x"@en.SERVICE <{url}/x> { ?a ?b ?c } }', "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o)SERVICE <{url}/x> { ?a ?b ?c } }", "SERVICE"),
    ("SELECT * FROM <{url}/graph.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <{url}/graph.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("SELECT * FROM<{url}/graph.ttl> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "FROM"),
    ("LOAD <{url}/data.ttl>", "LOAD"),
    ("LOAD <file:///etc/passwd> INTO GRAPH <urn:x>", "LOAD"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("DROP ALL", "DROP"),
    ("CLEAR DEFAULT", "CLEAR"),
    ("CREATE GRAPH <urn:g>", "CREATE"),
    ("ADD DEFAULT TO <urn:g>", "ADD"),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "DROP"),
]


@pytest.mark.parametrize("text, keyword", EVIL)
def test_updates_service_from_and_load_are_refused_before_any_request(text, keyword, invoke, canary):
    url, hits = canary
    query = text.replace("{url}", url)
    local = invoke("query", "--sparql", query)
    remote = invoke("query", "--sparql", query, "--endpoint", url + "/sparql")
    missing_vocab = invoke("query", "--sparql", query, "--vocab", "/no/such/file.ttl")
    for result in (local, remote, missing_vocab):
        assert result.exit_code == 2, result.output
        assert f"{keyword} is refused" in result.stderr and "column" in result.stderr
    assert hits == [], "nothing may reach the network"


def test_refusal_points_at_line_and_column_in_a_file(tmp_path, invoke):
    f = write(tmp_path / "leak.rq", "# Leaks.\nSELECT * WHERE {\n  ?s ?p ?o .\n  SERVICE <http://x/> { ?s ?q ?r }\n}\n")
    result = invoke("query", str(f))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {f}:4: column 3: SERVICE is refused")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p 'SERVICE' }",
        "SELECT * WHERE { ?s ?p ?o } # FROM <http://x> and SERVICE in a comment",
        "SELECT * WHERE { ?s dcterms:created ?o }",
        "SELECT ?from ?insert WHERE { ?from ?insert ?o }",
        "SELECT * WHERE { ?s ?p <http://example.org/SERVICE/FROM> }",
        'SELECT * WHERE { ?s ?p """long\nstring with DROP ALL""" }',
        "SELECT * WHERE { ?s sdo:address ?o }",
    ],
)
def test_harmless_keywords_in_strings_iris_comments_and_names_are_fine(text, invoke):
    result = invoke("query", "--sparql", text)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------------------
# Malformed queries and runaway queries
# ---------------------------------------------------------------------------


def test_malformed_query_gives_the_parser_message_with_line_and_column(invoke):
    result = invoke("query", "--sparql", "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }")
    assert result.exit_code == 2
    assert re.match(r"Error: \(--sparql\):3: column \d+: expected ", result.stderr), result.stderr
    assert "Traceback" not in result.output


def test_malformed_query_file_names_the_file(tmp_path, invoke, endpoint):
    f = write(tmp_path / "bad.rq", '# Broken.\nSELECT ?x WHERE {\n  ?x skos:prefLabel "unterminated }\n')
    for extra in ([], ["--endpoint", endpoint.url + "/sparql"]):
        result = invoke("query", str(f), *extra)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {f}:3: column "), result.stderr
    assert endpoint.queries == [], "a query that does not parse is not sent"


def test_unknown_prefix_is_a_syntax_error(invoke):
    result = invoke("query", "--sparql", "SELECT * WHERE { ?s nope:p ?o }")
    assert result.exit_code == 2 and "(--sparql):1: column" in result.stderr


def test_a_runaway_query_stops_at_the_timeout(invoke):
    lithology = next(p for p in REAL_VOCABS if p.stem == "lithology")
    result = invoke(
        "query",
        str(lithology),
        "--timeout",
        "0.5",
        "--sparql",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    )
    assert result.exit_code == 2  # the query would run for hours: the limit stopped it
    assert "did not finish within 0.5 s" in result.stderr and "--timeout" in result.stderr
    quick = invoke("query", "drafts", "--vocab", str(lithology), "--timeout", "0.5")
    assert quick.exit_code == 0


def test_loading_the_vocabulary_does_not_count_against_the_timeout(invoke):
    from sst_vocab.loader import load

    started = time.monotonic()
    load([str(p) for p in REAL_VOCABS])
    loading = time.monotonic() - started
    limit = max(0.1, loading / 2)  # the load alone would overrun it; the query does not
    vocab = [a for p in REAL_VOCABS for a in ("--vocab", str(p))]
    result = invoke("query", *vocab, "--timeout", f"{limit:.3f}", "--sparql", "ASK { ?s a skos:Concept }")
    assert (result.exit_code, result.stdout) == (0, "true\n"), result.output


def test_lookups_take_a_time_limit_too(invoke):
    lithology = next(p for p in REAL_VOCABS if p.stem == "lithology")
    assert invoke("show", "granite", "--vocab", str(lithology), "--timeout", "5").exit_code == 0
    assert invoke("tree", "--vocab", str(lithology), "--timeout", "0.001").stderr.startswith(
        "Error: the query did not finish within 0.001 s"
    )


def test_the_time_limit_forks_for_library_callers():
    """In a library caller the work runs in a forked child of this process (a lambda: no new interpreter)."""
    from sst_vocab.query import run_limited

    pid, parent = run_limited(lambda: (os.getpid(), os.getppid()), (), 5)
    assert parent == os.getpid() and pid != os.getpid()


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="lists child processes through /proc")
def test_a_library_caller_is_left_with_nothing_running():
    from sst_vocab.errors import VocabError
    from sst_vocab.query import execute

    lithology = next(p for p in REAL_VOCABS if p.stem == "lithology")
    threads, children = threading.active_count(), _children()
    with pytest.raises(VocabError, match=r"did not finish within 0\.5 s"):
        execute(sparql=RUNAWAY, paths=[str(lithology)], timeout=0.5)
    assert threading.active_count() == threads
    assert _children() == children  # the child was killed and reaped


def _children() -> set[str]:
    """This process's child processes (Linux /proc), including ones not yet reaped."""
    found = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as f:
            found.update(f.read().split())
    return found


def sst(*args: str) -> subprocess.CompletedProcess:
    """The command line itself: the process ends with the command, so limits use a thread."""
    return run_sst(*args, text=True, cwd=ROOT, timeout=300)


def test_the_command_line_stops_a_runaway_query():
    lithology = next(p for p in REAL_VOCABS if p.stem == "lithology")
    proc = sst("query", "--vocab", str(lithology), "--timeout", "0.5", "--sparql", RUNAWAY)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == (
        "Error: the query did not finish within 0.5 s and was stopped; narrow it down "
        "(fewer patterns, a LIMIT) or allow more time (--timeout S)\n"
    )
    assert sst("tree", "--vocab", str(lithology), "--timeout", "0.001").stderr.startswith(
        "Error: the query did not finish within 0.001 s"
    )


def test_the_command_line_does_not_count_loading_against_the_timeout():
    from sst_vocab.loader import load

    started = time.monotonic()
    load([str(p) for p in REAL_VOCABS])
    limit = max(0.1, (time.monotonic() - started) / 2)  # the load alone would overrun it; the query does not
    vocab = [a for p in REAL_VOCABS for a in ("--vocab", str(p))]
    proc = sst("query", *vocab, "--timeout", f"{limit:.3f}", "--sparql", "ASK { ?s a skos:Concept }")
    assert (proc.returncode, proc.stdout) == (0, "true\n"), proc.stderr


def test_limited_work_in_a_thread_returns_and_raises_like_the_child():
    from sst_vocab.errors import VocabError
    from sst_vocab.query import run_limited

    assert run_limited(
        lambda: (os.getpid(), threading.current_thread() is threading.main_thread()), (), 5, isolation="thread"
    ) == (os.getpid(), False)  # in this process, not in the calling thread
    for isolation in ("thread", "process"):
        with pytest.raises(VocabError, match=r"^the query failed: ZeroDivisionError: division by zero$"):
            run_limited(lambda: 1 / 0, (), 5, isolation=isolation)
        with pytest.raises(VocabError) as caught:
            run_limited(
                lambda: (_ for _ in ()).throw(VocabError("bad term", path="q.rq", line=3)), (), 5, isolation=isolation
            )
        assert str(caught.value) == "q.rq:3: bad term"
    with pytest.raises(ValueError, match="isolation"):
        run_limited(lambda: 1, (), 5, isolation="fork")


def test_the_library_returns_the_answer_as_data():
    from sst_vocab.query import execute

    result = execute("narrower", binds=["concept=sst:security-system-actors"])
    assert result.form == "SELECT" and result.answered and result.columns[:2] == ["narrower", "label"]
    assert all(len(row) == len(result.columns) for row in result.rows)
    for isolation in ("thread", "process"):  # the same answer, whichever way the work was kept apart
        again = execute("narrower", binds=["concept=sst:security-system-actors"], timeout=5, isolation=isolation)
        assert (again.columns, again.rows) == (result.columns, result.rows)
    assert execute(sparql="ASK { ?s a skos:Concept }").boolean is True
    assert execute(sparql="ASK { ?s a skos:Collection, skos:Concept }").answered is False
    graph = execute(sparql="CONSTRUCT { ?c a skos:Concept } WHERE { ?c a skos:Concept }", timeout=5)
    assert graph.form == "CONSTRUCT" and graph.triples


@pytest.mark.parametrize(
    "call, flags",
    [
        ({"spec": "concept"}, ["--bind"]),
        ({"spec": "concept", "binds": ["concept"]}, ["--bind"]),
        ({"sparql": "SELECT * FROM <http://example.org/> WHERE { ?s ?p ?o }"}, ["(PATH arguments)"]),
        ({"spec": "drafts", "graph": "http://example.org/g"}, ["--graph", "--endpoint"]),
        ({"spec": "drafts", "endpoint": "ftp://example.org/sparql"}, ["--endpoint"]),
        ({"spec": "drafts", "endpoint": "http://example.org/sparql", "graph": "not an IRI"}, ["--graph"]),
        ({}, ["--sparql"]),
        (
            {"sparql": RUNAWAY, "paths": [str(next(p for p in REAL_VOCABS if p.stem == "lithology"))], "timeout": 0.2},
            ["--timeout"],
        ),
    ],
)
def test_library_messages_name_no_option_and_the_command_line_adds_it(call, flags, invoke):
    """The library's message names no option of the command line; the command line adds how to spell it."""
    from sst_vocab.errors import VocabError
    from sst_vocab.query import execute

    with pytest.raises(VocabError) as caught:
        execute(**call)
    assert "--" not in str(caught.value)
    args = ["query"] + ([call["spec"]] if "spec" in call else [])
    args += ["--sparql", call["sparql"]] if "sparql" in call else []
    args += [a for b in call.get("binds", ()) for a in ("--bind", b)]
    args += list(call.get("paths", ()))
    for option in ("graph", "endpoint", "timeout"):
        args += [f"--{option}", str(call[option])] if option in call else []
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and all(flag in result.stderr for flag in flags), result.stderr


def test_the_command_line_offers_exactly_the_formats_the_library_writes(invoke):
    """--format's choices are the library's FORMATS, and each one writes a SELECT answer."""
    from sst_vocab.cli.lookups import query_command
    from sst_vocab.query import FORMATS, execute
    from sst_vocab.render_lookup import query_result

    option = next(p for p in query_command.params if p.name == "fmt")
    assert tuple(option.type.choices) == FORMATS
    result = execute("drafts")
    for fmt in FORMATS:
        assert query_result(result, fmt, width=88) == invoke("query", "drafts", "--format", fmt).stdout_bytes


# ---------------------------------------------------------------------------
# Remote endpoints
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_an_endpoint_gives_the_same_answers_as_the_local_vocabulary(name, invoke, endpoint):
    local = invoke("query", name, *example_binds(name), "--format", "json")
    remote = invoke("query", name, *example_binds(name), "--format", "json", "--endpoint", endpoint.url + "/sparql")
    assert remote.exit_code == 0, remote.output
    assert parse_json(remote.stdout) == parse_json(local.stdout)
    sent = endpoint.queries[-1]
    assert endpoint.accepts[-1] == "application/sparql-results+json"
    if example_binds(name):
        assert "VALUES (" in sent
    assert check(sent).variables >= check(find(name).text).variables


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_an_endpoint_is_asked_for_json_and_the_format_wanted_is_written_here(fmt, invoke, endpoint):
    """Stores write CSV and TSV differently (Virtuoso: booleans as 1 and 0): the output must not differ."""
    local = invoke("query", "drafts", "--format", fmt)
    remote = invoke("query", "drafts", "--format", fmt, "--endpoint", endpoint.url + "/sparql")
    assert endpoint.accepts == ["application/sparql-results+json"]
    assert remote.stdout_bytes == local.stdout_bytes


def test_endpoint_table_ask_and_construct(invoke, endpoint):
    url = endpoint.url + "/sparql"
    assert invoke("query", "top-concepts", "--endpoint", url).stdout == invoke("query", "top-concepts").stdout
    assert invoke("query", "--sparql", "ASK { sst:police ?p ?o }", "--endpoint", url).exit_code == 0
    assert invoke("query", "--sparql", "ASK { sst:nobody ?p ?o }", "--endpoint", url).exit_code == 1
    turtle = invoke("query", "--sparql", "DESCRIBE sst:police", "--endpoint", url)
    assert turtle.exit_code == 0 and list(ox.parse(turtle.stdout_bytes, format=ox.RdfFormat.TURTLE))
    assert endpoint.queries[1] == "PREFIX sst: <https://w3id.org/sst-vocab/>\nASK { sst:police ?p ?o }", (
        "the prefixes a query uses but does not declare are sent with it"
    )


@pytest.mark.parametrize(
    "path, words",
    [
        ("/error", ["HTTP 500", "boom: the store is on fire"]),
        ("/redirect", ["HTTP 302", "a redirect to http://127.0.0.1:", "/sparql", "redirects are not followed"]),
        ("/missing", ["HTTP 404", "the query endpoint, e.g. .../sparql"]),
        ("/html", ["text/html", "not SPARQL results"]),
    ],
)
def test_endpoint_errors_are_exit_2(path, words, invoke, endpoint):
    result = invoke("query", "drafts", "--endpoint", endpoint.url + path)
    assert result.exit_code == 2
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.output


def test_unreachable_or_slow_endpoint_is_exit_2(invoke, endpoint):
    result = invoke("query", "drafts", "--endpoint", f"http://127.0.0.1:{free_port()}/sparql")
    assert result.exit_code == 2 and "could not query the endpoint" in result.stderr
    assert "connection refused (nothing is listening there)" in result.stderr
    result = invoke("query", "drafts", "--endpoint", endpoint.url + "/slow", "--timeout", "0.5")
    assert result.exit_code == 2 and "no answer within 0.5 s" in result.stderr  # it answers, later
    result = invoke("query", "drafts", "--endpoint", "file:///etc/passwd")
    assert result.exit_code == 2 and "http:// or https://" in result.stderr


def test_run_remote_is_reusable(endpoint):
    from sst_vocab.errors import VocabError
    from sst_vocab.query import run_remote

    ctype, body = run_remote(
        endpoint.url + "/sparql",
        "SELECT ?l WHERE { ?c <http://www.w3.org/2004/02/skos/core#altLabel> ?l }",
        {"c": ox.NamedNode("https://w3id.org/sst-vocab/security-system-transformation")},
        accept="text/csv",
    )
    assert ctype.startswith("text/csv") and sorted(body.decode().split("\r\n")[1:-1]) == [
        "SSR",
        "SST",
        "security sector reform",
        "security system reform",
    ]
    with pytest.raises(VocabError, match="SERVICE is refused"):
        run_remote(endpoint.url + "/sparql", "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }")
    assert len(endpoint.queries) == 1


def test_a_protected_endpoint_gets_the_credentials_and_they_are_never_shown(
    invoke, endpoint, monkeypatch, no_credentials
):
    url = endpoint.url + "/private"
    refused = invoke("query", "drafts", "--endpoint", url)
    assert refused.exit_code == 2 and "HTTP 401" in refused.stderr and "SST_VOCAB_TOKEN" in refused.stderr
    monkeypatch.setenv("SST_VOCAB_TOKEN", "wrong-token")
    wrong = invoke("query", "drafts", "--endpoint", url)
    assert wrong.exit_code == 2 and "rejected the bearer token from SST_VOCAB_TOKEN" in wrong.stderr
    assert "wrong-token" not in wrong.output
    monkeypatch.setenv("SST_VOCAB_TOKEN", "s3cret-token")
    answered = invoke("query", "drafts", "--endpoint", url, "--format", "csv")
    assert (
        answered.exit_code == 0 and answered.stdout_bytes == invoke("query", "drafts", "--format", "csv").stdout_bytes
    )
    assert invoke("show", "SSR", "--endpoint", url).exit_code == 0
    assert endpoint.authorizations[:3] == [None, "Bearer wrong-token", "Bearer s3cret-token"]
    in_url = invoke("query", "drafts", "--endpoint", url.replace("http://", "http://me:pw@"))
    assert in_url.exit_code == 2 and "do not put credentials in the URL" in in_url.stderr and "pw" not in in_url.stderr


def test_an_endpoint_that_trickles_its_answer_is_stopped_at_the_timeout(invoke, endpoint):
    result = invoke("query", "drafts", "--endpoint", endpoint.url + "/trickle", "--timeout", "0.5")
    # the server sends its whole answer over 4 s, each piece within 0.1 s: only a limit on the whole
    # exchange (not on each read) stops it, and a whole answer would have been exit 0
    assert result.exit_code == 2 and "no answer within 0.5 s" in result.stderr


def test_an_answer_too_large_is_refused(endpoint, monkeypatch):
    from sst_vocab.http import RemoteError
    from sst_vocab.query import remote

    monkeypatch.setattr(remote, "MAX_REMOTE_BYTES", 1 << 20)
    big = "SELECT ?s ?p ?o ?x WHERE { ?s ?p ?o . ?x ?y ?z } LIMIT 100000"
    with pytest.raises(RemoteError, match=r"the answer is larger than 1 MiB\. Add a LIMIT to the query\.") as caught:
        remote.run_remote(endpoint.url + "/sparql", big)
    assert caught.value.kind == "answer"


# ---------------------------------------------------------------------------
# Start-up: lookups never import rdflib
# ---------------------------------------------------------------------------


def test_query_commands_do_not_import_rdflib():
    code = """
import sys
from click.testing import CliRunner
from sst_vocab.cli import cli
runner = CliRunner()
for timeout in ("5", "0"):  # in a child process, and in this one
    for args in (["show", "SSR"], ["search", "oversight"], ["tree"], ["tree", "security system"],
                 ["query", "drafts"],
                 ["query", "narrower", "--bind", "concept=sst:security-system", "--format", "json"],
                 ["query", "--sparql", "ASK { ?s ?p ?o }"]):
        result = runner.invoke(cli, args + ["--timeout", timeout])
        assert result.exit_code == 0, (args, result.output)
for args in (["queries"], ["--help"], ["query", "--help"]):
    assert runner.invoke(cli, args).exit_code == 0, args
heavy = ("rdflib", "pyparsing", "pyshacl", "pyld", "jinja2")
print(" ".join(sorted(m for m in sys.modules if m.split(".")[0] in heavy)))
"""
    out = run_python("-c", code, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
