"""`sst-vocab fmt`: one canonical layout, nothing lost (graph and comments), broken input untouched."""

from __future__ import annotations

import os
import re

import pytest

from conftest import REAL_VOCABS, ROOT, write
from sst_vocab.fmt import format_files, format_text, isomorphic, parse_turtle

SMALL = """# A small vocabulary.
# Second header line.

@prefix ex: <https://example.org/v/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix unused: <https://unused.example/> .

# Beta's own comment.
ex:b skos:prefLabel "Beta"@en ; a skos:Concept ; skos:broader ex:a ;
   skos:inScheme ex:scheme .

ex:scheme a skos:ConceptScheme ; skos:prefLabel "Scheme"@en ; skos:hasTopConcept ex:a .

# Alpha comes first in the canonical order (it is the top concept).
ex:a a skos:Concept ;
    skos:altLabel "Zed"@en, "Aleph"@en ;   # trailing comment on the last alt label
    skos:prefLabel "Alpha"@en ;
    # before the definition
    skos:definition "The first."@en ;
    skos:topConceptOf ex:scheme ; skos:inScheme ex:scheme .
"""

CANONICAL_SMALL = """# A small vocabulary.
# Second header line.

PREFIX ex: <https://example.org/v/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

ex:scheme
    a skos:ConceptScheme ;
    skos:prefLabel "Scheme"@en ;
    skos:hasTopConcept ex:a ;
.

# Alpha comes first in the canonical order (it is the top concept).
ex:a
    a skos:Concept ;
    skos:prefLabel "Alpha"@en ;
    skos:altLabel
        "Aleph"@en ,                                                     # trailing comment on the last alt label
        "Zed"@en ;
    # before the definition
    skos:definition "The first."@en ;
    skos:inScheme ex:scheme ;
    skos:topConceptOf ex:scheme ;
.

# Beta's own comment.
ex:b
    a skos:Concept ;
    skos:prefLabel "Beta"@en ;
    skos:inScheme ex:scheme ;
    skos:broader ex:a ;
.
"""


def same_graph(a: str, b: str) -> bool:
    return isomorphic(parse_turtle(a)[0], parse_turtle(b)[0])


def comments_of(text: str) -> list[str]:
    from sst_vocab.turtle_lex import tokens

    return [t.text.rstrip() for t in tokens(text) if t.kind == "comment"]


def test_the_canonical_layout():
    out = format_text(SMALL)
    assert out.replace('Aleph"@en ,', 'Aleph"@en ,') == CANONICAL_SMALL
    assert same_graph(SMALL, out)
    assert format_text(out) == out


def test_trailing_comment_follows_its_object():
    # "Aleph" moved to the front when objects were sorted; the comment written after "Aleph" in
    # the source moves with it (it was trailing "Aleph"@en on the source line)
    out = format_text(SMALL)
    line = next(ln for ln in out.splitlines() if "trailing comment" in ln)
    assert '"Aleph"@en' in line


def test_prefixes_sorted_only_used_and_well_known_ones_added():
    nt = (
        "<https://example.org/v/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://www.w3.org/2004/02/skos/core#Concept> .\n"
        '<https://example.org/v/a> <http://www.w3.org/2004/02/skos/core#prefLabel> "A"@en .\n'
        "<https://example.org/v/a> <http://purl.org/dc/terms/modified> "
        '"2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
    )
    out = format_text(nt)
    prefixes = re.findall(r"^PREFIX (\S+):", out, re.M)
    assert prefixes == sorted(prefixes) == ["dcterms", "skos", "xsd"]
    assert 'dcterms:modified "2024-01-01"^^xsd:date ;' in out
    assert same_graph(nt, out)


def test_n_triples_saved_as_ttl_becomes_canonical_turtle(tmp_path, invoke):
    import pyoxigraph as ox

    triples, _ = parse_turtle(SMALL)
    ntriples = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    f = write(tmp_path / "saved-as.ttl", ntriples)
    assert invoke("fmt", str(f)).exit_code == 0
    out = f.read_text()
    assert same_graph(ntriples, out)
    assert format_text(out) == out
    # the same blocks, in the same order, as the canonical Turtle (only the ex: prefix is unknown)
    expected = re.sub(r"(?m)\s*# .*$", "", CANONICAL_SMALL)
    expected = format_text(expected).replace("PREFIX ex: <https://example.org/v/>\n", "")
    expected = re.sub(r"\bex:(\w+)", r"<https://example.org/v/\1>", expected)
    assert out == expected


def test_rdflib_turtle_becomes_canonical():
    import rdflib

    g = rdflib.Graph()
    g.parse(data=SMALL, format="turtle")
    other = g.serialize(format="turtle")
    out = format_text(other)
    assert same_graph(other, out)
    assert out == format_text(out)
    assert out.startswith("PREFIX ex: <https://example.org/v/>\n")


