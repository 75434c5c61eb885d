"""Entity reconciliation for a SKOS vocabulary: the logic of the W3C Reconciliation Service API 0.2.

OpenRefine and other data-cleaning tools match a column of names ("Ministry of
Defence", "NGOs", "police") to a vocabulary's concepts through the Reconciliation
Service API (https://reconciliation-api.github.io/specs/0.2/).  This module answers
the API's questions with plain data (dicts, lists, one HTML string); the HTTP layer
(:mod:`sst_vocab.reconcile_web`) only routes requests to it, and ``sst-vocab serve`` /
``sst-vocab reconcile`` put that on a port.

:class:`Service` indexes a loaded vocabulary once (pure Python, no search engine):

- every preferred, alternative and hidden label, ``rdfs:label`` and notation, in
  every language, is *folded*: Unicode NFKD with the accents dropped, case-folded,
  punctuation turned into spaces (``&`` reads ``and``, apostrophes vanish), so
  ``"Côte d'Ivoire"``, ``"COTE DIVOIRE"`` and ``"cote d ivoire"`` are one key;
- each word also has a *canonical* form that merges English plural and singular
  (``NGOs``/``NGO``, ``ministries``/``ministry``) and British and American spellings
  (``Defence``/``Defense``, ``organisation``/``organization``, ``centre``/``center``,
  ``colour``/``color``, ``catalogue``/``catalog``, ``modelling``/``modeling``);
- multi-word labels also answer to their initials (``MoD`` -> *Ministry of defense*).

A query is scored against each candidate's labels and the best label counts (0-100):
100 the label as written, case and spacing aside (preferred label or notation; 99.5 an
alternative, 99 a hidden label), 2 less when only accents or punctuation differ, 96 the
same letters without spaces, 95 the same canonical words, 90 the same words in another
order (stop words aside), 85 the initials, and below 85 a weighted word overlap (rarer
words weigh more; a word the user has only begun counts for part).  ``match`` is true
only for an unambiguous exact label: the one concept with a label exactly as written,
or else the one concept with a label exact but for accents and punctuation (or the
concept whose IRI or CURIE the query is): the matches a tool may accept without a person.

Types are the concept schemes and collections a concept belongs to (``skos:Concept``
when it has none); ``properties`` filter the candidates (``broader``: the concept lies
below the given one, at any depth; ``inScheme``, ``member``, ``narrower``, ``related``,
``notation``, the mapping properties, or any property IRI).  Deprecated concepts
(``owl:deprecated true``) are left out unless asked for.

Example::

    from sst_vocab.loader import load
    from sst_vocab.reconcile import Service

    service = Service(load())
    service.reconcile({"q0": {"query": "Ministry of Defence"}})["q0"]["result"][0]["name"]
    # 'Ministry of defense'
"""

from __future__ import annotations

import heapq
import html
import json
import math
import os
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from .errors import VocabError
from .namespaces import DCT, OWL, PREFIXES, RDF, RDF_TYPE, RDFS, SKOS, curie

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Vocabulary

__all__ = [
    "BatchTooLarge",
    "MAX_BATCH",
    "MAX_LIMIT",
    "PROPERTIES",
    "Service",
    "canonical",
    "fold",
    "parse_batch",
    "wsgi_app",
]

#: The most queries one batch may hold (larger batches are refused: 413 over HTTP).
MAX_BATCH = 1000
#: The most candidates one query returns, whatever ``limit`` asks.
MAX_LIMIT = 100
#: Candidates per reconciliation query when it gives no ``limit`` (OpenRefine shows a few per cell).
DEFAULT_LIMIT = 5
#: Suggestions per suggest request when it gives no ``limit``.
SUGGEST_LIMIT = 10
SCHEMA_SPACE = SKOS + "Concept"

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
_PROPERTY_ALIASES = {"scheme": "inScheme", "collection": "member", "broaderTransitive": "broader",
                     "narrowerTransitive": "narrower"}

# The properties whose values a query is matched against, and their kinds.
_LABEL_PROPS = (
    (SKOS + "prefLabel", "pref"),
    (SKOS + "notation", "notation"),
    (SKOS + "altLabel", "alt"),
    (SKOS + "hiddenLabel", "hidden"),
    (RDFS + "label", "label"),
)
_KIND_RANK = {"pref": 0, "notation": 1, "alt": 2, "label": 3, "hidden": 4}

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

