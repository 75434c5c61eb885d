"""sst-vocab: the 2006 roundtable's security system transformation definitions as SKOS, and tools for them.

Importing the package is cheap (the command line starts from here): heavy libraries
are imported inside the functions that need them, and the Python API
(:mod:`sst_vocab.api`) is imported on first use::

    import sst_vocab

    sst_vocab.graph()          # rdflib.Graph of the shipped vocabulary
    sst_vocab.jsonld()         # the compact JSON-LD document (dict)
    sst_vocab.concept("SSR")   # a Concept, looked up by IRI, CURIE, label or notation
"""

import typing as _typing

from .errors import VocabError

if _typing.TYPE_CHECKING:  # pragma: no cover
    from .api import Concept, concept, concepts, context, graph, jsonld

__all__ = [
    "Concept",
    "VocabError",
    "__version__",
    "concept",
    "concepts",
    "context",
    "graph",
    "jsonld",
]

#: Names served lazily from sst_vocab.api.
_API = frozenset({"Concept", "concept", "concepts", "context", "graph", "jsonld"})


def __getattr__(name: str):
    if name in _API:
        from . import api

        return getattr(api, name)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("sst-vocab")
        except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
            return "0.0.0"
    raise AttributeError(f"module 'sst_vocab' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
