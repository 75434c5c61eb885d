"""The triples of the vocabulary by subject, as written in the files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..namespaces import RDF_TYPE

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

# ---------------------------------------------------------------------------
# Reading the graph
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    value: str
    lang: str = ""


class Graph:
    """The triples by subject (the project's one :class:`~sst_vocab.model.SubjectIndex`), with what
    pages need on top: values in a stable order, subjects by IRI, incoming links by object IRI."""

    def __init__(self, quads: list[ox.Quad]) -> None:
        import pyoxigraph as ox

        from ..model import SubjectIndex

        self.NamedNode, self.Literal, self.BlankNode = ox.NamedNode, ox.Literal, ox.BlankNode
        out: dict[Any, dict[str, list[Any]]] = SubjectIndex(quads).props
        incoming: dict[str, list[tuple[Any, str]]] = {}
        for s, props in out.items():
            for p, values in props.items():
                for o in values:
                    if isinstance(o, ox.NamedNode):
                        incoming.setdefault(o.value, []).append((s, p))

        # Sort values by their text; a blank node by its content (its label differs on every
        # parse), so pages that show blank nodes come out the same every time.
        def key(o: Any, depth: int = 0) -> str:
            if not isinstance(o, ox.BlankNode):
                return str(o)
            if depth > 8:
                return "[]"
            inner = sorted(f"{p} {','.join(sorted(key(v, depth + 1) for v in vs))}" for p, vs in out.get(o, {}).items())
            return "[" + "; ".join(inner) + "]"

        for props in out.values():
            for values in props.values():
                values.sort(key=key)
        self.out = out
        self.by_iri: dict[str, dict[str, list[Any]]] = {
            s.value: props for s, props in out.items() if isinstance(s, ox.NamedNode)
        }
        self.incoming = incoming

    def props(self, iri: str) -> dict[str, list[Any]]:
        return self.by_iri.get(iri, {})

    def iris(self, iri: str, prop: str) -> list[str]:
        return [o.value for o in self.props(iri).get(prop, ()) if isinstance(o, self.NamedNode)]

    def texts(self, subject: Any, prop: str) -> list[Text]:
        props = self.out.get(subject, {}) if not isinstance(subject, str) else self.props(subject)
        return [Text(o.value, o.language or "") for o in props.get(prop, ()) if isinstance(o, self.Literal)]

    def types(self, iri: str) -> set[str]:
        return set(self.iris(iri, RDF_TYPE))


def local_name(iri: str) -> str:
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return tail or iri


def humanize(name: str) -> str:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else name
