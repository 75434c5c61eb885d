"""What the site documents, read from the vocabulary: its concepts, main scheme, base, language,
labels and hierarchy."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from ..model import best_text, in_best_language
from ..namespaces import DCT, OWL, PREFIXES, RDF_TYPE, RDFS, SDO, SKOS, curie
from .graph import Graph, Text, local_name

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

FOAF = "http://xmlns.com/foaf/0.1/"
#: Where a resource's name is looked for, in this order (the first property with a value wins).
_LABEL_PROPS = (SKOS + "prefLabel", RDFS + "label", SDO + "name", FOAF + "name", DCT + "title", SKOS + "altLabel")


class SiteVocabulary:
    """The vocabulary as the site sees it (built once; every page reads it)."""

    def __init__(self, vocab: Vocabulary) -> None:
        source = vocab.source
        self.vocab = vocab
        self.g = Graph(source.quads)
        self.prefixes = {**PREFIXES, **source.prefixes}
        self.source_prefixes = source.prefixes
        self.concepts = self._instances(SKOS + "Concept")
        self.concept_set = set(self.concepts)
        self.scheme, self.other_schemes = self._schemes()
        self.base = self._base()
        self.lang = self._language()
        self._labels: dict[str, Text] = {}
        self.parents, self.children = self._broader_and_narrower()
        self.deprecated = self._deprecated()
        self.tops = self._tops()

    # -- what the vocabulary is --------------------------------------------

    def _instances(self, cls: str) -> list[str]:
        return sorted(s for s, props in self.g.by_iri.items() if any(o.value == cls for o in props.get(RDF_TYPE, ())))

    def _schemes(self) -> tuple[str | None, list[str]]:
        """The main scheme (the one with most concepts; the first on a tie) and the others."""
        schemes = self._instances(SKOS + "ConceptScheme")
        members: dict[str, int] = dict.fromkeys(schemes, 0)
        for c in self.concepts:
            for s in set(self.g.iris(c, SKOS + "inScheme")) | set(self.g.iris(c, SKOS + "topConceptOf")):
                if s in members:
                    members[s] += 1
        main = max(schemes, key=lambda s: (members[s], -schemes.index(s))) if schemes else None
        return main, [s for s in schemes if s != main]

    def _base(self) -> str:
        if self.scheme:
            s = self.scheme
            return s if s.endswith(("/", "#")) else s + "/"
        iris = self.concepts
        if not iris:
            return "urn:x-sst-vocab:"
        prefix = os.path.commonprefix(iris)  # noqa: RUF071 - by character, then cut at the last / or #
        cut = max(prefix.rfind("/"), prefix.rfind("#"))
        return prefix[: cut + 1] if cut >= 0 else "urn:x-sst-vocab:"

    def _language(self) -> str:
        if self.scheme:
            for iri in self.g.iris(self.scheme, DCT + "language"):
                tail = local_name(iri)
                if re.fullmatch(r"[a-z]{2,3}", tail):
                    return tail
            for t in self.g.texts(self.scheme, DCT + "language"):
                if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)*", t.value):
                    return t.value.lower()
        counts: dict[str, int] = {}
        for c in self.concepts:
            for t in self.g.texts(c, SKOS + "prefLabel"):
                if t.lang:
                    counts[t.lang.lower()] = counts.get(t.lang.lower(), 0) + 1
        if "en" in counts or not counts:
            return "en"
        return max(sorted(counts), key=lambda k: counts[k])

    def site_title(self) -> str:
        """The main scheme's title; with several schemes, all of theirs (up to three), or the main
        one's and how many others, so the site does not pass for one scheme among several."""
        if not self.scheme:
            return "SKOS vocabulary"
        main = self.label(self.scheme).value
        if not self.other_schemes:
            return main
        if len(self.other_schemes) <= 2:
            return " · ".join([main] + [self.label(s).value for s in self.other_schemes])
        return f"{main} and {len(self.other_schemes)} other concept schemes"

    # -- names -------------------------------------------------------------

    def label(self, iri: str) -> Text:
        """The name of ``iri``: the first of the label properties that has a literal, its best value by
        the project's one label rule (:func:`sst_vocab.model.best_text`); else its CURIE."""
        found = self._labels.get(iri)
        if found is None:
            found = Text(self.curie(iri))
            for prop in _LABEL_PROPS:
                best = best_text(self.g.texts(iri, prop), self.lang)
                if best is not None:
                    found = best
                    break
            self._labels[iri] = found
        return found

    def prop_label(self, p: str) -> str:
        """A property's rdfs:label when the vocabulary defines one (``review status``), else its CURIE."""
        if p in self.g.by_iri:
            best = best_text(self.g.texts(p, RDFS + "label"), self.lang)
            if best is not None:
                return best.value
        return self.curie(p)

    def curie(self, iri: str) -> str:
        return curie(iri, self.prefixes)

    def sort_key(self, iri: str) -> tuple[str, str]:
        return (self.label(iri).value.casefold(), iri)

    def texts(self, iri: str | None, prop: str) -> list[Text]:
        """The values of ``prop`` in the best language for the site's (the project's one rule:
        :func:`sst_vocab.model.in_best_language`), by text."""
        return in_best_language(self.g.texts(iri, prop), self.lang) if iri else []

    def first_text(self, iri: str | None, prop: str) -> str | None:
        if not iri:
            return None
        values = [o.value for o in self.g.props(iri).get(prop, ()) if not isinstance(o, self.g.BlankNode)]
        return values[0] if values else None

    # -- hierarchy ---------------------------------------------------------

    def _broader_and_narrower(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Each concept's broader and narrower concepts (from either side's statement), sorted by label."""
        g, cs = self.g, self.concept_set
        parents: dict[str, set[str]] = {c: set() for c in self.concepts}
        for c in self.concepts:
            for b in g.iris(c, SKOS + "broader"):
                if b in cs and b != c:
                    parents[c].add(b)
            for n in g.iris(c, SKOS + "narrower"):
                if n in cs and n != c:
                    parents[n].add(c)
        children: dict[str, set[str]] = {c: set() for c in self.concepts}
        for c, ps in parents.items():
            for p in ps:
                children[p].add(c)
        key = self.sort_key
        return (
            {c: sorted(ps, key=key) for c, ps in parents.items()},
            {c: sorted(ch, key=key) for c, ch in children.items()},
        )

    def _deprecated(self) -> set[str]:
        """Concepts marked owl:deprecated: out of the hierarchy (and of the picture, the tree and the counts)."""
        g = self.g
        return {
            c
            for c in self.concepts
            if any(
                isinstance(o, g.Literal) and o.value.lower() in ("true", "1")
                for o in g.props(c).get(OWL + "deprecated", ())
            )
        }

    def _tops(self) -> list[str]:
        """The roots of the hierarchy: the scheme's top concepts, concepts with no broader one, and
        the first of each cycle that nothing else reaches."""
        g, cs = self.g, self.concept_set
        tops: set[str] = set()
        if self.scheme:
            tops |= {c for c in g.iris(self.scheme, SKOS + "hasTopConcept") if c in cs}
            tops |= {c for c in self.concepts if self.scheme in g.iris(c, SKOS + "topConceptOf")}
        tops |= {c for c in self.concepts if not self.parents[c]}
        tops -= {c for c in self.deprecated if not self.parents[c]}
        reached: set[str] = set()
        self._reach(tops, reached)
        for c in self.concepts:
            if c not in reached and c not in self.deprecated:
                tops.add(c)
                self._reach([c], reached)
        return sorted(tops, key=self.sort_key)

    def _reach(self, start: set[str] | list[str], reached: set[str]) -> None:
        """Add to ``reached`` every concept below ``start`` (``start`` included)."""
        stack = list(start)
        while stack:
            c = stack.pop()
            if c not in reached:
                reached.add(c)
                stack.extend(self.children[c])
