"""export: JSON-LD read back by rdflib and pyld as exactly the source graph; other formats; bytes; safety."""

from __future__ import annotations

import csv
import io
import json
import os
import random
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import REAL_VOCABS, ROOT, run_sst, write
from sst_vocab.export import FORMATS, context_bytes, context_document, export
from sst_vocab.loader import load, resolve_paths
from sst_vocab.namespaces import PREFIXES
from sst_vocab.turtle_lex import language_tags

SKOS = "http://www.w3.org/2004/02/skos/core#"
VOCABS = [ROOT / "vocab"] + REAL_VOCABS
VOCAB_IDS = ["shipped"] + [p.stem for p in REAL_VOCABS]

# Everything a context-driven writer can get wrong: untagged, typed and mixed-case-language
# literals under language-map terms, literals and IRIs under the wrong kind of term,
# blank nodes (nested, shared, in a cycle, unreferenced, as a type), unknown predicates,
# RDF lists, rdf:type with a literal, an IRI that must not be shortened, owl:imports.
EDGE = r"""
@prefix ex: <https://example.org/v/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://example.org/v> a skos:ConceptScheme ;
    skos:prefLabel "Edge cases"@en ;
    owl:imports <IMPORTS> ;
    owl:versionInfo "1.0" ;
    owl:deprecated true , "maybe" ;
    dcterms:created "2020-01-01T10:00:00Z"^^xsd:dateTime , "2020-01-01"^^xsd:date ;
    dcterms:creator "a plain-text creator" , ex:someone .

ex:a a skos:Concept , ex:Thing ;
    skos:prefLabel "A"@en , "A (GB)"@en-GB , "untagged A" , "typed A"^^ex:dt , "A again"@en ;
    skos:altLabel "x"@en , "y"@en , "z" , ""@en ;
    skos:definition "<p>html</p>"^^rdf:HTML ;
    skos:note ex:an-iri-where-text-belongs ;
    skos:notation "A1"^^ex:code , "A1" ;
    skos:broader ex:b , "a literal where an IRI belongs" , [ skos:prefLabel "anonymous parent"@en ] ;
    skos:related [ skos:prefLabel "nested"@en ; ex:deeper [ ex:value 1.50 ] ] ;
    ex:count 42 , "042"^^xsd:integer , 1.0e3 , -0.0 , true ;
    ex:shared _:s ;
    ex:list ( "one" ex:two [ ex:three 3 ] ) ;
    ex:json "{\"a\": [1, 2]}"^^rdf:JSON ;
    rdfs:comment "Ünïcödé – “quotes” \n newline \t tab \\ backslash \u0001 control"@de ;
    <https://example.org/v/weird//predicate> "odd predicate" ;
    <urn:x-example:predicate> <urn:x-example:object> .

ex:b a skos:Concept ;
    skos:prefLabel "B"@en ;
    skos:narrower ex:a ;
    ex:shared _:s .

_:s ex:name "shared blank node" .
_:c1 ex:next _:c2 .
_:c2 ex:next _:c1 .
_:lonely ex:p "nobody points here" .
ex:typed-by-blank rdf:type [ rdfs:label "anonymous class"@en ] .
ex:typed-by-literal rdf:type "not a class" .
<https://w3id.org/sst-vocab///odd> skos:prefLabel "an IRI whose sst: form would be read as absolute"@en .
"""


def refuse(url, options=None):
    raise AssertionError(f"pyld tried to load {url}")


XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


