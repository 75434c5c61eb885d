"""A fast SHACL engine: SHACL Core and SHACL-SPARQL, shapes compiled to SPARQL on pyoxigraph.

The shapes in ``shapes/`` are the single definition of the rules; this module only
decides how to run them.  pyshacl evaluates SPARQL-based constraints once per focus
node (re-parsing the query text each time on rdflib), which is what makes it slow at
scale.  Here each constraint of a shape whose focus nodes a SPARQL pattern can find
(``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``,
implicit class targets, and the property shapes of such a shape) becomes one query over
all its focus nodes, run by pyoxigraph's Rust engine.  What one query cannot say
(``sh:node``, ``sh:qualifiedValueShape``, ``sh:closed``, ``sh:lessThan``, logical
constraints over shapes that have property shapes, nested ``sh:property``, SPARQL
constraints whose ``$this`` must be pre-bound inside inner groups, SPARQL-based
constraint components) is evaluated set-at-a-time: the value nodes of all focus nodes
are gathered once, and each nested shape is checked once for all of them.

Everything in SHACL Core and SHACL-SPARQL's constraints and constraint components is run
(the W3C test suites pass in full: tests/test_shacl_conformance.py); nothing is skipped.
SPARQL queries SHACL forbids (MINUS, VALUES, SERVICE, ``AS $this``, a subquery that
does not return ``$this``) are refused with a clear error, as SHACL asks.  SHACL-AF
terms (rules, functions, targets by SPARQL) and UI terms (``sh:group``, ``sh:order``,
``sh:name``...) are accepted and do not validate.  pyshacl stays available as the
reference engine (``engine="pyshacl"``), and the tests check that both report the same
results, and that Apache Jena does too.

The shapes graph is read from the parsed triples with their exact terms (a store would
turn ``"1"^^xsd:boolean`` into ``"true"``).  The data is the vocabulary's pyoxigraph
store, which keeps typed literals by value; the caller may pass the literals as written
(:func:`exact_literals`) so that ``sh:datatype`` and the reported values see them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Iterable, Iterator, TypeGuard, cast

from .errors import VocabError
from .namespaces import OWL, RDF, RDFS, SH, SSTSH, XSD

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

__all__ = ["CompiledShape", "Result", "Shape", "ShapesGraph", "exact_literals", "report_turtle", "run"]


#: Every term of the SHACL vocabulary (SHACL Core, SPARQL, the SHACL-AF terms people meet).
SHACL_TERMS = frozenset(
    """
    AbstractResult AndConstraintComponent BlankNode BlankNodeOrIRI BlankNodeOrLiteral ClassConstraintComponent
    ClosedConstraintComponent Constraint ConstraintComponent DatatypeConstraintComponent
    DisjointConstraintComponent EqualsConstraintComponent ExpressionConstraintComponent Function
    HasValueConstraintComponent IRI IRIOrLiteral InConstraintComponent Info IRIOrLiteral
    JSConstraint JSConstraintComponent JSExecutable JSFunction JSLibrary JSRule JSTarget JSTargetType
    JSValidator LanguageInConstraintComponent LessThanConstraintComponent
    LessThanOrEqualsConstraintComponent Literal MaxCountConstraintComponent
    MaxExclusiveConstraintComponent MaxInclusiveConstraintComponent MaxLengthConstraintComponent
    MinCountConstraintComponent MinExclusiveConstraintComponent MinInclusiveConstraintComponent
    MinLengthConstraintComponent NodeConstraintComponent NodeKind NodeKindConstraintComponent NodeShape
    NotConstraintComponent OrConstraintComponent Parameter Parameterizable PatternConstraintComponent
    PrefixDeclaration PropertyConstraintComponent PropertyGroup PropertyShape
    QualifiedMaxCountConstraintComponent QualifiedMinCountConstraintComponent ResultAnnotation Rule
    SPARQLAskExecutable SPARQLAskValidator SPARQLConstraint SPARQLConstraintComponent
    SPARQLConstructExecutable SPARQLExecutable SPARQLFunction SPARQLRule SPARQLSelectExecutable
    SPARQLSelectValidator SPARQLTarget SPARQLTargetType SPARQLUpdateExecutable SPARQLValuesDeriver
    Severity Shape Target TargetType TripleRule UniqueLangConstraintComponent ValidationReport
    ValidationResult Validator Violation Warning XoneConstraintComponent alternativePath and
    annotationProperty annotationValue annotationVarName ask class closed condition conforms construct
    count datatype deactivated declare defaultValue derivedValues description desc detail disjoint distinct
    else entailment equals exists expression filterShape flags focusNode group groupConcat hasValue if
    ignoredProperties in intersection inversePath js jsFunctionName jsLibrary jsLibraryURL labelTemplate
    languageIn lessThan lessThanOrEquals limit max maxCount maxExclusive maxInclusive maxLength message min
    minCount minExclusive minInclusive minLength minus name namespace node nodeKind nodeValidator nodes not
    object offset oneOrMorePath optional or order orderBy parameter path pattern predicate prefix prefixes
    property propertyValidator qualifiedMaxCount qualifiedMinCount qualifiedValueShape
    qualifiedValueShapesDisjoint result resultAnnotation resultMessage resultPath resultSeverity
    returnType rule select separator severity shapesGraph shapesGraphWellFormed sourceConstraint
    sourceConstraintComponent sourceShape sparql subject suggestedShapesGraph sum target targetClass
    targetNode targetObjectsOf targetSubjectsOf then this union uniqueLang update validator value values
    xone zeroOrMorePath zeroOrOnePath
    """.split()
)

_SEVERITIES = {SH + "Violation": "Violation", SH + "Warning": "Warning", SH + "Info": "Info"}
_RDF_TYPE = RDF + "type"
_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf")
_TRUE = "true"


# Datatypes whose values the store keeps as written (by value) and whose lexical form SPARQL can
# check by casting: the compiled sh:datatype test.  Any other datatype is checked in Python
# (_lexical_ok), which knows the derived integer types the store rewrites to xsd:integer.
_SPARQL_DATATYPES = {
    XSD + n: cast for n, cast in (
        ("string", False), ("boolean", True), ("integer", True), ("decimal", True), ("float", True),
        ("double", True), ("dateTime", True), ("date", True), ("time", True), ("anyURI", False),
        ("gYear", True), ("gYearMonth", True), ("duration", True))
}
_SPARQL_DATATYPES[RDF + "langString"] = False

# The value-level parameters: one value node at a time, expressible as one SPARQL expression.
_VALUE_PARAMS = ("class", "datatype", "nodeKind", "minExclusive", "minInclusive", "maxExclusive",
                 "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "in")

_NODE_KINDS = {
    "IRI": "isIRI(?value)", "BlankNode": "isBlank(?value)", "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "!isLiteral(?value)", "BlankNodeOrLiteral": "!isIRI(?value)",
    "IRIOrLiteral": "!isBlank(?value)",
}

_DEFAULT_MESSAGES = {
    "Class": "Value is not an instance of {class}",
    "Datatype": "Value does not have datatype {datatype}",
    "NodeKind": "Value is not of node kind {nodeKind}",
    "MinCount": "Fewer than {minCount} values",
    "MaxCount": "More than {maxCount} values",
    "MinExclusive": "Value is not greater than {minExclusive}",
    "MinInclusive": "Value is less than {minInclusive}",
    "MaxExclusive": "Value is not less than {maxExclusive}",
    "MaxInclusive": "Value is greater than {maxInclusive}",
    "MinLength": "Value is shorter than {minLength} characters",
    "MaxLength": "Value is longer than {maxLength} characters",
    "Pattern": "Value does not match the pattern {pattern}",
    "LanguageIn": "Language tag not one of {languageIn}",
    "UniqueLang": "More than one value uses the same language tag",
    "Equals": "The values of {equals} are not the same",
    "Disjoint": "Value is also a value of {disjoint}",
    "LessThan": "Value is not less than the values of {lessThan}",
    "LessThanOrEquals": "Value is not less than or equal to the values of {lessThanOrEquals}",
    "Not": "Value conforms to the shape it must not conform to",
    "And": "Value does not conform to every shape of sh:and",
    "Or": "Value does not conform to any shape of sh:or",
    "Xone": "Value does not conform to exactly one shape of sh:xone",
    "Node": "Value does not conform to the shape {node}",
    "QualifiedMinCount": "Fewer than {qualifiedMinCount} values conform to the qualified value shape",
    "QualifiedMaxCount": "More than {qualifiedMaxCount} values conform to the qualified value shape",
    "Closed": "Property not allowed by the closed shape",
    "HasValue": "Missing the value {hasValue}",
    "In": "Value is not one of the allowed values",
    "SPARQL": "Fails the SPARQL constraint",
}


@dataclass(frozen=True)
class Result:
    """One validation result: which shape, which focus node, which value, how bad."""

    shape: str
    severity: str
    focus: "ox.NamedNode | ox.BlankNode | ox.Literal"
    message: str
    value: "ox.NamedNode | ox.BlankNode | ox.Literal | None" = None
    path: str | None = None
    component: str = ""  # the constraint component's local name in sh:, or its full IRI
    shape_node: Any = None  # the shape as an RDF term (sh:sourceShape)
    severity_iri: str = SH + "Violation"
    path_node: Any = None  # the SHACL path as an RDF term (sh:resultPath; None for none)
    constraint: Any = None  # sh:sourceConstraint (SPARQL constraints)

    @property
    def component_iri(self) -> str:
        return self.component if ":" in self.component else SH + self.component


@dataclass(eq=False)
class Constraint:
    """One constraint of a shape: its component and its parameter values (exact terms)."""

    component: str  # local name in sh: (e.g. "MinCountConstraintComponent") or the component's IRI
    params: dict
    node: object = None  # the sh:sparql node, for SPARQL constraints
    message: str | None = None

    @property
    def kind(self) -> str:
        return self.component[:-len("ConstraintComponent")] if ":" not in self.component else "Custom"


@dataclass(eq=False)
class Shape:
    """A shape read from the shapes graph, and how the fast path runs it."""

    node: object
    iri: str
    severity: str
    severity_iri: str
    message: str
    has_message: bool = False
    path: str | None = None  # SPARQL property path text
    path_node: object | None = None
    deactivated: bool = False
    target: str | None = None  # SPARQL pattern binding ?this to the focus nodes, if any
    constraints: list[Constraint] = field(default_factory=list)
    properties: list["Shape"] = field(default_factory=list)
    queries: list[tuple[str, str]] = field(default_factory=list)  # compiled (component, SPARQL)
    rest: list[Constraint] = field(default_factory=list)  # evaluated set-at-a-time on the focus nodes
    plan: "_Plan | None" = None
    sub: list = field(default_factory=list)  # (property shape, _Plan) with this shape's target

    def __hash__(self) -> int:
        return id(self)


CompiledShape = Shape  # the name earlier versions used


@dataclass
class _Plan:
    """How a shape's constraints run on the focus nodes of a SPARQL target."""

    queries: list = field(default_factory=list)  # (Constraint, SPARQL text): one query each
    rest: list = field(default_factory=list)  # Constraints evaluated set-at-a-time


