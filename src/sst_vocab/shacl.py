"""A fast SHACL engine: each shape is compiled to one SPARQL query over all its focus nodes.

The shapes in ``shapes/`` are the single definition of the rules; this module only
decides how to run them.  pyshacl evaluates SPARQL-based constraints once per focus
node (re-parsing the query text each time on rdflib), which is what makes it slow at
scale.  Here every constraint becomes one query, run by pyoxigraph's Rust engine.
pyshacl stays available as the reference engine (``engine="pyshacl"``), and the
tests check that both report the same results.

Supported (anything else is refused with a clear error, never silently skipped):

* targets: ``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode``;
* paths: IRI, inverse, alternative, sequence, zero-or-more, one-or-more, zero-or-one;
* property constraints: min/maxCount, datatype (including ill-typed literals), nodeKind,
  class, pattern, languageIn, uniqueLang, disjoint, equals, in, hasValue, min/maxLength,
  and or/and/not/xone over value-level shapes;
* node shapes with ``sh:property`` and SPARQL-based constraints (``sh:sparql``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from .errors import VocabError
from .namespaces import RDF, RDFS, SH, XSD

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

__all__ = ["CompiledShape", "Result", "ShapesGraph", "run"]


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
    SPARQLSelectValidator SPARQLTarget SPARQLTargetType SPARQLUpdateExecutable Severity Shape Target
    TargetType TripleRule UniqueLangConstraintComponent ValidationReport ValidationResult Validator
    Violation Warning XoneConstraintComponent alternativePath and annotationProperty annotationValue
    annotationVarName ask class closed condition conforms construct datatype deactivated declare
    defaultValue description detail disjoint entailment equals expression filterShape flags focusNode
    group hasValue ignoredProperties in intersection inversePath js jsFunctionName jsLibrary jsLibraryURL
    labelTemplate languageIn lessThan lessThanOrEquals maxCount maxExclusive maxInclusive maxLength
    message minCount minExclusive minInclusive minLength name namespace node nodeKind nodeValidator
    nodes not object oneOrMorePath optional or order parameter path pattern predicate prefix prefixes
    property propertyValidator qualifiedMaxCount qualifiedMinCount qualifiedValueShape
    qualifiedValueShapesDisjoint result resultAnnotation resultMessage resultPath resultSeverity
    returnType rule select severity shapesGraph shapesGraphWellFormed sourceConstraint
    sourceConstraintComponent sourceShape sparql subject suggestedShapesGraph target targetClass
    targetNode targetObjectsOf targetSubjectsOf this union uniqueLang update validator value xone
    zeroOrMorePath zeroOrOnePath
    """.split()
)

_SEVERITIES = {SH + "Violation": "Violation", SH + "Warning": "Warning", SH + "Info": "Info"}

# Datatypes whose lexical form SPARQL can check by casting (ill-typed literals fail sh:datatype).
_CASTABLE = {
    XSD + n
    for n in "string boolean integer decimal float double dateTime date time gYear gYearMonth duration "
    "nonNegativeInteger positiveInteger int long short byte".split()
}

_VALUE_KEYS = {"datatype", "nodeKind", "class", "pattern", "flags", "languageIn", "in", "hasValue",
               "minLength", "maxLength"}
_PROPERTY_KEYS = _VALUE_KEYS | {"minCount", "maxCount", "uniqueLang", "disjoint", "equals",
                                "or", "and", "not", "xone"}
_IGNORED = {"path", "severity", "message", "name", "description", "order", "group", "deactivated",
            "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property", "sparql",
            "defaultValue"}


@dataclass(frozen=True)
class Result:
    """One validation result: which shape, which focus node, which value, how bad."""

    shape: str
    severity: str
    focus: "ox.NamedNode | ox.BlankNode"
    message: str
    value: "ox.NamedNode | ox.BlankNode | ox.Literal | None" = None
    path: str | None = None
    component: str = ""


