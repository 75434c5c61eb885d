"""The HTTP side of the reconciliation service: a WSGI application over :class:`sst_vocab.reconcile.Service`.

The endpoint is the application's root (``sst-vocab serve`` and ``sst-vocab reconcile``
mount it at ``/reconcile``; any WSGI server can mount it anywhere)::

    GET  /                          the service manifest (JSON)
    GET  /?queries={...}            a reconciliation query batch (also POST, form field ``queries``,
    POST / queries={...}            or a JSON body); ``query=`` runs one query (0.1 style)
    GET  /suggest/entity?prefix=    entity suggest (``cursor``, ``limit``, ``type``)
    GET  /suggest/type?prefix=      type suggest;  /suggest/property?prefix=  property suggest
    GET  /flyout/entity?id=         the suggest flyout (JSON with escaped HTML)
    GET  /preview?id=               a small HTML card of the concept, for an iframe
    GET  /view?id=                  303 to the concept's page

Every answer carries CORS headers (``Access-Control-Allow-Origin: *``; ``OPTIONS`` answers a
preflight), JSON answers accept a JSONP ``callback=`` (optional in API 0.2), and every
error is a JSON object ``{"code": 400, "status": "Bad Request", "message": "..."}`` with
its HTTP status: 400 malformed input, 404 unknown path or identifier, 405 method,
413 a batch or body too large.  Never a traceback.
"""

from __future__ import annotations

import json
import re
import socketserver
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, quote, urljoin, urlsplit

from ..errors import VocabError
from .requests import MAX_BATCH, MAX_LIMIT, BatchTooLarge, parse_batch, parse_query
from .service import Service

__all__ = ["MAX_BODY", "Mounted", "ReconcileApp", "call_wsgi", "make_server"]

#: The largest request body read (a batch of MAX_BATCH queries fits many times over).
MAX_BODY = 16 * 1024 * 1024
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]{0,63}(?:\.[A-Za-z_$][\w$]{0,63}){0,7}$")
_CORS = [("Access-Control-Allow-Origin", "*")]
_PREVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_METHODS = "GET, HEAD, POST, OPTIONS"


