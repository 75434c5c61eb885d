"""Running compiled shapes on a pyoxigraph store: the compiled queries, then set-at-a-time validation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..errors import VocabError
from ..namespaces import OWL, RDF, RDFS, SH, XSD
from .literals import _lexical_ok
from .model import (
    _DEFAULT_MESSAGES,
    _RDF_TYPE,
    VALUE_COMPONENTS,
    Constraint,
    Result,
    Shape,
    _is_blank,
    _is_literal,
    _is_named,
    _Plan,
    _term,
)
from .shapes import ShapesGraph
from .sparql_text import _ask_as_select, _code, _get, _getter, _placeholders, _prebind, _project, _solutions

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox


# -- running ---------------------------------------------------------------------------------
class _Run:
    """One validation of one data store against a shapes graph."""

    def __init__(self, sg: ShapesGraph, data: ox.Store, exact: dict | None, compiled: bool) -> None:
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
        self._messages: dict = {}  # (shape, constraint) -> its message before the terms are filled in

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
                return _solutions(self.data, text, substitutions=bound)
            return _solutions(self.data, text)
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
    def result(
        self, shape: Shape, c: Constraint, focus, value=None, path_node="shape", message=None, bindings=None
    ) -> Result:
        if message is None:
            key = (shape, c)
            message = self._messages.get(key)
            if message is None:
                message = self._messages[key] = self._message(shape, c)
        message = _fill(message, focus, value, bindings, c.params.get("params"))
        pn = shape.path_node if path_node == "shape" else path_node
        return Result(
            shape=shape.iri,
            severity=shape.severity,
            focus=focus,
            message=message,
            value=value,
            path=shape.path if path_node == "shape" else (_term(pn) if pn is not None else None),
            component=c.component,
            shape_node=shape.node,
            severity_iri=shape.severity_iri,
            path_node=pn,
            constraint=c.node,
        )

    @staticmethod
    def _message(shape: Shape, c: Constraint) -> str:
        """The message of a result of ``c`` before its terms are filled in (the same for every result)."""
        message = c.message if c.message else shape.message if shape.has_message else None
        if message is None:
            template = _DEFAULT_MESSAGES.get(c.kind, "Fails {component}")
            params = {k: _show_param(v) for k, v in c.params.items() if k not in ("query",)}
            params["component"] = c.component
            try:
                message = template.format(**params)
            except (KeyError, IndexError):
                message = template
        return message

    # -- the top level ----------------------------------------------------------------------
    def run(self, executor=None) -> list[Result]:
        from ..progress import update

        if executor is not None and self.compiled:
            # The compiled queries are independent: evaluated ahead on the executor's threads
            # (pyoxigraph releases the GIL), each taken once by the walk below, which stays in order.
            for shape in self.sg.shapes:
                if shape.deactivated or shape.target is None:
                    continue
                for plan in [shape.plan, *(plan for _, plan in shape.sub)]:
                    for _, query in plan.queries:
                        if query not in self._ahead and (self.memo is None or query not in self.memo):
                            self._ahead[query] = executor.submit(_solutions, self.data, query)
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

    def _run_plan(self, shape: Shape, plan: _Plan, focus_nodes) -> None:
        """Run the compiled queries of ``shape``, then the rest of its constraints on its focus nodes."""
        rest = list(plan.rest)
        for c, query in plan.queries:
            if c.kind == "Datatype" and self.exact:
                rest.append(c)  # the store may hold "12"^^xsd:int as "12"^^xsd:integer: check as written
                continue
            rows = self.query(query, shape)
            if not rows:
                continue
            get = _getter(rows)
            sparql = c.kind == "SPARQL"
            message = self._message(shape, c)  # before its terms are filled in: the same for every row
            # the variables the message shows: the same for every row of a query
            variables = _placeholders(getattr(rows, "names", ()), message) if sparql else None
            for row in rows:
                focus = get(row, "this")
                if focus is None:
                    continue
                if sparql:
                    self.results.append(self._sparql_result(shape, c, row, focus, get, variables, message))
                    continue
                value = get(row, "value")
                if self.exact and value is not None and _is_literal(value) and _is_named(shape.path_node):
                    originals = self.exact.get((None if _is_blank(focus) else focus, shape.path_node, value))
                    if originals:
                        self.results.extend(self.result(shape, c, focus, o, message=message) for o in originals)
                        continue
                self.results.append(self.result(shape, c, focus, value, message=message))
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
            raise VocabError(
                f"shape {shape.iri} refers to itself through more than 64 shapes "
                "(recursive shapes are not defined by SHACL)",
                path=self.sg.source,
            )
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
            chunk = plain[i : i + 500]
            text = " ".join(str(self._canonical(v)) for v in chunk)
            rows = self.query(
                f"SELECT ?value WHERE {{ VALUES ?value {{ {text} }} FILTER(!COALESCE(({cond}), false)) }}", shape
            )
            failed = {row["value"] for row in rows}
            bad.update(v for v in chunk if self._canonical(v) in failed or v in failed)
        for v in values:
            if _is_blank(v) and self.query(
                f"SELECT ?value WHERE {{ FILTER(!COALESCE(({cond}), false)) }}", shape, value=v
            ):
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
        if kind in VALUE_COMPONENTS:
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
                    if (
                        (kind == "And" and ok != len(members))
                        or (kind == "Or" and ok == 0)
                        or (kind == "Xone" and ok != 1)
                    ):
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
                rows = self.sparql(shape, c.params["query"], this=f)
                named = _placeholders(getattr(rows, "names", ()), None)
                for row in rows:
                    yield f, self._sparql_result(shape, c, row, f, variables=named)
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
        rows = self.query(
            f"SELECT ?ok WHERE {{ BIND(COALESCE(({_term(self._canonical(a))} {op} "
            f"{_term(self._canonical(b))}), false) AS ?ok) }}"
        )
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
            raise VocabError(
                f"shape {shape.iri}: the SPARQL query must return $this ({exc})", path=self.sg.source
            ) from exc

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

    def _sparql_result(self, shape: Shape, c: Constraint, row, focus, get=None, variables=None, message=None) -> Result:
        """``get``, ``variables``, ``message``: as the caller found them for every row of the query (else read
        from ``row``); ``focus`` is the row's ?this when the caller took it from the row (get is given)."""
        failure = (get or _get)(row, "failure")
        if failure is not None and _is_literal(failure) and failure.value == "true":
            raise VocabError(f"shape {shape.iri}: its SPARQL constraint reported a failure", path=self.sg.source)
        this = focus if get is not None else _get(row, "this") or focus
        get = get or _get
        value = get(row, "value")
        if value is None:
            value = this
        path = get(row, "path")
        bindings = {name: row[i] for i, name in variables or () if row[i] is not None}
        return self.result(
            shape, c, this, value, path_node=path if path is not None else "shape", bindings=bindings, message=message
        )

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
            rows = self.sparql(shape, text, this=f, **params)
            named = _placeholders(getattr(rows, "names", ()), None)
            for row in rows:
                this = _get(row, "this") or f
                value = _get(row, "value")
                if value is None and shape.path_node is None:
                    value = this
                path = _get(row, "path")
                bindings = {**params, **{name: row[i] for i, name in named if row[i] is not None}}
                yield (
                    f,
                    self.result(
                        shape, c, this, value, path_node=path if path is not None else "shape", bindings=bindings
                    ),
                )


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
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def run(
    shapes: ShapesGraph,
    data: ox.Store,
    *,
    exact: dict | None = None,
    compiled: bool = True,
    executor=None,
    memo: dict | None = None,
) -> list[Result]:
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
