"""docs: the static site: every concept and definition on its page, links resolve, nothing external,
valid HTML, the data files say what the vocabulary says, same input -> same bytes, real vocabularies."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from markupsafe import escape

from conftest import REAL_VOCABS, write
from sst_vocab.export import context_bytes, serialize
from sst_vocab.loader import load
from sst_vocab.site import MANIFEST, build, plan, write_site

SKOS = "http://www.w3.org/2004/02/skos/core#"
SSTX = "https://w3id.org/sst-vocab/ns#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def site():
    return build()


@pytest.fixture(scope="module")
def vocab():
    return load()


def concepts_of(vocab) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = {}
    for q in vocab.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if isinstance(q.subject, ox.NamedNode):
            out.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
    return {s: p for s, p in out.items() if any(o.value == SKOS + "Concept" for o in p.get(RDF_TYPE, []))}


def page_text(data: bytes) -> str:
    """The visible text of a page (tags stripped, entities decoded, whitespace collapsed)."""
    text = data.decode("utf-8")
    text = re.sub(r"<script\b.*?</script>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


class Links(HTMLParser):
    """Every URL a page links to or loads, and every id it has."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.ids: list[str] = []
        self.loads: list[str] = []  # URLs the browser fetches by itself

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        for name in ("href", "src"):
            if name in a and a[name] is not None:
                self.links.append((tag, name, a[name]))
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("rel") in ("stylesheet", "icon", "preload", "modulepreload", "manifest"):
            self.loads.append(a.get("href", ""))
        if tag == "object" and a.get("data"):
            self.loads.append(a["data"])

    handle_startendtag = handle_starttag


def parse_links(data: bytes) -> Links:
    p = Links()
    p.feed(data.decode("utf-8"))
    p.close()
    return p


def broken_links(site) -> list[str]:
    """Internal links (and #fragments) of every page that name no file (or no id) of the site."""
    ids: dict[str, set[str]] = {}
    parsed = {}
    for name, data in site.files.items():
        if name.endswith(".html"):
            parsed[name] = parse_links(data)
            ids[name] = set(parsed[name].ids)
    broken = []
    for name, p in parsed.items():
        for tag, attr, url in p.links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue  # external (http:, https:, data:, mailto:) or the canonical IRI
            base_dir = name.rsplit("/", 1)[0] if "/" in name else ""
            target = unquote(parts.path)
            if target:
                joined = f"{base_dir}/{target}" if base_dir else target
                segs: list[str] = []
                for seg in joined.split("/"):
                    if seg == "..":
                        if not segs:
                            broken.append(f"{name}: {url} leaves the site")
                            break
                        segs.pop()
                    elif seg not in ("", "."):
                        segs.append(seg)
                target = "/".join(segs)
            else:
                target = name
            if target not in site.files:
                broken.append(f"{name}: <{tag} {attr}={url!r}> -> {target} (no such file)")
            elif parts.fragment and target.endswith(".html") and parts.fragment not in ids[target]:
                broken.append(f"{name}: {url} -> no id {parts.fragment!r} in {target}")
    return broken


# ---------------------------------------------------------------------------
# The shipped vocabulary
# ---------------------------------------------------------------------------


def test_every_concept_has_a_page_at_its_iri_path(site, vocab):
    concepts = concepts_of(vocab)
    assert len(concepts) > 40
    for iri in concepts:
        slug = iri.removeprefix("https://w3id.org/sst-vocab/")
        assert slug != iri
        assert f"{slug}.html" in site.files, iri
        for ext in (".ttl", ".jsonld", ".nt", ".rdf"):
            assert f"{slug}{ext}" in site.files
        r = site.resources[slug]
        assert (r.iri, r.stem, r.kind) == (iri, slug, "concept")
        assert site.pages[iri] == f"{slug}.html"
    assert site.mount == "/sst-vocab/"
    assert site.resources[""].iri == "https://w3id.org/sst-vocab"


def test_every_label_definition_note_and_example_appears_on_its_page(site, vocab):
    for iri, props in concepts_of(vocab).items():
        text = page_text(site.files[site.pages[iri]])
        for prop in ("prefLabel", "altLabel", "definition", "scopeNote", "note", "example", "editorialNote"):
            for literal in props.get(SKOS + prop, []):
                assert " ".join(literal.value.split()) in text, (iri, prop, literal.value)


