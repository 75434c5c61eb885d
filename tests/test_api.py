"""The Python API: import sst_vocab; graph(), jsonld(), concept(), concepts(), context()."""

from __future__ import annotations

import doctest
import json
import types

import pytest

import sst_vocab
from conftest import REAL_VOCABS, ROOT, run_python, write
from sst_vocab import api
from sst_vocab.errors import VocabError
from sst_vocab.export import export

SST = "https://w3id.org/sst-vocab/"


def test_all_is_sorted_and_complete():
    assert sst_vocab.__all__ == sorted(sst_vocab.__all__)
    public = {
        name
        for name in dir(sst_vocab)
        if not name.startswith("_") and not isinstance(getattr(sst_vocab, name), types.ModuleType)
    }
    assert set(sst_vocab.__all__) == public | {"__version__"}
    for name in sst_vocab.__all__:
        assert getattr(sst_vocab, name) is not None
    # Everything the API module offers for consumers is re-exported (concepts_of takes a loaded Vocabulary).
    assert set(api.__all__) - {"concepts_of"} <= set(sst_vocab.__all__)
    assert api.__all__ == sorted(api.__all__)


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        sst_vocab.no_such_thing  # noqa: B018


@pytest.mark.parametrize("module", ["sst_vocab", "sst_vocab.cli"])
def test_importing_the_package_or_cli_imports_nothing_heavy(module):
    code = (
        f"import sys, {module}\n"
        "heavy = [m for m in ('rdflib', 'pyoxigraph', 'pyld', 'pyshacl', 'sst_vocab.api', 'sst_vocab.export')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = run_python("-c", code, text=True, check=True)
    assert out.stdout.strip() == ""


def test_graph_is_the_shipped_vocabulary_as_rdflib():
    import rdflib
    from rdflib.compare import isomorphic

    g = sst_vocab.graph()
    assert isinstance(g, rdflib.Graph)
    source = rdflib.Graph()
    for f in sorted((ROOT / "vocab").glob("*.ttl")):
        source.parse(f, format="turtle")
    assert isomorphic(g, source)
    assert dict(g.namespaces())["skos"] == rdflib.URIRef("http://www.w3.org/2004/02/skos/core#")
    # A fresh graph each call: changing one does not change the next.
    g.remove((None, None, None))
    assert len(sst_vocab.graph()) == len(source)


def test_jsonld_is_the_export_document():
    assert sst_vocab.jsonld() == json.loads(export())
    referenced = sst_vocab.jsonld(context_url="https://w3id.org/sst-vocab/context.jsonld")
    assert referenced["@context"] == "https://w3id.org/sst-vocab/context.jsonld"
    assert sst_vocab.context() == json.loads((ROOT / "src" / "sst_vocab" / "context.jsonld").read_text())


@pytest.mark.parametrize(
    "key",
    [
        SST + "security-system-transformation",
        f"<{SST}security-system-transformation>",
        "sst:security-system-transformation",
        "Security system transformation",
        "security SYSTEM   transformation",
        "SSR",
        "security sector reform",
    ],
)
def test_concept_by_iri_curie_or_label(key):
    c = sst_vocab.concept(key)
    assert c is not None and c.iri == SST + "security-system-transformation"


def test_concept_fields():
    c = sst_vocab.concept("Police")
    assert isinstance(c, sst_vocab.Concept)
    assert c.pref_label == "Police" and c.pref_labels == {"en": "Police"}
    assert c.definition.startswith("Civilian law enforcement agencies")
    assert c.broader == (SST + "armed-forces-police-and-paramilitary-units",)
    assert c.narrower == ()
    assert c.schemes == ("https://w3id.org/sst-vocab",)
    assert c.mappings["exactMatch"] == (
        "http://eurovoc.europa.eu/2440",
        "http://metadata.un.org/thesaurus/1004963",
        "http://vocabularies.unesco.org/thesaurus/concept6848",
    )
    assert c.mappings["closeMatch"] == ("http://www.wikidata.org/entity/Q35535",)
    assert c.status == "https://linked.data.gov.au/def/reg-statuses/submitted"
    assert c.source == (SST + "source/roundtable-2006-03-23",)
    assert hash(c) == hash(c.iri)
    parent = sst_vocab.concept(c.broader[0])
    assert c.iri in parent.narrower


def test_concept_not_found_is_none():
    assert sst_vocab.concept("no such concept") is None
    assert sst_vocab.concept(SST + "agent/usip") is None  # an agent, not a concept


def test_concepts_lists_every_concept_sorted():
    cs = sst_vocab.concepts()
    assert len(cs) == 51
    assert [c.iri for c in cs] == sorted(c.iri for c in cs)
    assert sum(1 for c in cs if not c.broader) == 6  # the top concepts


def test_broader_and_narrower_are_read_in_both_directions(tmp_path):
    path = write(
        tmp_path / "v.ttl",
        """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
ex:a a skos:Concept ; skos:prefLabel "A"@en ; skos:narrower ex:b .
ex:b a skos:Concept ; skos:prefLabel "B"@en .
ex:c a skos:Concept ; skos:prefLabel "C"@en ; skos:broader ex:a ; skos:prefLabel "Ce"@de .
""",
    )
    a = sst_vocab.concept("A", [path])
    assert a.narrower == ("https://example.org/b", "https://example.org/c")
    assert sst_vocab.concept("B", [path]).broader == ("https://example.org/a",)
    assert sst_vocab.concept("Ce", [path], lang="de").pref_label == "Ce"


def test_ambiguous_label_is_an_error(tmp_path):
    path = write(
        tmp_path / "v.ttl",
        """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
ex:a a skos:Concept ; skos:prefLabel "Bank"@en .
ex:b a skos:Concept ; skos:prefLabel "Bank"@en .
ex:c a skos:Concept ; skos:prefLabel "Court"@en .
ex:d a skos:Concept ; skos:prefLabel "court"@en .
""",
    )
    with pytest.raises(VocabError, match="names 2 concepts"):
        sst_vocab.concept("bank", [path])
    assert sst_vocab.concept("court", [path]).iri == "https://example.org/d"  # exact case wins


def test_multilingual_and_notation_lookup():
    countries = next(p for p in REAL_VOCABS if p.stem == "countries")
    de = sst_vocab.concept("Deutschland", [countries], lang="de")
    assert de is not None and de.pref_label == "Deutschland"
    assert sst_vocab.concept("Germany", [countries]).iri == de.iri
    assert len(de.pref_labels) > 20
    lith = next(p for p in REAL_VOCABS if p.stem == "lithology")
    some = sst_vocab.concepts([lith])[100]
    assert some.notations and sst_vocab.concept(some.notations[0], [lith]).iri == some.iri


def test_bad_input_raises_vocab_error_with_file_and_line(tmp_path):
    bad = write(
        tmp_path / "bad.ttl", '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<x:a> skos:prefLabel "x .\n'
    )
    for call in (sst_vocab.graph, sst_vocab.jsonld, sst_vocab.concepts):
        with pytest.raises(VocabError) as err:
            call([bad])
        assert err.value.path == str(bad) and err.value.line == 2


def test_the_documented_examples_run():
    result = doctest.testmod(api, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 6
