"""The reconciliation service (W3C Reconciliation Service API 0.2) over real HTTP.

Every JSON answer is validated against the API's JSON Schemas (vendored in
tests/data/reconciliation-api/0.2, $refs resolved locally); the ranking tests check that
the concept a person means comes first for the names people type.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import signal
import subprocess
import threading
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest

from conftest import REAL, REAL_VOCABS, popen_sst, write

jsonschema = pytest.importorskip("jsonschema", reason="the test extra (jsonschema) is not installed")
referencing = pytest.importorskip("referencing")

SCHEMAS = Path(__file__).parent / "data" / "reconciliation-api" / "0.2" / "schemas"
SST = "https://w3id.org/sst-vocab/"
LITHOLOGY = REAL / "lithology.ttl"
ISO639 = REAL / "iso639-language-code.ttl"


# ---------------------------------------------------------------------------
# Schemas, resolved from the vendored files only
# ---------------------------------------------------------------------------


def _registry():
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    registry = Registry()
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        registry = registry.with_resource(contents["$id"].rstrip("#"), resource)
    return registry.crawl()


REGISTRY = _registry()


def validate(name: str, instance) -> None:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, registry=REGISTRY).validate(instance)


def test_the_schemas_reject_what_the_api_forbids():
    """The validator is not vacuous: a candidate without a name, a manifest without versions fail."""
    validate("reconciliation-result-batch", {"q0": {"result": [{"id": "x", "name": "X", "score": 1}]}})
    with pytest.raises(jsonschema.ValidationError):
        validate("reconciliation-result-batch", {"q0": {"result": [{"id": "x", "score": 1}]}})
    with pytest.raises(jsonschema.ValidationError):
        validate("manifest", {"name": "x", "identifierSpace": "x", "schemaSpace": "y"})
    with pytest.raises(jsonschema.ValidationError):
        validate("suggest-types-response", {"result": [{"id": "t"}]})  # type.json, through a $ref


# ---------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------


class Client:
    def __init__(self, port: int, mount: str = "/reconcile") -> None:
        self.port = port
        self.mount = mount
        self.url = f"http://127.0.0.1:{port}{mount}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, resp.headers, data

    def get(self, path: str = "", **params):
        query = ("?" + urlencode(params)) if params else ""
        return self.request("GET", self.mount + path + query)

    def json(self, path: str = "", **params):
        status, headers, body = self.get(path, **params)
        assert status == 200, body
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        assert headers["Access-Control-Allow-Origin"] == "*"
        return json.loads(body)

    def manifest(self):
        data = self.json()
        validate("manifest", data)
        return data

    def batch(self, queries: dict, method: str = "GET"):
        validate("reconciliation-query-batch", queries)  # what we send is a valid batch too
        text = json.dumps(queries)
        if method == "GET":
            status, headers, body = self.get(queries=text)
        else:
            status, headers, body = self.request(
                "POST",
                self.mount,
                urlencode({"queries": text}).encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
        assert status == 200, body
        assert headers["Access-Control-Allow-Origin"] == "*"
        data = json.loads(body)
        validate("reconciliation-result-batch", data)
        assert set(data) == set(queries)
        return data

    def candidates(self, query, **fields):
        return self.batch({"q0": {"query": query, **fields}})["q0"]["result"]

    def error(
        self,
        status: int,
        method: str = "GET",
        path: str = "",
        body: bytes | None = None,
        headers: dict | None = None,
        **params,
    ):
        query = ("?" + urlencode(params)) if params else ""
        got, hdrs, data = self.request(method, self.mount + path + query, body, headers)
        assert got == status, data
        assert hdrs["Content-Type"] == "application/json; charset=utf-8"
        assert hdrs["Access-Control-Allow-Origin"] == "*"
        answer = json.loads(data)
        assert answer["code"] == status and answer["message"] and "Traceback" not in answer["message"]
        return answer["message"]


def _start(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def _stop(server):
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def served(site):
    """`sst-vocab serve`'s server as the command builds it: the site, and the service at /reconcile."""
    from sst_vocab.loader import load
    from sst_vocab.reconcile import Service
    from sst_vocab.reconcile.web import ReconcileApp
    from sst_vocab.serve import make_server

    pages = site.pages
    service = Service(load(), view=lambda iri: site.mount + pages[iri] if iri in pages else None)
    server = _start(make_server(site, "127.0.0.1", 0, routes={"/reconcile": ReconcileApp(service)}))
    yield Client(server.server_address[1])
    _stop(server)


