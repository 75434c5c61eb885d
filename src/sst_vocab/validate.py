"""Validate a vocabulary against the SHACL shapes in ``shapes/``.

The result is data (a :class:`Report` of :class:`Finding` objects); nothing is printed.
Two engines run the same shapes: ``fast`` (each shape compiled to one SPARQL query on
pyoxigraph, see :mod:`sst_vocab.shacl`) and ``pyshacl`` (the reference implementation).
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from typing import Iterable

from .errors import VocabError
from .loader import Vocabulary, load, read_text, parse_error, resolve_paths
from .namespaces import OWL, RDF_TYPE, SH, SKOS, SSTSH, XSD
from .resources import data_dir

__all__ = ["Finding", "Report", "SEVERITIES", "load_shapes", "severity", "validate"]

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
        return asdict(self)


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
        out = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            out[f.severity] += 1
        return out


def severity(name: str) -> str:
    """"warning", "Warning" or "sh:Warning" -> "Warning"; anything else is a VocabError."""
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
    import pyoxigraph as ox

    from .shacl import ShapesGraph

    triples: list = []
    for n, path in enumerate(files):
        data, _ = read_text(path)
        try:
            parsed = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise parse_error(exc, path) from exc
        if len(files) > 1:  # _:x in two files are two blank nodes
            def scoped(term, scope=f"f{n}_"):
                return ox.BlankNode(scope + term.value) if isinstance(term, ox.BlankNode) else term

            BlankNode = ox.BlankNode
            parsed = [ox.Triple(scoped(t.subject), t.predicate, scoped(t.object))
                      if isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode) else t for t in parsed]
        triples.extend(parsed)
    return ShapesGraph(triples, source=(os.path.dirname(files[0]) or ".") if len(files) > 1 else files[0],
                       strict=strict)


def _shipped(shapes: Iterable[str | os.PathLike[str]] | None) -> bool:
    """Are these the shipped shapes (the default, or the shipped shapes/ folder named)?"""
    if not shapes:
        return True
    given = {os.path.realpath(p) for p in _shapes_files(shapes)}
    return given == {os.path.realpath(p) for p in _shapes_files(None)}


# Typed literals the store rewrites ("12"^^xsd:int is kept as "12"^^xsd:integer, "1"^^xsd:boolean as
# "true"): when a file has one, the literals as written are read again for sh:datatype and the report.
_REWRITTEN = re.compile(
    rb"\^\^\s*(?:xsd:|<http://www\.w3\.org/2001/XMLSchema#)(?:int|long|short|byte|nonNegativeInteger|positiveInteger"
    rb"|negativeInteger|nonPositiveInteger|unsigned[A-Za-z]+|integer|decimal|boolean|float|double)\b")


def _exact(vocab: Vocabulary) -> dict:
    from .shacl import exact_literals

    if not any(_REWRITTEN.search(text.encode("utf-8")) for text in vocab.texts.values()):
        return {}
    return exact_literals(vocab.source.quads)


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
    vocab = vocabulary if vocabulary is not None else load(paths)
    compiled = None
    if engine == "fast":
        from .shacl import run

        compiled = load_shapes(shapes)
        results = run(compiled, vocab.store, exact=_exact(vocab))
    elif engine == "pyshacl":
        results = _run_pyshacl(vocab, _shapes_files(shapes))
    else:
        raise VocabError(f"unknown engine {engine!r} (use fast or pyshacl)")
    if _shipped(shapes):
        results += _file_level_checks(vocab) + _cluster_checks(vocab)
    labels = _labels(vocab)
    findings = []
    for r in results:
        focus = r.focus
        iri = focus.value if hasattr(focus, "value") else str(focus)
        named = type(focus).__name__ == "NamedNode"
        loc = vocab.location(iri) if named else None
        findings.append(
            Finding(
                severity=_severity_name(r.severity),
                rule=_rule_id(r.shape),
                focus=iri if named else _text(focus),
                label=labels.get(iri) if named else None,
                file=loc[0] if loc else None,
                line=loc[1] if loc else None,
                message=r.message,
                value=_text(r.value),
                path=r.path,
            )
        )
    findings.sort(key=lambda f: (_RANK[f.severity], f.file or "~", f.line or 0, f.rule, f.focus, f.value or ""))
    stats = _stats(vocab)
    report = Report(findings=findings, files=list(vocab.files), engine=engine, **stats)
    if compiled is not None and compiled.unknown_terms:
        report.notes.append(f"{compiled.source}: ignored {', '.join(compiled.unknown_terms)}, which SHACL "
                            "does not define (a typo?)")
    if with_report_graph:
        report.report_turtle = _report_graph(results, compiled)
    return report


def _severity_name(name: str) -> str:
    """A SHACL severity as a finding's severity: a custom severity (any IRI) counts as Info."""
    return name if name in _RANK else "Info"