#: Letters NFKD does not split into a base letter and a mark.
_LETTERS = str.maketrans({"ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d",
                          "ł": "l", "Ł": "l", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ħ": "h",
                          "Ħ": "h", "ŋ": "n", "&": " and ", "'": "", "’": "", "ʼ": "", "`": "", "´": ""})
_NON_WORD = re.compile(r"[\W_]+")
#: Short words that carry little meaning in a name (English and the vocabularies' other languages).
STOP_WORDS = frozenset(
    "a an and at by de del der des di die du el et for from in l la las le les los of on or the to und "
    "van von with y".split())


def _literal(text: str) -> str:
    """``text`` compared as written: case and spacing aside, accents and punctuation kept."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


#: The score of an exact label, as written (an exact but for accents and punctuation: 2 less).
_EXACT = {"pref": 100.0, "notation": 100.0, "alt": 99.5, "label": 99.0, "hidden": 99.0}
#: Scores from LITERAL up are labels as written; from FOLDED up, exact but for accents and punctuation.
LITERAL, FOLDED = 99.0, 97.0


def fold(text: str) -> str:
    """``text`` as a matching key: accents dropped, case-folded, punctuation as single spaces.

    >>> fold("Côte d’Ivoire (la)")
    'cote divoire la'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_WORD.sub(" ", bare.translate(_LETTERS)).strip()


# British -> American spellings that no rule below covers (canonical forms need not be words).
_SPELLINGS = {
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "programme": "program", "judgement": "judgment", "grey": "gray", "aluminium": "aluminum",
    "sulphur": "sulfur", "sulphide": "sulfide", "sulphate": "sulfate", "sulphuric": "sulfuric",
    "tyre": "tire", "plough": "plow", "mould": "mold", "manoeuvre": "maneuver", "cheque": "check",
    "enrol": "enroll", "fulfil": "fulfill", "practise": "practice", "draught": "draft", "kerb": "curb",
    "foetus": "fetus", "oestrogen": "estrogen", "anaemia": "anemia", "aeroplane": "airplane",
}
_OUR_KEEP = frozenset({"devour", "contour", "detour", "velour", "paramour", "troubadour", "amour"})
_SPELLING_RULES = (
    (re.compile(r"(?<=\w\w)our(s|ed|ing|er|ers|ful|able|ite|ites|ism|ist|less)?$"), r"or\1"),
    (re.compile(r"(?<=\w\w)is(e|es|ed|ing|er|ers|ation|ations|ational)$"), r"iz\1"),
    (re.compile(r"(?<=\w\w)ys(e|es|ed|ing|er|ers)$"), r"yz\1"),
    (re.compile(r"(?<=\w\w[^aeiou])tre(s)?$"), r"ter\1"),
    (re.compile(r"(?<=\w\w\w)ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=\w\w\w[aeiou])ll(ed|ing|er|ers|or|ors)$"), r"l\1"),
    (re.compile(r"^palae"), "pale"),
    (re.compile(r"^haem"), "hem"),
)
_CANON_CACHE: dict[str, str] = {}


def _singular(word: str) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


def canonical(word: str) -> str:
    """One folded word's canonical form: singular, American spelling.

    >>> [canonical(w) for w in ("defence", "ngos", "ministries", "organisations", "centres")]
    ['defense', 'ngo', 'ministry', 'organization', 'center']
    """
    found = _CANON_CACHE.get(word)
    if found is not None:
        return found
    out = _singular(word)
    out = _SPELLINGS.get(out, out)
    if len(out) >= 5 and out not in _OUR_KEEP:
        for pattern, repl in _SPELLING_RULES:
            out = pattern.sub(repl, out)
    out = _SPELLINGS.get(out, out)
    if len(_CANON_CACHE) < 200_000:
        _CANON_CACHE[word] = out
    return out


def _initials(words: list[str]) -> set[str]:
    """The acronyms a multi-word name may be written as: the initials of all words, and of the content words."""
    if len(words) < 2:
        return set()
    out = {"".join(w[0] for w in words)}
    content = [w for w in words if w not in STOP_WORDS]
    if len(content) >= 2:
        out.add("".join(w[0] for w in content))
    return {a for a in out if len(a) >= 2}


# ---------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------


