"""Where the shipped data lives: the only module that looks at ``__file__``.

In an installed wheel, ``vocab/``, ``shapes/`` and ``queries/`` sit in
``sst_vocab/_data/``.  In a checkout (editable install, ``PYTHONPATH=src``,
tests) the repository's own folders are used, so edits show at once.

Paths are plain strings (``os.path``): this module is on the lookup path, where
importing ``pathlib`` alone costs about 5 ms of a ~90 ms command.
"""

from __future__ import annotations

import os

from .errors import VocabError

__all__ = ["checkout_root", "data_dir", "installed_data_root"]

_HERE = os.path.dirname(os.path.realpath(__file__))


def checkout_root() -> str | None:
    """The repository root when running from a checkout, else None."""
    root = os.path.dirname(os.path.dirname(_HERE))
    if os.path.isfile(os.path.join(root, "pyproject.toml")) and os.path.isdir(os.path.join(root, "vocab")):
        return root
    return None


def data_dir(name: str) -> str:
    """The folder ``name`` (``vocab``, ``shapes`` or ``queries``) shipped with sst-vocab."""
    root = checkout_root()
    if root is not None and os.path.isdir(os.path.join(root, name)):
        return os.path.join(root, name)
    packaged = os.path.join(_HERE, "_data", name)
    if os.path.isdir(packaged):
        return packaged
    raise VocabError(f"cannot find the {name}/ folder shipped with sst-vocab")


def installed_data_root() -> str | None:
    """The folder of the data installed with the package (``sst_vocab/_data``), when there is one.

    The editing commands never write below it: it belongs to the installation, not to a project.
    """
    packaged = os.path.join(_HERE, "_data")
    return os.path.realpath(packaged) if os.path.isdir(packaged) else None
