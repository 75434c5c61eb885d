"""The site in a real browser: headless Debian Chromium driven by Playwright.

The index renders, every concept page loads with no console error and no failed request,
nothing is requested from anywhere but the local server, search finds SSR, the hierarchy's
links navigate, the keyboard works, the site works from file:// too.  Screenshots of the
index and of a concept page (desktop and phone) are saved to artifacts/ for a person to look at.

Skipped only when Chromium (/usr/bin/chromium: `apt-get install chromium`) or the
playwright package is missing; `make test` installs both.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT

CHROMIUM = os.environ.get("SST_VOCAB_CHROMIUM", "/usr/bin/chromium")
if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

pytestmark = pytest.mark.slow

#: Keep Chromium off the network: no background requests to Google hosts, no component updates.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--metrics-recording-only",
    "--no-default-browser-check",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
]
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def base_url(site, site_server):
    return f"http://127.0.0.1:{site_server.server_address[1]}{site.mount}"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Everything that went wrong on a page: console errors, page errors, failed or foreign requests."""

    def __init__(self, page, allowed: tuple[str, ...]) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.allowed = allowed
        page.on(
            "console", lambda m: m.type in ("error", "warning") and self.problems.append(f"console {m.type}: {m.text}")
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        page.on("request", lambda r: self.requests.append(r.url))
        # Anything not from the site is refused before it leaves the browser, and reported.
        page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith((*self.allowed, "data:")):
            route.continue_()
        else:
            self.problems.append(f"external request: {url}")
            route.abort()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    pg = context.new_page()
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
    pg.watch = Watch(pg, (origin,))
    yield pg
    context.close()


def test_index_renders(page, base_url):
    page.goto(base_url)
    assert page.title() == "Security System Transformation Definitions"
    assert page.locator("h1").inner_text() == "Security System Transformation Definitions"
    for heading in ("Where it comes from", "Participants", "Rules of the road", "Concepts", "Downloads"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    svg = page.locator("svg.tree")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box["width"] > 600 and box["height"] > 600
    assert page.locator("svg.tree a").count() >= 50
    # The downloads are served.
    for link in page.locator("#downloads a[download]").all():
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.status == 200, link.get_attribute("href")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "index-phone.png"), full_page=False)
    # Readable on a phone: nothing wider than the screen except the scrollable picture.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.watch.problems == []


def test_every_concept_page_loads_cleanly(page, base_url, site):
    concepts = [r for r in site.resources.values() if r.kind == "concept"]
    assert len(concepts) > 40
    for r in concepts:
        response = page.goto(base_url + r.path)  # the concept IRI's path, negotiated to HTML
        assert response.status == 200 and response.headers["content-type"].startswith("text/html")
        h1 = page.locator("h1").inner_text()
        assert h1, r.path
        assert page.locator("#h-definition").is_visible()
    assert page.watch.problems == []
    assert all(u.startswith(base_url) for u in page.watch.requests)
    page.goto(base_url + "security-system-transformation")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "concept.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "concept-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_other_pages_load_cleanly(page, base_url, site):
    for r in site.resources.values():
        if r.kind == "resource":
            assert page.goto(base_url + r.path).status == 200
            assert page.locator("h1").inner_text()
    assert page.watch.problems == []


def test_search_finds_ssr_and_the_keyboard_gets_there(page, base_url):
    page.goto(base_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")  # the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("SSR")
    first = page.locator("#search-results li a").first
    first.wait_for(state="visible", timeout=5000)
    assert "Security system transformation" in first.inner_text()
    assert "SSR" in first.inner_text()
    sync_api.expect(page.locator("#search-status")).to_contain_text("1 concept matches")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("security-system-transformation.html")
    assert page.locator("h1").inner_text() == "Security system transformation"
    # Definitions are searched too; Enter in the box opens the best match.
    page.locator("#q").fill("monopoly on the legitimate use of force")
    page.locator("#search-results li a").first.wait_for(state="visible")
    assert "Security system transformation" in page.locator("#search-results li a").first.inner_text()
    page.locator("#q").fill("police")
    page.locator("#search-results li a").first.wait_for(state="visible")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert page.locator("h1").inner_text() == "Police"
    page.locator("#q").fill("zzzz-no-such-thing")
    sync_api.expect(page.locator("#search-status")).to_contain_text("No concept matches")
    assert page.locator("#search-results li").count() == 0
    assert page.watch.problems == []


def test_hierarchy_links_navigate(page, base_url):
    page.goto(base_url)
    with page.expect_navigation():
        page.locator('svg.tree a[href="security-system-actors.html"]').click()
    assert page.locator("h1").inner_text() == "Security system actors"
    # The concept's picture: down to a narrower concept, then up again.
    with page.expect_navigation():
        page.locator('svg.tree a[href="civil-society-bodies.html"]').click()
    assert page.locator("h1").inner_text() == "Civil society bodies"
    with page.expect_navigation():
        page.locator('svg.tree a[href="security-system-actors.html"]').click()
    assert page.locator("h1").inner_text() == "Security system actors"
    # Breadcrumbs and the relation lists.
    with page.expect_navigation():
        page.locator("nav.crumbs a", has_text="Security system").last.click()
    assert page.locator("h1").inner_text() == "Security system"
    with page.expect_navigation():
        page.locator(".relations a", has_text="Providers of security").click()
    assert page.locator("h1").inner_text() == "Providers of security"
    # A box of the picture is reachable and followed with the keyboard.
    page.goto(base_url)
    page.locator('svg.tree a[href="police.html"]').focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Police"
    assert page.watch.problems == []


def test_content_negotiation_from_the_browser(page, base_url):
    response = page.request.get(base_url + "police", headers={"Accept": "text/turtle"})
    assert response.status == 200 and response.headers["content-type"].startswith("text/turtle")
    assert "skos:prefLabel" in response.text()
    response = page.request.get(base_url + "police", headers={"Accept": "image/png"})
    assert response.status == 406


def test_the_site_works_from_files_offline(browser, site, tmp_path):
    """Written to a folder and opened with file://: pages, links and search need no server."""
    from sst_vocab.site import write_site

    out = tmp_path / "site"
    write_site(site, out)
    context = browser.new_context(viewport={"width": 1024, "height": 800}, offline=True)
    page = context.new_page()
    watch = Watch(page, (out.as_uri() + "/",))
    page.goto((out / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "Security System Transformation Definitions"
    page.locator("#q").fill("SSR")
    page.locator("#search-results li a").first.wait_for(state="visible", timeout=5000)
    with page.expect_navigation():
        page.locator("#search-results li a").first.click()
    assert page.locator("h1").inner_text() == "Security system transformation"
    with page.expect_navigation():
        page.locator("nav.crumbs a").first.click()
    assert page.url.endswith("/index.html")
    assert watch.problems == []
    context.close()


def test_dark_mode_and_print_render_without_errors(browser, base_url):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base_url))
    watch = Watch(page, (origin,))
    page.goto(base_url + "security")
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert bg != "rgb(253, 253, 251)"  # the dark palette applies
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "concept-dark.png"))
    assert watch.problems == []
    context.close()


def teardown_module(module):
    # Keep artifacts/ for people to look at; nothing else is left behind.
    shutil.rmtree(ROOT / "artifacts" / "tmp", ignore_errors=True)
