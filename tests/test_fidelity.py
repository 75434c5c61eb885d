"""Fidelity of vocab/ to its authority, source/roundtable-results.txt.

Read as a terminologist and a security-sector-reform specialist would, before interagency
circulation: nothing credited to the roundtable that it did not say (attribution), nothing of the
source missing or cut from its framing (completeness), the roundtable's five draft definitions
character for character, editorial definitions revised to neutral standard usage with a change
note each, no false "kind of" in the hierarchy, editorial relations marked, the labels people
search for, one spelling and number convention, mappings with reasons (the mercenaries row off
private security companies), the licence scoped to what the editors wrote, the historical notes a
reader needs, and the README and the site saying whose words each definition is.

The source is parsed here (bullets, sub-bullets, headings), so the checks follow the text, not a
copy of it.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess

import pyoxigraph as ox
import pytest

from conftest import ROOT
from sst_vocab.loader import load
from sst_vocab.validate import validate

SOURCE = ROOT / "source" / "roundtable-results.txt"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SDO = "https://schema.org/"
SSTX = "https://w3id.org/sst-vocab/ns#"
SST = "https://w3id.org/sst-vocab/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEME = "https://w3id.org/sst-vocab"
BRIEFING = SST + "source/roundtable-2006-03-23"
RELEASE_0_1_0 = "e85dc88"  # the commit of the 0.1.0 vocabulary
MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


# ---------------------------------------------------------------------------------------------
# The source, parsed
# ---------------------------------------------------------------------------------------------


def source_sections() -> list[tuple[list[str], list[tuple[str, list[str]]]]]:
    """[(headings, [(bullet, [sub-bullets])])]: each run of bullets with the headings above it."""
    sections: list[tuple[list[str], list[tuple[str, list[str]]]]] = []
    headings: list[str] = []
    after_bullet = False
    for raw in SOURCE.read_text(encoding="utf-8").splitlines():
        line = raw.replace("**", "").rstrip()
        if not line.strip():
            continue
        m = re.match(r"^( *)- (.*)$", line)
        if not m:
            if after_bullet:  # a heading after bullets starts a new section
                headings = []
            headings.append(line.strip())
            after_bullet = False
            continue
        after_bullet = True
        if not sections or sections[-1][0] is not headings:
            sections.append((headings, []))
        text = m.group(2).strip()
        if m.group(1):
            sections[-1][1][-1][1].append(text)
        else:
            sections[-1][1].append((text, []))
    return sections


def joined(bullet: str, subs: list[str]) -> str:
    return " ".join([bullet, *subs])


def section(*heading_words: str) -> list[tuple[str, list[str]]]:
    for headings, bullets in source_sections():
        if tuple(headings[-len(heading_words) :]) == heading_words:
            return bullets
    raise AssertionError(f"no section {heading_words} in the source")


#: The source's draft definitions: the headings they sit under -> the concept carrying them.
DRAFT_DEFINITIONS = {
    ("Security Draft Definition",): "security",
    ("Security System Draft Definition",): "security-system",
    ("Security System Transformation", "Draft Definition"): "security-system-transformation",
    ("Whole of Government Approach", "Draft Definition"): "whole-of-government-approach",
    ("Transitional Security", "Draft Definition"): "transitional-security",
}


# ---------------------------------------------------------------------------------------------
# The vocabulary, read
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vocab():
    return load()


def objects(vocab, s: str, p: str) -> list:
    return [q.object for q in vocab.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None)]


def iris(vocab, s: str, p: str) -> set[str]:
    return {o.value for o in objects(vocab, s, p) if isinstance(o, ox.NamedNode)}


def texts(vocab, s: str, p: str) -> list[str]:
    return [o.value for o in objects(vocab, s, p) if isinstance(o, ox.Literal)]


def concepts(vocab) -> list[str]:
    return sorted(
        q.subject.value
        for q in vocab.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS + "Concept"))
    )


def labels(vocab, c: str) -> set[str]:
    return {t.casefold() for p in ("prefLabel", "altLabel", "hiddenLabel") for t in texts(vocab, c, SKOS + p)}


def all_literals(vocab) -> list[str]:
    return [q.object.value for q in vocab.store.quads_for_pattern(None, None, None) if isinstance(q.object, ox.Literal)]


def offices(vocab) -> set[str]:
    """The agents the source names as participants (by acronym, as sdo:alternateName)."""
    named = {"S/CRS", "INL", "PM", "ICITAP", "OPDAT", "OSD", "JFCOM", "USAID", "UN Foundation", "USIP"}
    out = set()
    for q in vocab.store.quads_for_pattern(None, ox.NamedNode(SDO + "alternateName"), None):
        if q.object.value in named:
            out.add(q.subject.value)
    return out


# ---------------------------------------------------------------------------------------------
# Verbatim: the five draft definitions, character for character
# ---------------------------------------------------------------------------------------------


def test_the_source_has_the_five_draft_definitions_the_vocabulary_expects():
    found = {tuple(h) for h, _ in source_sections() if h and h[-1].endswith("Draft Definition")}
    assert found == set(DRAFT_DEFINITIONS)


@pytest.mark.parametrize("headings", list(DRAFT_DEFINITIONS), ids=lambda h: " / ".join(h))
def test_verbatim_definitions_are_the_source_character_for_character(vocab, headings):
    bullets = next(b for h, b in source_sections() if tuple(h) == headings)
    expected = " ".join(joined(b, subs) for b, subs in bullets)
    concept = SST + DRAFT_DEFINITIONS[headings]
    assert texts(vocab, concept, SKOS + "definition") == [expected]
    assert iris(vocab, concept, SSTX + "definitionOrigin") == {SSTX + "verbatim"}


def test_only_the_draft_definitions_are_marked_verbatim(vocab):
    verbatim = {c for c in concepts(vocab) if SSTX + "verbatim" in iris(vocab, c, SSTX + "definitionOrigin")}
    assert verbatim == {SST + c for c in DRAFT_DEFINITIONS.values()}
    for c in set(concepts(vocab)) - verbatim:
        assert iris(vocab, c, SSTX + "definitionOrigin") == {SSTX + "editorial"}, c
        assert any("written by the sst-vocab editors" in n for n in texts(vocab, c, SKOS + "editorialNote")), c


# ---------------------------------------------------------------------------------------------
# Completeness: every point of the source is in the vocabulary, with its framing
# ---------------------------------------------------------------------------------------------


def bullet_groups() -> list[tuple[str, str]]:
    """(first heading, bullet joined with its sub-bullets) for every bullet of the source."""
    return [(h[0] if h else "", joined(b, subs)) for h, bullets in source_sections() for b, subs in bullets]


@pytest.mark.parametrize(
    "heading,text",
    [g for g in bullet_groups() if g[0] != "Who participated?"],
    ids=lambda x: x[:40] if isinstance(x, str) else x,
)
def test_every_point_of_the_source_is_in_the_vocabulary_with_its_sub_points(vocab, heading, text):
    """A bullet and its sub-bullets stay together in one text (so "They must be made accountable,
    however." keeps the sentence that says who "they" are)."""
    assert any(text in literal for literal in all_literals(vocab)), text


def test_the_participants_slide_is_in_the_vocabulary(vocab):
    """Each office line ("State Department (S/CRS, INL, PM)") is an office under its department,
    and the closing caveat is the briefing's participation note, verbatim."""
    (intro, lines), caveat = section("Who participated?")
    assert intro == "The workshop participants represented:"
    names = {}
    for q in vocab.store.quads_for_pattern(None, ox.NamedNode(SDO + "alternateName"), None):
        names[q.object.value] = q.subject.value
    for line in lines:
        m = re.match(r"^(.*?)(?: \((.*)\))?$", line)
        parent, acronyms = m.group(1), m.group(2)
        if acronyms:
            for a in acronyms.split(", "):
                assert iris(vocab, names[a], SDO + "parentOrganization") == {names[parent]}, a
        else:
            assert parent in names
    assert texts(vocab, BRIEFING, SSTX + "participationNote") == [joined(*caveat)]


def test_the_actor_list_keeps_its_framing_as_examples(vocab):
    """The source gives the actors under "Examples Follow", after the security system's definition."""
    text = SOURCE.read_text(encoding="utf-8")
    assert re.search(r"Examples\s+Follow\s+Security System Actors", text)
    actors = SST + "security-system-actors"
    assert any("Examples Follow" in n and "examples" in n for n in texts(vocab, actors, SKOS + "scopeNote"))
    assert "example" in texts(vocab, actors, SKOS + "definition")[0]
    assert iris(vocab, actors, SKOS + "broader") == {SST + "security-system"}


def test_the_security_environment_keeps_its_points_whole(vocab):
    env = SST + "security-environment"
    notes = texts(vocab, env, SKOS + "note") + texts(vocab, env, SKOS + "scopeNote")
    for bullet, subs in section("Security Environment"):
        assert joined(bullet, subs) in notes
    assert "They must be made accountable, however." not in notes  # never cut from its sentence


# ---------------------------------------------------------------------------------------------
# Attribution
# ---------------------------------------------------------------------------------------------


def test_the_scheme_describes_itself_as_five_verbatim_definitions_plus_the_editors(vocab):
    definition = texts(vocab, SCHEME, SKOS + "definition")[0]
    assert "five draft definitions" in definition and "verbatim" in definition
    assert "written by the sst-vocab editors" in definition
    assert "worked out by an interagency roundtable" not in definition  # 0.1.0 credited all of it to them
    history = texts(vocab, SCHEME, SKOS + "historyNote")[0]
    assert "have not reviewed the editors' text" in history


def test_the_offices_are_roundtable_participants_not_contributors_of_the_encoding(vocab):
    participants = offices(vocab)
    assert len(participants) == 10
    assert iris(vocab, SCHEME, DCT + "contributor") == set()
    assert iris(vocab, BRIEFING, DCT + "contributor") == participants
    roles = {}
    for node in objects(vocab, BRIEFING, PROV + "qualifiedAttribution"):
        agent = {q.object.value for q in vocab.store.quads_for_pattern(node, ox.NamedNode(PROV + "agent"), None)}
        role = {q.object.value for q in vocab.store.quads_for_pattern(node, ox.NamedNode(PROV + "hadRole"), None)}
        for a in agent:
            roles.setdefault(a, set()).update(role)
    assert roles == {a: {SSTX + "roundtableParticipant"} for a in participants}
    assert (
        iris(vocab, SCHEME, DCT + "creator")
        == iris(vocab, SCHEME, DCT + "publisher")
        == {SST + "agent/sst-vocab-editors"}
    )


def test_the_review_still_knows_the_participating_offices(vocab):
    from sst_vocab.review import review_state

    state = review_state()
    assert {o.iri for o in state.offices} == offices(vocab)


def test_the_encoding_has_its_own_created_date(vocab):
    created = texts(vocab, SCHEME, DCT + "created")
    roundtable = texts(vocab, BRIEFING, DCT + "date")
    assert roundtable == ["2006-03-23"]
    assert len(created) == 1 and created[0] > roundtable[0]
    assert created[0] <= texts(vocab, SCHEME, DCT + "modified")[0]


def test_the_roundtables_own_texts_are_on_the_briefing_not_the_editors_notes(vocab):
    rules = [joined(b, s) for b, s in section("Rules of the Road")]
    background = " ".join(joined(b, s) for b, s in section("Background"))
    assert sorted(texts(vocab, BRIEFING, SSTX + "ruleOfTheRoad")) == sorted(rules)
    assert texts(vocab, BRIEFING, DCT + "abstract") == [background]
    for note in texts(vocab, SCHEME, SKOS + "editorialNote"):
        assert not any(rule in note for rule in rules), note
    # the project ontology says what the two properties are
    assert texts(vocab, SSTX + "ruleOfTheRoad", "http://www.w3.org/2000/01/rdf-schema#comment")
    assert texts(vocab, SSTX + "participationNote", "http://www.w3.org/2000/01/rdf-schema#comment")


def test_every_concept_says_where_the_term_comes_from(vocab):
    for c in concepts(vocab):
        origin = iris(vocab, c, SSTX + "termOrigin")
        assert origin in ({SSTX + "roundtableTerm"}, {SSTX + "editorsTerm"}), c
        if origin == {SSTX + "editorsTerm"}:  # a concept the roundtable does not mention has no verbatim text
            assert iris(vocab, c, SSTX + "definitionOrigin") == {SSTX + "editorial"}, c
    for value in ("roundtableTerm", "editorsTerm"):
        assert SSTX + "TermOrigin" in iris(vocab, SSTX + value, RDF_TYPE)


# ---------------------------------------------------------------------------------------------
# Editorial definitions: neutral, standard usage, a change note on each revision
# ---------------------------------------------------------------------------------------------

#: Issue 17's list of narrowings: concept -> (words the definition must no longer say, words it says now).
REVISIONS = {
    "accountable-oversight-of-the-security-system": ("legitimate civilian authorities", "civil society and the media"),
    "providers-of-security": ("to the state", "for the legitimate government authorities and the populace"),
    "effective-delivery-of-security-services": (
        "to the state",
        "for the legitimate government authorities and the populace",
    ),
    "customary-and-traditional-justice-systems": ("Non-state", "recognized by the state"),
    "legislature": ("elected assembly", "assemblies"),
    "legislative-committees": ("members of parliament", "legislature"),
    "civil-defense-forces": ("outside the formal state security structure", "by the state"),
    "president-or-prime-minister": ("head of state or head of government who holds", "ceremonial"),
    "territorial-and-public-security": ("during a transition", "transitional security"),
    "framework-for-public-order-and-justice": ("during a transition", "transitional security"),
    "security-system-actors": ("individuals", "institutions and actors"),
}
REFERENCES = ("OECD DAC Handbook on Security System Reform", "United Nations")


@pytest.mark.parametrize("name", sorted(REVISIONS))
def test_the_narrowed_definitions_are_revised_with_a_change_note(vocab, name):
    c = SST + name
    gone, now = REVISIONS[name]
    (definition,) = texts(vocab, c, SKOS + "definition")
    assert gone not in definition and now in definition, definition
    assert any("definition revised" in n for n in texts(vocab, c, SKOS + "changeNote")), c
    notes = " ".join(texts(vocab, c, SKOS + "editorialNote"))
    if name not in ("providers-of-security", "security-system-actors"):  # these follow the source's words
        assert any(ref in notes for ref in REFERENCES), notes


def _git_show(rev: str, path: str) -> str | None:
    if not shutil.which("git") or not (ROOT / ".git").exists():
        return None
    done = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], capture_output=True, text=True)
    return done.stdout if done.returncode == 0 else None


