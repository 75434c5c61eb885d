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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import VocabError

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Vocabulary
    from .validate import Report

__all__ = ["NAME", "Bumped", "Release", "bump_version", "release", "release_files", "scheme_version"]

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
    report: Report
    #: False when the release was refused (violations and no ``force``): nothing was written.
    written: bool
    #: File name -> SHA-256 (hex) of every file of this release, SHA256SUMS excluded.
    sha256: dict[str, str] = field(default_factory=dict)

    @property
    def files(self) -> list[Path]:
        """The files of this release, ``SHA256SUMS`` last."""
        return [self.directory / n for n in sorted(self.sha256)] + [self.directory / SUMS]


def _where(vocab: Vocabulary, iri: str) -> tuple[str | None, int | None]:
    loc = vocab.location(iri)
    if loc:
        return loc
    return (vocab.files[0] if len(vocab.files) == 1 else None), None


def scheme_version(vocab: Vocabulary) -> str:
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
        raise VocabError(
            "no skos:ConceptScheme: nothing to take the release version from",
            path=vocab.files[0] if len(vocab.files) == 1 else None,
        )

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
            path=path,
            line=line,
        )
    iris = [o.value for o in values(scheme, _OWL + "versionIRI") if isinstance(o, ox.NamedNode)]
    if not iris:
        raise VocabError(f"<{scheme}> has no owl:versionIRI for version {version}", path=path, line=line)
    if not any(version in iri for iri in iris):
        raise VocabError(
            f"owl:versionIRI <{iris[0]}> does not name owl:versionInfo {version!r}; update one of them",
            path=path,
            line=line,
        )
    if not values(scheme, _DCTERMS + "modified"):
        raise VocabError(f"<{scheme}> has no dcterms:modified date", path=path, line=line)
    return version


def release_files(vocab: Vocabulary, version: str) -> dict[str, bytes]:
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
    from .progress import update
    from .validate import validate

    update("reading the vocabulary")
    vocab = load(paths)
    version = scheme_version(vocab)
    if not force:
        _refuse_changed_release(vocab, version)
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
                    "does not change: raise owl:versionInfo (and owl:versionIRI) first, or force the release",
                    path=str(target),
                    options=("bump", "force"),
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


def _refuse_changed_release(vocab: Vocabulary, version: str) -> None:
    """Refuse when git tag ``v<version>`` exists and the vocabulary's content differs from it."""
    from .diff import compare, load_side
    from .revisions import is_commit, repository_root

    folder = os.path.dirname(os.path.abspath(vocab.files[0])) if vocab.files else os.getcwd()
    root = repository_root(folder)
    tag = f"v{version}"
    if root is None or not is_commit(root, tag):
        return
    rel = sorted({os.path.relpath(os.path.dirname(os.path.abspath(f)), root) for f in vocab.files})
    try:
        old = load_side(f"{tag}:{rel[0]}" if len(rel) == 1 else tag, cwd=root)
    except VocabError:
        return  # the tag has no such folder: nothing to compare with
    from .fmt import parse_turtle

    triples: list = []
    for path in vocab.files:
        triples.extend(parse_turtle(vocab.texts[path], path)[0])
    from .diff import Side

    changes = compare(old, Side("working tree", list(vocab.files), triples, {}))
    if changes.differ:
        raise VocabError(
            f"version {version} was released as git tag {tag}, and the vocabulary has changed since "
            f"({len(changes.added)} added, {len(changes.deprecated)} deprecated, "
            f"{len(changes.changed)} changed); a released version does not change: give the changes a "
            "new version",
            path=vocab.files[0],
            options=("bump",),
        )


@dataclass
class Bumped:
    """What :func:`bump_version` wrote."""

    old: str
    new: str
    version_iri: str
    modified: str
    file: str
    #: The project file whose package version was raised with the scheme's (see :func:`_bump_package`).
    package_file: str | None = None


