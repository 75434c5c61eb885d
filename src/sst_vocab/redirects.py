"""Redirect rules for a persistent-URI service: a w3id.org-style ``.htaccess`` (Apache mod_rewrite).

The rules send every IRI under the vocabulary's base to the file of the published site
(built by ``sst-vocab docs``) that matches the request's ``Accept`` header, with
``303 See Other`` as the W3C note "Cool URIs for the Semantic Web" describes for slash
IRIs: the IRI names the concept, the redirect names a document about it.

- ``text/turtle``, ``application/ld+json`` (or ``application/json``), ``application/n-triples``,
  ``application/rdf+xml`` -> ``PATH.ttl``, ``.jsonld``, ``.nt``, ``.rdf`` (the scheme: ``index.*``,
  also ``text/csv``);
- anything else a browser sends (``text/html``, ``*/*``, no Accept) -> ``PATH.html``;
- an Accept header naming none of these and no wildcard -> ``406 Not Acceptable``;
- a request for a file of the site by name (``security.ttl``) -> that file (302).

mod_rewrite matches the header text, not its ``q`` values: a client that lists several
of the data types gets the first in the order above.  :mod:`sst_vocab.serve` does
the full negotiation and is the reference for what each IRI should answer.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .errors import VocabError
from .site.layout import Site

__all__ = ["ACCEPT_PATTERNS", "check_site_url", "htaccess"]

#: (media type, file extension, the Accept pattern that selects it), in the order the rules test them.
ACCEPT_PATTERNS: tuple[tuple[str, str, str], ...] = (
    ("text/turtle", ".ttl", r"text/turtle|application/x-turtle"),
    ("application/ld+json", ".jsonld", r"application/ld\+json|application/json"),
    ("application/n-triples", ".nt", r"application/n-triples"),
    ("application/rdf+xml", ".rdf", r"application/rdf\+xml"),
    ("text/csv", ".csv", r"text/csv"),
)
_ANY_KNOWN = (
    r"text/html|application/xhtml\+xml|text/turtle|application/x-turtle|application/ld\+json|application/json"
    r"|application/n-triples|application/rdf\+xml|text/csv|text/\*|application/\*|\*/\*"
)
_FILES = r"^(.+\.(?:html|ttl|jsonld|nt|rdf|csv|css|js))$"


def check_site_url(url: str) -> str:
    """The site's URL with a trailing ``/``; VocabError when it cannot go into a rewrite rule."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise VocabError(f"the site URL must be an absolute http(s) URL: {url!r}")
    if parts.query or parts.fragment or re.search(r"[\s\"'\\$%{}<>`^|]", url):
        raise VocabError(f"the site URL cannot be used in a redirect rule (no spaces, quotes, $, %, ? or #): {url!r}")
    return url if url.endswith("/") else url + "/"


def _literal(path: str) -> str:
    """A rewrite pattern matching exactly ``path``."""
    return "^" + re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", path) + "$"


def htaccess(site: Site, site_url: str) -> str:
    """The ``.htaccess`` for the folder of the site's base IRI, redirecting to ``site_url``.

    Example::

        rules = htaccess(build(), "https://example.org/sst-vocab/")
    """
    target = check_site_url(site_url)
    base = site.base
    lines = _header(site, target)
    # Resources whose files are not at their IRI's path (a name taken twice): explicit rules first.
    moved = sorted((r for r in site.resources.values() if r.path and r.stem != r.path), key=lambda r: r.path)
    has_csv = any(m == "text/csv" for r in site.resources.values() for m, _ in r.variants)
    negotiable = not base.endswith("#") and any(r.kind != "scheme" for r in site.resources.values())
    for media, ext, accept in ACCEPT_PATTERNS:
        if media == "text/csv" and not has_csv:
            continue
        scheme_only = media == "text/csv"
        lines.append(f"# {media}")
        if "" in site.resources:
            lines += [f"RewriteCond %{{HTTP_ACCEPT}} ({accept}) [NC]", f"RewriteRule ^$ {target}index{ext} [R=303,L]"]
        if not scheme_only:
            for r in moved:
                lines += [
                    f"RewriteCond %{{HTTP_ACCEPT}} ({accept}) [NC]",
                    f"RewriteRule {_literal(r.path)} {target}{r.stem}{ext} [R=303,L]",
                ]
            if negotiable:
                lines += [
                    f"RewriteCond %{{HTTP_ACCEPT}} ({accept}) [NC]",
                    f"RewriteRule ^(.*[^/])$ {target}$1{ext} [R=303,L]",
                ]
        lines.append("")
    lines.append("# Everything else (browsers, */*, no Accept): the page.")
    lines.append(f"RewriteRule ^$ {target} [R=303,L]")
    for r in moved:
        lines.append(f"RewriteRule {_literal(r.path)} {target}{r.stem}.html [R=303,L]")
    if negotiable:
        lines.append(f"RewriteRule ^(.*[^/])$ {target}$1.html [R=303,L]")
    return "\n".join(lines) + "\n"


def _header(site: Site, target: str) -> list[str]:
    """What the file is for, and the rules that come before any resource's: files by name, 406."""
    base = site.base
    return [
        "# Persistent-URI redirects for the SKOS vocabulary",
        f"#   {site.scheme or base}",
        f"# Generated by `sst-vocab redirects`. Put this file in the folder that serves {base}",
        "# (for w3id.org: the folder of that path in the w3id.org repository). It sends each IRI",
        f"# to the matching file of the site published at {target} with 303 See Other",
        "# (W3C, Cool URIs for the Semantic Web), chosen by the Accept header.",
        "",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "",
        "# A file of the site, by name: straight there.",
        f"RewriteRule {_FILES} {target}$1 [R=302,L]",
        "",
        "# An Accept header that names no type the site has, and no wildcard: 406 Not Acceptable.",
        "RewriteCond %{HTTP_ACCEPT} .",
        f"RewriteCond %{{HTTP_ACCEPT}} !({_ANY_KNOWN}) [NC]",
        "RewriteRule ^ - [R=406,L]",
        "",
    ]
