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
   apart, as the caller's ``isolation`` says: by default in a forked child process
   that is killed, so nothing keeps running in the caller's; with ``"thread"`` (the
   command line, whose process ends with the command) in a thread left behind.

The library never prints and never exits; errors are :class:`VocabError`
(:class:`ArgumentError` when an argument is at fault: its message names no option of
the command line, which adds how its users spell it).  Answers are data
(:class:`Result`); :mod:`sst_vocab.render_lookup` writes them out.

The package, one concern per module, each depending only on those above it:

- :mod:`.common`: :class:`Record`, :class:`ArgumentError`, :data:`DEFAULT_TIMEOUT`, :data:`FORMATS`;
- :mod:`.catalogue`: the named queries and their header format;
- :mod:`.scan`: the scanner (refusals, variables, prefixes, the WHERE group);
- :mod:`.binding`: bindings as RDF terms in a VALUES block;
- :mod:`.remote`: SPARQL 1.1 Protocol client and the endpoints' quirks;
- :mod:`.target`: where a query runs, preparing it for there, display of terms;
- :mod:`.limits`: :class:`Request` (where and how work runs), :func:`run` and the time limit;
- :mod:`.results`: :func:`execute`, the answer to a query as a :class:`Result`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import attributes

if TYPE_CHECKING:  # pragma: no cover
    from .binding import bind, parse_binds, to_term, values_block, with_values
    from .catalogue import (
        Column,
        NamedQuery,
        Param,
        find,
        from_text,
        library,
        parse_header,
    )
    from .clock import start_clock
    from .common import DEFAULT_TIMEOUT, FORMATS, QUERY_TEXT, ArgumentError, Record, vocab_prefixes
    from .limits import ISOLATIONS, Request, run, run_limited
    from .remote import (
        DEFAULT_GRAPH_PROBES,
        MAX_REMOTE_BYTES,
        check_endpoint,
        check_graph,
        empty_default_graph,
        endpoint_quirks,
        run_remote,
    )
    from .results import Result, answer, execute
    from .scan import Scan, check
    from .target import Target, display, prepare, query_form, select

#: Where each public name lives.  The package loads a module when one of its names is first used, so a
#: caller pays only for the concerns it needs (a lookup never loads the endpoint client or `execute`).
_WHERE = {
    "ArgumentError": "common",
    "Column": "catalogue",
    "DEFAULT_GRAPH_PROBES": "remote",
    "DEFAULT_TIMEOUT": "common",
    "FORMATS": "common",
    "ISOLATIONS": "limits",
    "MAX_REMOTE_BYTES": "remote",
    "NamedQuery": "catalogue",
    "Param": "catalogue",
    "QUERY_TEXT": "common",
    "Record": "common",
    "Request": "limits",
    "Result": "results",
    "Scan": "scan",
    "Target": "target",
    "answer": "results",
    "bind": "binding",
    "check": "scan",
    "check_endpoint": "remote",
    "check_graph": "remote",
    "display": "target",
    "empty_default_graph": "remote",
    "endpoint_quirks": "remote",
    "execute": "results",
    "find": "catalogue",
    "from_text": "catalogue",
    "library": "catalogue",
    "parse_binds": "binding",
    "parse_header": "catalogue",
    "prepare": "target",
    "query_form": "target",
    "run": "limits",
    "run_limited": "limits",
    "run_remote": "remote",
    "select": "target",
    "start_clock": "clock",
    "to_term": "binding",
    "values_block": "binding",
    "vocab_prefixes": "common",
    "with_values": "binding",
}


__getattr__ = attributes(__name__, _WHERE)


__all__ = [
    "DEFAULT_GRAPH_PROBES",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "ISOLATIONS",
    "MAX_REMOTE_BYTES",
    "QUERY_TEXT",
    "ArgumentError",
    "Column",
    "NamedQuery",
    "Param",
    "Record",
    "Request",
    "Result",
    "Scan",
    "Target",
    "answer",
    "bind",
    "check",
    "check_endpoint",
    "check_graph",
    "display",
    "empty_default_graph",
    "endpoint_quirks",
    "execute",
    "find",
    "from_text",
    "library",
    "parse_binds",
    "parse_header",
    "prepare",
    "query_form",
    "run",
    "run_limited",
    "run_remote",
    "select",
    "start_clock",
    "to_term",
    "values_block",
    "vocab_prefixes",
    "with_values",
]
