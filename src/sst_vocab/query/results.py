"""Running a query and returning its answer as data: :func:`execute` and :class:`Result`.

One path for the local vocabulary and for an endpoint: the query is found, refused
or scanned, bound, run on the :class:`~.target.Target` the :class:`~.limits.Request`
names, and its answer kept as a :class:`Result`.  Writing it out (table, CSV, TSV,
JSON, Markdown, Turtle) is :mod:`sst_vocab.render_lookup`'s work; exit codes are the
command line's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import VocabError
from .binding import parse_binds
from .catalogue import NamedQuery, find, from_text
from .common import DEFAULT_TIMEOUT, FORMATS, ArgumentError
from .limits import Request, run
from .remote import empty_default_graph
from .scan import Scan, check
from .target import Target, form_of, prepare, query_form

__all__ = ["FORMATS", "Result", "answer", "execute"]


class Result:
    """The answer to a query, as data.

    ``form``: SELECT, ASK, CONSTRUCT or DESCRIBE.  SELECT: ``columns`` and ``rows``
    (tuples of pyoxigraph terms, None where a variable is unbound), kept as SPARQL 1.1
    JSON results in ``json`` (exact, and cheap to carry out of a time-limited child);
    ASK: ``boolean``; CONSTRUCT and DESCRIBE: ``triples``.  ``prefixes``: those of the
    target and the query, to show IRIs as CURIEs.  ``empty_default_graph``: on an
    endpoint, when nothing was found in a default graph that is empty, the graphs
    that hold SKOS concepts there (possibly none); else None.
    """

    __slots__ = ("form", "columns", "json", "boolean", "triples", "prefixes", "empty_default_graph", "_rows")

    def __init__(
        self,
        form: str,
        *,
        columns: Sequence[str] = (),
        json: bytes = b"",
        boolean: bool | None = None,
        triples: Sequence[Any] = (),
        prefixes: dict[str, str] | None = None,
        empty_default_graph: tuple[str, ...] | None = None,
    ) -> None:
        self.form = form
        self.columns = list(columns)
        self.json = json
        self.boolean = boolean
        self.triples = list(triples)
        self.prefixes = dict(prefixes or {})
        self.empty_default_graph = empty_default_graph
        self._rows: list[tuple] | None = None

    def __getstate__(self) -> tuple:
        return tuple(getattr(self, n) if n != "_rows" else None for n in self.__slots__)

    def __setstate__(self, state: tuple) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)

    def __repr__(self) -> str:
        size = {"SELECT": f"{len(self.rows)} rows", "ASK": str(self.boolean)}.get(
            self.form, f"{len(self.triples)} triples"
        )
        return f"Result({self.form}, {size})"

    @property
    def answered(self) -> bool:
        """False when the answer is no: an ASK that is false, or nothing found (no rows, no triples)."""
        if self.form == "ASK":
            return bool(self.boolean)
        return bool(self.rows) if self.form == "SELECT" else bool(self.triples)

    def solutions(self):
        """The SELECT answer as a fresh ``pyoxigraph.QuerySolutions`` (for its serializers)."""
        import pyoxigraph as ox

        return ox.parse_query_results(self.json, format=ox.QueryResultsFormat.JSON)

    @property
    def rows(self) -> list[tuple]:
        if self._rows is None:
            self._rows = [tuple(s) for s in self.solutions()] if self.form == "SELECT" else []
        return self._rows


def execute(
    spec: str | None = None,
    sparql: str | None = None,
    binds: Iterable[str] = (),
    paths: Sequence[str] | None = None,
    endpoint: str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    *,
    graph: str | None = None,
    cache: bool = True,
    isolation: str = "process",
) -> Result:
    """Run a named query (``spec``: a NAME or a query file) or the query text ``sparql``: its :class:`Result`.

    ``binds``: ``VAR=VALUE`` texts (:func:`~.binding.parse_binds`).  Locally the query is
    stopped after ``timeout`` seconds (None or 0: no limit), kept apart as ``isolation``
    says (:func:`~.limits.run_limited`), and a large vocabulary is read from the
    persistent cache unless ``cache`` is False.  ``endpoint``: ask this SPARQL endpoint
    instead, ``graph``: the named graph to query there.
    """
    request = Request(paths, endpoint, graph=graph, timeout=timeout, cache=cache, isolation=isolation)
    if (spec is None) == (sparql is None):
        raise ArgumentError("give a query name or file, or the text of a query (one of them)", ("spec", "sparql"))
    query = from_text(sparql) if sparql is not None else find(spec or "")
    scan = check(query.text, query.where)  # refuse before loading anything
    pairs = parse_binds(binds)
    return run(request, lambda target: answer(target, query, scan, pairs))


def answer(target: Target, query: NamedQuery, scan: Scan, pairs: Sequence[tuple[str, str]]) -> Result:
    """Bind, run and keep the answer of ``query`` on ``target`` (the vocabulary or an endpoint)."""
    import pyoxigraph as ox

    text, _ = prepare(query, pairs, target, scan)
    prefixes = {**target.prefixes, **scan.prefixes}
    form = query_form(query, target, scan) if target.endpoint else None
    try:
        result = target.run(query, text, form)
        form = form or form_of(result, scan.form)
        if form == "ASK":
            kept = Result(form, boolean=bool(result), prefixes=prefixes)
        elif form == "SELECT":
            kept = Result(
                form,
                columns=[v.value for v in result.variables],
                json=result.serialize(format=ox.QueryResultsFormat.JSON),
                prefixes=prefixes,
            )
        else:
            kept = Result(form, triples=list(result), prefixes=prefixes)
    except SyntaxError as exc:  # an endpoint's answer is parsed lazily: a bad value shows up here
        raise VocabError(f"the endpoint's answer does not parse: {exc}") from exc
    except (OSError, RuntimeError, ValueError) as exc:  # evaluation errors, e.g. a bad regular expression
        raise VocabError(f"the query failed: {exc}", path=query.path) from exc
    if target.endpoint and target.graph is None and not kept.answered:
        kept.empty_default_graph = empty_default_graph(target.endpoint, target.timeout or DEFAULT_TIMEOUT)
    return kept
