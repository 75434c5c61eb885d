"""Reconciliation requests: query batches and query objects checked and normalised (plain data in, plain data out)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..errors import VocabError
from ..namespaces import SKOS

#: The most queries one batch may hold (larger batches are refused: 413 over HTTP).
MAX_BATCH = 1000
#: The most candidates one query returns, whatever ``limit`` asks.
MAX_LIMIT = 100
#: Candidates per reconciliation query when it gives no ``limit`` (OpenRefine shows a few per cell).
DEFAULT_LIMIT = 5
#: Suggestions per suggest request when it gives no ``limit``.
SUGGEST_LIMIT = 10

#: The properties a query may filter on (``pid``), with the names suggest offers.
PROPERTIES: dict[str, str] = {
    "broader": "Broader concept (at any depth)",
    "narrower": "Narrower concept (at any depth)",
    "related": "Related concept",
    "inScheme": "In concept scheme",
    "member": "Member of collection",
    "notation": "Notation",
    "exactMatch": "Exact match (mapping IRI)",
    "closeMatch": "Close match (mapping IRI)",
    "broadMatch": "Broad match (mapping IRI)",
    "narrowMatch": "Narrow match (mapping IRI)",
    "relatedMatch": "Related match (mapping IRI)",
}
_PROPERTY_ALIASES = {
    "scheme": "inScheme",
    "collection": "member",
    "broaderTransitive": "broader",
    "narrowerTransitive": "narrower",
}


class BatchTooLarge(VocabError):
    """A batch with more than :data:`MAX_BATCH` queries (HTTP 413)."""


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _property_name(pid: str, prefixes: Mapping[str, str]) -> str | None:
    """A ``pid`` as a known property name or a property IRI; None when it is neither."""
    pid = pid.strip()
    if pid in PROPERTIES:
        return pid
    if pid in _PROPERTY_ALIASES:
        return _PROPERTY_ALIASES[pid]
    iri = pid
    prefix, sep, local = pid.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        iri = prefixes[prefix] + local
    if iri.startswith(SKOS):
        local = iri[len(SKOS) :]
        local = _PROPERTY_ALIASES.get(local, local)
        if local in PROPERTIES:
            return local
        if local == "topConceptOf":
            return "inScheme"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", iri) and ("://" in iri or iri.startswith("urn:")):
        return iri
    return None


def _check_batch(batch: Any) -> dict[str, Any]:
    if not isinstance(batch, dict):
        raise VocabError('a query batch must be a JSON object of queries by key, such as {"q0": {"query": "police"}}')
    if len(batch) > MAX_BATCH:
        raise BatchTooLarge(f"too many queries in one batch ({len(batch)}; at most {MAX_BATCH})")
    return batch


def _check_query(key: str | None, q: Any) -> dict[str, Any]:
    """A query object checked and normalised (``type`` as a list, ``limit`` an int); VocabError when malformed."""
    where = f'query "{key}": ' if key is not None else ""
    if not isinstance(q, dict):
        raise VocabError(f'{where}a query must be a JSON object such as {{"query": "police"}}')
    out: dict[str, Any] = {}
    text = q.get("query")
    if text is not None and not isinstance(text, str):
        raise VocabError(f'{where}"query" must be a string')
    props = q.get("properties")
    if text is None and not props:
        raise VocabError(f'{where}give "query" (the name to match) or "properties"')
    out["query"] = text
    t = q.get("type")
    if t is None or t == "":
        out["type"] = []
    elif isinstance(t, str):
        out["type"] = [t]
    elif isinstance(t, list) and all(isinstance(x, str) for x in t):
        out["type"] = [x for x in t if x]
    else:
        raise VocabError(f'{where}"type" must be a type identifier or a list of them')
    limit = q.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit != int(limit) or limit < 1:
        raise VocabError(f'{where}"limit" must be a positive whole number')
    out["limit"] = min(int(limit), MAX_LIMIT)
    if props is not None:
        if not isinstance(props, list):
            raise VocabError(f'{where}"properties" must be a list of {{"pid": ..., "v": ...}} objects')
        checked = []
        for p in props:
            if not isinstance(p, dict) or not isinstance(p.get("pid"), str) or "v" not in p:
                raise VocabError(f'{where}each property must be an object with "pid" (a string) and "v"')
            values = p["v"] if isinstance(p["v"], list) else [p["v"]]
            for v in values:
                if isinstance(v, dict):
                    if not isinstance(v.get("id"), str):
                        raise VocabError(f'{where}an entity value of property "{p["pid"]}" needs an "id" string')
                elif not isinstance(v, (str, int, float, bool)):
                    raise VocabError(
                        f'{where}property "{p["pid"]}" has a value that is not a string, number, boolean or entity'
                    )
            checked.append({"pid": p["pid"], "v": values})
        out["properties"] = checked
    ts = q.get("type_strict")
    if ts is not None and ts not in ("any", "should", "all"):
        raise VocabError(f'{where}"type_strict" must be "any", "should" or "all"')
    return out


def parse_batch(text: str) -> dict[str, Any]:
    """The JSON text of a ``queries=`` parameter as a batch; VocabError when it is not one."""
    try:
        batch = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise VocabError(f"the queries are not valid JSON: {exc}") from exc
    return _check_batch(batch)


def parse_query(text: str) -> dict[str, Any] | str:
    """The ``query=`` parameter (0.1 style): a JSON query object, or the name itself."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            value = json.loads(stripped)
        except (ValueError, RecursionError) as exc:
            raise VocabError(f"the query is not valid JSON: {exc}") from exc
        return value
    return text
