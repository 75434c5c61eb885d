"""Writing files safely: the one place sst-vocab replaces a file."""

from __future__ import annotations

import os
import stat
import tempfile

from .errors import VocabError

__all__ = ["write_atomic"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Readers see the old file or the new one, never a partial one.  A symbolic link is
    followed (its target is replaced, the link stays); anything at ``path`` that is not
    a regular file (a folder, a device such as /dev/null, a pipe) is refused untouched.
    ``sync=False`` skips the ``fsync`` before the rename: for many generated files (a
    site) that can be rebuilt, where the sync costs more than the write.  Raises
    VocabError when the file cannot be written (missing folder, permissions).
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    where = os.fspath(path)
    target = os.path.realpath(where) if os.path.islink(where) else where
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise VocabError(f"cannot write here: {exc.strerror or exc}", path=where) from exc
    if mode is not None and stat.S_ISDIR(mode):
        raise VocabError("is a folder; give a file name to write to", path=where)
    if mode is not None and not stat.S_ISREG(mode):
        raise VocabError("is not a regular file (a device or a pipe); give a file name to write to", path=where)
    keep = (mode & 0o777) if mode is not None else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=os.path.dirname(target) or "."
        )
    except FileNotFoundError as exc:
        raise VocabError("cannot write here: the folder does not exist", path=where) from exc
    except OSError as exc:
        raise VocabError(f"cannot write here: {exc.strerror or exc}", path=where) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, keep)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise VocabError(f"cannot write this file: {exc.strerror or exc}", path=where) from exc
        raise