@pytest.fixture(scope="module")
def reconcile_server():
    """`sst-vocab reconcile`'s server (the WSGI application) for any vocabulary: client(paths)."""
    from sst_vocab.reconcile import wsgi_app
    from sst_vocab.reconcile.web import make_server

    servers = []

    def start(*paths, mount: str = "/reconcile", **options) -> Client:
        server = _start(make_server(wsgi_app([str(p) for p in paths] or None, **options), "127.0.0.1", 0, mount=mount))
        servers.append(server)
        return Client(server.server_address[1], mount)

    yield start
    for server in servers:
        _stop(server)


@pytest.fixture(scope="module")
def lithology(reconcile_server):
    return reconcile_server(LITHOLOGY)


@pytest.fixture(scope="module")
def iso639(reconcile_server):
    return reconcile_server(ISO639)


# ---------------------------------------------------------------------------
# Manifest, view, preview
# ---------------------------------------------------------------------------


def test_manifest(served):
    m = served.manifest()
    assert "0.2" in m["versions"]
    assert m["name"] == "Security System Transformation Definitions"
    assert m["identifierSpace"] == SST
    assert m["schemaSpace"] == "http://www.w3.org/2004/02/skos/core#Concept"
    assert {"id": SST.rstrip("/"), "name": "Security System Transformation Definitions"} in m["defaultTypes"]
    for key in ("view", "preview"):
        assert m[key]["url"].startswith(served.url + "/") and "{{id}}" in m[key]["url"]
    assert m["suggest"]["entity"]["service_url"] == served.url
    # HEAD gives the headers and no body.
    status, headers, body = served.request("HEAD", "/reconcile")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_the_view_link_opens_the_concept_page_of_the_site(served, site):
    template = served.manifest()["view"]["url"]
    url = urlsplit(template.replace("{{id}}", quote(SST + "police", safe="")))
    status, headers, _ = served.request("GET", f"{url.path}?{url.query}")
    assert status == 303
    page = urlsplit(headers["Location"])
    assert page.netloc == f"127.0.0.1:{served.port}"
    status, headers, body = served.request("GET", page.path)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert body == site.files[page.path[len(site.mount) :]]
    assert b"Police" in body


def test_view_links_go_to_a_published_site_or_to_the_iri(reconcile_server):
    plain = reconcile_server()
    published = reconcile_server(site_url="https://example.org/docs/sst")
    for client, expected in ((plain, SST + "police"), (published, "https://example.org/docs/sst/police.html")):
        status, headers, _ = client.get("/view", id=SST + "police")
        assert status == 303 and headers["Location"] == expected
    plain.error(404, path="/view", id=SST + "no-such-concept")


def test_preview_is_a_small_escaped_html_card(served):
    template = served.manifest()["preview"]["url"]
    url = urlsplit(template.replace("{{id}}", quote(SST + "security-system-transformation", safe="")))
    status, headers, body = served.request("GET", f"{url.path}?{url.query}")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "frame-ancestors" not in headers["Content-Security-Policy"]  # OpenRefine shows it in an iframe
    page = body.decode("utf-8")
    assert "<h1>Security system transformation</h1>" in page and "SSR" in page
    assert "<script" not in page and len(body) < 4000
    served.error(404, path="/preview", id=SST + "nothing")
    served.error(400, path="/preview")