@dataclass
class _Label:
    entity: int
    kind: str
    text: str
    lang: str
    key: str                    # folded
    compact: str                # folded, no spaces
    canon: tuple[str, ...]      # canonical words in order
    content: frozenset[str]     # canonical words, stop words aside
    bag: tuple[str, ...]        # sorted content words (order-free comparison)
    weight: float = 0.0         # sum of the content words' weights


@dataclass
class _Entity:
    iri: str
    labels: list[int] = field(default_factory=list)
    names: dict[str, list[str]] = field(default_factory=dict)        # lang -> prefLabels
    definitions: dict[str, list[str]] = field(default_factory=dict)  # lang -> definitions
    types: list[str] = field(default_factory=list)
    broader: set[str] = field(default_factory=set)
    narrower: set[str] = field(default_factory=set)
    related: set[str] = field(default_factory=set)
    deprecated: bool = False


def _pick(by_lang: Mapping[str, list[str]], lang: str) -> str | None:
    """The value in ``lang`` (or a regional variant), else untagged, else the first language's."""
    if not by_lang:
        return None
    want = lang.lower()
    for test in (lambda k: k == want, lambda k: k.startswith(want + "-"), lambda k: k == ""):
        for key in sorted(by_lang):
            if test(key.lower()) and by_lang[key]:
                return sorted(by_lang[key])[0]
    first = sorted(by_lang)[0]
    return sorted(by_lang[first])[0]


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


