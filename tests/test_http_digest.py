"""HTTP Digest authentication (sst_vocab.http), as Virtuoso's authenticated endpoints ask for it.

The answers are checked against the worked examples of RFC 7616 (section 3.9.1), and a
loopback store that accepts nothing but a correct Digest answer (computed here, apart from
the code under test) receives a publish.  The real Virtuoso run is in test_virtuoso.py.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import re

import pytest

from conftest import loopback, url
from sst_vocab.http import digest_authorization, digest_challenge

RFC_CHALLENGE = (
    'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm={alg}, '
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
    'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
)
RFC_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"


@pytest.mark.parametrize(
    "algorithm, response",
    [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
def test_the_answers_of_rfc_7616(algorithm, response):
    challenge = digest_challenge([RFC_CHALLENGE.format(alg=algorithm)])
    header = digest_authorization(
        challenge, "GET", "http://www.example.org/dir/index.html", "Mufasa", "Circle of Life", cnonce=RFC_CNONCE
    )
    assert f'response="{response}"' in header
    assert 'uri="/dir/index.html"' in header and "qop=auth" in header and "nc=00000001" in header
    assert 'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"' in header


def test_a_digest_challenge_is_found_among_others():
    found = digest_challenge(
        [
            'Basic realm="x", Digest realm="SPARQL", domain="/sparql-graph-crud-auth", '
            'nonce="674a", opaque="5e", stale="false", qop="auth", algorithm="MD5"'
        ]
    )
    assert found == {
        "realm": "SPARQL",
        "domain": "/sparql-graph-crud-auth",
        "nonce": "674a",
        "opaque": "5e",
        "stale": "false",
        "qop": "auth",
        "algorithm": "MD5",
    }
    assert digest_challenge(['Basic realm="only basic"']) is None


USER, PASSWORD = "editor", "s3cret-digest-pw"


def _parse(header: str) -> dict[str, str]:
    return {k.lower(): v.strip('"') for k, v in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', header)}


class DigestStore(http.server.BaseHTTPRequestHandler):
    """Accepts a request only with a correct Digest answer (bare 401 to basic credentials, as Virtuoso does)."""

    algorithm = "MD5"
    seen: list[dict]
    stored: list[int]

    def _check(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Digest "):
            self.seen.append({"scheme": header.split(" ")[0] or None})
            self.send_response(401)
            if not header:  # a challenge only to a request without credentials
                self.send_header(
                    "WWW-Authenticate",
                    f'Digest realm="store", nonce="n0nce42", qop="auth", algorithm={self.algorithm}, opaque="op"',
                )
            self.send_header("Content-Length", "0")
            self.end_headers()
            return False
        p = _parse(header[7:])
        h = (
            (lambda s: hashlib.md5(s.encode()).hexdigest())
            if self.algorithm == "MD5"
            else (lambda s: hashlib.sha256(s.encode()).hexdigest())
        )
        ha1 = h(f"{USER}:store:{PASSWORD}")
        ha2 = h(f"{self.command}:{p['uri']}")
        expected = h(f"{ha1}:{p['nonce']}:{p['nc']}:{p['cnonce']}:auth:{ha2}")
        ok = (
            p.get("response") == expected
            and p.get("uri") == self.path
            and p.get("username") == USER
            and p.get("opaque") == "op"
        )
        self.seen.append({"scheme": "Digest", "ok": ok})
        if not ok:
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
        return ok

    def do_PUT(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self._check():
            return
        import pyoxigraph as ox

        self.stored.append(len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))))
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not self._check():
            return
        answer = json.dumps(
            {
                "head": {"vars": ["n"]},
                "results": {
                    "bindings": [
                        {
                            "n": {
                                "type": "literal",
                                "value": str(self.stored[-1]),
                                "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                            }
                        }
                    ]
                },
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture(params=["MD5", "SHA-256"])
def digest_store(request):
    seen: list[dict] = []
    stored: list[int] = []
    handler = type("Handler", (DigestStore,), {"algorithm": request.param, "seen": seen, "stored": stored})
    with loopback(handler) as server:
        yield url(server), seen, stored


def test_publish_answers_a_digest_challenge(digest_store, invoke, monkeypatch, no_credentials, tiny_vocab):
    from sst_vocab.loader import load

    base, seen, stored = digest_store
    monkeypatch.setenv("SST_VOCAB_USER", USER)
    monkeypatch.setenv("SST_VOCAB_PASSWORD", PASSWORD)
    result = invoke(
        "publish", str(tiny_vocab), "--store", base + "/data", "--query-endpoint", base + "/sparql", "--force"
    )
    assert result.exit_code == 0, result.stderr
    assert "Verified" in result.stdout and stored == [len(load([tiny_vocab]).store)]
    # basic first (refused with a bare 401), again without credentials (the challenge), then Digest: accepted
    assert [s["scheme"] for s in seen[:3]] == ["Basic", None, "Digest"] and seen[2]["ok"]
    assert PASSWORD not in result.output


def test_a_wrong_password_is_named_as_rejected_digest_credentials(
    digest_store, invoke, monkeypatch, no_credentials, tiny_vocab
):
    base, seen, stored = digest_store
    monkeypatch.setenv("SST_VOCAB_USER", USER)
    monkeypatch.setenv("SST_VOCAB_PASSWORD", "wrong")
    result = invoke(
        "publish", str(tiny_vocab), "--store", base + "/data", "--query-endpoint", base + "/sparql", "--force"
    )
    assert result.exit_code == 2
    assert "HTTP 401" in result.stderr and "rejected the HTTP Digest credentials from SST_VOCAB_USER" in result.stderr
    assert "Nothing was replaced" in result.stderr and stored == []
    assert seen[-1] == {"scheme": "Digest", "ok": False}
