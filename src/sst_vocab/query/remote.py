"""Remote endpoints (SPARQL 1.1 Protocol): sending a query, reading the answer, the stores' quirks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import VocabError
from .binding import with_values
from .common import DEFAULT_TIMEOUT, ArgumentError
from .scan import check

#: Largest answer read from an endpoint.
MAX_REMOTE_BYTES = 256 * 2**20

_JSON_RESULTS = "application/sparql-results+json"
_RDF_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5"


def accept_for(form: str) -> str:
    """What to ask an endpoint for: RDF for CONSTRUCT and DESCRIBE, else SPARQL JSON results (always JSON for
    SELECT: stores differ in their CSV and TSV, and Virtuoso's booleans there are 1 and 0, which only JSON's
    datatypes can undo; the answer is written out in the format asked for here)."""
    return _RDF_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _JSON_RESULTS


def check_endpoint(url: str) -> None:
    """An absolute http(s) URL without credentials in it (see :func:`sst_vocab.http.check_url`)."""
    from ..http import check_url

    try:
        check_url(url, "the endpoint")
    except VocabError as exc:
        raise ArgumentError(exc.message, ("endpoint",)) from None


def run_remote(
    endpoint: str,
    query: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    accept: str = _JSON_RESULTS,
    timeout: float = DEFAULT_TIMEOUT,
    graph: str | None = None,
) -> tuple[str, bytes]:
    """Send a query to a SPARQL 1.1 endpoint; return (content type, body).

    The query is checked first (updates, SERVICE, FROM, LOAD refused: nothing is
    sent).  ``bindings`` (name -> pyoxigraph term) go in as a VALUES block at the
    start of the WHERE group.  ``graph``: the named graph to query as the default
    graph, sent as the protocol's ``default-graph-uri`` parameter (the query text is
    not changed).  POST, form-encoded, through :mod:`sst_vocab.http`: credentials
    from ``SST_VOCAB_TOKEN``, ``SST_VOCAB_USER``/``SST_VOCAB_PASSWORD`` or netrc, TLS
    verified, redirects refused, the whole exchange within ``timeout`` seconds,
    answers up to :data:`MAX_REMOTE_BYTES`.  Failures raise
    :class:`sst_vocab.http.RemoteError` (a VocabError) naming the endpoint and what to
    check.
    """
    import urllib.parse

    from .. import http

    check_endpoint(endpoint)
    scan = check(query, "(query)")
    if bindings:
        query = with_values(query, scan, bindings)
    form = [("query", query)]
    if graph is not None:
        form.append(("default-graph-uri", check_graph(graph)))

    def send():
        return http.request(
            "POST",
            endpoint,
            data=urllib.parse.urlencode(form).encode("utf-8"),
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "sst-vocab"},
            timeout=timeout,
            credentials=http.credentials_for(endpoint),
            action="query the endpoint",
            hints=_ENDPOINT_HINTS,
            max_bytes=MAX_REMOTE_BYTES,
            too_large="add a LIMIT to the query",
        )

    try:
        response = send()
    except http.RemoteError as exc:
        if not _transient_endpoint_failure(exc):
            raise
        response = send()  # once more: the query is read-only
    return response.headers.get("Content-Type", ""), response.body


def _transient_endpoint_failure(exc: Exception) -> bool:
    """An endpoint failure that asking again cures (an endpoint quirk, like those in :func:`endpoint_quirks`).

    Virtuoso 7, on a graph loaded moments ago, sometimes fails to compile a query it
    compiles a moment later: HTTP 500 with "SQ156: Internal Optimized compiler error".
    """
    return getattr(exc, "status", None) == 500 and "SQ156" in str(exc)


def check_graph(iri: str) -> str:
    """An absolute IRI to name a graph with; else VocabError."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+", iri or ""):
        raise ArgumentError(
            f"the graph {iri!r} is not an absolute IRI (for example https://w3id.org/sst-vocab/version/0.1.0)",
            ("graph",),
        )
    return iri


