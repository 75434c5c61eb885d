"""redirects: the w3id.org-style .htaccess, checked as text and, where Apache is installed, by a real Apache."""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import REAL_VOCABS, free_port, write
from sst_vocab.errors import VocabError
from sst_vocab.redirects import check_site_url, htaccess
from sst_vocab.site import plan

SITE_URL = "https://example.org/sst-vocab/"


@pytest.fixture(scope="module")
def rules() -> str:
    return htaccess(plan(), SITE_URL)


def test_rules_send_every_type_with_303(rules):
    assert "RewriteEngine on" in rules
    for ext in (".ttl", ".jsonld", ".nt", ".rdf", ".csv"):
        assert f"RewriteRule ^$ {SITE_URL}index{ext} [R=303,L]" in rules
    for ext in (".ttl", ".jsonld", ".nt", ".rdf", ".html"):
        assert f"RewriteRule ^(.*[^/])$ {SITE_URL}$1{ext} [R=303,L]" in rules
    assert f"RewriteRule ^$ {SITE_URL} [R=303,L]" in rules
    assert "[R=406,L]" in rules
    # Data types are tested before the HTML default.
    assert rules.index("$1.ttl") < rules.index("$1.html") and rules.index("$1.jsonld") < rules.index("$1.html")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/",
        "example.org/site",
        "https://example.org/a b/",
        "https://example.org/$1/",
        "https://example.org/?x=1",
        "https://",
    ],
)
def test_unusable_site_urls_are_refused(url):
    with pytest.raises(VocabError):
        check_site_url(url)


def test_site_url_gets_a_trailing_slash():
    assert check_site_url("https://example.org/site") == "https://example.org/site/"


def test_moved_pages_get_their_own_rules(tmp_path):
    path = write(
        tmp_path / "v.ttl",
        """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/v> a skos:ConceptScheme .
<https://example.org/v/index> a skos:Concept ; skos:prefLabel "index"@en .
<https://example.org/v/x> a skos:Concept ; skos:prefLabel "x"@en .
""",
    )
    site = plan([path])
    moved = site.resources["index"]
    assert moved.stem.startswith("id/")
    text = htaccess(site, SITE_URL)
    assert f"RewriteRule ^index$ {SITE_URL}{moved.stem}.ttl [R=303,L]" in text
    assert f"RewriteRule ^index$ {SITE_URL}{moved.stem}.html [R=303,L]" in text
    assert text.index("^index$") < text.index("^(.*[^/])$")


@pytest.mark.parametrize("path", REAL_VOCABS, ids=[p.stem for p in REAL_VOCABS])
def test_rules_for_real_vocabularies(path):
    text = htaccess(plan([path]), SITE_URL)
    assert text.count("[R=303,L]") >= 10


def test_redirects_command(invoke, tmp_path):
    result = invoke("redirects", "--site-url", SITE_URL)
    assert result.exit_code == 0 and result.stdout.startswith("# Persistent-URI redirects")
    out = tmp_path / ".htaccess"
    result = invoke("redirects", "--site-url", SITE_URL, "-o", str(out))
    assert result.exit_code == 0 and out.read_text().startswith("# Persistent-URI redirects")
    result = invoke("redirects", "--site-url", "not a url")
    assert result.exit_code == 2 and "site URL" in result.stderr
    site = tmp_path / "site"
    result = invoke("docs", "--output", str(site), "--site-url", SITE_URL)
    assert result.exit_code == 0 and (site / ".htaccess.w3id").read_text() == out.read_text()


# ---------------------------------------------------------------------------
# A real Apache with mod_rewrite reading the generated .htaccess
# ---------------------------------------------------------------------------

APACHE = shutil.which("apache2", path="/usr/sbin:/usr/local/sbin:/usr/bin") or shutil.which("httpd")
MODULES = next(
    (
        d
        for d in ("/usr/lib/apache2/modules", "/usr/lib64/httpd/modules", "/usr/libexec/apache2")
        if Path(d, "mod_rewrite.so").is_file()
    ),
    None,
)


@pytest.fixture(scope="module")
def apache(rules):
    if not APACHE or not MODULES:
        pytest.skip("Apache with mod_rewrite is not installed (apt-get install apache2-bin; make test does)")
    root = Path(tempfile.mkdtemp(prefix="sst-vocab-apache-"))
    os.chmod(root, 0o755)  # Apache's worker user must read it
    www = root / "www"
    (www / "sst-vocab").mkdir(parents=True)
    (www / "sst-vocab" / ".htaccess").write_text(rules)
    for p in (www, www / "sst-vocab"):
        os.chmod(p, 0o755)
    os.chmod(www / "sst-vocab" / ".htaccess", 0o644)
    port = free_port()
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    conf = root / "httpd.conf"
    conf.write_text(f"""\
ServerRoot "{Path(MODULES).parent}"
LoadModule mpm_prefork_module {MODULES}/mod_mpm_prefork.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule rewrite_module {MODULES}/mod_rewrite.so
LoadModule dir_module {MODULES}/mod_dir.so
{user}Listen 127.0.0.1:{port}
ServerName localhost
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
DefaultRuntimeDir {root}
Mutex file:{root}
DocumentRoot {www}
<Directory {www}>
  AllowOverride All
  Require all granted
</Directory>
""")
    proc = subprocess.Popen([APACHE, "-f", str(conf), "-X"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                    pytest.skip(f"Apache did not start: {out.strip()[:300]}")
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(root, ignore_errors=True)


def ask(port: int, path: str, accept: str | None) -> tuple[int, str | None]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {} if accept is None else {"Accept": accept}
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status, resp.getheader("Location")


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    "path, accept, status, location",
    [
        ("/sst-vocab/security", "text/turtle", 303, "security.ttl"),
        ("/sst-vocab/security", "application/ld+json", 303, "security.jsonld"),
        ("/sst-vocab/security", "application/json", 303, "security.jsonld"),
        ("/sst-vocab/security", "application/n-triples", 303, "security.nt"),
        ("/sst-vocab/security", "application/rdf+xml", 303, "security.rdf"),
        ("/sst-vocab/security", "text/html", 303, "security.html"),
        ("/sst-vocab/security", BROWSER, 303, "security.html"),
        ("/sst-vocab/security", "*/*", 303, "security.html"),
        ("/sst-vocab/security", None, 303, "security.html"),
        ("/sst-vocab/security", "image/png", 406, None),
        ("/sst-vocab/agent/usip", "text/turtle", 303, "agent/usip.ttl"),
        ("/sst-vocab/", "text/turtle", 303, "index.ttl"),
        ("/sst-vocab/", "text/csv", 303, "index.csv"),
        ("/sst-vocab/", BROWSER, 303, ""),
        ("/sst-vocab/security.ttl", "text/html", 302, "security.ttl"),
        ("/sst-vocab/context.jsonld", None, 302, "context.jsonld"),
    ],
)
def test_apache_follows_the_rules(apache, path, accept, status, location):
    got_status, got_location = ask(apache, path, accept)
    assert got_status == status, (path, accept)
    if location is not None:
        assert got_location == SITE_URL + location


def test_apache_scheme_iri_without_slash(apache):
    """The scheme IRI itself: Apache adds the slash (mod_dir), then the rules negotiate."""
    status, location = ask(apache, "/sst-vocab", "text/turtle")
    assert status == 301 and location.endswith("/sst-vocab/")
    assert ask(apache, "/sst-vocab/", "text/turtle") == (303, SITE_URL + "index.ttl")
