"""The domain model (sst_vocab.model): the one label rule, the subject index and Concept.

The label rule is checked as properties over generated literals (Hypothesis, profile ``ci`` as in
test_properties.py) and on the examples its docstring gives; the index and Concept on real files.
"""

from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the test extra (pip install -e '.[test]')")
import pyoxigraph as ox  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import REAL_VOCABS, load_hypothesis_profile, run_python, write  # noqa: E402
from sst_vocab.loader import load  # noqa: E402
from sst_vocab.model import (  # noqa: E402
    SubjectIndex,
    best_text,
    in_best_language,
    language_key,
    ranked_texts,
)
from sst_vocab.model.concept import concepts_of  # noqa: E402

load_hypothesis_profile()

SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

# Tags from a few primary languages and subtags, so that generated lists share languages often.
PRIMARY = ["en", "fr", "de", "zh", "es", "eng"]
SCRIPTS = ["hant", "hans"]
REGIONS = ["gb", "us", "au", "tw", "419", "ch"]
VARIANTS = ["oxendict", "1996"]


def _case(draw, text: str) -> str:
    return "".join(c.upper() if draw(st.booleans()) else c for c in text)


@st.composite
def tags(draw) -> str:
    parts = [draw(st.sampled_from(PRIMARY))]
    for subtags in (SCRIPTS, REGIONS, VARIANTS):  # language[-script][-region][-variant]: well-formed
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(subtags)))
    return _case(draw, "-".join(parts))


def literal(value: str, tag: str) -> ox.Literal:
    return ox.Literal(value, language=tag) if tag else ox.Literal(value)


texts = st.lists(st.tuples(st.text(max_size=6), st.one_of(st.just(""), tags())), max_size=8)


def lits(pairs) -> list[ox.Literal]:
    return [literal(v, t) for v, t in pairs]


def primary(tag: str) -> str:
    return tag.lower().split("-")[0]


@given(pairs=texts, want=tags(), data=st.data())
def test_the_pick_does_not_depend_on_the_order_of_the_values(pairs, want, data):
    values = lits(pairs)
    shuffled = data.draw(st.permutations(values))
    assert best_text(values, want) == best_text(shuffled, want)
    assert ranked_texts(values, want) == ranked_texts(shuffled, want)
    assert in_best_language(values, want) == in_best_language(shuffled, want)


@given(pairs=texts, want=tags())
def test_the_pick_follows_the_rule(pairs, want):
    values = lits(pairs)
    best = best_text(values, want)
    if not values:
        assert best is None and ranked_texts(values, want) == [] and in_best_language(values, want) == []
        return
    assert best in values and ranked_texts(values, want)[0] == best
    tag = best.language or ""
    present = [v.language or "" for v in values]
    if want.lower() in present:  # 0. the tag itself
        assert tag == want.lower()
    elif any(t and primary(t) == primary(want) for t in present):  # 1. the same language
        assert tag and primary(tag) == primary(want)
    elif "" in present:  # 2. no tag
        assert tag == ""
    else:  # 3. any other: alphabetical
        assert tag == min(present)
    # between values in one tag: the smallest text
    assert best.value == min(v.value for v in values if (v.language or "") == tag)


@given(pairs=texts, want=tags(), data=st.data())
def test_tags_are_compared_case_insensitively(pairs, want, data):
    values = lits(pairs)
    recased = data.draw(st.sampled_from([want.lower(), want.upper(), want]))
    assert best_text(values, want) == best_text(values, recased)


@given(pairs=texts, want=tags())
def test_in_best_language_is_every_value_of_the_best_tag(pairs, want):
    values = lits(pairs)
    best = best_text(values, want)
    same = in_best_language(values, want)
    if best is not None:
        assert same[0] == best
        assert sorted(v.value for v in same) == sorted(v.value for v in values if v.language == best.language)
        assert [v.value for v in same] == sorted(v.value for v in same)


@given(a=tags(), b=tags(), want=tags())
def test_language_key_is_a_total_order_consistent_with_equality(a, b, want):
    ka, kb = language_key(a, want), language_key(b, want)
    assert (ka == kb) == (a.lower() == b.lower())