@pytest.fixture(scope="module")
def release_0_1_0(tmp_path_factory):
    folder = tmp_path_factory.mktemp("v0.1.0")
    for name in ("actors.ttl", "ontology.ttl", "scheme.ttl", "terms.ttl"):
        text = _git_show(RELEASE_0_1_0, f"vocab/{name}")
        if text is None:
            pytest.skip(f"the 0.1.0 vocabulary (commit {RELEASE_0_1_0}) is not in this checkout's git history")
        (folder / name).write_text(text, encoding="utf-8")
    return load([str(folder)])


def test_every_changed_definition_and_label_has_a_change_note(vocab, release_0_1_0):
    changed = []
    for c in concepts(vocab):
        old_def = texts(release_0_1_0, c, SKOS + "definition")
        old_pref = texts(release_0_1_0, c, SKOS + "prefLabel")
        if old_def != texts(vocab, c, SKOS + "definition") or old_pref != texts(vocab, c, SKOS + "prefLabel"):
            changed.append(c)
            assert texts(vocab, c, SKOS + "changeNote"), f"{c} changed without a skos:changeNote"
            if old_pref != texts(vocab, c, SKOS + "prefLabel"):  # the old label still finds the concept
                assert old_pref[0].casefold() in labels(vocab, c), c
    assert len(changed) >= len(REVISIONS)