class Service:
    """A reconciliation service over one loaded vocabulary (built once; read-only, so thread-safe).

    ``lang``: the language of the names returned (default: the scheme's ``dct:language``,
    else English when the vocabulary has English labels, else its most common language).
    ``view``: turns a concept IRI into the URL of its page (default: the IRI itself, which
    dereferences once the persistent IRIs are in place).  ``name``: the service's name.
    """

    def __init__(self, vocab: "Vocabulary", *, lang: str | None = None, include_deprecated: bool = False,
                 view: Callable[[str], str | None] | None = None, name: str | None = None) -> None:
        import pyoxigraph as ox

        store = vocab.store
        self._store = store
        self._descriptions: dict[tuple[str, int], str | None] = {}
        self._filters: dict[str, frozenset[int]] = {}
        self._objects: dict[str, dict[str, list[Any]]] = {}      # property -> subject -> objects
        self._closures: dict[tuple[str, bool], set[str]] = {}   # (concept, up) -> concepts above/below
        self._view = view
        self.include_deprecated = include_deprecated
        prefixes = dict(PREFIXES)
        for k, v in vocab.prefixes.items():
            prefixes.setdefault(k, v)
        self.prefixes = prefixes

        def iris(s: Any, p: str) -> list[str]:
            return [q.object.value for q in store.quads_for_pattern(s, ox.NamedNode(p), None)
                    if isinstance(q.object, ox.NamedNode)]

        concept_type = ox.NamedNode(SKOS + "Concept")
        rdf_type = ox.NamedNode(RDF_TYPE)
        subjects = sorted({q.subject.value for q in store.quads_for_pattern(None, rdf_type, concept_type)
                           if isinstance(q.subject, ox.NamedNode)})
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
        for prop, inverse in ((SKOS + "broader", False), (SKOS + "broaderTransitive", False),
                              (SKOS + "narrower", True), (SKOS + "narrowerTransitive", True)):
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
        schemes = sorted({q.subject.value for q in store.quads_for_pattern(None, rdf_type, scheme_type)
                          if isinstance(q.subject, ox.NamedNode)})
        members: dict[str, set[str]] = {s: set() for s in schemes}
        for prop in ("inScheme", "topConceptOf"):
            for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + prop), None):
                if isinstance(q.object, ox.NamedNode) and isinstance(q.subject, ox.NamedNode) and q.subject.value in by_iri:
                    members.setdefault(q.object.value, set()).add(q.subject.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "hasTopConcept"), None):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode) and q.object.value in by_iri:
                members.setdefault(q.subject.value, set()).add(q.object.value)
        self.schemes = sorted(members)
        collections = sorted({q.subject.value for q in store.quads_for_pattern(
            None, rdf_type, ox.NamedNode(SKOS + "Collection")) if isinstance(q.subject, ox.NamedNode)}
            | {q.subject.value for q in store.quads_for_pattern(
                None, rdf_type, ox.NamedNode(SKOS + "OrderedCollection")) if isinstance(q.subject, ox.NamedNode)})
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
        self.collections = collections
        self.type_members: dict[str, set[str]] = {t: members[t] for t in dict.fromkeys((*self.schemes, *collections))}
        for t, ms in self.type_members.items():
            for m in ms:
                self.entities[by_iri[m]].types.append(t)

        self.lang = (lang or self._language(store, ox)).lower()
        self.type_names = {t: self._name_of(store, ox, t) for t in self.type_members}
        self.type_names[SCHEMA_SPACE] = "Concept"
        main = max(self.schemes, key=lambda s: (len(self.type_members[s]), -self.schemes.index(s))) \
            if self.schemes else None
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
        self.labels.append(_Label(entity, kind, text, lang, key, key.replace(" ", ""), canon,
                                  frozenset(content), tuple(sorted(content))))
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
        return {q.subject.value for q in store.quads_for_pattern(
            None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS + "ConceptScheme"))}

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
            prefix = os.path.commonprefix(iris)  # noqa: RUF071 - by character, then cut at the last / # or :
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
                "entity": {"service_url": root, "service_path": "/suggest/entity",
                           "flyout_service_path": "/flyout/entity?id=${id}"},
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
                if best is None or score > best[0] or (
                        score == best[0] and best[1] >= 0 and self._tiebreak(n) < self._tiebreak(best[1])):
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
            cand: dict[str, Any] = {"id": e.iri, "name": self.entity_name(e, lang), "score": round(score, 2),
                                    "match": unique and score >= (LITERAL if sure == 2 else FOLDED),
                                    "type": self._types(e)}
            desc = self._description(e)
            if desc:
                cand["description"] = desc
            if n >= 0:
                lab = self.labels[n]
                cand["features"] = [{"id": "name_score", "value": round(score, 2)},
                                    {"id": "matched_" + lab.kind + "_label", "value": True}]
            out.append(cand)
        return out

    def _tiebreak(self, n: int) -> tuple[int, int, int]:
        """Among equal scores: labels in the service's language, preferred labels, shorter labels first."""
        if n < 0:
            return (-1, 0, 0)
        lab = self.labels[n]
        return (0 if lab.lang in ("", self.lang) or lab.lang.startswith(self.lang + "-") else 1,
                _KIND_RANK[lab.kind], len(lab.key))

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
        partial = canon[-1] if (len(words[-1]) >= 3 and canon[-1] not in STOP_WORDS
                                and canon[-1] not in postings) else None
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
            narrow(json.dumps(["property", prop["pid"], prop["v"]], sort_keys=True),
                   partial(self._property_filter, prop["pid"], prop["v"]))
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
                        isinstance(q, ox.Literal) and fold(q.value) in texts):
                    out.add(i)
                    break
        return out

    def _store_objects(self, s: str, p: str) -> list[Any]:
        cache = self._objects
        if p not in cache:
            import pyoxigraph as ox

            by_subject: dict[str, list[Any]] = {}
            for q in self._store.quads_for_pattern(None, ox.NamedNode(p), None):
                if not isinstance(q.subject, ox.Triple):
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
            for nxt in (e.broader if up else e.narrower):
                if nxt not in out and nxt != iri:
                    out.add(nxt)
                    todo.append(nxt)
        cache[(iri, up)] = out
        return out

    # -- suggest, preview, flyout -------------------------------------------------

    def suggest_entities(self, prefix: str, *, cursor: int = 0, limit: int = SUGGEST_LIMIT,
                         types: Iterable[str] | None = None) -> dict[str, list[dict[str, Any]]]:
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
        order = sorted((r, self.entity_name(self.entities[i]).casefold(), i) for i, r in ranked.items()
                       if (allowed is None or i in allowed)
                       and not (self.entities[i].deprecated and not self.include_deprecated))
        out = []
        for _, _, i in order[max(cursor, 0): max(cursor, 0) + limit]:
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
        return {"result": found[max(cursor, 0): max(cursor, 0) + limit]}

    def suggest_properties(self, prefix: str, *, cursor: int = 0, limit: int = SUGGEST_LIMIT) -> dict[str, Any]:
        key = fold(prefix or "")
        found = [{"id": pid, "name": label} for pid, label in PROPERTIES.items()
                 if not key or fold(pid).startswith(key) or any(w.startswith(key) for w in fold(label).split())]
        return {"result": found[max(cursor, 0): max(cursor, 0) + limit]}

    def _card_facts(self, e: _Entity) -> dict[str, Any]:
        alts = sorted({self.labels[n].text for n in e.labels if self.labels[n].kind == "alt"
                       and self.labels[n].lang in ("", self.lang)})
        notations = sorted({self.labels[n].text for n in e.labels if self.labels[n].kind == "notation"})
        broader = sorted(self.entity_name(self.entities[self.by_iri[b]]) for b in e.broader if b in self.by_iri)
        return {"name": self.entity_name(e), "alts": alts, "notations": notations, "broader": broader,
                "definition": self._description(e, 400), "types": [self.type_names[t] for t in e.types]}

    def preview_html(self, ident: str, view_url: str | None = None) -> str | None:
        """A small HTML card for the concept (everything escaped), or None for an unknown identifier."""
        e = self.lookup(ident)
        if e is None:
            return None
        f = self._card_facts(e)
        esc = html.escape
        parts = [f"<!DOCTYPE html>\n<html lang=\"{esc(self.lang)}\"><head><meta charset=\"utf-8\">"
                 f"<title>{esc(f['name'])}</title><style>{_CARD_CSS}</style></head><body><div class=\"card\">",
                 f"<h1>{esc(f['name'])}</h1>"]
        if f["alts"] or f["notations"]:
            also = " · ".join([*f["notations"], *f["alts"]])
            parts.append(f"<p class=\"also\">{esc(also)}</p>")
        if f["definition"]:
            parts.append(f"<p>{esc(f['definition'])}</p>")
        if f["broader"]:
            parts.append(f"<p class=\"meta\">Broader: {esc(' · '.join(f['broader']))}</p>")
        if f["types"]:
            parts.append(f"<p class=\"meta\">In: {esc(' · '.join(f['types']))}</p>")
        target = view_url or e.iri
        parts.append(f"<p class=\"meta\"><a href=\"{esc(target)}\" target=\"_blank\" rel=\"noopener noreferrer\">"
                     f"{esc(curie(e.iri, self.prefixes))}</a></p></div></body></html>\n")
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


