"""Pieces of the serialized vocabulary: a subject's N-Triples lines and JSON-LD nodes, a pruned context."""

from __future__ import annotations

import re
from typing import Any, Iterable

# ---------------------------------------------------------------------------
# Pieces of the serialized vocabulary (sliced from sst_vocab.export's output)
# ---------------------------------------------------------------------------

_NT_BLANK_OBJECT = re.compile(r" (_:[A-Za-z0-9_][A-Za-z0-9_.\-]*) \.$")


def _nt_by_subject(nt: bytes) -> dict[str, list[str]]:
    """N-Triples lines grouped by subject (``<iri>`` -> iri, ``_:b`` -> ``_:b``)."""
    groups: dict[str, list[str]] = {}
    for line in nt.decode("utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("<"):
            key = line[1:line.index(">")]
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


def _pruned_context(ctx: dict[str, Any], nodes: list[dict[str, Any]], keep: frozenset[str] | None = None) -> dict[str, Any]:
    """The published context with only the term definitions these nodes use (prefixes all kept).

    Keys and ``@type`` values are the only places a term is used in the documents that
    ``sst_vocab.export.to_jsonld`` writes (``@id`` values and ``@type: @id`` values
    are IRIs, compact IRIs or blank nodes, never terms), so the pruned context
    gives the nodes exactly the same meaning.
    """
    keys: set[str] = set()
    types: set[str] = set()
    _keys_and_types(nodes, keys, types, set())
    used = keys | types
    if keep is None:
        keep = frozenset(name for name, value in ctx.items() if name.startswith("@") or _is_prefix(name, value))
    return {name: value for name, value in ctx.items() if name in keep or name in used}

