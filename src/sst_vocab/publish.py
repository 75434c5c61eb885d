"""Publish the vocabulary to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol, and verify it arrived.

One ``PUT`` of the whole vocabulary as Turtle replaces the target graph, so publishing
the same version twice leaves exactly one copy, and a failed upload leaves the graph as
it was (the store applies a PUT in one transaction; nothing is deleted first).  After
the upload the store is asked, with a SPARQL ``COUNT`` on its query endpoint, how many
triples the graph holds; the count must equal the number sent.

The target graph, unless given: the concept scheme's ``owl:versionIRI`` when it has
one (each release in its own graph, so consumers can pin a version), else the scheme
IRI.  ``default_graph=True`` writes to the store's default graph instead.

Graph Store endpoint layouts, and the query endpoint derived from each (anything else
needs ``query_endpoint``)::

    Oxigraph  http://HOST:7878/store                          -> http://HOST:7878/query
    Fuseki    http://HOST:3030/DATASET/data                   -> http://HOST:3030/DATASET/sparql
    GraphDB   http://HOST:7200/repositories/REPO/rdf-graphs/service -> http://HOST:7200/repositories/REPO
    Virtuoso  http://HOST:8890/sparql-graph-crud-auth         -> http://HOST:8890/sparql

Validation runs first: a vocabulary with violations is not sent unless ``force``.
Nothing here prints; credentials and HTTP are handled by :mod:`sst_vocab.http`.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import VocabError
from .http import Credentials, RemoteError, check_url, credentials_for, display_url, request

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Vocabulary
    from .validate import Report

__all__ = [
    "TURTLE",
    "Publication",
    "count_triples",
    "default_graph_iri",
    "graph_store_url",
    "publish",
    "query_endpoint_for",
]

TURTLE = "text/turtle"
SPARQL_JSON = "application/sparql-results+json"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: The parameters that choose the graph, named by errors about it (VocabError.options).
_WHICH_GRAPH = ("graph", "default_graph")

#: (Graph Store path suffix, query endpoint path suffix) of the stores we know.
_LAYOUTS = (
    ("/rdf-graphs/service", ""),  # GraphDB, RDF4J: /repositories/REPO/rdf-graphs/service -> /repositories/REPO
    ("/sparql-graph-crud-auth", "/sparql"),  # Virtuoso, HTTP Digest authentication
    ("/sparql-graph-crud", "/sparql"),  # Virtuoso, unauthenticated (rarely writable)
    ("/store", "/query"),  # Oxigraph
    ("/data", "/sparql"),  # Fuseki: /DATASET/data -> /DATASET/sparql
)

_GSP_HINTS = {
    404: (
        "check the Graph Store endpoint's path: Oxigraph http://HOST:7878/store, Fuseki "
        "http://HOST:3030/DATASET/data, GraphDB http://HOST:7200/repositories/REPO/rdf-graphs/service, "
        "Virtuoso http://HOST:8890/sparql-graph-crud-auth (and that the dataset or repository exists)"
    ),
    405: (
        "this URL does not accept a Graph Store PUT: it is probably the query endpoint; use the Graph Store "
        "endpoint (Oxigraph /store, Fuseki /DATASET/data, GraphDB /repositories/REPO/rdf-graphs/service)"
    ),
}


@dataclass
class Publication:
    """The outcome of :func:`publish`: what was (or would be) sent where, and what the store holds."""

    #: The Graph Store endpoint as given (never with credentials).
    store: str
    #: The full PUT URL, with ``?graph=`` or ``?default``.
    target: str
    #: The graph IRI, or None for the store's default graph.
    graph: str | None
    #: Why this graph: "given", "owl:versionIRI", "scheme IRI" or "default graph".
    graph_source: str
    query_endpoint: str
    report: Report
    triples: int
    size: int
    #: A description of the credentials sent (never the secret), or None.
    credentials: str | None = None
    dry_run: bool = False
    forced: bool = False
    #: True once the store accepted the PUT.
    sent: bool = False
    #: The HTTP status of the PUT (201 created, 204 or 200 replaced).
    status: int | None = None
    #: The triples the store's graph holds after the PUT (None when not sent).
    stored: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """True when the vocabulary has violations and ``force`` was not given: nothing was sent."""
        return not self.report.conforms and not self.forced

    @property
    def verified(self) -> bool:
        """True when the store holds exactly as many triples in the graph as were sent."""
        return self.sent and self.stored == self.triples

    @property
    def graph_label(self) -> str:
        return f"<{self.graph}>" if self.graph is not None else "the default graph"


def _named_schemes(vocab: Vocabulary) -> list[str]:
    import pyoxigraph as ox

    return sorted(
        {
            q.subject.value
            for q in vocab.store.quads_for_pattern(
                None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_SKOS + "ConceptScheme"), ox.DefaultGraph()
            )
            if isinstance(q.subject, ox.NamedNode)
        }
    )


def default_graph_iri(vocab: Vocabulary) -> tuple[str, str]:
    """The graph to publish into when none is named: (IRI, why).

    The concept scheme's ``owl:versionIRI`` when it has exactly one, else the scheme IRI.
    Raises VocabError when there is no concept scheme, or more than one, to name the graph after.
    """
    import pyoxigraph as ox

    where = vocab.files[0] if len(vocab.files) == 1 else None
    schemes = _named_schemes(vocab)
    if not schemes:
        raise VocabError(
            "no skos:ConceptScheme to name the graph after: name the graph, or publish to the default graph",
            path=where,
            options=_WHICH_GRAPH,
        )
    if len(schemes) > 1:
        named = ", ".join(f"<{s}>" for s in schemes[:3]) + (", ..." if len(schemes) > 3 else "")
        raise VocabError(
            f"{len(schemes)} concept schemes ({named}): name the graph they go into, or publish to the default graph",
            path=where,
            options=_WHICH_GRAPH,
        )
    scheme = schemes[0]
    versions = sorted(
        {
            q.object.value
            for q in vocab.store.quads_for_pattern(
                ox.NamedNode(scheme), ox.NamedNode(_OWL + "versionIRI"), None, ox.DefaultGraph()
            )
            if isinstance(q.object, ox.NamedNode)
        }
    )
    if len(versions) > 1:
        loc = vocab.location(scheme) or (where, None)
        raise VocabError(
            f"<{scheme}> has {len(versions)} owl:versionIRI values: name the graph to publish into",
            path=loc[0],
            line=loc[1],
            options=("graph",),
        )
    if versions:
        return versions[0], "owl:versionIRI"
    return scheme, "scheme IRI"


def _check_graph_iri(iri: str) -> str:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise VocabError(f"the graph {iri!r} is not an absolute IRI ({exc})", options=("graph",)) from exc
    if ":" not in iri or any(ch in iri for ch in ' <>"{}|^`\\'):
        raise VocabError(f"the graph {iri!r} is not an absolute IRI", options=("graph",))
    return iri


def graph_store_url(store: str, graph: str | None) -> str:
    """The PUT URL: the Graph Store endpoint with ``?graph=IRI`` (encoded) or ``?default``."""
    parts = urllib.parse.urlsplit(store)
    param = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
    query = f"{parts.query}&{param}" if parts.query else param
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def query_endpoint_for(store: str) -> str:
    """The SPARQL query endpoint that belongs to a Graph Store endpoint (Oxigraph, Fuseki, GraphDB layouts).

    Raises VocabError when the URL has none of these layouts (then pass ``query_endpoint``).
    """
    parts = urllib.parse.urlsplit(store)
    path = parts.path.rstrip("/")
    for suffix, replacement in _LAYOUTS:
        if path.endswith(suffix) and path[: -len(suffix)] + replacement:
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path[: -len(suffix)] + replacement, "", ""))
    raise VocabError(
        f"cannot tell the SPARQL query endpoint of {display_url(store)}, used to check what arrived (Oxigraph "
        "http://HOST:7878/query, Fuseki http://HOST:3030/DATASET/sparql, GraphDB http://HOST:7200/repositories/REPO, "
        "Virtuoso http://HOST:8890/sparql): name it",
        options=("query_endpoint",),
    )


def _count_query(graph: str | None) -> str:
    pattern = "?s ?p ?o" if graph is None else f"GRAPH <{graph}> {{ ?s ?p ?o }}"
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"


def count_triples(
    endpoint: str, graph: str | None, *, timeout: float = 60.0, credentials: Credentials | None = None
) -> int:
    """Ask the SPARQL endpoint how many triples ``graph`` (None: the default graph) holds."""
    resp = request(
        "POST",
        endpoint,
        data=urllib.parse.urlencode({"query": _count_query(graph)}).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON},
        timeout=timeout,
        credentials=credentials,
        action="count the published triples with",
        hints={
            404: "check the query endpoint's URL: Oxigraph /query, Fuseki /DATASET/sparql, GraphDB /repositories/REPO"
        },
    )
    try:
        doc = json.loads(resp.body.decode("utf-8"))
        return int(doc["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError, UnicodeDecodeError):
        raise RemoteError(
            f"the query endpoint {display_url(endpoint)} did not answer the triple count with SPARQL JSON results "
            f"(HTTP {resp.status}, {resp.headers.get('Content-Type', 'no content type')}): check the query endpoint",
            url=display_url(endpoint),
            status=resp.status,
            kind="answer",
            options=("query_endpoint",),
        ) from None


# A prefixed name with a backslash escape in its local part (``sst:source\/roundtable``): valid Turtle, but
# Virtuoso 7's parser keeps the backslash in the IRI.  (Inside a serialized string a backslash is always
# doubled, and "\\" is not a local-name escape, so this never matches in a literal.)
_ESCAPED_NAME = re.compile(
    rb"(?<![\w\\:<\"'-])([A-Za-z][\w.-]*)?:((?:[\w.:%-]|\\[_~.!$&'()*+,;=/?#@%-])*"
    rb"\\[_~.!$&'()*+,;=/?#@%-](?:[\w.:%-]|\\[_~.!$&'()*+,;=/?#@%-])*)"
)
_UNESCAPE = re.compile(rb"\\(.)")


def _turtle(vocab: Vocabulary) -> bytes:
    """The vocabulary as Turtle with its prefixes, the same bytes on every run, readable by every store.

    The store labels blank nodes at random on every load (and so does every parser), so
    with blank nodes (review responses, qualified attributions) the payload, and the byte
    count a dry run reports, would change from run to run: blank nodes are relabelled b0,
    b1, ... in the order of their content first, in a store of their own.

    Local names with backslash escapes are valid Turtle, but some stores (Virtuoso 7) read them
    wrongly, so they are written ``<IRI>`` instead.  The result is parsed back and must hold as many
    triples; else the Turtle is written without prefixed names.
    """
    import pyoxigraph as ox

    store = vocab.store
    quads = list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    described: dict = {}
    for q in quads:
        s_, o_ = q.subject, q.object
        if isinstance(s_, ox.BlankNode):
            described.setdefault(s_, []).append(f"> {q.predicate} {'[]' if isinstance(o_, ox.BlankNode) else o_}")
        if isinstance(o_, ox.BlankNode):
            described.setdefault(o_, []).append(f"< {'[]' if isinstance(s_, ox.BlankNode) else s_} {q.predicate}")
    if described:
        order = sorted(described, key=lambda b: sorted(described[b]))
        label = {b: ox.BlankNode(f"b{i}") for i, b in enumerate(order)}
        store = ox.Store()
        store.bulk_extend(
            [
                ox.Quad(label.get(q.subject, q.subject), q.predicate, label.get(q.object, q.object))
                if q.subject in label or q.object in label
                else q
                for q in quads
            ]
        )
    prefixes = vocab.prefixes
    data = store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    assert data is not None  # no output given: the bytes are returned
    if b"\\" not in data:
        return data
    namespaces = {k.encode("utf-8"): v.encode("utf-8") for k, v in prefixes.items()}

    def full(m: re.Match) -> bytes:
        ns = namespaces.get(m.group(1) or b"")
        return m.group(0) if ns is None else b"<" + ns + _UNESCAPE.sub(rb"\1", m.group(2)) + b">"

    rewritten = _ESCAPED_NAME.sub(full, data)
    if rewritten != data:
        check = ox.Store()
        try:
            check.load(rewritten, format=ox.RdfFormat.TURTLE)
            same = len(check) == len(quads)
        except (SyntaxError, ValueError):
            same = False
        if not same:
            return store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()) or b""
    return rewritten


def publish(
    store: str,
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    graph: str | None = None,
    default_graph: bool = False,
    query_endpoint: str | None = None,
    force: bool = False,
    dry_run: bool = False,
    timeout: float = 60.0,
) -> Publication:
    """Validate the vocabulary (default: the shipped one), PUT it into a graph of the store, count what arrived.

    ``store`` is the Graph Store endpoint.  With violations nothing is sent and
    ``Publication.refused`` is True (unless ``force``).  With ``dry_run`` nothing is
    sent either; the result says what would be.  Raises VocabError for bad input or
    arguments and :class:`~sst_vocab.http.RemoteError` (a VocabError) when the store
    cannot be reached or refuses, before or instead of any change to the graph.

    Example::

        p = publish("http://127.0.0.1:7878/store")
        p.verified, p.triples, p.stored   # (True, 1234, 1234)
    """
    from .loader import load
    from .validate import validate

    if graph is not None and default_graph:
        raise VocabError("give either a graph or the default graph, not both", options=_WHICH_GRAPH)
    if timeout <= 0:
        raise VocabError("the timeout must be a positive number of seconds", options=("timeout",))
    check_url(store, "the store URL")
    if any(
        k in ("graph", "default")
        for k, _ in urllib.parse.parse_qsl(urllib.parse.urlsplit(store).query, keep_blank_values=True)
    ):
        raise VocabError(
            f"the store URL {display_url(store)}: give the Graph Store endpoint without ?graph= or "
            "?default, and name the graph apart",
            options=_WHICH_GRAPH,
        )
    endpoint = check_url(query_endpoint, "the query endpoint") if query_endpoint else query_endpoint_for(store)
    if graph is not None:
        _check_graph_iri(graph)

    from .progress import update

    update("reading the vocabulary")
    vocab = load(paths)
    if default_graph:
        target_graph, source = None, "default graph"
    elif graph is not None:
        target_graph, source = graph, "given"
    else:
        target_graph, source = default_graph_iri(vocab)
    update("validating")
    report = validate(vocabulary=vocab)
    update("writing Turtle")
    data = _turtle(vocab)
    creds = credentials_for(store)
    query_creds = credentials_for(endpoint)
    result = Publication(
        store=display_url(store),
        target=display_url(graph_store_url(store, target_graph)),
        graph=target_graph,
        graph_source=source,
        query_endpoint=display_url(endpoint),
        report=report,
        triples=len(vocab.store),
        size=len(data),
        credentials=creds.source if creds else None,
        dry_run=dry_run,
        forced=force and not report.conforms,
    )
    for url, c in ((store, creds), (endpoint, query_creds)):
        if c is not None and urllib.parse.urlsplit(url).scheme == "http" and not _loopback(url):
            host = urllib.parse.urlsplit(url).hostname
            warning = f"credentials are sent to {host} over plain http (readable on the network): use https"
            if warning not in result.warnings:
                result.warnings.append(warning)
    if result.refused or dry_run:
        return result

    update(f"sending {len(data):,} bytes")
    try:
        resp = request(
            "PUT",
            graph_store_url(store, target_graph),
            data=data,
            headers={"Content-Type": f"{TURTLE}; charset=utf-8"},
            timeout=timeout,
            credentials=creds,
            action="publish to",
            shown=f"{result.store} ({result.graph_label})",
            hints=_GSP_HINTS,
        )
    except RemoteError as exc:
        if exc.kind == "timeout" or exc.status in (502, 504):  # a store behind us may still apply the upload
            after = "The store may still apply the upload; publishing again is safe (PUT replaces the graph)."
        else:
            after = f"Nothing was replaced: {result.graph_label} on the store keeps its previous content."
        raise RemoteError(
            f"{exc} {after}", url=exc.url, status=exc.status, kind=exc.kind, options=exc.options
        ) from None
    result.sent, result.status = True, resp.status
    update("counting what arrived")
    try:
        result.stored = count_triples(endpoint, target_graph, timeout=timeout, credentials=query_creds)
    except RemoteError as exc:
        raise RemoteError(
            f"{exc} The upload itself was accepted (HTTP {resp.status}); only the check of what arrived failed.",
            url=exc.url,
            status=exc.status,
            kind=exc.kind,
            options=exc.options or ("query_endpoint",),
        ) from None
    return result


def _loopback(url: str) -> bool:
    import ipaddress

    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
