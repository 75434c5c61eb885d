"""Export a vocabulary: compact JSON-LD with the published context, Turtle, N-Triples, RDF/XML, CSV.

Every format is built from one sorted list of triples (blank nodes renamed by RDFC-1.0
when there are any), so two runs give the same bytes.

JSON-LD is written directly, one dict per subject, using the term definitions of the
shipped context (``context.jsonld``): no JSON-LD processor runs at export time, nothing
is fetched, and the cost is linear.  A value that the term for its property cannot
carry (a typed literal under a language-map term, a literal under an ``@type: @id``
term, ...) is written under the property's compact IRI (``skos:prefLabel``) as a plain
value object, so the document always means exactly the triples it was built from.
The tests read every output back with rdflib and pyld and compare the graphs.

Nothing here touches the network: ``owl:imports`` is data, and ``--context-url`` is
only written into the document, never fetched.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from .errors import VocabError
from .namespaces import RDF_TYPE

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from .loader import Vocabulary

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Source",
    "context_bytes",
    "context_document",
    "export",
    "jsonld_bytes",
    "parse_source",
    "read_source",
    "serialize",
    "sorted_triples",
    "to_jsonld",
]

#: The export formats, the first is the default.
FORMATS = ("jsonld", "turtle", "ntriples", "rdfxml", "csv")
#: File extension per format (used by ``release``).
EXTENSIONS = {"jsonld": ".jsonld", "turtle": ".ttl", "ntriples": ".nt", "rdfxml": ".rdf", "csv": ".csv"}

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_GEN_DELIMS = tuple(":/?#[]@")


# ---------------------------------------------------------------------------
# The published context
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def context_bytes() -> bytes:
    """The shipped JSON-LD context file (``sst_vocab/context.jsonld``), byte for byte."""
    from importlib.resources import files

    return files(__package__).joinpath("context.jsonld").read_bytes()


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
                local = iri[len(ns):]
                if not local.startswith("//"):
                    return f"{name}:{local}"
        if iri.partition(":")[0] in self.prefix_names:
            # "status:x" would be read as a compact IRI: no way to write it unambiguously.
            raise VocabError(f"the IRI <{iri}> starts with a prefix of the JSON-LD context; it cannot be written as JSON-LD")
        return iri


@lru_cache(maxsize=1)
def _context() -> _Context:
    return _Context(context_document()["@context"])


# ---------------------------------------------------------------------------
# The source triples, exactly, in a stable order
# ---------------------------------------------------------------------------


@dataclass
class Source:
    """A vocabulary as written: its triples (deduplicated, unsorted) and the prefixes its files declare."""

    quads: list["ox.Quad"]
    #: Prefix name -> namespace, sorted by name; the first file declaring a name wins.
    prefixes: dict[str, str]
    #: Language tags as written, by their lower-case form (the parser lower-cases them).
    tags: dict[str, str] = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.tags is None:
            self.tags = {}
        self._ordered: list | None = None

    def ordered(self) -> list["ox.Quad"]:
        """The quads sorted, blank nodes relabelled (see :func:`sorted_triples`); computed once."""
        if self._ordered is None:
            self._ordered = _sorted(self.quads)
        return list(self._ordered)


def read_source(vocab: "Vocabulary") -> Source:
    """The triples exactly as the files state them, and the prefixes the files declare.

    ``vocab.source``: parsed once per loaded vocabulary (by :func:`parse_source`).
    """
    return vocab.source


def parse_source(vocab: "Vocabulary") -> Source:
    """Parse the vocabulary's files again for :func:`read_source`.

    The files are parsed again rather than read from ``vocab.store``: the store keeps
    typed literals by value, so ``"1.50"^^xsd:decimal`` comes back as ``"1.5"`` and
    ``1.0e3`` as ``"1000"``: equal values, but other RDF terms.  Parsing is the cheap
    part (about 50 ms for a 25,000-triple file).  Blank-node labels are scoped per file,
    as when loading.  Without source texts, the store is used.
    """
    import pyoxigraph as ox

    if not vocab.texts:
        return Source(list(vocab.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), {})
    from .reading import parse
    from .turtle_lex import language_tags

    quads: list["ox.Quad"] = []
    prefixes: dict[str, str] = {}
    tags: dict[str, str] = {}
    DefaultGraph, Quad = ox.DefaultGraph(), ox.Quad
    several = len(vocab.texts) > 1
    for n, (path, text) in enumerate(vocab.texts.items()):
        # the same reading as the loader: the file's base, its format; _:x in two files are two nodes
        parsed = parse(text.encode("utf-8"), path, base=vocab.bases.get(path),
                       fmt=vocab.formats.get(path), scope=f"f{n}_" if several else None)
        quads.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph) for t in parsed.triples)
        for name, ns in parsed.prefixes.items():
            prefixes.setdefault(name, ns)
        if parsed.format == "turtle":
            for low, tag in language_tags(text).items():
                tags.setdefault(low, tag)
    dataset = ox.Dataset(quads)  # removes duplicates, keeps every term as written
    return Source(list(dataset), dict(sorted(prefixes.items())), tags)


def tree_labels(quads: list) -> dict | None:  # quads, triples or anything with .subject .predicate .object
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
                parts = sorted(f"{p} " + ("_:" + content[o] if isinstance(o, BlankNode) else str(o))
                               for p, o in props.get(node, ()))
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
        for p, o in sorted(((p, o) for p, o in props.get(node, ()) if isinstance(o, BlankNode)),
                           key=lambda x: (x[0], content[x[1]])):
            k = seen[(p, content[o])] = seen.get((p, content[o]), -1) + 1
            labels[o] = "b" + digest(f"{parent_key} {p} {content[o]} {k}")
            out.append(o)
        return out

    to_name: list = []
    for s in props:
        if not isinstance(s, BlankNode):
            to_name.extend(name_children(str(s), s))
    roots = sorted((b for b in blanks if b not in refs), key=lambda b: content[b])
    count: dict = {}
    for b in roots:
        k = count[content[b]] = count.get(content[b], -1) + 1
        labels[b] = "b" + digest(f"root {content[b]} {k}")
        to_name.append(b)
    while to_name:
        node = to_name.pop()
        to_name.extend(name_children(labels[node], node))
    if len(labels) != len(blanks):
        return None  # a blank node no root reaches (a detached cycle)
    return labels


def _sorted(quads: list["ox.Quad"]) -> list["ox.Quad"]:
    import pyoxigraph as ox

    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        labels = tree_labels(quads)
        if labels is not None:
            BlankNode, Quad = ox.BlankNode, ox.Quad
            named = {b: BlankNode(label) for b, label in labels.items()}
            quads = [Quad(named.get(q.subject, q.subject), q.predicate, named.get(q.object, q.object), q.graph_name)
                     for q in quads]
        else:  # shared or cyclic blank nodes: the W3C canonicalization
            dataset = ox.Dataset(quads)
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
            quads = list(dataset)
    quads.sort(key=lambda q: (str(q.subject), q.predicate.value != RDF_TYPE, str(q.predicate), str(q.object)))
    return quads


def sorted_triples(vocab: "Vocabulary") -> list["ox.Triple"]:
    """The vocabulary's triples, sorted by subject, predicate (rdf:type first), object.

    Lexical forms are kept as written.  Blank nodes are renamed (by :func:`tree_labels`,
    or RDFC-1.0 when some are shared or cyclic) so their labels, and therefore every
    output, do not depend on how the source was written.
    """
    return [q.triple for q in read_source(vocab).ordered()]


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------


def _sort_key(value: Any) -> tuple[int, str]:
    if isinstance(value, str):
        return (0, value)
    return (1, json.dumps(value, sort_keys=True, ensure_ascii=False))


def _one_or_many(values: list[Any]) -> Any:
    values.sort(key=_sort_key)
    return values[0] if len(values) == 1 else values


def to_jsonld(vocab: "Vocabulary", *, context_url: str | None = None) -> dict[str, Any]:
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

    source = read_source(vocab)
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
                if isinstance(o, BlankNode) and refs[o] == 1 and o in by_subject and o not in nested and o not in root_set:
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


# ---------------------------------------------------------------------------
# The other formats
# ---------------------------------------------------------------------------


#: How deep JSON-LD nests blank nodes used once; deeper ones are node objects of their own
#: (``"_:b..."`` references), so no reader needs deep recursion.
MAX_NESTING = 32

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_NAME_AT_END = re.compile(r"[^\W\d][\w.-]*$")


def _check_rdfxml(quads: list["ox.Quad"]) -> None:
    """Refuse what RDF/XML cannot carry (pyoxigraph would write an ill-formed document)."""
    import pyoxigraph as ox

    for q in quads:
        p = q.predicate.value
        if not _XML_NAME_AT_END.search(p):
            raise VocabError(f"cannot be written as RDF/XML: the property <{p}> does not end in an XML name")
        o = q.object
        if isinstance(o, ox.Literal) and _XML_FORBIDDEN.search(o.value):
            raise VocabError(
                f"cannot be written as RDF/XML: a value of {q.subject} <{p}> contains a control "
                "character, which XML 1.0 cannot carry"
            )


def _rdf(vocab: "Vocabulary", fmt: str) -> bytes:
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
    source = read_source(vocab)
    quads = source.ordered()
    prefixes = None if fmt == "ntriples" else source.prefixes
    if fmt == "rdfxml":
        _check_rdfxml(quads)
        # XML namespace prefixes must be XML names (Turtle allows more); the others get generated ones
        prefixes = {k: v for k, v in (prefixes or {}).items()
                    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", k) and not k.lower().startswith("xml")}
    try:
        out = ox.serialize((q.triple for q in quads), format=formats[fmt], prefixes=prefixes)
    except (ValueError, OSError) as exc:
        raise VocabError(f"cannot be written as {fmt}: {exc}") from exc
    assert out is not None  # no output given: the bytes are returned
    if not out.endswith(b"\n"):
        out += b"\n"
    if fmt == "rdfxml":
        out = _fix_rdfxml(out, source.tags)
    else:
        out = _fix_turtle(out, source.tags, numbers=fmt == "turtle", prefixes=prefixes, quads=quads)
    if fmt == "rdfxml":
        import xml.parsers.expat

        try:  # a safety net: never hand out ill-formed XML
            xml.parsers.expat.ParserCreate().Parse(out, True)
        except xml.parsers.expat.ExpatError as exc:
            raise VocabError(f"cannot be written as RDF/XML: the serializer produced ill-formed XML ({exc})") from exc
    if fmt == "turtle" and prefixes:
        # pyoxigraph orders the @prefix lines by namespace length: put them in name order.
        lines = out.split(b"\n")
        n = 0
        while n < len(lines) and lines[n].startswith(b"@prefix "):
            n += 1
        out = b"\n".join(sorted(lines[:n]) + [b""] + lines[n:])
    return out


# In pyoxigraph's Turtle: a literal (short strings only: the serializer escapes line breaks), an
# IRI, a prefixed name with \-escapes, or a bare number (terms start after white space).
_TURTLE_TERMS = re.compile(
    r'(?P<lit>"(?:[^"\\\n\r]|\\.)*")(?P<tag>@[A-Za-z0-9\-]+)?'
    r"|(?P<iri><[^>]*>)"
    r"|(?<!\S)(?P<pfx>[^\s:\\\"<>]*):(?P<local>(?:[^\s\\;,()\[\]\"<>]|\\.)*\\.(?:[^\s\\;,()\[\]\"<>]|\\.)*)"
    r"|(?<!\S)(?P<num>[+-]?(?:[0-9]+\.[0-9]+|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?)(?![^\s;,)\]])"
)
_XML_TAG = re.compile(r'<(?:[^<>"]|"[^"]*")*>')
_XML_LANG = re.compile(r'xml:lang="([^"]*)"')
_XSD = "http://www.w3.org/2001/XMLSchema#"


_LOCAL_ESCAPE = re.compile(rb"\\[_~.\-!$&()*+,;=/?#@%]")
_NUMERIC_TYPES = (_XSD + "integer", _XSD + "decimal", _XSD + "double")


def _odd_numbers(quads) -> bool:
    """Does some number have a lexical form that the serializer would write bare and a reader change?"""
    import pyoxigraph as ox

    from .fmt import bare_number

    Literal = ox.Literal
    for q in quads:
        o = q.object
        if isinstance(o, Literal):
            dt = o.datatype.value
            if dt in _NUMERIC_TYPES and not bare_number(o.value, dt):
                return True
    return False


def _fix_turtle(out: bytes, tags: dict[str, str], numbers: bool, prefixes: dict[str, str] | None = None,
                quads: list | None = None) -> bytes:
    """pyoxigraph's N-Triples/Turtle, with language tags as written and, in Turtle, a bare number
    quoted (``"+1"^^xsd:integer``) when a reader would change its lexical form, and a prefixed
    name with ``\\``-escapes (``p:a\\,b``, legal but misread by rdflib) written as a full IRI."""
    if not tags and not numbers:
        return out
    # The full scan costs ~0.7 s per MB (a Python call per term): run it only when something needs it.
    # A \-escape of a local name never occurs inside the serializer's strings (not an ECHAR).
    escapes = numbers and _LOCAL_ESCAPE.search(out) is not None
    if not tags and not escapes and not (numbers and _odd_numbers(quads)):
        return out
    from .fmt import _escape_iri, bare_number
    from .turtle_lex import unescape_local

    def fix(m: re.Match) -> str:
        if m.group("lit") is not None:
            tag = m.group("tag")
            if tag and tag[1:] in tags:
                return m.group("lit") + "@" + tags[tag[1:]]
            return m.group()
        if m.group("local") is not None:
            ns = (prefixes or {}).get(m.group("pfx"))
            return m.group() if ns is None else "<" + _escape_iri(ns + unescape_local(m.group("local"))) + ">"
        num = m.group("num")
        if num is None or not numbers:
            return m.group()
        dt = _XSD + ("double" if "e" in num.lower() else "decimal" if "." in num else "integer")
        return num if bare_number(num, dt) else f'"{num}"^^<{dt}>'

    return _TURTLE_TERMS.sub(fix, out.decode("utf-8")).encode("utf-8")


def _fix_rdfxml(out: bytes, tags: dict[str, str]) -> bytes:
    """pyoxigraph's RDF/XML, with carriage returns as ``&#13;`` (an XML reader turns a raw one
    into a line feed) and language tags as written."""
    out = out.replace(b"\r", b"&#13;")
    if tags:
        def tag(m: re.Match) -> str:
            return _XML_LANG.sub(lambda a: f'xml:lang="{tags.get(a.group(1), a.group(1))}"', m.group())

        out = _XML_TAG.sub(tag, out.decode("utf-8")).encode("utf-8")
    return out


CSV_HEADER = ("iri", "prefLabel", "altLabels", "definition", "broader", "broaderLabels", "status", "source")
#: Separator between the values of one CSV cell (altLabels, broader, source).
CSV_SEPARATOR = " | "


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv(vocab: "Vocabulary", spreadsheet_safe: bool = False) -> bytes:
    import csv
    import io

    from .api import concepts_of

    def cell(text: str) -> str:
        return "'" + text if spreadsheet_safe and text.startswith(FORMULA_STARTS) else text

    rows = concepts_of(vocab)
    labels = {c.iri: c.pref_label or "" for c in rows}
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for c in rows:
        writer.writerow(
            cell(value) for value in (
                c.iri,
                c.pref_label or "",
                CSV_SEPARATOR.join(c.alt_labels),
                c.definition or "",
                CSV_SEPARATOR.join(c.broader),
                CSV_SEPARATOR.join(labels.get(b, "") for b in c.broader),
                c.status or "",
                CSV_SEPARATOR.join(c.source),
            )
        )
    return buf.getvalue().encode("utf-8")


def serialize(vocab: "Vocabulary", fmt: str = "jsonld", *, context_url: str | None = None,
              spreadsheet_safe: bool = False) -> bytes:
    """A loaded vocabulary in one of :data:`FORMATS`, as UTF-8 bytes (deterministic).

    ``spreadsheet_safe`` (CSV only): a cell that begins with one of :data:`FORMULA_STARTS`
    gets a ``'`` in front, so spreadsheet programs show it as text instead of running it
    as a formula.  Off by default: the CSV then holds the text exactly.
    """
    if fmt not in FORMATS:
        raise VocabError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")
    if context_url is not None and fmt != "jsonld":
        raise VocabError("a context URL only applies to the jsonld format")
    if spreadsheet_safe and fmt != "csv":
        raise VocabError("spreadsheet-safe output only applies to the csv format")
    from .progress import update

    update(f"writing {fmt}")
    if fmt == "jsonld":
        return jsonld_bytes(to_jsonld(vocab, context_url=context_url))
    if fmt == "csv":
        return _csv(vocab, spreadsheet_safe)
    return _rdf(vocab, fmt)


def export(
    paths: Iterable[str | os.PathLike[str]] | None = None,
    fmt: str = "jsonld",
    *,
    context_url: str | None = None,
    spreadsheet_safe: bool = False,
) -> bytes:
    """Load Turtle files (default: the shipped vocabulary) and serialize them (see :func:`serialize`).

    Raises VocabError (with file and line) when the input cannot be read or parsed.

    Example::

        export(fmt="turtle").decode()
    """
    from .loader import load

    if context_url is not None and (not context_url.strip() or any(ch.isspace() for ch in context_url)):
        raise VocabError(f"not a usable context URL: {context_url!r}")
    if spreadsheet_safe and fmt != "csv":
        raise VocabError("spreadsheet-safe output only applies to the csv format")
    from .progress import update

    update("reading the vocabulary")
    return serialize(load(paths), fmt, context_url=context_url, spreadsheet_safe=spreadsheet_safe)

