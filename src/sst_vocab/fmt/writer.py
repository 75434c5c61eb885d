"""The writer: a file's triples and comments in the canonical layout (see :mod:`sst_vocab.fmt`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..namespaces import RDF, RDF_TYPE
from .comments import END, EOL, OBJ, PRED, TOP, _Comments
from .layout import _OTHER_GROUP, _PRED_RANK, COMMENT_COLUMN, INDENT, block_order
from .terms import _LOCAL, _choose_prefixes, _escape_iri, _kind, _literal_lines, _term_key

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    _Subject = ox.NamedNode | ox.BlankNode  # the reader refuses triple terms
    _Object = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class _T:
    """A triple for :func:`sst_vocab.export.tree_labels` (predicate as a term with ``.value``)."""

    subject: _Subject
    predicate_iri: str
    object: _Object

    @property
    def predicate(self):
        return _Iri(self.predicate_iri)


@dataclass(frozen=True)
class _Iri:
    value: str


#: Blank nodes nested deeper than this are written as labelled blocks (no deep recursion, no
#: quadratic indentation: 100,000 levels of ``[ ... ]`` format in linear time).
MAX_INLINE_DEPTH = 24


class _Writer:
    def __init__(
        self,
        triples: list,
        declared: dict[str, str],
        comments: _Comments,
        *,
        base: str | None = None,
        declared_base: str | None = None,
        tags: dict[str, str] | None = None,
        source_order: list[str] | None = None,
    ) -> None:
        self.comments = comments
        self.source_order = source_order or []
        #: language tags as written (the parser lower-cases them): lower-case form -> as written
        self.tags = tags or {}
        self.base = base
        self.declared_base = declared_base
        self.props: dict[_Subject, dict[str, list[_Object]]] = {}
        self.refs: Counter = Counter()
        seen = set()
        for t in triples:
            key = (t.subject, t.predicate, t.object)
            if key in seen:
                continue
            seen.add(key)
            self.props.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)
            if _kind(t.object) == "BlankNode":
                self.refs[t.object] += 1
        self.iris = self._collect_iris()
        self.prefixes = _choose_prefixes(declared, self.iris)
        self._ns_sorted = sorted(((ns, name) for name, ns in self.prefixes.items()), key=lambda x: -len(x[0]))
        self.used_prefixes: set[str] = set()
        self.labels: dict[object, str] = {}
        self._inline_cache: dict[object, str] = {}
        self._plan_blank_nodes()

    # -- prefixes ---------------------------------------------------------------------------
    def _collect_iris(self) -> set[str]:
        import pyoxigraph as ox

        iris: set[str] = set()
        for s, pm in self.props.items():
            if isinstance(s, ox.NamedNode):
                iris.add(s.value)
            for p, objs in pm.items():
                iris.add(p)
                for o in objs:
                    if isinstance(o, ox.NamedNode):
                        iris.add(o.value)
                    elif isinstance(o, ox.Literal) and not o.language:
                        iris.add(o.datatype.value)
        return iris

    def iri(self, value: str, predicate: bool = False) -> str:
        if predicate and value == RDF_TYPE:
            return "a"
        for ns, name in self._ns_sorted:
            if value.startswith(ns):
                local = value[len(ns) :]
                if _LOCAL.fullmatch(local):
                    self.used_prefixes.add(name)
                    return f"{name}:{local}"
        return "<" + _escape_iri(self.relative(value)) + ">"

    def relative(self, value: str) -> str:
        """``value`` relative to the base when a simple reference resolves back to it exactly."""
        base = self.base
        if not base or not value.startswith(base[: base.rfind("/") + 1] if "/" in base else base):
            return value
        from ..reading import resolve_iri

        if value == base.split("#", 1)[0] and "#" not in value:
            candidates = [""]
        else:
            candidates = []
            if value.startswith(base.split("#", 1)[0] + "#"):
                candidates.append(value[len(base.split("#", 1)[0]) :])
            folder = base[: base.rfind("/") + 1]
            if folder and value.startswith(folder):
                rest = value[len(folder) :]
                if rest and not rest.startswith(("/", "?", "#")) and ":" not in rest.split("/", 1)[0]:
                    candidates.append(rest)
        for ref in candidates:
            if resolve_iri(ref, base) == value:
                return ref
        return value

    # -- blank nodes ------------------------------------------------------------------------
    def _is_list(self, node) -> bool:
        """A well-formed RDF list whose nodes are blank, used once, and carry only first/rest."""
        seen = set()
        while True:
            if _kind(node) == "NamedNode" and node.value == RDF + "nil":
                return True
            if _kind(node) != "BlankNode" or node in seen or self.refs[node] != 1:
                return False
            seen.add(node)
            pm = self.props.get(node, {})
            if set(pm) != {RDF + "first", RDF + "rest"} or len(pm[RDF + "first"]) != 1 or len(pm[RDF + "rest"]) != 1:
                return False
            node = pm[RDF + "rest"][0]

    def _plan_blank_nodes(self) -> None:
        """Decide which blank nodes are written inline and label the others stably."""
        blanks = {s for s in self.props if _kind(s) == "BlankNode"} | set(self.refs)
        inline: set = set()
        # reachable from roots through single references -> inline
        roots = [s for s in self.props if _kind(s) == "NamedNode" or self.refs[s] == 0]
        labelled = {b for b in blanks if self.refs[b] > 1}

        deep: list = []

        def walk(start) -> None:
            stack = [(start, 0)]
            while stack:
                node, depth = stack.pop()
                for p, objs in self.props.get(node, {}).items():
                    for o in objs:
                        if _kind(o) == "BlankNode" and self.refs[o] == 1 and o not in inline and o not in labelled:
                            d = depth if p == RDF + "rest" else depth + 1  # a list's cells are one level
                            if d > MAX_INLINE_DEPTH:
                                deep.append(o)
                                continue
                            inline.add(o)
                            stack.append((o, d))

        def walk_deep() -> None:
            while deep:  # nested deeper than MAX_INLINE_DEPTH: a labelled block of its own
                b = deep.pop()
                if b not in inline and b not in labelled:
                    labelled.add(b)
                    walk(b)

        for r in roots:
            walk(r)
        for b in sorted(labelled, key=str):
            walk(b)
        walk_deep()
        rest = sorted((b for b in blanks if b not in inline and b not in labelled and self.refs[b] > 0), key=str)
        for b in rest:  # cycles of blank nodes used once each: label one, inline the others
            if b in inline or b in labelled:
                continue
            labelled.add(b)
            walk(b)
            walk_deep()
        self.inline = inline
        # stable labels: by the rendering of each labelled node (other labels hidden) and of what points to it
        self.labels = dict.fromkeys(labelled, "_:?")
        incoming: dict[object, list[str]] = {b: [] for b in labelled}
        for s, pm in self.props.items():
            for p, objs in pm.items():
                for o in objs:
                    if o in incoming:
                        incoming[o].append((s.value if _kind(s) == "NamedNode" else "_:") + " " + p)
        tie = self._tie_breakers(labelled)
        sig = {b: (self._block_body(b), sorted(incoming[b]), tie.get(b, str(b))) for b in labelled}
        self.labels = {b: f"_:b{i + 1}" for i, b in enumerate(sorted(labelled, key=lambda b: sig[b]))}
        self._inline_cache.clear()

    def _tie_breakers(self, labelled: set) -> dict:
        """For blank nodes whose blocks read the same (a deep nesting cut into labelled pieces): a
        label from their place in the graph (:func:`sst_vocab.export.tree_labels`), not from how the
        source named them, so a second run gives the same text."""
        if len(labelled) < 2:
            return {}
        from ..canonical import tree_labels

        triples = [_T(s, p, o) for s, pm in self.props.items() for p, objs in pm.items() for o in objs]
        return tree_labels(triples) or {}

    def _block_body(self, node) -> str:
        return "\n".join(self._po_lines(node, 1))

    # -- terms ------------------------------------------------------------------------------
    def term(self, node, indent: int) -> list[str]:
        """Lines for an object term; the first line is placed after the predicate or indentation."""
        k = _kind(node)
        if k == "NamedNode":
            if node.value == RDF + "nil":
                return ["()"]
            return [self.iri(node.value)]
        if k == "Literal":
            return _literal_lines(node, self)
        if node in self.labels:
            return [self.labels[node]]
        if node in self.inline:
            if self._is_list(node):
                return self._list_lines(node, indent)
            pm = self.props.get(node)
            if not pm:
                return ["[]"]
            return ["["] + self._po_lines(node, indent + 1) + [INDENT * indent + "]"]
        return [self.labels.get(node, "_:" + node.value)]

    def _list_lines(self, node, indent: int) -> list[str]:
        items = []
        while not (_kind(node) == "NamedNode" and node.value == RDF + "nil"):
            pm = self.props[node]
            items.append(pm[RDF + "first"][0])
            node = pm[RDF + "rest"][0]
        rendered = [self.term(i, indent + 1) for i in items]
        flat = "( " + " ".join(r[0] for r in rendered) + " )" if items else "()"
        if all(len(r) == 1 for r in rendered) and len(flat) <= 80:
            return [flat]
        lines = ["("]
        for r in rendered:
            lines.append(INDENT * (indent + 1) + r[0])
            lines.extend(r[1:])
        lines.append(INDENT * indent + ")")
        return lines

    def sort_key(self, node):
        k = _kind(node)
        if k == "NamedNode":
            return (0, node.value, "", "")
        if k == "Literal":
            return (1, (node.language or "").lower(), node.value, "" if node.language else node.datatype.value)
        return (2, self._inline_text(node), "", "")

    def _inline_text(self, node) -> str:
        if node not in self._inline_cache:
            self._inline_cache[node] = "\n".join(self.term(node, 0))
        return self._inline_cache[node]

    # -- blocks -----------------------------------------------------------------------------
    def _pred_key(self, p: str):
        if p in _PRED_RANK:
            return (_PRED_RANK[p][0], _PRED_RANK[p][1], "")
        return (_OTHER_GROUP, 0, p)

    def _po_lines(self, node, indent: int, subject: str | None = None) -> list[str]:
        """The predicate-object lines of ``node``; comments are placed only for a top-level IRI ``subject``."""
        pad = INDENT * indent
        inner = INDENT * (indent + 1)
        lines: list[str] = []
        pm = self.props.get(node, {})
        anch = self.comments.anchored if subject is not None else {}
        for p in sorted(pm, key=self._pred_key):
            objs = pm[p] if len(pm[p]) == 1 else sorted(pm[p], key=self.sort_key)
            pred = self.iri(p, predicate=True)
            pk = _term_key(p)
            before = list(anch.get((PRED, subject, pk), ()))
            okeys = [_term_key(o) for o in objs]
            eols = [anch.get((EOL, subject, pk, ok), []) for ok in okeys]
            befores = [anch.get((OBJ, subject, pk, ok), []) for ok in okeys]
            # one object sits on the predicate's line, so a nested [ ... ] closes at the predicate's indent
            rendered = [self.term(o, indent if len(objs) == 1 else indent + 1) for o in objs]
            one_line_types = p == RDF_TYPE and all(len(r) == 1 for r in rendered) and not any(eols) and not any(befores)
            if len(objs) == 1:
                lines.extend(pad + c for c in before + befores[0])
                body = [pad + pred + " " + rendered[0][0]] + rendered[0][1:]
                body[-1] += " ;"
                if eols[0]:
                    body[-1] = _with_comment(body[-1], eols[0])
                lines.extend(body)
                continue
            lines.extend(pad + c for c in before)
            if one_line_types:
                lines.append(pad + pred + " " + " , ".join(r[0] for r in rendered) + " ;")
                continue
            lines.append(pad + pred)
            for i, r in enumerate(rendered):
                lines.extend(inner + c for c in befores[i])
                body = [inner + r[0]] + r[1:]
                body[-1] += " ;" if i == len(objs) - 1 else " ,"
                if eols[i]:
                    body[-1] = _with_comment(body[-1], eols[i])
                lines.extend(body)
        return lines

    def _relocate_orphans(self, subjects: set[str]) -> list[str]:
        """Comments whose triple is gone (a transform removed it) move up to their predicate or block;
        those whose block is gone are returned, to be kept at the end of the file."""
        present = self._present_anchors()
        anchored = self.comments.anchored
        lost: list[str] = []
        for key in list(anchored):
            kind, s = key[0], key[1]
            if (kind in (TOP, END) and s in subjects) or key in present:
                continue
            texts = anchored.pop(key)
            if s not in subjects:
                lost.extend(texts)
            elif kind in (OBJ, EOL) and (PRED, s, key[2]) in present:
                anchored.setdefault((PRED, s, key[2]), []).extend(texts)
            else:
                anchored.setdefault((TOP, s), []).extend(texts)
        for s in list(self.comments.leading):
            if s not in subjects:
                lost.extend(c for c in self.comments.leading.pop(s) if c)
        return lost

    def render(self) -> str:
        order = block_order(self.props, self.refs, self.labels, self.source_order, self._block_body)
        self._move_blank_comments(set(order))
        subjects = {s.value for s in order if _kind(s) == "NamedNode"} | {s for s in order if _kind(s) == "BlankNode"}
        lost = self._relocate_orphans(subjects)
        anchored = self.comments.anchored
        blocks: list[str] = []
        for s in order:
            lines: list[str] = []
            if _kind(s) == "NamedNode":
                sv = s.value
                lines.extend(self.comments.leading.get(sv, []))
                lines.extend(anchored.get((TOP, sv), []))
                lines.append(self.iri(sv))
                lines.extend(self._po_lines(s, 1, subject=sv))
                lines.extend(INDENT + c for c in anchored.get((END, sv), []))
                lines.append(".")
            elif s in self.labels:
                lines.extend(self.comments.leading.get(s, []))
                lines.extend(anchored.get((TOP, s), []))
                lines.append(self.labels[s])
                lines.extend(self._po_lines(s, 1))
                lines.append(".")
            else:
                lines.extend(self.comments.leading.get(s, []))
                lines.extend(anchored.get((TOP, s), []))
                lines.append("[")
                lines.extend(self._po_lines(s, 1))
                lines.append("] .")
            blocks.append("\n".join(lines))
        out: list[str] = []
        if self.comments.header:
            out.append("\n".join(self.comments.header))
        directives = []
        if self.declared_base:
            directives.append(f"BASE <{_escape_iri(self.declared_base)}>")
        directives.extend(
            f"PREFIX {name}: <{_escape_iri(self.relative(self.prefixes[name]))}>" for name in sorted(self.used_prefixes)
        )
        if directives:
            out.append("\n".join(directives))
        out.extend(blocks)
        trailer = list(self.comments.trailer)
        if lost:
            trailer = lost + ([""] if trailer else []) + trailer
        if trailer:
            out.append("\n".join(trailer))
        return "\n\n".join(out) + "\n" if out else ""

    def _move_blank_comments(self, top: set) -> None:
        """Comments of a blank node written inside another block go to the top of that block."""
        keys = [k for k in self.comments.anchored if _kind(k[1]) == "BlankNode" and k[1] not in top]
        leading = [s for s in self.comments.leading if _kind(s) == "BlankNode" and s not in top]
        if not keys and not leading:
            return
        parent: dict = {}
        for s, pm in self.props.items():
            for objs in pm.values():
                for o in objs:
                    if _kind(o) == "BlankNode":
                        parent.setdefault(o, s)

        def home(node):
            seen = set()
            while node not in top and node in parent and node not in seen:
                seen.add(node)
                node = parent[node]
            if node in top:
                return node.value if _kind(node) == "NamedNode" else node
            return None

        for blank in leading:
            target = home(blank)
            texts = [c for c in self.comments.leading.pop(blank) if c]
            if target is not None:
                self.comments.anchored.setdefault((TOP, target), []).extend(texts)
            else:
                self.comments.trailer = texts + self.comments.trailer
        for k in keys:
            target = home(k[1])
            texts = self.comments.anchored.pop(k)
            if target is not None:
                self.comments.anchored.setdefault((TOP, target), []).extend(texts)
            else:
                self.comments.trailer = texts + self.comments.trailer

    def _present_anchors(self) -> set[tuple]:
        present: set[tuple] = set()
        for s, pm in self.props.items():
            if _kind(s) != "NamedNode":
                continue
            for p, objs in pm.items():
                pk = _term_key(p)
                present.add((PRED, s.value, pk))
                for o in objs:
                    ok = _term_key(o)
                    present.add((OBJ, s.value, pk, ok))
                    present.add((EOL, s.value, pk, ok))
        return present


def _with_comment(line: str, comments: list[str]) -> str:
    text = "  ".join(comments)
    gap = max(2, COMMENT_COLUMN - len(line))
    return line + " " * gap + text