def _report_graph(results: list, shapes=None) -> str:
    from .shacl import report_turtle

    return report_turtle(results, shapes)


def _rule_id(shape: str) -> str:
    return shape[len(SSTSH):] if shape.startswith(SSTSH) else shape


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
    """One display label per subject: English prefLabel, else untagged, else any."""
    best: dict[str, tuple[int, str]] = {}
    for row in vocab.store.query(f"SELECT ?s ?l WHERE {{ ?s <{SKOS}prefLabel> ?l }}"):
        s, lit = row["s"], row["l"]
        if not hasattr(lit, "language"):
            continue
        lang = (lit.language or "").lower()
        rank = 0 if lang == "en" else 1 if lang.startswith("en") else 2 if lang == "" else 3
        key = s.value if hasattr(s, "value") else str(s)
        if key not in best or (rank, lit.value) < best[key]:
            best[key] = (rank, lit.value)
    return {k: v[1] for k, v in best.items()}


def _stats(vocab: Vocabulary) -> dict[str, int]:
    q = f"""SELECT
      (COUNT(DISTINCT ?c) AS ?concepts) WHERE {{ ?c a <{SKOS}Concept> }}"""
    concepts = int(next(iter(vocab.store.query(q)))["concepts"].value)
    q = f"""SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {{ ?c <{SKOS}topConceptOf> ?s }} UNION {{ ?s <{SKOS}hasTopConcept> ?c }} }}"""
    tops = int(next(iter(vocab.store.query(q)))["n"].value)
    q = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{SKOS}ConceptScheme> }}"
    schemes = int(next(iter(vocab.store.query(q)))["n"].value)
    return {"concepts": concepts, "top_concepts": tops, "schemes": schemes, "triples": len(vocab.store)}


# Checks below the level of SKOS: things SHACL over a merged graph cannot see.
_ILL_TYPED_MESSAGE = (
    "The literal {value} is not a valid {datatype}: its text does not match the datatype. "
    "Fix the value or its ^^datatype."
)


def _python_result(rule: str, severity: str, focus, value, message: str):
    """A result of one of the checks made in Python (no SHACL component: sh:SPARQLConstraintComponent)."""
    import pyoxigraph as ox

    from .shacl import Result

    return Result(shape=SSTSH + rule, severity=severity, focus=focus, message=message, value=value,
                  component="SPARQLConstraintComponent", shape_node=ox.NamedNode(SSTSH + rule),
                  severity_iri=SH + severity)


def _file_level_checks(vocab: Vocabulary) -> list:
    import pyoxigraph as ox

    out: list[tuple] = []
    checked = ["date", "dateTime", "integer", "decimal", "boolean", "double", "float", "gYear", "time",
               "nonNegativeInteger", "positiveInteger", "int", "long"]
    values = " ".join(f"<{XSD}{d}>" for d in checked)
    query = f"""SELECT DISTINCT ?s ?o ?dt WHERE {{
        VALUES ?dt {{ {values} }}
        ?s ?p ?o . FILTER(isLiteral(?o) && DATATYPE(?o) = ?dt)
        FILTER(!COALESCE(isLiteral(
          IF(?dt = <{XSD}date>, <{XSD}date>(?o), IF(?dt = <{XSD}dateTime>, <{XSD}dateTime>(?o),
          IF(?dt = <{XSD}boolean>, <{XSD}boolean>(?o), IF(?dt IN (<{XSD}double>, <{XSD}float>), <{XSD}double>(?o),
          IF(?dt = <{XSD}gYear>, <{XSD}gYear>(?o), IF(?dt = <{XSD}time>, <{XSD}time>(?o),
          IF(?dt = <{XSD}decimal>, <{XSD}decimal>(?o), <{XSD}integer>(?o))))))))), false))
    }}"""
    for row in vocab.store.query(query):
        dt = row["dt"].value.replace(XSD, "xsd:")
        out.append(_python_result("LIT-01-ill-typed-literal", "Violation", row["s"], row["o"],
                                  _ILL_TYPED_MESSAGE.format(value=f'"{row["o"].value}"', datatype=dt)))
    if len(vocab.files) > 1:
        for path, outline in vocab.outlines.items():
            for iri in outline.subjects:
                locs = vocab.locations(iri)
                if len(locs) > 1 and locs[0][0] == path:
                    others = ", ".join(f"{p}:{line}" for p, line in locs[1:])
                    out.append(_python_result("FILE-01-subject-in-two-files", "Warning", ox.NamedNode(iri), None,
                                f"This resource is described in more than one file (also {others}); "
                                "keep each resource in one file so edits do not conflict."))
    return out


