"""Reading a shapes graph and compiling its shapes to SPARQL (one query per constraint where one query can say it)."""

from __future__ import annotations

import re
from typing import Any, cast

from ..errors import VocabError
from ..namespaces import OWL, RDF, RDFS, SH, XSD
from .literals import _INT_RANGES
from .model import (
    _NODE_KINDS,
    _RDF_TYPE,
    _SEVERITIES,
    _SPARQL_DATATYPES,
    _TARGETS,
    _TRUE,
    SHACL_TERMS,
    VALUE_COMPONENTS,
    Constraint,
    Shape,
    _is_blank,
    _is_literal,
    _is_named,
    _literal,
    _pick_message,
    _Plan,
    _show_node,
    _term,
)
from .sparql_text import _check_prebinding, _code, _instances, _join, _joinable, _this_subject_of


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
        return {p[len(SH) :]: v for p, v in self._spo.get(node, {}).items() if p.startswith(SH)}

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
                out.append(
                    ox.Triple(
                        cells[i],
                        ox.NamedNode(RDF + "rest"),
                        cells[i + 1] if i + 1 < len(items) else ox.NamedNode(RDF + "nil"),
                    )
                )
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
                if _is_named(term) and term.value.startswith(SH) and term.value[len(SH) :] not in SHACL_TERMS:
                    bad.add(term.value[len(SH) :])
        self.unknown_terms = ["sh:" + b for b in sorted(bad)]
        if bad and self.strict:
            raise VocabError("unknown SHACL term(s) in the shapes: " + ", ".join(self.unknown_terms), path=self.source)

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
                types & {SH + "NodeShape", SH + "PropertyShape"} or SH + "path" in preds
            ):
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
        shape = Shape(
            node=node,
            iri=name,
            severity=sev_name,
            severity_iri=sev_iri,
            message=message or "",
            has_message=bool(message),
        )
        self._shapes[node] = shape  # before reading nested shapes: recursive shapes end here
        shape.deactivated = any(self._is_true(d) for d in props.get("deactivated", []))
        shape.target = self._target_pattern(node, props)
        if "path" in props:
            shape.path_node = props["path"][0]
            shape.path = self._path(shape.path_node)
        shape.constraints = self._constraints(node, props, shape)
        for p in props.get("property", []):
            if self._one(p, SH + "path") is None:  # as pySHACL and Jena: the shapes graph is ill-formed
                raise VocabError(
                    f"shape {shape.iri}: its sh:property {_show_node(p)} has no sh:path (a property shape needs one)",
                    path=self.source,
                )
        shape.properties = [self.shape(p) for p in props.get("property", [])]
        return shape

    def _constraints(self, node, props: dict[str, list], shape: Shape) -> list[Constraint]:
        out: list[Constraint] = []
        add = out.append
        for key in (
            "class",
            "datatype",
            "nodeKind",
            "minExclusive",
            "minInclusive",
            "maxExclusive",
            "maxInclusive",
            "minLength",
            "maxLength",
            "hasValue",
            "equals",
            "disjoint",
            "lessThan",
            "lessThanOrEquals",
            "node",
        ):
            for v in props.get(key, []):
                if key == "nodeKind" and not (_is_named(v) and v.value[len(SH) :] in _NODE_KINDS):
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
                        add(
                            Constraint(
                                key[0].upper() + key[1:] + "ConstraintComponent",
                                {key: v, "shape": qvs, "disjoint": disjoint},
                            )
                        )
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
                    raise VocabError(
                        f"constraint component <{node.value}>: each sh:parameter needs an IRI sh:path", path=self.source
                    )
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
                    self._objects(node, SH + "message")
                )
                kind = "ask" if ask is not None else "select"
                text = self._prefixes(v) + (ask or select).value
                if not re.search(r"\bASK\b" if kind == "ask" else r"\bSELECT\b", _code(text), re.I):
                    raise VocabError(
                        f"constraint component <{node.value}>: sh:{kind} must be a{'n' * (kind == 'ask')} "
                        f"{kind.upper()} query",
                        path=self.source,
                    )
                _check_prebinding(
                    text,
                    [p[0] for p in params] + (["value"] if kind == "ask" else []),
                    f"component <{node.value}>",
                    self.source,
                )
                return (kind, text, msg)

            comps.append(
                {
                    "iri": node.value,
                    "params": params,
                    "validator": validator("validator"),
                    "node": validator("nodeValidator"),
                    "property": validator("propertyValidator"),
                }
            )
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
        if (
            self._types(node) & {RDFS + "Class", OWL + "Class"}
            and (self._types(node) & {SH + "NodeShape", SH + "PropertyShape"} or "path" in props)
            and _is_named(node)
        ):
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
        if len(parts) == 1 and not props.get("targetSubjectsOf") and not props.get("targetObjectsOf") and not given:
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
        preds = self._target_predicates(shape.node)
        shape.plan = self._split(shape, target, preds)
        shape.queries = [(c.component, q) for c, q in shape.plan.queries]
        shape.rest = list(shape.plan.rest)
        if target is not None and shape.path_node is None:
            shape.sub = [(prop, self._split(prop, target, preds)) for prop in shape.properties if not prop.deactivated]

    def _target_predicates(self, node) -> tuple[set[str], set[str]] | None:
        """When the shape's only targets are sh:targetSubjectsOf and sh:targetObjectsOf: (the subjects'
        predicates, the objects' predicates); else None."""
        props = self._props(node)
        if "targetClass" in props or "targetNode" in props:
            return None
        types = self._types(node)
        if types & {RDFS + "Class", OWL + "Class"} and (
            types & {SH + "NodeShape", SH + "PropertyShape"} or "path" in props
        ):
            return None  # an implicit class target
        subjects, objects = props.get("targetSubjectsOf", []), props.get("targetObjectsOf", [])
        if not all(_is_named(p) for p in subjects + objects) or not subjects + objects:
            return None
        return {p.value for p in subjects}, {p.value for p in objects}

    def _path_in_target(self, path, preds: tuple[set[str], set[str]] | None) -> bool:
        """Is every node with a value along ``path`` a focus node of the targets ``preds``?  Then the
        target pattern adds nothing to a query that joins the values (a DISTINCT subquery saved)."""
        if preds is None:
            return False
        if _is_named(path):
            return path.value in preds[0]
        if not _is_blank(path):
            return False
        if self._one(path, RDF + "first") is not None:  # a sequence: its first step
            return self._path_in_target(self._list(path)[0], preds)
        props = self._props(path)
        if "inversePath" in props:
            inner = props["inversePath"][0]
            return _is_named(inner) and inner.value in preds[1]
        if "alternativePath" in props:
            return all(self._path_in_target(p, preds) for p in self._list(props["alternativePath"][0]))
        if "oneOrMorePath" in props:
            return self._path_in_target(props["oneOrMorePath"][0], preds)
        return False  # zero-length paths reach every node

    def _path_pattern(self, path, var: str) -> str:
        """The graph pattern ``?this path var``, an alternative of predicates (or their inverses) written as
        a UNION of triple patterns: oxigraph evaluates an alternative path with both ends free about
        twice as slowly (the compiled queries that use this count distinct values, or are DISTINCT)."""
        if _is_blank(path) and self._one(path, RDF + "first") is None:
            alts = self._props(path).get("alternativePath")
            if alts:
                branches = []
                for member in self._list(alts[0]):
                    inner = self._props(member).get("inversePath", [None])[0] if _is_blank(member) else None
                    if _is_named(member):
                        branches.append(f"{{ ?this {_term(member)} {var} }}")
                    elif inner is not None and _is_named(inner) and self._one(member, RDF + "first") is None:
                        branches.append(f"{{ {var} {_term(inner)} ?this }}")
                    else:
                        break
                else:
                    return " UNION ".join(branches) + " "
        return f"?this {self._path(path)} {var} ."

    def _split(self, shape: Shape, target: str | None, preds=None) -> _Plan:
        plan = _Plan()
        for c in shape.constraints:
            query = self._compile(shape, c, target, preds) if target is not None else None
            if query is None:
                plan.rest.append(c)
            else:
                plan.queries.append((c, query))
        return plan

    def _compile(self, shape: Shape, c: Constraint, target: str, preds=None) -> str | None:
        kind = c.kind
        if kind == "SPARQL" and preds is not None and preds[0] and _this_subject_of(c.params["query"], preds[0]):
            return c.params["query"]  # its own triple pattern selects the focus nodes: no target needed
        if shape.path is None:
            if kind == "SPARQL" and _joinable(c.params["query"]):
                return _join(c.params["query"], target)
            if kind in VALUE_COMPONENTS:
                classes: dict[str, str] = {}
                cond = self._value_condition(c, classes)
                if cond is None:
                    return None
                return (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {target} BIND(?this AS ?value) "
                    f"{_instances(classes, target)}FILTER(!COALESCE(({cond}), false)) }}"
                )
            return None
        p = shape.path
        full_target = target
        if self._path_in_target(shape.path_node, preds):
            target = ""  # for the queries below that join a value: not for MinCount, HasValue, Equals
        values = f"{target} {self._path_pattern(shape.path_node, '?value')}"
        some_value = f"{target} {self._path_pattern(shape.path_node, '?_some')}"  # without ?value (_instances)
        if kind == "MinCount":
            n = int(c.params["minCount"].value)
            if n == 1:
                return f"SELECT ?this WHERE {{ {full_target} FILTER NOT EXISTS {{ ?this {p} ?_v }} }}"
            if n > 1:
                return (
                    f"SELECT ?this WHERE {{ {full_target} OPTIONAL {{ ?this {p} ?_v }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {n})"
                )
            return "SELECT ?this WHERE { FILTER(false) }"
        if kind == "MaxCount":
            n = int(c.params["maxCount"].value)
            return (
                f"SELECT ?this WHERE {{ {target} {self._path_pattern(shape.path_node, '?_v')} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {n})"
            )
        if kind == "UniqueLang":  # one result per language tag used twice
            return (
                f"SELECT ?this ?_lang WHERE {{ {target} {self._path_pattern(shape.path_node, '?_v')} "
                f'BIND(LCASE(LANG(?_v)) AS ?_lang) FILTER(?_lang != "") }} '
                f"GROUP BY ?this ?_lang HAVING (COUNT(DISTINCT ?_v) > 1)"
            )
        if kind == "Disjoint":
            return f"SELECT DISTINCT ?this ?value WHERE {{ {values} ?this {_term(c.params['disjoint'])} ?value }}"
        if kind == "Equals":
            o = _term(c.params["equals"])
            return (
                f"SELECT DISTINCT ?this ?value WHERE {{ {full_target} {{ ?this {p} ?value "
                f"FILTER NOT EXISTS {{ ?this {o} ?value }} }} UNION {{ ?this {o} ?value "
                f"FILTER NOT EXISTS {{ ?this {p} ?value }} }} }}"
            )
        if kind == "HasValue":
            if _is_blank(c.params["hasValue"]):
                return None
            has = _term(c.params["hasValue"])
            return f"SELECT ?this WHERE {{ {full_target} FILTER NOT EXISTS {{ ?this {p} {has} }} }}"
        if kind in ("Or", "And", "Xone", "Not"):
            members = c.params[kind.lower()]
            members = members if isinstance(members, list) else [members]
            classes = {}
            maybe = [self._conforms(m, classes) for m in members]
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
            return f"SELECT DISTINCT ?this ?value WHERE {{ {values} {_instances(classes, some_value)}FILTER({cond}) }}"
        if kind == "SPARQL" and _joinable(c.params["query"]):
            return _join(c.params["query"], full_target)
        classes = {}
        cond = self._value_condition(c, classes)
        if cond is None:
            return None
        instances = _instances(classes, some_value)
        return f"SELECT DISTINCT ?this ?value WHERE {{ {values} {instances}FILTER(!COALESCE(({cond}), false)) }}"

    def _value_condition(self, c: Constraint, classes: dict[str, str] | None = None) -> str | None:
        """A SPARQL expression, true when ?value satisfies the value-level constraint ``c``; None if none.

        With ``classes`` (a whole compiled query), sh:class C is ``BOUND(?_classN)``, and ``classes``
        gets C -> ?_classN: the instances of C are then listed once and hash-joined on ?value
        (:func:`_instances`), where an ``EXISTS`` would walk ``rdf:type/rdfs:subClassOf*`` again for
        every value row (1 s on 22,000 links of the ``wide`` profile, against 0.08 s)."""
        kind, params = c.kind, c.params
        if kind == "Datatype":
            d = params["datatype"]
            if not _is_named(d) or (
                d.value.startswith(XSD) and d.value[len(XSD) :] in _INT_RANGES and d.value != XSD + "integer"
            ):
                return None  # the store keeps "12"^^xsd:int as xsd:integer: checked in Python (_lexical_ok)
            cond = f"isLiteral(?value) && DATATYPE(?value) = {_term(d)}"
            if d.value == XSD + "string":
                cond += ' && LANG(?value) = ""'
            elif _SPARQL_DATATYPES.get(d.value):
                cond += f" && COALESCE(isLiteral({_term(d)}(?value)), false)"
            return cond
        if kind == "NodeKind":
            return _NODE_KINDS[params["nodeKind"].value[len(SH) :]]
        if kind == "Class":
            if _is_blank(params["class"]):
                return None
            cls = _term(params["class"])
            if classes is not None:
                var = classes.setdefault(cls, f"?_class{len(classes)}")
                return f"BOUND({var})"
            return f"EXISTS {{ ?value <{RDF}type>/<{RDFS}subClassOf>* {cls} }}"
        if kind == "Pattern":
            flags = params.get("flags")
            fl = f", {_literal(flags.value)}" if flags is not None else ""
            return f"!isBlank(?value) && REGEX(STR(?value), {_literal(params['pattern'].value)}{fl})"
        if kind == "LanguageIn":
            tags = params["languageIn"]
            return (
                "isLiteral(?value) && ("
                + (" || ".join(f"langMatches(LANG(?value), {_literal(t)})" for t in tags) or "false")
                + ")"
            )
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

    def _conforms(self, node, classes: dict[str, str] | None = None) -> str | None:
        """A SPARQL expression: does ?value conform to the shape ``node``?  None when it needs more than one.
        (``classes``: as in :meth:`_value_condition`.)"""
        if node not in self._shapes and not self._spo.get(node):
            return "true"  # a shape with no triples has no constraints
        shape = self.shape(node)
        if shape.deactivated:
            return "true"
        if shape.path is not None or shape.properties:
            return None
        conds = []
        for c in shape.constraints:
            cond = self._value_condition(c, classes)
            if cond is None:
                return None
            conds.append(f"COALESCE(({cond}), false)")
        return "(" + (" && ".join(conds) or "true") + ")"


def _need_int(v, key: str, shape: Shape, source: str) -> None:
    if not _is_int(v):
        raise VocabError(f"shape {shape.iri}: sh:{key} must be an integer, not {v}", path=source)


def _is_int(v) -> bool:
    return _is_literal(v) and re.fullmatch(r"[+-]?\d+", v.value.strip()) is not None