def canonical(quads, lower_lang: bool = False, double_values: bool = False) -> set[str]:
    """N-Quads lines of the graph with blank nodes renamed by RDFC-1.0.

    ``lower_lang``: language tags lowercased; ``double_values``: xsd:double literals
    compared by value (see :func:`read_with_pyld` for why).
    """

    def fix(term):
        if isinstance(term, ox.Literal):
            if lower_lang and term.language:
                return ox.Literal(term.value, language=term.language.lower())
            if double_values and term.datatype.value == XSD_DOUBLE:
                try:
                    return ox.Literal(repr(float(term.value)), datatype=term.datatype)
                except ValueError:
                    return term
        return term

    quads = [ox.Quad(fix(q.subject), q.predicate, fix(q.object), ox.DefaultGraph()) for q in quads]
    if not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads):
        return {str(q) for q in quads}
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def source_graph(paths, **normalize) -> set[str]:
    """The graph of the Turtle files as pyoxigraph's parser reads them (lexical forms as written)."""
    quads = []
    for n, f in enumerate(resolve_paths(paths)):
        for t in ox.parse(Path(f).read_bytes(), format=ox.RdfFormat.TURTLE):
            s, o = t.subject, t.object
            s = ox.BlankNode(f"{n}_{s.value}") if isinstance(s, ox.BlankNode) else s
            o = ox.BlankNode(f"{n}_{o.value}") if isinstance(o, ox.BlankNode) else o
            quads.append(ox.Quad(s, t.predicate, o))
    return canonical(quads, **normalize)


def rdflib_nt(g) -> set[str]:
    """rdflib's graph, language tags lowercased: rdflib's JSON-LD parser lowercases them, its Turtle parser does not."""
    nt = g.serialize(format="nt", encoding="utf-8")
    return canonical(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), lower_lang=True)


def rdflib_source_graph(paths) -> set[str]:
    """The Turtle files as rdflib reads them (rdflib normalizes some literals, e.g. "042"^^xsd:integer)."""
    import rdflib

    g = rdflib.Graph()
    for f in resolve_paths(paths):
        g.parse(f, format="turtle")
    return rdflib_nt(g)


def read_with_rdflib(doc: dict) -> set[str]:
    """rdflib's JSON-LD parser; a string @context is replaced by the shipped one (rdflib would fetch it)."""
    import rdflib

    if isinstance(doc["@context"], str):
        doc = {**doc, "@context": context_document()["@context"]}
    return rdflib_nt(rdflib.Graph().parse(data=json.dumps(doc), format="json-ld"))


def read_with_oxigraph(data: bytes) -> set[str]:
    """pyoxigraph's JSON-LD 1.1 parser (Rust), which keeps every lexical form and language tag as written."""
    return canonical(ox.parse(data, format=ox.RdfFormat.JSON_LD))


def read_with_pyld(doc: dict, loader=refuse) -> set[str]:
    """pyld, straight from the JSON-LD document (never from N-Quads: its N-Quads parser is quadratic).

    Compared with two normalizations pyld applies to any input: it lowercases language
    tags (JSON-LD 1.1 allows it; RDF 1.1 compares tags case-insensitively), and it
    rewrites an xsd:double given as a string to canonical form ("1.0e3" -> "1.0E3",
    pyld/jsonld.py _object_to_rdf; JSON-LD 1.1 only canonicalizes JSON numbers).
    """
    from pyld import jsonld

    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": loader})
    parsed = ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    return canonical(parsed, **PYLD_NORMALIZES)


PYLD_NORMALIZES = {"lower_lang": True, "double_values": True}


def xml_safe(path: Path) -> Path:
    """The edge cases without the control character, which XML 1.0 (so RDF/XML) cannot carry."""
    return write(path.with_name("edge-xml.ttl"), path.read_text().replace(r"\u0001 control", "no control"))


@pytest.fixture
def edge(tmp_path, canary):
    url, hits = canary
    return write(tmp_path / "edge.ttl", EDGE.replace("IMPORTS", f"{url}/imports.ttl")), hits, url


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------


