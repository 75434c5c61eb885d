"""How far from its focus node a rule query reads: the nodes an edit can change the answer for.

A query of the fast engine returns rows for focus nodes ``?this``.  When every triple pattern
it holds is joined to ``?this`` through variables (not through constants, values computed
in BIND, or sub-selects), each row for a focus node ``x`` is made of triples within a few
steps of ``x``: a pattern whose nearer end is ``d`` steps from ``?this`` matches triples
``d`` steps from ``x``.  So an edit can change the rows of ``x`` only when ``x`` is within
that many steps (the *radius*) of a node of a triple the edit added or removed, walking
along the predicates of the patterns nearer to ``?this``.  A query whose patterns all start
at ``?this`` has radius 0 (it reads the focus node's own triples); a query that reads the
labels of the focus node's broader concepts has radius 1 (walking along ``skos:broader``).

:func:`radius` reads this from the query text, conservatively: any construct it does not
follow (sub-selects, property paths with ``*``, ``+``, ``?``, nested paths, blank-node property
lists, grouping by anything but ``?this``, GRAPH, SERVICE) gives None, and the query runs in full.
"""

from __future__ import annotations

import re

__all__ = ["radius", "reach"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_PREFIX_DECL = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_TOKEN = re.compile(r"""
     (?P<space>\s+|\#[^\n]*)
    |(?P<str>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
     (?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^(?:<[^<>\s]*>|[A-Za-z][\w.-]*:[\w.-]*))?
    |(?P<iri><[^<>\s"{}|^`\\]*>)
    |(?P<var>[?$][A-Za-z_0-9]\w*)
    |(?P<bnode>_:[\w.-]+|\[\s*\])
    |(?P<pname>(?:[A-Za-z][\w.-]*)?:(?:[A-Za-z_0-9][\w.-]*[\w-]|[A-Za-z_0-9])?)
    |(?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
    |(?P<word>[A-Za-z_]\w*)
    |(?P<punct>[{}()\[\].;,|^/*+?!=<>&]+?)
    """, re.X | re.S)
# the targets the engine writes: a focus node's own triples (depth 0), read as a filter on ?this
_TARGETS = [
    re.compile(r"\?this\s+<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>/"
               r"<http://www\.w3\.org/2000/01/rdf-schema#subClassOf>\*\s+<[^<>\s]*>\s*\.?"),
    re.compile(r"\{\s*SELECT\s+DISTINCT\s+\?this\s+WHERE\s*\{\s*(?:\{\s*\?this\s+<[^<>\s]*>\s+\[\]\s*\.\s*\}\s*"
               r"(?:UNION\s*)?)+\}\s*\}"),
]
# In a UNION branch, an OPTIONAL, MINUS or [NOT] EXISTS group a variable can be bound by that group
# alone, not joined to ?this at all (then every node of the graph would count): so a pattern in such
# a group must hold ?this itself, and its other variable must not be used outside the group.
_GROUPS = {"OPTIONAL", "MINUS", "UNION", "EXISTS", "NOT"}
_REJECT = {"SELECT", "GRAPH", "SERVICE", "CONSTRUCT", "DESCRIBE", "ASK", "FROM", "LIMIT", "OFFSET",
           "VALUES", "GROUP", "ORDER", "HAVING"}


def _tokens(query: str) -> list[tuple[str, str]] | None:
    prefixes = {(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(query)}
    body = _PREFIX_DECL.sub(" ", query)
    body = re.sub(r"\$this\b", "?this", body)
    body = _TARGETS[0].sub(" ?this <urn:x-sst-vocab:target> [] . ", body)
    body = _TARGETS[1].sub(" ", body)
    out = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None:
            return None
        pos = m.end()
        kind, text = m.lastgroup, m.group()
        if kind == "space":
            continue
        if kind == "pname":
            prefix, _, local = text.partition(":")
            if prefix not in prefixes:
                return None
            kind, text = "iri", "<" + prefixes[prefix] + local + ">"
        elif kind == "word" and text == "a":
            kind, text = "iri", f"<{RDF_TYPE}>"
        elif kind == "var":
            text = "?" + text[1:]
        elif kind == "bnode":  # a variable: each [] its own, a _:label one per label
            kind, text = "var", "?_b" + (text[2:] if text.startswith("_:") else f"{len(out)}")
        out.append((kind, text))
    return out


def _skip_balanced(toks: list, i: int, open_: str, close: str) -> int:
    depth = 0
    while i < len(toks):
        t = toks[i][1]
        if t == open_:
            depth += 1
        elif t == close:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def _grouped(toks: list) -> list[int] | None:
    """For each token, how many UNION branches, OPTIONAL, MINUS and EXISTS groups hold it."""
    match: dict[int, int] = {}
    stack = []
    for n, (_, t) in enumerate(toks):
        if t == "{":
            stack.append(n)
        elif t == "}":
            if not stack:
                return None
            match[stack.pop()] = n
    if stack:
        return None
    level = [0] * (len(toks) + 1)
    for start, end in match.items():
        before = toks[start - 1][1].upper() if start else ""
        after = toks[end + 1][1].upper() if end + 1 < len(toks) else ""
        if before in _GROUPS or after == "UNION":
            for n in range(start, end + 1):
                level[n] += 1
    return level


def _patterns(toks: list) -> list[tuple[str, list[frozenset], str, int]] | None:
    """The triple patterns of a WHERE clause: (subject, steps (each a set of predicates), object, group level)."""
    out: list[tuple[str, list[frozenset], str, int]] = []
    level = _grouped(toks)
    if level is None:
        return None
    i = 0
    fresh = 0
    while i < len(toks):
        kind, t = toks[i]
        up = t.upper() if kind == "word" else ""
        if t in "{}." or up in ("OPTIONAL", "MINUS", "UNION"):
            i += 1
            continue
        if up in _REJECT:
            return None
        if up == "FILTER" and i + 1 < len(toks) and toks[i + 1][1].upper() in ("NOT", "EXISTS"):
            i += 2 if toks[i + 1][1].upper() == "EXISTS" else 3  # FILTER [NOT] EXISTS { ... }: a group
            if i >= len(toks) or toks[i - 1][1].upper() != "EXISTS" or toks[i][1] != "{":
                return None
            continue
        if up in ("FILTER", "BIND"):
            j = _skip_balanced(toks, i + 1, "(", ")")
            if any(k == "word" and w.upper() in _REJECT | _GROUPS for k, w in toks[i + 1:j]):
                return None
            i = j
            continue
        if kind not in ("var", "iri"):
            return None  # a literal subject, a collection, a blank-node property list, a keyword not followed
        subject = t
        i += 1
        while True:  # predicate-object lists
            steps: list[frozenset] = []
            current: set[str] = set()
            alternatives = False
            while i < len(toks):
                k, w = toks[i]
                if k == "iri":
                    current.add(w[1:-1])
                elif w == "|" or w == "^":
                    alternatives = alternatives or w == "|"
                elif w in ("(", ")"):  # (a|b|^c): a group of alternatives
                    if w == ")" and i + 1 < len(toks) and toks[i + 1][1] in ("*", "+", "?"):
                        return None
                    alternatives = True
                elif w == "/":
                    if not current or alternatives:  # a|b/c is a | (b/c): not read
                        return None
                    steps.append(frozenset(current))
                    current = set()
                elif k == "var" and not current and not steps:
                    return None  # a variable predicate
                else:
                    break
                i += 1
            if not current or i >= len(toks) or toks[i][1] in ("*", "+", "?", "(", "!") or (alternatives and steps):
                return None
            steps.append(frozenset(current))
            while True:  # objects
                k, w = toks[i]
                if k not in ("var", "iri", "str", "number") and not (k == "word" and w in ("true", "false")):
                    return None
                obj = w if k in ("var", "iri") else f"literal{fresh}"
                fresh += 1
                out.append((subject, steps, obj, level[i]))
                i += 1
                if i < len(toks) and toks[i][1] == ",":
                    i += 1
                    continue
                break
            if i < len(toks) and toks[i][1] == ";":
                i += 1
                if i < len(toks) and toks[i][1] in (".", "}"):
                    break
                continue
            break
    return out


def radius(query: str) -> tuple[int, frozenset[str]] | None:
    """(the radius, the predicates to walk back along) of a rule query, or None when it cannot be read."""
    toks = _tokens(query)
    if toks is None:
        return None
    words = [w.upper() for k, w in toks if k == "word"]
    if not words or words[0] != "SELECT" or "WHERE" not in words:
        return None
    at = next(n for n, (k, w) in enumerate(toks) if k == "word" and w.upper() == "WHERE")
    head = toks[:at]
    if not any(w == "?this" for _, w in head):
        return None
    if any(k == "word" and w.upper() in ("COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT")
           for k, w in toks):
        return None
    where = toks[at + 1:]
    found = _patterns(where)
    if found is None:
        return None
    patterns = [(s, steps, o) for s, steps, o, level in found if not level]
    inner = [(s, steps, o) for s, steps, o, level in found if level]
    outer_vars = {x for s, _, o in patterns for x in (s, o)}
    for s, steps, o in inner:  # a pattern in a group: one step from ?this, its other variable the group's own
        if len(steps) != 1 or "?this" not in (s, o) or ({s, o} - {"?this"}) & outer_vars:
            return None
    if not patterns:
        return 0, frozenset()
    # depth of each variable: steps from ?this through the patterns' variables (a path step adds one)
    edges: list[tuple[str, str, frozenset]] = []
    n = 0
    for s, steps, o in patterns:
        nodes = [s] + [f"?_m{(n := n + 1)}" for _ in steps[:-1]] + [o]
        for k, step in enumerate(steps):
            edges.append((nodes[k], nodes[k + 1], step))
    depth = {"?this": 0}
    changed = True
    while changed:
        changed = False
        for a, b, _ in edges:
            for x, y in ((a, b), (b, a)):
                if x in depth and y.startswith("?") and depth.get(y, 1 << 30) > depth[x] + 1:
                    depth[y] = depth[x] + 1
                    changed = True
    variables = {x for a, b, _ in edges for x in (a, b) if x.startswith("?")}
    joins = [(a, b) for a, b, _ in edges if a.startswith("?") and b.startswith("?")]
    if len(joins) != len(variables) - 1 or any(a == b for a, b in joins):
        return None  # not a tree: a variable reached two ways (its depth would not bound its distance)
    far = 0
    for a, b, _ in edges:
        ends = [depth.get(x) for x in (a, b) if x.startswith("?")]
        if not ends or any(d is None for d in ends):
            return None  # a pattern not joined to ?this through variables
        far = max(far, min(ends))
    walk = frozenset(p for a, b, step in edges for p in step
                     if min(depth.get(x, 1 << 30) for x in (a, b)) < far)
    return far, walk


def reach(store, starts: set, steps: int, predicates: frozenset[str], limit: int) -> set | None:
    """The nodes within ``steps`` of ``starts`` along ``predicates`` (either way); None past ``limit`` nodes."""
    import pyoxigraph as ox

    seen = set(starts)
    frontier = list(starts)
    preds = [ox.NamedNode(p) for p in predicates]
    graph = ox.DefaultGraph()
    for _ in range(steps):
        nxt = []
        for node in frontier:
            for p in preds:
                if not isinstance(node, ox.Literal):
                    for q in store.quads_for_pattern(node, p, None, graph):
                        if q.object not in seen:
                            seen.add(q.object)
                            nxt.append(q.object)
                for q in store.quads_for_pattern(None, p, node, graph):
                    if q.subject not in seen:
                        seen.add(q.subject)
                        nxt.append(q.subject)
            if len(seen) > limit:
                return None
        frontier = nxt
    return seen
