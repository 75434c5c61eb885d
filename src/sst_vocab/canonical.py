"""A canonical order of triples: blank nodes relabelled from their place in the graph, then sorted.

Used by every export format (so two runs give the same bytes) and by ``fmt`` (so blank nodes
keep stable labels).  Pure Python over pyoxigraph terms; pyoxigraph is imported inside the
functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from .namespaces import RDF_TYPE

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

__all__ = ["sort_quads", "tree_labels"]


class _Named(Protocol):
    @property
    def value(self) -> str: ...


class Statement(Protocol):
    """What :func:`tree_labels` reads of a triple: a ``pyoxigraph`` Quad or Triple, or fmt's own."""

    @property
    def subject(self) -> object: ...

    @property
    def predicate(self) -> _Named: ...

    @property
    def object(self) -> object: ...


def tree_labels(quads: Iterable[Statement]) -> dict | None:
    """Stable labels for blank nodes that form trees (``[ ... ]``, ``( ... )``), or None if some do not.

    Each blank node is named by a hash of what hangs below it and of where it hangs (its
    parent, the property, and its rank among identical siblings), so the labels do not depend
    on how the source was written.  Linear and iterative: 100,000 levels of nesting are fine,
    where RDFC-1.0 takes minutes and deep recursion crashes.
    """
    import hashlib

    import pyoxigraph as ox

    BlankNode = ox.BlankNode
    props: dict = {}
    refs: dict = {}
    for q in quads:
        props.setdefault(q.subject, []).append((q.predicate.value, q.object))
        if isinstance(q.object, BlankNode):
            refs[q.object] = refs.get(q.object, 0) + 1
    blanks = {s for s in props if isinstance(s, BlankNode)} | set(refs)
    if any(n > 1 for n in refs.values()):
        return None

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]

    # content hashes, bottom-up (post-order without recursion)
    content: dict = {}
    for start in blanks:
        if start in content:
            continue
        stack = [(start, False)]
        on_path: set = set()
        while stack:
            node, done = stack.pop()
            if done:
                on_path.discard(node)
                parts = sorted(
                    f"{p} " + ("_:" + content[o] if isinstance(o, BlankNode) else str(o))
                    for p, o in props.get(node, ())
                )
                content[node] = digest("\n".join(parts))
                continue
            if node in content:
                continue
            if node in on_path:
                return None  # a cycle of blank nodes
            on_path.add(node)
            stack.append((node, True))
            stack.extend((o, False) for _, o in props.get(node, ()) if isinstance(o, BlankNode) and o not in content)
    # labels, top-down from IRI subjects and blank roots
    labels: dict = {}

    def name_children(parent_key: str, node) -> list:
        seen: dict = {}
        out = []
        for p, o in sorted(
            ((p, o) for p, o in props.get(node, ()) if isinstance(o, BlankNode)), key=lambda x: (x[0], content[x[1]])
        ):
            k = seen[(p, content[o])] = seen.get((p, content[o]), -1) + 1
            labels[o] = "b" + digest(f"{parent_key} {p} {content[o]} {k}")
            out.append(o)
        return out

    pending = []  # blank nodes named, their children still to name
    for s in props:
        if not isinstance(s, BlankNode):
            pending.extend(name_children(str(s), s))
    roots = sorted((b for b in blanks if b not in refs), key=lambda b: content[b])
    count: dict = {}
    for b in roots:
        k = count[content[b]] = count.get(content[b], -1) + 1
        labels[b] = "b" + digest(f"root {content[b]} {k}")
        pending.append(b)
    while pending:
        node = pending.pop()
        pending.extend(name_children(labels[node], node))
    if len(labels) != len(blanks):
        return None  # a blank node no root reaches (a detached cycle)
    return labels


def sort_quads(quads: list[ox.Quad]) -> list[ox.Quad]:
    import pyoxigraph as ox

    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        labels = tree_labels(quads)
        if labels is not None:
            BlankNode, Quad = ox.BlankNode, ox.Quad
            named = {b: BlankNode(label) for b, label in labels.items()}
            quads = [
                Quad(named.get(q.subject, q.subject), q.predicate, named.get(q.object, q.object), q.graph_name)
                for q in quads
            ]
        else:  # shared or cyclic blank nodes: the W3C canonicalization
            dataset = ox.Dataset(quads)
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
            quads = list(dataset)
    quads.sort(key=lambda q: (str(q.subject), q.predicate.value != RDF_TYPE, str(q.predicate), str(q.object)))
    return quads
