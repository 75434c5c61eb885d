"""The site's data files: the whole vocabulary in each format, and each page's slice of it.

Every serialization comes from :mod:`sst_vocab.export` (the whole vocabulary is serialized
once; a page's N-Triples and JSON-LD are its slices of those documents, its Turtle and
RDF/XML are the export of those triples).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

_NT_BLANK_OBJECT = re.compile(r" (_:[A-Za-z0-9_][A-Za-z0-9_.\-]*) \.$")


def _nt_by_subject(nt: bytes) -> dict[str, list[str]]:
    """N-Triples lines grouped by subject (``<iri>`` -> iri, ``_:b`` -> ``_:b``)."""
    groups: dict[str, list[str]] = {}
    for line in nt.decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("<"):
            key = line[1 : line.index(">")]
        else:
            key = line.split(" ", 1)[0]
        groups.setdefault(key, []).append(line)
    return groups


def _nt_closure(keys: Iterable[str], groups: dict[str, list[str]]) -> list[str]:
    """The lines of the given subjects and of the blank nodes reachable from them."""
    lines: list[str] = []
    seen: set[str] = set()
    todo = list(keys)
    while todo:
        key = todo.pop(0)
        if key in seen:
            continue
        seen.add(key)
        for line in groups.get(key, ()):
            lines.append(line)
            m = _NT_BLANK_OBJECT.search(line)
            if m and m.group(1) not in seen:
                todo.append(m.group(1))
    return lines


def _is_prefix(name: str, value: Any) -> bool:
    return isinstance(value, str) and not name.startswith("@") and value.endswith(tuple(":/?#[]@"))


def _context_prefixes(ctx: dict[str, Any]) -> dict[str, str]:
    """The context's prefix definitions: name -> namespace."""
    return {k: v for k, v in ctx.items() if _is_prefix(k, v)}


def _keys_and_types(value: Any, keys: set[str], types: set[str], blanks: set[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(k)
            if k == "@type":
                for t in v if isinstance(v, list) else [v]:
                    if isinstance(t, str):
                        types.add(t)
            _keys_and_types(v, keys, types, blanks)
    elif isinstance(value, list):
        for v in value:
            _keys_and_types(v, keys, types, blanks)
    elif isinstance(value, str) and value.startswith("_:"):
        blanks.add(value)


def _pruned_context(ctx: dict[str, Any], nodes: list[dict[str, Any]], keep: frozenset[str]) -> dict[str, Any]:
    """The published context with only the term definitions these nodes use and those in ``keep``.

    Keys and ``@type`` values are the only places a term is used in the documents that
    ``sst_vocab.export.to_jsonld`` writes (``@id`` values and ``@type: @id`` values
    are IRIs, compact IRIs or blank nodes, never terms), so the pruned context
    gives the nodes exactly the same meaning.
    """
    keys: set[str] = set()
    types: set[str] = set()
    _keys_and_types(nodes, keys, types, set())
    used = keys | types
    return {name: value for name, value in ctx.items() if name in keep or name in used}


class DataFiles:
    """The whole vocabulary serialized once per format, sliced into the data files of each page."""

    #: (format for :func:`sst_vocab.export.serialize`, extension) of the whole vocabulary's files.
    FORMATS = (("turtle", ".ttl"), ("ntriples", ".nt"), ("rdfxml", ".rdf"), ("csv", ".csv"))

    def __init__(self, vocab: Vocabulary, source_prefixes: dict[str, str]) -> None:
        from ..export import context_document, jsonld_bytes, serialize, to_jsonld

        self.source_prefixes = source_prefixes
        #: The index's files: extension -> bytes.
        self.whole: dict[str, bytes] = {ext: serialize(vocab, fmt) for fmt, ext in self.FORMATS}
        doc = to_jsonld(vocab)
        self.whole[".jsonld"] = jsonld_bytes(doc)
        self.context: dict[str, Any] = context_document()["@context"]
        self._context_keep = frozenset(
            name for name, value in self.context.items() if name.startswith("@") or _is_prefix(name, value)
        )
        self._nt_groups = _nt_by_subject(self.whole[".nt"])
        self._nodes = self._nodes_by_subject(doc["@graph"])

    def _nodes_by_subject(self, graph: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        prefixes = _context_prefixes(self.context)
        out: dict[str, dict[str, Any]] = {}
        for node in graph:
            ident = node.get("@id", "")
            prefix, sep, local = ident.partition(":")
            if sep and prefix in prefixes and not local.startswith("//"):
                ident = prefixes[prefix] + local
            out[ident] = node
        return out

    def files(self, stem: str, subjects: list[str]) -> tuple[dict[str, bytes], dict[str, Any]]:
        """Turtle, JSON-LD, N-Triples and RDF/XML describing ``subjects`` (their triples, blank nodes
        included), and the JSON-LD document (for the page's head)."""
        import pyoxigraph as ox

        from ..export import jsonld_bytes, serialize
        from ..loader import Vocabulary

        lines = _nt_closure(subjects, self._nt_groups)
        nt = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
        # Turtle and RDF/XML: sst_vocab.export on exactly these triples, with the prefixes they use.
        body = "\n".join(lines) + "\n"
        used = [(p, ns) for p, ns in self.source_prefixes.items() if "<" + ns in body]
        text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in used) + body
        part = Vocabulary(store=ox.Store(), files=[], texts={stem + ".nt": text})
        doc = self.jsonld(subjects)
        return {
            stem + ".ttl": serialize(part, "turtle"),
            stem + ".nt": nt,
            stem + ".rdf": serialize(part, "rdfxml"),
            stem + ".jsonld": jsonld_bytes(doc),
        }, doc

    def has_node(self, iri: str) -> bool:
        return iri in self._nodes

    def jsonld(self, subjects: list[str]) -> dict[str, Any]:
        """The JSON-LD document of ``subjects`` and the blank nodes they reach, with a pruned context."""
        nodes = self._jsonld_nodes(subjects)
        ctx = _pruned_context(self.context, nodes, self._context_keep)
        if len(nodes) == 1:
            return {"@context": ctx, **nodes[0]}
        return {"@context": ctx, "@graph": nodes}

    def _jsonld_nodes(self, subjects: list[str]) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = []
        seen: set[str] = set()
        todo = list(subjects)
        while todo:
            s = todo.pop(0)
            if s in seen or s not in self._nodes:
                continue
            seen.add(s)
            node = self._nodes[s]
            nodes.append(node)
            blanks: set[str] = set()
            _keys_and_types(node, set(), set(), blanks)
            todo.extend(sorted(b for b in blanks if b in self._nodes and b not in seen))
        return nodes
