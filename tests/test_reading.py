"""The reading layer (sst_vocab.reading) and the symptoms of issue 11, each through the CLI or the public API.

Every command reads Turtle the same way: the file's own file:// IRI (or --base) as base IRI,
prefixes resolved against it, blank nodes per file, one error mapping, RDF/XML recognised.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import write
from sst_vocab.errors import VocabError
from sst_vocab.loader import load
from sst_vocab.reading import file_iri, prefixes, resolve_iri

SKOS = "http://www.w3.org/2004/02/skos/core#"

RELATIVE_PREFIX = """@base <http://example.org/v/> .
@prefix ex: <> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<scheme> a skos:ConceptScheme ; skos:prefLabel "Relative"@en .
ex:alpha a skos:Concept ; skos:prefLabel "Alpha"@en ; skos:inScheme <scheme> ; skos:topConceptOf <scheme> .
ex:beta a skos:Concept ; skos:prefLabel "Beta"@en ; skos:broader ex:alpha ; skos:inScheme <scheme> .
"""

COMMANDS_THAT_READ = [
    "validate",
    "export",
    "release",
    "publish",
    "fmt",
    "diff",
    "review",
    "query",
    "show",
    "search",
    "tree",
    "docs",
    "serve",
    "redirects",
]


# --------------------------------------------------------------------------------------------
# base IRIs and prefixes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["show", "alpha"],
        ["show", "ex:beta"],
        ["search", "Beta"],
        ["tree"],
        ["query", "narrower", "--bind", "concept=ex:alpha"],
        ["validate"],
        ["export", "--format", "turtle"],
        ["fmt", "--check"],
    ],
    ids=lambda a: a[0] if a[0] != "show" else "show-" + a[1],
)
def test_a_prefix_relative_to_base_works_in_every_command(tmp_path, invoke, args):
    f = write(tmp_path / "rel.ttl", RELATIVE_PREFIX)
    where = [str(f)]
    r = invoke(*args, *where)
    assert r.exit_code in (0, 1), r.stderr
    assert "Error" not in r.stderr


def test_vocabulary_prefixes_are_resolved_against_the_base(tmp_path):
    f = write(tmp_path / "rel.ttl", RELATIVE_PREFIX)
    assert load([f]).prefixes["ex"] == "http://example.org/v/"
    assert prefixes("@prefix a: <x/> .\nPREFIX b: <#>\n", "file:///d/f.ttl") == {
        "a": "file:///d/x/",
        "b": "file:///d/f.ttl#",
    }


def test_relative_iris_without_base_resolve_against_the_file(tmp_path, invoke):
    f = write(
        tmp_path / "folder with space" / "v.ttl",
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n<#a> a skos:Concept ; skos:prefLabel "A"@en .\n',
    )
    vocab = load([f])
    iri = file_iri(f) + "#a"
    assert iri.startswith("file:///") and "%20" in iri
    assert vocab.location(iri) == (str(f), 2)
    r = invoke("show", "a", str(f))
    assert r.exit_code == 0 and iri in r.stdout
    r = invoke("show", "a", str(f), "--base", "http://example.org/x")
    assert r.exit_code == 0 and "http://example.org/x#a" in r.stdout
    r = invoke("validate", str(f), "--base", "not a base")
    assert r.exit_code == 2 and "--base" in r.stderr


@pytest.mark.parametrize("command", COMMANDS_THAT_READ)
def test_every_command_that_reads_files_takes_base(invoke, command):
    r = invoke(command, "--help")
    assert "--base IRI" in r.stdout


def test_rfc3986_resolution_matches_the_parser():
    import pyoxigraph as ox

    base = "http://a/b/c/d;p?q"
    for ref in [
        "g:h",
        "g",
        "./g",
        "g/",
        "/g",
        "//g",
        "?y",
        "g?y",
        "#s",
        "g#s",
        "g?y#s",
        ";x",
        "g;x",
        "",
        ".",
        "./",
        "..",
        "../",
        "../g",
        "../..",
        "../../",
        "../../g",
        "../../../g",
        "/./g",
        "/../g",
        "g.",
        ".g",
        "g..",
        "..g",
        "./../g",
        "./g/.",
        "g/./h",
        "g/../h",
        "g;x=1/./y",
        "g;x=1/../y",
    ]:
        parsed = next(iter(ox.parse(f"<{ref}> <urn:p> <urn:o> .".encode(), format=ox.RdfFormat.TURTLE, base_iri=base)))
        assert resolve_iri(ref, base) == parsed.subject.value, ref


def test_blank_nodes_are_scoped_per_file(tmp_path):
    a = write(tmp_path / "a.ttl", '_:x <http://e.org/p> "a" .\n')
    b = write(tmp_path / "b.ttl", '_:x <http://e.org/p> "b" .\n')
    vocab = load([a, b])
    subjects = {q.subject for q in vocab.store}
    assert len(subjects) == 2


# --------------------------------------------------------------------------------------------
# what Turtle allows is read; RDF/XML is recognised
# --------------------------------------------------------------------------------------------


def test_nul_and_control_characters_inside_strings_are_accepted(tmp_path, invoke):
    f = tmp_path / "ctl.ttl"
    f.write_bytes(b'<http://e.org/s> <http://e.org/p> "a\x00b\x01c" .\n')
    assert len(load([f])) == 1
    r = invoke("export", str(f), "--format", "ntriples")
    assert r.exit_code == 0 and "a\\u0000b\\u0001c" in r.stdout


def test_a_binary_file_is_still_refused(tmp_path):
    f = tmp_path / "image.ttl"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(VocabError, match="binary"):
        load([f])


RDFXML = """<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="http://example.org/c/a"><skos:prefLabel xml:lang="en">Ay</skos:prefLabel></skos:Concept>
</rdf:RDF>
"""


def test_rdfxml_is_read_by_the_readers_and_refused_by_fmt(tmp_path, invoke):
    f = write(tmp_path / "v.ttl", RDFXML)  # RDF/XML under a .ttl name, as converted files often are
    r = invoke("validate", str(f))
    assert r.exit_code in (0, 1) and "Invalid IRI" not in r.stderr
    assert invoke("show", "a", str(f)).stdout.startswith("Ay")
    r = invoke("fmt", str(f))
    assert r.exit_code == 2 and "RDF/XML" in r.stderr and f"{f}:1:" in r.stderr
    assert f.read_text() == RDFXML


# --------------------------------------------------------------------------------------------
# escaped local names: fmt invents and refuses nothing, validate names FILE:LINE
# --------------------------------------------------------------------------------------------

ESCAPES = r"""@prefix ex: <http://example.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:a\#b a skos:Concept ; skos:prefLabel "hash"@en .
ex:a\.b a skos:Concept ; skos:prefLabel "dot"@en .
ex:a\,b a skos:Concept ; skos:prefLabel "comma"@en .
ex:x\~\!\$\&\'\(\)\*\+\;\=\/\?\@\%41 a skos:Concept ; skos:prefLabel "all"@en .
<http://example.org/\u0075nicode> a skos:Concept ; skos:prefLabel "uchar"@en .
ex:p%20q a skos:Concept ; skos:prefLabel "percent"@en .
"""


def test_fmt_reads_escaped_local_names_as_names(tmp_path, invoke):
    f = write(tmp_path / "esc.ttl", ESCAPES)
    r = invoke("fmt", str(f))
    assert r.exit_code == 0, r.stderr
    out = f.read_text()
    assert "#" not in out.replace("http://example.org/a#b", "").replace("skos/core#", "")  # no invented comment
    assert invoke("fmt", "--check", str(f)).exit_code == 0


def test_validate_gives_file_and_line_for_every_way_of_writing_a_subject(tmp_path, invoke):
    f = write(tmp_path / "esc.ttl", ESCAPES)
    r = invoke("validate", str(f), "--format", "json")
    findings = json.loads(r.stdout)["findings"]
    lines = {x["focus"]: x["line"] for x in findings}
    assert lines["http://example.org/a#b"] == 3
    assert lines["http://example.org/a.b"] == 4
    assert lines["http://example.org/a,b"] == 5
    assert lines["http://example.org/x~!$&'()*+;=/?@%41"] == 6
    assert lines["http://example.org/unicode"] == 7
    assert lines["http://example.org/p%20q"] == 8
    assert "(no file)" not in invoke("validate", str(f)).stdout


# --------------------------------------------------------------------------------------------
# outputs: nothing changed on the way out
# --------------------------------------------------------------------------------------------

TAGS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://e.org/c> a skos:Concept ; skos:prefLabel "Colour"@en-GB , "Color"@en-US , "Farbe"@de-CH-1996 ;
  skos:definition "line one\\r\\nline two" .
"""


