"""A content-negotiating preview server for a built :class:`~sst_vocab.site.Site` (http.server).

The site is mounted at the path of its IRIs (``/sst-vocab/`` for ``https://w3id.org/sst-vocab/``),
so ``GET /sst-vocab/security`` with ``Accept: text/turtle`` answers what the persistent IRI
``https://w3id.org/sst-vocab/security`` answers once the redirect rules are in place:

- a concept's path (and the scheme's) negotiates on ``Accept`` among ``text/html``,
  ``text/turtle``, ``application/ld+json``, ``application/n-triples`` and
  ``application/rdf+xml`` (the scheme also ``text/csv``); ``q`` values count, ties go
  to that order; no acceptable type -> ``406`` listing the available ones.  Answers carry
  ``Vary: Accept``, ``Content-Location`` and ``Link: <...>; rel="alternate"`` headers;
  data formats carry CORS headers.
- every generated file is also served by its own name (``security.ttl``, ``assets/site.css``).
- other services are mounted by path (``routes``): ``sst-vocab serve`` mounts the
  reconciliation service (:mod:`sst_vocab.reconcile.web`) at ``/reconcile``.

Only the site's generated files are served, from memory: a request path is decoded once,
refused when it has dot segments, backslashes or NULs, and otherwise only looked up in the
site's table of files, so no request ever reaches the filesystem.  Binds 127.0.0.1 by
default.  The library never prints: pass ``log`` to see requests.
"""

from __future__ import annotations

import http.server
import socket
import socketserver
from collections.abc import Callable, Sequence
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from .site.layout import CONTENT_TYPES, DATA_EXTENSIONS, Site

__all__ = ["ALIASES", "choose", "make_server", "parse_accept"]

#: Other names clients use for a representation: alias -> the media type it gets.
ALIASES = {
    "application/xhtml+xml": "text/html",
    "application/json": "application/ld+json",
    "application/x-turtle": "text/turtle",
}

_SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)
#: The pages need nothing from elsewhere: this policy makes the browser enforce it.
_CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``Accept`` as ``[(media range, q)]``; a missing or empty header accepts everything."""
    if header is None or not header.strip():
        return [("*/*", 1.0)]
    out = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media + "/*"
        q = 1.0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0)
        out.append((media, q))
    return out


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q a client gives ``media``: from the most specific range that matches it."""
    names = {media} | {alias for alias, target in ALIASES.items() if target == media}
    major = media.split("/", 1)[0]
    best: tuple[int, float] | None = None
    for rng, q in ranges:
        if rng in names:
            spec = 3 if rng == media else 2
        elif rng == major + "/*":
            spec = 1
        elif rng == "*/*":
            spec = 0
        else:
            continue
        if best is None or spec > best[0] or (spec == best[0] and q > best[1]):
            best = (spec, q)
    return best[1] if best else 0.0