def test_no_concept_was_removed_since_0_1_0(vocab, release_0_1_0):
    assert set(concepts(release_0_1_0)) <= set(concepts(vocab))


def test_the_editorial_definitions_keep_the_rules_of_the_road(vocab):
    """Two or three sentences, no overly detailed addendums: the house style reports nothing."""
    report = validate()
    assert report.conforms
    assert [f for f in report.findings if f.severity != "Info"] == []


# ---------------------------------------------------------------------------------------------
# Hierarchy: no false "kind of"; editorial relations marked in the data
# ---------------------------------------------------------------------------------------------

IMPROVEMENTS = (
    "accountable-oversight-of-the-security-system",
    "security-system-management",
    "effective-delivery-of-security-services",
)
AIMS = (
    "territorial-and-public-security",
    "framework-for-public-order-and-justice",
    "capacity-effectiveness-and-legitimacy-of-security-and-justice-institutions",
)


@pytest.mark.parametrize("name", IMPROVEMENTS + AIMS)
def test_improvement_areas_and_aims_are_activities_not_kinds(vocab, name):
    """SSR/SST "consists of improving" three things and transitional security is formed "to" do
    three: with activity labels, narrower reads "part of", not "a kind of"."""
    (label,) = texts(vocab, SST + name, SKOS + "prefLabel")
    assert label.split()[0] in ("Improving", "Providing", "Developing"), label
    (bullet,) = texts(vocab, SST + name, SKOS + "scopeNote")  # the source's own words stay
    assert bullet in SOURCE.read_text(encoding="utf-8")


