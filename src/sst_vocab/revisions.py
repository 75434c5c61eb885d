"""A vocabulary in git: the repository a folder is in, its release tags, its Turtle files at a revision.

Used by :mod:`sst_vocab.diff` (``diff v0.1.0``, ``diff HEAD:vocab``) and :mod:`sst_vocab.release`
(a released version does not change).  Runs the ``git`` command; every failure to read is a
:class:`~sst_vocab.errors.VocabError`.
"""

from __future__ import annotations

import os
import subprocess

from .errors import VocabError

__all__ = ["git", "is_commit", "last_release_tag", "read_at", "repository_root"]


def git(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    """``git ARGS`` in ``cwd``, its output captured (bytes); VocabError when git is not installed."""
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise VocabError("git is not installed, so git revisions cannot be compared") from exc


def repository_root(cwd: str) -> str | None:
    """The top folder of the git repository ``cwd`` is in, or None."""
    top = git(["rev-parse", "--show-toplevel"], cwd)
    return top.stdout.decode().strip() if top.returncode == 0 else None


def is_commit(root: str, rev: str) -> bool:
    """Whether ``rev`` names a commit (a tag, a branch, a hash) of the repository at ``root``."""
    return git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root).returncode == 0


def last_release_tag(cwd: str | os.PathLike[str] | None = None) -> str | None:
    """The newest git tag named ``vX.Y.Z`` (by version, not date) of the repository, or None."""
    import re

    listing = git(["tag", "--list", "v*"], str(cwd or os.getcwd()))
    if listing.returncode != 0:
        return None
    tags = [t for t in listing.stdout.decode().split() if re.fullmatch(r"v\d+\.\d+\.\d+", t)]
    return max(tags, key=lambda t: tuple(int(x) for x in t[1:].split("."))) if tags else None


def read_at(
    root: str, rev: str, folder: str, *, base: str | None = None, spec: str, named: bool
) -> tuple[list[str], list, dict[str, str]]:
    """The Turtle files under ``folder`` at commit ``rev``, parsed: (their names as ``REV:path``,
    triples, prefixes).  ``spec``: what the user wrote (errors are reported at it); ``named``: the
    folder was written out (``REV:PATH``), so no hint to name one.

    ``base``: the base IRI for relative IRIs; by default the ``file://`` IRI the file has in the
    working tree, so that a file compares equal with its unchanged self."""
    from .reading import base_for, file_iri, parse

    listing = git(["ls-tree", "-r", "-z", "--name-only", rev, "--", folder], root)
    names = sorted(n for n in listing.stdout.decode("utf-8", "replace").split("\0") if n.endswith(".ttl"))
    if listing.returncode != 0 or not names:
        hint = "" if named else f" (name another path as {rev}:PATH)"
        raise VocabError(f"no Turtle (*.ttl) files under {folder}/ at revision {rev}{hint}", path=spec)
    triples: list = []
    prefixes: dict[str, str] = {}
    given = base_for(None, base)  # the base= argument (or the command's base), else the file's own place
    for n, name in enumerate(names):
        blob = git(["show", f"{rev}:{name}"], root)
        where = f"{rev}:{name}"
        if blob.returncode != 0:
            raise VocabError(f"cannot read from git: {blob.stderr.decode(errors='replace').strip()}", path=where)
        try:
            text = blob.stdout.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = blob.stdout.count(b"\n", 0, exc.start) + 1
            raise VocabError("not valid UTF-8; Turtle files must be saved as UTF-8", path=where, line=line) from exc
        parsed = parse(
            text.lstrip("\ufeff").encode("utf-8"),
            where,
            scope=f"f{n}_",
            base=given if given is not None else file_iri(os.path.join(root, name)),
        )
        triples.extend(parsed.triples)
        for k, v in parsed.prefixes.items():
            prefixes.setdefault(k, v)
    return [f"{rev}:{n}" for n in names], triples, prefixes
