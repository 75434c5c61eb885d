"""The index of a vocabulary's concepts: labels folded for matching, the candidates and scores
for a name, types (schemes, collections), hierarchy and identifiers (see :mod:`sst_vocab.reconcile`)."""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..namespaces import DCT, OWL, PREFIXES, RDF, RDF_TYPE, RDFS, SKOS
from .requests import _scalar
from .text import STOP_WORDS, _initials, _literal, canonical, fold

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

SCHEMA_SPACE = SKOS + "Concept"

# The properties whose values a query is matched against, and their kinds.
_LABEL_PROPS = (
    (SKOS + "prefLabel", "pref"),
    (SKOS + "notation", "notation"),
    (SKOS + "altLabel", "alt"),
    (SKOS + "hiddenLabel", "hidden"),
    (RDFS + "label", "label"),
)
_KIND_RANK = {"pref": 0, "notation": 1, "alt": 2, "label": 3, "hidden": 4}

#: The score of an exact label, as written (an exact but for accents and punctuation: 2 less).
_EXACT = {"pref": 100.0, "notation": 100.0, "alt": 99.5, "label": 99.0, "hidden": 99.0}
#: Scores from LITERAL up are labels as written; from FOLDED up, exact but for accents and punctuation.
LITERAL, FOLDED = 99.0, 97.0


@dataclass
class _Label:
    entity: int
    kind: str
    text: str
    lang: str
    key: str  # folded
    compact: str  # folded, no spaces
    canon: tuple[str, ...]  # canonical words in order
    content: frozenset[str]  # canonical words, stop words aside
    bag: tuple[str, ...]  # sorted content words (order-free comparison)
    weight: float = 0.0  # sum of the content words' weights


@dataclass
class _Entity:
    iri: str
    labels: list[int] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)  # lang -> prefLabels
    definitions: dict[str, list[str]] = field(default_factory=dict)  # lang -> definitions
    types: list[str] = field(default_factory=list)
    broader: set[str] = field(default_factory=set)
    narrower: set[str] = field(default_factory=set)
    related: set[str] = field(default_factory=set)
    deprecated: bool = False


def _pick(by_lang: Mapping[str, list[str]], lang: str) -> str | None:
    """The best value for ``lang`` by the project's one label rule (:mod:`sst_vocab.model`)."""
    from ..model import language_key

    filled = [k for k in by_lang if by_lang[k]]
    if not filled:
        return None
    best = min(filled, key=lambda k: (language_key(k, lang), k))
    return min(by_lang[best])


def _local_name(iri: str) -> str:
    tail = re.split(r"[/#:]", iri.rstrip("/#"))[-1]
    return tail or iri


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def _is_true(term: Any) -> bool:
    return getattr(term, "value", "").strip().lower() in ("true", "1")