def test_preview_and_flyout_escape_the_vocabulary_text(tmp_path, reconcile_server):
    f = write(
        tmp_path / "evil.ttl",
        """
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <https://example.org/v/x> a skos:Concept ;
            skos:prefLabel "<script>alert(1)</script> & co"@en ;
            skos:definition "<img src=x onerror=alert(1)>"@en .
        """,
    )
    client = reconcile_server(f)
    status, _, body = client.get("/preview", id="https://example.org/v/x")
    page = body.decode("utf-8")
    assert status == 200
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    flyout = client.json("/flyout/entity", id="https://example.org/v/x")
    assert (
        flyout["id"] == "https://example.org/v/x" and "<script>" not in flyout["html"] and "<img" not in flyout["html"]
    )


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, concept",
    [
        ("Ministry of Defence", "ministry-of-defense"),
        ("Ministry of Defense", "ministry-of-defense"),
        ("MoD", "ministry-of-defense"),
        ("Defense ministry", "ministry-of-defense"),
        ("ministry of DEFENCE.", "ministry-of-defense"),
        ("Mínistry of Défense", "ministry-of-defense"),
        ("NGOs", "non-governmental-organizations"),
        ("NGO", "non-governmental-organizations"),
        ("non governmental organisation", "non-governmental-organizations"),
        ("Nongovernmental organizations", "non-governmental-organizations"),
        ("police", "police"),
        ("POLICE", "police"),
        ("Police!", "police"),
        ("SSR", "security-system-transformation"),
        ("security sector reform", "security-system-transformation"),
        ("Security System Transformation", "security-system-transformation"),
        ("President/Prime Minister", "president-or-prime-minister"),
        ("whole-of-government approach", "whole-of-government-approach"),
        ("Legal defence services", "defense-services"),
        ("sst:judiciary", "judiciary"),
        (SST + "judiciary", "judiciary"),
    ],
)
def test_the_concept_meant_comes_first(served, name, concept):
    found = served.candidates(name)
    assert found, name
    assert found[0]["id"] == SST + concept, [(c["name"], c["score"]) for c in found[:3]]
    assert found[0]["score"] >= 85
    if len(found) > 1:
        assert found[0]["score"] > found[1]["score"]
    assert found == sorted(found, key=lambda c: -c["score"])


@pytest.mark.parametrize(
    "name, match",
    [
        ("police", True),  # the preferred label
        ("SSR", True),  # an alternative label
        ("Police!", True),  # exact but for case and punctuation
        ("President/Prime Minister", True),  # a hidden label
        ("sst:police", True),  # the concept's CURIE
        ("Ministry of Defence", True),  # an alternative label (British spelling, added for search)
        ("MoD", True),  # an alternative label
        ("Ministries of Defence", False),  # a spelling variant: high, but a person should confirm
        ("Defense ministry", False),
        ("polic", False),
    ],
)
def test_match_is_only_for_an_exact_label(served, name, match):
    found = served.candidates(name)
    assert found[0]["match"] is match
    assert not any(c["match"] for c in found[1:])


def test_an_exact_label_two_concepts_share_is_not_a_match(tmp_path, reconcile_server):
    f = write(
        tmp_path / "twins.ttl",
        """
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <https://example.org/v/a> a skos:Concept ; skos:prefLabel "Mercury"@en ; skos:definition "A planet."@en .
        <https://example.org/v/b> a skos:Concept ; skos:prefLabel "Mercury"@en ; skos:definition "A metal."@en .
        <https://example.org/v/c> a skos:Concept ; skos:prefLabel "Venus"@en .
        <https://example.org/v/old> a skos:Concept ; skos:prefLabel "Venus"@en ; owl:deprecated true .
        """,
    )
    client = reconcile_server(f)
    mercury = client.candidates("Mercury")
    assert {c["id"] for c in mercury} == {"https://example.org/v/a", "https://example.org/v/b"}
    assert [c["match"] for c in mercury] == [False, False]
    assert {c.get("description") for c in mercury} == {"A planet.", "A metal."}  # so a person can tell
    # The deprecated namesake is left out, so Venus is unambiguous.
    venus = client.candidates("Venus")
    assert [(c["id"], c["match"]) for c in venus] == [("https://example.org/v/c", True)]
    assert client.json("/suggest/entity", prefix="ven")["result"][0]["id"] == "https://example.org/v/c"
    client.error(404, path="/preview", id="https://example.org/v/old")
    everything = reconcile_server(f, include_deprecated=True)
    assert {c["id"] for c in everything.candidates("Venus")} == {"https://example.org/v/c", "https://example.org/v/old"}