def test_definition_origin_is_visible(site, vocab):
    seen = {"verbatim": 0, "editorial": 0}
    for iri, props in concepts_of(vocab).items():
        page = site.files[site.pages[iri]].decode()
        origin = props[SSTX + "definitionOrigin"][0].value.rsplit("#", 1)[1]
        seen[origin] += 1
        if origin == "verbatim":
            assert 'class="definition verbatim"' in page and ">Verbatim</span>" in page, iri
            assert "<blockquote>" in page
            assert "origin-editorial" not in page
        else:
            assert 'class="definition origin-editorial"' in page and ">Editorial</span>" in page, iri
            assert "written by the sst-vocab editors" in page
        assert "Roundtable: Results" in page  # the source, linked
    assert seen["verbatim"] >= 5 and seen["editorial"] >= 20


def test_concept_page_has_status_relations_mappings_and_its_own_data(site):
    page = site.files["armed-forces.html"].decode()
    text = page_text(site.files["armed-forces.html"])
    assert "Status: submitted" in text
    assert '<a href="armed-forces-police-and-paramilitary-units.html">' in page  # broader
    for target in (
        "http://eurovoc.europa.eu/2628",
        "http://metadata.un.org/thesaurus/1000382",
        "http://vocabularies.unesco.org/thesaurus/concept2870",
        "http://www.wikidata.org/entity/Q772547",
    ):
        assert f'href="{target}"' in page
    for name in ("EuroVoc", "UNBIS Thesaurus", "UNESCO Thesaurus", "Wikidata", "Exact match", "Close match"):
        assert name in text
    # Its Turtle and JSON-LD, shown and linked; JSON-LD in the head for search engines.
    assert 'href="armed-forces.ttl"' in page and 'href="armed-forces.jsonld"' in page
    assert str(escape(site.files["armed-forces.ttl"].decode())) in page
    head = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    doc = json.loads(head)
    assert doc["@id"] == "sst:armed-forces" and doc["prefLabel"] == {"en": "Armed forces"}
    assert page.index("application/ld+json") < page.index("</head>")
    # Narrower and related links.
    actors = site.files["security-system-actors.html"].decode()
    for slug in (
        "armed-forces-police-and-paramilitary-units",
        "civil-society-bodies",
        "security-system",
        "security-system-transformation",
    ):
        assert f'href="{slug}.html"' in actors


def test_index_tells_what_where_from_who_rules_version_and_offers_every_download(site, vocab):
    text = page_text(site.files["index.html"])
    page = site.files["index.html"].decode()
    for phrase in (
        "Security System Transformation Definitions",
        "United States Institute of Peace",
        "23 March 2006",
        "Roundtable: Results",
        "Participants",
        "USAID",
        "S/CRS",
        "JFCOM",
        "Rules of the road",
        "“Stay on target”",
        "Status: experimental",
        "Whose definitions",
        "not authors of this encoding",
        "critical mass",
    ):
        assert phrase in text, phrase
    (version,) = vocab.store.quads_for_pattern(
        ox.NamedNode("https://w3id.org/sst-vocab"), ox.NamedNode("http://www.w3.org/2002/07/owl#versionInfo"), None
    )
    assert f"version {version.object.value}" in text
    for name in ("index.ttl", "index.jsonld", "index.nt", "index.rdf", "index.csv", "context.jsonld"):
        assert f'href="{name}"' in page
    assert site.files["context.jsonld"] == context_bytes()
    for fmt, ext in (
        ("turtle", ".ttl"),
        ("ntriples", ".nt"),
        ("rdfxml", ".rdf"),
        ("csv", ".csv"),
        ("jsonld", ".jsonld"),
    ):
        assert site.files["index" + ext] == serialize(vocab, fmt), fmt
    # The hierarchy: an inline SVG picture whose boxes link to the concepts, and the full list.
    svg = re.search(r"<svg class=\"tree\".*?</svg>", page, re.S).group(0)
    for slug in ("security-system-actors", "armed-forces", "civil-society-bodies", "police"):
        assert f'href="{slug}.html"' in svg
    for iri in concepts_of(vocab):
        assert f'href="{site.pages[iri]}"' in page