def _bump_package(scheme_file: str, old: str, new: str) -> str | None:
    """Raise ``version = "OLD"`` in the ``pyproject.toml`` of the project that ships ``scheme_file``.

    The sst-vocab wheel ships the vocabulary, so its package version is the vocabulary's version
    (a consumer who pins ``sst-vocab==0.2.0`` gets vocabulary 0.2.0).  The file is the one in the
    folder above the scheme's folder (``vocab/``), and only when it is this project's
    (``name = "sst-vocab"``) and states the old version; anyone else's project is left alone.
    """
    from .files import write_atomic

    root = os.path.dirname(os.path.dirname(os.path.abspath(scheme_file)))
    path = os.path.join(root, "pyproject.toml")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return None
    project = re.search(r"(?ms)^\[project\]\s*$(.*?)(?=^\[|\Z)", text)
    if not project or not re.search(r'(?m)^name\s*=\s*"sst-vocab"\s*$', project.group(1)):
        return None
    line = re.compile(r'(?m)^(version\s*=\s*")' + re.escape(old) + r'("\s*)$')
    body, count = line.subn(lambda m: m.group(1) + new + m.group(2), project.group(1), count=1)
    if not count:
        return None
    write_atomic(path, text[: project.start(1)] + body + text[project.end(1) :])
    return path


def bump_version(
    part: str, paths: Iterable[str | os.PathLike[str]] | None = None, *, date: str | None = None
) -> Bumped:
    """Raise the scheme's version: ``owl:versionInfo``, ``owl:versionIRI`` and ``dcterms:modified``.

    ``part`` is ``major``, ``minor`` or ``patch`` (semantic versioning: 0.1.0 -> 1.0.0,
    0.2.0, 0.1.1).  Written through the canonical formatter into the scheme's file; the
    package version in this project's ``pyproject.toml`` follows (:func:`_bump_package`).
    """
    import datetime as _dt

    import pyoxigraph as ox

    from .edit import apply_changes, editing_paths
    from .loader import load

    if part not in ("major", "minor", "patch"):
        raise VocabError(f"unknown part {part!r}; use major, minor or patch")
    files = editing_paths(paths)
    vocab = load(files)
    old = scheme_version(vocab)
    m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", old)
    if not m:
        raise VocabError(
            f"owl:versionInfo {old!r} is not MAJOR.MINOR.PATCH, so it cannot be bumped; write the new version by hand"
        )
    major, minor, patch = (int(x) for x in m.groups())
    new = {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[
        part
    ]
    dg = ox.DefaultGraph()
    scheme = next(
        q.subject
        for q in vocab.store.quads_for_pattern(None, ox.NamedNode(_OWL + "versionInfo"), None, dg)
        if isinstance(q.subject, ox.NamedNode)
    )
    remove = [
        q.triple
        for p in ("versionInfo", "versionIRI")
        for q in vocab.store.quads_for_pattern(scheme, ox.NamedNode(_OWL + p), None, dg)
    ]
    remove += [q.triple for q in vocab.store.quads_for_pattern(scheme, ox.NamedNode(_DCTERMS + "modified"), None, dg)]
    iris = [
        t.object.value
        for t in remove
        if t.predicate.value == _OWL + "versionIRI" and isinstance(t.object, ox.NamedNode)
    ]
    new_iri = iris[0].replace(old, new) if iris and old in iris[0] else iris[0].rstrip("/") + "/" + new
    day = date or _dt.date.today().isoformat()
    xsd_date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    add = [
        ox.Triple(scheme, ox.NamedNode(_OWL + "versionInfo"), ox.Literal(new)),
        ox.Triple(scheme, ox.NamedNode(_OWL + "versionIRI"), ox.NamedNode(new_iri)),
        ox.Triple(scheme, ox.NamedNode(_DCTERMS + "modified"), ox.Literal(day, datatype=xsd_date)),
    ]
    path = (vocab.location(scheme.value) or (files[0],))[0]
    apply_changes(vocab, remove=remove, add={path: add})
    return Bumped(
        old=old, new=new, version_iri=new_iri, modified=day, file=path, package_file=_bump_package(path, old, new)
    )