def test_batches_by_get_and_post_agree(served):
    queries = {
        "q0": {"query": "Ministry of Defence"},
        "q1": {"query": "NGOs", "limit": 2},
        "row 17": {"query": "police", "type": SST.rstrip("/"), "type_strict": "should"},
        "q3": {"query": "nothing like any concept xyzzy"},
        "q4": {"query": ""},
    }
    by_get = served.batch(queries, "GET")
    by_post = served.batch(queries, "POST")
    assert by_get == by_post
    assert by_get["q0"]["result"][0]["id"] == SST + "ministry-of-defense"
    assert len(by_get["q1"]["result"]) <= 2
    assert by_get["row 17"]["result"][0]["id"] == SST + "police"
    assert by_get["q3"]["result"] == [] and by_get["q4"]["result"] == []
    # Each candidate names its types, which the manifest's default types cover.
    types = {t["id"] for t in served.manifest()["defaultTypes"]}
    assert {t["id"] for t in by_get["q0"]["result"][0]["type"]} <= types
    # A JSON body works too.
    status, _, body = served.request(
        "POST", "/reconcile", json.dumps(queries).encode(), {"Content-Type": "application/json"}
    )
    assert status == 200 and json.loads(body) == by_get


def test_a_single_query(served):
    for value in ("police", json.dumps({"query": "police", "limit": 1})):
        data = served.json(query=value)
        validate("reconciliation-result-batch", {"q": data})
        assert data["result"][0]["id"] == SST + "police"
    assert len(served.json(query=json.dumps({"query": "police", "limit": 1}))["result"]) == 1


def test_limit(served):
    many = served.candidates("security")
    assert len(many) > 3
    assert served.candidates("security", limit=3) == many[:3]
    assert len(served.candidates("security", limit=1)) == 1


def test_type_filter(served, tmp_path, reconcile_server):
    assert served.candidates("police", type=SST.rstrip("/"))[0]["id"] == SST + "police"
    assert served.candidates("police", type="http://www.w3.org/2004/02/skos/core#Concept")[0]["id"] == SST + "police"
    assert served.candidates("police", type="https://example.org/other-scheme") == []
    # Collections are types too; a concept answers for each it belongs to.
    f = write(
        tmp_path / "coll.ttl",
        """
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix ex: <https://example.org/v/> .
        ex:s a skos:ConceptScheme ; skos:prefLabel "Things"@en .
        ex:metals a skos:Collection ; skos:prefLabel "Metals"@en ; skos:member ex:iron, ex:more .
        ex:more a skos:Collection ; skos:prefLabel "More metals"@en ; skos:memberList ( ex:tin ) .
        ex:iron a skos:Concept ; skos:prefLabel "Iron"@en ; skos:inScheme ex:s .
        ex:tin a skos:Concept ; skos:prefLabel "Tin"@en ; skos:inScheme ex:s .
        ex:ironing a skos:Concept ; skos:prefLabel "Iron (appliance)"@en ; skos:inScheme ex:s .
        """,
    )
    client = reconcile_server(f)
    types = client.manifest()["defaultTypes"]
    assert {t["name"] for t in types} == {"Things", "Metals", "More metals"}
    assert [c["id"] for c in client.candidates("iron", type="https://example.org/v/metals")] == [
        "https://example.org/v/iron"
    ]
    assert {c["id"] for c in client.candidates("iron", type="https://example.org/v/s")} == {
        "https://example.org/v/iron",
        "https://example.org/v/ironing",
    }
    assert [c["id"] for c in client.candidates("tin", type=["https://example.org/v/metals"])] == [
        "https://example.org/v/tin"
    ]  # through the nested, ordered collection
    tin = client.candidates("tin")[0]
    assert {t["name"] for t in tin["type"]} == {"Things", "Metals", "More metals"}


