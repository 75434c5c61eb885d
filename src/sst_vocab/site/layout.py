"""Where every page and file of the site is: the representations, the resources negotiated by Accept, paths.

:mod:`sst_vocab.serve` and :mod:`sst_vocab.redirects` read a :class:`Site` through this module
alone; it imports nothing heavy and nothing of the builder.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

#: The representations of every page, in the order the server prefers them (``*/*`` gets HTML).
VARIANTS: tuple[tuple[str, str], ...] = (
    ("text/html", ".html"),
    ("text/turtle", ".ttl"),
    ("application/ld+json", ".jsonld"),
    ("application/n-triples", ".nt"),
    ("application/rdf+xml", ".rdf"),
)
#: The scheme (the whole vocabulary) also comes as CSV.
SCHEME_VARIANTS = VARIANTS + (("text/csv", ".csv"),)
#: Extensions of data files (served with CORS).
DATA_EXTENSIONS = (".ttl", ".jsonld", ".nt", ".rdf", ".csv")
#: Content-Type of each file the site has, by extension.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".csv": "text/csv; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
#: Written into the output folder: the files the last build wrote (so a rebuild removes stale pages).
MANIFEST = ".sst-vocab-site"
#: File names a concept path may not end with (the page files would be ambiguous).
_RESERVED_STEMS = frozenset({"index", "context"})
_SEGMENT = re.compile(r"[^\x00-\x20\x7f/\\%?#\[\]<>\"{}|^`]{1,120}")
_EXTENSION_END = re.compile(r"\.(?:html?|ttl|jsonld|json|nt|rdf|csv|css|js|txt|xml)$", re.IGNORECASE)
_MOVABLE = re.compile(r"[^\x00-\x20\x7f?#%\\\[\]<>\"{}|^`]{1,300}")

# ---------------------------------------------------------------------------
# Result types
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """Something the site answers for by Accept: the scheme, a concept, another resource under the base."""

    iri: str
    #: The IRI's path below the base (``""`` for the scheme): what a request names.
    path: str
    #: The files' common name without extension (``index``, ``security``, ``agent/usip``).
    stem: str
    #: ``(media type, file)`` in the server's order of preference.
    variants: tuple[tuple[str, str], ...]
    kind: str  # "scheme", "concept" or "resource"


@dataclass
class Site:
    """A built site: every file as bytes, and the resources it negotiates."""

    files: dict[str, bytes]
    #: The namespace the page paths mirror (the scheme IRI with a trailing ``/``).
    base: str
    scheme: str | None
    #: By request path below the base (``""``: the scheme).
    resources: dict[str, Resource]
    #: IRI -> the HTML file describing it (with ``#fragment`` for hash IRIs).
    pages: dict[str, str] = field(default_factory=dict)
    concepts: int = 0

    @property
    def mount(self) -> str:
        """The URL path the base corresponds to (``/sst-vocab/``): where ``serve`` puts the site."""
        path = urlsplit(self.base).path
        if self.base.endswith("#"):
            path = urlsplit(self.base[:-1]).path
        if not path.endswith("/"):
            path += "/"
        return path if path.startswith("/") else "/" + path


@dataclass
class WriteResult:
    written: list[str]
    unchanged: list[str]
    removed: list[str]


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------


def _natural_path(iri: str, base: str) -> str | None:
    """The IRI's path below the base when it can be a file path as it is, else None."""
    if not iri.startswith(base):
        return None
    rest = iri[len(base):]
    if not rest:
        return None
    segments = rest.split("/")
    if base.endswith("#") and len(segments) != 1:
        return None
    for seg in segments:
        if seg in (".", "..") or not _SEGMENT.fullmatch(seg) or seg.startswith("."):
            return None
    if _EXTENSION_END.search(rest) or rest.lower() in _RESERVED_STEMS:
        return None
    return rest


def _fallback_stem(iri: str, taken: set[str]) -> str:
    n = 0
    while True:
        digest = hashlib.sha256(f"{iri}\n{n}".encode()).hexdigest()[:16]
        stem = f"id/{digest}"
        if stem.lower() not in taken:
            return stem
        n += 1


def _relative(from_file: str, to_file: str) -> str:
    """A relative URL from one site file to another (``../security.html``); both are site paths."""
    frag = ""
    if "#" in to_file:
        to_file, frag = to_file.split("#", 1)
        frag = "#" + frag
    from_dir = from_file.rsplit("/", 1)[0] if "/" in from_file else ""
    if not from_dir:
        return to_file + frag
    to_dir = to_file.rsplit("/", 1)[0] if "/" in to_file else ""
    if to_dir == from_dir:
        return to_file[len(from_dir) + 1:] + frag
    return posixpath.relpath(to_file, from_dir) + frag


def _attr_id(text: str) -> str:
    """An HTML id from a fragment or name (deterministic, safe)."""
    out = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return out or "x"