def test_no_broken_internal_link(site):
    assert broken_links(site) == []


def test_pages_load_nothing_from_elsewhere(site):
    for name, data in site.files.items():
        if name.endswith(".html"):
            for url in parse_links(data).loads:
                assert url.startswith("data:") or (not urlsplit(url).scheme and not url.startswith("//")), (name, url)
            assert "@import" not in data.decode() and "url(http" not in data.decode()
    css = site.files["assets/site.css"].decode()
    js = site.files["assets/site.js"].decode()
    assert "http" not in css and "@import" not in css and "@font-face" not in css
    assert "http" not in js and "fetch(" not in js and "XMLHttpRequest" not in js


def test_html_is_well_formed_html5_with_language_and_unique_ids(site):
    html5 = pytest.importorskip("html5rdf")
    for name, data in site.files.items():
        if not name.endswith(".html"):
            continue
        text = data.decode("utf-8")
        assert text.startswith('<!DOCTYPE html>\n<html lang="en">'), name
        html5.HTMLParser(strict=True).parse(text)  # raises on any HTML5 parse error
        p = parse_links(data)
        assert len(p.ids) == len(set(p.ids)), (name, sorted(i for i in p.ids if p.ids.count(i) > 1))
        for ref in re.findall(r'(?:aria-labelledby|aria-describedby|aria-controls|for)="([^"]+)"', text):
            assert ref in p.ids, (name, ref)
        assert re.search(r"<title>[^<]+</title>", text), name
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
        assert 'style="' not in text and "onclick" not in text  # no inline style or script: CSP-safe


def test_concept_data_files_are_the_concepts_triples(site, vocab):
    """Each concept's .nt, .ttl, .rdf and .jsonld hold the same triples: its own, as in the whole vocabulary."""
    whole = set(ox.parse(site.files["index.nt"], format=ox.RdfFormat.N_TRIPLES))
    for iri in list(concepts_of(vocab))[:60]:
        stem = site.resources[iri.rsplit("/", 1)[1]].stem
        nt = set(ox.parse(site.files[stem + ".nt"], format=ox.RdfFormat.N_TRIPLES))
        assert nt and {t.subject.value for t in nt} == {iri}
        assert nt == {t for t in whole if t.subject.value == iri}
        assert set(ox.parse(site.files[stem + ".ttl"], format=ox.RdfFormat.TURTLE)) == nt
        assert set(ox.parse(site.files[stem + ".rdf"], format=ox.RdfFormat.RDF_XML)) == nt
        assert set(ox.parse(site.files[stem + ".jsonld"], format=ox.RdfFormat.JSON_LD)) == nt
        page = site.files[stem + ".html"].decode()
        head = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
        assert set(ox.parse(head.encode(), format=ox.RdfFormat.JSON_LD)) == nt


def test_other_minted_iris_get_pages_too(site):
    """Agents, the source document and the ontology are under the base: their IRIs resolve as well."""
    for path in ("agent/usip", "source/roundtable-2006-03-23", "ns"):
        assert site.resources[path].kind == "resource"
        assert path + ".html" in site.files and path + ".ttl" in site.files
    usip = page_text(site.files["agent/usip.html"])
    assert "United States Institute of Peace" in usip and "USIP" in usip
    assert 'href="../index.html"' in site.files["agent/usip.html"].decode()
    assert site.pages[SSTX + "verbatim"] == "ns.html#verbatim"


def test_search_index_covers_labels_alt_labels_and_definitions(site, vocab):
    text = site.files["assets/search-index.js"].decode()
    rows = json.loads(text[text.index("= ") + 2 : text.rindex(";")])
    by_page = {r[0]: r for r in rows}
    concepts = concepts_of(vocab)
    assert len(rows) == len(concepts)
    ssr = by_page["security-system-transformation.html"]
    assert ssr[1] == "Security system transformation" and "SSR" in ssr[2] and ssr[3].startswith("The transformation")


def test_same_input_same_bytes(site):
    again = build()
    assert again.files.keys() == site.files.keys()
    different = [n for n in site.files if site.files[n] != again.files[n]]
    assert different == []


