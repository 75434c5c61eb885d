"""Where the shipped data lives: the only module that looks at ``__file__``.

In an installed wheel, ``vocab/``, ``shapes/`` and ``queries/`` sit in
``sst_vocab/_data/``.  In a checkout (editable install, ``PYTHONPATH=src``,
tests) the repository's own folders are used, so edits show at once.
"""

from __future__ import annotations

from pathlib import Path

from .errors import VocabError

__all__ = ["data_dir", "checkout_root"]

_HERE = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The repository root when running from a checkout, else None."""
    root = _HERE.parents[1]
    if (root / "pyproject.toml").is_file() and (root / "vocab").is_dir():
        return root
    return None


def data_dir(name: str) -> Path:
    """The folder ``name`` (``vocab``, ``shapes`` or ``queries``) shipped with sst-vocab."""
    root = checkout_root()
    if root is not None and (root / name).is_dir():
        return root / name
    packaged = _HERE / "_data" / name
    if packaged.is_dir():
        return packaged
    raise VocabError(f"cannot find the {name}/ folder shipped with sst-vocab")
