"""The W3C RDF 1.1 Turtle test suite, in full, driven from its manifest (tests/data/conformance/rdf11-turtle).

One pytest case per test and check:

* every negative syntax test: ``validate`` exits 2 with one ``Error: FILE:LINE:`` line, no traceback;
* every positive syntax and eval test: ``validate`` loads it (exit 0 or 1) with the suite's base;
  the lexer finds every IRI subject the parser finds, on the line its statement starts;
* every eval test: ``export`` in every RDF format reads back (rdflib; JSON-LD also with pyld) as
  exactly the expected N-Triples (lexical forms, datatypes and language tags as written);
  ``fmt`` gives the same graph, keeps every comment, and a second run changes nothing.

Commands run in-process (click's CliRunner) so the suite stays fast.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parent / "data" / "conformance" / "rdf11-turtle"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _manifest():
    import pyoxigraph as ox

    triples = [
        q.triple
        for q in ox.parse(path=str(SUITE / "manifest.ttl"), format=ox.RdfFormat.TURTLE, base_iri="file:///manifest.ttl")
    ]
    base = next(t.object.value for t in triples if t.predicate.value == MF + "assumedTestBase")
    props: dict = {}
    for t in triples:
        props.setdefault(t.subject, {})[t.predicate.value] = t.object
    # the entries, in the manifest's order
    first, rest, nil = (f"http://www.w3.org/1999/02/22-rdf-syntax-ns#{n}" for n in ("first", "rest", "nil"))
    node = next(t.object for t in triples if t.predicate.value == MF + "entries")
    tests = []
    while not (isinstance(node, ox.NamedNode) and node.value == nil):
        entry = props[node][first]
        p = props[entry]
        kind = p[RDF_TYPE].value.rsplit("#", 1)[1]
        action = p[MF + "action"].value.rsplit("/", 1)[1]
        result = p[MF + "result"].value.rsplit("/", 1)[1] if MF + "result" in p else None
        tests.append((p[MF + "name"].value, kind, action, result))
        node = props[node][rest]
    return base, tests


BASE, TESTS = _manifest()
NEGATIVE = [t for t in TESTS if t[1] in ("TestTurtleNegativeSyntax", "TestTurtleNegativeEval")]
POSITIVE = [t for t in TESTS if t[1] in ("TestTurtlePositiveSyntax", "TestTurtleEval")]
EVAL = [t for t in TESTS if t[1] == "TestTurtleEval"]
RDF_FORMATS = ("jsonld", "turtle", "ntriples", "rdfxml")


def test_the_whole_suite_is_here():
    assert len(TESTS) == 313
    assert (len(EVAL), len(POSITIVE) - len(EVAL), len(NEGATIVE)) == (145, 74, 94)


def _ids(tests):
    return [t[0] for t in tests]


def _base(action: str) -> str:
    return BASE + action


# --------------------------------------------------------------------------------------------
# exact graph comparison: lexical forms, datatypes and language tags as written
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def exact_literals():
    """rdflib must not normalise lexical forms ("01"^^xsd:integer stays "01") while we compare."""
    import rdflib.term

    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    rdflib.term._XSD_NORMALIZE = getattr(rdflib.term, "_XSD_NORMALIZE", None)
    yield
    rdflib.NORMALIZE_LITERALS = saved


def _graph(data: bytes | str, fmt: str, base: str | None = None):
    import rdflib

    from sst_vocab.rdflib_bridge import quiet_rdflib

    quiet_rdflib()
    g = rdflib.Graph()
    g.parse(data=data, format=fmt, publicID=base)
    return g


def _expected(result: str):
    return _graph((SUITE / result).read_bytes(), "nt")


def _terms(g) -> Counter:
    """Every triple as exact strings (blank nodes hidden), for a readable difference."""
    import rdflib

    def term(x):
        if isinstance(x, rdflib.BNode):
            return "_"
        if isinstance(x, rdflib.Literal):
            return f"{x!s}|{x.datatype}|{x.language}"
        return str(x)

    return Counter((term(s), term(p), term(o)) for s, p, o in g)


def _assert_same(got, want, what: str) -> None:
    from rdflib.compare import isomorphic

    if isomorphic(got, want):
        return
    a, b = _terms(got), _terms(want)
    raise AssertionError(
        f"{what}: the graphs differ\n  only in the output: {sorted((a - b).elements())[:5]}\n"
        f"  only in the expected: {sorted((b - a).elements())[:5]}"
    )


# --------------------------------------------------------------------------------------------
# negative syntax
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, kind, action, result", NEGATIVE, ids=_ids(NEGATIVE))
def test_negative_syntax_is_refused_with_file_and_line(invoke, name, kind, action, result):
    path = str(SUITE / action)
    r = invoke("validate", path, "--base", _base(action))
    assert r.exit_code == 2, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert re.match(rf"Error: {re.escape(path)}:\d+: \S", lines[0]), lines[0]


# --------------------------------------------------------------------------------------------
# positive syntax and eval: loads; the lexer agrees with the parser on every subject and its line
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, kind, action, result", POSITIVE, ids=_ids(POSITIVE))
def test_positive_loads(invoke, name, kind, action, result):
    r = invoke("validate", str(SUITE / action), "--base", _base(action))
    assert r.exit_code in (0, 1), r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("name, kind, action, result", POSITIVE, ids=_ids(POSITIVE))
def test_every_subject_gets_its_line(name, kind, action, result):
    import pyoxigraph as ox

    from sst_vocab.turtle_lex import outline, tokens

    text = (SUITE / action).read_bytes().decode("utf-8")
    base = _base(action)
    triples = [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE, base_iri=base)]
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    found = outline(text, base)
    assert set(found.subjects) == subjects
    # each subject's line holds a token that, read with the directives before it, names that subject
    lines = text.split("\n")
    for iri, line in found.subjects.items():
        directives = "\n".join(
            m.group()
            for m in re.finditer(r"(?im)^\s*(?:@prefix|@base|prefix|base)\b[^\n]*", "\n".join(lines[: line - 1]))
        )
        candidates = [t.text for t in tokens(lines[line - 1]) if t.kind in ("iri", "word")]
        named = set()
        for c in candidates:
            try:
                doc = f"{directives}\n{c} <urn:p> <urn:o> .\n".encode()
                named |= {q.subject.value for q in ox.parse(doc, format=ox.RdfFormat.TURTLE, base_iri=base)}
            except SyntaxError:
                continue
        assert iri in named, (iri, line, lines[line - 1])


# --------------------------------------------------------------------------------------------
# eval: export in every format reads back as the expected N-Triples
# --------------------------------------------------------------------------------------------


_XML_1_0_CANNOT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _needs_xml_1_1(result: str) -> bool:
    """Does the expected graph hold a character XML 1.0 (so RDF/XML) cannot carry, even as &#N;?"""
    import pyoxigraph as ox

    return any(
        isinstance(t.object, ox.Literal) and _XML_1_0_CANNOT.search(t.object.value)
        for t in ox.parse(path=str(SUITE / result), format=ox.RdfFormat.N_TRIPLES)
    )