def test_default_is_compact_jsonld_with_the_context_embedded(invoke):
    result = invoke("export")
    assert result.exit_code == 0, result.stderr
    raw = result.stdout_bytes
    assert raw.endswith(b"}\n") and not raw.endswith(b"\n\n")
    assert "“Stay on target”".encode() in raw  # UTF-8, not \u escapes
    doc = json.loads(raw)
    assert list(doc) == ["@context", "@graph"]
    assert doc["@context"] == context_document()["@context"]
    sst = next(n for n in doc["@graph"] if n["@id"] == "sst:security-system-transformation")
    assert sst["@type"] == "Concept"
    assert sst["prefLabel"] == {"en": "Security system transformation"}
    assert sst["altLabel"] == {"en": ["SSR", "SST", "security sector reform", "security system reform"]}
    assert sst["narrower"] == [
        "sst:accountable-oversight-of-the-security-system",
        "sst:effective-delivery-of-security-services",
        "sst:security-system-management",
    ]
    assert sst["closeMatch"] == ["http://metadata.un.org/thesaurus/1005788"]
    assert sst["status"] == "regstatus:submitted"


def test_nodes_are_ordered_by_iri(invoke):
    doc = json.loads(invoke("export").stdout)
    ctx = context_document()["@context"]

    def full(curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return ctx[prefix] + local if isinstance(ctx.get(prefix), str) and not local.startswith("//") else curie

    iris = [full(n["@id"]) for n in doc["@graph"]]
    assert iris == sorted(iris)


@pytest.mark.parametrize("path", VOCABS, ids=VOCAB_IDS)
def test_jsonld_reads_back_as_the_same_graph_in_rdflib_and_pyld(path):
    data = export([path])
    doc = json.loads(data)
    assert read_with_oxigraph(data) == source_graph([path])
    assert read_with_rdflib(doc) == rdflib_source_graph([path])
    assert read_with_pyld(doc) == source_graph([path], **PYLD_NORMALIZES)


def test_edge_cases_read_back_exactly_and_nothing_is_fetched(edge):
    path, hits, _ = edge
    data = export([path])
    doc = json.loads(data)
    assert read_with_oxigraph(data) == source_graph([path])
    assert read_with_rdflib(doc) == rdflib_source_graph([path])
    assert read_with_pyld(doc) == source_graph([path], **PYLD_NORMALIZES)
    assert hits == []


@pytest.mark.parametrize(
    "path",
    [ROOT / "vocab", next(p for p in REAL_VOCABS if p.stem.startswith("Chronostrat"))],
    ids=["shipped", "blank-nodes"],
)
def test_rdflib_isomorphism_checker_agrees(path):
    import rdflib
    from rdflib.compare import isomorphic

    source = rdflib.Graph()  # language tags as written on both sides (export keeps them, en-AU stays en-AU)
    for f in resolve_paths([path]):
        source.parse(f, format="turtle")
    back = rdflib.Graph().parse(data=export([path]).decode(), format="json-ld")
    assert isomorphic(source, back)


def test_values_a_term_cannot_carry_fall_back_to_the_compact_iri(edge):
    path, _, _ = edge
    doc = json.loads(export([path]))
    a = next(n for n in doc["@graph"] if n["@id"] == "https://example.org/v/a")
    # language tags as written (pyoxigraph's parser lowercases them; export writes the author's en-GB)
    assert a["prefLabel"] == {"@none": "untagged A", "en": ["A", "A again"], "en-GB": "A (GB)"}
    assert a["skos:prefLabel"] == {"@type": "https://example.org/v/dt", "@value": "typed A"}
    assert a["altLabel"] == {"@none": ["z"], "en": ["", "x", "y"]}
    assert a["skos:note"] == {"@id": "https://example.org/v/an-iri-where-text-belongs"}
    assert a["skos:broader"] == "a literal where an IRI belongs"
    assert a["broader"][0] == "https://example.org/v/b"
    assert a["broader"][1] == {"prefLabel": {"en": "anonymous parent"}}  # used once: nested
    scheme = next(n for n in doc["@graph"] if n["@id"] == "https://example.org/v")
    assert scheme["created"] == "2020-01-01"
    assert scheme["dcterms:created"] == {"@type": "xsd:dateTime", "@value": "2020-01-01T10:00:00Z"}
    odd = [n["@id"] for n in doc["@graph"] if "odd" in n["@id"]]
    assert odd == ["https://w3id.org/sst-vocab///odd"]  # not "sst://odd", which means another IRI


def test_context_url_is_written_not_fetched_and_the_shipped_context_reads_it(edge, invoke):
    path, hits, _ = edge
    url = "http://127.0.0.1:9/never-fetched/context.jsonld"
    canary_url = edge[0].read_text().split("owl:imports <")[1].split("/imports.ttl")[0]
    for ctx_url in (url, f"{canary_url}/context.jsonld"):
        result = invoke("export", "--vocab", str(path), "--context-url", ctx_url)
        assert result.exit_code == 0, result.stderr
        doc = json.loads(result.stdout)
        assert doc["@context"] == ctx_url

        def serve_shipped(requested, options=None, ctx_url=ctx_url):
            assert requested == ctx_url
            return {"contextUrl": None, "documentUrl": requested, "document": context_document()}

        assert read_with_pyld(doc, loader=serve_shipped) == source_graph([path], **PYLD_NORMALIZES)
        assert read_with_rdflib(doc) == rdflib_source_graph([path])
    assert hits == []


def test_no_network_in_any_format_or_through_the_api(edge, invoke, tmp_path):
    import sst_vocab

    path, hits, _ = edge
    for fmt in FORMATS:
        vocab = xml_safe(path) if fmt == "rdfxml" else path
        result = invoke("export", "--vocab", str(vocab), "--format", fmt, "--output", str(tmp_path / f"out.{fmt}"))
        assert result.exit_code == 0, result.stderr
    sst_vocab.jsonld([path])
    sst_vocab.graph([path])
    assert hits == []


def test_the_shipped_context_is_valid_jsonld_11(tmp_path):
    from pyld import jsonld

    ctx = context_document()
    assert list(ctx) == ["@context"] and ctx["@context"]["@version"] == 1.1
    assert context_bytes() == (ROOT / "src" / "sst_vocab" / "context.jsonld").read_bytes()
    # pyld processes every term definition (it rejects invalid containers, cycles, bad IRIs).
    doc = {"@context": ctx["@context"], "@id": "sst:x", "prefLabel": {"en": "X"}, "broader": "sst:y"}
    expanded = jsonld.expand(doc, {"documentLoader": refuse})
    assert expanded[0][SKOS + "broader"] == [{"@id": "https://w3id.org/sst-vocab/y"}]
    # Prefixes shared with the rest of the project mean the same namespaces.  "status" is
    # the key for reg:status here, so the status namespace is "regstatus" in JSON-LD.
    for name, ns in ctx["@context"].items():
        if name in PREFIXES and isinstance(ns, str):
            assert PREFIXES[name] == ns, name
    assert ctx["@context"]["regstatus"] == PREFIXES["status"]
    assert ctx["@context"]["status"]["@id"] == "reg:status"


def test_the_context_shapes_the_skos_terms():
    ctx = context_document()["@context"]
    assert ctx["prefLabel"]["@container"] == "@language"
    assert sorted(ctx["altLabel"]["@container"]) == ["@language", "@set"]
    for term in ("definition", "scopeNote", "note", "editorialNote", "title", "comment"):
        assert "@language" in ctx[term]["@container"], term
    for term in (
        "broader",
        "narrower",
        "related",
        "inScheme",
        "hasTopConcept",
        "topConceptOf",
        "exactMatch",
        "closeMatch",
        "broadMatch",
        "narrowMatch",
        "relatedMatch",
        "member",
    ):
        assert ctx[term]["@type"] == "@id" and ctx[term]["@container"] == "@set", term
    for term in ("versionIRI", "license", "isDefinedBy", "status", "definitionOrigin", "source"):
        assert ctx[term]["@type"] == "@id", term
    assert ctx["created"]["@type"] == ctx["modified"]["@type"] == "xsd:date"


def test_blank_node_labels_are_scoped_per_file_and_duplicates_merge(tmp_path):
    one = write(
        tmp_path / "v" / "a.ttl",
        '_:x <https://example.org/p> "same" .\n<https://example.org/s> <https://example.org/p> "dup" .\n',
    )
    write(
        tmp_path / "v" / "b.ttl",
        '_:x <https://example.org/p> "same" .\n<https://example.org/s> <https://example.org/p> "dup" .\n',
    )
    lines = export([one.parent], "ntriples").decode().splitlines()
    assert len(lines) == 3  # two blank nodes, one shared triple
    doc = json.loads(export([one.parent]))
    assert read_with_oxigraph(export([one.parent])) == source_graph([one.parent])
    assert len(doc["@graph"]) == 3


# ---------------------------------------------------------------------------
# Byte stability
# ---------------------------------------------------------------------------


def _run_module(*args: str, seed: str) -> bytes:
    proc = run_sst(*args, env={"PYTHONHASHSEED": seed}, check=True)
    return proc.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_byte_stable_across_processes(fmt, edge):
    path, _, _ = edge
    path = xml_safe(path) if fmt == "rdfxml" else path
    a = _run_module("export", "--format", fmt, "--vocab", str(path), seed="1")
    b = _run_module("export", "--format", fmt, "--vocab", str(path), seed="2")
    assert a == b and a.endswith(b"\n")


def test_the_same_graph_written_differently_gives_the_same_bytes(edge, tmp_path):
    """Blank-node labels and statement order in the source do not leak into any output."""
    path, _, _ = edge
    triples = ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE)  # not the store: it normalizes literals
    lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode().splitlines()
    random.Random(7).shuffle(lines)
    relabelled = "\n".join(lines).replace("_:", "_:zz") + "\n"
    for low, tag in language_tags(path.read_text(encoding="utf-8")).items():  # the tags as the source wrote them
        relabelled = relabelled.replace(f'"@{low} ', f'"@{tag} ')
    other = write(tmp_path / "shuffled.ttl", relabelled)
    for fmt in FORMATS:
        if fmt in ("turtle", "rdfxml"):  # prefixes come from the source files, which differ here
            continue
        assert export([path], fmt) == export([other], fmt), fmt