_CARD_CSS = ("body{margin:0;font:13px/1.4 system-ui,sans-serif;color:#1b1b1b;background:#fff}"
             ".card{padding:8px 10px}h1{font-size:15px;margin:0 0 4px}p{margin:3px 0}"
             ".also,.meta{color:#555;font-size:12px}a{color:#0b5cad}")


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------


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
        local = iri[len(SKOS):]
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
        raise VocabError("a query batch must be a JSON object of queries by key, such as "
                         '{"q0": {"query": "police"}}')
    if len(batch) > MAX_BATCH:
        raise BatchTooLarge(f"too many queries in one batch ({len(batch)}; at most {MAX_BATCH})")
    return batch


def _check_query(key: str | None, q: Any) -> dict[str, Any]:
    """A query object checked and normalised (``type`` as a list, ``limit`` an int); VocabError when malformed."""
    where = f'query "{key}": ' if key is not None else ""
    if not isinstance(q, dict):
        raise VocabError(f"{where}a query must be a JSON object such as {{\"query\": \"police\"}}")
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
                    raise VocabError(f'{where}property "{p["pid"]}" has a value that is not a string, number, '
                                     "boolean or entity")
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


def wsgi_app(paths: Iterable[str | os.PathLike[str]] | None = None, *, site_url: str | None = None,
             lang: str | None = None, include_deprecated: bool = False, public_url: str | None = None):
    """A WSGI application serving the reconciliation service of the vocabulary in ``paths``.

    Mount it where the service should answer (its endpoint is the application's root):
    ``gunicorn 'sst_vocab.reconcile:wsgi_app(["vocab/"])'``.  ``site_url``: where the
    documentation site (``sst-vocab docs``) is published, so that "view" links open the
    concept's page there (default: the concept IRI itself).  ``public_url``: the
    endpoint's public URL when a proxy in front changes it (default: from the request).
    """
    from .loader import load
    from .reconcile_web import ReconcileApp

    vocab = load(paths)
    view = None
    if site_url:
        from urllib.parse import urljoin

        from .site import plan_site

        pages = plan_site(vocab).pages
        base = site_url if site_url.endswith("/") else site_url + "/"
        view = lambda iri: urljoin(base, pages[iri]) if iri in pages else None  # noqa: E731
    service = Service(vocab, lang=lang, include_deprecated=include_deprecated, view=view)
    return ReconcileApp(service, public_url=public_url)