@pytest.mark.parametrize("fmt", ["jsonld", "turtle", "ntriples", "rdfxml"])
def test_exports_keep_language_tags_as_written_and_carriage_returns(tmp_path, invoke, fmt):
    import rdflib

    f = write(tmp_path / "tags.ttl", TAGS)
    r = invoke("export", str(f), "--format", fmt)
    assert r.exit_code == 0, r.stderr
    g = rdflib.Graph().parse(
        data=r.stdout_bytes, format={"jsonld": "json-ld", "ntriples": "nt", "rdfxml": "xml"}.get(fmt, fmt)
    )
    langs = {o.language for o in g.objects() if getattr(o, "language", None)}
    assert langs == {"en-GB", "en-US", "de-CH-1996"}
    assert {str(o) for o in g.objects() if "line one" in str(o)} == {"line one\r\nline two"}
    if fmt == "rdfxml":
        assert b"&#13;" in r.stdout_bytes


def test_fmt_keeps_language_tags_as_written(tmp_path, invoke):
    f = write(tmp_path / "tags.ttl", TAGS)
    assert invoke("fmt", str(f)).exit_code == 0
    assert '"Colour"@en-GB' in f.read_text() and "@de-CH-1996" in f.read_text()


def test_query_csv_quotes_an_iri_with_a_comma(tmp_path, invoke):
    f = write(
        tmp_path / "comma.ttl",
        """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://e.org/a,b> a skos:Concept ; skos:prefLabel "A, \\"quoted\\"\\nsecond"@en .
""",
    )
    r = invoke(
        "query",
        "--sparql",
        "SELECT ?c ?l WHERE { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l }",
        "--format",
        "csv",
        str(f),
    )
    assert r.exit_code == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout_bytes.decode(), newline="")))
    assert rows == [["c", "l"], ["http://e.org/a,b", 'A, "quoted"\nsecond']]