# ---------------------------------------------------------------------------
# Turtle, N-Triples, RDF/XML, CSV
# ---------------------------------------------------------------------------

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml"}


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
@pytest.mark.parametrize("path", VOCABS, ids=VOCAB_IDS)
def test_rdf_formats_round_trip(path, fmt):
    data = export([path], fmt)
    assert canonical(ox.parse(data, format=RDF_FORMATS[fmt])) == source_graph([path])


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_formats_round_trip_the_edge_cases_exactly(fmt, edge):
    path, _, _ = edge
    path = xml_safe(path) if fmt == "rdfxml" else path
    assert canonical(ox.parse(export([path], fmt), format=RDF_FORMATS[fmt])) == source_graph([path])


def test_an_iri_whose_scheme_is_a_context_prefix_is_refused_not_misread(invoke, tmp_path):
    """<skos:x> is an absolute IRI; written as "skos:x" in JSON-LD it would mean skos's namespace + x."""
    path = write(tmp_path / "v.ttl", '<skos:x> <http://www.w3.org/2004/02/skos/core#prefLabel> "x"@en .\n')
    result = invoke("export", "--vocab", str(path))
    assert result.exit_code == 2 and "<skos:x>" in result.stderr and "cannot be written as JSON-LD" in result.stderr
    assert invoke("export", "--vocab", str(path), "--format", "turtle").exit_code == 0


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_rdf_formats_round_trip_in_rdflib_too(fmt, edge):
    import rdflib

    path, _, _ = edge
    if fmt == "rdfxml":
        path = xml_safe(path)
    g = rdflib.Graph().parse(data=export([path], fmt), format=RDFLIB_FORMATS[fmt])
    assert rdflib_nt(g) == rdflib_source_graph([path])


