"""Property-based tests (Hypothesis) and a bounded fuzz run of the readers and writers.

Hypothesis builds small SKOS graphs with hard labels (every Unicode class, quotes, backslashes,
CR/LF, ``#``, long strings, many languages and tag cases), typed literals with unusual lexical
forms, blank nodes, lists, IRIs with every legal character and escaped local names, and writes
each in one of several Turtle styles with comments between statements.  Properties:

* ``fmt`` keeps the graph and every comment, and a second run changes nothing;
* every export format reads back as the same RDF terms (lexical forms, datatypes, tags as written);
* validate and the lookups never raise (exit 0, 1 or 2), and FILE:LINE names the subject's block.

The fuzz run mutates the bytes of real files (seeded) and runs validate, fmt, export and show on
each: only exit 0/1/2, never an exception.  Bounded for CI: derandomized, a fixed number of
examples (``HYPOTHESIS_PROFILE=thorough`` for more).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="hypothesis is in the test extra (pip install -e '.[test]')")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import REAL_VOCABS, ROOT, load_hypothesis_profile  # noqa: E402

load_hypothesis_profile()

SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/v/"
PREDICATES = [
    ("skos:prefLabel", SKOS + "prefLabel"),
    ("skos:altLabel", SKOS + "altLabel"),
    ("skos:definition", SKOS + "definition"),
    ("skos:notation", SKOS + "notation"),
    ("ex:note", EX + "note"),
]
LINKS = [("skos:broader", SKOS + "broader"), ("skos:related", SKOS + "related"), ("ex:link", EX + "link")]

# --------------------------------------------------------------------------------------------
# the model: what the generated Turtle says, and how it was written
# --------------------------------------------------------------------------------------------

TRICKY = [
    '"',
    "'",
    "\\",
    "\r\n",
    "\n",
    "\r",
    "#",
    "\t",
    '"""',
    "'''",
    "é",
    "日本",
    "\U0001f600",
    "\u0000",
    "\u0001",
    "\u200b",
    "\u2028",
    " ",
    "<>",
    "@en",
    "^^",
    ";",
    ",",
    ".",
    "%",
    "x" * 300,
]


@dataclass
class Lit:
    value: str
    lang: str | None = None
    datatype: str | None = None
    bare: bool = False  # written as a bare number / boolean


@dataclass
class Model:
    subjects: list[tuple[str, str]]  # (IRI, how it is written)
    statements: list[tuple[int, list]] = field(default_factory=list)  # (subject index, [(pred, obj)])
    tags: dict[str, str] = field(default_factory=dict)


labels = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.lists(st.sampled_from(TRICKY) | st.text(max_size=3), max_size=6).map("".join),
)
# well-formed BCP 47 tags (the parser checks them), 25 languages, scripts, regions, variants
lang_base = st.sampled_from(
    [
        "en",
        "en-gb",
        "en-us",
        "de",
        "de-ch-1996",
        "fr",
        "fr-ca",
        "zh-hans",
        "zh-hant-tw",
        "sr-latn",
        "pt-br",
        "es-419",
        "ja",
        "ar",
        "ru",
        "el",
        "ko",
        "he",
        "hi",
        "sw",
        "nl",
        "fi",
        "sv",
        "tr",
        "mi",
        "haw",
        "yue-hk",
        "sgn-be-fr",
    ]
)
typed = st.one_of(
    st.sampled_from(
        [
            ("+01", "integer"),
            ("-0", "integer"),
            ("007", "integer"),
            ("42", "integer"),
            (".5", "decimal"),
            ("1.50", "decimal"),
            ("-0.0", "decimal"),
            ("1e0", "double"),
            ("1.0E+3", "double"),
            ("INF", "double"),
            ("true", "boolean"),
            ("1", "boolean"),
            ("2026-02-30", "date"),
            (" x ", "token"),
        ]
    ).map(lambda x: Lit(x[0], datatype=XSD + x[1])),
    labels.map(lambda v: Lit(v, datatype=EX + "dt")),
    st.sampled_from(["0", "42", "-7", "1.5", "true", "false"]).map(
        lambda v: Lit(
            v, datatype=XSD + ("boolean" if v in ("true", "false") else "decimal" if "." in v else "integer"), bare=True
        )
    ),
)
# local names: plain, with \-escapes, with %-codes; full IRIs with every legal character class
local_names = st.lists(
    st.one_of(
        st.sampled_from(list("abcXYZ019_-") + ["é", "ß", "中"]),
        st.sampled_from([f"\\{c}" for c in "_~.-!$&'()*+,;=/?#@"]),  # "\\%" too, in the lexer tests
        st.sampled_from(["%41", "%e9", "%20"]),
    ),
    min_size=1,
    max_size=8,
).map(lambda parts: "a" + "".join(parts))
iri_chars = st.lists(
    st.sampled_from(list("abcXYZ019-._~!$&'()*+,;=:@/?") + ["é", "日", "%41", "%C3%A9"]), max_size=12
).map("".join)