def test_blank_nodes_inline_lists_and_shared_nodes():
    text = """@prefix ex: <https://example.org/v/> .
ex:s ex:p [ ex:q "x" ; ex:r [ ex:t 1 ] ] , [ ex:q "a" ] ;
     ex:list ( ex:one "two" 3 ) ;
     ex:empty () ;
     ex:shared _:n .
ex:o ex:p _:n .
_:n ex:q "shared" .
[ ex:q "root" ] .
_:c1 ex:next _:c2 . _:c2 ex:next _:c1 .
"""
    out = format_text(text)
    assert same_graph(text, out)
    assert format_text(out) == out
    assert 'ex:list ( ex:one "two" 3 ) ;' in out
    assert "ex:empty () ;" in out
    assert "_:b1" in out and "ex:shared _:b" in out
    # the two inline nodes are sorted by their text: [ ex:q "a" ] before [ ex:q "x" ... ]
    assert out.index('ex:q "a"') < out.index('ex:q "x"')
    assert '[\n    ex:q "root" ;\n] .' in out


def test_literals_stay_readable_and_exact():
    text = r'''@prefix ex: <https://example.org/v/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:s ex:long """Line one
line "two" with ""quotes"" and a backslash \\
ends with a quote\"""" ;
  ex:short "tab\there \"quoted\"" ;
  ex:n 42, -1.50, 1.0e3, true, "007"^^xsd:integer, "x"^^ex:dt ;
  ex:lang "Hallo"@de-CH .
'''
    out = format_text(text)
    assert same_graph(text, out)
    assert format_text(out) == out
    assert '"""Line one\nline "two"' in out
    assert "ex:n\n" in out and "        42 ,\n" in out and "        -1.50 ,\n" in out
    # forms a reader would change when read as a number stay quoted, so every reader keeps them
    assert '        "007"^^xsd:integer ,\n' in out and '        "1.0e3"^^xsd:double ,\n' in out
    assert '"tab\\there \\"quoted\\""' in out
    assert '"Hallo"@de-CH' in out  # the language tag as written


