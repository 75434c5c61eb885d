"""Incremental validation: after an edit, run again only the queries whose answer can have changed.

The fast engine (:mod:`sst_vocab.shacl`) asks the store one SPARQL query per compiled
constraint, and one per target.  A query reads only the triples its patterns match; when
every pattern names its predicate (no variable predicate, no negated property set), its
answer can change only when a triple with one of those predicates is added or removed.  So
the answers are kept (the engine's ``memo``), each query's predicates are read from its text
once, and after an edit the answers of the queries that read a changed predicate are
forgotten (queries whose predicates cannot be read are always asked again).  A query that
reads only its focus node's own triples (:func:`subject_local`) is asked again for the
subjects the edit touched alone, each bound to ``?this`` (pyoxigraph's substitutions), and
keeps its answers for the others; so does a query that reads a few steps from its focus node
(:mod:`.radius`), for the nodes within that many steps of the edit's triples.  The checks
written in Python keep their last answer when the edit cannot change it.  The queries asked
again and the checks run on a small thread pool, as in ``validate``; everything else
(constraints evaluated in Python, the assembly of the report through
:func:`sst_vocab.validate.finish`) runs every time.

The result is the report :func:`sst_vocab.validate.validate` gives on the same graph
(``tests/test_lsp_incremental.py`` checks it on a sequence of edits).  If the engine's
internals are not what this module expects, :class:`Incremental` says so
(:attr:`Incremental.available` is False) and the workspace runs ``validate`` in full.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable
    from concurrent.futures import Future, ThreadPoolExecutor

    import pyoxigraph as ox

    from ..loader import Vocabulary
    from ..turtle_lex import TurtleOutline
    from ..validate import Report

__all__ = ["Incremental", "query_predicates"]

T = TypeVar("T")

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_PREFIX_DECL = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_STRINGS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'',
    re.S,
)
_IRI = re.compile(r"<([^<>\s\"{}|^`\\]*)>")
_PNAME = re.compile(r"(?<![\w?$:<])([A-Za-z][\w.-]*)?:([A-Za-z_0-9][\w.-]*)?")
_VAR_PREDICATE = re.compile(r"(?:[?$]\w+|<I>|\]|\bP\b)\s+[?$]\w+\s+(?:[?$]\w+|<I>|\"|'|\[|\d|true\b|false\b|_:|P\b)")


def query_predicates(query: str) -> frozenset[str] | None:
    """The IRIs a SPARQL query names (a superset of the predicates it reads), or None if it may read any."""
    prefixes = {(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(query)}
    body = _PREFIX_DECL.sub(" ", query)
    body = _STRINGS.sub(' "" ', body)
    iris = set(_IRI.findall(body))
    masked = _IRI.sub(" <I> ", body)
    masked = re.sub(r"#[^\n]*", " ", masked)  # comments (after the IRIs, which may contain '#')
    if re.search(r"(?:[?$]\w+|<I>|\]|[\w-]*:[\w.-]*)\s+\^?\(?\s*!(?!=)", masked):  # a negated property set
        return None
    for m in _PNAME.finditer(masked):
        prefix, local = m.group(1) or "", m.group(2) or ""
        if prefix not in prefixes:
            if prefix.lower() in ("http", "https", "urn", "mailto"):
                continue
            return None  # a prefix we cannot expand
        iris.add(prefixes[prefix] + local)
    named = _PNAME.sub(" P ", masked)
    if re.search(r"(?<![\w?$])a(?![\w:])", named):
        iris.add(RDF_TYPE)
    shape_of = re.sub(r"(?is)\bSELECT\b.*?\bWHERE\b", " ", named)
    shape_of = re.sub(r"(?is)\b(?:GROUP|ORDER)\s+BY\b[^{}]*", " ", shape_of)
    shape_of = re.sub(r"(?is)\bVALUES\s*(?:[?$]\w+|\([^)]*\))\s*\{[^}]*\}", " ", shape_of)
    shape_of = re.sub(r"(?is)\bAS\s+[?$]\w+", " ", shape_of)
    if _VAR_PREDICATE.search(shape_of):
        return None
    return frozenset(iris)


_TARGET_CLASS = re.compile(
    r"\?this <http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>/"
    r"<http://www\.w3\.org/2000/01/rdf-schema#subClassOf>\* <[^<>\s]*> \."
)
_KEYWORDS = {
    "FILTER",
    "BIND",
    "OPTIONAL",
    "MINUS",
    "VALUES",
    "UNION",
    "NOT",
    "EXISTS",
    "SELECT",
    "DISTINCT",
    "WHERE",
    "GROUP",
    "HAVING",
    "ORDER",
    "LIMIT",
    "OFFSET",
}
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_MAX_FOCUSED = 32  # more subjects touched than this: the queries run in full
_CLUSTER_READS = {RDF_TYPE, "http://www.w3.org/2002/07/owl#deprecated"} | {
    "http://www.w3.org/2004/02/skos/core#" + link
    for link in ("broader", "narrower", "related", "broaderTransitive", "narrowerTransitive")
}
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
_MAX_NEAR = 96  # more nodes near the edit than this: a query that reads beyond its focus node runs in full


def subject_local(query: str) -> bool:
    """Whether every triple the query reads has the focus node ``?this`` as its subject.

    Then a focus node's results depend only on its own triples (and, for a class target,
    on ``rdfs:subClassOf``), so after an edit the query can run for the subjects the edit
    touched alone.  Read from the text, conservatively: every triple pattern (after ``{``
    or ``.``) must start with ``?this``; no inverse or sequence paths, no sub-select but the
    target's, no grouping but by ``?this``.
    """
    body = _PREFIX_DECL.sub(" ", query)
    body = _STRINGS.sub(' "" ', body)
    body = re.sub(r"\$this\b", "?this", body)  # $this and ?this are one variable (SPARQL 1.1, 4.1.3)
    body = _TARGET_CLASS.sub(" ?this <I> <I> . ", body)
    body = _IRI.sub(" <I> ", body)
    body = re.sub(r"#[^\n]*", " ", body)
    body = re.sub(
        r"\{\s*SELECT\s+DISTINCT\s+\?this\s+WHERE\s*\{\s*\{\s*\?this\s+<I>\s+\[\]\s*\.\s*\}\s*\}\s*\}",
        " { ?this <I> [] . } ",
        body,
    )  # the target: the subjects of a predicate
    head, sep, where = body.partition("WHERE")
    if not sep or not re.match(r"\s*SELECT\s+(?:DISTINCT\s+)?\?this\b", head):
        return False
    if re.search(r"\bSELECT\b", where) or "^" in where or re.search(r"[>\w]\s*/\s*[<\w]", where):
        return False
    if re.search(r"[>\w)]\s*[*+?]\s*[?$<\[]", where.replace("?this", " THIS ")):
        return False
    group = re.search(r"\bGROUP\s+BY\s+(\S+)", where)
    if group and group.group(1) != "?this":
        return False
    if re.search(r"\b(?:COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", head + where) and not group:
        return False
    depth = 0
    start = False
    for token in re.findall(r"<I>|\?\w+|\$\w+|[A-Za-z_][\w-]*:[\w.-]*|[A-Za-z_]\w*|\S", where):
        if token in "{.":
            start = depth == 0 or token == "{"
            if token == "{":
                depth = 0
            continue
        if token == "(":
            depth += 1
            start = False
            continue
        if token == ")":
            depth = max(0, depth - 1)
            continue
        if token == "}":
            start = True
            continue
        if start:
            start = False
            if token.upper() in _KEYWORDS:
                continue
            if token != "?this":
                return False
    return True


class Incremental:
    """Keeps the answer of every query the engine asks without pre-bound variables (the compiled
    constraints and the targets); after an edit, forgets or refreshes those it can change."""

    def __init__(self, shapes: list[str] | None) -> None:
        self.available = False
        self._executor: ThreadPoolExecutor | None = None
        self.memo: dict[str, list] = {}
        self.reads: dict[str, frozenset[str] | None] = {}  # query text -> the predicates it reads
        self.local: dict[str, bool] = {}  # query text -> reads only its focus node's own triples
        # query text -> how far from its focus node it reads (radius.py)
        self.radius: dict[str, tuple[int, frozenset[str]] | None] = {}
        # a check made in Python -> its last answer (its findings; for _labels, the label of each concept)
        self.checks: dict[str, Any] = {}
        self.prefixes: dict | None = None  # the prefixes of each file at the last run
        self.shapes = shapes
        try:
            from ..shacl import run  # noqa: F401  (checked here: used in run)
            from ..validate import _files_checks, _labels, _stats, _threaded_checks, finish, load_shapes  # noqa: F401

            self.compiled = load_shapes(shapes)
            self.available = True
        except (ImportError, AttributeError, TypeError, ValueError):
            self.available = False

    def _pool(self) -> ThreadPoolExecutor:
        """The threads the queries and the Python checks run on (as in :func:`sst_vocab.validate.validate`),
        kept for the life of the server: starting threads on every edit would cost more than it saves."""
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            from ..validate import _workers

            self._executor = ThreadPoolExecutor(max_workers=_workers(), thread_name_prefix="sst-vocab-lsp-rules")
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    def run(
        self, vocab: Vocabulary, changed: set[str] | None, subjects: set | None = None, objects: set | None = None
    ) -> Report:
        """The report on ``vocab``; ``changed``: the predicates of the triples added or removed since the last run
        (None: everything); ``subjects``, ``objects``: their subjects and objects (None: unknown)."""
        import pyoxigraph as ox

        from ..shacl import run
        from ..shacl.sparql_text import Rows
        from ..validate import _exact, _files_checks, _labels, _shipped, _stats, _threaded_checks, finish
        from .radius import radius, reach

        # the subjects an edit touched, when few and all named (a blank node cannot be bound from outside)
        focused = (
            changed is not None
            and subjects is not None
            and 0 < len(subjects) <= _MAX_FOCUSED
            and all(isinstance(t, ox.NamedNode) for t in subjects)
            and RDFS_SUBCLASS not in changed
        )
        this = ox.Variable("this")
        if changed is None:
            self.memo.clear()
        else:
            for text in list(self.memo):
                if text not in self.reads:
                    self.reads[text] = query_predicates(text)
                    self.local[text] = subject_local(text)
                    self.radius[text] = None if self.local[text] else radius(text)
                reads = self.reads[text]
                if not (reads is None or reads & changed):
                    continue
                near = None
                if focused and self.local[text]:
                    near = subjects
                elif (
                    focused
                    and subjects is not None
                    and objects is not None
                    and (reading := self.radius[text]) is not None
                ):
                    # a query that reads a few steps from its focus node: run again for the nodes that near the edit
                    steps, along = reading
                    near = reach(vocab.store, subjects | objects, steps, along, _MAX_NEAR)
                    if near is not None:
                        if any(isinstance(n, ox.BlankNode) for n in near):
                            near = None  # a blank node cannot be bound from outside
                        else:
                            near = {n for n in near if isinstance(n, ox.NamedNode)}
                if near is not None:
                    old = self.memo[text]  # Rows: the rule's rows, with the names of their variables
                    kept = Rows((row for row in old if row["this"] not in near), getattr(old, "names", ()))
                    for node in near:
                        kept.extend(cast("ox.QuerySolutions", vocab.store.query(text, substitutions={this: node})))
                    self.memo[text] = kept
                else:
                    del self.memo[text]
        pool = self._pool()
        builtin = _shipped(self.shapes)
        outlines = pool.submit(lambda: vocab.outlines)
        keep = self._unchanged_checks(vocab, changed, subjects, objects)
        side: list[Future[list]] = []
        for check in _threaded_checks() if builtin else ():
            if check.__name__ in keep:
                side.append(_done(self.checks[check.__name__]))
            else:
                side.append(pool.submit(self._remember, check, vocab))
        label_job = _done(self.checks["_labels"]) if "_labels" in keep else pool.submit(self._remember, _labels, vocab)
        stats_job = pool.submit(_stats, vocab)
        results = run(self.compiled, vocab.store, exact=_exact(vocab), executor=pool, memo=self.memo)
        checks = [result for job in side for result in job.result()]
        outlines.result()
        if builtin:
            checks += _files_checks(vocab)
        return finish(results, vocab, "fast", checks=checks, labels=label_job.result(), stats=stats_job.result())

    def _remember(self, check: Callable[[Vocabulary], T], vocab: Vocabulary) -> T:
        out = check(vocab)
        self.checks[check.__name__] = out
        return out

    def _unchanged_checks(self, vocab, changed: set[str] | None, subjects: set | None, objects: set | None) -> set[str]:
        """The checks made in Python whose answer the edit cannot have changed (their last answer stands).

        The cluster check (REL-06) reads the types, deprecation and hierarchical links; the labels
        the preferred labels; the literal checks (LIT-01, LNG-01) each literal on its own; the
        namespace check (NS-01) the namespaces in use: it stands when the namespaces of the edit's
        terms are none it would report (it is asked about those terms alone) and no prefix changed.
        """
        import pyoxigraph as ox

        if changed is None or subjects is None or objects is None:
            self.checks.clear()
            return set()
        keep = set()
        if not changed & _CLUSTER_READS:
            keep.add("_cluster_checks")
        if SKOS_PREF_LABEL not in changed:
            keep.add("_labels")
        if not any(isinstance(o, ox.Literal) for o in objects):
            keep.update(("_ill_typed_literals", "_language_tag_checks"))
        prefixes = {path: dict(o.prefixes) for path, o in vocab.outlines.items()}
        if prefixes == self.prefixes:
            from ..advice import namespace_checks

            nodes = [t for t in subjects | objects if isinstance(t, ox.NamedNode)] + [ox.NamedNode(p) for p in changed]
            if not namespace_checks(_probe(nodes, vocab.outlines)):
                keep.add("namespace_checks")
        self.prefixes = prefixes
        return {name for name in keep if name in self.checks}


def _done(value: T) -> Future[T]:
    """A finished job (a check whose last answer stands)."""
    from concurrent.futures import Future

    job: Future[T] = Future()
    job.set_result(value)
    return job


def _probe(nodes: list[ox.NamedNode], outlines: dict[str, TurtleOutline]) -> Vocabulary:
    """A vocabulary of a few terms (each in a triple of its own) with the files' outlines (their
    prefixes), to ask the namespace check about those terms alone."""
    import pyoxigraph as ox

    from .outlined import OutlinedVocabulary

    filler = ox.NamedNode("urn:x")
    store = ox.Store()
    store.extend([ox.Quad(node, filler, filler) for node in nodes])
    return OutlinedVocabulary(store, list(outlines), {}, outlines)
