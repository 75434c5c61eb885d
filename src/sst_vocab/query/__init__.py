"""Named SPARQL queries (``queries/*.rq``) and running any query safely, locally or on an endpoint.

A named query is a ``.rq`` file whose leading comment is its documentation, read
by :func:`parse_header`::

    # One line saying what it answers.
    #
    # Free text.
    #
    # Parameters:
    #   ?concept   IRI, required   the concept. Example: sst:security
    #
    # Columns:
    #   ?label     its preferred label

Safety, in the order things happen:

1. :func:`check` refuses, before anything is parsed, run or sent, SPARQL Update,
   ``SERVICE``, ``FROM`` / ``FROM NAMED`` and ``LOAD``.  It scans the text itself
   (strings, IRIs and comments skipped) because pyoxigraph's parser accepts keywords
   glued to other tokens (``1SERVICE``, ``a:.SERVICE``, ``SERVICEex:x``) and really
   fetches ``SERVICE``.
2. Bindings become RDF terms (:func:`to_term`) and enter the query as a ``VALUES``
   block at the start of the WHERE group (:func:`with_values`), written from the
   terms' own N-Triples form and checked token by token: no value is ever pasted
   into the text.  The same block goes to a remote endpoint, so both answer alike.
   (pyoxigraph's ``substitutions=`` was measured and rejected: it only binds
   variables of the SELECT clause, ``BOUND()`` sees nothing, and the optimizer
   cannot use the value, which made ``search`` 5-80x slower.)
3. Local queries stop at a time limit (:func:`run_limited`), counted from when the
   vocabulary is loaded.  A pyoxigraph query cannot be cancelled, so the work runs
   apart: on the command line, whose process ends with the command, in a thread that
   is left behind at the limit; for library callers, in a forked child process that
   is killed, so nothing keeps running in theirs.

The library never prints and never exits; errors are :class:`VocabError`.

The package, one concern per module, each depending only on those above it:

- :mod:`.common`: :class:`Record`, :data:`DEFAULT_TIMEOUT`;
- :mod:`.catalogue`: the named queries and their header format;
- :mod:`.scan`: the scanner (refusals, variables, prefixes, the WHERE group);
- :mod:`.binding`: bindings as RDF terms in a VALUES block;
- :mod:`.remote`: SPARQL 1.1 Protocol client and the endpoints' quirks;
- :mod:`.target`: where a query runs, preparing it for there, display of terms;
- :mod:`.limits`: the time limit;
- :mod:`.results`: ``sst-vocab query``.
"""

from __future__ import annotations

from .binding import bind, parse_binds, to_term, values_block, with_values
from .catalogue import Column, NamedQuery, Param, find, from_text, library, parse_header
from .common import DEFAULT_TIMEOUT, Record
from .limits import run_limited, run_local, start_clock
from .remote import MAX_REMOTE_BYTES, check_endpoint, check_graph, endpoint_quirks, run_remote
from .results import DEFAULT_GRAPH_PROBES, FORMATS, empty_default_graph_note, execute
from .scan import Scan, check
from .target import Target, display, prepare, query_form, select, short_iri, vocab_prefixes

__all__ = [
    "DEFAULT_GRAPH_PROBES",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "MAX_REMOTE_BYTES",
    "Column",
    "NamedQuery",
    "Param",
    "Record",
    "Scan",
    "Target",
    "bind",
    "check",
    "check_endpoint",
    "check_graph",
    "display",
    "empty_default_graph_note",
    "endpoint_quirks",
    "execute",
    "find",
    "from_text",
    "library",
    "parse_binds",
    "parse_header",
    "prepare",
    "query_form",
    "run_limited",
    "run_local",
    "run_remote",
    "select",
    "short_iri",
    "start_clock",
    "to_term",
    "values_block",
    "vocab_prefixes",
    "with_values",
]