def endpoint_quirks(form: str, ctype: str, body: bytes) -> tuple[str, bytes]:
    """An endpoint's answer made standard: every known deviation of a store, handled here and only here.

    - Virtuoso writes literals with a datatype as ``"type": "typed-literal"`` in SPARQL
      JSON results (a draft of the format; SPARQL 1.1 says ``"literal"``), which
      standard parsers refuse.
    - Virtuoso writes an ``xsd:boolean`` value in SPARQL JSON results as ``"1"`` or ``"0"``
      (the named queries write their booleans as ``STRDT("true", xsd:boolean)``: a plain
      ``true`` comes back from Virtuoso as the integer 1).
    - Virtuoso answers ``ASK`` in CSV and TSV (and, in some versions, JSON) as a table
      with one integer binding (``"bool"`` / ``1``) instead of a boolean.

    CSV and TSV carry no datatypes, so a boolean written as 1 cannot be told from an
    integer there: SELECT results are always asked for as JSON (see :func:`execute`).
    """
    media = ctype.split(";")[0].strip().lower()
    if media in ("application/sparql-results+json", "application/json") and b'"typed-literal"' in body:
        import json

        try:
            doc = json.loads(body)
            for row in doc.get("results", {}).get("bindings", []):
                for value in row.values():
                    if isinstance(value, dict) and value.get("type") == "typed-literal":
                        value["type"] = "literal"
                        if value.get("datatype") == _XSD_BOOLEAN and value.get("value") in ("0", "1"):
                            value["value"] = "true" if value["value"] == "1" else "false"
            body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        except (ValueError, AttributeError, TypeError):
            pass  # not JSON after all: the parser will say so
    if form == "ASK":
        answer = _ask_as_table(media, body)
        if answer is not None:
            return "application/sparql-results+json", b'{"head":{},"boolean":%s}' % (b"true" if answer else b"false")
    return ctype, body


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def _ask_as_table(media: str, body: bytes) -> bool | None:
    """The boolean of an ASK answered as a one-cell table (Virtuoso), else None."""
    if media in ("text/csv", "text/tab-separated-values"):
        lines = body.decode("utf-8", "replace").split()
        if len(lines) == 2:
            value = lines[1].strip().strip('"').split("^^")[0].strip('"').lower()
            if value in ("1", "0", "true", "false"):
                return value in ("1", "true")
    if media in ("application/sparql-results+json", "application/json") and b'"boolean"' not in body:
        import json

        try:
            rows = json.loads(body)["results"]["bindings"]
            if len(rows) == 1 and len(rows[0]) == 1:
                value = str(next(iter(rows[0].values())).get("value", "")).lower()
                if value in ("1", "0", "true", "false"):
                    return value in ("1", "true")
        except (ValueError, KeyError, TypeError, AttributeError, StopIteration):
            return None
    return None


#: What to check when a query endpoint answers with these statuses (others: sst_vocab.http's advice).
_ENDPOINT_HINTS = {
    400: "the endpoint could not run the query: see what it said (another SPARQL dialect?)",
    403: "the account may lack permission to query this endpoint",
    404: "check the path of the URL: the query endpoint, e.g. .../sparql or .../DATASET/query",
    405: "this URL does not take SPARQL queries by POST: check that it is the query endpoint",
}


def parse_answer(form: str, ctype: str, body: bytes):
    import pyoxigraph as ox

    ctype, body = endpoint_quirks(form, ctype, body)
    media = ctype.split(";")[0].strip() or "(none)"
    try:
        if form in ("CONSTRUCT", "DESCRIBE"):
            rdf = ox.RdfFormat.from_media_type(ctype) if ctype else None
            if rdf is None:
                raise VocabError(f"the endpoint answered with Content-Type {media}, not RDF")
            return [q.triple for q in ox.parse(body, format=rdf)]
        fmt = ox.QueryResultsFormat.from_media_type(ctype) if ctype else None
        if fmt is None or fmt == ox.QueryResultsFormat.CSV:
            raise VocabError(f"the endpoint answered with Content-Type {media}, not SPARQL results (JSON, XML or TSV)")
        return ox.parse_query_results(body, format=fmt)
    except SyntaxError as exc:
        raise VocabError(f"the endpoint's answer ({media}) does not parse: {exc}") from exc


#: What :func:`empty_default_graph` asks an endpoint: is the default graph empty; which graphs hold concepts.
DEFAULT_GRAPH_PROBES = (
    "ASK { ?s ?p ?o }",
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a <http://www.w3.org/2004/02/skos/core#Concept> } } ORDER BY ?g LIMIT 6",
)


def empty_default_graph(endpoint: str, timeout: float = DEFAULT_TIMEOUT) -> tuple[str, ...] | None:
    """When a query on an endpoint's default graph found nothing: if that graph is empty, the
    graphs holding SKOS concepts there (up to six, possibly none); else None.

    None too when the endpoint cannot tell: this is advice, and its failure must not hide the answer.
    """
    import json

    try:
        _, body = run_remote(endpoint, DEFAULT_GRAPH_PROBES[0], timeout=timeout)
        _, body = endpoint_quirks("ASK", "application/sparql-results+json", body)
        if json.loads(body).get("boolean") is not False:
            return None
        _, body = run_remote(endpoint, DEFAULT_GRAPH_PROBES[1], timeout=timeout)
        _, body = endpoint_quirks("SELECT", "application/sparql-results+json", body)
        return tuple(b["g"]["value"] for b in json.loads(body)["results"]["bindings"] if "g" in b)
    except (VocabError, ValueError, KeyError, TypeError, AttributeError):
        return None
