"""Writing files safely: the one place sst-vocab replaces a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import VocabError

__all__ = ["write_atomic"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Readers see the old file or the new one, never a partial one.  Raises VocabError
    when the file cannot be written (missing folder, permissions, a folder in the way).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    target = Path(path)
    folder = target.parent
    where = str(target)
    if target.is_dir():
        raise VocabError("is a folder; give a file name to write to", path=where)
    try:
        mode = (target.stat().st_mode & 0o777) if target.exists() else (0o666 & ~_umask())
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError as exc:
        raise VocabError("cannot write here: the folder does not exist", path=where) from exc
    except OSError as exc:
        raise VocabError(f"cannot write here: {exc.strerror or exc}", path=where) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise VocabError(f"cannot write this file: {exc.strerror or exc}", path=where) from exc
        raise