def _unescape(local: str) -> str:
    import re

    return re.sub(r"\\(.)", r"\1", local)


@st.composite
def models(draw) -> Model:
    n = draw(st.integers(1, 4))
    subjects = []
    for i in range(n):
        if draw(st.booleans()):
            local = draw(local_names) + str(i)
            subjects.append((EX + _unescape(local), f"ex:{local}"))
        else:
            rest = draw(iri_chars).replace("#", "")
            subjects.append((f"http://example.org/full/{i}/{rest}", f"<http://example.org/full/{i}/{rest}>"))
    model = Model(subjects)
    spelled: dict[str, str] = {}
    for s in range(n):
        body = []
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.integers(0, 5))
            if kind <= 1:
                pred = draw(st.sampled_from(PREDICATES))
                tag = draw(lang_base)
                cased = spelled.setdefault(
                    tag,
                    draw(
                        st.sampled_from(
                            [
                                tag,
                                tag.upper(),
                                tag.title(),
                                "-".join(p.upper() if len(p) == 2 else p for p in tag.split("-")),
                            ]
                        )
                    ),
                )
                body.append((pred, Lit(draw(labels), lang=cased)))
            elif kind == 2:
                body.append((draw(st.sampled_from(PREDICATES)), draw(typed)))
            elif kind == 3:
                body.append((draw(st.sampled_from(LINKS)), ("iri", draw(st.integers(0, n - 1)))))
            elif kind == 4:  # a blank node, maybe nested
                inner = [(draw(st.sampled_from(PREDICATES)), Lit(draw(labels)))]
                if draw(st.booleans()):
                    inner.append((("ex:sub", EX + "sub"), ("bnode", [(PREDICATES[4], Lit("deeper"))])))
                body.append((("ex:part", EX + "part"), ("bnode", inner)))
            else:
                body.append(
                    (("ex:list", EX + "list"), ("list", [Lit(draw(labels)) for _ in range(draw(st.integers(0, 3)))]))
                )
        model.statements.append((s, body))
    model.tags = {k.lower(): v for k, v in spelled.items()}
    return model


def _string(value: str, style: int) -> str:
    if style == 2 and "'''" not in value and not value.endswith("'") and "\\" not in value and "\r" not in value:
        return "'''" + value + "'''"  # a long string, raw line breaks and quotes
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif style == 1 and ord(ch) > 0x7E:
            out.append(f"\\U{ord(ch):08X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _term(obj, model: Model, style: int) -> str:
    if isinstance(obj, Lit):
        if obj.bare:
            return obj.value
        text = _string(obj.value, style)
        if obj.lang:
            return text + "@" + obj.lang
        if obj.datatype:
            dt = obj.datatype
            return text + "^^" + ("xsd:" + dt[len(XSD) :] if dt.startswith(XSD) else f"<{dt}>")
        return text
    kind, value = obj
    if kind == "iri":
        return model.subjects[value][1]
    if kind == "bnode":
        return "[ " + " ; ".join(f"{p[0]} {_term(o, model, style)}" for p, o in value) + " ]"
    return "( " + " ".join(_term(o, model, style) for o in value) + " )"


def write_turtle(model: Model, style: int, comments: list[str]) -> tuple[str, dict[str, int]]:
    """The model as Turtle in one of three styles, a comment between statements; (text, subject -> line)."""
    head = [
        "# generated",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "PREFIX ex: <http://example.org/v/>",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
    ]
    lines = list(head)
    first_line: dict[str, int] = {}
    for k, (s, body) in enumerate(model.statements):
        lines.append(comments[k % len(comments)] if comments else "")
        iri, written = model.subjects[s]
        first_line.setdefault(iri, len(lines) + 1)
        if style == 0:  # one predicate per line, ";"
            parts = [f"{written} a skos:Concept"] + [f"    {p[0]} {_term(o, model, style)}" for p, o in body]
            lines.extend((" ;\n".join(parts) + " .").split("\n"))
        elif style == 1:  # everything on one line, full IRIs for predicates
            parts = ["a <http://www.w3.org/2004/02/skos/core#Concept>"] + [
                f"<{p[1]}> {_term(o, model, style)}" for p, o in body
            ]
            lines.extend((written + " " + " ; ".join(parts) + " .  # end").split("\n"))
        else:  # the subject alone on its line, objects grouped with ","
            lines.append(written)
            lines.append("    a skos:Concept ;")
            for p, o in body:
                lines.extend(f"    {p[0]} {_term(o, model, style)} ,\n        {_term(o, model, style)} ;".split("\n"))
            lines.append(".")
    return "\n".join(lines) + "\n", first_line


comment_texts = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20).map(
        lambda t: "# " + t.strip()
    ),
    max_size=3,
)


