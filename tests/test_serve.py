"""serve: content negotiation on concept and scheme paths, 406, headers, only generated files, loopback."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import threading

import pyoxigraph as ox
import pytest

from conftest import SUBPROCESS_ENV
from sst_vocab.serve import choose, make_server, parse_accept


@pytest.fixture
def server(site_server):
    return site_server


def get(server, path: str, accept: str | None = None, method: str = "GET", headers: dict | None = None):
    """A raw request (the path is sent exactly as given): (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    hdrs = dict(headers or {})
    if accept is not None:
        hdrs["Accept"] = accept
    conn.putrequest(method, path, skip_accept_encoding=True)
    for k, v in hdrs.items():
        conn.putheader(k, v)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, resp.headers, body


CONCEPT = "https://w3id.org/sst-vocab/security-system-transformation"


@pytest.mark.parametrize(
    "accept, media, fmt",
    [
        ("text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
        ("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/json", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_concept_path_negotiates_data(server, site, accept, media, fmt):
    status, headers, body = get(server, "/sst-vocab/security-system-transformation", accept)
    assert status == 200
    assert headers["Content-Type"] == media
    assert headers["Vary"] == "Accept"
    assert headers["Access-Control-Allow-Origin"] == "*"
    triples = set(ox.parse(body, format=fmt))
    assert {t.subject.value for t in triples} == {CONCEPT}
    assert (CONCEPT, "http://www.w3.org/2004/02/skos/core#altLabel", '"SSR"@en') in {
        (t.subject.value, t.predicate.value, str(t.object)) for t in triples
    }
    ext = headers["Content-Location"].rsplit(".", 1)[1]
    assert headers["Content-Location"] == f"/sst-vocab/security-system-transformation.{ext}"
    assert body == site.files[f"security-system-transformation.{ext}"]


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
        "*/*",
        None,
        "",
        "text/*",
    ],
)
def test_concept_path_gives_the_page_to_browsers(server, site, accept):
    status, headers, body = get(server, "/sst-vocab/security-system-transformation", accept)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == site.files["security-system-transformation.html"]
    assert headers["Vary"] == "Accept"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "Access-Control-Allow-Origin" not in headers


def test_link_headers_name_every_alternate(server):
    _, headers, _ = get(server, "/sst-vocab/police", "text/html")
    link = headers["Link"]
    for ext, media in (
        (".html", "text/html"),
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"),
        (".rdf", "application/rdf+xml"),
    ):
        assert f'</sst-vocab/police{ext}>; rel="alternate"; type="{media}"' in link


def test_unknown_type_gets_406_listing_the_available_ones(server):
    status, headers, body = get(server, "/sst-vocab/police", "image/png")
    assert status == 406
    text = body.decode()
    for media in ("text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"):
        assert media in text
    assert headers["Vary"] == "Accept" and 'rel="alternate"' in headers["Link"]
    assert get(server, "/sst-vocab/police", "text/turtle;q=0, text/html;q=0")[0] == 406


def test_scheme_iri_gives_the_whole_vocabulary(server, site):
    for path in ("/sst-vocab", "/sst-vocab/"):
        status, headers, body = get(server, path, "text/turtle")
        assert status == 200 and body == site.files["index.ttl"], path
        status, headers, body = get(server, path, "text/csv")
        assert status == 200 and body == site.files["index.csv"]
        status, headers, body = get(server, path, "application/ld+json")
        doc = json.loads(body)
        assert len(doc["@graph"]) > 50
    # The page: at the folder URL (relative links resolve), via 303 from the scheme IRI itself.
    status, headers, body = get(server, "/sst-vocab", "text/html")
    assert status == 303 and headers["Location"] == "/sst-vocab/"
    status, headers, body = get(server, "/sst-vocab/", "text/html")
    assert status == 200 and body == site.files["index.html"]
    assert get(server, "/")[0] == 302


def test_generated_files_by_name_and_head_and_options(server, site):
    status, headers, body = get(server, "/sst-vocab/assets/site.css")
    assert (
        status == 200 and headers["Content-Type"] == "text/css; charset=utf-8" and body == site.files["assets/site.css"]
    )
    status, headers, body = get(server, "/sst-vocab/police.ttl")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, body = get(server, "/sst-vocab/police", "text/turtle", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == len(site.files["police.ttl"])
    status, headers, _ = get(server, "/sst-vocab/police", method="OPTIONS")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "*"
    assert get(server, "/sst-vocab/police", method="POST")[0] == 405
    assert get(server, "/sst-vocab/agent/usip", "text/turtle")[0] == 200
    assert get(server, "/sst-vocab/no-such-concept", "text/turtle")[0] == 404
    assert get(server, "/sst-vocab/.sst-vocab-site")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "/sst-vocab/../../../../etc/passwd",
        "/sst-vocab/%2e%2e/%2e%2e/etc/passwd",
        "/sst-vocab/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/sst-vocab/..%2f..%2fetc%2fpasswd",
        "/sst-vocab/%252e%252e/%252e%252e/etc/passwd",
        "/sst-vocab/..\\..\\etc\\passwd",
        "/sst-vocab/%5c..%5c..%5cetc%5cpasswd",
        "/sst-vocab/assets/../../../etc/passwd",
        "/sst-vocab/./index.html",
        "/sst-vocab/police%00.html",
        "/sst-vocab/%c0%ae%c0%ae/etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/sst-vocab//etc/passwd",
        "/sst-vocab/%2fetc%2fpasswd",
        "http://127.0.0.1/sst-vocab/../../etc/passwd",
        "/sst-vocab/assets",
        "/sst-vocab/assets/",
    ],
)
def test_path_traversal_and_odd_paths_are_refused(server, path):
    status, _, body = get(server, path, "text/turtle")
    assert status in (400, 404), (path, status)
    assert b"root:" not in body and len(body) < 200


def test_every_concept_path_answers_html_turtle_and_jsonld(server, site):
    concepts = [r for r in site.resources.values() if r.kind == "concept"]
    assert len(concepts) > 40
    for r in concepts:
        for accept, ext in (("text/html", ".html"), ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld")):
            status, _, body = get(server, "/sst-vocab/" + r.path, accept)
            assert status == 200 and body == site.files[r.stem + ext], (r.path, accept)


def test_binds_loopback_by_default(site, invoke):
    srv = make_server(site, port=0)
    try:
        assert srv.server_address[0] == "127.0.0.1"
    finally:
        srv.server_close()
    from sst_vocab.cli.website import serve_command

    options = {p.name: p.default for p in serve_command.params}
    assert options["host"] == "127.0.0.1"


def test_port_in_use_is_a_clean_error(site, invoke):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        result = invoke("serve", "--port", str(port))
    assert result.exit_code == 2 and "cannot listen" in result.stderr and "Traceback" not in result.stderr


def test_accept_parsing():
    assert parse_accept(None) == [("*/*", 1.0)]
    assert parse_accept("text/turtle;q=0.5, */*;q=0.1") == [("text/turtle", 0.5), ("*/*", 0.1)]
    offered = ["text/html", "text/turtle", "application/ld+json"]
    assert choose("application/ld+json, text/turtle;q=0.8", offered) == "application/ld+json"
    assert choose("text/turtle, */*;q=0.1", offered) == "text/turtle"
    assert choose("text/*;q=0.5, text/turtle;q=0", offered) == "text/html"
    assert choose("application/*", offered) == "application/ld+json"
    assert choose("image/png", offered) is None
    assert choose("text/turtle;q=bogus, text/html", offered) == "text/html"


def test_ipv6_loopback(site):
    try:
        srv = make_server(site, "::1", 0)
    except OSError as exc:  # no IPv6 on this machine
        pytest.skip(f"no IPv6 loopback: {exc}")
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        conn = http.client.HTTPConnection("::1", srv.server_address[1], timeout=10)
        conn.request("GET", "/sst-vocab/police", headers={"Accept": "text/turtle"})
        resp = conn.getresponse()
        assert resp.status == 200 and resp.read() == site.files["police.ttl"]
    finally:
        srv.shutdown()
        srv.server_close()


def test_serve_and_redirects_depend_only_on_the_site_layout():
    """Importing the server and the redirect rules loads the site's layout, not its builder or templates."""
    code = (
        "import json, sys, sst_vocab.serve, sst_vocab.redirects; "
        "loaded = (m for m in sys.modules if m.startswith(('sst_vocab.site', 'jinja2', 'pyoxigraph'))); "
        "print(json.dumps(sorted(loaded)))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=SUBPROCESS_ENV, capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == ["sst_vocab.site", "sst_vocab.site.layout"]