@dataclass
class CompiledShape:
    """A named shape turned into one SPARQL SELECT yielding ``?this`` (and maybe ``?value``)."""

    iri: str
    severity: str
    message: str
    queries: list[tuple[str, str]] = field(default_factory=list)  # (component, SPARQL text)
    path: str | None = None  # SPARQL property path text, for reports
    path_node: object | None = None


class ShapesGraph:
    """The shapes files loaded and compiled, ready to run on any number of vocabularies."""

    def __init__(self, store: "ox.Store", source: str = "shapes") -> None:
        self.store = store
        self.source = source
        self.shapes: list[CompiledShape] = []
        self._compile()

    # -- reading the shapes graph ---------------------------------------------------------
    def _objects(self, node, pred: str) -> list:
        import pyoxigraph as ox

        return [q.object for q in self.store.quads_for_pattern(node, ox.NamedNode(pred), None)]

    def _one(self, node, pred: str):
        values = self._objects(node, pred)
        return values[0] if values else None

    def _list(self, head) -> list:
        import pyoxigraph as ox

        items = []
        nil = ox.NamedNode(RDF + "nil")
        seen = 0
        while head != nil:
            first = self._one(head, RDF + "first")
            if first is None or seen > 10_000:
                raise VocabError(f"malformed RDF list in the shapes ({head})", path=self.source)
            items.append(first)
            head = self._one(head, RDF + "rest")
            seen += 1
        return items

    def _props(self, node) -> dict[str, list]:
        props: dict[str, list] = {}
        for q in self.store.quads_for_pattern(node, None, None):
            p = q.predicate.value
            if p.startswith(SH):
                props.setdefault(p[len(SH):], []).append(q.object)
        return props

    def _name(self, node) -> str:
        return node.value if hasattr(node, "value") and not _is_blank(node) else str(node)

    # -- compiling -------------------------------------------------------------------------
    def _compile(self) -> None:
        import pyoxigraph as ox

        self.lint()
        rows = self.store.query(
            f"""SELECT DISTINCT ?s WHERE {{
                  {{ ?s <{SH}targetClass>|<{SH}targetNode>|<{SH}targetSubjectsOf>|<{SH}targetObjectsOf> ?t }}
                  FILTER NOT EXISTS {{ ?s <{SH}deactivated> true }}
                }} ORDER BY ?s"""
        )
        for row in rows:
            node = row["s"]
            if isinstance(node, ox.BlankNode):
                raise VocabError("every shape with a target must be a named IRI (the rule's ID)", path=self.source)
            self.shapes.append(self._compile_shape(node))

    def lint(self) -> None:
        """Refuse shapes that use an ``sh:`` term SHACL does not define (a typo silently drops a setting)."""
        bad = set()
        for q in self.store:
            for term in (q.predicate, q.object):
                v = getattr(term, "value", None)
                if isinstance(v, str) and v.startswith(SH) and not _is_literal(term) and v[len(SH):] not in SHACL_TERMS:
                    bad.add(v[len(SH):])
        if bad:
            raise VocabError("unknown SHACL term(s) in the shapes: " + ", ".join("sh:" + b for b in sorted(bad)),
                             path=self.source)

    def _compile_shape(self, node) -> CompiledShape:
        props = self._props(node)
        iri = node.value
        sev_node = props.get("severity", [None])[0]
        if sev_node is None or sev_node.value not in _SEVERITIES:
            raise VocabError(f"shape <{iri}> needs sh:severity (sh:Violation, sh:Warning or sh:Info)", path=self.source)
        severity = _SEVERITIES[sev_node.value]
        message = props["message"][0].value if "message" in props else f"fails shape <{iri}>"
        shape = CompiledShape(iri=iri, severity=severity, message=message)
        target = self._target_pattern(props)
        unknown = set(props) - _PROPERTY_KEYS - _IGNORED
        if unknown:
            raise VocabError(
                f"shape <{iri}> uses " + ", ".join("sh:" + k for k in sorted(unknown))
                + ", which the fast engine does not run; use --engine pyshacl",
                path=self.source,
            )
        if "path" in props:
            shape.path_node = props["path"][0]
            shape.path = self._path(props["path"][0])
            self._compile_property(shape, props, target)
        else:
            if set(props) & _PROPERTY_KEYS:
                raise VocabError(f"node shape <{iri}> has value constraints; put them in a property shape",
                                 path=self.source)
            if "property" in props:
                raise VocabError(
                    f"node shape <{iri}> nests sh:property shapes; give each property shape its own name and target",
                    path=self.source,
                )
            for constraint in props.get("sparql", []):
                shape.queries.append(("SPARQLConstraintComponent", self._sparql(constraint, target, iri)))
                msg = self._one(constraint, SH + "message")
                if msg is not None and "message" not in props:
                    shape.message = msg.value
        return shape

    def _target_pattern(self, props: dict[str, list]) -> str:
        parts = []
        for c in props.get("targetClass", []):
            parts.append(f"?this <{RDF}type>/<{RDFS}subClassOf>* {_term(c)} .")
        for p in props.get("targetSubjectsOf", []):
            parts.append(f"?this {_term(p)} [] .")
        for p in props.get("targetObjectsOf", []):
            parts.append(f"[] {_term(p)} ?this .")
        nodes = props.get("targetNode", [])
        if nodes:
            parts.append("VALUES ?this { " + " ".join(_term(n) for n in nodes) + " }")
        if len(parts) == 1 and "VALUES" not in parts[0] and not props.get("targetSubjectsOf") \
                and not props.get("targetObjectsOf"):
            return parts[0]
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return "{ SELECT DISTINCT ?this WHERE { " + union + " } }"

    def _path(self, node) -> str:
        import pyoxigraph as ox

        if isinstance(node, ox.NamedNode):
            return _term(node)
        props = self._props(node)
        if self._one(node, RDF + "first") is not None:
            return "(" + "/".join(self._path(n) for n in self._list(node)) + ")"
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
        return path if path.startswith("(") or path.startswith("<") else f"({path})"

    def _compile_property(self, shape: CompiledShape, props: dict[str, list], target: str) -> None:
        p = shape.path
        add = shape.queries.append
        values = f"{target} ?this {p} ?value ."
        if "minCount" in props:
            n = int(props["minCount"][0].value)
            if n == 1:
                add(("MinCountConstraintComponent",
                     f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} ?_v }} }}"))
            elif n > 1:
                add(("MinCountConstraintComponent",
                     f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?_v }} }} "
                     f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {n})"))
        if "maxCount" in props:
            n = int(props["maxCount"][0].value)
            add(("MaxCountConstraintComponent",
                 f"SELECT ?this WHERE {{ {target} ?this {p} ?_v }} GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {n})"))
        if props.get("uniqueLang") and props["uniqueLang"][0].value == "true":
            add(("UniqueLangConstraintComponent",
                 f"SELECT DISTINCT ?this WHERE {{ {target} ?this {p} ?_v . "
                 f"BIND(LCASE(LANG(?_v)) AS ?_lang) FILTER(?_lang != \"\") }} "
                 f"GROUP BY ?this ?_lang HAVING (COUNT(DISTINCT ?_v) > 1)"))
        for other in props.get("disjoint", []):
            add(("DisjointConstraintComponent",
                 f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this {_term(other)} ?value }}"))
        for other in props.get("equals", []):
            o = _term(other)
            add(("EqualsConstraintComponent",
                 f"SELECT DISTINCT ?this ?value WHERE {{ {target} {{ ?this {p} ?value "
                 f"FILTER NOT EXISTS {{ ?this {o} ?value }} }} UNION {{ ?this {o} ?value "
                 f"FILTER NOT EXISTS {{ ?this {p} ?value }} }} }}"))
        for key in ("or", "and", "xone"):
            for lst in props.get(key, []):
                members = [self._conforms(m) for m in self._list(lst)]
                if key == "or":
                    cond = "!(" + " || ".join(members) + ")"
                elif key == "and":
                    cond = "!(" + " && ".join(members) + ")"
                else:
                    cond = "(" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") != 1"
                add((key.capitalize() + "ConstraintComponent",
                     f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER({cond}) }}"))
        for member in props.get("not", []):
            add(("NotConstraintComponent",
                 f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER({self._conforms(member)}) }}"))
        if "hasValue" in props:
            for v in props["hasValue"]:
                add(("HasValueConstraintComponent",
                     f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} {_term(v)} }} }}"))
        for key, cond in self._value_conditions(props, skip_has_value=True):
            add((key, f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER(!({cond})) }}"))

    def _value_conditions(self, props: dict[str, list], skip_has_value: bool = False) -> Iterator[tuple[str, str]]:
        """(component, SPARQL expression true when ?value conforms) for each value-level constraint."""
        for d in props.get("datatype", []):
            cond = f"isLiteral(?value) && DATATYPE(?value) = {_term(d)}"
            if d.value in _CASTABLE and d.value != XSD + "string":
                cond += f" && COALESCE(isLiteral({_term(d)}(?value)), false)"
            yield "DatatypeConstraintComponent", cond
        for k in props.get("nodeKind", []):
            kinds = {
                "IRI": "isIRI(?value)", "BlankNode": "isBlank(?value)", "Literal": "isLiteral(?value)",
                "BlankNodeOrIRI": "!isLiteral(?value)", "BlankNodeOrLiteral": "!isIRI(?value)",
                "IRIOrLiteral": "!isBlank(?value)",
            }
            yield "NodeKindConstraintComponent", kinds[k.value[len(SH):]]
        for c in props.get("class", []):
            yield "ClassConstraintComponent", f"EXISTS {{ ?value <{RDF}type>/<{RDFS}subClassOf>* {_term(c)} }}"
        for pat in props.get("pattern", []):
            flags = props.get("flags", [None])[0]
            fl = f", {_literal(flags.value)}" if flags is not None else ""
            yield "PatternConstraintComponent", f"!isBlank(?value) && REGEX(STR(?value), {_literal(pat.value)}{fl})"
        for lst in props.get("languageIn", []):
            tags = [t.value for t in self._list(lst)]
            yield "LanguageInConstraintComponent", "isLiteral(?value) && (" + " || ".join(
                f"langMatches(LANG(?value), {_literal(t)})" for t in tags) + ")"
        for lst in props.get("in", []):
            members = self._list(lst)
            yield "InConstraintComponent", "(" + (" || ".join(f"sameTerm(?value, {_term(m)})" for m in members)
                                                  or "false") + ")"
        if not skip_has_value:
            for v in props.get("hasValue", []):
                yield "HasValueConstraintComponent", f"sameTerm(?value, {_term(v)})"
        for n in props.get("minLength", []):
            yield "MinLengthConstraintComponent", f"!isBlank(?value) && STRLEN(STR(?value)) >= {int(n.value)}"
        for n in props.get("maxLength", []):
            yield "MaxLengthConstraintComponent", f"!isBlank(?value) && STRLEN(STR(?value)) <= {int(n.value)}"

    def _conforms(self, node) -> str:
        """A SPARQL expression: does ?value conform to the value-level shape ``node``?"""
        props = self._props(node)
        unknown = set(props) - _VALUE_KEYS - {"message", "severity", "name", "description"}
        if unknown:
            raise VocabError(
                "sh:or/sh:and/sh:not/sh:xone members may only use value constraints, not "
                + ", ".join("sh:" + k for k in sorted(unknown)), path=self.source)
        conds = [f"COALESCE(({c}), false)" for _, c in self._value_conditions(props)]
        return "(" + (" && ".join(conds) or "true") + ")"

    def _sparql(self, constraint, target: str, iri: str) -> str:
        select = self._one(constraint, SH + "select")
        if select is None:
            raise VocabError(f"shape <{iri}>: only sh:select SPARQL constraints are supported", path=self.source)
        text = select.value
        if re.search(r"\bSERVICE\b", text, re.I):
            raise VocabError(f"shape <{iri}>: SERVICE is not allowed in constraints", path=self.source)
        for var in ("$PATH", "$shapesGraph", "$currentShape", "$value"):
            if var in text:
                raise VocabError(f"shape <{iri}>: {var} is not supported by the fast engine", path=self.source)
        prefixes = []
        for pnode in self._objects(constraint, SH + "prefixes"):
            for decl in self._objects(pnode, SH + "declare"):
                prefix = self._one(decl, SH + "prefix")
                ns = self._one(decl, SH + "namespace")
                if prefix is not None and ns is not None:
                    prefixes.append(f"PREFIX {prefix.value}: <{ns.value}>")
        body = text.replace("$this", "?this")
        m = re.search(r"\bWHERE\s*\{", body, re.I) or re.search(r"\{", body)
        if m is None:
            raise VocabError(f"shape <{iri}>: cannot find the WHERE clause of its sh:select", path=self.source)
        # Pre-binding of $this, done as a join: the focus nodes come first in the outer group.
        body = body[: m.end()] + " " + target + " " + body[m.end():]
        return "\n".join(sorted(set(prefixes))) + "\n" + body