def test_properties_filter(served):
    orgs = served.candidates("organizations")
    assert len({c["id"] for c in orgs}) > 3
    for value in (
        "sst:civil-society-bodies",
        SST + "civil-society-bodies",
        "Civil society bodies",
        {"id": SST + "civil-society-bodies", "name": "Civil society bodies"},
    ):
        found = served.candidates("organizations", properties=[{"pid": "broader", "v": value}])
        ids = {c["id"] for c in found}
        assert SST + "non-governmental-organizations" in ids
        assert SST + "statutory-civil-society-organizations" not in ids  # a namesake elsewhere
    # broader at any depth, and by the SKOS property's IRI or CURIE
    for pid in ("broader", "skos:broader", "http://www.w3.org/2004/02/skos/core#broader"):
        deep = served.candidates("police", properties=[{"pid": pid, "v": "sst:security-system-actors"}])
        assert deep[0]["id"] == SST + "police"
    assert served.candidates("police", properties=[{"pid": "broader", "v": "sst:civil-society-bodies"}]) == []
    assert (
        served.candidates("police", properties=[{"pid": "inScheme", "v": SST.rstrip("/")}])[0]["id"] == SST + "police"
    )
    # Several values: any of them; several properties: all of them.
    either = served.candidates(
        "organizations",
        properties=[{"pid": "broader", "v": ["sst:civil-society-bodies", "sst:civil-management-and-oversight-bodies"]}],
    )
    assert SST + "statutory-civil-society-organizations" in {c["id"] for c in either}
    # A properties-only query lists what the properties allow.
    only = served.batch({"q": {"properties": [{"pid": "broader", "v": "sst:civil-society-bodies"}]}})["q"]["result"]
    assert {c["id"] for c in only} >= {SST + "media", SST + "non-governmental-organizations"}


# ---------------------------------------------------------------------------
# Suggest
# ---------------------------------------------------------------------------


def test_suggest_entity_is_a_prefix_search(served):
    suggest = served.manifest()["suggest"]["entity"]
    assert suggest["service_path"] == "/suggest/entity"
    data = served.json("/suggest/entity", prefix="Minist")
    validate("suggest-entities-response", data)
    names = [r["name"] for r in data["result"]]
    assert names and all("ministr" in n.lower() or "minister" in n.lower() for n in names)
    assert names[0].startswith("Minist")
    # Words in any order, accents and case ignored; alternative labels count.
    assert served.json("/suggest/entity", prefix="défense MIN")["result"][0]["id"] == SST + "ministry-of-defense"
    assert served.json("/suggest/entity", prefix="ngo")["result"][0]["id"] == SST + "non-governmental-organizations"
    assert served.json("/suggest/entity", prefix=SST + "police")["result"][0]["id"] == SST + "police"
    # cursor pages through the same list
    first = served.json("/suggest/entity", prefix="s", limit=3)["result"]
    second = served.json("/suggest/entity", prefix="s", limit=3, cursor=3)["result"]
    everything = served.json("/suggest/entity", prefix="s", limit=6)["result"]
    assert first + second == everything and len(everything) == 6
    assert served.json("/suggest/entity", prefix="zzzz")["result"] == []
    served.error(400, path="/suggest/entity")
    served.error(400, path="/suggest/entity", prefix="x", cursor="-1")
    flyout = served.json("/flyout/entity", id=SST + "police")
    assert flyout["id"] == SST + "police" and "Police" in flyout["html"]