class Index:
    """The concepts of one loaded vocabulary, indexed for matching (built once; read-only)."""

    def __init__(
        self,
        vocab: Vocabulary,
        *,
        lang: str | None = None,
        include_deprecated: bool = False,
        view: Callable[[str], str | None] | None = None,
        name: str | None = None,
    ) -> None:
        import pyoxigraph as ox

        store = vocab.store
        self._store = store
        self._descriptions: dict[tuple[str, int], str | None] = {}
        self._filters: dict[str, frozenset[int]] = {}
        self._objects: dict[str, dict[str, list[Any]]] = {}  # property -> subject -> objects
        self._closures: dict[tuple[str, bool], set[str]] = {}  # (concept, up) -> concepts above/below
        self._view = view
        self.include_deprecated = include_deprecated
        prefixes = dict(PREFIXES)
        for k, v in vocab.prefixes.items():
            prefixes.setdefault(k, v)
        self.prefixes = prefixes

        def iris(s: Any, p: str) -> list[str]:
            return [
                q.object.value
                for q in store.quads_for_pattern(s, ox.NamedNode(p), None)
                if isinstance(q.object, ox.NamedNode)
            ]

        concept_type = ox.NamedNode(SKOS + "Concept")
        rdf_type = ox.NamedNode(RDF_TYPE)
        subjects = sorted(
            {
                q.subject.value
                for q in store.quads_for_pattern(None, rdf_type, concept_type)
                if isinstance(q.subject, ox.NamedNode)
            }
        )
        self.entities: list[_Entity] = [_Entity(iri) for iri in subjects]
        self.by_iri: dict[str, int] = {e.iri: i for i, e in enumerate(self.entities)}
        by_iri = self.by_iri

        # Labels, notations, definitions, deprecation: one pass over each property.
        self.labels: list[_Label] = []
        for prop, kind in _LABEL_PROPS:
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None):
                i = by_iri.get(q.subject.value) if isinstance(q.subject, ox.NamedNode) else None
                if i is None or not isinstance(q.object, ox.Literal):
                    continue
                text = q.object.value
                lang_tag = (q.object.language or "").lower()
                if kind == "pref":
                    self.entities[i].names.setdefault(lang_tag, []).append(text)
                self._add_label(i, kind, text, lang_tag)
        for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "definition"), None):
            i = by_iri.get(q.subject.value) if isinstance(q.subject, ox.NamedNode) else None
            if i is not None and isinstance(q.object, ox.Literal):
                self.entities[i].definitions.setdefault((q.object.language or "").lower(), []).append(q.object.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(OWL + "deprecated"), None):
            i = by_iri.get(q.subject.value) if isinstance(q.subject, ox.NamedNode) else None
            if i is not None and _is_true(q.object):
                self.entities[i].deprecated = True

        # Hierarchy and associations, whichever direction the data states them in.
        for prop, inverse in (
            (SKOS + "broader", False),
            (SKOS + "broaderTransitive", False),
            (SKOS + "narrower", True),
            (SKOS + "narrowerTransitive", True),
        ):
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None):
                if not isinstance(q.subject, ox.NamedNode) or not isinstance(q.object, ox.NamedNode):
                    continue
                child, parent = (q.object.value, q.subject.value) if inverse else (q.subject.value, q.object.value)
                if child == parent:
                    continue
                if child in by_iri:
                    self.entities[by_iri[child]].broader.add(parent)
                if parent in by_iri:
                    self.entities[by_iri[parent]].narrower.add(child)
        for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "related"), None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                for a, b in ((q.subject.value, q.object.value), (q.object.value, q.subject.value)):
                    if a in by_iri:
                        self.entities[by_iri[a]].related.add(b)

        # Types: the schemes and collections each concept belongs to.
        scheme_type = ox.NamedNode(SKOS + "ConceptScheme")
        schemes = sorted(
            {
                q.subject.value
                for q in store.quads_for_pattern(None, rdf_type, scheme_type)
                if isinstance(q.subject, ox.NamedNode)
            }
        )
        members: dict[str, set[str]] = {s: set() for s in schemes}
        for prop in ("inScheme", "topConceptOf"):
            for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + prop), None):
                if (
                    isinstance(q.subject, ox.NamedNode)
                    and isinstance(q.object, ox.NamedNode)
                    and q.subject.value in by_iri
                ):
                    members.setdefault(q.object.value, set()).add(q.subject.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "hasTopConcept"), None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode) and q.object.value in by_iri:
                members.setdefault(q.subject.value, set()).add(q.object.value)
        self.schemes = sorted(members)
        collections = sorted(
            {
                q.subject.value
                for q in store.quads_for_pattern(None, rdf_type, ox.NamedNode(SKOS + "Collection"))
                if isinstance(q.subject, ox.NamedNode)
            }
            | {
                q.subject.value
                for q in store.quads_for_pattern(None, rdf_type, ox.NamedNode(SKOS + "OrderedCollection"))
                if isinstance(q.subject, ox.NamedNode)
            }
        )
        direct: dict[str, set[str]] = {c: set(iris(ox.NamedNode(c), SKOS + "member")) for c in collections}
        for c in collections:
            node = next(iter(store.quads_for_pattern(ox.NamedNode(c), ox.NamedNode(SKOS + "memberList"), None)), None)
            seen: set[str] = set()
            cell = node.object if node is not None else None
            while cell is not None and not isinstance(cell, ox.Literal) and str(cell) not in seen:
                seen.add(str(cell))
                first = next(iter(store.quads_for_pattern(cell, ox.NamedNode(RDF + "first"), None)), None)
                if first is not None and isinstance(first.object, ox.NamedNode):
                    direct[c].add(first.object.value)
                rest = next(iter(store.quads_for_pattern(cell, ox.NamedNode(RDF + "rest"), None)), None)
                cell = rest.object if rest is not None and rest.object != ox.NamedNode(RDF + "nil") else None
        for c in collections:  # a collection's collections' members belong to it too
            todo, done, found = list(direct[c]), {c}, set()
            while todo:
                m = todo.pop()
                if m in done:
                    continue
                done.add(m)
                if m in direct:
                    todo.extend(direct[m])
                elif m in by_iri:
                    found.add(m)
            members[c] = found
        self.type_members: dict[str, set[str]] = {t: members[t] for t in dict.fromkeys((*self.schemes, *collections))}
        for t, ms in self.type_members.items():
            for m in ms:
                self.entities[by_iri[m]].types.append(t)

        self.lang = (lang or self._language(store, ox)).lower()
        self.type_names = {t: self._name_of(store, ox, t) for t in self.type_members}
        self.type_names[SCHEMA_SPACE] = "Concept"
        main = (
            max(self.schemes, key=lambda s: (len(self.type_members[s]), -self.schemes.index(s)))
            if self.schemes
            else None
        )
        self.scheme = main
        self.name = name or (self.type_names[main] if main else "SKOS concepts")
        self.identifier_space = self._identifier_space(main)
        self._finish()

    # -- building ------------------------------------------------------------

    def _add_label(self, entity: int, kind: str, text: str, lang: str) -> None:
        key = fold(text)
        if not key:
            return
        words = key.split()
        canon = tuple(canonical(w) for w in words)
        content = [w for w in canon if w not in STOP_WORDS] or list(canon)
        self.labels.append(
            _Label(
                entity, kind, text, lang, key, key.replace(" ", ""), canon, frozenset(content), tuple(sorted(content))
            )
        )
        self.entities[entity].labels.append(len(self.labels) - 1)

    def _finish(self) -> None:
        """The lookup tables: exact keys, word postings, word weights (rarer words weigh more)."""
        self.exact: dict[str, list[int]] = {}
        self.compact: dict[str, list[int]] = {}
        self.canon: dict[tuple[str, ...], list[int]] = {}
        self.bags: dict[tuple[str, ...], list[int]] = {}
        self.initials: dict[str, list[int]] = {}
        self.postings: dict[str, list[int]] = {}
        df: dict[str, set[int]] = {}
        for n, lab in enumerate(self.labels):
            self.exact.setdefault(lab.key, []).append(n)
            self.compact.setdefault(lab.compact, []).append(n)
            self.canon.setdefault(lab.canon, []).append(n)
            self.bags.setdefault(lab.bag, []).append(n)
            if lab.kind in ("pref", "alt", "label"):
                for acronym in _initials(lab.key.split()):
                    self.initials.setdefault(acronym, []).append(n)
            for w in set(lab.canon):
                self.postings.setdefault(w, []).append(n)
                df.setdefault(w, set()).add(lab.entity)
        total = max(len(self.entities), 1)
        self.weights = {w: math.log(1.0 + total / len(es)) for w, es in df.items()}
        for w in STOP_WORDS:
            if w in self.weights:
                self.weights[w] *= 0.2
        for lab in self.labels:
            lab.weight = sum(self.weights.get(w, 1.0) for w in lab.content)
        self.words = sorted(self.postings)
        # Sort keys computed once: ties go to labels in the service's language, preferred labels,
        # shorter labels, then to the concepts' names.
        self._tiebreaks = [self._tiebreak(n) for n in range(len(self.labels))]
        names = [(self.entity_name(e).casefold(), e.iri) for e in self.entities]
        ranks = {key: r for r, key in enumerate(sorted(names))}
        self._order = [ranks[key] for key in names]
        # For prefix search: every folded label, sorted.
        self.sorted_keys = sorted((lab.key, n) for n, lab in enumerate(self.labels))

    def _language(self, store: Any, ox: Any) -> str:
        for q in store.quads_for_pattern(None, ox.NamedNode(DCT + "language"), None):
            if q.subject.value in self._scheme_iris(store, ox):
                tail = _local_name(q.object.value) if isinstance(q.object, ox.NamedNode) else q.object.value
                if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", tail):
                    return tail.lower()
        counts: dict[str, int] = {}
        for e in self.entities:
            for k in e.names:
                if k:
                    base = k.split("-")[0]
                    counts[base] = counts.get(base, 0) + 1
        if "en" in counts or not counts:
            return "en"
        return max(sorted(counts), key=lambda k: counts[k])

    @staticmethod
    def _scheme_iris(store: Any, ox: Any) -> set[str]:
        return {
            q.subject.value
            for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS + "ConceptScheme"))
        }

    def _name_of(self, store: Any, ox: Any, iri: str) -> str:
        for prop in (SKOS + "prefLabel", DCT + "title", RDFS + "label"):
            by_lang: dict[str, list[str]] = {}
            for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(prop), None):
                if isinstance(q.object, ox.Literal):
                    by_lang.setdefault((q.object.language or "").lower(), []).append(q.object.value)
            found = _pick(by_lang, self.lang)
            if found:
                return found
        return _local_name(iri) or iri

    def _identifier_space(self, scheme: str | None) -> str:
        iris = [e.iri for e in self.entities]
        if iris:
            first, last = min(iris), max(iris)  # the common prefix of all is that of these two
            n = 0
            while n < len(first) and n < len(last) and first[n] == last[n]:
                n += 1
            prefix = first[:n]  # by character: an IRI's namespace may end inside a path segment
            cut = max(prefix.rfind("/"), prefix.rfind("#"), prefix.rfind(":"))
            space = prefix[: cut + 1]
            if cut > 0 and (re.match(r"^[a-z][a-z0-9+.-]*://[^/]+/", space) or space.startswith("urn:")):
                return space
        if scheme:
            return scheme if scheme.endswith(("/", "#")) else scheme + "/"
        return "urn:x-sst-vocab:"

    # -- describing entities ----------------------------------------------------

    def entity_name(self, e: _Entity, lang: str | None = None) -> str:
        found = _pick(e.names, lang or self.lang)
        if found:
            return found
        for kind in ("label", "alt", "notation"):
            for n in e.labels:
                if self.labels[n].kind == kind:
                    return self.labels[n].text
        return _local_name(e.iri)

    def _types(self, e: _Entity) -> list[dict[str, str]]:
        ts = e.types or [SCHEMA_SPACE]
        return [{"id": t, "name": self.type_names[t]} for t in ts]

    def _description(self, e: _Entity, limit: int = 240) -> str | None:
        key = (e.iri, limit)
        if key not in self._descriptions:
            found = _pick(e.definitions, self.lang)
            self._descriptions[key] = _shorten(found, limit) if found else None
        return self._descriptions[key]

    def lookup(self, ident: str) -> _Entity | None:
        """The entity an identifier names: its IRI, or a CURIE with a known prefix."""
        if not isinstance(ident, str):
            return None
        ident = ident.strip()
        i = self.by_iri.get(ident)
        if i is None and ":" in ident and not ident.startswith(("http://", "https://")):
            prefix, _, local = ident.partition(":")
            ns = self.prefixes.get(prefix)
            if ns is not None:
                i = self.by_iri.get(ns + local)
        if i is None:
            return None
        e = self.entities[i]
        return None if e.deprecated and not self.include_deprecated else e

    def view_location(self, ident: str) -> str | None:
        """Where a person reads about the concept (its page), or None for an unknown identifier."""
        e = self.lookup(ident)
        if e is None:
            return None
        return (self._view(e.iri) if self._view else None) or e.iri

    def _tiebreak(self, n: int) -> tuple[int, int, int]:
        """Among equal scores: labels in the service's language, preferred labels, shorter labels first."""
        if n < 0:
            return (-1, 0, 0)
        lab = self.labels[n]
        return (
            0 if lab.lang in ("", self.lang) or lab.lang.startswith(self.lang + "-") else 1,
            _KIND_RANK[lab.kind],
            len(lab.key),
        )

    def _candidates(self, text: str) -> dict[int, float]:
        """Label -> score (0-100) for every label worth showing for ``text``."""
        key = fold(text)
        if not key:
            return {}
        scores: dict[int, float] = {}

        def offer(ns: Iterable[int], score: float) -> None:
            for n in ns:
                if scores.get(n, -1.0) < score:
                    scores[n] = score

        labels = self.labels
        literal = _literal(text)
        for n in self.exact.get(key, ()):
            lab = labels[n]
            score = _EXACT[lab.kind]
            offer((n,), score if _literal(lab.text) == literal else score - 2.0)
        offer(self.compact.get(key.replace(" ", ""), ()), 96.0)
        words = key.split()
        canon = tuple(canonical(w) for w in words)
        offer(self.canon.get(canon, ()), 95.0)
        content = [w for w in canon if w not in STOP_WORDS] or list(canon)
        offer(self.bags.get(tuple(sorted(content)), ()), 90.0)
        if len(words) == 1 and 2 <= len(key) <= 10:
            for n in self.initials.get(key, ()):
                offer((n,), 85.0 if labels[n].lang in ("", self.lang) else 80.0)
        # Word overlap: labels sharing a word (weighted: rarer words weigh more), added up
        # through the postings; and the words the query's last word begins, when it is not
        # a word of the vocabulary ("minis"), for part of a word.
        weights, postings = self.weights, self.postings
        qset = set(content)
        q_weight = sum(weights.get(w, 2.0) for w in qset)
        overlap: dict[int, float] = {}
        get = overlap.get
        for w in qset:
            wt = weights.get(w, 2.0)
            for n in postings.get(w, ()):
                overlap[n] = get(n, 0.0) + wt
        partial = (
            canon[-1] if (len(words[-1]) >= 3 and canon[-1] not in STOP_WORDS and canon[-1] not in postings) else None
        )
        if partial is not None:
            words_sorted = self.words
            begun: set[int] = set()
            found = 0
            for probe in {partial, words[-1]}:
                at = bisect_left(words_sorted, probe)
                while at < len(words_sorted) and words_sorted[at].startswith(probe) and found < 200:
                    begun.update(postings[words_sorted[at]])
                    found += 1
                    at += 1
            part = 0.7 * weights.get(partial, 2.0)
            for n in begun:
                overlap[n] = get(n, 0.0) + part
        for n, shared in overlap.items():
            before = scores.get(n)
            if before is not None and before >= 85.0:
                continue
            lab = labels[n]
            score = 160.0 * shared / (q_weight + lab.weight)  # 80 x the weighted Dice coefficient
            if score > 80.0:
                score = 80.0
            if lab.key.startswith(key):  # the label begins with what was typed
                score = min(score + 5.0, 84.0)
            if lab.kind == "hidden":
                score *= 0.98
            if score >= 1.0 and (before is None or before < score):
                scores[n] = score
        return scores

    def _expand(self, ident: str) -> str:
        ident = ident.strip()
        if ident in self.type_members or ident in self.by_iri or "://" in ident:
            return ident
        if ident in ("Concept", "skos:Concept"):
            return SCHEMA_SPACE
        prefix, sep, local = ident.partition(":")
        if sep and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        for t, name in self.type_names.items():  # a type named by its name
            if fold(name) == fold(ident):
                return t
        return ident

    def _store_objects(self, s: str, p: str) -> list[Any]:
        cache = self._objects
        if p not in cache:
            import pyoxigraph as ox

            by_subject: dict[str, list[Any]] = {}
            for q in self._store.quads_for_pattern(None, ox.NamedNode(p), None):
                if isinstance(q.subject, ox.NamedNode):
                    by_subject.setdefault(q.subject.value, []).append(q.object)
            cache[p] = by_subject
        return cache[p].get(s, [])

    def _resolve(self, value: Any) -> set[str]:
        """The concepts, schemes or collections a property value names: by id, CURIE or exact label."""
        if isinstance(value, dict):
            ident = str(value.get("id", ""))
            found = self._resolve(ident) if ident else set()
            return found or (self._resolve(str(value["name"])) if value.get("name") else set())
        text = _scalar(value)
        expanded = self._expand(text)
        if expanded in self.by_iri or expanded in self.type_members:
            return {expanded}
        key = fold(text)
        found = {self.entities[self.labels[n].entity].iri for n in self.exact.get(key, ())}
        found |= {t for t, name in self.type_names.items() if fold(name) == key and t in self.type_members}
        return found

    def _closure(self, iri: str, up: bool) -> set[str]:
        """Every concept above (``up``) or below ``iri``, through broader/narrower in either direction."""
        cache = self._closures
        found = cache.get((iri, up))
        if found is not None:
            return found
        out: set[str] = set()
        todo = [iri]
        while todo:
            c = todo.pop()
            i = self.by_iri.get(c)
            if i is None:
                continue
            e = self.entities[i]
            for nxt in e.broader if up else e.narrower:
                if nxt not in out and nxt != iri:
                    out.add(nxt)
                    todo.append(nxt)
        cache[(iri, up)] = out
        return out