def _pyld_view(g):
    """What pyld does to any input, against JSON-LD 1.1 (see tests/test_export.py read_with_pyld):
    it lower-cases language tags and rewrites an xsd:double given as a string to its canonical form."""
    import rdflib

    XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
    out = rdflib.Graph()
    for s, p, o in g:
        if isinstance(o, rdflib.Literal) and o.language:
            o = rdflib.Literal(str(o), lang=o.language.lower())
        elif isinstance(o, rdflib.Literal) and str(o.datatype) == XSD_DOUBLE:
            o = rdflib.Literal(repr(float(str(o))), datatype=o.datatype)
        out.add((s, p, o))
    return out


@pytest.mark.parametrize("fmt", RDF_FORMATS)
@pytest.mark.parametrize("name, kind, action, result", EVAL, ids=_ids(EVAL))
def test_export_reads_back_exactly(invoke, name, kind, action, result, fmt):
    r = invoke("export", str(SUITE / action), "--base", _base(action), "--format", fmt)
    if fmt == "rdfxml" and _needs_xml_1_1(result):
        # U+0001-U+0008, U+000B, U+000C, U+000E-U+001F: not even &#8; is allowed in XML 1.0, and no
        # XML 1.1 reader is at hand (expat, so rdflib, refuses it): one clear refusal, exit 2.
        assert r.exit_code == 2 and "XML 1.0 cannot carry" in r.stderr, r.stderr
        pytest.xfail("RDF/XML (XML 1.0) cannot carry this control character; export refuses it with exit 2")
    assert r.exit_code == 0, r.stderr
    data = r.stdout_bytes
    reader = {"jsonld": "json-ld", "turtle": "turtle", "ntriples": "nt", "rdfxml": "xml"}[fmt]
    _assert_same(_graph(data, reader), _expected(result), f"export --format {fmt}, read by rdflib")
    if fmt == "jsonld":
        import json

        from pyld import jsonld

        def refuse(url, options=None):
            raise AssertionError(f"pyld tried to fetch {url}")

        nquads = jsonld.to_rdf(json.loads(data), {"format": "application/n-quads", "documentLoader": refuse})
        _assert_same(
            _pyld_view(_graph(nquads or "", "nt")),
            _pyld_view(_expected(result)),
            "export --format jsonld, read by pyld",
        )


@pytest.mark.parametrize("name, kind, action, result", EVAL, ids=_ids(EVAL))
def test_export_csv_works(invoke, name, kind, action, result):
    import csv

    r = invoke("export", str(SUITE / action), "--base", _base(action), "--format", "csv")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout_bytes.decode("utf-8"), newline="")))
    assert rows and all(len(row) == len(rows[0]) for row in rows)


# --------------------------------------------------------------------------------------------
# eval: fmt keeps the graph and every comment, and is idempotent
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, kind, action, result", EVAL, ids=_ids(EVAL))
def test_fmt_keeps_graph_and_comments_and_is_idempotent(tmp_path, invoke, name, kind, action, result):
    from sst_vocab.turtle_lex import tokens

    text = (SUITE / action).read_bytes().decode("utf-8")  # no newline translation: "\r" stays
    copy = tmp_path / action
    copy.write_bytes(text.encode("utf-8"))
    base = _base(action)
    r = invoke("fmt", str(copy), "--base", base)
    assert r.exit_code == 0, r.stderr
    out = copy.read_bytes().decode("utf-8")
    _assert_same(_graph(out, "turtle", base), _expected(result), "fmt")
    before = Counter(t.text.rstrip() for t in tokens(text) if t.kind == "comment")
    after = Counter(t.text.rstrip() for t in tokens(out) if t.kind == "comment")
    assert not before - after, f"comments lost: {sorted((before - after).elements())}"
    again = invoke("fmt", str(copy), "--base", base, "--check")
    assert again.exit_code == 0, again.stdout + again.stderr
    assert os.path.getsize(copy) == len(out.encode("utf-8"))