def test_suggest_types_and_properties(served):
    types = served.json("/suggest/type", prefix="sec")
    validate("suggest-types-response", types)
    assert types["result"][0]["id"] == SST.rstrip("/")
    props = served.json("/suggest/property", prefix="broad")
    validate("suggest-properties-response", props)
    assert props["result"][0]["id"] == "broader"


# ---------------------------------------------------------------------------
# Cross-origin access, JSONP, errors
# ---------------------------------------------------------------------------


def test_cors_preflight_and_headers(served):
    status, headers, body = served.request(
        "OPTIONS",
        "/reconcile",
        headers={
            "Origin": "http://127.0.0.1:3333",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    for path in ("", "/suggest/entity?prefix=po", "/preview?id=sst%3Apolice", "/nope"):
        status, headers, _ = served.request("GET", "/reconcile" + path, headers={"Origin": "http://x.example"})
        assert headers["Access-Control-Allow-Origin"] == "*", path
    status, headers, _ = served.request(
        "POST", "/reconcile", b"queries=%7B%7D", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"


def test_jsonp_for_older_clients(served):
    status, headers, body = served.get(callback="jQuery123_456", queries=json.dumps({"q": {"query": "police"}}))
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    text = body.decode("utf-8")
    match = re.fullmatch(r"/\*\*/jQuery123_456\((.*)\);", text, re.S)
    assert match
    validate("reconciliation-result-batch", json.loads(match.group(1)))
    status, _, body = served.get("/suggest/entity", prefix="pol", callback="cb")
    assert body.startswith(b"/**/cb(")
    served.error(400, callback="alert(1)//")


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"queries": "{not json"}, "not valid JSON"),
        ({"queries": "[1, 2]"}, "JSON object"),
        ({"queries": json.dumps({"q": "police"})}, "query must be a JSON object"),
        ({"queries": json.dumps({"q": {"limit": 3}})}, '"query"'),
        ({"queries": json.dumps({"q": {"query": 3}})}, '"query" must be a string'),
        ({"queries": json.dumps({"q": {"query": "x", "limit": 0}})}, '"limit"'),
        ({"queries": json.dumps({"q": {"query": "x", "limit": "ten"}})}, '"limit"'),
        ({"queries": json.dumps({"q": {"query": "x", "type": 5}})}, '"type"'),
        ({"queries": json.dumps({"q": {"query": "x", "properties": "broader"}})}, '"properties"'),
        (
            {"queries": json.dumps({"q": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}})},
            'unknown property "colour"',
        ),
        ({"queries": json.dumps({"q": {"query": "x", "properties": [{"pid": "broader", "v": [[1]]}]}})}, "value"),
        ({"query": "{broken"}, "not valid JSON"),
        ({"extend": "{}"}, "data extension"),
    ],
)
def test_malformed_queries_are_400_with_a_json_error(served, params, fragment):
    message = served.error(400, **params)
    assert fragment in message