class ShapesGraph:
    """The shapes files read and compiled, ready to run on any number of vocabularies.

    ``triples`` are the shapes graph's triples with their exact terms (``pyoxigraph.parse``);
    a ``pyoxigraph.Store`` is accepted too (its literals are canonical).
    """

    def __init__(self, triples, source: str = "shapes", strict: bool = False) -> None:
        import pyoxigraph as ox

        self.source = source
        self.strict = strict
        self.unknown_terms: list[str] = []
        if isinstance(triples, ox.Store):
            triples = list(triples.quads_for_pattern(None, None, None))
        self.triples = [ox.Triple(t.subject, t.predicate, t.object) for t in triples]
        self._spo: dict = {}
        for t in self.triples:
            self._spo.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
        self._shapes: dict = {}
        self._prefix_cache: dict = {}
        self._components: list | None = None
        self.lint()
        self._components = self._read_components()
        self.shapes: list[Shape] = []
        for node in self._top_level():
            shape = self.shape(node)
            if not shape.deactivated:
                self._plan(shape, shape.target)
                self.shapes.append(shape)

    # -- reading the shapes graph ---------------------------------------------------------
    def _objects(self, node, pred: str) -> list:
        return self._spo.get(node, {}).get(pred, [])

    def _one(self, node, pred: str):
        values = self._objects(node, pred)
        return values[0] if values else None

    def _list(self, head) -> list:
        items = []
        seen = 0
        while not (_is_named(head) and head.value == RDF + "nil"):
            first = self._one(head, RDF + "first")
            if first is None or seen > 10_000:
                raise VocabError(f"malformed RDF list in the shapes ({head})", path=self.source)
            items.append(first)
            head = self._one(head, RDF + "rest")
            if head is None:
                raise VocabError("malformed RDF list in the shapes (no rdf:rest)", path=self.source)
            seen += 1
        return items

    def _props(self, node) -> dict[str, list]:
        return {p[len(SH):]: v for p, v in self._spo.get(node, {}).items() if p.startswith(SH)}

    def path_triples(self, node, prefix: str) -> tuple:
        """The SHACL path ``node`` as read, with new blank nodes: (its head, its triples)."""
        import pyoxigraph as ox

        counter = [0]

        def new():
            counter[0] += 1
            return ox.BlankNode(f"{prefix}{counter[0]}")

        def write_list(items, out) -> Any:
            if not items:
                return ox.NamedNode(RDF + "nil")
            cells = [new() for _ in items]
            for i, item in enumerate(items):
                out.append(ox.Triple(cells[i], ox.NamedNode(RDF + "first"), copy(item, out)))
                out.append(ox.Triple(cells[i], ox.NamedNode(RDF + "rest"),
                                     cells[i + 1] if i + 1 < len(items) else ox.NamedNode(RDF + "nil")))
            return cells[0]

        def copy(n, out) -> Any:
            if not _is_blank(n):
                return n
            if self._one(n, RDF + "first") is not None:
                return write_list(self._list(n), out)
            props = self._props(n)
            me = new()
            for key in ("inversePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath", "alternativePath"):
                if key in props:
                    inner = props[key][0]
                    obj = write_list(self._list(inner), out) if key == "alternativePath" else copy(inner, out)
                    out.append(ox.Triple(me, ox.NamedNode(SH + key), obj))
                    break
            return me

        triples: list = []
        head = copy(node, triples)
        return head, triples

    def lint(self) -> None:
        """The ``sh:`` terms SHACL does not define (a typo silently drops a setting): refused when
        ``strict`` (the shipped shapes), else listed in ``unknown_terms`` and ignored, as pySHACL and
        Jena ignore them."""
        bad = set()
        for t in self.triples:
            for term in (t.predicate, t.object):
                if _is_named(term) and term.value.startswith(SH) and term.value[len(SH):] not in SHACL_TERMS:
                    bad.add(term.value[len(SH):])
        self.unknown_terms = ["sh:" + b for b in sorted(bad)]
        if bad and self.strict:
            raise VocabError("unknown SHACL term(s) in the shapes: " + ", ".join(self.unknown_terms),
                             path=self.source)

    def _types(self, node) -> set[str]:
        """The classes of ``node`` in the shapes graph, with their superclasses (SHACL instance)."""
        todo = [t for t in self._objects(node, _RDF_TYPE) if _is_named(t)]
        out: set[str] = set()
        while todo:
            t = todo.pop()
            if t.value in out:
                continue
            out.add(t.value)
            todo.extend(c for c in self._objects(t, RDFS + "subClassOf") if _is_named(c))
        return out

    def _top_level(self) -> list:
        """The shapes with targets, explicit or implicit (a shape that is also a class), in a stable order."""
        found = []
        for node, preds in self._spo.items():
            if any(SH + t in preds for t in _TARGETS):
                found.append(node)
                continue
            types = self._types(node)
            if types & {RDFS + "Class", OWL + "Class"} and (
                    types & {SH + "NodeShape", SH + "PropertyShape"} or SH + "path" in preds):
                found.append(node)
        return sorted(found, key=lambda n: (_is_blank(n), n.value))

    def _is_true(self, term) -> bool:
        # Exact terms: "1"^^xsd:boolean is not the literal true SHACL asks for.
        return _is_literal(term) and term.value == _TRUE and term.datatype.value == XSD + "boolean"

    def shape(self, node) -> Shape:
        """The shape ``node``, read once."""
        if node in self._shapes:
            return self._shapes[node]
        props = self._props(node)
        sev = props.get("severity", [None])[0]
        if sev is None:
            sev_iri, sev_name = SH + "Violation", "Violation"
        elif _is_named(sev):
            sev_iri = sev.value
            sev_name = _SEVERITIES.get(sev_iri) or re.split(r"[#/]", sev_iri.rstrip("#/"))[-1] or sev_iri
        else:
            raise VocabError(f"shape {_show_node(node)}: sh:severity must be an IRI", path=self.source)
        messages = props.get("message", [])
        message = _pick_message(messages)
        name = node.value if _is_named(node) else f"_:{node.value}"
        shape = Shape(node=node, iri=name, severity=sev_name, severity_iri=sev_iri,
                      message=message or "", has_message=bool(message))
        self._shapes[node] = shape  # before reading nested shapes: recursive shapes end here
        shape.deactivated = any(self._is_true(d) for d in props.get("deactivated", []))
        shape.target = self._target_pattern(node, props)
        if "path" in props:
            shape.path_node = props["path"][0]
            shape.path = self._path(shape.path_node)
        shape.constraints = self._constraints(node, props, shape)
        for p in props.get("property", []):
            if self._one(p, SH + "path") is None:  # as pySHACL and Jena: the shapes graph is ill-formed
                raise VocabError(f"shape {shape.iri}: its sh:property {_show_node(p)} has no sh:path "
                                 "(a property shape needs one)", path=self.source)
        shape.properties = [self.shape(p) for p in props.get("property", [])]
        return shape

    def _constraints(self, node, props: dict[str, list], shape: Shape) -> list[Constraint]:
        out: list[Constraint] = []
        add = out.append
        for key in ("class", "datatype", "nodeKind", "minExclusive", "minInclusive", "maxExclusive",
                    "maxInclusive", "minLength", "maxLength", "hasValue", "equals", "disjoint", "lessThan",
                    "lessThanOrEquals", "node"):
            for v in props.get(key, []):
                if key == "nodeKind" and not (_is_named(v) and v.value[len(SH):] in _NODE_KINDS):
                    raise VocabError(f"shape {shape.iri}: sh:nodeKind {v} is not a SHACL node kind", path=self.source)
                if key in ("minLength", "maxLength") and not _is_int(v):
                    raise VocabError(f"shape {shape.iri}: sh:{key} must be an integer", path=self.source)
                add(Constraint(key[0].upper() + key[1:] + "ConstraintComponent", {key: v}))
        for v in props.get("minCount", []):
            _need_int(v, "minCount", shape, self.source)
            add(Constraint("MinCountConstraintComponent", {"minCount": v}))
        for v in props.get("maxCount", []):
            _need_int(v, "maxCount", shape, self.source)
            add(Constraint("MaxCountConstraintComponent", {"maxCount": v}))
        flags = props.get("flags", [None])[0]
        for v in props.get("pattern", []):
            add(Constraint("PatternConstraintComponent", {"pattern": v, "flags": flags}))
        for v in props.get("languageIn", []):
            add(Constraint("LanguageInConstraintComponent", {"languageIn": [t.value for t in self._list(v)]}))
        for v in props.get("in", []):
            add(Constraint("InConstraintComponent", {"in": self._list(v)}))
        for v in props.get("uniqueLang", []):
            if self._is_true(v):
                add(Constraint("UniqueLangConstraintComponent", {"uniqueLang": v}))
        for v in props.get("closed", []):
            if self._is_true(v):
                ignored = [i for lst in props.get("ignoredProperties", []) for i in self._list(lst)]
                add(Constraint("ClosedConstraintComponent", {"closed": v, "ignored": ignored}))
        for v in props.get("not", []):
            add(Constraint("NotConstraintComponent", {"not": v}))
        for key in ("and", "or", "xone"):
            for v in props.get(key, []):
                add(Constraint(key[0].upper() + key[1:] + "ConstraintComponent", {key: self._list(v)}))
        if "qualifiedValueShape" in props:
            disjoint = any(self._is_true(d) for d in props.get("qualifiedValueShapesDisjoint", []))
            for qvs in props["qualifiedValueShape"]:
                for key in ("qualifiedMinCount", "qualifiedMaxCount"):
                    for v in props.get(key, []):
                        _need_int(v, key, shape, self.source)
                        add(Constraint(key[0].upper() + key[1:] + "ConstraintComponent",
                                       {key: v, "shape": qvs, "disjoint": disjoint}))
        for c in props.get("sparql", []):
            if any(self._is_true(d) for d in self._objects(c, SH + "deactivated")):
                continue
            msg = _pick_message(self._objects(c, SH + "message"))
            add(Constraint("SPARQLConstraintComponent", {"query": self._sparql_text(c, shape)}, node=c, message=msg))
        for comp in self._components or []:
            params = {}
            for local, pred, optional in comp["params"]:
                values = self._objects(node, pred)
                if values:
                    params[local] = values[0]
                elif not optional:
                    break
            else:
                if params:
                    validator = comp["property" if shape.path_node is not None else "node"] or comp["validator"]
                    if validator is None:
                        continue
                    add(Constraint(comp["iri"], {"params": params, "validator": validator}, message=validator[2]))
        return out

    def _read_components(self) -> list[dict]:
        """The SPARQL-based constraint components declared in the shapes graph."""
        comps = []
        for node, preds in self._spo.items():
            if SH + "ConstraintComponent" not in self._types(node) or not _is_named(node):
                continue
            params = []
            for p in preds.get(SH + "parameter", []):
                path = self._one(p, SH + "path")
                if path is None or not _is_named(path):
                    raise VocabError(f"constraint component <{node.value}>: each sh:parameter needs an IRI sh:path",
                                     path=self.source)
                local = re.split(r"[#/]", path.value)[-1]
                optional = any(self._is_true(o) for o in self._objects(p, SH + "optional"))
                params.append((local, path.value, optional))

            def validator(pred, node=node, params=params):
                v = self._one(node, SH + pred)
                if v is None:
                    return None
                ask, select = self._one(v, SH + "ask"), self._one(v, SH + "select")
                if ask is None and select is None:
                    return None
                msg = _pick_message(self._objects(v, SH + "message")) or _pick_message(
                    self._objects(node, SH + "message"))
                kind = "ask" if ask is not None else "select"
                text = self._prefixes(v) + (ask or select).value
                if not re.search(r"\bASK\b" if kind == "ask" else r"\bSELECT\b", _code(text), re.I):
                    raise VocabError(f"constraint component <{node.value}>: sh:{kind} must be a{'n' * (kind == 'ask')} "
                                     f"{kind.upper()} query", path=self.source)
                _check_prebinding(text, [p[0] for p in params] + (["value"] if kind == "ask" else []),
                                  f"component <{node.value}>", self.source)
                return (kind, text, msg)

            comps.append({"iri": node.value, "params": params, "validator": validator("validator"),
                          "node": validator("nodeValidator"), "property": validator("propertyValidator")})
        return sorted(comps, key=lambda c: c["iri"])

    def _prefixes(self, executable) -> str:
        """PREFIX lines from the sh:declare of the sh:prefixes values and what they owl:imports (in the
        shapes graph: nothing is fetched)."""
        roots = tuple(self._objects(executable, SH + "prefixes"))
        if roots in self._prefix_cache:
            return self._prefix_cache[roots]
        lines = set()
        todo, seen = list(roots), set()
        while todo:
            pnode = todo.pop()
            if pnode in seen:
                continue
            seen.add(pnode)
            todo.extend(self._objects(pnode, OWL + "imports"))
            for decl in self._objects(pnode, SH + "declare"):
                prefix = self._one(decl, SH + "prefix")
                ns = self._one(decl, SH + "namespace")
                if prefix is not None and ns is not None:
                    lines.add(f"PREFIX {prefix.value}: <{ns.value}>")
        self._prefix_cache[roots] = "\n".join(sorted(lines)) + "\n" if lines else ""
        return self._prefix_cache[roots]

    def _sparql_text(self, constraint, shape: Shape) -> str:
        select = self._one(constraint, SH + "select")
        if select is None:
            raise VocabError(f"shape {shape.iri}: a SPARQL constraint needs sh:select", path=self.source)
        text = self._prefixes(constraint) + select.value
        _check_prebinding(text, [], f"shape {shape.iri}", self.source, own=self.strict)
        if "$PATH" in text:
            if shape.path is None:
                raise VocabError(f"shape {shape.iri}: $PATH is only allowed in property shapes", path=self.source)
            text = text.replace("$PATH", shape.path)
        return text

    def _target_pattern(self, node, props: dict[str, list], nodes: bool = True) -> str | None:
        """The SPARQL pattern binding ?this to the shape's focus nodes (None: no target, or target nodes
        SPARQL would not keep as written, such as blank nodes or the literal "4.0"^^xsd:decimal)."""
        parts = []
        classes = list(props.get("targetClass", []))
        if self._types(node) & {RDFS + "Class", OWL + "Class"} and (
                self._types(node) & {SH + "NodeShape", SH + "PropertyShape"} or "path" in props) and _is_named(node):
            classes.append(node)
        for c in classes:
            if _is_named(c):
                parts.append(f"?this <{RDF}type>/<{RDFS}subClassOf>* {_term(c)} .")
        for p in props.get("targetSubjectsOf", []):
            if _is_named(p):
                parts.append(f"?this {_term(p)} [] .")
        for p in props.get("targetObjectsOf", []):
            if _is_named(p):
                parts.append(f"[] {_term(p)} ?this .")
        given = props.get("targetNode", []) if nodes else []
        if any(not _is_named(n) for n in given):
            return None
        if given:
            parts.append("VALUES ?this { " + " ".join(_term(n) for n in given) + " }")
        if not parts:
            return None
        if len(parts) == 1 and not props.get("targetSubjectsOf") and not props.get("targetObjectsOf") \
                and not given:
            return parts[0]
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return "{ SELECT DISTINCT ?this WHERE { " + union + " } }"

    def _path(self, node) -> str:
        if _is_named(node):
            return _term(node)
        if _is_literal(node):
            raise VocabError(f"a literal ({node}) is not a SHACL path", path=self.source)
        props = self._props(node)
        if self._one(node, RDF + "first") is not None:
            items = self._list(node)
            if len(items) < 2:
                raise VocabError("a sequence path needs at least two members", path=self.source)
            return "(" + "/".join(self._path(n) for n in items) + ")"
        if "inversePath" in props:
            return "^" + self._wrap(self._path(props["inversePath"][0]))
        if "alternativePath" in props:
            return "(" + "|".join(self._path(n) for n in self._list(props["alternativePath"][0])) + ")"
        for key, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
            if key in props:
                return self._wrap(self._path(props[key][0])) + op
        raise VocabError(f"unsupported property path {node}", path=self.source)

    @staticmethod
    def _wrap(path: str) -> str:
        return path if path.startswith(("(", "<")) else f"({path})"

    # -- planning: what runs as one SPARQL query ----------------------------------------------
    def _plan(self, shape: Shape, target: str | None) -> None:
        """Split the constraints of a top-level shape into compiled queries and the rest; likewise for
        the property shapes of a node shape, whose focus nodes are the same."""
        shape.plan = self._split(shape, target)
        shape.queries = [(c.component, q) for c, q in shape.plan.queries]
        shape.rest = list(shape.plan.rest)
        if target is not None and shape.path_node is None:
            shape.sub = [(prop, self._split(prop, target)) for prop in shape.properties if not prop.deactivated]

    def _split(self, shape: Shape, target: str | None) -> "_Plan":
        plan = _Plan()
        for c in shape.constraints:
            query = self._compile(shape, c, target) if target is not None else None
            if query is None:
                plan.rest.append(c)
            else:
                plan.queries.append((c, query))
        return plan

    def _compile(self, shape: Shape, c: Constraint, target: str) -> str | None:
        kind = c.kind
        if shape.path is None:
            if kind == "SPARQL" and _joinable(c.params["query"]):
                return _join(c.params["query"], target)
            if kind in ("Datatype", "NodeKind", "Class", "Pattern", "LanguageIn", "In", "MinLength", "MaxLength",
                        "MinExclusive", "MinInclusive", "MaxExclusive", "MaxInclusive"):
                cond = self._value_condition(c)
                if cond is None:
                    return None
                return (f"SELECT DISTINCT ?this ?value WHERE {{ {target} BIND(?this AS ?value) "
                        f"FILTER(!COALESCE(({cond}), false)) }}")
            return None
        p = shape.path
        values = f"{target} ?this {p} ?value ."
        if kind == "MinCount":
            n = int(c.params["minCount"].value)
            if n == 1:
                return f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} ?_v }} }}"
            if n > 1:
                return (f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?_v }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {n})")
            return "SELECT ?this WHERE { FILTER(false) }"
        if kind == "MaxCount":
            n = int(c.params["maxCount"].value)
            return (f"SELECT ?this WHERE {{ {target} ?this {p} ?_v }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?_v) > {n})")
        if kind == "UniqueLang":  # one result per language tag used twice
            return (f"SELECT ?this ?_lang WHERE {{ {target} ?this {p} ?_v . "
                    f"BIND(LCASE(LANG(?_v)) AS ?_lang) FILTER(?_lang != \"\") }} "
                    f"GROUP BY ?this ?_lang HAVING (COUNT(DISTINCT ?_v) > 1)")
        if kind == "Disjoint":
            return f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this {_term(c.params['disjoint'])} ?value }}"
        if kind == "Equals":
            o = _term(c.params["equals"])
            return (f"SELECT DISTINCT ?this ?value WHERE {{ {target} {{ ?this {p} ?value "
                    f"FILTER NOT EXISTS {{ ?this {o} ?value }} }} UNION {{ ?this {o} ?value "
                    f"FILTER NOT EXISTS {{ ?this {p} ?value }} }} }}")
        if kind == "HasValue":
            if _is_blank(c.params["hasValue"]):
                return None
            return f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} {_term(c.params['hasValue'])} }} }}"
        if kind in ("Or", "And", "Xone", "Not"):
            members = c.params[kind.lower()]
            members = members if isinstance(members, list) else [members]
            maybe = [self._conforms(m) for m in members]
            if any(m is None for m in maybe):
                return None
            conds = cast("list[str]", maybe)
            if kind == "Or":
                cond = "!(" + " || ".join(conds) + ")" if conds else "true"
            elif kind == "And":
                cond = "!(" + " && ".join(conds) + ")" if conds else "false"
            elif kind == "Xone":
                cond = "(" + " + ".join(f"IF({m}, 1, 0)" for m in conds) + ") != 1" if conds else "true"
            else:
                cond = conds[0]
            return f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER({cond}) }}"
        if kind == "SPARQL" and _joinable(c.params["query"]):
            return _join(c.params["query"], target)
        cond = self._value_condition(c)
        if cond is None:
            return None
        return f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER(!COALESCE(({cond}), false)) }}"

    def _value_condition(self, c: Constraint) -> str | None:
        """A SPARQL expression, true when ?value satisfies the value-level constraint ``c``; None if none."""
        kind, params = c.kind, c.params
        if kind == "Datatype":
            d = params["datatype"]
            if not _is_named(d) or (d.value.startswith(XSD) and d.value[len(XSD):] in _INT_RANGES
                                    and d.value != XSD + "integer"):
                return None  # the store keeps "12"^^xsd:int as xsd:integer: checked in Python (_lexical_ok)
            cond = f"isLiteral(?value) && DATATYPE(?value) = {_term(d)}"
            if d.value == XSD + "string":
                cond += " && LANG(?value) = \"\""
            elif _SPARQL_DATATYPES.get(d.value):
                cond += f" && COALESCE(isLiteral({_term(d)}(?value)), false)"
            return cond
        if kind == "NodeKind":
            return _NODE_KINDS[params["nodeKind"].value[len(SH):]]
        if kind == "Class":
            if _is_blank(params["class"]):
                return None
            return f"EXISTS {{ ?value <{RDF}type>/<{RDFS}subClassOf>* {_term(params['class'])} }}"
        if kind == "Pattern":
            flags = params.get("flags")
            fl = f", {_literal(flags.value)}" if flags is not None else ""
            return f"!isBlank(?value) && REGEX(STR(?value), {_literal(params['pattern'].value)}{fl})"
        if kind == "LanguageIn":
            tags = params["languageIn"]
            return "isLiteral(?value) && (" + (" || ".join(
                f"langMatches(LANG(?value), {_literal(t)})" for t in tags) or "false") + ")"
        if kind == "In":
            members = params["in"]
            if any(_is_blank(m) for m in members):
                return None
            return "(" + (" || ".join(f"sameTerm(?value, {_term(m)})" for m in members) or "false") + ")"
        if kind in ("MinLength", "MaxLength"):
            n = int(params[kind[0].lower() + kind[1:]].value)
            op = ">=" if kind == "MinLength" else "<="
            return f"!isBlank(?value) && STRLEN(STR(?value)) {op} {n}"
        if kind in ("MinExclusive", "MinInclusive", "MaxExclusive", "MaxInclusive"):
            bound = params[kind[0].lower() + kind[1:]]
            if not _is_literal(bound):
                return None
            op = {"MinExclusive": ">", "MinInclusive": ">=", "MaxExclusive": "<", "MaxInclusive": "<="}[kind]
            return f"isLiteral(?value) && (?value {op} {_term(bound)})"
        return None

    def _conforms(self, node) -> str | None:
        """A SPARQL expression: does ?value conform to the shape ``node``?  None when it needs more than one."""
        if node not in self._shapes and not self._spo.get(node):
            return "true"  # a shape with no triples has no constraints
        shape = self.shape(node)
        if shape.deactivated:
            return "true"
        if shape.path is not None or shape.properties:
            return None
        conds = []
        for c in shape.constraints:
            cond = self._value_condition(c)
            if cond is None:
                return None
            conds.append(f"COALESCE(({cond}), false)")
        return "(" + (" && ".join(conds) or "true") + ")"


