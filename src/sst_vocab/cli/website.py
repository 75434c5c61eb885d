"""Commands for the documentation site and the services around it: docs, serve, reconcile, redirects."""

from __future__ import annotations

import click

from . import base_option, listen_options, output_option, paths_argument, site_url_option


@click.command("docs")
@paths_argument
@output_option(
    folder=True,
    required=True,
    help="Folder to write the site into (created if missing; other files in it are left alone).",
)
@site_url_option(
    "Where the site will be published: also write the persistent-URI redirect rules "
    "to FOLDER/.htaccess.w3id (see `sst-vocab redirects`)."
)
@base_option
def docs_command(paths: tuple[str, ...], output: str, site_url: str | None) -> None:
    """Build the static documentation site: an index, a page per concept, search, downloads.

    Each concept's page sits at the path of its IRI below the scheme's IRI
    (https://w3id.org/sst-vocab/security -> security.html, with security.ttl,
    .jsonld, .nt and .rdf beside it).  The pages work offline and from file://,
    and fetch nothing from other sites.  Deterministic: the same input gives the
    same bytes; unchanged files are not rewritten.

    Example:

    \b
        sst-vocab docs --output site
        sst-vocab docs other.ttl --output site
        sst-vocab serve            # preview with content negotiation
    """
    from ..redirects import htaccess
    from ..site import build, write_site
    from . import terminal_progress

    with terminal_progress():
        site = build(paths or None)
        rules = htaccess(site, site_url) if site_url else None
        result = write_site(site, output)
    if rules is not None:
        from pathlib import Path

        from ..files import write_atomic

        write_atomic(Path(output) / ".htaccess.w3id", rules.encode("utf-8"))
    pages = sum(1 for r in site.resources.values() if r.kind == "concept")
    click.echo(
        f"Wrote the site of {site.concepts} concepts to {output}: {len(result.written)} files written, "
        f"{len(result.unchanged)} unchanged, {len(result.removed)} stale removed "
        f"({pages} concept pages negotiable under {site.base})."
    )
    if rules is not None:
        click.echo(f"Redirect rules for {site.base} -> {site_url}: {output}/.htaccess.w3id")


@click.command("serve")
@paths_argument
@listen_options
@base_option
def serve_command(paths: tuple[str, ...], port: int, host: str) -> None:
    """Preview the site with content negotiation, as its persistent IRIs will answer.

    Builds the site in memory and serves it at the path of the scheme's IRI
    (/sst-vocab/).  A concept's path answers by Accept: text/html (the page),
    text/turtle, application/ld+json, application/n-triples,
    application/rdf+xml (its description); the scheme's path gives the whole
    vocabulary; anything else gets 406 and the list of types.  Serves only the
    generated files.  Also serves the reconciliation service for OpenRefine at
    /reconcile (see `sst-vocab reconcile`), whose "view" links open the pages
    of this site.  Stop with Ctrl-C.

    Example:

    \b
        sst-vocab serve --port 8000
        curl -H 'Accept: text/turtle' http://127.0.0.1:8000/sst-vocab/security
        curl 'http://127.0.0.1:8000/reconcile?query=Ministry%20of%20Defence'
    """
    from ..loader import load
    from ..reconcile import Service
    from ..reconcile.web import ReconcileApp
    from ..serve import make_server
    from ..site import build_site

    loaded = load(paths or None)
    site = build_site(loaded)
    pages = site.pages
    service = Service(loaded, view=lambda iri: site.mount + pages[iri] if iri in pages else None)
    server = make_server(
        site,
        host,
        port,
        log=lambda line: click.echo(line, err=True),
        routes={"/reconcile": ReconcileApp(service, documentation=None)},
    )
    _run_server(
        server,
        host,
        lambda base: (
            f"Serving {site.concepts} concepts at {base}{site.mount} (Ctrl-C to stop)\n"
            f"Reconciliation service (OpenRefine: Add standard service): {base}/reconcile"
        ),
    )


@click.command("reconcile")
@paths_argument
@listen_options
@site_url_option(
    'Where the site built by `sst-vocab docs` is published: "view" links open the concept\'s '
    "page there (default: the concept's IRI)."
)
@click.option("--lang", metavar="TAG", help="Language of the names returned (default: the vocabulary's).")
@click.option("--include-deprecated", is_flag=True, help="Also offer concepts marked owl:deprecated.")
def reconcile_command(
    paths: tuple[str, ...], port: int, host: str, site_url: str | None, lang: str | None, include_deprecated: bool
) -> None:
    """Match names to concepts: a reconciliation service for OpenRefine at /reconcile.

    Speaks the W3C Reconciliation Service API 0.2 (OpenRefine 3.x): the
    manifest, batched queries with type and property filters, entity, type
    and property suggest, previews, CORS.  Matching ignores case, accents and
    punctuation, in every language of the vocabulary, and knows plurals,
    British and American spellings and initials (MoD).  In OpenRefine:
    Reconcile > Start reconciling > Add standard service, and give the URL
    printed.  Behind a web server, run the WSGI application
    sst_vocab.reconcile.wsgi_app instead.  Stop with Ctrl-C.

    Example:

    \b
        sst-vocab reconcile --port 8001
        curl 'http://127.0.0.1:8001/reconcile?query=NGOs'
    """
    from ..reconcile import wsgi_app
    from ..reconcile.web import make_server

    app = wsgi_app(paths or None, site_url=site_url, lang=lang, include_deprecated=include_deprecated)
    server = make_server(app, host, port, log=lambda line: click.echo(line, err=True))
    count = len(app.service.entities)
    _run_server(
        server, host, lambda base: f"Reconciliation service for {count} concepts at {base}/reconcile (Ctrl-C to stop)"
    )


def _run_server(server, host: str, announce) -> None:
    """Say where ``server`` listens (``announce(base_url)``; a warning when not on loopback), serve until Ctrl-C."""
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"Warning: listening on {host}: other machines can reach this server.", err=True)
    click.echo(announce(f"http://{shown}:{bound_port}"))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()


@click.command("redirects")
@paths_argument
@site_url_option(
    "Where the site built by `sst-vocab docs` is published (https://example.org/sst-vocab/).", required=True
)
@output_option()
@base_option
def redirects_command(paths: tuple[str, ...], site_url: str, output: str | None) -> None:
    """Write the persistent-URI redirect rules (a w3id.org-style .htaccess).

    Each IRI under the scheme's IRI is sent with 303 See Other to the file of
    the site that matches the request's Accept header (HTML by default,
    Turtle, JSON-LD, N-Triples, RDF/XML); unknown types get 406.  Put the
    file in the w3id.org repository's folder for the vocabulary (see
    docs/site.md).

    Example:

    \b
        sst-vocab redirects --site-url https://example.github.io/sst-vocab/ -o .htaccess
    """
    from ..redirects import htaccess
    from ..site import plan

    rules = htaccess(plan(paths or None), site_url)
    if output:
        from ..files import write_atomic

        write_atomic(output, rules.encode("utf-8"))
    else:
        click.echo(rules, nl=False)