def test_informal_providers_are_providers_not_a_kind_of_environment(vocab):
    informal = SST + "informal-illicit-or-illegitimate-security-providers"
    assert iris(vocab, informal, SKOS + "broader") == {SST + "providers-of-security"}
    assert SST + "security-environment" in iris(vocab, informal, SKOS + "related")
    assert iris(vocab, SST + "security-environment", SKOS + "narrower") == set()


def related_pairs(vocab, prop: str) -> set[tuple[str, str]]:
    out = set()
    for q in vocab.store.quads_for_pattern(None, ox.NamedNode(SKOS + prop), None):
        out.add((q.subject.value, q.object.value))
    return out


def test_the_two_divisions_of_the_security_system_and_transitional_security_are_related(vocab):
    related = related_pairs(vocab, "related")
    related |= {(b, a) for a, b in related}
    kinds = {
        SST + k
        for k in (
            "providers-of-security",
            "institutions-that-support-security-providers",
            "oversight-and-supervisory-bodies",
        )
    }
    groups = iris(vocab, SST + "security-system-actors", SKOS + "narrower")
    assert len(groups) == 6
    assert {g for g in groups if any((g, k) in related for k in kinds)} == groups - {
        SST + "judicial-and-public-security-bodies"
    }
    assert (SST + "transitional-security", SST + "security-system-transformation") in related
    # and nothing is left in a cluster of its own (qSKOS disconnected clusters)
    assert not [f for f in validate().findings if f.rule == "REL-06-disconnected-cluster"]