_LINKS = ("broader", "narrower", "related", "broaderTransitive", "narrowerTransitive")
_CLUSTER_MESSAGE = (
    "This concept heads a group of {size} concepts that no broader, narrower or related link joins to "
    "the rest of the vocabulary (whose largest group has {largest}). If they belong together, link them; "
    "if not, they may be a vocabulary of their own."
)


def _cluster_checks(vocab: Vocabulary) -> list:
    """REL-06 (qSKOS "disconnected concept clusters"): groups of concepts cut off from the rest.

    Connected components of the concepts under broader, narrower and related (either
    direction), found with a union-find: linear, where SPARQL would need a closure per
    concept.  Single concepts are orphans (REL-05), so only groups of two or more count,
    and nothing is reported unless there are at least two such groups; then every group
    but the largest is reported once, at its head (a member with no broader inside it).
    """
    import pyoxigraph as ox

    typed = vocab.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS + "Concept"), ox.DefaultGraph())
    deprecated = {q.subject.value for q in vocab.store.quads_for_pattern(  # as the shapes read it: "true" or "1"
        None, ox.NamedNode(OWL + "deprecated"), None, ox.DefaultGraph()) if q.object.value in ("true", "1")}
    concepts = list(dict.fromkeys(q.subject.value for q in typed
                                  if isinstance(q.subject, ox.NamedNode) and q.subject.value not in deprecated))
    parent = {c: c for c in concepts}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    has_broader: set[str] = set()
    for link in _LINKS:
        for quad in vocab.store.quads_for_pattern(None, ox.NamedNode(SKOS + link), None, ox.DefaultGraph()):
            a, b = quad.subject.value, quad.object.value
            if a not in parent or b not in parent or a == b:  # links to non-concepts are other rules' business
                continue
            if link.startswith("broader"):
                has_broader.add(a)
            elif link.startswith("narrower"):
                has_broader.add(b)
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for c in concepts:
        groups.setdefault(root(c), []).append(c)
    clusters = sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), min(g)))
    out: list[tuple] = []
    for group in clusters[1:]:
        heads = [c for c in group if c not in has_broader] or group
        out.append(_python_result("REL-06-disconnected-cluster", "Info", ox.NamedNode(min(heads)), None,
                                  _CLUSTER_MESSAGE.format(size=len(group), largest=len(clusters[0]))))
    return out