def test_every_comment_kept_and_idempotent_on_the_shipped_vocabulary():
    for path in sorted((ROOT / "vocab").glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        out = format_text(text, str(path))
        assert same_graph(text, out), path
        for c in comments_of(text):
            assert c in out, (path, c)
        assert format_text(out, str(path)) == out, path


@pytest.mark.parametrize("path", REAL_VOCABS, ids=lambda p: p.name)
def test_real_vocabularies_round_trip(path):
    text = path.read_text(encoding="utf-8")
    out = format_text(text, str(path))
    assert same_graph(text, out)
    assert format_text(out, str(path)) == out


def test_comments_in_and_before_blank_node_subject_blocks_are_kept(tmp_path, invoke):
    text = """@prefix ex: <https://example.org/v/> .
ex:a ex:p "a" .
# before the first anonymous block
[ ex:p "x" ;
  # inside it
  ex:q "y" ] .
# before a labelled one
_:n ex:p "z" .
# before a list
( 1 2 ) ex:p "w" .
"""
    f = write(tmp_path / "v.ttl", text)
    result = invoke("fmt", str(f))
    assert result.exit_code == 0, result.stderr
    out = f.read_text()
    assert same_graph(text, out)
    for c in comments_of(text):
        assert c in out
    assert out.index("# before the first anonymous block") < out.index('ex:p "x"')
    assert out.index("# before a labelled one") < out.index('ex:p "z"')
    assert format_text(out) == out


def test_comments_inside_nested_blank_nodes_move_above_the_block():
    text = """@prefix ex: <https://example.org/v/> .
ex:s ex:p [
    # inside the nested node
    ex:q "x" ] .
"""
    out = format_text(text)
    assert out.index("# inside the nested node") < out.index("ex:s\n")
    assert format_text(out) == out


def test_broken_input_exit_2_with_file_and_line_and_nothing_written(tmp_path, invoke):
    good = write(tmp_path / "a.ttl", SMALL)
    bad = write(tmp_path / "b.ttl", SMALL + '\nex:c skos:prefLabel "unterminated .\n')
    result = invoke("fmt", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}:")
    assert "Traceback" not in result.stderr
    assert good.read_text() == SMALL  # the good file is not touched either
    assert bad.read_text().startswith(SMALL)


def test_check_names_files_and_diff_shows_the_change(tmp_path, invoke):
    f = write(tmp_path / "v.ttl", SMALL)
    result = invoke("fmt", "--check", str(f))
    assert result.exit_code == 1
    assert f"would reformat {f}" in result.stderr
    assert result.stdout == ""
    result = invoke("fmt", "--check", "--diff", str(f))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {f} (current)\n+++ {f} (canonical)\n")
    assert "+ex:b\n" in result.stdout
    assert f.read_text() == SMALL
    result = invoke("fmt", str(f))
    assert result.exit_code == 0 and f"reformatted {f}" in result.stderr
    assert f.read_text() == CANONICAL_SMALL
    result = invoke("fmt", "--check", str(f))
    assert result.exit_code == 0 and "1 already canonical" in result.stderr


def test_write_is_atomic_and_keeps_the_file_mode(tmp_path):
    f = write(tmp_path / "v.ttl", SMALL)
    os.chmod(f, 0o640)
    format_files([f])
    assert f.read_text() == CANONICAL_SMALL
    assert (f.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["v.ttl"]


def test_hierarchy_order_depth_first_children_by_iri():
    text = """@prefix ex: <https://example.org/v/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
ex:z a skos:Concept . ex:m a skos:Concept ; skos:broader ex:z .
ex:b a skos:Concept ; skos:broader ex:z . ex:a a skos:Concept .
ex:c a skos:Concept ; skos:broader ex:b .
ex:x a ex:Other . ex:s a skos:ConceptScheme .
"""
    out = format_text(text)
    order = re.findall(r"^(ex:\w+)$", out, re.M)
    assert order == ["ex:s", "ex:a", "ex:z", "ex:b", "ex:c", "ex:m", "ex:x"]


def test_empty_and_comment_only_files():
    assert format_text("") == ""
    assert format_text("# just a note\n") == "# just a note\n"


def test_own_line_comments_before_objects_and_at_the_block_end_stay_there():
    text = """@prefix ex: <https://example.org/v/> .
ex:a ex:p
    # before c
    ex:c ,
    # before b
    ex:b ;
  ex:q 1
  # at the end
  .
# a second block for the same subject merges into the first
ex:a ex:r 2 .
"""
    out = format_text(text)
    assert "    ex:p\n        # before b\n        ex:b ,\n        # before c\n        ex:c ;\n" in out
    assert "    ex:r 2 ;\n    # at the end\n.\n" in out
    assert out.count("\nex:a\n") == 1
    assert format_text(out) == out


def test_a_hash_inside_a_single_quoted_long_string_is_not_a_comment():
    text = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix ex: <https://example.org/> .\n"
        "ex:a skos:definition '''first line\n# not a comment''' .\n"
    )
    out = format_text(text)
    assert '"""first line\n# not a comment"""' in out
    assert out.count("# not a comment") == 1 and same_graph(out, text)


def test_outline_lines_survive_dots_in_directive_comments():
    from sst_vocab.turtle_lex import outline

    text = (
        "@prefix ex: <http://e/> # a.b\n .\nex:foo a ex:B .\n@prefix ey: <http://f/> # x.ex:bar\n .\nex:bar a ex:C .\n"
    )
    assert outline(text).subjects == {"http://e/foo": 3, "http://e/bar": 6}


def test_outline_skips_strings_iris_and_escapes_whole():
    from sst_vocab.turtle_lex import outline

    text = (
        "@prefix ex: <http://e/> .\n"
        'ex:a ex:p "a . b \\" . c", \'x . y\', """z\n. ""w""" , <http://e/a.b\\u0041> ; ex:q ex:r\\.s .\n'
        "ex:b ex:p [ ex:q ( 1.5 ex:c ) ] . # ex:z .\n"
        "ex:c\n  ex:p '''\n. ''' .\n"
    )
    assert outline(text).subjects == {"http://e/a": 2, "http://e/b": 4, "http://e/c": 5}
    # an escape, a lone quote and a bracket (the editor outlines any text, not only files that parse)
    assert outline("ex:a \\u12'(").subjects == {}


def test_a_deprecated_concept_out_of_the_hierarchy_stays_where_it_was_written():
    text = (
        "PREFIX ex: <https://example.org/v/>\n"
        "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n\n"
        "# ==== The first banner ====\n\n"
        'ex:b a skos:Concept ; skos:prefLabel "B"@en .\n\n'
        'ex:b1 a skos:Concept ; skos:prefLabel "B1"@en ; skos:broader ex:b .\n\n'
        "# the old one\n"
        'ex:a-old a skos:Concept ; skos:prefLabel "Old"@en ; owl:deprecated true .\n\n'
        'ex:b2 a skos:Concept ; skos:prefLabel "B2"@en ; skos:broader ex:b .\n'
    )
    out = format_text(text)
    # not sorted first (its IRI sorts before ex:b, above the file's first banner): it stays after ex:b1
    assert (
        out.index("# ==== The first banner ====")
        < out.index("\nex:b\n")
        < out.index("\nex:b1\n")
        < out.index("# the old one\nex:a-old\n")
        < out.index("\nex:b2\n")
    )
    assert format_text(out) == out  # idempotent
    first = text.replace(
        "ex:b a skos:Concept", "ex:a-old a skos:Concept ; owl:deprecated true .\n\nex:b a skos:Concept", 1
    )
    first = first.replace(
        '# the old one\nex:a-old a skos:Concept ; skos:prefLabel "Old"@en ; owl:deprecated true .\n\n', ""
    )
    out = format_text(first)
    assert out.index("# ==== The first banner ====") < out.index("\nex:a-old\n") < out.index("\nex:b\n")  # stays first