def test_rdfxml_round_trips_the_shipped_vocabulary_in_rdflib():
    import rdflib

    g = rdflib.Graph().parse(data=export(None, "rdfxml"), format="xml")
    assert rdflib_nt(g) == rdflib_source_graph(None)


@pytest.mark.parametrize(
    "triple, words",
    [
        ('<https://example.org/a> <https://example.org/p> "bell \\u0007 rings" .', "control character"),
        ('<https://example.org/a> <https://example.org/p/> "x" .', "does not end in an XML name"),
        ('<https://example.org/a> <https://example.org/p/123> "x" .', "does not end in an XML name"),
    ],
    ids=["control-character", "no-local-name", "digits-only"],
)
def test_rdfxml_refuses_what_xml_cannot_carry(invoke, tmp_path, triple, words):
    path = write(tmp_path / "v.ttl", triple + "\n")
    out = tmp_path / "v.rdf"
    result = invoke("export", "--vocab", str(path), "--format", "rdfxml", "--output", str(out))
    assert result.exit_code == 2 and words in result.stderr
    assert not out.exists()
    assert invoke("export", "--vocab", str(path), "--format", "turtle").exit_code == 0


def test_turtle_uses_the_source_prefixes_sorted(invoke):
    text = invoke("export", "--format", "turtle").stdout
    head = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert head == sorted(head)
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in head
    assert "sst:security-system-transformation a skos:Concept ;" in text


