"""JSON-LD: the published context and the compact document, written directly.

JSON-LD is written directly, one dict per subject, using the term definitions of the
shipped context (``context.jsonld``): no JSON-LD processor runs at export time, nothing
is fetched, and the cost is linear.  A value that the term for its property cannot
carry (a typed literal under a language-map term, a literal under an ``@type: @id``
term, ...) is written under the property's compact IRI (``skos:prefLabel``) as a plain
value object, so the document always means exactly the triples it was built from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import VocabError
from ..namespaces import RDF_TYPE

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

__all__ = ["MAX_NESTING", "context_bytes", "context_document", "jsonld_bytes", "to_jsonld"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_GEN_DELIMS = tuple(":/?#[]@")

#: How deep JSON-LD nests blank nodes used once; deeper ones are node objects of their own
#: (``"_:b..."`` references), so no reader needs deep recursion.
MAX_NESTING = 32


@lru_cache(maxsize=1)
def context_bytes() -> bytes:
    """The shipped JSON-LD context file (``sst_vocab/context.jsonld``), byte for byte."""
    from importlib.resources import files

    return files("sst_vocab").joinpath("context.jsonld").read_bytes()


def context_document() -> dict[str, Any]:
    """The published context as a JSON-LD document: ``{"@context": {...}}`` (a fresh copy)."""
    return json.loads(context_bytes())


@dataclass(frozen=True)
class _Term:
    name: str
    kind: str  # "id": @type @id; "lang": @container @language; "typed": @type <datatype>; "plain"
    datatype: str | None
    is_set: bool


class _Context:
    """What the writer needs from the context: prefixes, class terms and property terms by IRI."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        prefixes: dict[str, str] = {}
        for name, value in ctx.items():
            if isinstance(value, str) and not name.startswith("@") and value.endswith(_GEN_DELIMS):
                prefixes[name] = value
        self._prefixes = prefixes
        self.prefix_names = frozenset(prefixes)
        # Longest namespace first, so sstx: wins over sst: for .../sst-vocab/ns#...
        self.namespaces = sorted(((ns, name) for name, ns in prefixes.items()), key=lambda x: (-len(x[0]), x[1]))
        self.classes: dict[str, str] = {}
        self.properties: dict[str, _Term] = {}
        for name, value in ctx.items():
            if name.startswith("@") or name in prefixes:
                continue
            if isinstance(value, str):
                self.classes[self.expand(value)] = name
                continue
            iri = self.expand(value["@id"])
            container = value.get("@container", [])
            containers = {container} if isinstance(container, str) else set(container)
            coerce = value.get("@type")
            if "@language" in containers:
                kind, datatype = "lang", None
            elif coerce == "@id":
                kind, datatype = "id", None
            elif coerce:
                kind, datatype = "typed", self.expand(coerce)
            else:
                kind, datatype = "plain", None
            if iri in self.properties:
                raise ValueError(f"context defines two terms for {iri}")
            self.properties[iri] = _Term(name, kind, datatype, "@set" in containers)
        self._cache: dict[str, str] = {}

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and not local.startswith("//") and prefix in self.prefix_names:
            return self._prefixes[prefix] + local
        return value

    def compact(self, iri: str) -> str:
        """A compact IRI (``skos:broader``) when a prefix fits, else the IRI unchanged."""
        out = self._cache.get(iri)
        if out is None:
            out = self._compact(iri)
            self._cache[iri] = out
        return out

    def _compact(self, iri: str) -> str:
        for ns, name in self.namespaces:
            if iri.startswith(ns):
                local = iri[len(ns) :]
                if not local.startswith("//"):
                    return f"{name}:{local}"
        if iri.partition(":")[0] in self.prefix_names:
            # "status:x" would be read as a compact IRI: no way to write it unambiguously.
            raise VocabError(
                f"the IRI <{iri}> starts with a prefix of the JSON-LD context; it cannot be written as JSON-LD"
            )
        return iri


@lru_cache(maxsize=1)
def _context() -> _Context:
    return _Context(context_document()["@context"])


def _sort_key(value: Any) -> tuple[int, str]:
    if isinstance(value, str):
        return (0, value)
    return (1, json.dumps(value, sort_keys=True, ensure_ascii=False))


def _one_or_many(values: list[Any]) -> Any:
    values.sort(key=_sort_key)
    return values[0] if len(values) == 1 else values


