"""Validate a vocabulary against the SHACL shapes in ``shapes/``.

The result is data (a :class:`Report` of :class:`Finding` objects); nothing is printed.
Two engines run the same shapes: ``fast`` (each shape compiled to one SPARQL query on
pyoxigraph, see :mod:`sst_vocab.shacl`) and ``pyshacl`` (the reference implementation).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from .checks import (
    _files_checks,
    _python_result,
    _select,
    _threaded_checks,
    check_language_tag,
    language_registry,
    python_checks,
)
from .errors import VocabError
from .loader import Vocabulary, load, read_text, resolve_paths
from .namespaces import SKOS, SSTSH
from .resources import data_dir

if TYPE_CHECKING:  # pragma: no cover
    pass

__all__ = [
    "SEVERITIES",
    "Finding",
    "Report",
    "check_language_tag",
    "language_registry",
    "load_shapes",
    "severity",
    "validate",
]

SEVERITIES = ("Violation", "Warning", "Info")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}  # most severe first


@dataclass(frozen=True)
class Finding:
    """One problem found: severity, rule, the focus node and where it is defined, and what to do."""

    severity: str
    rule: str
    focus: str
    label: str | None
    file: str | None
    line: int | None
    message: str
    value: str | None = None
    path: str | None = None

    def as_dict(self) -> dict:
        # the fields are str, int or None: no need for dataclasses.asdict's deep copy
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Report:
    """The outcome of a validation run."""

    findings: list[Finding]
    files: list[str]
    concepts: int
    top_concepts: int
    schemes: int
    triples: int
    engine: str
    report_turtle: str | None = field(default=None, repr=False)
    #: What the user should know about the run itself (e.g. ``sh:`` terms SHACL does not define,
    #: ignored in shapes given with ``shapes=``); the CLI prints them on standard error.
    notes: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """True when there is no Violation (warnings and infos are allowed)."""
        return not any(f.severity == "Violation" for f in self.findings)

    def passes(self, fail_on: str = "Violation") -> bool:
        """True when no finding is as severe as ``fail_on`` or more ("warning": warnings fail too)."""
        return not self.shown(fail_on)

    def shown(self, at_least: str = "Info") -> list[Finding]:
        """The findings as severe as ``at_least`` (any case, or ``sh:Warning``) or more."""
        least = _RANK[severity(at_least)]
        return [f for f in self.findings if _RANK[f.severity] <= least]

    def counts(self) -> dict[str, int]:
        """Number of findings per severity, every severity present."""
        out = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            out[f.severity] += 1
        return out


def severity(name: str) -> str:
    """ "warning", "Warning" or "sh:Warning" -> "Warning"; anything else is a VocabError."""
    key = name.rsplit(":", 1)[-1].capitalize()
    if key not in SEVERITIES:
        raise VocabError(f"unknown severity {name!r} (use one of: {', '.join(s.lower() for s in SEVERITIES)})")
    return key


def _shapes_files(shapes: Iterable[str | os.PathLike[str]] | None) -> list[str]:
    return resolve_paths(list(shapes) if shapes else [data_dir("shapes")])


_COMPILED: dict[tuple, object] = {}


def load_shapes(shapes: Iterable[str | os.PathLike[str]] | None = None):
    """Load and compile the shapes (default: the shipped ``shapes/``) for the fast engine.

    Compiled shapes are kept for the life of the process, keyed by the files and their
    modification times, so a long-running caller (tests, the API) compiles them once.
    """
    files = _shapes_files(shapes)
    key = tuple((os.path.realpath(p), *_stamp(p)) for p in files)
    if key not in _COMPILED:
        _COMPILED[key] = _compile_shapes(files, strict=_shipped(shapes))
    return _COMPILED[key]


def _stamp(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size


def _compile_shapes(files: list[str], strict: bool = False):
    from .reading import parse
    from .shacl import ShapesGraph

    # Through the reading layer: each file's base, its terms exactly as written (the store would
    # canonicalise "1"^^xsd:boolean), and _:x in two files as two blank nodes.
    triples: list = []
    for n, path in enumerate(files):
        data, _ = read_text(path)
        triples.extend(parse(data, path, scope=f"f{n}_" if len(files) > 1 else None).triples)
    return ShapesGraph(
        triples, source=(os.path.dirname(files[0]) or ".") if len(files) > 1 else files[0], strict=strict
    )


def _shipped(shapes: Iterable[str | os.PathLike[str]] | None) -> bool:
    """Are these the shipped shapes (the default, or the shipped shapes/ folder named)?"""
    if not shapes:
        return True
    given = {os.path.realpath(p) for p in _shapes_files(shapes)}
    return given == {os.path.realpath(p) for p in _shapes_files(None)}


def _exact(vocab: Vocabulary) -> dict:
    from .shacl.literals import exact_as_written

    return exact_as_written(vocab)


def validate(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    *,
    shapes: Iterable[str | os.PathLike[str]] | None = None,
    engine: str = "fast",
    vocabulary: Vocabulary | None = None,
    with_report_graph: bool = False,
) -> Report:
    """Validate Turtle files or folders (default: the shipped vocabulary) against the shapes.

    With the shipped shapes, the three checks SHACL cannot express (LIT-01 ill-typed
    literals, FILE-01 a subject in two files, REL-06 disconnected clusters) run too; with
    other shapes (``shapes=``), only those shapes run.  Raises VocabError for input that
    cannot be read. Example::

        report = validate(["vocab/"])
        report.conforms, report.counts()
    """
    from concurrent.futures import ThreadPoolExecutor

    from .progress import update

    if engine not in ("fast", "pyshacl"):
        raise VocabError(f"unknown engine {engine!r} (use fast or pyshacl)")
    if vocabulary is None:
        update("reading the vocabulary")
    vocab = vocabulary if vocabulary is not None else load(paths)
    builtin = _shipped(shapes)
    compiled = None
    # The shape queries and the checks made here run on a few threads: pyoxigraph evaluates a
    # query without holding the GIL, so on a machine with two cores or more they overlap with
    # each other and with the Python work (the Turtle scan for line numbers, the findings).
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        outlines = pool.submit(lambda: vocab.outlines)  # FILE:LINE of every subject, computed once
        side = [pool.submit(check, vocab) for check in _threaded_checks()] if builtin else []
        label_job = pool.submit(_labels, vocab)
        stats_job = pool.submit(_stats, vocab)
        if engine == "fast":
            from .shacl import run

            compiled = load_shapes(shapes)
            results = run(compiled, vocab.store, exact=_exact(vocab), executor=pool)
        else:
            update("checking the shapes (pySHACL)")
            from .pyshacl_engine import run_pyshacl

            results = run_pyshacl(vocab, _shapes_files(shapes))
        update("checking files and clusters")
        checks = [result for job in side for result in job.result()]
        outlines.result()
        if builtin:
            checks += _files_checks(vocab)
        labels = label_job.result()
        stats = stats_job.result()
    report = finish(results, vocab, engine, checks=checks, labels=labels, stats=stats)
    if compiled is not None and compiled.unknown_terms:
        report.notes.append(
            f"{compiled.source}: ignored {', '.join(compiled.unknown_terms)}, which SHACL does not define (a typo?)"
        )
    if with_report_graph:
        report.report_turtle = _report_graph(results, compiled)
    return report


def finish(
    results: list,
    vocab: Vocabulary,
    engine: str = "fast",
    *,
    checks: list | None = None,
    labels: dict[str, str] | None = None,
    stats: _Stats | None = None,
) -> Report:
    """The report from an engine's results (:class:`sst_vocab.shacl.Result`) and the checks made
    in Python (``checks``, computed here unless given; added to ``results`` too, for the report
    graph): each becomes a located, labelled Finding in plain language, sorted.  Shared by
    :func:`validate` and the language server's incremental validation, so both give the same report.
    """
    from .advice import refine

    if checks is None:
        checks = python_checks(vocab)
    results += [_as_result(c) for c in checks]
    labels = _labels(vocab) if labels is None else labels
    import pyoxigraph as ox

    named_node, literal = ox.NamedNode, ox.Literal
    findings: list[tuple] = []  # a Finding's fields: tuples are made many times faster than Findings
    append = findings.append
    where: dict[str, tuple[str, int] | None] = {}  # focus IRI -> (file, line); many findings share a focus
    rules: dict[str, str] = {}
    texts: dict = {}  # a literal value -> its text (findings on label-heavy files share values)
    for r in results:
        rule = rules.get(r.shape)
        if rule is None:
            rule = rules[r.shape] = _rule_id(r.shape)
        focus = r.focus
        if type(focus) is named_node:
            iri = focus.value
            if iri in where:
                loc = where[iri]
            else:
                loc = where[iri] = vocab.location(iri)
            shown, label = iri, labels.get(iri)
        else:
            iri = focus.value if hasattr(focus, "value") else str(focus)
            shown, label, loc = _text(focus) or iri, None, None
        value = r.value
        if type(value) is literal:
            text = texts.get(value)
            if text is None:
                text = texts[value] = _text(value)
        else:
            text = _text(value)
        append(
            (
                _severity_name(r.severity),
                rule,
                shown,
                label,
                loc[0] if loc else None,
                loc[1] if loc else None,
                r.message,
                text,
                r.path,
            )
        )
    made = refine(findings, vocab, make=_finding)
    made.sort(key=lambda f: (_RANK[f.severity], f.file or "~", f.line or 0, f.rule, f.focus, f.value or ""))
    return Report(findings=made, files=list(vocab.files), engine=engine, **(stats or _stats(vocab)))


def _finding(severity, rule, focus, label, file, line, message, value, path) -> Finding:
    """``Finding(...)``, the same object, made without the nine ``object.__setattr__`` calls of a
    frozen dataclass's ``__init__`` (half the cost, on 100,000+ findings)."""
    made = _new(Finding)
    fields = made.__dict__
    fields["severity"] = severity
    fields["rule"] = rule
    fields["focus"] = focus
    fields["label"] = label
    fields["file"] = file
    fields["line"] = line
    fields["message"] = message
    fields["value"] = value
    fields["path"] = path
    return made