def _pick_message(messages: list) -> str | None:
    """The message to show: English, else untagged, else the first."""
    if not messages:
        return None
    ranked = sorted(messages, key=lambda m: (0 if (getattr(m, "language", None) or "").lower().startswith("en")
                                             else 1 if not getattr(m, "language", None) else 2))
    return ranked[0].value


def _need_int(v, key: str, shape: Shape, source: str) -> None:
    if not _is_int(v):
        raise VocabError(f"shape {shape.iri}: sh:{key} must be an integer, not {v}", path=source)


def _is_int(v) -> bool:
    return _is_literal(v) and re.fullmatch(r"[+-]?\d+", v.value.strip()) is not None


# -- SPARQL text helpers ---------------------------------------------------------------------
_STRIP = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')


@lru_cache(maxsize=1024)
def _code(text: str) -> str:
    """The query text without strings, IRIs and comments (keywords are searched in what is left)."""
    return _STRIP.sub(lambda m: " " * len(m.group(0)), text)


def _check_prebinding(text: str, params: list[str], where: str, source: str, own: bool = False) -> None:
    """Refuse what SHACL forbids in queries with pre-bound variables (SHACL 5.2.1 and 6.3).

    ``own``: the shipped shapes, which may use VALUES and MINUS (their meaning is defined there: $this
    is bound by a join, which the tests check against pySHACL and Jena); SERVICE never (no network)."""
    code = _code(text)
    for word in ("SERVICE",) if own else ("MINUS", "VALUES", "SERVICE"):
        if re.search(rf"\b{word}\b", code, re.I):
            raise VocabError(f"{where}: SHACL does not allow {word} in SPARQL constraints", path=source)
    prebound = ["this", "shapesGraph", "currentShape", *params]
    for var in prebound:
        if re.search(rf"\bAS\s+[?$]{re.escape(var)}\b", code, re.I):
            raise VocabError(f"{where}: a pre-bound variable (${var}) cannot be assigned with AS", path=source)
    m = re.search(r"\bWHERE\b|\{", code, re.I)
    inner = code[m.end():] if m else code
    for sub in re.finditer(r"\bSELECT\b([^{]*?)\bWHERE\b|\bSELECT\b([^{]*?)\{", inner, re.I):
        projection = sub.group(1) or sub.group(2) or ""
        used = [v for v in prebound if re.search(rf"[?$]{re.escape(v)}\b", code)]
        if "*" in projection or any(not re.search(rf"[?$]{re.escape(v)}\b", projection) for v in used):
            raise VocabError(f"{where}: a subquery must return every pre-bound variable it may use "
                             f"({', '.join('$' + v for v in used)})", path=source)