def choose(accept: str | None, offered: list[str]) -> str | None:
    """The media type to answer with (``offered`` in order of preference), None for 406."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for media in offered:
        q = _quality(media, ranges)
        if q > best_q:
            best, best_q = media, q
    return best


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "sst-vocab-serve"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    site: Site
    log: Callable[[str], None] | None
    #: Other services by path prefix: WSGI applications (``/reconcile``: the reconciliation service).
    routes: ClassVar[dict[str, Callable]] = {}

    # -- plumbing --------------------------------------------------------

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args) -> None:
        if self.log is not None:
            self.log(f"{self.address_string()} - {format % args}")

    def _send(self, status: int, body: bytes, headers: list[tuple[str, str]], head: bool) -> None:
        self.send_response(status)
        for name, value in (*headers, *_SECURITY_HEADERS):
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _plain(self, status: int, text: str, head: bool, extra: Sequence[tuple[str, str]] = ()) -> None:
        self._send(
            status,
            text.encode("utf-8"),
            [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store"), *extra],
            head,
        )

    def _path(self) -> str | None:
        """The request's decoded path, or None when it must be refused (400)."""
        target = self.path
        if target.startswith(("http://", "https://")):
            target = urlsplit(target).path or "/"
        target = target.split("?", 1)[0].split("#", 1)[0]
        if not target.startswith("/") or "\\" in target:
            return None
        try:
            path = unquote(target, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            return None
        if "\x00" in path or "\\" in path or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
            return None
        segments = path.split("/")[1:]
        if any(seg in (".", "..") for seg in segments):
            return None
        # A dot segment spelled with encoded dots (%2e%2e) decodes to ".." above; one
        # that is encoded twice (%252e) stays "%2e" and simply names no file.
        return path

    def _links(self, variants: tuple[tuple[str, str], ...]) -> str:
        mount = self.site.mount
        return ", ".join(f'<{mount}{file}>; rel="alternate"; type="{media}"' for media, file in variants)

    def _routed(self) -> bool:
        """Hand the request to the service mounted at its path, if any (True when one answered)."""
        target = self.path
        if target.startswith(("http://", "https://")):  # the absolute form a proxy may send
            target = urlsplit(target).path or "/"
        path = target.split("?", 1)[0]
        for mount, app in self.routes.items():
            if path == mount or path.startswith(mount + "/"):
                from .reconcile.web import call_wsgi

                status, headers, body = call_wsgi(app, self, mount)
                self._send(
                    status,
                    body,
                    [h for h in headers if h[0].lower() != "x-content-type-options"],
                    head=self.command == "HEAD",
                )
                return True
        return False

    # -- methods ---------------------------------------------------------

    def do_GET(self) -> None:
        if not self._routed():
            self._answer(head=False)

    def do_HEAD(self) -> None:
        if not self._routed():
            self._answer(head=True)

    def do_POST(self) -> None:
        if not self._routed():
            self._refuse_method()

    def do_OPTIONS(self) -> None:
        if self._routed():
            return
        self._send(
            204,
            b"",
            [
                ("Allow", "GET, HEAD, OPTIONS"),
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept"),
                ("Access-Control-Max-Age", "600"),
            ],
            head=True,
        )

    def _refuse_method(self) -> None:
        self._plain(
            405, "Method not allowed: this server only reads.\n", head=False, extra=[("Allow", "GET, HEAD, OPTIONS")]
        )

    def _other_method(self) -> None:
        if not self._routed():
            self._refuse_method()

    do_PUT = do_DELETE = do_PATCH = _other_method

    def _answer(self, head: bool) -> None:
        site = self.site
        path = self._path()
        if path is None:
            self._plain(400, "Bad request: this path is not allowed.\n", head)
            return
        mount = site.mount
        if path == mount.rstrip("/") and mount != "/":
            # The scheme IRI itself (no trailing slash): data directly, the page via its folder URL.
            self._negotiate("", head, html_redirect=mount)
            return
        if not path.startswith(mount):
            if path == "/":
                self._send(302, b"", [("Location", mount), ("Cache-Control", "no-store")], head)
            else:
                self._plain(404, f"Not found. The vocabulary is at {mount}\n", head)
            return
        rel = path[len(mount) :]
        if rel in site.resources:
            self._negotiate(rel, head)
            return
        data = site.files.get(rel)
        if data is None or rel.startswith(".") or "/." in rel:
            self._plain(404, "Not found.\n", head)
            return
        ext = "." + rel.rsplit(".", 1)[-1] if "." in rel.rsplit("/", 1)[-1] else ""
        headers = [("Content-Type", CONTENT_TYPES.get(ext, "application/octet-stream")), ("Cache-Control", "no-cache")]
        if ext in DATA_EXTENSIONS:
            headers += [("Access-Control-Allow-Origin", "*")]
        if ext == ".html":
            headers += [("Content-Security-Policy", _CSP)]
        self._send(200, data, headers, head)

    def _negotiate(self, rel: str, head: bool, html_redirect: str | None = None) -> None:
        resource = self.site.resources.get(rel)
        if resource is None:
            self._plain(404, "Not found.\n", head)
            return
        offered = [media for media, _ in resource.variants]
        media = choose(self.headers.get("Accept"), offered)
        common = [("Vary", "Accept"), ("Link", self._links(resource.variants)), ("Cache-Control", "no-cache")]
        if media is None:
            listing = "".join(f"  {m}\n" for m in offered)
            self._plain(406, f"Not acceptable. {resource.iri} is available as:\n{listing}", head, extra=common)
            return
        file = dict(resource.variants)[media]
        if media == "text/html" and html_redirect is not None:
            self._send(303, b"", [("Location", html_redirect), *common], head)
            return
        ext = "." + file.rsplit(".", 1)[-1]
        headers = [("Content-Type", CONTENT_TYPES[ext]), ("Content-Location", self.site.mount + file), *common]
        if media == "text/html":
            headers.append(("Content-Security-Policy", _CSP))
        else:
            headers += [
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Expose-Headers", "Content-Location, Link, Vary"),
            ]
        self._send(200, self.site.files[file], headers, head)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_server(
    site: Site,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log: Callable[[str], None] | None = None,
    routes: dict[str, Callable] | None = None,
) -> http.server.HTTPServer:
    """An HTTP server for ``site`` (not started: call ``serve_forever()``; port 0 picks a free one).

    ``routes``: WSGI applications by the path they are mounted at, answered before the
    site (``{"/reconcile": reconcile.web.ReconcileApp(...)}``).
    Raises VocabError when the address cannot be bound.
    """
    from .errors import VocabError

    handler = type(
        "Handler", (_Handler,), {"site": site, "log": staticmethod(log) if log else None, "routes": dict(routes or {})}
    )
    server_class: type[_Server] = _Server
    if ":" in host:  # an IPv6 address such as ::1
        server_class = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
    try:
        return server_class((host, port), handler)
    except OSError as exc:
        raise VocabError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
