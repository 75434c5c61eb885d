"""Writing a built site into a folder: unchanged files untouched, stale files of the last build removed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..errors import VocabError
from ..files import write_atomic
from .layout import MANIFEST, Site, WriteResult


def _safe_relpath(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and all(p not in ("", ".", "..") for p in parts) and "\\" not in name


def write_site(
    site: Site, output: str | os.PathLike[str], *, progress: Callable[[str], None] | None = None
) -> WriteResult:
    """Write the site into ``output`` (created if missing).

    Files whose bytes are unchanged are not touched; the others are written through a
    temporary file and ``os.replace``.  Files that the previous build wrote (listed in
    ``.sst-vocab-site``) and this one does not are removed; nothing else in the folder is.
    """
    root = Path(output)
    if root.exists() and not root.is_dir():
        raise VocabError("is a file; give a folder to write the site into", path=str(root))
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VocabError(f"cannot create this folder: {exc.strerror or exc}", path=str(root)) from exc
    manifest = root / MANIFEST
    previous = _previous_files(manifest)
    written, unchanged = _write_files(site, root, progress)
    removed = _remove_stale([name for name in previous if name not in site.files], root)
    text = "".join(name + "\n" for name in site.files)
    try:
        if not manifest.is_file() or manifest.read_text("utf-8") != text:
            write_atomic(manifest, text, sync=False)
    except OSError as exc:
        raise VocabError(f"cannot write this file: {exc.strerror or exc}", path=str(manifest)) from exc
    return WriteResult(written=written, unchanged=unchanged, removed=removed)


def _previous_files(manifest: Path) -> list[str]:
    """The files the last build wrote (none when its list is missing or unreadable)."""
    if not manifest.is_file():
        return []
    try:
        return [line for line in manifest.read_text("utf-8").splitlines() if _safe_relpath(line)]
    except (OSError, UnicodeDecodeError):
        return []


def _write_files(site: Site, root: Path, progress: Callable[[str], None] | None) -> tuple[list[str], list[str]]:
    """Write the files whose bytes differ: (written, unchanged)."""
    from ..progress import update

    written: list[str] = []
    unchanged: list[str] = []
    for number, (name, data) in enumerate(site.files.items()):
        if not number % 100:
            update("writing files", number, len(site.files))
        target = root / name
        try:
            if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
                unchanged.append(name)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data, sync=False)
        except OSError as exc:
            raise VocabError(f"cannot write this file: {exc.strerror or exc}", path=str(target)) from exc
        written.append(name)
        if progress:
            progress(name)
    return written, unchanged


def _remove_stale(stale: list[str], root: Path) -> list[str]:
    """Remove these files of the last build (never a symlink) and the folders they leave empty."""
    removed: list[str] = []
    for name in stale:
        target = root / name
        try:
            if target.is_file() and not target.is_symlink():
                target.unlink()
                removed.append(name)
                parent = target.parent
                while parent != root and not any(parent.iterdir()):
                    parent.rmdir()
                    parent = parent.parent
        except OSError:
            pass
    return removed
