"""A small HTTP client for the stores the user names: timeout, TLS verification, credentials from the environment.

Used by ``publish`` (Graph Store Protocol PUT, SPARQL COUNT) and available to any code
that talks to an endpoint the user gave on the command line.  Standard library only
(``urllib``), so it costs nothing at start-up.

Rules it enforces:

- **Credentials** come from environment variables or a netrc file, never from an
  argument and never from the URL (a URL with ``user:password@`` is refused):
  ``SST_VOCAB_TOKEN`` (sent as ``Authorization: Bearer``), else ``SST_VOCAB_USER`` and
  ``SST_VOCAB_PASSWORD`` (HTTP basic), else the entry for the URL's host in the netrc
  file (``$NETRC`` or ``~/.netrc``).  A user and password are sent as HTTP basic; a
  server that answers 401 with a ``Digest`` challenge (Virtuoso's authenticated
  endpoints) gets them once more as HTTP Digest (RFC 7616: MD5, SHA-256 and their
  ``-sess`` variants, ``qop=auth``).  They are never part of a message: every error
  names the URL without user information, and any text a server sends back is
  scrubbed of the secrets before it is shown.
- **TLS** certificates are verified (the system CA bundle, or ``SSL_CERT_FILE``).
- **Redirects** are not followed (a redirect would carry the Authorization header
  to wherever it points); the error names the new location instead.
- **Timeout**: every request has one; no answer within it is a clear error.

Every failure is raised as :class:`RemoteError` (a :class:`~sst_vocab.errors.VocabError`,
so the command line prints it and exits 2) whose message names the URL and what to check.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import VocabError

__all__ = [
    "ENV_PASSWORD",
    "ENV_TOKEN",
    "ENV_USER",
    "Credentials",
    "RemoteError",
    "Response",
    "check_url",
    "credentials_for",
    "display_url",
    "request",
]

ENV_TOKEN = "SST_VOCAB_TOKEN"
ENV_USER = "SST_VOCAB_USER"
ENV_PASSWORD = "SST_VOCAB_PASSWORD"

#: The most of an error body that is read and shown.
_ERROR_BODY_LIMIT = 64 * 1024
_SHOWN_BODY = 300


class RemoteError(VocabError):
    """A request to a store failed: unreachable, refused, an HTTP error, a timeout, a bad answer."""

    def __init__(
        self, message: str, *, url: str, status: int | None = None, kind: str = "http", options: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message, options=options)
        #: The URL, without credentials.
        self.url = url
        #: The HTTP status, when the server answered.
        self.status = status
        #: "http" (an error status), "redirect", "timeout", "connection" (unreachable, reset, TLS) or "answer".
        self.kind = kind


@dataclass(frozen=True)
class Credentials:
    """What to send in the ``Authorization`` header, and where it came from (for messages)."""

    header: str = field(repr=False)
    #: A description safe to print: "bearer token from SST_VOCAB_TOKEN".
    source: str
    #: The secret strings, scrubbed from anything shown.
    secrets: tuple[str, ...] = field(default=(), repr=False)
    #: The user and password, for HTTP Digest (None for a bearer token).
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)


@dataclass
class Response:
    status: int
    #: The response headers; ``get`` ignores the case of names (``http.client.HTTPMessage``).
    headers: Mapping[str, str]
    body: bytes


def display_url(url: str) -> str:
    """``url`` without any ``user:password@`` part: the only form of a URL that is ever shown."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<an unparsable URL>"
    netloc = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def check_url(url: str, option: str = "URL") -> str:
    """Accept an absolute ``http(s)://`` URL with a host and no credentials; else raise VocabError."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise VocabError(f"{option} {display_url(url)} is not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise VocabError(f"{option} {display_url(url)} must be an absolute http:// or https:// URL")
    if "@" in parts.netloc:
        raise VocabError(
            f"{option} {display_url(url)}: do not put credentials in the URL (they would show in the shell "
            f"history and process list); set {ENV_TOKEN}, or {ENV_USER} and {ENV_PASSWORD}, or a netrc entry"
        )
    if parts.fragment:
        raise VocabError(f"{option} {display_url(url)} must not have a #fragment")
    return url


def _netrc_credentials(host: str) -> Credentials | None:
    import netrc

    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        # netrc.netrc(None) reads ~/.netrc and also checks that it is not readable by others.
        entries = netrc.netrc(path if os.environ.get("NETRC") else None)
    except netrc.NetrcParseError as exc:
        # A parse error quotes the offending token, which may be a password: show it only for the
        # permission and ownership checks, and otherwise point at the line.
        safe = any(w in exc.msg for w in ("too permissive", "owner"))
        reason = exc.msg if safe else "it does not follow the netrc syntax (machine HOST login USER password PASSWORD)"
        raise VocabError(
            f"cannot read the netrc file: {reason}", path=exc.filename or path, line=None if safe else exc.lineno
        ) from None
    except OSError as exc:
        raise VocabError(f"cannot read the netrc file: {exc.strerror or exc}", path=path) from exc
    found = entries.authenticators(host)
    if not found:
        return None
    login, _account, password = found
    if not login and not password:
        return None
    token = base64.b64encode(f"{login or ''}:{password or ''}".encode()).decode("ascii")
    return Credentials(
        header=f"Basic {token}",
        source=f"HTTP basic credentials from the netrc file ({path}) for {host}",
        secrets=tuple(s for s in (password, token) if s),
        user=login or "",
        password=password or "",
    )


def credentials_for(url: str, env: Mapping[str, str] | None = None) -> Credentials | None:
    """The credentials to send to ``url``: from the environment, else the netrc file, else None."""
    env = os.environ if env is None else env
    token = env.get(ENV_TOKEN, "")
    if token:
        return Credentials(header=f"Bearer {token}", source=f"bearer token from {ENV_TOKEN}", secrets=(token,))
    user, password = env.get(ENV_USER, ""), env.get(ENV_PASSWORD, "")
    if user or password:
        if not (user and password):
            missing = ENV_PASSWORD if user else ENV_USER
            raise VocabError(f"{missing} is not set: HTTP basic credentials need both {ENV_USER} and {ENV_PASSWORD}")
        pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        return Credentials(
            header=f"Basic {pair}",
            source=f"HTTP basic credentials from {ENV_USER}/{ENV_PASSWORD}",
            secrets=(password, pair),
            user=user,
            password=password,
        )
    host = urllib.parse.urlsplit(url).hostname or ""
    return _netrc_credentials(host)


_AUTH_PARAM = re.compile(r'\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)\s*(?:,|$)')
_DIGEST_HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}


def digest_challenge(headers: list[str]) -> dict[str, str] | None:
    """The parameters of the first ``Digest`` challenge among ``WWW-Authenticate`` header values, or None."""
    for value in headers:
        at = 0
        while True:
            m = re.search(r"(?i)(?:^|,)\s*digest\s+", value[at:])
            if not m:
                break
            at += m.end()
            params: dict[str, str] = {}
            while at < len(value):
                p = _AUTH_PARAM.match(value, at)
                if not p:
                    break
                raw = p.group(2)
                params[p.group(1).lower()] = re.sub(r"\\(.)", r"\1", raw[1:-1]) if raw.startswith('"') else raw
                at = p.end()
            if "nonce" in params and "realm" in params:
                return params
    return None


def digest_authorization(
    challenge: Mapping[str, str],
    method: str,
    url: str,
    user: str,
    password: str,
    cnonce: str | None = None,
    nc: int = 1,
) -> str:
    """The ``Authorization: Digest ...`` value answering ``challenge`` (RFC 7616, ``qop=auth`` or none).

    Raises VocabError for an algorithm or protection it does not implement.
    """
    import hashlib

    algorithm = challenge.get("algorithm", "MD5")
    base = algorithm.upper().removesuffix("-SESS")
    if base not in _DIGEST_HASHES:
        raise VocabError(
            f"the server asks for HTTP Digest with algorithm {algorithm}, which sst-vocab does not "
            "implement (MD5, SHA-256, SHA-512-256 and their -sess variants)"
        )
    qops = [q.strip().lower() for q in challenge.get("qop", "").split(",") if q.strip()]
    if qops and "auth" not in qops:
        raise VocabError(
            f"the server asks for HTTP Digest with qop={challenge.get('qop')}; sst-vocab implements qop=auth only"
        )

    def h(text: str) -> str:
        return hashlib.new(_DIGEST_HASHES[base], text.encode("utf-8")).hexdigest()

    realm, nonce = challenge["realm"], challenge["nonce"]
    cnonce = cnonce or os.urandom(16).hex()
    parts = urllib.parse.urlsplit(url)
    uri = parts.path or "/"
    if parts.query:
        uri += "?" + parts.query
    ha1 = h(f"{user}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    count = f"{nc:08x}"
    response = h(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{ha2}") if qops else h(f"{ha1}:{nonce}:{ha2}")

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    fields = [
        f"username={quoted(user)}",
        f"realm={quoted(realm)}",
        f"nonce={quoted(nonce)}",
        f"uri={quoted(uri)}",
        f"algorithm={algorithm}",
        f"response={quoted(response)}",
    ]
    if qops:
        fields += ["qop=auth", f"nc={count}", f"cnonce={quoted(cnonce)}"]
    if "opaque" in challenge:
        fields.append(f"opaque={quoted(challenge['opaque'])}")
    return "Digest " + ", ".join(fields)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises HTTPError with the 3xx status


def _opener() -> urllib.request.OpenerDirector:
    context = ssl.create_default_context()  # verifies certificates and host names
    return urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=context))


def _scrub(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _server_says(body: bytes, secrets: tuple[str, ...]) -> str:
    text = body.decode("utf-8", errors="replace")
    text = " ".join(text.split())
    if len(text) > _SHOWN_BODY:
        text = text[:_SHOWN_BODY] + "..."
    return _scrub(text, secrets)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def _what_to_check(status: int, creds: Credentials | None, hints: Mapping[int, str], sent: int) -> str:
    if status in hints:
        return hints[status]
    if status == 401:
        if creds is None:
            return (
                f"the store needs credentials and none were sent: set {ENV_TOKEN} (bearer token), or "
                f"{ENV_USER} and {ENV_PASSWORD} (HTTP basic), or a netrc entry for the host"
            )
        return f"the store rejected the {creds.source}: check that they are current and meant for this store"
    if status == 403:
        return (
            "the account may lack permission for this, or the endpoint is read-only "
            "(e.g. `oxigraph serve-read-only`, a read-only Fuseki dataset or GraphDB repository)"
        )
    if status == 404:
        return "check the path of the URL (the dataset or repository name)"
    if status == 405:
        return "this URL does not accept this kind of request: check that it is the right endpoint"
    if status == 413:
        return (
            f"the request ({sent:,} bytes) is larger than the server, or a proxy in front of it, accepts: "
            "raise that limit (e.g. nginx client_max_body_size)"
        )
    if status == 415:
        return "the server does not accept this content type: check that the URL is the right endpoint"
    if 500 <= status < 600:
        return "the server failed: check its log"
    return "check the URL and the server's documentation"


def request(
    method: str,
    url: str,
    *,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 60.0,
    credentials: Credentials | None = None,
    action: str = "send a request to",
    shown: str | None = None,
    hints: Mapping[int, str] | None = None,
    max_bytes: int | None = None,
    too_large: str = "ask for less",
) -> Response:
    """Send one request and return the 2xx response; raise :class:`RemoteError` for anything else.

    Messages read "Could not ACTION SHOWN: what happened. What to check."  ``shown`` is
    how the URL is named (default: ``url`` without credentials); ``hints`` replaces
    the "what to check" advice for given HTTP statuses.  ``timeout`` bounds the whole
    exchange, not only each wait for the socket (a server that trickles its answer is
    stopped too); an answer longer than ``max_bytes`` is refused, advising
    ``too_large``.
    """
    import time

    deadline = time.monotonic() + timeout
    shown = display_url(shown if shown is not None else url)
    secrets = credentials.secrets if credentials else ()
    hints = hints or {}
    sent = len(data) if data else 0
    req = urllib.request.Request(url, data=data, method=method)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    if credentials is not None:
        req.add_header("Authorization", credentials.header)

    def fail(what: str, check: str, status: int | None = None, kind: str = "http") -> RemoteError:
        message = f"could not {action} {shown}: {what}. {_sentence(check)}"
        return RemoteError(
            _scrub(message, secrets),
            url=shown,
            status=status,
            kind=kind,
            options=("timeout",) if kind == "timeout" else (),
        )

    try:
        try:
            return _exchange(req, timeout, deadline, max_bytes, fail, too_large)
        except urllib.error.HTTPError as exc:
            if exc.code != 401 or credentials is None or credentials.user is None:
                raise
            challenges = (exc.headers.get_all("WWW-Authenticate") if exc.headers else None) or []
            if not challenges:
                # Virtuoso answers a request carrying basic credentials with a bare 401, no challenge: ask
                # again without them to learn which scheme it wants (nothing was accepted either time).
                exc.close()
                req.remove_header("Authorization")
                try:
                    return _exchange(req, _left(deadline), deadline, max_bytes, fail, too_large)
                except urllib.error.HTTPError as bare:
                    if bare.code != 401:
                        raise
                    exc = bare
                    challenges = (bare.headers.get_all("WWW-Authenticate") if bare.headers else None) or []
            challenge = digest_challenge(challenges)
            if challenge is None:
                raise exc from None
            exc.close()
            req.add_header(
                "Authorization",
                digest_authorization(challenge, method, url, credentials.user, credentials.password or ""),
            )
            try:
                return _exchange(req, _left(deadline), deadline, max_bytes, fail, too_large)
            except urllib.error.HTTPError as again:
                credentials = Credentials(
                    header="", source=credentials.source.replace("HTTP basic", "HTTP Digest"), secrets=secrets
                )
                raise again from None
    except urllib.error.HTTPError as exc:
        raise _http_failure(exc, url, credentials, hints, sent, secrets, fail) from None
    except urllib.error.URLError as exc:
        raise fail(*_connection_failure(exc.reason, timeout, sent, shown)) from None
    except (OSError, http.client.HTTPException) as exc:  # timeouts and resets while reading, bad status lines
        raise fail(*_connection_failure(exc, timeout, sent, shown)) from None


def _left(deadline: float) -> float:
    import time

    return max(0.001, deadline - time.monotonic())


def _exchange(
    req: urllib.request.Request, timeout: float, deadline: float, max_bytes: int | None, fail, too_large: str
) -> Response:
    """One request and its whole answer (HTTPError for any status but 2xx)."""
    import time

    with _opener().open(req, timeout=timeout) as resp:
        chunks: list[bytes] = []
        size = 0
        while chunk := resp.read1(1 << 16):  # what has arrived: the deadline is checked between reads
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                raise fail(f"the answer is larger than {max_bytes >> 20} MiB", too_large, resp.status, "answer")
            if time.monotonic() > deadline:
                raise TimeoutError("timed out")
            chunks.append(chunk)
        return Response(status=resp.status, headers=resp.headers, body=b"".join(chunks))


def _http_failure(
    exc: urllib.error.HTTPError,
    url: str,
    credentials: Credentials | None,
    hints: Mapping[int, str],
    sent: int,
    secrets: tuple[str, ...],
    fail,
) -> RemoteError:
    status = exc.code
    try:
        body = exc.read(_ERROR_BODY_LIMIT)
    except (OSError, http.client.HTTPException):
        body = b""
    finally:
        exc.close()
    reason = exc.reason if isinstance(exc.reason, str) else ""
    what = f"HTTP {status} {reason}".rstrip()
    if 300 <= status < 400:
        location = exc.headers.get("Location", "") if exc.headers else ""
        where = display_url(urllib.parse.urljoin(url, location)) if location else "another URL"
        return fail(
            f"{what}, a redirect to {where}",
            "use that URL directly (redirects are not followed, so credentials only go where you said)",
            status,
            "redirect",
        )
    says = _server_says(body, secrets)
    if says:
        what += f" (the server said: {says})"
    return fail(what, _what_to_check(status, credentials, hints, sent), status)


def _connection_failure(reason: object, timeout: float, sent: int, shown: str) -> tuple[str, str, None, str]:
    """(what happened, what to check, status, kind) for a failure below HTTP."""
    host = urllib.parse.urlsplit(shown).netloc
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason):
        return (
            f"no answer within {timeout:g} s",
            "check that the server is up and not overloaded, or allow more time",
            None,
            "timeout",
        )
    if isinstance(reason, ssl.SSLCertVerificationError):
        what = f"the TLS certificate of {host} could not be verified ({reason.verify_message})"
        check = "check the server's certificate, or point SSL_CERT_FILE at your organisation's CA bundle"
    elif isinstance(reason, ssl.SSLError):
        what = f"TLS failed ({reason.reason or reason})"
        check = "check that the URL's scheme (https or http) and port are right"
    elif isinstance(reason, socket.gaierror):
        what = f"the host name {urllib.parse.urlsplit(shown).hostname} cannot be resolved"
        check = "check the host name in the URL and your network"
    elif isinstance(reason, ConnectionRefusedError):
        what = "connection refused (nothing is listening there)"
        check = "check that the server is running and that the host and port in the URL are right"
    elif isinstance(reason, (ConnectionResetError, BrokenPipeError)) or "closed connection" in str(reason):
        what = "the server closed the connection" + (f" while receiving {sent:,} bytes" if sent else "")
        check = (
            "it may limit the size of requests (raise that limit), or it failed: check its log"
            if sent
            else "check the server's log"
        )
    else:
        what = str(getattr(reason, "strerror", None) or reason)
        check = "check the URL and that the server is reachable"
    return what, check, None, "connection"