def _parse(text: str, base: str):
    import pyoxigraph as ox

    return [q.triple for q in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=base)]


def _expected_rdflib(triples, tags: dict[str, str]):
    """The parsed graph as rdflib terms, with language tags as the model spelled them."""
    import pyoxigraph as ox
    import rdflib

    def term(t):
        if isinstance(t, ox.NamedNode):
            return rdflib.URIRef(t.value)
        if isinstance(t, ox.BlankNode):
            return rdflib.BNode(t.value)
        if t.language:
            return rdflib.Literal(t.value, lang=tags.get(t.language, t.language))
        if t.datatype.value == XSD + "string":  # rdflib keeps simple literals without a datatype
            return rdflib.Literal(t.value)
        return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))

    g = rdflib.Graph()
    for t in triples:
        g.add((term(t.subject), term(t.predicate), term(t.object)))
    return g


@pytest.fixture(scope="module", autouse=True)
def exact_literals():
    import rdflib

    saved = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    yield
    rdflib.NORMALIZE_LITERALS = saved


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------


@given(model=models(), style=st.integers(0, 2), comments=comment_texts)
def test_fmt_keeps_graph_and_comments_and_is_idempotent(tmp_path, model, style, comments):
    from sst_vocab.fmt import format_text, isomorphic
    from sst_vocab.turtle_lex import tokens

    text, _ = write_turtle(model, style, comments)
    path = str(tmp_path / "g.ttl")
    base = "file:///g.ttl"
    source = _parse(text, base)
    out = format_text(text, path, base=base)
    assert isomorphic(source, _parse(out, base))
    before = Counter(t.text.rstrip() for t in tokens(text) if t.kind == "comment")
    after = Counter(t.text.rstrip() for t in tokens(out) if t.kind == "comment")
    assert not before - after
    assert format_text(out, path, base=base) == out
    for low, tag in model.tags.items():  # tags as written
        if any(getattr(t.object, "language", None) == low for t in source):
            assert "@" + tag in out


