"""A subject index of a store: subject -> predicate IRI -> objects, with the lookups the
editing commands (``review``, ``add``, ``deprecate``) share.  Pure Python over the quads."""

from __future__ import annotations

from .namespaces import RDF_TYPE

__all__ = ["SubjectIndex"]


def _kind(term) -> str:
    return type(term).__name__  # NamedNode, BlankNode, Literal


class SubjectIndex:
    """Subject -> predicate IRI -> objects of a store (its default graph as given)."""

    def __init__(self, store) -> None:
        self.props: dict[object, dict[str, list]] = {}
        for q in store:
            self.props.setdefault(q.subject, {}).setdefault(q.predicate.value, []).append(q.object)

    def get(self, node, prop: str) -> list:
        return self.props.get(node, {}).get(prop, [])

    def iris(self, node, prop: str) -> list[str]:
        return sorted(o.value for o in self.get(node, prop) if _kind(o) == "NamedNode")

    def literal(self, node, prop: str) -> str | None:
        """The English value of ``prop`` (``en``, then ``en-*``, then untagged, then any; the smallest text)."""
        best = None
        for o in self.get(node, prop):
            if _kind(o) != "Literal":
                continue
            lang = (o.language or "").lower()
            rank = 0 if lang == "en" else 1 if lang.startswith("en") else 2 if not lang else 3
            if best is None or (rank, o.value) < best:
                best = (rank, o.value)
        return best[1] if best else None

    def subjects_of_type(self, cls: str) -> list:
        return [s for s, pm in self.props.items()
                if _kind(s) == "NamedNode" and any(_kind(o) == "NamedNode" and o.value == cls
                                                   for o in pm.get(RDF_TYPE, []))]