def _joinable(text: str) -> bool:
    """Can ``$this`` be bound by joining the focus nodes in front of the WHERE group (one query for
    all focus nodes) with the same results as pre-binding it (one query per focus node)?

    Yes unless an inner group (not inside an EXISTS, which substitutes) filters or binds on $this
    without a triple pattern of its own binding it, a subquery uses $this, or the query needs
    $currentShape or $shapesGraph.  (The shipped shapes are all joinable: tests/test_shacl.py.)
    """
    code = _code(text)
    if re.search(r"[?$](currentShape|shapesGraph)\b", code):
        return False
    m = re.search(r"\bWHERE\s*\{", code, re.I) or re.search(r"\{", code)
    if m is None:
        return False
    body = code[m.end():]
    this = re.compile(r"[?$]this\b")
    # Each group: [kind, text directly inside]; kind is "top", "exists", "select" or "group".
    stack: list[list] = [["top", []]]
    last = 0
    for i, ch in enumerate(body):
        if ch not in "{}":
            continue
        stack[-1][1].append(body[last:i])
        last = i + 1
        if ch == "{":
            before = body[:i].rstrip()
            inside_exists = any(k == "exists" for k, _ in stack)
            if inside_exists or re.search(r"\bEXISTS$", before, re.I):
                kind = "exists"
            elif re.search(r"^\s*SELECT\b", body[i + 1:], re.I):
                kind = "select"
            else:
                kind = "group"
            stack.append([kind, []])
            continue
        kind, parts = stack.pop()
        if not stack:
            break
        direct = "".join(parts)
        if (kind in ("group", "select") and this.search(direct) and re.search(r"\b(FILTER|BIND)\b", direct, re.I)
                and not this.search(_strip_expressions(direct))):
            return False  # $this only in a FILTER or BIND of a group that does not bind it
    return True