@given(model=models(), style=st.integers(0, 2))
def test_every_export_format_reads_back_as_the_same_terms(tmp_path_factory, model, style):
    import re

    import rdflib
    from click.testing import CliRunner
    from rdflib.compare import isomorphic

    from sst_vocab.cli import cli

    text, _ = write_turtle(model, style, [])
    f = tmp_path_factory.mktemp("export") / "g.ttl"
    f.write_bytes(text.encode("utf-8"))
    base = "http://example.org/base/g.ttl"
    expected = _expected_rdflib(_parse(text, base), model.tags)
    xml_cannot = any(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", str(o)) for o in expected.objects())
    for fmt, reader in (("jsonld", "json-ld"), ("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml")):
        r = CliRunner().invoke(cli, ["export", str(f), "--base", base, "--format", fmt], catch_exceptions=False)
        if fmt == "rdfxml" and xml_cannot:
            assert r.exit_code == 2 and "XML 1.0 cannot carry" in r.stderr
            continue
        assert r.exit_code == 0, r.stderr
        back = rdflib.Graph().parse(data=r.stdout_bytes, format=reader)
        assert isomorphic(back, expected), fmt


@given(model=models(), style=st.integers(0, 2), probe=st.text(max_size=12))
def test_validate_and_lookups_never_fail_and_lines_name_the_block(tmp_path_factory, model, style, probe):
    from click.testing import CliRunner

    from sst_vocab.cli import cli
    from sst_vocab.loader import load

    text, first_line = write_turtle(model, style, ["# between"])
    f = tmp_path_factory.mktemp("lookups") / "g.ttl"
    f.write_bytes(text.encode("utf-8"))
    vocab = load([f])
    for iri, line in first_line.items():
        assert vocab.location(iri) == (str(f), line)
    run = CliRunner()
    for args in (
        ["validate", str(f)],
        ["show", probe or "x", str(f)],
        ["show", model.subjects[0][1], str(f)],
        ["search", probe or "x", str(f)],
        ["tree", str(f)],
        ["query", "labels", str(f), "--format", "csv"],
    ):
        r = run.invoke(cli, args, catch_exceptions=False)
        assert r.exit_code in (0, 1, 2), (args, r.stderr)
        assert "Traceback" not in r.stderr


# --------------------------------------------------------------------------------------------
# bounded fuzzing: mutated bytes of real files
# --------------------------------------------------------------------------------------------

SPECIAL = [
    b'"',
    b"'",
    b"<",
    b">",
    b"#",
    b"\\",
    b"@",
    b".",
    b";",
    b",",
    b"[",
    b"]",
    b"(",
    b")",
    b"\x00",
    b"\r",
    b"\n",
    b"\xff",
    b"\xc3",
    b"_:",
    b"^^",
    b'"""',
    b"\\u00",
    b"%",
]


def _seed_files() -> list[bytes]:
    files = [sorted((ROOT / "vocab").glob("*.ttl"))[0]] + REAL_VOCABS[:2]
    out = []
    for p in files:
        data = p.read_bytes()
        head = b"\n".join(data.split(b"\n")[:150])
        cut = max(head.rfind(b" .\n"), head.rfind(b"\n.\n"))  # whole statements only
        out.append(head[: cut + 3] if cut > 0 else data)
    return out


SEEDS = _seed_files()


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """Half the mutants are byte-level damage (mostly refused, exit 2); half keep the file legal
    Turtle (text inside strings, comments, duplicated or reordered statements, deep nesting),
    so the writers run on odd but valid input too."""
    data = bytearray(data)
    legal = rng.random() < 0.5
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(data) + 1)
        if legal:
            op = rng.randrange(4)
            if op == 0:  # odd text inside a string literal
                quote = data.find(b'"', at)
                after = data[quote + 1 : quote + 2]
                if quote >= 0 and data[quote - 1 : quote] != b"\\" and after.isalnum():
                    data[quote + 1 : quote + 1] = rng.choice(
                        [b"#", b"<>", b"@en", b";,.", b"[ ( ", b"\\\\", b"\\u00e9", b"\xc3\xa9", b"\\t", b"'", b"\x01"]
                    )
            elif op == 1:  # a comment line
                line = data.rfind(b"\n", 0, at) + 1
                data[line:line] = b"# " + bytes(rng.choice(b"abc#<>\"'") for _ in range(8)) + b"\n"
            elif op == 2:  # a statement again, at the end
                end = data.find(b" .\n", at)
                start = data.rfind(b"\n\n", 0, at)
                if end > start >= 0:
                    data += data[start : end + 3]
            else:  # a deep blank node
                depth = rng.randint(1, 300)
                data += (
                    b"<http://example.org/deep> <http://example.org/p> "
                    + b"[ <http://example.org/p> " * depth
                    + b'"x"'
                    + b" ]" * depth
                    + b" .\n"
                )
            continue
        op = rng.randrange(5)
        if op == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            data[at:at] = rng.choice(SPECIAL)
        elif op == 2:
            del data[at : at + rng.randint(1, 40)]
        elif op == 3 and data:
            start = rng.randrange(len(data))
            data[at:at] = data[start : start + rng.randint(1, 80)]
        else:
            data[at:at] = b"[ " * rng.randint(1, 50)
    return bytes(data)


@pytest.mark.parametrize("seed", range(60))
def test_fuzzed_files_give_exit_0_1_or_2(tmp_path, invoke, seed):
    rng = random.Random(seed)
    data = _mutate(SEEDS[seed % len(SEEDS)], rng)
    f = tmp_path / "fuzz.ttl"
    f.write_bytes(data)
    for args in (
        ["validate", str(f)],
        ["fmt", "--check", str(f)],
        ["export", str(f), "--format", "ntriples"],
        ["export", str(f), "--format", "jsonld"],
        ["show", "a", str(f)],
    ):
        r = invoke(*args)
        assert r.exit_code in (0, 1, 2), (args, r.stderr[-300:])
        if r.exit_code == 2:
            assert r.stderr.startswith("Error: ") and "Traceback" not in r.stderr
    assert f.read_bytes() == data  # fmt --check writes nothing


_field_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["Violation", "Warning", "Info"]),
            _field_text,
            _field_text,
            st.none() | _field_text,
            st.none() | _field_text,
            st.none() | st.integers(0, 10**6),
            _field_text,
            st.none() | _field_text,
            st.none() | _field_text,
        ),
        max_size=5,
    ),
    files=st.lists(_field_text, max_size=2),
)
def test_findings_json_is_what_json_dumps_writes(rows, files):
    """The JSON report (written field by field for speed) is byte for byte json.dumps(indent=2) of its document."""
    import json

    from sst_vocab.render import findings_json
    from sst_vocab.validate import Finding, Report

    report = Report(
        findings=[Finding(*row) for row in rows],
        files=files,
        concepts=3,
        top_concepts=1,
        schemes=1,
        triples=9,
        engine="fast",
    )
    doc = {
        "conforms": report.conforms,
        "counts": report.counts(),
        "concepts": 3,
        "top_concepts": 1,
        "files": files,
        "findings": [f.as_dict() for f in report.findings],
    }
    assert findings_json(report) == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    assert json.loads(findings_json(report)) == doc