def _run_pyshacl(vocab: Vocabulary, shapes_files: list[str]) -> list:
    """Run pyshacl (the reference engine) and convert its report to the fast engine's results.

    pyshacl runs on the vocabulary's pyoxigraph store (its SPARQL is then pyoxigraph's: fast),
    with the shapes' plain strings typed xsd:string as the store's are (else "a" in sh:in or
    sh:hasValue never equals the data's "a").  When the data has literals the store rewrites
    (``"12"^^xsd:int`` kept as xsd:integer), pyshacl gets them as written, in an rdflib graph
    (slower).  Only the report's top-level results are read (not the sh:detail of sh:node).
    """
    import rdflib
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ReportableRuntimeError

    from .rdflib_bridge import quiet_rdflib
    from .shacl import Result

    quiet_rdflib()
    normalize = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False  # keep "01"^^xsd:integer and "none"^^xsd:boolean as written
    try:
        shapes = rdflib.Graph()
        for path in shapes_files:
            shapes.parse(data=read_text(path)[1], format="turtle")
        def as_written():
            graph = rdflib.Graph()
            for quad in vocab.source.quads:
                graph.add((_to_rdflib(quad.subject), _to_rdflib(quad.predicate), _to_rdflib(quad.object)))
            return graph

        def typed_strings(graph):
            typed = rdflib.Graph()
            for s_, p_, o in graph:
                if isinstance(o, rdflib.Literal) and o.datatype is None and not o.language:
                    o = rdflib.Literal(str(o), datatype=rdflib.XSD.string)
                typed.add((s_, p_, o))
            return typed

        # No allow_warnings: in pySHACL it also makes a nested shape with only Warning results conform
        # (sh:or over warning-level property shapes), which SHACL does not do.
        options = {"inference": "none", "do_owl_imports": False}
        try:
            if _exact(vocab):
                _, report, _ = shacl_validate(as_written(), shacl_graph=shapes, **options)
            else:
                try:
                    _, report, _ = shacl_validate(vocab.store, shacl_graph=typed_strings(shapes), **options)
                except TypeError:  # pySHACL's pyoxigraph backend fails on a literal focus node
                    _, report, _ = shacl_validate(as_written(), shacl_graph=shapes, **options)
        except ReportableRuntimeError as exc:
            where = shapes_files[0] if len(shapes_files) == 1 else os.path.dirname(shapes_files[0]) or "."
            message = str(getattr(exc, "message", exc)).strip().splitlines()[0]
            raise VocabError(f"pyshacl cannot run these shapes: {message}", path=where) from exc
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
    sh = rdflib.Namespace(SH)
    out = []
    for top in report.subjects(rdflib.RDF.type, sh.ValidationReport):
        for res in report.objects(top, sh.result):
            focus = report.value(res, sh.focusNode)
            value = report.value(res, sh.value)
            shape = report.value(res, sh.sourceShape)
            sev = report.value(res, sh.resultSeverity)
            sev_iri = str(sev) if sev is not None else SH + "Violation"
            sev_name = sev_iri[len(SH):] if sev_iri.startswith(SH) else sev_iri.rstrip("#/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            msgs = list(report.objects(res, sh.resultMessage))
            msg = next((m for m in msgs if getattr(m, "language", None) in (None, "en")), msgs[0] if msgs else None)
            comp = report.value(res, sh.sourceConstraintComponent)
            path = report.value(res, sh.resultPath)
            comp_s = str(comp) if comp is not None else SH + "SPARQLConstraintComponent"
            out.append(Result(
                shape=str(shape) if isinstance(shape, rdflib.URIRef) else f"_:{shape}",
                severity=sev_name, focus=_to_ox(focus), message=str(msg) if msg else "", value=_to_ox(value),
                path=_path_text(report, path) if path is not None else None,
                component=comp_s[len(SH):] if comp_s.startswith(SH) else comp_s,
                shape_node=_to_ox(shape), severity_iri=sev_iri,
                path_node=_to_ox(path) if isinstance(path, rdflib.URIRef) else None))
    return out


def _path_text(graph, path) -> str | None:
    """A SHACL path from pyshacl's report as SPARQL path text (for the findings' ``path``)."""
    import rdflib

    if isinstance(path, rdflib.URIRef):
        return f"<{path}>"
    sh = rdflib.Namespace(SH)
    if (path, rdflib.RDF.first, None) in graph:
        return "(" + "/".join(_path_text(graph, p) or "?" for p in rdflib.collection.Collection(graph, path)) + ")"
    inv = graph.value(path, sh.inversePath)
    if inv is not None:
        return "^" + (_path_text(graph, inv) or "?")
    alt = graph.value(path, sh.alternativePath)
    if alt is not None:
        return "(" + "|".join(_path_text(graph, p) or "?" for p in rdflib.collection.Collection(graph, alt)) + ")"
    for key, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = graph.value(path, sh[key])
        if inner is not None:
            return "(" + (_path_text(graph, inner) or "?") + ")" + op
    return None


def _to_rdflib(term):
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":  # as rdflib reads "a" in the shapes: no datatype
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _to_ox(term):
    """An rdflib term as a pyoxigraph term, with the lexical form as written (str(), never .value)."""
    import pyoxigraph as ox
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype or XSD + "string")))