def test_ntriples_are_sorted_lines(invoke):
    lines = invoke("export", "--format", "ntriples").stdout.splitlines()
    assert len(lines) == len(load()) and len(set(lines)) == len(lines)
    subjects = [line.split(" ", 1)[0] for line in lines]
    assert subjects == sorted(subjects)


def test_csv_has_one_row_per_concept(invoke):
    result = invoke("export", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert list(rows[0]) == [
        "iri",
        "prefLabel",
        "altLabels",
        "definition",
        "broader",
        "broaderLabels",
        "status",
        "source",
    ]
    n_concepts = len(
        list(
            load().store.quads_for_pattern(
                None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(SKOS + "Concept")
            )
        )
    )
    assert len(rows) == n_concepts == len({r["iri"] for r in rows})
    assert [r["iri"] for r in rows] == sorted(r["iri"] for r in rows)
    sst = next(r for r in rows if r["iri"].endswith("/security-system-transformation"))
    assert sst["prefLabel"] == "Security system transformation"
    assert sst["altLabels"] == "SSR | SST | security sector reform | security system reform"
    assert sst["definition"].startswith("The transformation of security system actors")
    assert sst["status"] == "https://linked.data.gov.au/def/reg-statuses/submitted"
    assert sst["source"] == "https://w3id.org/sst-vocab/source/roundtable-2006-03-23"
    police = next(r for r in rows if r["iri"].endswith("/police"))
    assert police["broader"] == "https://w3id.org/sst-vocab/armed-forces-police-and-paramilitary-units"
    assert police["broaderLabels"] == "Armed forces, police and paramilitary units"


def test_csv_of_a_multilingual_vocabulary_prefers_english():
    countries = next(p for p in REAL_VOCABS if p.stem == "countries")
    rows = list(csv.DictReader(io.StringIO(export([countries], "csv").decode("utf-8"), newline="")))
    assert rows and all(r["prefLabel"] for r in rows)
    germany = [r for r in rows if r["prefLabel"] == "Germany"]
    assert len(germany) == 1


FORMULAS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/f/> .
ex:s a skos:ConceptScheme .
ex:a a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "=HYPERLINK(\\"http://evil.example\\",\\"Click\\")"@en ;
    skos:altLabel "@SUM(1+1)"@en ; skos:definition "-2+3 is one way to write a sum."@en .
ex:b a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel "Plain"@en ; skos:definition "Safe text."@en .
"""


def test_csv_keeps_text_exactly_unless_asked_to_be_spreadsheet_safe(invoke, tmp_path):
    f = write(tmp_path / "formulas.ttl", FORMULAS)

    def rows(*extra):
        result = invoke("export", "--vocab", str(f), "--format", "csv", *extra)
        assert result.exit_code == 0, result.stderr
        return {r["iri"]: r for r in csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline=""))}

    exact, safe = rows(), rows("--spreadsheet-safe")
    a, b = "https://example.org/f/a", "https://example.org/f/b"
    assert exact[a]["prefLabel"] == '=HYPERLINK("http://evil.example","Click")'
    assert safe[a]["prefLabel"] == "'" + exact[a]["prefLabel"]
    assert (safe[a]["altLabels"], safe[a]["definition"]) == ("'@SUM(1+1)", "'-2+3 is one way to write a sum.")
    assert safe[b] == exact[b]  # text that cannot be read as a formula is untouched
    refused = invoke("export", "--format", "turtle", "--spreadsheet-safe")
    assert refused.exit_code == 2 and "--spreadsheet-safe applies to --format csv only" in refused.stderr


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", VOCABS, ids=VOCAB_IDS)
def test_every_format_works_on_every_vocabulary_from_the_cli(invoke, path, fmt):
    result = invoke("export", "--vocab", str(path), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.endswith(b"\n") and not result.stderr


# ---------------------------------------------------------------------------
# --output and bad input
# ---------------------------------------------------------------------------


def test_output_writes_the_same_bytes_atomically(invoke, tmp_path):
    out = tmp_path / "v.jsonld"
    out.write_text("old content")
    result = invoke("export", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_bytes() == invoke("export").stdout_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.jsonld"]  # no temporary file left


def test_broken_vocabulary_exits_2_with_file_and_line_and_writes_nothing(invoke, tmp_path):
    bad = write(
        tmp_path / "bad.ttl", '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\n<x:a> skos:prefLabel "oops .\n'
    )
    out = tmp_path / "out.jsonld"
    out.write_text("previous export")
    for fmt in FORMATS:
        result = invoke("export", "--vocab", str(bad), "--format", fmt, "--output", str(out))
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {bad}:3: ")
        assert "Traceback" not in result.stderr
    assert out.read_text() == "previous export"
    missing = tmp_path / "new.jsonld"
    assert invoke("export", "--vocab", str(bad), "--output", str(missing)).exit_code == 2
    assert not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "out.jsonld"]


def test_output_into_a_missing_folder_is_bad_input(invoke, tmp_path):
    result = invoke("export", "--output", str(tmp_path / "nope" / "v.jsonld"))
    assert result.exit_code == 2 and "folder does not exist" in result.stderr


def test_context_url_only_applies_to_jsonld(invoke):
    result = invoke("export", "--format", "turtle", "--context-url", "https://example.org/ctx.jsonld")
    assert result.exit_code == 2 and "--context-url" in result.stderr


def test_export_help_names_the_formats(invoke):
    result = invoke("export", "--help")
    assert result.exit_code == 0
    for fmt in FORMATS:
        assert fmt in result.stdout


def test_output_through_a_symlink_replaces_its_target_and_a_device_is_refused(invoke, tmp_path):
    real = tmp_path / "real.ttl"
    real.write_text("old")
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    assert invoke("export", "--format", "turtle", "--output", str(link)).exit_code == 0
    assert link.is_symlink() and "skos:Concept" in real.read_text()
    device = invoke("export", "--output", "/dev/null")
    assert device.exit_code == 2 and "is not a regular file" in device.stderr
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")  # still the device