_new = object.__new__


def _as_result(check):
    """A check made in Python, ``(shape IRI, severity, focus, value, message, path)``, as a result."""
    if not isinstance(check, tuple):
        return check
    shape, severity, focus, value, message, _path = check
    return _python_result(shape[len(SSTSH) :] if shape.startswith(SSTSH) else shape, severity, focus, value, message)


def _severity_name(name: str) -> str:
    """A SHACL severity as a finding's severity: a custom severity (any IRI) counts as Info."""
    return name if name in _RANK else "Info"


def _report_graph(results: list, shapes=None) -> str:
    from .shacl import report_turtle

    return report_turtle(results, shapes)


def _rule_id(shape: str) -> str:
    return shape[len(SSTSH) :] if shape.startswith(SSTSH) else shape


def _is_blank(term) -> bool:
    return type(term).__name__ == "BlankNode"


def _text(term) -> str | None:
    if term is None:
        return None
    if _is_blank(term):
        return f"_:{term.value}"
    if type(term).__name__ == "Literal":
        lang = getattr(term, "language", None)
        return f'"{term.value}"@{lang}' if lang else f'"{term.value}"'
    return term.value if hasattr(term, "value") else str(term)


def _labels(vocab: Vocabulary) -> dict[str, str]:
    """One display label per subject: its best prefLabel for English, by the project's one label rule
    (:func:`sst_vocab.model.language_key`: en, then en-*, then untagged, then any other tag)."""
    from .model import text_key

    pref = f"<{SKOS}prefLabel>"
    # A label tagged exactly "en" (the store keeps tags lower-cased) ranks before any other by that
    # rule, so the labels of the subjects that have one are ranked among those alone; only the subjects
    # with none have all their labels ranked (on a label-heavy vocabulary, one label in 20 or more is
    # listed instead of every one).
    best: dict[str, tuple] = {}

    def rank(query: str) -> None:
        for s, lit in _select(vocab, query):
            key, order = s.value if hasattr(s, "value") else str(s), text_key(lit)
            if key not in best or order < best[key]:
                best[key] = order

    rank(f'SELECT ?s ?l WHERE {{ ?s {pref} ?l FILTER(LANG(?l) = "en") }}')
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s {pref} ?l FILTER(isLiteral(?l)) }}"
    if int(next(iter(_select(vocab, query)))["n"].value) != len(best):  # some subjects have no "en" label
        no_en = f'MINUS {{ ?s {pref} ?e FILTER(LANG(?e) = "en") }}'
        rank(f"SELECT ?s ?l WHERE {{ ?s {pref} ?l FILTER(isLiteral(?l)) {no_en} }}")
    return {k: v[-1] for k, v in best.items()}


class _Stats(TypedDict):
    concepts: int
    top_concepts: int
    schemes: int
    triples: int


def _stats(vocab: Vocabulary) -> _Stats:
    q = f"""SELECT
      (COUNT(DISTINCT ?c) AS ?concepts) WHERE {{ ?c a <{SKOS}Concept> }}"""
    concepts = int(next(iter(_select(vocab, q)))["concepts"].value)
    q = (
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {{ ?c <{SKOS}topConceptOf> ?s }} "
        f"UNION {{ ?s <{SKOS}hasTopConcept> ?c }} }}"
    )
    tops = int(next(iter(_select(vocab, q)))["n"].value)
    q = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{SKOS}ConceptScheme> }}"
    schemes = int(next(iter(_select(vocab, q)))["n"].value)
    return {"concepts": concepts, "top_concepts": tops, "schemes": schemes, "triples": len(vocab.store)}


def _workers() -> int:
    """Threads for one validation: the cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover  (not Linux)
        cores = os.cpu_count() or 1
    return max(2, min(4, cores))