# --------------------------------------------------------------------------------------------
# lookups: labels with line breaks, scheme headings, IDs without a declared prefix
# --------------------------------------------------------------------------------------------

NO_PREFIX = """<http://example.org/s> a <http://www.w3.org/2004/02/skos/core#ConceptScheme> ;
  <http://www.w3.org/2000/01/rdf-schema#label> "My Scheme"@en .
<http://example.org/c/alpha> a <http://www.w3.org/2004/02/skos/core#Concept> ;
  <http://www.w3.org/2004/02/skos/core#prefLabel> "Alpha\\nsecond line"@en ;
  <http://www.w3.org/2004/02/skos/core#topConceptOf> <http://example.org/s> .
<http://example.org/c/beta> a <http://www.w3.org/2004/02/skos/core#Concept> ;
  <http://www.w3.org/2004/02/skos/core#prefLabel> "Beta"@en ;
  <http://www.w3.org/2004/02/skos/core#broader> <http://example.org/c/alpha> .
"""


def test_lookups_on_a_file_without_prefixes(tmp_path, invoke):
    f = write(tmp_path / "np.ttl", NO_PREFIX)
    show = invoke("show", "alpha", str(f))
    assert show.exit_code == 0 and show.stdout.splitlines()[0] == "Alpha second line"
    assert invoke("show", "beta", str(f)).stdout.startswith("Beta\n")
    tree = invoke("tree", str(f))
    assert tree.stdout.splitlines() == ["My Scheme", "└── Alpha second line", "    └── Beta"]


# --------------------------------------------------------------------------------------------
# docs: wide hierarchies and several schemes
# --------------------------------------------------------------------------------------------


def test_docs_index_tells_a_wide_hierarchy_from_a_flat_list(tmp_path, invoke):
    lines = [
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix ex: <http://example.org/> .",
        'ex:s a skos:ConceptScheme ; skos:prefLabel "Wide"@en .',
        'ex:t a skos:ConceptScheme ; skos:prefLabel "Second"@en .',
    ]
    for i in range(200):
        lines.append(
            f'ex:top{i} a skos:Concept ; skos:prefLabel "Top {i}"@en ; skos:topConceptOf ex:s ; skos:inScheme ex:s .'
        )
        lines.append(
            f'ex:kid{i} a skos:Concept ; skos:prefLabel "Kid {i}"@en ; skos:broader ex:top{i} ; skos:inScheme ex:s .'
        )
    lines.append('ex:other a skos:Concept ; skos:prefLabel "Other"@en ; skos:inScheme ex:t ; skos:topConceptOf ex:t .')
    f = write(tmp_path / "wide.ttl", "\n".join(lines) + "\n")
    out = tmp_path / "site"
    r = invoke("docs", str(f), "--output", str(out))
    assert r.exit_code == 0, r.stderr
    index = (out / "index.html").read_text()
    assert "flat list" not in index and "too wide to draw" in index
    assert "Wide · Second" in index


# --------------------------------------------------------------------------------------------
# deep nesting: handled by every command, no recursion that can overflow
# --------------------------------------------------------------------------------------------

DEPTH = 10_000  # far past any recursion limit (Python: 1,000); 100,000 was checked by hand (see the report)


@pytest.fixture(scope="module")
def deep(tmp_path_factory):
    f = tmp_path_factory.mktemp("deep") / "deep.ttl"
    f.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix ex: <http://example.org/> .\n"
        'ex:a a skos:Concept ; skos:prefLabel "A"@en ;\n  ex:p '
        + "[ ex:p " * DEPTH
        + '"x"'
        + " ]" * DEPTH
        + " ;\n  ex:q "
        + "( " * 2000
        + "1"
        + " )" * 2000
        + " .\n",
        encoding="utf-8",
    )
    return f