def test_other_errors(served):
    from sst_vocab.reconcile import MAX_BATCH

    big = {f"q{i}": {"query": "x"} for i in range(MAX_BATCH + 1)}
    message = served.error(
        413,
        "POST",
        body=urlencode({"queries": json.dumps(big)}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert str(MAX_BATCH) in message
    served.error(404, path="/no/such/thing")
    served.error(405, "PUT", body=b"x")
    served.error(400, "POST", body=b"queries=%FF%FE", headers={"Content-Type": "application/x-www-form-urlencoded"})
    served.error(415, "POST", body=b"<q/>", headers={"Content-Type": "text/xml"})
    # The site next to the service is unaffected.
    status, _, _ = served.request("GET", "/sst-vocab/police", headers={"Accept": "text/turtle"})
    assert status == 200


# ---------------------------------------------------------------------------
# Real vocabularies written by others
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, concept, match",
    [
        ("granite", "granite", True),
        ("GRANITES", "granite", False),
        ("A-type granite", "a-type-granite", True),
        ("a type granite", "a-type-granite", True),
        ("ATGR", "a-type-granite", True),  # its notation
        ("sandstone", "sandstone", True),
        ("Calc silicate rock", "calc-silicate-rock", True),
        ("absarokites", "absarokite", False),
        # Labels that differ only in punctuation: the one as written first, and it is the match.
        ("CM1/2 chondrite meteorite", "cm1over2-chondrite-meteorite", True),
        ("CM1-2 chondrite meteorite", "cm1-2-chondrite-meteorite", True),
        ("H? chondrite meteorite", "hunk-chondrite-meteorite", True),
        ("H chondrite meteorite", "h-chondrite-meteorite", True),
    ],
)
def test_lithology(lithology, name, concept, match):
    found = lithology.candidates(name)
    assert found[0]["id"].rsplit("/", 1)[1] == concept, [(c["name"], c["score"]) for c in found[:3]]
    assert found[0]["match"] is match


def test_labels_equal_but_for_punctuation_are_not_a_match(lithology):
    found = lithology.candidates("cm1 2 chondrite meteorite")
    assert {c["id"].rsplit("/", 1)[1] for c in found[:2]} == {
        "cm1-2-chondrite-meteorite",
        "cm1over2-chondrite-meteorite",
    }
    assert found[0]["score"] == found[1]["score"] and not any(c["match"] for c in found)


def test_every_lithology_label_finds_its_concept(lithology):
    """A batch of the first 200 preferred labels: each finds its concept among the best."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=str(LITHOLOGY), format=ox.RdfFormat.TURTLE)
    skos = "http://www.w3.org/2004/02/skos/core#"
    concepts = {
        q.subject
        for q in store.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(skos + "Concept")
        )
    }
    rows = sorted(
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(skos + "prefLabel"), None)
        if q.subject in concepts
    )[:200]
    data = lithology.batch({f"q{i}": {"query": label, "limit": 5} for i, (_, label) in enumerate(rows)}, "POST")
    for i, (iri, label) in enumerate(rows):
        result = data[f"q{i}"]["result"]
        assert result[0]["id"] == iri, (label, result[:2])


@pytest.mark.parametrize(
    "name, code, shown",
    [
        ("French", "fr", "French"),
        ("français", "fr", "français"),  # the name comes back in the language matched
        ("FRANCAIS", "fr", "français"),
        ("allemand", "de", "allemand"),
        ("Deutsch", "de", "Deutsch"),
        ("de", "de", "German"),  # the notation
        ("espagnol", "es", "Spanish | Castilian"),
        ("Danakil Sprache", "aa", "Danakil-Sprache"),
    ],
)
def test_iso639_in_every_language(iso639, name, code, shown):
    found = iso639.candidates(name)
    assert found[0]["id"] == f"https://linked.data.gov.au/def/iso639-1/{code}", found[:2]
    assert found[0]["name"] == shown


@pytest.mark.parametrize("path", REAL_VOCABS, ids=lambda p: p.name)
def test_every_real_vocabulary_serves_a_valid_service(reconcile_server, path):
    client = reconcile_server(path)
    manifest = client.manifest()
    assert manifest["defaultTypes"]
    # Its first concept's own label finds it, and the candidate's types are valid types.
    data = client.json("/suggest/entity", prefix="a")
    validate("suggest-entities-response", data)
    first = data["result"][0]
    found = client.candidates(first["name"])
    assert first["id"] in [c["id"] for c in found if c["score"] == found[0]["score"]]


def test_a_wsgi_mount_elsewhere(reconcile_server):
    client = reconcile_server(ISO639, mount="/api/match")
    manifest = client.manifest()
    assert manifest["view"]["url"].startswith(f"http://127.0.0.1:{client.port}/api/match/view?id=")
    assert client.candidates("German")[0]["id"].endswith("/de")
    status, _, _ = client.request("GET", "/reconcile")
    assert status == 404


@contextlib.contextmanager
def command_server(*args: str):
    """`sst-vocab ARGS` as a user runs it; yields the port of the /reconcile URL it prints, then stops it (SIGINT)."""
    proc = popen_sst(*args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while True:
            line = proc.stdout.readline()
            lines.append(line)
            match = re.search(r"http://127\.0\.0\.1:(\d+)/reconcile", line)
            if match or not line:
                break
        assert match, "".join(lines) + proc.stderr.read()
        yield int(match.group(1)), lines
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_the_reconcile_command():
    """`sst-vocab reconcile`: prints the URL to give OpenRefine, answers there."""
    with command_server("reconcile", "--port", "0", "--vocab", str(ISO639)) as (port, lines):
        assert lines[-1].startswith("Reconciliation service for 184 concepts at ")
        client = Client(port)
        assert client.manifest()["identifierSpace"] == "https://linked.data.gov.au/def/iso639-1/"
        assert client.candidates("allemand")[0]["id"].endswith("/de")


def test_the_serve_command_mounts_the_service_beside_the_site():
    with command_server("serve", "--port", "0") as (port, lines):
        assert lines[0].startswith(f"Serving 51 concepts at http://127.0.0.1:{port}/sst-vocab/")
        client = Client(port)
        assert client.candidates("MoD")[0]["id"] == SST + "ministry-of-defense"
        status, headers, _ = client.get("/view", id=SST + "police")
        assert status == 303 and headers["Location"] == f"http://127.0.0.1:{port}/sst-vocab/police.html"
        assert client.request("GET", "/sst-vocab/police.html")[0] == 200
        # A proxy's absolute-form request reaches the service too.
        status, _, body = client.request("GET", f"http://127.0.0.1:{port}/reconcile?query=police")
        assert status == 200 and json.loads(body)["result"][0]["id"] == SST + "police"


def test_the_reconcile_command_refuses_bad_input(invoke, tmp_path):
    broken = write(tmp_path / "broken.ttl", "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<a> skso:x 1 .\n")
    result = invoke("reconcile", "--vocab", str(broken), "--port", "0")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {broken}:2:")


def test_names_in_the_language_asked_for(reconcile_server):
    countries = REAL / "countries.ttl"
    default, french = reconcile_server(countries), reconcile_server(countries, lang="fr")
    assert default.candidates("DE")[0]["name"] == "Germany"  # the vocabulary's language: English
    assert french.candidates("DE")[0]["name"] == "Allemagne (l’)"  # --lang fr
    assert french.candidates("Germany")[0]["name"] == "Germany"  # matched exactly in English
    assert french.candidates("Österreich")[0]["id"].endswith("/AT")
    assert french.json("/suggest/entity", prefix="allem")["result"][0]["name"] == "Allemagne (l’)"


def test_notation_mapping_and_other_property_filters(lithology, iso639, reconcile_server):
    granites = lithology.candidates("granite", limit=20)
    assert len(granites) > 3
    only = lithology.candidates("granite", properties=[{"pid": "notation", "v": "atgr"}])
    assert [c["id"].rsplit("/", 1)[1] for c in only] == ["a-type-granite"]
    countries = reconcile_server(REAL / "countries.ttl")
    deu = "http://publications.europa.eu/resource/authority/country/DEU"
    for pid in ("exactMatch", "skos:exactMatch"):
        assert [c["id"] for c in countries.candidates("Germany", properties=[{"pid": pid, "v": deu}])] == [
            "http://linked.data.gov.au/def/countries/DE"
        ]
    assert countries.candidates("Germany", properties=[{"pid": "exactMatch", "v": deu + "X"}]) == []
    # Any property, by IRI: values compared as IRIs or as names.
    defined = "http://www.w3.org/2000/01/rdf-schema#isDefinedBy"
    assert iso639.candidates("German", properties=[{"pid": defined, "v": "https://linked.data.gov.au/def/iso639-1"}])
    assert iso639.candidates("German", properties=[{"pid": defined, "v": "https://example.org/other"}]) == []
    assert iso639.candidates(
        "German", properties=[{"pid": "http://www.w3.org/2004/02/skos/core#definition", "v": "GERMAN"}]
    )[0]["id"].endswith("/de")