def test_editorial_relations_are_marked_and_mark_real_relations(vocab):
    links = set()
    for prop in ("broader", "narrower", "related"):
        links |= related_pairs(vocab, prop)
    links |= {(b, a) for a, b in links}
    marked = {
        (q.subject.value, q.object.value)
        for q in vocab.store.quads_for_pattern(None, ox.NamedNode(SSTX + "editorialRelation"), None)
    }
    assert marked and marked <= links  # every mark is on a relation that exists
    for a, b in marked:  # marked on both concepts, so either page says so
        assert (b, a) in marked, (a, b)
    assert (SST + "whole-of-government-approach", SST + "security-system-transformation") in marked
    # the links the source states are not marked
    assert (SST + "security-system-transformation", SST + "security-environment") not in marked
    assert (SST + "security-system-transformation", SST + "security-system-actors") not in marked


# ---------------------------------------------------------------------------------------------
# Labels people search for, one convention
# ---------------------------------------------------------------------------------------------

SEARCHED = {
    "private security firms": "private-security-companies",
    "PSCs": "private-security-companies",
    "Ministry of Defence": "ministry-of-defense",
    "MoD": "ministry-of-defense",
    "Ministry of the Interior": "ministry-of-interior",
    "parliament": "legislature",
    "civil defence forces": "civil-defense-forces",
    "security sector": "security-system",
    "WoG": "whole-of-government-approach",
    "courts": "judiciary",
    "correctional services": "prisons-and-corrections-services",
    "power structures": "informal-illicit-or-illegitimate-security-providers",
}