@pytest.mark.parametrize(
    "args",
    [["export", "--format", f] for f in ("jsonld", "turtle", "ntriples", "rdfxml", "csv")]
    + [["show", "a"], ["tree"], ["validate"], ["fmt", "--check"]],
    ids=lambda a: "-".join(a),
)
def test_deep_nesting_is_handled(invoke, deep, args):
    where = [str(deep)]
    r = invoke(*args, *where)
    assert r.exit_code in (0, 1), r.stderr[-500:]


def test_deep_nesting_formats_and_stays_the_same_graph(tmp_path, deep):
    from sst_vocab.fmt import format_text, isomorphic, parse_turtle

    text = deep.read_text(encoding="utf-8")
    out = format_text(text, str(deep))
    assert isomorphic(parse_turtle(text, str(deep))[0], parse_turtle(out, str(deep))[0])
    assert format_text(out, str(deep)) == out
    assert max(len(line) - len(line.lstrip(" ")) for line in out.splitlines()) <= 4 * 40


def test_deep_nesting_docs(tmp_path, invoke, deep):
    r = invoke("docs", str(deep), "--output", str(tmp_path / "site"))
    assert r.exit_code == 0, r.stderr[-500:]


# --------------------------------------------------------------------------------------------
# the lexer
# --------------------------------------------------------------------------------------------


def test_lexer_finds_comments_only_outside_iris_strings_and_names():
    from sst_vocab.turtle_lex import tokens

    text = (
        '<http://e.org/a#b> <http://e.org/p> "# not" , \'\'\'# not\n\'\'\' , """x""y""" ; '
        "<http://e.org/q> ex:a\\#b . # yes\n"
    )
    comments = [t.text for t in tokens(text) if t.kind == "comment"]
    assert comments == ["# yes"]
    words = [t.text for t in tokens(text) if t.kind == "word"]
    assert words == ["ex:a\\#b"]


# --------------------------------------------------------------------------------------------
# RDF 1.2 triple terms: refused as bad input by every command (they used to end in a traceback)
# --------------------------------------------------------------------------------------------

TRIPLE_TERM_HEAD = """@prefix ex: <https://example.org/v/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:s a skos:ConceptScheme ; skos:prefLabel "S"@en .
ex:a a skos:Concept ; skos:prefLabel "A"@en ; skos:inScheme ex:s ; skos:topConceptOf ex:s .
"""
TRIPLE_TERM_RDFXML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#"
         rdf:version="1.2">
  <skos:Concept rdf:about="https://example.org/v/a">
    <skos:note rdf:parseType="Triple"><rdf:Description rdf:about="https://example.org/v/a">
      <skos:related rdf:resource="https://example.org/v/b"/></rdf:Description></skos:note>
  </skos:Concept>
</rdf:RDF>
"""


@pytest.mark.parametrize(
    "form",
    [
        "ex:a skos:note <<( ex:a skos:related ex:b )>> .",
        '<< ex:a skos:related ex:b >> skos:note "why"@en .',
        'ex:a skos:related ex:b {| skos:note "why"@en |} .',
        "ex:a skos:related ex:b ~ ex:r .",
    ],
    ids=["triple-term", "reified-triple", "annotation", "reifier"],
)
@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["fmt", "--check"],
        ["show", "a"],
        ["search", "A"],
        ["export", "--format", "jsonld"],
    ],
    ids=lambda a: a[0],
)
def test_rdf12_triple_terms_are_refused_with_file_and_line(tmp_path, invoke, args, form):
    f = write(tmp_path / "star.ttl", TRIPLE_TERM_HEAD + form + "\n")
    where = [str(f)] if args[0] in ("validate", "fmt") else ["--vocab", str(f)]
    r = invoke(*args, *where)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert f"{f}:5: RDF 1.2 triple terms" in r.stderr
    assert "Traceback" not in r.stderr


def test_rdf12_triple_terms_in_rdfxml_are_refused(tmp_path, invoke):
    f = write(tmp_path / "star.rdf", TRIPLE_TERM_RDFXML)
    r = invoke("validate", str(f))
    assert r.exit_code == 2 and f"{f}:5: RDF 1.2 triple terms" in r.stderr, r.stderr


def test_a_tilde_or_double_angle_in_plain_triples_is_not_a_triple_term(tmp_path, invoke):
    plain = 'ex:a skos:note "x << y, ~5"@en ; skos:related <https://example.org/~b> .\n'
    f = write(tmp_path / "plain.ttl", TRIPLE_TERM_HEAD + plain)
    assert load([f]).store  # loads
    r = invoke("show", "a", "--vocab", str(f))
    assert r.exit_code == 0, r.stderr
