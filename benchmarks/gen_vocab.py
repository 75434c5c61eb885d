#!/usr/bin/env python3
"""Write a synthetic SKOS vocabulary of N concepts as Turtle (deterministic for a given seed).

Usage::

    python benchmarks/gen_vocab.py N -o FILE [--seed 42] [--faults K]

What it writes (namespace ``https://example.org/synth/``):

* one ``skos:ConceptScheme`` with prefLabel and title, definition, created/modified
  (``xsd:date``), creator and publisher (an ``sdo:Organization`` with ``sdo:name``),
  ``dcterms:source`` (a described ``dcterms:BibliographicResource``), historyNote,
  ``owl:versionInfo``, ``dcterms:license``, ``dcterms:language`` (English) and
  ``skos:hasTopConcept`` for every root;
* N concepts, one subject block each (the subject at column 0), each with
  - a unique English prefLabel of 2-3 words in sentence case (unique ignoring case),
  - 1-2 altLabels, never equal (ignoring case) to any prefLabel or to another altLabel,
  - a two-sentence English definition that does not contain any of its own labels,
  - ``skos:inScheme``, ``rdfs:isDefinedBy`` and ``dcterms:created`` (``xsd:date``),
  - either ``skos:topConceptOf`` (roots; the scheme lists them with hasTopConcept) or
    exactly one ``skos:broader``, with the matching ``skos:narrower`` on the parent:
    a forest 6 levels deep (3 roots, or 5 from 50,000 concepts; the levels grow
    geometrically, as in shared/reference/performance-baselines.md);
* about 25 % of the concepts have exactly one ``skos:related``, asserted in both
  directions, never between concepts linked by the hierarchy (ancestor/descendant)
  and never between siblings (same parent, or two roots).

The words are a mix of about 170 real English words (landscape and environment
terms) and 600 pseudo-words built from syllables.  The word list does not depend on
``--seed``; everything else is drawn from ``random.Random(seed)``, so a given
(N, seed, faults) always gives the same bytes.

``--faults K`` injects K cases of each kind below into leaf concepts (so no other
concept is disturbed) and records each case in the header as
``# fault: <kind> <IRI>`` (``broader-cycle`` names both concepts of the cycle:
``# fault: broader-cycle <IRI-A> <IRI-B>``):

=====================  ================================================================
two-preflabels         a second ``@en`` prefLabel on one concept
no-preflabel           a concept without prefLabel
preflabel-is-altlabel  one altLabel equal to the prefLabel
no-definition          a concept without definition
no-inscheme            a concept without inScheme (and it is not a top concept)
broader-not-concept    the only broader points to an IRI that is not a concept (the
                       old parent loses its narrower link)
broader-cycle          two concepts, each the broader (and narrower) of the other, in
                       place of their real parents
=====================  ================================================================

Speed: 100,000 concepts take a few seconds (pure Python, no dependencies).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import random
import re
import sys
from pathlib import Path

BASE = "https://example.org/synth/"
SCHEME = BASE + "scheme"
AGENT = BASE + "agent/synth-editors"
SOURCE = BASE + "source/gen-vocab"
DEPTH = 6
RELATED_SHARE = 0.25

# Other languages for the multilingual profiles (24 with English): labels in them are
# "translations" of the English ones through a fixed per-language word map, so they are as
# unique (or as duplicated) as the English labels they come from.
LANGUAGES = (
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "fi",
    "pl",
    "cs",
    "sk",
    "sl",
    "hu",
    "ro",
    "bg",
    "el",
    "et",
    "lv",
    "lt",
    "hr",
    "ga",
    "mt",
)


class Profile:
    """A distribution of the generated vocabulary: the standard one, or an adversarial one."""

    def __init__(
        self,
        name: str,
        doc: str,
        *,
        roots: int | None = None,
        depth: int = DEPTH,
        languages: int = 1,
        duplicates: float = 0.0,
        mappings: int = 0,
        default_n: int = 10_000,
    ) -> None:
        self.name, self.doc, self.roots, self.depth = name, doc, roots, depth
        self.languages, self.duplicates, self.mappings, self.default_n = languages, duplicates, mappings, default_n


PROFILES = {
    p.name: p
    for p in (
        Profile("standard", "unique English labels, 3 roots, 6 levels, 25 % related (the default)"),
        Profile(
            "duplicates",
            "prefLabel and altLabel in 24 languages; 40 % of them copied from a few "
            "hundred other concepts, so labels are shared by groups of about 20 concepts",
            languages=24,
            duplicates=0.4,
            default_n=2_000,
        ),
        Profile(
            "languages",
            "prefLabel, altLabel and definition in each of 24 languages, all unique",
            languages=24,
            default_n=1_000,
        ),
        Profile(
            "tops", "1,000 top concepts (hasTopConcept lists them all) over a 3-level hierarchy", roots=1_000, depth=3
        ),
        Profile("deep", "a hierarchy 40 levels deep (3 roots; every chain of ancestors up to 39 long)", depth=40),
        Profile("wide", "3 roots with about N/3 children each (2 levels): huge sibling groups", depth=2),
        Profile(
            "mappings",
            "8 mapping links per concept (exact, close, broad, narrow and related "
            "match) to other vocabularies' concepts, some shared by several concepts",
            mappings=8,
            default_n=5_000,
        ),
    )
}
FAULT_KINDS = (
    "two-preflabels",
    "no-preflabel",
    "preflabel-is-altlabel",
    "no-definition",
    "no-inscheme",
    "broader-not-concept",
    "broader-cycle",
)

# About 170 real English words (landscape, water, soil, climate and ecology terms).
REAL_WORDS = """
acid aquifer arid basalt basin bay beach bedrock biome bog boulder brook canopy canyon
carbon cave channel clay cliff climate cloud coast colony compost coral creek crust
current dam delta desert dew drainage drift drought dune dust ecology erosion estuary
fault fen fern fertile field fire fjord flood flora fog forest fossil frost fungus
geyser glacier gneiss granite grass gravel grazing groundwater gully habitat hail heath
hedge herb highland hill humus hurricane ice inlet island lagoon lake land landslide
lava leaf levee lichen limestone loam marsh meadow mineral mist monsoon moor moraine
moss mountain mud nitrogen oasis ocean orchard ozone pasture peat pebble plain plateau
pollen pond prairie rain rainfall range reef reservoir ridge river rock root runoff
salt sand sandstone savanna scrub sediment seed shale shore shrub silt slope snow soil
spring steppe storm stream summit swamp terrace tide timber topsoil tree tundra valley
vapour vegetation volcano water watershed wave weather wetland wind woodland
""".split()

_ONSETS = "b c d f g h k l m n p r s t v z br cr dr fr gr pl pr sk sl st tr".split()
_VOWELS = "a e i o u a e i o ea ai ou".split()
_CODAS = "l n r s t m k ".split(" ")


def _pseudo_words(count: int = 600) -> list[str]:
    """Pronounceable non-words of 2-3 syllables ("galgal", "tenrane"), fixed for every seed."""
    rng = random.Random(20061)
    real = set(REAL_WORDS)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < count:
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.choice((2, 2, 3)))
        )
        if 5 <= len(word) <= 11 and word not in seen and word not in real:
            seen.add(word)
            out.append(word)
    return out


WORDS = REAL_WORDS + _pseudo_words()

# Words used only in definition frames (never in labels, so frames cannot spell a label).
_KINDS = ("kind", "form", "type", "variety", "class")
_VERBS = (
    "shapes",
    "drains",
    "covers",
    "feeds",
    "binds",
    "shelters",
    "lines",
    "borders",
    "supports",
    "carries",
    "holds",
    "marks",
)
_WHERE = (
    "in cold regions",
    "near the coast",
    "on steep ground",
    "after heavy rain",
    "in dry seasons",
    "in lowland areas",
    "in upland areas",
    "along rivers",
    "under dense cover",
    "in shallow water",
)
_USES = (
    "Field surveys record it",
    "Mapping projects use it",
    "Monitoring programmes track it",
    "Land managers note it",
    "Survey teams describe it",
    "Regional reports list it",
)
_WHY = (
    "to compare sites",
    "to plan restoration",
    "to assess change over time",
    "to group similar sites",
    "to guide sampling",
    "to report on condition",
)


def _sentence_case(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _level_sizes(n: int, roots: int, depth: int = DEPTH) -> list[int]:
    """Concepts per level (roots first), growing geometrically, summing to n, at most ``depth`` levels."""
    roots = max(1, min(roots, n))
    levels = min(depth, max(1, n // roots))
    if levels == 1:
        return [n]
    lo, hi = 1.0, float(n)
    for _ in range(100):  # solve roots * (1 + r + ... + r^(levels-1)) = n
        r = (lo + hi) / 2
        total = roots * sum(r**k for k in range(levels))
        lo, hi = (r, hi) if total < n else (lo, r)
    sizes = [roots] + [max(1, round(roots * r**k)) for k in range(1, levels)]
    sizes[-1] += n - sum(sizes)
    if sizes[-1] < 1:  # rounding overshoot on tiny n: flatten
        sizes = [roots] + [1] * (levels - 2)
        sizes.append(n - sum(sizes))
    return sizes


class Generator:
    def __init__(self, n: int, seed: int, profile: Profile | None = None) -> None:
        self.n = n
        self.profile = profile or PROFILES["standard"]
        self.rng = random.Random(seed)
        self.used_labels: set[str] = set()  # lower-cased pref and alt labels
        self.used_defs: set[str] = set()

    def new_label(self) -> str:
        rng = self.rng
        while True:
            k = 2 if rng.random() < 0.55 else 3
            words = rng.sample(WORDS, k)
            label = _sentence_case(words)
            key = label.lower()
            if key not in self.used_labels:
                self.used_labels.add(key)
                return label

    def definition(self, labels: list[str], parent_label: str | None) -> str:
        rng = self.rng
        own = [" " + lab.lower() + " " for lab in labels]
        for attempt in range(1000):
            a, b, c = rng.sample(WORDS, 3)
            if parent_label is None or attempt >= 20:  # e.g. the parent's label contains this one's
                first = f"A broad group of {a} and {b} features found {rng.choice(_WHERE)}"
            else:
                first = (
                    f"A {rng.choice(_KINDS)} of {parent_label.lower()} that {rng.choice(_VERBS)} "
                    f"the {a} {b} {rng.choice(_WHERE)}"
                )
            second = f"{rng.choice(_USES)} with {c} records {rng.choice(_WHY)}"
            text = f"{first}. {second}."
            flat = " " + re.sub(r"[^a-z]+", " ", text.lower()) + " "
            if any(o in flat for o in own) or text in self.used_defs:
                continue
            self.used_defs.add(text)
            return text
        raise RuntimeError("could not build a definition free of its own labels")

    def build(self, faults: int) -> tuple[list[str], list[str]]:
        """Return (fault header lines, Turtle body lines)."""
        n, rng = self.n, self.rng
        prof = self.profile
        roots = prof.roots or (5 if n >= 50_000 else 3)
        sizes = _level_sizes(n, roots, prof.depth)
        width = max(6, len(str(n)))
        iris = [f"c{i:0{width}d}" for i in range(1, n + 1)]  # local names
        parent: list[int] = [-1] * n
        level: list[int] = [0] * n
        start = 0
        prev: list[int] = []
        for depth, size in enumerate(sizes):
            members = list(range(start, start + size))
            for i in members:
                level[i] = depth
                if prev:
                    parent[i] = prev[rng.randrange(len(prev))]
            prev, start = members, start + size
        children: list[list[int]] = [[] for _ in range(n)]
        for i, p in enumerate(parent):
            if p >= 0:
                children[p].append(i)

        pref = [self.new_label() for _ in range(n)]
        alts = [[self.new_label() for _ in range(1 if rng.random() < 0.5 else 2)] for _ in range(n)]
        # duplicates: in each language but English, a share of the concepts takes its labels
        # from one of a few "popular" concepts (about n/50 of them)
        dup_of: dict[tuple[int, str], int] = {}
        if self.profile.duplicates:
            popular = max(2, n // 50)
            for i in range(n):
                for lang in LANGUAGES[1 : self.profile.languages]:
                    if rng.random() < self.profile.duplicates:
                        j = rng.randrange(popular)
                        if j != i:
                            dup_of[(i, lang)] = j
        # mappings: links to concepts of other vocabularies; exact and close matches sometimes
        # shared by two concepts (a small exactMatch chain inside the scheme)
        mappings: dict[int, list[tuple[str, str]]] = {}
        if self.profile.mappings:
            kinds = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
            for i in range(n):
                links = []
                for k in range(self.profile.mappings):
                    prop = kinds[k % len(kinds)]
                    if prop in ("exactMatch", "closeMatch") and rng.random() < 0.02:
                        target = f"https://example.com/other/shared/{rng.randrange(max(1, n // 4))}"
                    else:
                        target = f"https://example.com/other/{k % 3}/{i}-{k}"
                    links.append((prop, target))
                mappings[i] = links

        # related: disjoint pairs covering ~25 % of the concepts.
        related = [-1] * n
        want_pairs = round(n * RELATED_SHARE / 2)

        def ancestors(i: int) -> set[int]:
            out = set()
            while parent[i] >= 0:
                i = parent[i]
                out.add(i)
            return out

        pairs = 0
        attempts = 0
        while pairs < want_pairs and attempts < 50 * n:
            attempts += 1
            a, b = rng.randrange(n), rng.randrange(n)
            if a == b or related[a] >= 0 or related[b] >= 0 or parent[a] == parent[b]:
                continue  # parent[a] == parent[b] covers siblings and two roots
            if b in ancestors(a) or a in ancestors(b):
                continue
            related[a], related[b] = b, a
            pairs += 1

        # Faults: drawn from leaves that take part in no related pair.
        header: list[str] = []
        fault_of: dict[int, str] = {}
        extra_pref: dict[int, str] = {}
        broader_of: dict[int, list[str]] = {}  # overrides (local names or full IRIs)
        lost_child: set[int] = set()  # children whose link from their old parent is removed
        extra_narrower: dict[int, list[int]] = {}
        if faults:
            pool = [i for i in range(n) if not children[i] and related[i] < 0 and parent[i] >= 0]
            need = faults * (len(FAULT_KINDS) + 1)
            if len(pool) < need:
                raise SystemExit(
                    f"gen_vocab: {n} concepts are too few for --faults {faults} "
                    f"(need {need} free leaves, have {len(pool)})"
                )
            picks = rng.sample(pool, need)
            k = 0
            for kind in FAULT_KINDS:
                for case in range(faults):
                    i = picks[k]
                    k += 1
                    fault_of[i] = kind
                    if kind == "two-preflabels":
                        extra_pref[i] = self.new_label()
                    elif kind == "broader-not-concept":
                        broader_of[i] = [f"<{BASE}missing/m{case + 1}>"]
                        lost_child.add(i)
                    elif kind == "broader-cycle":
                        j = picks[k]
                        k += 1
                        fault_of[j] = kind
                        broader_of[i], broader_of[j] = [f"synth:{iris[j]}"], [f"synth:{iris[i]}"]
                        extra_narrower[i], extra_narrower[j] = [j], [i]
                        lost_child.update((i, j))
                        header.append(f"# fault: {kind} <{BASE}{iris[i]}> <{BASE}{iris[j]}>")
                        continue
                    header.append(f"# fault: {kind} <{BASE}{iris[i]}>")

        # Dates: scheme 2020-01-15 .. 2024-06-30; concepts created in between.
        day0 = 737439  # date(2020, 1, 15).toordinal()
        span = 1628  # days to 2024-06-30

        def created() -> str:
            return datetime.date.fromordinal(day0 + rng.randrange(span)).isoformat()

        out: list[str] = []
        top = [i for i in range(n) if parent[i] < 0]
        out.append(f"<{SCHEME}>")
        out.append("    a skos:ConceptScheme ;")
        out.append('    skos:prefLabel "Synthetic landscape vocabulary"@en ;')
        out.append('    dcterms:title "Synthetic landscape vocabulary"@en ;')
        out.append(
            '    skos:definition "A generated vocabulary of landscape and environment terms, made to '
            'measure the speed of SKOS tools. Its words and definitions are random and mean nothing."@en ;'
        )
        out.append('    dcterms:created "2020-01-15"^^xsd:date ;')
        out.append('    dcterms:modified "2024-06-30"^^xsd:date ;')
        out.append(f"    dcterms:creator <{AGENT}> ;")
        out.append(f"    dcterms:publisher <{AGENT}> ;")
        out.append(f"    dcterms:source <{SOURCE}> ;")
        out.append(
            '    skos:historyNote "Generated by benchmarks/gen_vocab.py from a fixed random seed; '
            'regenerate it instead of editing it."@en ;'
        )
        out.append('    owl:versionInfo "1.0.0" ;')
        out.append("    dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;")
        out.append("    dcterms:language <http://id.loc.gov/vocabulary/iso639-1/en> ;")
        out.append("    skos:hasTopConcept " + " , ".join(f"synth:{iris[i]}" for i in top) + " ;")
        out.append(".")
        out.append("")
        out.append(f"<{AGENT}>")
        out.append("    a sdo:Organization ;")
        out.append('    sdo:name "Synthetic vocabulary editors"@en ;')
        out.append(".")
        out.append("")
        out.append(f"<{SOURCE}>")
        out.append("    a dcterms:BibliographicResource ;")
        out.append('    dcterms:title "The gen_vocab.py benchmark generator"@en ;')
        out.append(".")
        for i in range(n):
            kind = fault_of.get(i)
            p = parent[i]
            out.append("")
            out.append(f"synth:{iris[i]}")
            out.append("    a skos:Concept ;")
            if kind != "no-preflabel":
                out.append(f'    skos:prefLabel "{_esc(pref[i])}"@en ;')
            if i in extra_pref:
                out.append(f'    skos:prefLabel "{_esc(extra_pref[i])}"@en ;')
            alt = list(alts[i])
            if kind == "preflabel-is-altlabel":
                alt[0] = pref[i]
            out.append("    skos:altLabel " + " , ".join(f'"{_esc(a)}"@en' for a in alt) + " ;")
            for lang in LANGUAGES[1 : prof.languages]:
                src = dup_of.get((i, lang), i)
                out.append(f'    skos:prefLabel "{_esc(_translate(pref[src], lang))}"@{lang} ;')
                out.append(
                    "    skos:altLabel " + " , ".join(f'"{_esc(_translate(a, lang))}"@{lang}' for a in alts[src]) + " ;"
                )
            if kind != "no-definition":
                labels = [pref[i], *alts[i]]
                parent_label = pref[p] if p >= 0 else None
                text = self.definition(labels, parent_label)
                out.append(f'    skos:definition "{_esc(text)}"@en ;')
                if prof.duplicates == 0:
                    for lang in LANGUAGES[1 : prof.languages]:
                        out.append(f'    skos:definition "{_esc(_translate(text, lang))}"@{lang} ;')
            for prop, target in mappings.get(i, ()):
                out.append(f"    skos:{prop} <{target}> ;")
            if kind != "no-inscheme":
                out.append(f"    skos:inScheme <{SCHEME}> ;")
            if p < 0:
                out.append(f"    skos:topConceptOf <{SCHEME}> ;")
            elif i in broader_of:
                out.append("    skos:broader " + " , ".join(broader_of[i]) + " ;")
            else:
                out.append(f"    skos:broader synth:{iris[p]} ;")
            narrower = [c for c in children[i] if c not in lost_child] + extra_narrower.get(i, [])
            if narrower:
                out.append("    skos:narrower " + " , ".join(f"synth:{iris[c]}" for c in narrower) + " ;")
            if related[i] >= 0:
                out.append(f"    skos:related synth:{iris[related[i]]} ;")
            out.append(f"    rdfs:isDefinedBy <{SCHEME}> ;")
            out.append(f'    dcterms:created "{created()}"^^xsd:date ;')
            out.append(".")
        self.stats = {"concepts": n, "roots": len(top), "levels": sizes, "related_pairs": pairs}
        return header, out


_WORD_MAPS: dict[str, dict[str, str]] = {}


def _translate(text: str, lang: str) -> str:
    """A pseudo-translation: every known word replaced through a fixed bijection for ``lang``."""
    table = _WORD_MAPS.get(lang)
    if table is None:
        shuffled = list(WORDS)
        random.Random(lang).shuffle(shuffled)
        table = _WORD_MAPS[lang] = dict(zip(WORDS, shuffled, strict=True))

    def one(m: re.Match) -> str:
        word = m.group()
        low = word.lower()
        new = table.get(low, low)
        return new.capitalize() if word[:1].isupper() else new

    return re.sub(r"[A-Za-z]+", one, text)


PREFIXES = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX sdo: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX synth: <https://example.org/synth/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def generator_id() -> str:
    """A short hash of this file: cached vocabularies made by another version are stale."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def header_line(n: int, seed: int, faults: int, profile: str = "standard") -> str:
    """The first line of every generated file (benchmarks use it to recognise a valid cache)."""
    tail = "" if profile == "standard" else f" profile={profile}"
    return f"# gen_vocab.py {generator_id()}: N={n} seed={seed} faults={faults}{tail}"