@pytest.mark.parametrize("query", sorted(SEARCHED))
def test_the_labels_people_search_for_find_the_concept_first(invoke, vocab, query):
    result = invoke("search", query)
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert f"(sst:{SEARCHED[query]})" in first, result.stdout
    assert any(query.casefold() in label for label in labels(vocab, SST + SEARCHED[query]))


def test_the_source_words_private_security_firms_are_a_label(vocab):
    assert "private security firms in the U.S." in SOURCE.read_text(encoding="utf-8")
    assert "private security firms" in labels(vocab, SST + "private-security-companies")


def test_one_number_convention_for_classes_of_bodies(vocab):
    """The source's "justice ministries" and "Ministries of Defense, Interior, ...": plural, like the
    other classes of bodies; the singular stays findable."""
    ministries = [c for c in concepts(vocab) if "ministr" in c]
    assert len(ministries) == 5
    for c in ministries:
        (label,) = texts(vocab, c, SKOS + "prefLabel")
        assert "ministries" in label.casefold(), label
        assert any("ministry" in a for a in labels(vocab, c)), c
    assert texts(vocab, SST + "legislature", SKOS + "prefLabel") == ["Legislatures"]


def test_one_spelling_convention_us_as_in_the_source(vocab):
    """U.S. spelling in labels and definitions, British variants only as alternative labels; the
    house-style shape SPELL-convention keeps it."""
    british = re.compile(r"\b(defence|organis\w*|analys(e|ed|ing)|centre|behaviour|labour)\b", re.I)
    for c in concepts(vocab):
        for p in ("prefLabel", "definition"):
            for t in texts(vocab, c, SKOS + p):
                assert not british.search(t), (c, t)
    assert not [f for f in validate().findings if f.rule == "SPELL-convention"]


# ---------------------------------------------------------------------------------------------
# Mappings
# ---------------------------------------------------------------------------------------------


def mappings(vocab) -> set[tuple[str, str, str]]:
    out = set()
    for prop in MATCHES:
        for q in vocab.store.quads_for_pattern(None, ox.NamedNode(SKOS + prop), None):
            out.add((q.subject.value, prop, q.object.value))
    return out


def test_mercenaries_are_not_mapped_to_private_security_companies(vocab):
    mercenaries = "http://metadata.un.org/thesaurus/1004046"
    assert {(c, p) for c, p, t in mappings(vocab) if t == mercenaries} == {
        (SST + "non-state-security-providers", "relatedMatch")
    }
    assert not {t for c, p, t in mappings(vocab) if c == SST + "private-security-companies"} & {mercenaries}


def test_every_verified_row_is_used_once_and_no_other_target(vocab):
    with open(ROOT / "source" / "external-mappings.csv", encoding="utf-8") as f:
        rows = {r["external_iri"] for r in csv.DictReader(f)}
    targets = [t for _, _, t in mappings(vocab) if not t.startswith(SST)]
    assert sorted(targets) == sorted(rows)


def test_the_revisited_mappings(vocab):
    m = mappings(vocab)
    assert (SST + "security", "broadMatch", "http://www.wikidata.org/entity/Q2526135") in m
    assert (SST + "whole-of-government-approach", "relatedMatch", "http://metadata.un.org/thesaurus/1003249") in m
    assert (SST + "advocacy-organizations", "broadMatch", "http://eurovoc.europa.eu/1192") in m


