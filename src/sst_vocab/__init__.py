"""sst-vocab: the 2006 roundtable's security system transformation definitions as SKOS, and tools for them.

Importing the package is cheap (the command line starts from here): heavy libraries
are imported inside the functions that need them.
"""

from __future__ import annotations

from .errors import VocabError

__all__ = ["VocabError", "__version__"]


def __getattr__(name: str):
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("sst-vocab")
        except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
            return "0.0.0"
    raise AttributeError(f"module 'sst_vocab' has no attribute {name!r}")
