"""Where queries run (the loaded vocabulary or an endpoint), preparing a query for it, prefixes and display."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..errors import VocabError
from ..namespaces import PREFIXES, curie
from .binding import bind, with_values
from .catalogue import NamedQuery
from .common import DEFAULT_TIMEOUT, ArgumentError, vocab_prefixes
from .scan import Scan, check

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary


def display(term, prefixes: Mapping[str, str]) -> str:
    """A term as people read it: a CURIE or the IRI, a literal's text, ``_:id`` for a blank node."""
    if term is None:
        return ""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return curie(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


class Target:
    """Where queries run: a loaded vocabulary, or a SPARQL endpoint.

    ``timeout``: seconds a local run may take (None: no limit, in this process);
    for an endpoint, the limit of each request (None: :data:`DEFAULT_TIMEOUT`).
    """

    def __init__(
        self,
        vocab: Vocabulary | None = None,
        endpoint: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        graph: str | None = None,
    ) -> None:
        self.vocab = vocab
        self.endpoint = endpoint
        self.timeout = timeout if timeout else None
        #: For an endpoint: the named graph queried as the default graph (``default-graph-uri``).
        self.graph = graph
        self._prefixes: dict[str, str] | None = None

    @classmethod
    def open(
        cls,
        paths: Sequence[str] | None = None,
        endpoint: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        *,
        cache: bool = False,
        graph: str | None = None,
    ) -> Target:
        """Load the vocabulary (default: the shipped one), or check the endpoint URL.

        With ``cache``, a large vocabulary comes from the persistent cache when its
        files are unchanged (:mod:`sst_vocab.query.cache`).  ``graph`` (endpoints only): the
        named graph to query, sent as ``default-graph-uri``.
        """
        if endpoint:
            from .remote import check_endpoint, check_graph

            check_endpoint(endpoint)
            return cls(None, endpoint, timeout, None if graph is None else check_graph(graph))
        if graph is not None:
            raise ArgumentError(
                "a named graph can be queried on an endpoint only: a local vocabulary is one graph",
                ("graph", "endpoint"),
            )
        if cache:
            from .cache import load as load_cached

            return cls(load_cached(paths or None), None, timeout)
        from ..loader import load

        return cls(load(paths or None), None, timeout)

    @property
    def prefixes(self) -> dict[str, str]:
        """Prefixes for CURIEs: the project's, then the vocabulary's own."""
        if self._prefixes is None:
            merged = dict(PREFIXES)
            if self.vocab is not None:
                for k, v in vocab_prefixes(self.vocab).items():
                    merged.setdefault(k, v)
            self._prefixes = merged
        return self._prefixes

    def run(self, query: NamedQuery, text: str, form: str | None = None, accept: str | None = None):
        """Run the prepared ``text`` of ``query``: a pyoxigraph result (remote: parsed from the answer).

        ``form`` (from :func:`query_form`) is needed for an endpoint only.
        """
        if self.vocab is not None:
            try:
                answer = getattr(self.vocab, "cached_query", None)  # a cached vocabulary keeps its answers
                if answer is not None:
                    return answer(text, self.prefixes)
                return self.vocab.store.query(text, prefixes=self.prefixes)
            except SyntaxError:
                query_form(query, self)  # the user's text, for a line and column they can find
                raise VocabError(
                    "internal error: the query no longer parses with its bindings", path=query.path
                ) from None
        from .remote import accept_for, parse_answer, run_remote

        form = form or query_form(query, self)
        ctype, body = run_remote(
            self.endpoint or "",
            text,
            accept=accept or accept_for(form),
            timeout=self.timeout or DEFAULT_TIMEOUT,
            graph=self.graph,
        )
        return parse_answer(form, ctype, body)


def prepare(
    query: NamedQuery, pairs: Sequence[tuple[str, str]], target: Target, scan: Scan | None = None
) -> tuple[str, Scan]:
    """Refuse, then bind: (the text to run, the scan).  Nothing is parsed by pyoxigraph or run yet.

    For an endpoint, the prefixes the query uses but does not declare are added in front.
    """
    scan = scan or check(query.text, query.where)
    prefixes = {**target.prefixes, **scan.prefixes}
    bindings = bind(query, scan, pairs, prefixes)
    text = with_values(query.text, scan, bindings, query.where)
    if target.endpoint:
        missing = sorted(p for p in scan.used_prefixes if p not in scan.prefixes and p in target.prefixes)
        if missing:
            text = "".join(f"PREFIX {p}: <{target.prefixes[p]}>\n" for p in missing) + text
    return text, scan


def query_form(query: NamedQuery, target: Target, scan: Scan | None = None) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, by parsing the user's text on an empty store.

    Raises the parser's error with the line and column in the user's text.  Needed
    before sending to an endpoint; a local run learns the form from its result.
    """
    import pyoxigraph as ox

    try:
        result = ox.Store().query(query.text, prefixes=target.prefixes)  # nothing to evaluate
    except SyntaxError as exc:
        raise _syntax_error(exc, query) from exc
    return form_of(result, (scan or check(query.text, query.where)).form)


def form_of(result, guess: str | None = None) -> str:
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    if isinstance(result, ox.QuerySolutions):
        return "SELECT"
    return guess if guess in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT"


def _syntax_error(exc: SyntaxError, query: NamedQuery) -> VocabError:
    message = str(exc)
    m = re.match(r"error at (\d+):(\d+): (.*)", message, re.S)
    if m:
        return VocabError(f"column {m.group(2)}: {m.group(3)}", path=query.where, line=int(m.group(1)))
    return VocabError(message, path=query.where)


def select(target: Target, query: NamedQuery, **values: str) -> tuple[list[str], list[tuple]]:
    """Run a SELECT query with bindings given as text (as on the command line): (columns, rows of terms)."""
    import pyoxigraph as ox

    text, _ = prepare(query, [(k, v) for k, v in values.items() if v is not None], target)
    try:
        solutions = target.run(query, text)
        if not isinstance(solutions, ox.QuerySolutions):
            raise VocabError(f"query '{query.name}' is not a SELECT query", path=query.path)
        columns = [v.value for v in solutions.variables]
        rows = [tuple(s) for s in solutions]  # values in column order
    except (OSError, RuntimeError, ValueError) as exc:
        raise VocabError(f"the query failed: {exc}", path=query.path) from exc
    return columns, rows