def test_every_mapping_has_a_one_line_reason(vocab):
    rows = {}
    for line in (ROOT / "docs" / "mappings.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| `sst:([^`]+)` \| `skos:(\w+)` \| \[[^\]]*\]\(([^)]+)\) \| (.*) \|$", line)
        if m:
            assert (m.group(1), m.group(2), m.group(3)) not in rows, line
            rows[(SST + m.group(1), m.group(2), m.group(3))] = m.group(4).strip()
    assert set(rows) == mappings(vocab)
    assert all(len(r) > 20 for r in rows.values())


# ---------------------------------------------------------------------------------------------
# Licence statement, historical notes
# ---------------------------------------------------------------------------------------------


def test_the_licence_covers_the_encoding_and_the_editors_text_only(vocab):
    (rights,) = texts(vocab, SCHEME, DCT + "rights")
    assert "SKOS encoding and the editorial text" in rights and "CC BY 4.0" in rights
    assert "does not cover the roundtable's text" in rights
    assert iris(vocab, SCHEME, DCT + "license") == {"https://creativecommons.org/licenses/by/4.0/"}
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "does not cover the roundtable's text" in readme


@pytest.mark.parametrize(
    "acronym,words",
    [
        ("JFCOM", ("disestablished", "2011")),
        ("S/CRS", ("Bureau of Conflict and Stabilization Operations",)),
        ("UN Foundation", ("private charity", "neither a United Nations body nor a U.S. Government agency")),
    ],
)
def test_historical_notes(vocab, acronym, words):
    (agent,) = [
        q.subject.value
        for q in vocab.store.quads_for_pattern(
            None, ox.NamedNode(SDO + "alternateName"), ox.Literal(acronym, language="en")
        )
    ]
    note = " ".join(texts(vocab, agent, SKOS + "historyNote"))
    assert all(w in note for w in words), note


# ---------------------------------------------------------------------------------------------
# README and site: whose words each definition is
# ---------------------------------------------------------------------------------------------


def test_the_readme_says_which_definitions_are_the_roundtables(vocab):
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for name in DRAFT_DEFINITIONS.values():
        (label,) = texts(vocab, SST + name, SKOS + "prefLabel")
        assert f"*{label}*" in readme, label
    editorial = len(concepts(vocab)) - len(DRAFT_DEFINITIONS)
    assert f"other {editorial} definitions" in readme
    assert "listed by the roundtable, defined by the editors" in readme


def test_the_site_says_whose_words_each_definition_is(site, vocab):
    index = site.files["index.html"].decode("utf-8")
    assert "Whose definitions" in index
    assert "participants of the roundtable, not authors of this encoding" in index
    for rule in texts(vocab, BRIEFING, SSTX + "ruleOfTheRoad"):
        assert rule.replace("“", "&#8220;")[:30] in index or rule[:30] in index
    assert "The roundtable&#39;s own rules" in index or "The roundtable's own rules" in index
    for c in concepts(vocab):
        page = site.files[site.pages[c]].decode("utf-8")
        if SSTX + "verbatim" in iris(vocab, c, SSTX + "definitionOrigin"):
            assert ">Verbatim</span>" in page and "Listed by the roundtable, defined by the editors" not in page
        else:
            assert "Listed by the roundtable, defined by the editors" in page, c
    wog = site.files[site.pages[SST + "whole-of-government-approach"]].decode("utf-8")
    assert "editorial link" in wog


def test_the_changelog_lists_every_change_since_0_1_0(invoke, monkeypatch):
    """CHANGELOG.md holds `sst-vocab diff <0.1.0> vocab/ --format markdown`, line for line (regenerate
    the entry after editing vocab/)."""
    if _git_show(RELEASE_0_1_0, "vocab/scheme.ttl") is None:
        pytest.skip(f"the 0.1.0 vocabulary (commit {RELEASE_0_1_0}) is not in this checkout's git history")
    monkeypatch.chdir(ROOT)  # the revision is read from this repository
    result = invoke("diff", RELEASE_0_1_0, "vocab", "--format", "markdown")
    assert result.exit_code == 1, result.stderr  # they differ
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    entry = result.stdout.splitlines()
    assert entry[0].startswith("## 0.2.0 (changes since 0.1.0)")
    missing = [line for line in entry[1:] if line.strip() and line not in changelog]
    assert missing == []