def generate(n: int, seed: int = 42, faults: int = 0, profile: str = "standard") -> tuple[str, dict]:
    gen = Generator(n, seed, PROFILES[profile])
    faults_header, body = gen.build(faults)
    head = [
        header_line(n, seed, faults, profile),
        "# A synthetic SKOS vocabulary for benchmarks (benchmarks/gen_vocab.py). Do not edit.",
        f"# profile {profile}: {PROFILES[profile].doc}",
        f"# {n} concepts; roots {gen.stats['roots']}; concepts per level {gen.stats['levels']}; "
        f"related pairs {gen.stats['related_pairs']}.",
    ]
    head += faults_header
    return "\n".join(head) + "\n\n" + PREFIXES + "\n" + "\n".join(body) + "\n", gen.stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("n", type=int, metavar="N", help="number of concepts (at least 1)")
    ap.add_argument("-o", "--output", required=True, help="Turtle file to write ('-' for stdout)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--faults", type=int, default=0, metavar="K", help="inject K cases of each fault kind (default 0)")
    ap.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default="standard",
        help="the distribution: " + "; ".join(f"{p.name}: {p.doc}" for p in PROFILES.values()),
    )
    args = ap.parse_args(argv)
    if args.n < 1 or args.faults < 0:
        ap.error("N must be at least 1 and K at least 0")
    text, _ = generate(args.n, args.seed, args.faults, args.profile)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
