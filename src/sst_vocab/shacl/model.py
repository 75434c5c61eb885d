"""The SHACL engine's data: the terms of SHACL, results, shapes and constraints as read, and RDF term helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard

from ..errors import VocabError
from ..namespaces import RDF, SH, XSD

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox


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
    XSD + n: cast
    for n, cast in (
        ("string", False),
        ("boolean", True),
        ("integer", True),
        ("decimal", True),
        ("float", True),
        ("double", True),
        ("dateTime", True),
        ("date", True),
        ("time", True),
        ("anyURI", False),
        ("gYear", True),
        ("gYearMonth", True),
        ("duration", True),
    )
}
_SPARQL_DATATYPES[RDF + "langString"] = False

_NODE_KINDS = {
    "IRI": "isIRI(?value)",
    "BlankNode": "isBlank(?value)",
    "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "!isLiteral(?value)",
    "BlankNodeOrLiteral": "!isIRI(?value)",
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


#: The constraint components that test each value on its own (no other value, no other node): checked
#: value by value, and compiled to one FILTER over the values.
VALUE_COMPONENTS = frozenset(
    (
        "Class",
        "Datatype",
        "NodeKind",
        "Pattern",
        "LanguageIn",
        "In",
        "MinLength",
        "MaxLength",
        "MinExclusive",
        "MinInclusive",
        "MaxExclusive",
        "MaxInclusive",
    )
)


@dataclass(frozen=True)
class Result:
    """One validation result: which shape, which focus node, which value, how bad."""

    shape: str
    severity: str
    focus: ox.NamedNode | ox.BlankNode | ox.Literal
    message: str
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None = None
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
        return self.component[: -len("ConstraintComponent")] if ":" not in self.component else "Custom"


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
    properties: list[Shape] = field(default_factory=list)
    queries: list[tuple[str, str]] = field(default_factory=list)  # compiled (component, SPARQL)
    rest: list[Constraint] = field(default_factory=list)  # evaluated set-at-a-time on the focus nodes
    plan: _Plan | None = None
    sub: list = field(default_factory=list)  # (property shape, _Plan) with this shape's target

    def __hash__(self) -> int:
        return id(self)


@dataclass
class _Plan:
    """How a shape's constraints run on the focus nodes of a SPARQL target."""

    queries: list = field(default_factory=list)  # (Constraint, SPARQL text): one query each
    rest: list = field(default_factory=list)  # Constraints evaluated set-at-a-time


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


def _pick_message(messages: list) -> str | None:
    """The message to show: English, else untagged, else the first."""
    if not messages:
        return None
    ranked = sorted(
        messages,
        key=lambda m: (
            0
            if (getattr(m, "language", None) or "").lower().startswith("en")
            else 1
            if not getattr(m, "language", None)
            else 2
        ),
    )
    return ranked[0].value
