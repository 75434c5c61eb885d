"""sst-vocab: the 2006 roundtable's security system transformation definitions as SKOS, and tools for them."""

from __future__ import annotations

from .errors import VocabError

__all__ = ["VocabError", "__version__"]

try:
    from importlib.metadata import version as _version

    __version__ = _version("sst-vocab")
except Exception:  # pragma: no cover - running from a source tree without metadata
    __version__ = "0.0.0"
