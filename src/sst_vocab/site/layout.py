"""Where every page and file of the site is: the representations, the resources negotiated by Accept, paths.

:mod:`sst_vocab.serve` and :mod:`sst_vocab.redirects` read a :class:`Site` through this module
alone; it imports nothing heavy and nothing of the builder.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable
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


def _natural_path(iri: str, base: str) -> str | None:
    """The IRI's path below the base when it can be a file path as it is, else None."""
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
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


def relative(from_file: str, to_file: str) -> str:
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
        return to_file[len(from_dir) + 1 :] + frag
    return posixpath.relpath(to_file, from_dir) + frag


def attr_id(text: str) -> str:
    """An HTML id from a fragment or name (deterministic, safe)."""
    out = re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")
    return out or "x"


@dataclass
class Layout:
    """Where each thing the site describes is: file stems, negotiable paths and pages (no file built)."""

    base: str
    scheme: str | None
    concepts: int
    #: IRI -> the common name of its files without extension (``index``, ``security``, ``id/3f...``).
    stem: dict[str, str]
    #: Other resources under the base: the document IRI (no fragment) -> the subjects its page shows.
    docs: dict[str, list[str]]
    #: By request path below the base (``""``: the scheme).
    resources: dict[str, Resource]
    #: IRI -> the HTML file describing it (with ``#fragment`` for hash IRIs).
    page: dict[str, str]

    def href(self, from_file: str, iri: str) -> tuple[str, bool]:
        """(URL, internal) for a link to ``iri`` from a page."""
        target = self.page.get(iri)
        if target is not None:
            return relative(from_file, target), True
        return iri, False

    def site(self, files: dict[str, bytes]) -> Site:
        return Site(
            files=files,
            base=self.base,
            scheme=self.scheme,
            resources=self.resources,
            pages=dict(sorted(self.page.items())),
            concepts=self.concepts,
        )


def lay_out(base: str, scheme: str | None, concepts: list[str], subjects: Iterable[str]) -> Layout:
    """Give every page a file stem; pages mirror IRI paths below the base.

    ``concepts``: the concepts' IRIs, sorted; ``subjects``: every IRI that is a subject in the files.
    """
    taken: set[str] = {"index", "context", "assets/site", "assets/search-index"}
    stem: dict[str, str] = {scheme: "index"} if scheme else {}
    negotiable: dict[str, str] = {}  # IRI -> request path
    _concept_stems(base, concepts, taken, stem, negotiable)
    docs = _resource_docs(base, scheme, set(concepts), subjects, taken, stem, negotiable)
    resources = _resources(base, scheme, set(concepts), stem, negotiable)
    # Where each IRI is described.
    page = {iri: s + ".html" for iri, s in stem.items()}
    for doc, subjects_of_doc in docs.items():
        for s in subjects_of_doc:
            if s != doc:
                page[s] = stem[doc] + ".html#" + attr_id(s.split("#", 1)[1])
    return Layout(base, scheme, len(concepts), stem, docs, resources, page)


def _concept_stems(
    base: str, concepts: list[str], taken: set[str], stem: dict[str, str], negotiable: dict[str, str]
) -> None:
    """A concept's files sit at its IRI's path below the base; when they cannot, at ``id/<digest>``."""
    fallback: list[str] = []
    for c in concepts:
        natural = _natural_path(c, base)
        if natural is None or natural.lower() in taken:
            fallback.append(c)
            continue
        taken.add(natural.lower())
        stem[c] = natural
        if not base.endswith("#"):
            negotiable[c] = natural
    for c in fallback:
        moved = _fallback_stem(c, taken)
        taken.add(moved.lower())
        stem[c] = moved
        # Its IRI is still answered at its own path when that path is usable (a name the site
        # needs for itself, ``index``): the server and the redirect rules point it at the moved files.
        rest = c[len(base) :] if c.startswith(base) and not base.endswith("#") else ""
        if (
            rest
            and _MOVABLE.fullmatch(rest)
            and not _EXTENSION_END.search(rest)
            and all(seg not in ("", ".", "..") for seg in rest.split("/"))
        ):
            negotiable[c] = rest


def _resource_docs(
    base: str,
    scheme: str | None,
    concept_set: set[str],
    subjects: Iterable[str],
    taken: set[str],
    stem: dict[str, str],
    negotiable: dict[str, str],
) -> dict[str, list[str]]:
    """Other resources under the base (agents, sources, collections, ontology terms): one page per
    document (the IRI without its fragment), listing the subjects it shows."""
    found: dict[str, list[str]] = {}
    if not base.endswith("#"):
        for s in sorted(subjects):
            if s in concept_set or s == scheme:
                continue
            doc = s.split("#", 1)[0]
            if doc in concept_set or doc == scheme or doc in stem:
                continue
            if _natural_path(doc, base) is None:
                continue
            found.setdefault(doc, []).append(s)
    docs: dict[str, list[str]] = {}
    for doc, subjects_of_doc in sorted(found.items()):
        natural = _natural_path(doc, base)
        assert natural is not None
        if natural.lower() in taken:
            continue
        # A folder of pages and a page of the same name can both exist (a.html, a/b.html).
        taken.add(natural.lower())
        stem[doc] = natural
        negotiable[doc] = natural
        docs[doc] = subjects_of_doc
    return docs


def _resources(
    base: str, scheme: str | None, concept_set: set[str], stem: dict[str, str], negotiable: dict[str, str]
) -> dict[str, Resource]:
    """What the server negotiates and the redirect rules redirect: path below the base -> resource."""
    resources: dict[str, Resource] = {}
    # The index answers for the scheme IRI (or for the base, when the files declare no scheme).
    resources[""] = Resource(scheme or base, "", "index", _variants("index", SCHEME_VARIANTS), "scheme")
    for iri, path in negotiable.items():
        kind = "concept" if iri in concept_set else "resource"
        resources[path] = Resource(iri, path, stem[iri], _variants(stem[iri], VARIANTS), kind)
    return dict(sorted(resources.items()))


def _variants(stem: str, variants: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    return tuple((media, stem + ext) for media, ext in variants)