def test_write_site_writes_skips_unchanged_and_removes_only_its_own_stale_files(tmp_path, site):
    out = tmp_path / "site"
    first = write_site(site, out)
    assert len(first.written) == len(site.files) and not first.unchanged
    assert (out / "index.html").read_bytes() == site.files["index.html"]
    (out / "keep-me.txt").write_text("mine")
    stale = out / "old-concept.html"
    stale.write_text("old")
    manifest = (out / MANIFEST).read_text()
    (out / MANIFEST).write_text(manifest + "old-concept.html\n../outside.txt\n")
    (tmp_path / "outside.txt").write_text("not ours")
    mtime = (out / "index.html").stat().st_mtime_ns
    second = write_site(site, out)
    assert second.written == [] and len(second.unchanged) == len(site.files)
    assert second.removed == ["old-concept.html"] and not stale.exists()
    assert (out / "keep-me.txt").read_text() == "mine" and (tmp_path / "outside.txt").exists()
    assert (out / "index.html").stat().st_mtime_ns == mtime


def test_docs_command(invoke, tmp_path):
    out = tmp_path / "site"
    result = invoke("docs", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert "concepts" in result.stdout and (out / "security.html").is_file() and (out / "assets" / "site.css").is_file()
    again = invoke("docs", "--output", str(out))
    assert again.exit_code == 0 and "0 files written" in again.stdout


def test_docs_with_broken_input_writes_nothing(invoke, tmp_path):
    bad = write(tmp_path / "bad.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    out = tmp_path / "site"
    result = invoke("docs", "--output", str(out), "--vocab", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}:2:") and "Traceback" not in result.stderr
    assert not out.exists()


def test_docs_refuses_a_file_as_output(invoke, tmp_path):
    target = write(tmp_path / "file.txt", "x")
    result = invoke("docs", "--output", str(target))
    assert result.exit_code == 2 and "Traceback" not in result.stderr


# ---------------------------------------------------------------------------
# Any SKOS vocabulary
# ---------------------------------------------------------------------------

EDGE = """\
@prefix ex: <https://example.org/v/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://example.org/v> a skos:ConceptScheme ;
    skos:prefLabel "Edge </script><script>alert(1)</script> & cases"@en ;
    skos:hasTopConcept ex:a .

ex:a a skos:Concept ; skos:prefLabel "A <b>bold</b>"@en , "Ä"@de ; skos:inScheme <https://example.org/v> ;
    skos:definition "Defines \\"A\\" </script>"@en ; skos:narrower ex:b , ex:c ; ex:weight 1.50 ;
    skos:related [ skos:prefLabel "anonymous"@en ] .
ex:b a skos:Concept ; skos:prefLabel "B"@en ; skos:broader ex:a , ex:c .
ex:c a skos:Concept ; skos:prefLabel "C"@en ; skos:broader ex:b .
ex:index a skos:Concept ; skos:prefLabel "A concept called index"@en .
ex:file.ttl a skos:Concept ; skos:prefLabel "A concept that looks like a file"@en .
ex:deep\\/er a skos:Concept ; skos:prefLabel "Escaped slash"@en .
ex:nested a skos:Concept ; skos:prefLabel "Nested parent"@en .
<https://example.org/v/nested/child> a skos:Concept ; skos:prefLabel "Nested child"@en ; skos:broader ex:nested .
<https://elsewhere.example/x#y> a skos:Concept ; skos:prefLabel "Outside the base"@en ; skos:broader ex:a .
ex:nolabel a skos:Concept .
"""


def test_any_vocabulary_edge_cases(tmp_path):
    path = write(tmp_path / "edge.ttl", EDGE)
    s = build([path])
    assert s.base == "https://example.org/v/" and s.mount == "/v/"
    assert broken_links(s) == []
    # Pages mirror IRI paths where they can; a name the site needs, or that looks like a file, moves.
    assert s.pages["https://example.org/v/a"] == "a.html"
    assert s.pages["https://example.org/v/nested/child"] == "nested/child.html"
    for iri in ("https://example.org/v/index", "https://example.org/v/file.ttl", "https://elsewhere.example/x#y"):
        assert s.pages[iri].startswith("id/"), iri
    assert s.resources["index"].stem.startswith("id/") if "index" in s.resources else True
    # The hierarchy has a cycle (b -> c -> b) and two parents for b: it still builds, every page linked.
    index = s.files["index.html"].decode()
    for page in s.pages.values():
        assert f'href="{page}"' in index
    # Text is escaped everywhere, also in the JSON-LD in the head.
    for name, data in s.files.items():
        if name.endswith(".html"):
            text = data.decode()
            assert "<script>alert(1)" not in text and "<b>bold</b>" not in text
            assert text.count("</script>") == text.count("<script")
    a = s.files["a.html"].decode()
    head = re.search(r'<script type="application/ld\+json">(.*?)</script>', a, re.S).group(1)
    assert json.loads(head)["definition"] == {"en": 'Defines "A" </script>'}
    assert '<span lang="de">Ä</span>' in a
    # Typed literals keep their lexical form in the concept's data.
    assert '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>' in s.files["a.nt"].decode()
    assert plan([path]).resources.keys() == s.resources.keys()


def test_vocabulary_without_a_scheme_or_concepts(tmp_path):
    no_scheme = write(
        tmp_path / "a.ttl",
        """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/things/> .
ex:one a skos:Concept ; skos:prefLabel "One"@fr ; skos:broader ex:two .
ex:two a skos:Concept ; skos:prefLabel "Two"@fr ; ex:p [ ex:q _:loop ] .
_:loop ex:back _:loop2 . _:loop2 ex:back _:loop .
""",
    )
    s = build([no_scheme])
    assert s.base == "http://example.org/things/" and s.resources[""].kind == "scheme"
    assert s.files["index.html"].decode().startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert broken_links(s) == []
    empty = write(tmp_path / "b.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n")
    s = build([empty])
    assert s.concepts == 0 and "index.html" in s.files and broken_links(s) == []


@pytest.fixture(scope="module")
def real_sites():
    return {p.stem: build([p]) for p in REAL_VOCABS}


@pytest.mark.parametrize("path", REAL_VOCABS, ids=[p.stem for p in REAL_VOCABS])
def test_real_vocabularies_build_with_every_concept_and_working_links(path, real_sites):
    s = real_sites[path.stem]
    vocab = load([path])
    concepts = concepts_of(vocab)
    assert s.concepts == len(concepts) > 100
    for iri, props in concepts.items():
        name = s.pages[iri]
        assert name in s.files
        labels = [o.value for o in props.get(SKOS + "prefLabel", [])]
        assert not labels or any(str(escape(v)) in s.files[name].decode() for v in labels), iri
    # Pages mirror IRI paths for all of them.
    assert sum(1 for r in s.resources.values() if r.kind == "concept") == len(concepts)
    assert broken_links(s) == []
    html5 = pytest.importorskip("html5rdf")
    pages = ["index.html"] + sorted(n for n in s.files if n.endswith(".html"))[:25]
    for name in pages:
        html5.HTMLParser(strict=True).parse(s.files[name].decode("utf-8"))


TERM_ORIGINS = """
@prefix ex: <https://example.org/v/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix sstx: <https://w3id.org/sst-vocab/ns#> .
ex:s a skos:ConceptScheme ; skos:prefLabel "S"@en ; skos:hasTopConcept ex:listed , ex:added , ex:quoted ;
    dcterms:source ex:doc .
ex:doc dcterms:title "The source"@en ; dcterms:contributor ex:office ;
    prov:qualifiedAttribution [ prov:agent ex:office2 ; prov:hadRole sstx:roundtableParticipant ] ;
    sstx:ruleOfTheRoad "Keep it short."@en ; sstx:participationNote "A critical mass took part."@en .
ex:office skos:prefLabel "Office one"@en .
ex:office2 skos:prefLabel "Office two"@en .
ex:quoted a skos:Concept ; skos:prefLabel "Quoted"@en ; skos:definition "Quoted text."@en ;
    sstx:definitionOrigin sstx:verbatim ; sstx:termOrigin sstx:roundtableTerm ; skos:related ex:added .
ex:listed a skos:Concept ; skos:prefLabel "Listed"@en ; skos:definition "Listed text."@en ;
    sstx:definitionOrigin sstx:editorial ; sstx:termOrigin sstx:roundtableTerm .
ex:added a skos:Concept ; skos:prefLabel "Added"@en ; skos:definition "Added text."@en ;
    sstx:definitionOrigin sstx:editorial ; sstx:termOrigin sstx:editorsTerm ;
    skos:related ex:quoted ; sstx:editorialRelation ex:quoted .
"""


def test_whose_words_each_definition_is(tmp_path):
    """Verbatim, "listed by the roundtable, defined by the editors" (sstx:roundtableTerm) and "added by
    the editors" (sstx:editorsTerm) read differently; participants, rules and the participation note
    come from the source document when the scheme names no contributors; editorial links are marked."""
    site = build([write(tmp_path / "v.ttl", TERM_ORIGINS)])
    page = {
        name: page_text(site.files[site.pages["https://example.org/v/" + name]])
        for name in ("quoted", "listed", "added")
    }
    assert "Verbatim" in page["quoted"] and "defined by the editors" not in page["quoted"]
    assert "Listed by the roundtable, defined by the editors" in page["listed"]
    assert "Added by the editors: the roundtable does not mention this term" in page["added"]
    assert "Listed by the roundtable" not in page["added"]
    assert "Related Quoted editorial link" in page["added"]
    assert "Related Added editorial link" in page["quoted"]  # the mark reads from either side
    index = page_text(site.files["index.html"])
    assert "The source's own definitions, character for character (1): Quoted" in index
    assert "Every other definition (2) was written by the editors" in index
    assert "1 for terms listed by the roundtable, defined by the editors" in index
    assert "1 for concepts added by the editors, which the roundtable does not mention" in index
    assert "Participants" in index and "Office one" in index and "Office two" in index
    assert "not authors of this encoding" in index and "A critical mass took part." in index
    assert "Rules of the road" in index and "Keep it short." in index


VARIETIES = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/varieties/> .
ex: a skos:ConceptScheme ; skos:prefLabel "Varieties"@en ; dct:language "LANG" ; skos:hasTopConcept ex:colour .
ex:colour a skos:Concept ; skos:inScheme ex: ;
    skos:prefLabel "Colour"@en-GB, "Color"@en-US ;
    skos:definition "Zed: how the British spell it."@en-GB, "Aye: how the Americans spell it."@en-US .
ex:centre a skos:Concept ; skos:inScheme ex: ; skos:broader ex:colour ;
    skos:prefLabel "Center"@en-US, "Centre"@en-GB, "Zentrum"@de ; skos:definition "The middle."@en-US .
ex:plain a skos:Concept ; skos:inScheme ex: ; skos:broader ex:colour ;
    skos:prefLabel "Untagged name", "Tagged name"@en ; skos:definition "Words without a tag.", "English words."@en .
"""


@pytest.mark.parametrize("lang", ["en", "en-GB", "en-US", "de"])
def test_names_and_definitions_follow_the_projects_label_rule(tmp_path, lang):
    """A page is named by the project's one label rule (sst_vocab.model), and its main definitions are
    those in the same best language: one regional variety per page, the others under "other languages"."""
    from sst_vocab.model import best_text, in_best_language

    path = write(tmp_path / "varieties.ttl", VARIETIES.replace("LANG", lang))
    s = build([path])
    search = json.loads(s.files["assets/search-index.js"].decode().split("= ", 1)[1].rstrip(";\n"))
    by_page = {row[0]: row for row in search}
    for iri, props in concepts_of(load([path])).items():
        text = s.files[s.pages[iri]].decode()
        assert f'<html lang="{lang.lower()}">' in text
        label = best_text(props[SKOS + "prefLabel"], lang)
        assert page_text(re.search(r"<h1>(.*?)</h1>", text).group(1).encode()) == label.value
        assert by_page[s.pages[iri]][1] == label.value
        main = in_best_language(props[SKOS + "definition"], lang)
        assert html.unescape(re.search(r'<meta name="description" content="(.*?)">', text).group(1)) == main[0].value
        found = re.search(r'<details class="other-languages">(.*?)</details>', text, re.S)
        others = found.group(1) if found else ""
        for d in props[SKOS + "definition"]:
            shown_as_other = str(escape(d.value)) in others
            assert shown_as_other == (d not in main), (lang, d)