def to_jsonld(vocab: Vocabulary, *, context_url: str | None = None) -> dict[str, Any]:
    """The vocabulary as a compact JSON-LD document: ``{"@context": ..., "@graph": [...]}``.

    ``@graph`` holds one node object per subject, IRIs sorted, then blank nodes; a blank
    node used exactly once as an object is nested where it is used.  With
    ``context_url`` the document references the context by that URL instead of
    embedding it (the URL is not fetched).

    Example::

        doc = to_jsonld(load())
        doc["@graph"][0]["prefLabel"]  # {"en": "..."}
    """
    import pyoxigraph as ox

    ctx = _context()
    compact = ctx.compact
    classes = ctx.classes
    properties = ctx.properties
    BlankNode, NamedNode, Literal = ox.BlankNode, ox.NamedNode, ox.Literal

    source = vocab.source
    tags = source.tags
    by_subject: dict[Any, list[tuple[str, Any]]] = {}
    refs: dict[Any, int] = {}
    for t in source.ordered():
        by_subject.setdefault(t.subject, []).append((t.predicate.value, t.object))
        if isinstance(t.object, BlankNode):
            refs[t.object] = refs.get(t.object, 0) + 1

    # Blank nodes used once are nested in their only user, unless that makes a cycle.
    roots = [s for s in by_subject if not isinstance(s, BlankNode) or refs.get(s, 0) != 1]
    nested: set[Any] = set()

    def reach(start: Any) -> None:
        stack = [(start, 0)]
        while stack:
            node, depth = stack.pop()
            for _, o in by_subject.get(node, ()):
                if (
                    isinstance(o, BlankNode)
                    and refs[o] == 1
                    and o in by_subject
                    and o not in nested
                    and o not in root_set
                ):
                    if depth + 1 > MAX_NESTING:  # deeper: a node object of its own, referenced by label
                        deep.append(o)
                        continue
                    nested.add(o)
                    stack.append((o, depth + 1))

    root_set = set(roots)
    deep: list[Any] = []
    for r in roots:
        reach(r)
    while deep:
        d = deep.pop()
        if d not in root_set and d not in nested:
            root_set.add(d)
            roots.append(d)
            reach(d)
    for s in by_subject:  # cycles of once-used blank nodes: the smallest label becomes a root
        if s not in root_set and s not in nested:
            root_set.add(s)
            roots.append(s)
            reach(s)

    def ref(o: Any) -> Any:
        """An IRI or blank node as a link value (a string under an @type: @id term)."""
        if isinstance(o, BlankNode):
            return node(o) if o in nested else f"_:{o.value}"
        return compact(o.value)

    def literal(o: Any) -> Any:
        direction = getattr(o, "direction", None)
        if o.language:
            out = {"@language": tags.get(o.language, o.language), "@value": o.value}
            if direction is not None:
                out["@direction"] = str(direction.value if hasattr(direction, "value") else direction).lower()
            return out
        dt = o.datatype.value
        if dt == XSD_STRING:
            return o.value
        return {"@type": compact(dt), "@value": o.value}

    def general(o: Any) -> Any:
        """Any value under a key with no coercion or container."""
        if isinstance(o, Literal):
            return literal(o)
        if isinstance(o, BlankNode) and o in nested:
            return node(o)
        return {"@id": ref(o)}

    def node(s: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if not (isinstance(s, BlankNode) and s in nested):
            out["@id"] = f"_:{s.value}" if isinstance(s, BlankNode) else compact(s.value)
        types: list[str] = []
        fallback: dict[str, list[Any]] = {}
        termed: dict[_Term, list[Any]] = {}
        for p, o in by_subject[s]:
            if p == RDF_TYPE and isinstance(o, NamedNode):
                types.append(classes.get(o.value) or compact(o.value))
                continue
            term = properties.get(p)
            if term is not None:
                kind = term.kind
                if kind == "id":
                    if not isinstance(o, Literal):
                        termed.setdefault(term, []).append(ref(o))
                        continue
                elif kind == "lang":
                    if isinstance(o, Literal) and getattr(o, "direction", None) is None:
                        if o.language:
                            termed.setdefault(term, []).append((tags.get(o.language, o.language), o.value))
                            continue
                        if o.datatype.value == XSD_STRING:
                            termed.setdefault(term, []).append(("@none", o.value))
                            continue
                elif kind == "typed":
                    if isinstance(o, Literal) and not o.language and o.datatype.value == term.datatype:
                        termed.setdefault(term, []).append(o.value)
                        continue
                else:
                    termed.setdefault(term, []).append(general(o))
                    continue
            fallback.setdefault(compact(p), []).append(general(o))
        if types:
            out["@type"] = _one_or_many(types)
        for term, values in termed.items():
            if term.kind == "lang":
                langs: dict[str, list[str]] = {}
                for lang, text in values:
                    langs.setdefault(lang, []).append(text)
                out[term.name] = {
                    lang: sorted(texts) if term.is_set else _one_or_many(texts) for lang, texts in langs.items()
                }
            elif term.is_set:
                out[term.name] = sorted(values, key=_sort_key)
            else:
                out[term.name] = _one_or_many(values)
        for key, values in fallback.items():
            out[key] = _one_or_many(values)
        return out

    def root_key(s: Any) -> tuple[int, str]:
        return (1, s.value) if isinstance(s, BlankNode) else (0, s.value)

    graph = [node(s) for s in sorted(root_set, key=root_key)]
    head: Any = context_url if context_url is not None else context_document()["@context"]
    return {"@context": head, "@graph": graph}


def jsonld_bytes(document: dict[str, Any]) -> bytes:
    """The canonical text of a JSON-LD document: keys sorted, 2-space indent, UTF-8, final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