def _strip_expressions(text: str) -> str:
    """``text`` without its FILTER and BIND expressions (what is left: triple patterns)."""
    out, i = [], 0
    for m in re.finditer(r"\b(FILTER|BIND)\b", text, re.I):
        if m.start() < i:
            continue
        out.append(text[i:m.start()])
        j = text.find("(", m.end())
        if j < 0:
            i = len(text)
            break
        depth = 0
        for k in range(j, len(text)):
            depth += text[k] == "("
            depth -= text[k] == ")"
            if depth == 0:
                i = k + 1
                break
        else:
            i = len(text)
    out.append(text[i:])
    return "".join(out)


def _join(text: str, target: str) -> str:
    """Pre-binding of $this done as a join: the focus nodes come first in the WHERE group."""
    code = _code(text)
    m = re.search(r"\bWHERE\s*\{", code, re.I) or re.search(r"\{", code)
    assert m is not None  # a SELECT that compiled has a group pattern
    return text[: m.end()] + " " + target + " " + text[m.end():]


def _is_blank(node) -> bool:
    return type(node).__name__ == "BlankNode"


def _is_literal(node) -> TypeGuard[ox.Literal]:
    return type(node).__name__ == "Literal"


def _is_named(node) -> TypeGuard[ox.NamedNode]:
    return type(node).__name__ == "NamedNode"


def _term(node) -> str:
    """A pyoxigraph term as SPARQL text (pyoxigraph's str() is N-Triples, which SPARQL accepts)."""
    if _is_blank(node):
        raise VocabError(f"blank node {node} cannot be used as a constant in the shapes")
    return str(node)


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _show_node(node) -> str:
    return f"<{node.value}>" if _is_named(node) else f"_:{node.value}" if _is_blank(node) else str(node)


# -- lexical forms, for sh:datatype on what the store cannot tell apart -------------------------
_INT_RANGES = {
    "integer": (None, None), "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1),
    "short": (-2**15, 2**15 - 1), "byte": (-128, 127), "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None), "negativeInteger": (None, -1), "nonPositiveInteger": (None, 0),
    "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_TZ = r"(Z|[+-]\d\d:\d\d)?"
_LEXICAL = {
    "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    "float": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    "double": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    "boolean": r"true|false|1|0",
    "date": r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])" + _TZ,
    "dateTime": r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-4]):[0-5]\d:[0-5]\d(\.\d+)?" + _TZ,
    "time": r"([01]\d|2[0-4]):[0-5]\d:[0-5]\d(\.\d+)?" + _TZ,
    "gYear": r"-?\d{4,}" + _TZ,
    "gYearMonth": r"-?\d{4,}-(0[1-9]|1[0-2])" + _TZ,
    "duration": r"-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?",
}


def _lexical_ok(lit, datatype: str) -> bool:
    """Is ``lit`` a well-formed literal of ``datatype``?  (Datatypes not known here: any form.)"""
    if not _is_literal(lit) or lit.datatype.value != datatype:
        return False
    if datatype == XSD + "string":
        return not lit.language
    if not datatype.startswith(XSD):
        return True
    name, text = datatype[len(XSD):], lit.value
    if name in _INT_RANGES:
        if re.fullmatch(r"[+-]?\d+", text.strip()) is None:
            return False
        lo, hi = _INT_RANGES[name]
        n = int(text)
        return (lo is None or n >= lo) and (hi is None or n <= hi)
    if name in _LEXICAL:
        if re.fullmatch(_LEXICAL[name], text.strip()) is None:
            return False
        if name == "decimal":
            try:
                Decimal(text)
            except InvalidOperation:  # pragma: no cover
                return False
        return True
    return True


# -- the literals as written ---------------------------------------------------------------
def exact_literals(quads: Iterable) -> dict:
    """(subject or None for a blank node, predicate, literal as stored) -> [literal as written].

    Only the literals the store changes (``"12"^^xsd:int`` is stored as ``"12"^^xsd:integer``,
    ``"1"^^xsd:boolean`` as ``"true"``, ``"01"`` as ``"1"``) are listed; empty when none is.
    ``quads`` are the data's triples as parsed (exact terms).
    """
    import pyoxigraph as ox

    typed = [q for q in quads if _is_literal(q.object) and not q.object.language
             and q.object.datatype.value.startswith(XSD) and q.object.datatype.value != XSD + "string"]
    if not typed:
        return {}
    scratch = ox.Store()
    p = ox.NamedNode("urn:x-sst-vocab:p")
    scratch.extend([ox.Quad(ox.NamedNode(f"urn:x-sst-vocab:{i}"), p, q.object) for i, q in enumerate(typed)])
    out: dict = {}
    for quad in scratch.quads_for_pattern(None, p, None):
        assert isinstance(quad.subject, ox.NamedNode)  # the subjects made above
        i = int(quad.subject.value.rsplit(":", 1)[1])
        original = typed[i]
        if quad.object != original.object:
            key = (None if _is_blank(original.subject) else original.subject, original.predicate, quad.object)
            out.setdefault(key, [])
            if original.object not in out[key]:
                out[key].append(original.object)
    return out


