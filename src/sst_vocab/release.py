"""Versioned release files: the vocabulary in every export format, the context and ``SHA256SUMS``.

The version is the concept scheme's ``owl:versionInfo``; the scheme must also carry an
``owl:versionIRI`` naming that version and ``dcterms:modified``.  File names carry the
version (``sst-vocab-0.1.0.ttl``) so a consumer can pin one, and ``SHA256SUMS`` lets
them check it (``sha256sum -c SHA256SUMS``).  A released version is immutable: files of
the same version that already exist with other content are not overwritten without
``force``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import VocabError

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Vocabulary
    from .validate import Report

__all__ = ["NAME", "Release", "release", "release_files", "scheme_version"]

#: The base name of every release file.
NAME = "sst-vocab"
SUMS = "SHA256SUMS"

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_OWL = "http://www.w3.org/2002/07/owl#"
_DCTERMS = "http://purl.org/dc/terms/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]*")


@dataclass
class Release:
    """The outcome of :func:`release`."""

    version: str
    directory: Path
    report: "Report"
    #: False when the release was refused (violations and no ``force``): nothing was written.
    written: bool
    #: File name -> SHA-256 (hex) of every file of this release, SHA256SUMS excluded.
    sha256: dict[str, str] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        """The files of this release, ``SHA256SUMS`` last."""
        return [self.directory / n for n in sorted(self.sha256)] + [self.directory / SUMS]


def _where(vocab: "Vocabulary", iri: str) -> tuple[str | None, int | None]:
    loc = vocab.location(iri)
    if loc:
        return loc
    return (vocab.files[0] if len(vocab.files) == 1 else None), None


def scheme_version(vocab: "Vocabulary") -> str:
    """The ``owl:versionInfo`` of the vocabulary's concept scheme, checked for a release.

    Raises VocabError (at the scheme's file and line) when there is not exactly one
    concept scheme with one version, when the version is not usable in a file name,
    or when ``owl:versionIRI`` (naming the version) or ``dcterms:modified`` is missing.
    """
    import pyoxigraph as ox

    store = vocab.store
    dg = ox.DefaultGraph()
    schemes = sorted(
        q.subject.value
        for q in store.quads_for_pattern(None, ox.NamedNode(_RDF_TYPE), ox.NamedNode(_SKOS + "ConceptScheme"), dg)
        if isinstance(q.subject, ox.NamedNode)
    )
    if not schemes:
        raise VocabError("no skos:ConceptScheme: nothing to take the release version from",
                         path=vocab.files[0] if len(vocab.files) == 1 else None)

    def values(s: str, p: str) -> list:
        return [q.object for q in store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, dg)]

    versioned = [s for s in schemes if values(s, _OWL + "versionInfo")]
    if len(versioned) != 1:
        scheme = schemes[0] if not versioned else versioned[1]
        path, line = _where(vocab, scheme)
        what = "no concept scheme has" if not versioned else f"{len(versioned)} concept schemes have"
        raise VocabError(f"{what} an owl:versionInfo; a release needs exactly one", path=path, line=line)
    scheme = versioned[0]
    path, line = _where(vocab, scheme)
    infos = values(scheme, _OWL + "versionInfo")
    if len(infos) != 1 or not isinstance(infos[0], ox.Literal):
        raise VocabError(f"<{scheme}> needs exactly one owl:versionInfo text", path=path, line=line)
    version = infos[0].value
    if not _VERSION.fullmatch(version):
        raise VocabError(
            f"owl:versionInfo {version!r} cannot be part of a file name (use letters, digits, '.', '-', '+', '_')",
            path=path, line=line,
        )
    iris = [o.value for o in values(scheme, _OWL + "versionIRI") if isinstance(o, ox.NamedNode)]
    if not iris:
        raise VocabError(f"<{scheme}> has no owl:versionIRI for version {version}", path=path, line=line)
    if not any(version in iri for iri in iris):
        raise VocabError(
            f"owl:versionIRI <{iris[0]}> does not name owl:versionInfo {version!r}; update one of them",
            path=path, line=line,
        )
    if not values(scheme, _DCTERMS + "modified"):
        raise VocabError(f"<{scheme}> has no dcterms:modified date", path=path, line=line)
    return version


def release_files(vocab: "Vocabulary", version: str) -> dict[str, bytes]:
    """File name -> content for every file of a release (``SHA256SUMS`` excluded)."""
    from .export import EXTENSIONS, context_bytes, serialize

    from .progress import update

    base = f"{NAME}-{version}"
    out = {}
    for number, (fmt, ext) in enumerate(EXTENSIONS.items()):
        update("writing the release formats", number, len(EXTENSIONS))
        out[f"{base}{ext}"] = serialize(vocab, fmt)
    out[f"{base}.context.jsonld"] = context_bytes()
    return dict(sorted(out.items()))


def _read_sums(path: Path) -> dict[str, str]:
    sums: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            digest, sep, name = line.partition("  ")
            if sep and len(digest) == 64:
                sums[name.lstrip("*")] = digest
    return sums


def release(
    output: str | os.PathLike[str],
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    force: bool = False,
) -> Release:
    """Write the release files of the vocabulary (default: the shipped one) into ``output``.

    Validates first: with any violation nothing is written and ``Release.written`` is
    False, unless ``force``.  Each file is written atomically, ``SHA256SUMS`` last; its
    lines for other files already in the folder (other versions) are kept.  Raises
    VocabError for unreadable input, missing version metadata, or files of this version
    that already exist with other content (unless ``force``).

    Example::

        r = release("dist")
        [p.name for p in r.files]  # ['sst-vocab-0.1.0.context.jsonld', ..., 'SHA256SUMS']
    """
    from .files import write_atomic
    from .loader import load
    from .validate import validate

    from .progress import update

    update("reading the vocabulary")
    vocab = load(paths)
    version = scheme_version(vocab)
    report = validate(vocabulary=vocab)
    directory = Path(output)
    result = Release(version=version, directory=directory, report=report, written=False)
    if not report.conforms and not force:
        return result

    files = release_files(vocab, version)
    if directory.exists() and not directory.is_dir():
        raise VocabError("is not a folder", path=str(directory))
    if not force:
        for name, data in files.items():
            target = directory / name
            if target.is_file() and target.read_bytes() != data:
                raise VocabError(
                    f"version {version} was already released here with other content; a released version "
                    "does not change: raise owl:versionInfo (and owl:versionIRI), or use --force",
                    path=str(target),
                )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VocabError(f"cannot create the folder: {exc.strerror or exc}", path=str(directory)) from exc
    for name, data in files.items():
        write_atomic(directory / name, data)
        result.sha256[name] = hashlib.sha256(data).hexdigest()

    sums_path = directory / SUMS
    sums = {n: d for n, d in _read_sums(sums_path).items() if n not in files and (directory / n).is_file()}
    sums.update(result.sha256)
    write_atomic(sums_path, "".join(f"{d}  {n}\n" for n, d in sorted(sums.items())).encode("utf-8"))
    result.written = True
    return result