@pytest.mark.parametrize(
    "want, present, chosen",
    [
        ("en", ["fr", "en-US", "en-GB", ""], "en-gb"),  # regional English before untagged; alphabetical among regions
        ("en", ["en-GB-oxendict", "en-US"], "en-us"),  # the more general tag first
        ("en", ["eng", "", "de"], ""),  # "eng" is another language, not a variety of "en"
        ("en-GB", ["en-US", "en", "fr"], "en"),  # lookup truncates the request: en before en-US
        ("en-GB-oxendict", ["en", "en-GB"], "en-gb"),  # more shared subtags first
        ("zh-Hant", ["zh", "zh-Hant-TW", "zh-Hans"], "zh-hant-tw"),
        ("de", ["fr", "en"], "en"),  # neither the language nor untagged: the first tag alphabetically
        ("EN", ["en"], "en"),
    ],
)
def test_the_rules_examples(want, present, chosen):
    values = [literal(f"v{n}", t) for n, t in enumerate(present)]
    assert (best_text(values, want).language or "") == chosen


def test_subject_index_labels_prefer_the_first_property_then_the_language():
    s, other = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/o")
    pred = ox.NamedNode
    triples = [
        ox.Triple(s, pred(RDFS + "label"), ox.Literal("English", language="en")),
        ox.Triple(s, pred(SKOS + "prefLabel"), ox.Literal("Français", language="fr")),
        ox.Triple(s, pred(SKOS + "prefLabel"), ox.Literal("Colour", language="en-gb")),
        ox.Triple(s, pred(SKOS + "prefLabel"), ox.Literal("Color", language="en-us")),
        ox.Triple(s, pred(SKOS + "related"), other),
    ]
    g = SubjectIndex(triples)
    assert g.label(s) == "Colour"
    assert g.label(s, want="fr") == "Français"
    assert g.label(s, (RDFS + "label", SKOS + "prefLabel")) == "English"
    assert g.label(other) is None
    assert g.iris(s, SKOS + "related") == ["http://example.org/o"]


def test_concepts_of_reads_every_concept_of_a_real_vocabulary():
    vocab = load([next(p for p in REAL_VOCABS if p.name == "countries.ttl")])
    found = concepts_of(vocab)
    index = SubjectIndex(vocab.store)
    concepts = index.subjects_of_type(SKOS + "Concept")
    assert [c.iri for c in found] == sorted(c.value for c in concepts)
    for c in found[:20]:
        assert c.pref_label == index.label(ox.NamedNode(c.iri))
        assert set(c.pref_labels.values()) <= {o.value for o in index.get(ox.NamedNode(c.iri), SKOS + "prefLabel")}
    french = concepts_of(vocab, lang="fr")
    assert any(f.pref_label != e.pref_label for f, e in zip(french, found, strict=True))


def test_a_regional_label_is_chosen_the_same_way_everywhere(tmp_path, invoke):
    """The CSV export, review and diff name a concept with only en-GB and en-US labels alike."""
    path = write(
        tmp_path / "v.ttl",
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://example.org/c> a skos:Concept ; skos:prefLabel "Color"@en-US , "Colour"@en-GB , "Couleur"@fr ;
    skos:definition "A colour."@en-GB .
""",
    )
    csv = invoke("export", "--format", "csv", "--vocab", str(path))
    assert csv.exit_code == 0 and "Colour" in csv.stdout and "Color," not in csv.stdout
    review = invoke("review", "--format", "csv", str(path))
    assert review.exit_code == 0 and ",Colour," in review.stdout
    other = write(tmp_path / "w.ttl", path.read_text().replace("A colour.", "A hue."))
    diff = invoke("diff", str(path), str(other))
    assert diff.exit_code == 1 and "Colour <http://example.org/c>" in diff.stdout


def test_importing_the_model_imports_nothing_heavy():
    code = (
        "import sys, sst_vocab.model; "
        "print(sorted(m for m in ('pyoxigraph', 'rdflib', 'pyshacl', 'click', 'dataclasses') if m in sys.modules))"
    )
    out = run_python("-c", code, text=True, check=True)
    assert out.stdout.strip() == "[]"