# -- running ---------------------------------------------------------------------------------
class _Run:
    """One validation of one data store against a shapes graph."""

    def __init__(self, sg: ShapesGraph, data: "ox.Store", exact: dict | None, compiled: bool) -> None:
        import pyoxigraph as ox

        self.ox = ox
        self.sg = sg
        self.data = data
        self.exact = exact or {}
        self.compiled = compiled
        self.results: list[Result] = []
        self._failing: dict = {}  # shape -> {node: fails?}
        self._depth = 0
        self._graph = ox.DefaultGraph()
        self._shapes_graph = None
        self._to_canonical: dict | None = None
        self._ahead: dict = {}  # query text -> its future, when evaluated ahead on threads
        self.memo: dict | None = None  # query text -> its solutions, kept by the caller between runs

    # -- data access ------------------------------------------------------------------------
    def query(self, text: str, where: Shape | None = None, **subs):
        if not subs and self.memo is not None:
            if text not in self.memo:
                self.memo[text] = self._query(text, where)
            return self.memo[text]
        return self._query(text, where, **subs)

    def _query(self, text: str, where: Shape | None = None, **subs):
        try:
            ahead = None if subs else self._ahead.pop(text, None)
            if ahead is not None:
                return ahead.result()
            if subs:
                bound = {self.ox.Variable(k): v for k, v in subs.items()}
                return list(cast("ox.QuerySolutions", self.data.query(text, substitutions=bound)))
            return list(cast("ox.QuerySolutions", self.data.query(text)))
        except SyntaxError as exc:
            name = where.iri if where else "?"
            raise VocabError(f"shape {name} does not compile to valid SPARQL: {exc}", path=self.sg.source) from exc

    def objects(self, node, pred) -> list:
        if _is_literal(node):
            return []
        out = [q.object for q in self.data.quads_for_pattern(node, pred, None, self._graph)]
        if self.exact:
            key_s = None if _is_blank(node) else node
            expanded: list = []
            for o in out:
                originals = self.exact.get((key_s, pred, o)) if _is_literal(o) else None
                expanded.extend(originals or [o])
            out = expanded
        return out

    def subjects(self, pred, node) -> list:
        return [q.subject for q in self.data.quads_for_pattern(None, pred, self._canonical(node), self._graph)]

    def _canonical(self, term):
        """A literal as written -> as the store keeps it (for SPARQL and store lookups)."""
        if not self.exact or not _is_literal(term):
            return term
        if self._to_canonical is None:
            self._to_canonical = {o: key[2] for key, originals in self.exact.items() for o in originals}
        return self._to_canonical.get(term, term)

    def path_values(self, path, node) -> list:
        """The value nodes of ``node`` along the SHACL path ``path`` (a shapes-graph term)."""
        out = self._path(path, [node], False)
        return list(dict.fromkeys(out))

    def _path(self, path, nodes: list, inverse: bool) -> list:
        sg = self.sg
        if _is_named(path):
            pred = path
            res = []
            for n in nodes:
                res.extend(self.subjects(pred, n) if inverse else self.objects(n, pred))
            return res
        if sg._one(path, RDF + "first") is not None:
            steps = sg._list(path)
            if inverse:
                steps = steps[::-1]
            cur = nodes
            for s in steps:
                cur = list(dict.fromkeys(self._path(s, cur, inverse)))
            return cur
        props = sg._props(path)
        if "inversePath" in props:
            return self._path(props["inversePath"][0], nodes, not inverse)
        if "alternativePath" in props:
            res = []
            for s in sg._list(props["alternativePath"][0]):
                res.extend(self._path(s, nodes, inverse))
            return res
        for key in ("zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"):
            if key in props:
                inner = props[key][0]
                res = []
                for n in nodes:
                    if key == "zeroOrOnePath":
                        res.append(n)
                        res.extend(self._path(inner, [n], inverse))
                        continue
                    seen = {n} if key == "zeroOrMorePath" else set()
                    order = [n] if key == "zeroOrMorePath" else []
                    frontier = [n]
                    while frontier:
                        nxt = []
                        for m in self._path(inner, frontier, inverse):
                            if m not in seen:
                                seen.add(m)
                                order.append(m)
                                nxt.append(m)
                        frontier = nxt
                    res.extend(order)
                return res
        raise VocabError(f"unsupported property path {path}", path=sg.source)

    # -- results --------------------------------------------------------------------------
    def result(self, shape: Shape, c: Constraint, focus, value=None, path_node="shape", message=None,
               bindings=None) -> Result:
        kind = c.kind
        if message is None:
            message = c.message if c.message else shape.message if shape.has_message else None
        if message is None:
            template = _DEFAULT_MESSAGES.get(kind, "Fails {component}")
            params = {k: _show_param(v) for k, v in c.params.items() if k not in ("query",)}
            params["component"] = c.component
            try:
                message = template.format(**params)
            except (KeyError, IndexError):
                message = template
        message = _fill(message, focus, value, bindings, c.params.get("params"))
        pn = shape.path_node if path_node == "shape" else path_node
        return Result(shape=shape.iri, severity=shape.severity, focus=focus, message=message, value=value,
                      path=shape.path if path_node == "shape" else (_term(pn) if pn is not None else None),
                      component=c.component, shape_node=shape.node, severity_iri=shape.severity_iri,
                      path_node=pn, constraint=c.node)

    # -- the top level ----------------------------------------------------------------------
    def run(self, executor=None) -> list[Result]:
        from .progress import update

        if executor is not None and self.compiled:
            # The compiled queries are independent: evaluated ahead on the executor's threads
            # (pyoxigraph releases the GIL), each taken once by the walk below, which stays in order.
            for shape in self.sg.shapes:
                if shape.deactivated or shape.target is None:
                    continue
                for plan in [shape.plan, *(plan for _, plan in shape.sub)]:
                    for _, query in plan.queries:
                        if query not in self._ahead and (self.memo is None or query not in self.memo):
                            self._ahead[query] = executor.submit(lambda q: list(cast("ox.QuerySolutions", self.data.query(q))), query)
        for number, shape in enumerate(self.sg.shapes):
            update("checking the shapes", number, len(self.sg.shapes))
            self.top(shape)
        return self.results

    def top(self, shape: Shape) -> None:
        if shape.deactivated:
            return
        props = self.sg._props(shape.node)
        focus: list | None = None

        def focus_nodes() -> list:
            nonlocal focus
            if focus is None:
                focus = self.targets(shape, props)
            return focus

        if not (self.compiled and shape.target is not None and shape.plan is not None):
            self.results.extend(r for _, r in self.validate(shape, focus_nodes()))
            return
        self._run_plan(shape, shape.plan, focus_nodes)
        planned = set()
        for prop, plan in shape.sub:
            planned.add(prop)
            self._run_plan(prop, plan, focus_nodes)
            subs = [s for s in prop.properties if not s.deactivated]
            if subs:
                pairs = self.pairs(prop, focus_nodes())
                for sub in subs:
                    self.results.extend(r for _, r in self._nested(sub, pairs))
        for prop in shape.properties:
            if prop.deactivated or prop in planned:
                continue
            self.results.extend(r for _, r in self._nested(prop, self.pairs(shape, focus_nodes())))

    def _nested(self, prop: Shape, pairs: list[tuple]) -> list[tuple]:
        """sh:property: each value node is validated against ``prop``; results repeat per focus node."""
        back: dict = {}
        for f, vs in pairs:
            for v in vs:
                back.setdefault(v, []).append(f)
        out: list = []
        for v, r in self.validate(prop, list(back)):
            out.extend((f, r) for f in back[v])
        return out

    def targets(self, shape: Shape, props: dict) -> list:
        out = list(props.get("targetNode", []))
        pattern = self.sg._target_pattern(shape.node, props, nodes=False)
        if pattern is not None:
            out += [row["this"] for row in self.query(f"SELECT DISTINCT ?this WHERE {{ {pattern} }}", shape)]
        return list(dict.fromkeys(out))

    def _run_plan(self, shape: Shape, plan: "_Plan", focus_nodes) -> None:
        """Run the compiled queries of ``shape``, then the rest of its constraints on its focus nodes."""
        rest = list(plan.rest)
        for c, query in plan.queries:
            if c.kind == "Datatype" and self.exact:
                rest.append(c)  # the store may hold "12"^^xsd:int as "12"^^xsd:integer: check as written
                continue
            for row in self.query(query, shape):
                focus = row["this"]
                if focus is None:
                    continue
                if c.kind == "SPARQL":
                    self.results.append(self._sparql_result(shape, c, row, focus))
                    continue
                value = _get(row, "value")
                if self.exact and value is not None and _is_literal(value) and _is_named(shape.path_node):
                    originals = self.exact.get((None if _is_blank(focus) else focus, shape.path_node, value))
                    if originals:
                        self.results.extend(self.result(shape, c, focus, o) for o in originals)
                        continue
                self.results.append(self.result(shape, c, focus, value))
        if rest:
            pairs = self.pairs(shape, focus_nodes())
            for c in rest:
                self.results.extend(r for _, r in self.check(shape, c, pairs))

    def pairs(self, shape: Shape, focus: list) -> list[tuple]:
        if shape.path_node is None:
            return [(f, [f]) for f in focus]
        return [(f, self.path_values(shape.path_node, f)) for f in focus]

    # -- set-at-a-time validation -----------------------------------------------------------
    def validate(self, shape: Shape, focus: list) -> list[tuple]:
        """(focus node, result) for every result of validating ``focus`` against ``shape``."""
        if shape.deactivated or not focus:
            return []
        self._depth += 1
        if self._depth > 64:
            raise VocabError(f"shape {shape.iri} refers to itself through more than 64 shapes "
                             "(recursive shapes are not defined by SHACL)", path=self.sg.source)
        try:
            pairs = self.pairs(shape, focus)
            out: list = []
            for c in shape.constraints:
                out.extend(self.check(shape, c, pairs))
            for prop in shape.properties:
                if not prop.deactivated:
                    out.extend(self._nested(prop, pairs))
            return out
        finally:
            self._depth -= 1

    def failing(self, shape_node, nodes: list) -> set:
        """The nodes among ``nodes`` that do not conform to the shape ``shape_node``."""
        if shape_node not in self.sg._shapes and not self.sg._spo.get(shape_node):
            return set()
        shape = self.sg.shape(shape_node)
        cache = self._failing.setdefault(shape, {})
        todo = [n for n in dict.fromkeys(nodes) if n not in cache]
        if todo:
            for n in todo:
                cache[n] = False
            for f, _ in self.validate(shape, todo):
                cache[f] = True
        return {n for n in nodes if cache.get(n)}

    def value_failures(self, shape: Shape, c: Constraint, values: list) -> set:
        """The values that fail the value-level constraint ``c``."""
        values = list(dict.fromkeys(values))
        if not values:
            return set()
        kind = c.kind
        if kind == "Datatype":
            d = c.params["datatype"]
            return {v for v in values if not _lexical_ok(v, d.value if _is_named(d) else "")}
        if kind == "In":
            members = c.params["in"]
            return {v for v in values if v not in members and self._canonical(v) not in members}
        cond = self.sg._value_condition(c)
        if cond is None:  # blank nodes as constants: sh:class or sh:in of a blank node
            if kind == "Class":
                return {v for v in values if not self.instance_of(v, c.params["class"])}
            raise VocabError(f"shape {shape.iri}: {c.component} cannot be checked", path=self.sg.source)
        bad: set = set()
        plain = [v for v in values if not _is_blank(v)]
        for i in range(0, len(plain), 500):
            chunk = plain[i:i + 500]
            text = " ".join(str(self._canonical(v)) for v in chunk)
            rows = self.query(f"SELECT ?value WHERE {{ VALUES ?value {{ {text} }} "
                              f"FILTER(!COALESCE(({cond}), false)) }}", shape)
            failed = {row["value"] for row in rows}
            bad.update(v for v in chunk if self._canonical(v) in failed or v in failed)
        for v in values:
            if _is_blank(v) and self.query(f"SELECT ?value WHERE {{ FILTER(!COALESCE(({cond}), false)) }}", shape,
                                           value=v):
                bad.add(v)
        return bad

    def instance_of(self, node, cls) -> bool:
        types = set(self.objects(node, self.ox.NamedNode(_RDF_TYPE)))
        seen = set()
        while types:
            t = types.pop()
            if t == cls:
                return True
            if t in seen:
                continue
            seen.add(t)
            types.update(self.objects(t, self.ox.NamedNode(RDFS + "subClassOf")))
        return False

    def check(self, shape: Shape, c: Constraint, pairs: list[tuple]) -> Iterator[tuple]:
        """(focus node, result) for each violation of constraint ``c`` by the (focus, values) pairs."""
        kind = c.kind
        all_values = [v for _, vs in pairs for v in vs]
        R = self.result
        if kind in ("Class", "Datatype", "NodeKind", "Pattern", "LanguageIn", "In", "MinLength", "MaxLength",
                    "MinExclusive", "MinInclusive", "MaxExclusive", "MaxInclusive"):
            bad = self.value_failures(shape, c, all_values)
            for f, vs in pairs:
                for v in vs:
                    if v in bad:
                        yield f, R(shape, c, f, v)
        elif kind == "MinCount":
            n = int(c.params["minCount"].value)
            for f, vs in pairs:
                if len(vs) < n:
                    yield f, R(shape, c, f)
        elif kind == "MaxCount":
            n = int(c.params["maxCount"].value)
            for f, vs in pairs:
                if len(vs) > n:
                    yield f, R(shape, c, f)
        elif kind == "UniqueLang":
            for f, vs in pairs:
                langs: dict[str, int] = {}
                for v in vs:
                    lang = (getattr(v, "language", None) or "").lower() if _is_literal(v) else ""
                    if lang:
                        langs[lang] = langs.get(lang, 0) + 1
                for _lang, n in sorted(langs.items()):
                    if n > 1:
                        yield f, R(shape, c, f)
        elif kind == "HasValue":
            hv = c.params["hasValue"]
            for f, vs in pairs:
                if hv not in vs and self._canonical(hv) not in vs:
                    yield f, R(shape, c, f)
        elif kind in ("Equals", "Disjoint", "LessThan", "LessThanOrEquals"):
            pred = c.params[kind[0].lower() + kind[1:]]
            for f, vs in pairs:
                others = self.objects(f, pred)
                if kind == "Equals":
                    for v in vs:
                        if v not in others:
                            yield f, R(shape, c, f, v)
                    for o in others:
                        if o not in vs:
                            yield f, R(shape, c, f, o)
                elif kind == "Disjoint":
                    for v in vs:
                        if v in others:
                            yield f, R(shape, c, f, v)
                else:
                    op = "<" if kind == "LessThan" else "<="
                    for v in vs:
                        for o in others:
                            if not self.compare(v, op, o):
                                yield f, R(shape, c, f, v)
        elif kind == "Node":
            bad = self.failing(c.params["node"], all_values)
            for f, vs in pairs:
                for v in vs:
                    if v in bad:
                        yield f, R(shape, c, f, v)
        elif kind == "Not":
            bad = self.failing(c.params["not"], all_values)
            for f, vs in pairs:
                for v in vs:
                    if v not in bad:
                        yield f, R(shape, c, f, v)
        elif kind in ("And", "Or", "Xone"):
            members = c.params[kind.lower()]
            fails = [self.failing(m, all_values) for m in members]
            for f, vs in pairs:
                for v in vs:
                    ok = sum(1 for bad in fails if v not in bad)
                    if (kind == "And" and ok != len(members)) or (kind == "Or" and ok == 0) or (
                            kind == "Xone" and ok != 1):
                        yield f, R(shape, c, f, v)
        elif kind in ("QualifiedMinCount", "QualifiedMaxCount"):
            qvs = c.params["shape"]
            bad = self.failing(qvs, all_values)
            siblings = self._siblings(shape, qvs) if c.params["disjoint"] else []
            sib_ok = [set(all_values) - self.failing(s, all_values) for s in siblings]
            n = int(c.params[kind[0].lower() + kind[1:]].value)
            for f, vs in pairs:
                count = sum(1 for v in vs if v not in bad and not any(v in ok for ok in sib_ok))
                if (kind == "QualifiedMinCount" and count < n) or (kind == "QualifiedMaxCount" and count > n):
                    yield f, R(shape, c, f)
        elif kind == "Closed":
            allowed = {p.path_node for p in shape.properties if _is_named(p.path_node)} | set(c.params["ignored"])
            for f, vs in pairs:
                for v in vs:
                    if _is_literal(v):
                        continue
                    for q in self.data.quads_for_pattern(v, None, None, self._graph):
                        if q.predicate not in allowed:
                            for o in self.objects(v, q.predicate) if self.exact else [q.object]:
                                yield f, R(shape, c, v if shape.path_node is None else f, o, path_node=q.predicate)
        elif kind == "SPARQL":
            for f, _ in pairs:
                for row in self.sparql(shape, c.params["query"], this=f):
                    yield f, self._sparql_result(shape, c, row, f)
        elif kind == "Custom":
            yield from self.custom(shape, c, pairs)
        else:  # pragma: no cover
            raise VocabError(f"shape {shape.iri}: {c.component} is not implemented", path=self.sg.source)

    def _siblings(self, shape: Shape, qvs) -> list:
        """The qualified value shapes of the sibling property shapes (sh:qualifiedValueShapesDisjoint)."""
        out: list = []
        for preds in self.sg._spo.values():
            if shape.node in preds.get(SH + "property", []):
                for sib in preds.get(SH + "property", []):
                    out.extend(o for o in self.sg._objects(sib, SH + "qualifiedValueShape") if o != qvs)
        return list(dict.fromkeys(out))

    def compare(self, a, op: str, b) -> bool:
        if _is_blank(a) or _is_blank(b):
            return False
        rows = self.query(f"SELECT ?ok WHERE {{ BIND(COALESCE(({_term(self._canonical(a))} {op} "
                          f"{_term(self._canonical(b))}), false) AS ?ok) }}")
        return bool(rows) and rows[0]["ok"].value == "true"

    # -- SPARQL ---------------------------------------------------------------------------
    def sparql(self, shape: Shape, text: str, **subs) -> list:
        code = _code(text)
        if re.search(r"[?$]currentShape\b", code):
            subs["currentShape"] = shape.node
        if re.search(r"[?$]shapesGraph\b", code):
            subs["shapesGraph"] = self.shapes_graph()
        for var in list(subs):
            if not re.search(rf"[?$]{re.escape(var)}\b", code):
                del subs[var]
        text, subs = _prebind(text, subs)
        text = _project(text, list(subs))
        try:
            return self.query(text, shape, **subs)
        except RuntimeError as exc:  # a pre-bound variable the SELECT does not project
            raise VocabError(f"shape {shape.iri}: the SPARQL query must return $this ({exc})",
                             path=self.sg.source) from exc

    def shapes_graph(self):
        """$shapesGraph: the shapes, copied into a named graph of the data store for this run."""
        if self._shapes_graph is None:
            ox = self.ox
            g = ox.NamedNode("urn:x-sst-vocab:shapes-graph")
            self.data.extend([ox.Quad(t.subject, t.predicate, t.object, g) for t in self.sg.triples])
            self._shapes_graph = g
        return self._shapes_graph

    def close(self) -> None:
        if self._shapes_graph is not None:
            self.data.remove_graph(self._shapes_graph)

    def _sparql_result(self, shape: Shape, c: Constraint, row, focus) -> Result:
        failure = _get(row, "failure")
        if failure is not None and _is_literal(failure) and failure.value == "true":
            raise VocabError(f"shape {shape.iri}: its SPARQL constraint reported a failure", path=self.sg.source)
        this = _get(row, "this") or focus
        value = _get(row, "value")
        if value is None:
            value = this
        path = _get(row, "path")
        bindings = {v: row[v] for v in _variables(row)}
        return self.result(shape, c, this, value, path_node=path if path is not None else "shape",
                           bindings=bindings)

    def custom(self, shape: Shape, c: Constraint, pairs: list[tuple]) -> Iterator[tuple]:
        kind, text, _msg = c.params["validator"]
        params = dict(c.params["params"])
        if kind == "ask":
            for f, vs in pairs:
                for v in vs:
                    rows = self.sparql(shape, _ask_as_select(text), this=f, value=v, **params)
                    if not rows:
                        yield f, self.result(shape, c, f, v, bindings=params)
            return
        if shape.path is not None:
            text = text.replace("$PATH", shape.path)
        for f, _ in pairs:
            for row in self.sparql(shape, text, this=f, **params):
                this = _get(row, "this") or f
                value = _get(row, "value")
                if value is None and shape.path_node is None:
                    value = this
                path = _get(row, "path")
                bindings = {**params, **{v: row[v] for v in _variables(row)}}
                yield f, self.result(shape, c, this, value, path_node=path if path is not None else "shape",
                                     bindings=bindings)