def _is_blank(node) -> bool:
    return type(node).__name__ == "BlankNode"


def _is_literal(node) -> bool:
    return type(node).__name__ == "Literal"


def _term(node) -> str:
    """A pyoxigraph term as SPARQL text (pyoxigraph's str() is N-Triples, which SPARQL accepts)."""
    if _is_blank(node):
        raise VocabError(f"blank node {node} cannot be used as a constant in the shapes")
    return str(node)


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _evaluate(data: "ox.Store", shape: CompiledShape, query: str, source: str) -> list:
    """All the solutions of one query (pyoxigraph evaluates it without holding the GIL)."""
    try:
        return list(data.query(query))
    except SyntaxError as exc:
        raise VocabError(f"shape <{shape.iri}> does not compile to valid SPARQL: {exc}", path=source) from exc


def run(shapes: ShapesGraph, data: "ox.Store", executor=None) -> list[Result]:
    """Run every compiled shape on ``data`` and return the results (deduplicated, in a stable order).

    With a ``concurrent.futures`` executor the queries are evaluated on its threads; the
    results are the same, in the same order.
    """
    jobs = [(shape, component, query) for shape in shapes.shapes for component, query in shape.queries]
    if executor is None:
        evaluated = (_evaluate(data, shape, query, shapes.source) for shape, _, query in jobs)
    else:
        futures = [executor.submit(_evaluate, data, shape, query, shapes.source) for shape, _, query in jobs]
        evaluated = (future.result() for future in futures)
    from .progress import update

    results: list[Result] = []
    seen: set[tuple] = set()
    for number, ((shape, component, _), rows) in enumerate(zip(jobs, evaluated)):
        update("checking the shapes", number, len(jobs))
        for row in rows:
            focus = row["this"]
            if focus is None:
                continue
            try:
                value = row["value"]
            except (KeyError, IndexError):
                value = None
            if value is None and component == "SPARQLConstraintComponent":
                value = focus  # SHACL: without ?value, the value is the focus node
            key = (shape.iri, focus, value, component)
            if key in seen:
                continue
            seen.add(key)
            results.append(Result(shape=shape.iri, severity=shape.severity, focus=focus,
                                  message=_fill(shape.message, focus, value), value=value,
                                  path=shape.path, component=component))
    return results


def _fill(message: str, focus, value) -> str:
    if "{" not in message:
        return message
    if "this}" in message:  # each term is shown only when the message uses it (once per finding)
        shown = _show(focus)
        message = message.replace("{$this}", shown).replace("{?this}", shown)
    if "value}" in message:
        shown = _show(value) if value is not None else ""
        message = message.replace("{?value}", shown).replace("{$value}", shown)
    return message


def _show(term) -> str:
    if term is None:
        return ""
    if _is_literal(term):
        return term.value
    return term.value if hasattr(term, "value") else str(term)