class _HTTPError(Exception):
    def __init__(self, code: int, message: str, headers: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.headers = list(headers)


def _status(code: int) -> str:
    return f"{code} {HTTPStatus(code).phrase}"


class ReconcileApp:
    """A WSGI application serving ``service`` (see the module's docstring for the routes).

    ``public_url``: the endpoint's absolute URL as clients see it, when a proxy changes it
    (default: from the request's scheme, ``Host`` and ``SCRIPT_NAME``).
    """

    def __init__(self, service: Service, *, public_url: str | None = None, documentation: str | None = None) -> None:
        self.service = service
        self.public_url = public_url.rstrip("/") if public_url else None
        self.documentation = documentation

    # -- WSGI -----------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        try:
            code, headers, body = self._route(environ, method)
        except _HTTPError as exc:
            code, headers, body = self._error(exc.code, exc.message, exc.headers)
        except BatchTooLarge as exc:
            code, headers, body = self._error(413, str(exc))
        except VocabError as exc:
            code, headers, body = self._error(400, str(exc))
        except Exception as exc:  # noqa: BLE001 - a request must never end in a traceback
            code, headers, body = self._error(500, f"internal error: {type(exc).__name__}")
        headers = [*headers, *_CORS, ("X-Content-Type-Options", "nosniff"), ("Content-Length", str(len(body)))]
        start_response(_status(code), headers)
        return [b""] if method == "HEAD" else [body]

    def _error(self, code: int, message: str, extra: Iterable[tuple[str, str]] = ()) -> tuple[int, list, bytes]:
        body = {"code": code, "status": HTTPStatus(code).phrase, "message": message}
        return (
            code,
            [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"), *extra],
            _dumps(body),
        )

    # -- routing --------------------------------------------------------------

    def _route(self, environ: dict[str, Any], method: str) -> tuple[int, list, bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if method == "OPTIONS":
            requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
            allow = "Content-Type, Accept" + (
                ", " + requested if requested and re.fullmatch(r"[\w\- ,]{1,200}", requested) else ""
            )
            return (
                204,
                [
                    ("Allow", _METHODS),
                    ("Access-Control-Allow-Methods", _METHODS),
                    ("Access-Control-Allow-Headers", allow),
                    ("Access-Control-Max-Age", "600"),
                ],
                b"",
            )
        if method not in ("GET", "HEAD", "POST"):
            raise _HTTPError(405, f"method {method} is not allowed here; use GET or POST", [("Allow", _METHODS)])
        params = self._params(environ, method)
        root = self._root(environ)
        service = self.service
        data: Any  # the JSON answer: results, the manifest or suggestions
        if path in ("/", ""):
            if "queries" in params:
                data = service.reconcile(parse_batch(params["queries"]))
            elif "query" in params:
                data = service.reconcile_one(parse_query(params["query"]))
            elif "extend" in params:
                raise _HTTPError(400, 'this service does not offer data extension (no "extend" in its manifest)')
            else:
                data = service.manifest(root, documentation=self.documentation, version=_version())
            return self._json(data, params)
        if method == "POST" and path not in ("/",):
            raise _HTTPError(405, "only the endpoint itself takes POST", [("Allow", "GET, HEAD, OPTIONS")])
        if path in ("/suggest/entity", "/suggest/type", "/suggest/property"):
            prefix = params.get("prefix")
            if prefix is None:
                raise _HTTPError(400, 'give the text typed so far as "prefix="')
            cursor = _whole(params.get("cursor", "0"), "cursor", 0)
            limit = min(_whole(params.get("limit", "10"), "limit", 1), MAX_LIMIT)
            if path == "/suggest/entity":
                types = [params["type"]] if params.get("type") else None
                data = service.suggest_entities(prefix, cursor=cursor, limit=limit, types=types)
            elif path == "/suggest/type":
                data = service.suggest_types(prefix, cursor=cursor, limit=limit)
            else:
                data = service.suggest_properties(prefix, cursor=cursor, limit=limit)
            return self._json(data, params)
        if path in ("/preview", "/flyout/entity", "/view"):
            ident = params.get("id")
            if not ident:
                raise _HTTPError(400, 'give the concept\'s identifier as "id="')
            view = service.view_location(ident)
            if view is None:
                raise _HTTPError(404, f"no concept has the identifier {ident}")
            view = urljoin(root + "/", view)
            if path == "/view":
                return (
                    303,
                    [("Location", view), ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-cache")],
                    f"See {view}\n".encode(),
                )
            if path == "/flyout/entity":
                return self._json(service.flyout(ident), params)
            page = service.preview_html(ident, view)
            if page is None:
                raise _HTTPError(404, f"no concept has the identifier {ident}")
            return (
                200,
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Cache-Control", "no-cache"),
                    ("Content-Security-Policy", _PREVIEW_CSP),
                    ("Referrer-Policy", "no-referrer"),
                ],
                page.encode("utf-8"),
            )
        raise _HTTPError(404, f"no such path: {path}. The endpoint is {root}")

    def _json(self, data: Any, params: dict[str, str]) -> tuple[int, list, bytes]:
        body = _dumps(data)
        callback = params.get("callback")
        if callback is not None:
            if not _CALLBACK.fullmatch(callback):
                raise _HTTPError(400, "callback= must be a JavaScript function name such as jQuery123_456")
            return (
                200,
                [("Content-Type", "application/javascript; charset=utf-8"), ("Cache-Control", "no-cache")],
                b"/**/" + callback.encode("ascii") + b"(" + body + b");",
            )
        return 200, [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-cache")], body

    def _root(self, environ: dict[str, Any]) -> str:
        """The endpoint's absolute URL (no trailing slash)."""
        if self.public_url:
            return self.public_url
        scheme = environ.get("wsgi.url_scheme", "http")
        host = environ.get("HTTP_HOST", "")
        if not re.fullmatch(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?", host):
            name, port = environ.get("SERVER_NAME", "localhost"), str(environ.get("SERVER_PORT", ""))
            if ":" in name:
                name = f"[{name}]"
            default = (scheme == "http" and port == "80") or (scheme == "https" and port == "443")
            host = name if default or not port else f"{name}:{port}"
        return f"{scheme}://{host}{quote(environ.get('SCRIPT_NAME', '').rstrip('/'))}"

    @staticmethod
    def _params(environ: dict[str, Any], method: str) -> dict[str, str]:
        """The query string's parameters, then (POST) the form's or a JSON body's (the last value wins)."""
        params = _parse_qs(environ.get("QUERY_STRING", ""))
        if method != "POST":
            return params
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _HTTPError(400, "Content-Length is not a number") from None
        if length > MAX_BODY:
            raise _HTTPError(
                413,
                f"the request body is larger than {MAX_BODY // (1024 * 1024)} MiB; "
                f"send at most {MAX_BATCH} queries per batch",
            )
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        ctype = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise _HTTPError(400, "the request body is not UTF-8") from None
        if ctype == "application/json":
            params["queries"] = text
        elif ctype in ("application/x-www-form-urlencoded", "") and text:
            params.update(_parse_qs(text))
        elif text:
            raise _HTTPError(
                415,
                "send the queries as application/x-www-form-urlencoded (queries=...) or as an application/json body",
            )
        return params


def _parse_qs(text: str) -> dict[str, str]:
    try:
        pairs = parse_qs(
            text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict", max_num_fields=1000
        )
    except UnicodeDecodeError:
        raise _HTTPError(400, "the parameters are not UTF-8") from None
    except ValueError as exc:
        raise _HTTPError(400, f"the parameters cannot be read: {exc}") from None
    return {k: v[-1] for k, v in pairs.items()}


def _whole(text: str, name: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise _HTTPError(400, f'"{name}" must be a whole number') from None
    if value < minimum:
        raise _HTTPError(400, f'"{name}" must be at least {minimum}')
    return value


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _version() -> str | None:
    import sst_vocab

    return getattr(sst_vocab, "__version__", None)


class Mounted:
    """A WSGI application answering ``app`` below ``mount`` (``/reconcile``), 404 elsewhere."""

    def __init__(self, app: Callable[..., Any], mount: str = "/reconcile") -> None:
        self.app = app
        self.mount = "/" + mount.strip("/")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == self.mount or path.startswith(self.mount + "/"):
            environ = {
                **environ,
                "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + self.mount,
                "PATH_INFO": path[len(self.mount) :],
            }
            return self.app(environ, start_response)
        body = _dumps({"code": 404, "status": "Not Found", "message": f"the reconciliation service is at {self.mount}"})
        start_response(
            "404 Not Found",
            [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body))), *_CORS],
        )
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


def call_wsgi(app: Callable[..., Any], handler: Any, mount: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Run a WSGI ``app`` mounted at ``mount`` for one request of an ``http.server`` handler.

    Returns ``(status, headers, body)``; the request body is read here (at most MAX_BODY bytes).
    A HEAD request gets the GET answer's body: the caller leaves it out.
    """
    import io

    target = handler.path
    if target.startswith(("http://", "https://")):  # the absolute form a proxy may send
        parts = urlsplit(target)
        target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    path, _, query = target.partition("?")
    path = path.split("#", 1)[0]
    from urllib.parse import unquote

    length = handler.headers.get("Content-Length")
    try:
        size = int(length) if length else 0
    except ValueError:
        size = -1
    body = b""
    if size < 0 or size > MAX_BODY:
        handler.close_connection = True
        data = _dumps(
            {
                "code": 413 if size > 0 else 400,
                "status": "Request Entity Too Large" if size > 0 else "Bad Request",
                "message": "the request body is too large or its length is not a number",
            }
        )
        return (413 if size > 0 else 400), [("Content-Type", "application/json; charset=utf-8"), *_CORS], data
    if size:
        body = handler.rfile.read(size)
    host, port = handler.server.server_address[:2]
    environ = {
        # HEAD runs as GET: the caller sends the headers (with the body's length) and no body.
        "REQUEST_METHOD": "GET" if handler.command == "HEAD" else handler.command,
        "SCRIPT_NAME": mount,
        "PATH_INFO": unquote(path[len(mount) :], errors="replace"),
        "QUERY_STRING": query,
        "CONTENT_TYPE": handler.headers.get("Content-Type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": str(host),
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": handler.request_version,
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in handler.headers.items():
        key = "HTTP_" + name.upper().replace("-", "_")
        if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
            environ[key] = value
    answer: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        answer["status"], answer["headers"] = int(status.split(" ", 1)[0]), headers

    chunks = app(environ, start_response)
    data = b"".join(chunks)
    headers = [(k, v) for k, v in answer["headers"] if k.lower() not in ("content-length",)]
    return answer["status"], headers, data


def make_server(
    app: Callable[..., Any],
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    mount: str = "/reconcile",
    log: Callable[[str], None] | None = None,
):
    """A threaded HTTP server for the WSGI ``app`` at ``mount`` (not started; port 0 picks a free one).

    Raises VocabError when the address cannot be bound.
    """
    import socket
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    class Handler(WSGIRequestHandler):
        server_version = "sst-vocab-reconcile"
        sys_version = ""

        def log_message(self, format: str, *args: Any) -> None:
            if log is not None:
                log(f"{self.address_string()} - {format % args}")

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True
        allow_reuse_address = True
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

    try:
        server = Server((host, port), Handler)
    except OSError as exc:
        raise VocabError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    server.set_app(Mounted(app, mount))
    return server