def _prebind(text: str, bindings: dict) -> tuple[str, dict]:
    """Pre-binding (SHACL 5.2.1): each pre-bound variable replaced by its value wherever it occurs,
    inner groups and BIND included; in the SELECT clause it becomes ``(value AS ?var)``.  Blank nodes
    cannot be written in a query: those stay variables, bound through pyoxigraph's substitutions."""
    written = {k: v for k, v in bindings.items() if not _is_blank(v)}
    if not written:
        return text, bindings
    code = _code(text)
    spans = []  # the SELECT clauses, where a value must be written (value AS ?var)
    for m in re.finditer(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?", code, re.I):
        end = re.search(r"\bWHERE\b|\{", code[m.end():], re.I)
        spans.append((m.end(), m.end() + (end.start() if end else 0)))
    names = "|".join(re.escape(k) for k in written)
    pattern = re.compile(rf"\bbound\s*\(\s*[?$]({names})\s*\)|[?$]({names})\b", re.I)
    out, last = [], 0
    for hit in pattern.finditer(code):
        out.append(text[last:hit.start()])
        if hit.group(1):
            out.append("(true)")
        else:
            term = _term(written[hit.group(2)])
            span = next((i for i, (a, b) in enumerate(spans) if a <= hit.start() < b), None)
            if span is None:
                out.append(term)
            elif span == 0 and any(re.search(rf"[?$]{re.escape(hit.group(2))}\b", code[a:b]) for a, b in spans[1:]):
                out.append(hit.group(0))  # the outer SELECT returns what the subquery returns
            else:
                out.append(f"({term} AS ?{hit.group(2)})")
        last = hit.end()
    out.append(text[last:])
    return "".join(out), {k: v for k, v in bindings.items() if k not in written}


def _project(text: str, variables: list[str]) -> str:
    """The query with ``variables`` added to its (top-level) SELECT: pyoxigraph pre-binds only projected ones."""
    code = _code(text)
    m = re.search(r"\bSELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?", code, re.I)
    if m is None:
        return text
    end = re.search(r"\bWHERE\b|\{", code[m.end():], re.I)
    projection = code[m.end(): m.end() + (end.start() if end else 0)]
    if projection.strip() == "*":
        return text
    missing = [v for v in variables if not re.search(rf"[?$]{re.escape(v)}\b", projection)]
    if not missing:
        return text
    return text[: m.end()] + " ".join("?" + v for v in missing) + " " + text[m.end():]


def _ask_as_select(text: str) -> str:
    """An ASK validator as a SELECT that returns one row when the ASK is true (pyoxigraph pre-binds only in SELECT)."""
    code = _code(text)
    m = re.search(r"\bASK\b", code, re.I)
    assert m is not None  # an sh:ask without ASK is refused when the shapes are read
    return text[: m.start()] + "SELECT ?value ?this WHERE " + text[m.end():]


def _get(row, name: str):
    try:
        return row[name]
    except (KeyError, IndexError):
        return None


def _variables(row) -> list[str]:
    try:
        return [v.value for v in row.keys()] if hasattr(row, "keys") else []  # noqa: SIM118 - not a dict
    except Exception:  # noqa: BLE001  # pragma: no cover - a result row without variables
        return []


def _show_param(v) -> str:
    if isinstance(v, list):
        return "(" + " ".join(_show_param(x) for x in v) + ")"
    if _is_named(v):
        return _short(v.value)
    if _is_literal(v):
        return v.value
    return str(v)


def _short(iri: str) -> str:
    for prefix, ns in (("xsd", XSD), ("sh", SH), ("rdf", RDF), ("rdfs", RDFS), ("owl", OWL)):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def run(shapes: ShapesGraph, data: "ox.Store", *, exact: dict | None = None, compiled: bool = True,
        executor=None, memo: dict | None = None) -> list[Result]:
    """Run every shape on ``data`` and return the results, in a stable order.

    ``exact`` maps the literals the store rewrote to the literals as written (see
    :func:`exact_literals`).  ``compiled=False`` evaluates everything set-at-a-time, without
    the one-query-per-constraint fast path (the conformance tests run both).  With a
    ``concurrent.futures`` executor the compiled queries are evaluated on its threads; the
    results are the same, in the same order.  ``memo`` (query text -> solutions) keeps the
    answers of the queries without pre-bound variables between runs: the caller removes those
    an edit can change (the language server's incremental validation).
    """
    r = _Run(shapes, data, exact, compiled)
    r.memo = memo
    try:
        return r.run(executor)
    finally:
        r.close()


def _fill(message: str, focus, value, bindings: dict | None = None, params: dict | None = None) -> str:
    if "{" not in message:
        return message
    out = message
    if "this}" in out:  # each term is shown only when the message uses it (once per finding)
        shown = _show(focus)
        out = out.replace("{$this}", shown).replace("{?this}", shown)
    if "value}" in out:
        shown = _show(value) if value is not None else ""
        out = out.replace("{?value}", shown).replace("{$value}", shown)
    for source in (params or {}), (bindings or {}):
        for name, term in source.items():
            out = out.replace("{?" + name + "}", _show(term)).replace("{$" + name + "}", _show(term))
    return out


def _show(term) -> str:
    if term is None:
        return ""
    if _is_literal(term):
        return term.value
    return term.value if hasattr(term, "value") else str(term)


def report_turtle(results: list[Result], shapes: ShapesGraph | None = None) -> str:
    """The SHACL validation report graph (sh:ValidationReport) of ``results``, as Turtle.

    sh:conforms is true only when there is no result at all (SHACL 3.1), whatever the
    severities (the exit code policy, violations fail unless --fail-on, is the CLI's).
    Each result has sh:focusNode, sh:resultSeverity, sh:sourceShape,
    sh:sourceConstraintComponent, sh:resultMessage, and sh:value, sh:resultPath (a path
    that is a blank node is copied from the shapes) and sh:sourceConstraint when it has them.
    """
    import pyoxigraph as ox

    def sh(name: str) -> "ox.NamedNode":
        return ox.NamedNode(SH + name)

    rdf_type = ox.NamedNode(_RDF_TYPE)
    report = ox.BlankNode("report")
    triples = [ox.Triple(report, rdf_type, sh("ValidationReport")),
               ox.Triple(report, sh("conforms"), ox.Literal("false" if results else "true",
                                                            datatype=ox.NamedNode(XSD + "boolean")))]
    def key(r: Result):
        return (r.shape, str(r.focus), str(r.value), r.component)

    for i, r in enumerate(sorted(results, key=key)):
        res = ox.BlankNode(f"r{i}")
        shape = r.shape_node if r.shape_node is not None else ox.NamedNode(r.shape)
        triples += [ox.Triple(report, sh("result"), res), ox.Triple(res, rdf_type, sh("ValidationResult")),
                    ox.Triple(res, sh("focusNode"), r.focus),
                    ox.Triple(res, sh("resultSeverity"), ox.NamedNode(r.severity_iri)),
                    ox.Triple(res, sh("sourceShape"), shape),
                    ox.Triple(res, sh("sourceConstraintComponent"), ox.NamedNode(r.component_iri)),
                    ox.Triple(res, sh("resultMessage"), ox.Literal(r.message))]
        if r.value is not None:
            triples.append(ox.Triple(res, sh("value"), r.value))
        if r.path_node is not None:
            if _is_blank(r.path_node) and shapes is not None:  # a copy of the path for each result
                head, path = shapes.path_triples(r.path_node, f"r{i}p")
                triples.append(ox.Triple(res, sh("resultPath"), head))
                triples.extend(path)
            else:
                triples.append(ox.Triple(res, sh("resultPath"), r.path_node))
        if r.constraint is not None:
            triples.append(ox.Triple(res, sh("sourceConstraint"), r.constraint))
    return (ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                         prefixes={"sh": SH, "sstsh": SSTSH, "xsd": XSD}) or b"").decode()
