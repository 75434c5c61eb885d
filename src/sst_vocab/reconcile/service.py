"""The reconciliation service: the answers of the W3C Reconciliation Service API 0.2 as plain data
(manifest, reconciliation, suggest, preview, flyout) over the index."""

from __future__ import annotations

import heapq
import html
import json
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from ..errors import VocabError
from ..namespaces import SKOS, curie
from .index import _KIND_RANK, FOLDED, LITERAL, SCHEMA_SPACE, Index, _Entity, _shorten
from .requests import MAX_BATCH, PROPERTIES, SUGGEST_LIMIT, _check_batch, _check_query, _property_name, _scalar
from .text import canonical, fold


class Service(Index):
    """A reconciliation service over one loaded vocabulary (built once; read-only, so thread-safe).

    ``lang``: the language of the names returned (default: the scheme's ``dct:language``,
    else English when the vocabulary has English labels, else its most common language).
    ``view``: turns a concept IRI into the URL of its page (default: the IRI itself, which
    dereferences once the persistent IRIs are in place).  ``name``: the service's name.
    """

    # -- the manifest ---------------------------------------------------------

    def default_types(self) -> list[dict[str, str]]:
        types = [{"id": t, "name": self.type_names[t]} for t in self.type_members if self.type_members[t]]
        return types or [{"id": SCHEMA_SPACE, "name": "Concept"}]

    def manifest(self, root: str, *, documentation: str | None = None, version: str | None = None) -> dict[str, Any]:
        """The service manifest for a service whose endpoint is at ``root`` (an absolute URL)."""
        out: dict[str, Any] = {
            "versions": ["0.2"],
            "name": self.name,
            "identifierSpace": self.identifier_space,
            "schemaSpace": SCHEMA_SPACE,
            "defaultTypes": self.default_types(),
            "view": {"url": root + "/view?id={{id}}"},
            "preview": {"url": root + "/preview?id={{id}}", "width": 420, "height": 190},
            "suggest": {
                "entity": {
                    "service_url": root,
                    "service_path": "/suggest/entity",
                    "flyout_service_path": "/flyout/entity?id=${id}",
                },
                "type": {"service_url": root, "service_path": "/suggest/type"},
                "property": {"service_url": root, "service_path": "/suggest/property"},
            },
            "batchSize": MAX_BATCH,
        }
        if documentation:
            out["documentation"] = documentation
        if version:
            out["serviceVersion"] = version
        return out

    # -- reconciliation -------------------------------------------------------

    def reconcile(self, batch: Mapping[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """Answer a reconciliation query batch (``{key: query}``); raises VocabError if it is malformed."""
        checked = {key: _check_query(key, q) for key, q in _check_batch(batch).items()}
        return {key: {"result": self._answer(q)} for key, q in checked.items()}

    def reconcile_one(self, query: Mapping[str, Any] | str) -> dict[str, list[dict[str, Any]]]:
        """One query (a string or a query object): ``{"result": [candidates]}``."""
        if isinstance(query, str):
            query = {"query": query}
        return {"result": self._answer(_check_query(None, query))}

    def _answer(self, q: dict[str, Any]) -> list[dict[str, Any]]:
        allowed = self._allowed(q)
        text = q.get("query")
        limit = q["limit"]
        scored: dict[int, tuple[float, int]] = {}  # entity -> (score, best label)
        if text is not None and text.strip():
            direct = self.lookup(text)
            if direct is not None:
                scored[self.by_iri[direct.iri]] = (100.0, -1)
            for n, score in self._candidates(text).items():
                lab = self.labels[n]
                best = scored.get(lab.entity)
                if (
                    best is None
                    or score > best[0]
                    or (score == best[0] and best[1] >= 0 and self._tiebreak(n) < self._tiebreak(best[1]))
                ):
                    scored[lab.entity] = (score, n)
        elif q.get("properties"):
            for i in range(len(self.entities)):
                scored[i] = (50.0, -1)
        results = []
        tiers: dict[int, int] = {}  # how many candidates are exact as written (2), exact when folded (1)
        entities, order, tiebreak = self.entities, self._order, self._tiebreaks
        for i, (score, n) in scored.items():
            if entities[i].deprecated and not self.include_deprecated:
                continue
            if allowed is not None and i not in allowed:
                continue
            tier = 2 if score >= LITERAL else 1 if score >= FOLDED else 0
            tiers[tier] = tiers.get(tier, 0) + 1
            results.append((-score, tiebreak[n] if n >= 0 else (-1, 0, 0), order[i], i, n))
        # A match: the only candidate exact as written, else the only one exact when folded.
        sure = 2 if tiers.get(2) else 1 if tiers.get(1) else 0
        unique = sure > 0 and tiers[sure] == 1
        out = []
        for negative, _, _, i, n in heapq.nsmallest(limit, results):
            score = -negative
            e = self.entities[i]
            # The name in the language of the label matched, when that was (nearly) exact.
            lang = self.labels[n].lang if n >= 0 and score >= 95.0 and self.labels[n].lang in e.names else None
            cand: dict[str, Any] = {
                "id": e.iri,
                "name": self.entity_name(e, lang),
                "score": round(score, 2),
                "match": unique and score >= (LITERAL if sure == 2 else FOLDED),
                "type": self._types(e),
            }
            desc = self._description(e)
            if desc:
                cand["description"] = desc
            if n >= 0:
                lab = self.labels[n]
                cand["features"] = [
                    {"id": "name_score", "value": round(score, 2)},
                    {"id": "matched_" + lab.kind + "_label", "value": True},
                ]
            out.append(cand)
        return out

    def _allowed(self, q: dict[str, Any]) -> frozenset[int] | None:
        """The entities the query's types and properties allow (None: all)."""
        allowed: frozenset[int] | None = None
        # A batch repeats its filters row after row (one type, a column of broader concepts):
        # each filter's set of concepts is computed once per process.
        cache = self._filters

        def narrow(key: str, compute: Callable[[], Iterable[int]]) -> None:
            nonlocal allowed
            ids = cache.get(key)
            if ids is None:
                ids = frozenset(compute())
                if len(cache) < 10_000:
                    cache[key] = ids
            allowed = ids if allowed is None else allowed & ids

        types = q.get("type")
        if types:
            narrow(json.dumps(["type", sorted(types)]), lambda: self._type_filter(types))
        for prop in q.get("properties") or ():
            narrow(
                json.dumps(["property", prop["pid"], prop["v"]], sort_keys=True),
                partial(self._property_filter, prop["pid"], prop["v"]),
            )
        return allowed

    def _type_filter(self, types: list[str]) -> set[int]:
        ids: set[int] = set()
        for t in types:
            t = self._expand(t)
            if t == SCHEMA_SPACE:
                ids.update(range(len(self.entities)))
            else:
                ids.update(self.by_iri[m] for m in self.type_members.get(t, ()))
        return ids

    def _property_filter(self, pid: str, values: list[Any]) -> set[int]:
        name = _property_name(pid, self.prefixes)
        if name is None:
            raise VocabError(f'unknown property "{pid}": use one of {", ".join(PROPERTIES)}, or a property IRI')
        if name == "notation":
            wanted = {fold(str(v.get("name", v["id"])) if isinstance(v, dict) else _scalar(v)) for v in values}
            return {lab.entity for lab in self.labels if lab.kind == "notation" and lab.key in wanted}
        if name in ("broader", "narrower", "related", "inScheme", "member"):
            targets = set()
            for v in values:
                targets |= self._resolve(v)
            if name in ("inScheme", "member"):
                return {self.by_iri[m] for t in targets for m in self.type_members.get(t, ())}
            out = set()
            for i, e in enumerate(self.entities):
                if name == "related":
                    hit = bool(e.related & targets)
                else:
                    hit = bool(self._closure(e.iri, up=(name == "broader")) & targets)
                if hit:
                    out.add(i)
            return out
        # A mapping property or any other property IRI: the values as IRIs or literals.
        import pyoxigraph as ox

        prop_iri = SKOS + name if name in PROPERTIES else name
        iris = set()
        texts = set()
        for v in values:
            if isinstance(v, dict):
                iris.add(self._expand(str(v.get("id", ""))))
                if "name" in v:
                    texts.add(fold(str(v["name"])))
            else:
                s = _scalar(v)
                iris.add(self._expand(s))
                texts.add(fold(s))
        out = set()
        for i, e in enumerate(self.entities):
            for q in self._store_objects(e.iri, prop_iri):
                if (isinstance(q, ox.NamedNode) and q.value in iris) or (
                    isinstance(q, ox.Literal) and fold(q.value) in texts
                ):
                    out.add(i)
                    break
        return out

    # -- suggest, preview, flyout -------------------------------------------------

    def suggest_entities(
        self, prefix: str, *, cursor: int = 0, limit: int = SUGGEST_LIMIT, types: Iterable[str] | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """Entities whose label starts with ``prefix`` (or whose words start with its words), best first."""
        key = fold(prefix or "")
        ranked: dict[int, tuple[int, int, int]] = {}  # entity -> (tier, kind rank, length)
        if key:
            direct = self.lookup(prefix)
            if direct is not None:
                ranked[self.by_iri[direct.iri]] = (0, 0, 0)
            at = bisect_left(self.sorted_keys, (key, -1))
            while at < len(self.sorted_keys) and self.sorted_keys[at][0].startswith(key):
                n = self.sorted_keys[at][1]
                lab = self.labels[n]
                rank = (1 if lab.key != key else 0, _KIND_RANK[lab.kind], len(lab.key))
                if lab.entity not in ranked or rank < ranked[lab.entity]:
                    ranked[lab.entity] = rank
                at += 1
            # Every word of the prefix begins a word of the label, in any order.
            words = [canonical(w) for w in key.split()]
            raw = key.split()
            pools = []
            for w, r in zip(words, raw, strict=True):
                pool: set[int] = set()
                for probe in {w, r}:
                    at = bisect_left(self.words, probe)
                    while at < len(self.words) and self.words[at].startswith(probe):
                        pool.update(self.postings[self.words[at]])
                        at += 1
                pools.append(pool)
            if pools:
                common = set.intersection(*pools)
                for n in common:
                    lab = self.labels[n]
                    rank = (2, _KIND_RANK[lab.kind], len(lab.key))
                    if lab.entity not in ranked or rank < ranked[lab.entity]:
                        ranked[lab.entity] = rank
        allowed = self._allowed({"type": list(types)}) if types else None
        order = sorted(
            (r, self.entity_name(self.entities[i]).casefold(), i)
            for i, r in ranked.items()
            if (allowed is None or i in allowed) and not (self.entities[i].deprecated and not self.include_deprecated)
        )
        out = []
        for _, _, i in order[max(cursor, 0) : max(cursor, 0) + limit]:
            e = self.entities[i]
            item: dict[str, Any] = {"id": e.iri, "name": self.entity_name(e), "notable": self._types(e)}
            desc = self._description(e, 120)
            if desc:
                item["description"] = desc
            out.append(item)
        return {"result": out}

    def suggest_types(self, prefix: str, *, cursor: int = 0, limit: int = SUGGEST_LIMIT) -> dict[str, Any]:
        key = fold(prefix or "")
        found = []
        for t in [*self.type_members, SCHEMA_SPACE]:
            name = self.type_names[t]
            words = fold(name).split()
            if not key or fold(name).startswith(key) or any(w.startswith(key) for w in words) or t == prefix:
                found.append({"id": t, "name": name})
        return {"result": found[max(cursor, 0) : max(cursor, 0) + limit]}

    def suggest_properties(self, prefix: str, *, cursor: int = 0, limit: int = SUGGEST_LIMIT) -> dict[str, Any]:
        key = fold(prefix or "")
        found = [
            {"id": pid, "name": label}
            for pid, label in PROPERTIES.items()
            if not key or fold(pid).startswith(key) or any(w.startswith(key) for w in fold(label).split())
        ]
        return {"result": found[max(cursor, 0) : max(cursor, 0) + limit]}

    def _card_facts(self, e: _Entity) -> dict[str, Any]:
        alts = sorted(
            {
                self.labels[n].text
                for n in e.labels
                if self.labels[n].kind == "alt" and self.labels[n].lang in ("", self.lang)
            }
        )
        notations = sorted({self.labels[n].text for n in e.labels if self.labels[n].kind == "notation"})
        broader = sorted(self.entity_name(self.entities[self.by_iri[b]]) for b in e.broader if b in self.by_iri)
        return {
            "name": self.entity_name(e),
            "alts": alts,
            "notations": notations,
            "broader": broader,
            "definition": self._description(e, 400),
            "types": [self.type_names[t] for t in e.types],
        }

    def preview_html(self, ident: str, view_url: str | None = None) -> str | None:
        """A small HTML card for the concept (everything escaped), or None for an unknown identifier."""
        e = self.lookup(ident)
        if e is None:
            return None
        f = self._card_facts(e)
        esc = html.escape
        parts = [
            f'<!DOCTYPE html>\n<html lang="{esc(self.lang)}"><head><meta charset="utf-8">'
            f'<title>{esc(f["name"])}</title><style>{_CARD_CSS}</style></head><body><div class="card">',
            f"<h1>{esc(f['name'])}</h1>",
        ]
        if f["alts"] or f["notations"]:
            also = " · ".join([*f["notations"], *f["alts"]])
            parts.append(f'<p class="also">{esc(also)}</p>')
        if f["definition"]:
            parts.append(f"<p>{esc(f['definition'])}</p>")
        if f["broader"]:
            parts.append(f'<p class="meta">Broader: {esc(" · ".join(f["broader"]))}</p>')
        if f["types"]:
            parts.append(f'<p class="meta">In: {esc(" · ".join(f["types"]))}</p>')
        target = view_url or e.iri
        parts.append(
            f'<p class="meta"><a href="{esc(target)}" target="_blank" rel="noopener noreferrer">'
            f"{esc(curie(e.iri, self.prefixes))}</a></p></div></body></html>\n"
        )
        return "".join(parts)

    def flyout(self, ident: str) -> dict[str, str] | None:
        """The suggest flyout of a concept: ``{"id", "html"}`` (escaped), or None when unknown."""
        e = self.lookup(ident)
        if e is None:
            return None
        f = self._card_facts(e)
        esc = html.escape
        body = f"<p><strong>{esc(f['name'])}</strong></p>"
        if f["definition"]:
            body += f"<p>{esc(_shorten(f['definition'], 200))}</p>"
        return {"id": ident, "html": body}


_CARD_CSS = (
    "body{margin:0;font:13px/1.4 system-ui,sans-serif;color:#1b1b1b;background:#fff}"
    ".card{padding:8px 10px}h1{font-size:15px;margin:0 0 4px}p{margin:3px 0}"
    ".also,.meta{color:#555;font-size:12px}a{color:#0b5cad}"
)
