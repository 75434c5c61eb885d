"""A second, independent SHACL engine agrees with ours: Apache Jena (Debian's libapache-jena-java).

Also on shapes written by others: both W3C SHACL suites (Core and SHACL-SPARQL; every test) and the
VocPub profile validators on their examples and on the shipped vocabulary (the cases of
tests/test_third_party_shapes.py), all in one more JVM (``JenaShacl.java --pairs``): the results
(focus node, source shape, value, constraint component, severity, counted) must be the same.

The shipped shapes are run by Jena in one JVM (tests/tools/JenaShacl.java, a one-file program
that a JDK runs, through tests/tools/jena.sh) on every shape fixture, on the samples of the real
vocabularies and on the shipped vocabulary.  Each file's results, as (focus node, source shape,
value), must equal what sst-vocab's engine reports in its SHACL report graph.  (pySHACL is the
first reference: tests/test_shacl.py.)  Skipped where the JDK or the Jena jars are missing;
`make test` installs them.

Left out of the comparison: the checks sst-vocab makes in Python, which SHACL cannot
express (LIT-01 ill-typed literals, FILE-01 a subject in two files, REL-06 disconnected clusters).
Normalised: blank nodes (each engine names its own), the case of language tags (pyoxigraph
lower-cases them), and the order inside values built with GROUP_CONCAT, which SPARQL leaves undefined.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import DATA, ROOT
from sst_vocab.namespaces import SH
from sst_vocab.validate import validate

TOOLS = ROOT / "tests" / "tools"
JARS = Path(os.environ.get("JENA_JARS", "/usr/share/java"))
FILES = sorted((DATA / "shapes").glob("*.ttl")) + sorted((DATA / "real-samples").glob("*.ttl"))
LOADER_CHECKS = (
    "LIT-01-ill-typed-literal",
    "FILE-01-subject-in-two-files",
    "REL-06-disconnected-cluster",
    "LNG-01-unregistered-language-tag",
    "LNG-01-private-use-language-tag",
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("javac") and shutil.which("unzip") and (JARS / "jena-shacl.jar").exists()),
        reason="needs a JDK, unzip and Debian's libapache-jena-java (make test installs them)",
    ),
]


def canonical(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:b"
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    value = term.value
    if ", " in value:  # a GROUP_CONCAT list: no defined order
        value = ", ".join(sorted(value.split(", ")))
    if term.language:
        return f"{value!r}@{term.language.lower()}"
    return f"{value!r}^^<{term.datatype.value}>"


def nt_term(text: str):
    """One term written in N-Triples form, as Jena prints it."""
    if text == "-":
        return None
    if text.startswith("_:"):
        return ox.BlankNode()
    # Turtle, not N-Triples: Jena writes numbers and booleans in their short forms (32, true)
    return next(iter(ox.parse(f"<s:s> <p:p> {text} .".encode(), format=ox.RdfFormat.TURTLE))).object


def merged(paths: list[Path], out: Path) -> Path:
    store = ox.Store()
    for p in paths:
        store.load(path=str(p), format=ox.RdfFormat.TURTLE)
    store.dump(output=str(out), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return out


@pytest.fixture(scope="module")
def jena(tmp_path_factory) -> dict[str, set]:
    """file -> Jena's results for it; the shipped vocabulary under the key "vocab"."""
    tmp = tmp_path_factory.mktemp("jena")
    shapes = merged(sorted((ROOT / "shapes").glob("*.ttl")), tmp / "shapes.nt")
    vocab = merged(sorted((ROOT / "vocab").glob("*.ttl")), tmp / "vocab.nt")
    proc = subprocess.run(
        [str(TOOLS / "jena.sh"), str(TOOLS / "JenaShacl.java"), str(shapes), *map(str, FILES), str(vocab)],
        capture_output=True,
        text=True,
        env={**os.environ, "JENA_FIX_DIR": str(tmp / "fix")},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    found: dict[str, set] = {str(f): set() for f in FILES} | {"vocab": set()}
    for line in proc.stdout.splitlines():
        where, focus, shape, value = line.split("\t")[:4]
        assert focus != "ERROR", line
        found["vocab" if where == str(vocab) else where].add(
            (canonical(nt_term(focus)), canonical(nt_term(shape)), canonical(nt_term(value)))
        )
    return found


def ours(paths: list[Path] | None) -> set:
    report = validate(paths, with_report_graph=True)
    store = ox.Store()
    store.load(report.report_turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"""SELECT ?focus ?shape ?value WHERE {{
        ?r a <{SH}ValidationResult> ; <{SH}focusNode> ?focus ; <{SH}sourceShape> ?shape .
        OPTIONAL {{ ?r <{SH}value> ?value }} }}""")
    return {
        (canonical(r["focus"]), canonical(r["shape"]), canonical(r["value"]))
        for r in rows
        if not r["shape"].value.endswith(LOADER_CHECKS)
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_jena_agrees_on_each_fixture_and_sample(path, jena):
    assert ours([path]) == jena[str(path)]


def test_jena_agrees_on_the_shipped_vocabulary(jena):
    assert ours(None) == jena["vocab"]
    assert jena["vocab"], "the shipped vocabulary has Info findings; an empty set would mean Jena ran nothing"


def test_jena_runs_every_shipped_shape(jena):
    """Each shape fires on its fail fixture in Jena too: no shape is silently skipped by either engine."""
    from sst_vocab.namespaces import SSTSH
    from sst_vocab.validate import load_shapes

    fired = {shape for results in jena.values() for _, shape, _ in results}
    shipped = {f"<{s.iri}>" for s in load_shapes().shapes if s.iri.startswith(SSTSH)}
    assert len(shipped) > 100 and shipped <= fired, sorted(shipped - fired)


# -- shapes written by others: the W3C suites and VocPub, in one JVM ----------------------------------
from collections import Counter  # noqa: E402

from test_shacl_conformance import TESTS, _with_base  # noqa: E402
from test_third_party_shapes import CASES, PROFILES, case_id, report_rows  # noqa: E402
from test_third_party_shapes import canonical as canonical5  # noqa: E402

SHT_FAILURE = "http://www.w3.org/ns/shacl-test#Failure"
VOCPUB_CASES = CASES + [(None, "shui")]  # VocPub + SHUI: ill-formed, refused by both
#: Where Jena 4.5 (Debian's) departs from the W3C suite, which sst-vocab follows
#: (tests/test_shacl_conformance.py): it runs the SPARQL that SHACL forbids with pre-bound variables
#: (MINUS, VALUES, SERVICE, AS $this, subqueries without $this) instead of refusing it, and does not
#: bind $shapesGraph (optional in SHACL).  The test checks that Jena still does so.
JENA_DEPARTS = {f"sparql/pre-binding/unsupported-sparql-00{i}" for i in range(1, 7)} | {
    "sparql/pre-binding/pre-binding-006",
    "sparql/pre-binding/shapesGraph-001",
}


@pytest.fixture(scope="module")
def jena_others(tmp_path_factory) -> dict[str, Counter | str]:
    """key -> Jena's results (a Counter), or "FAILURE" when Jena refused the shapes."""
    tmp = tmp_path_factory.mktemp("jena-others")
    args: list[str] = []
    for name, data, shapes, _, _ in TESTS:
        args += [name, str(shapes), str(data)]
    vocab = merged(sorted((ROOT / "vocab").glob("*.ttl")), tmp / "vocab.nt")
    profiles = {name: merged(files, tmp / f"{name}.nt") for name, files in PROFILES.items()}
    for case in VOCPUB_CASES:
        paths, profile = case
        args += [case_id(case), str(profiles[profile]), str(paths[0]) if paths else str(vocab)]
    proc = subprocess.run(
        [str(TOOLS / "jena.sh"), str(TOOLS / "JenaShacl.java"), "--pairs", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "JENA_FIX_DIR": str(tmp / "fix")},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    found: dict[str, Counter | str] = {args[i]: Counter() for i in range(0, len(args), 3)}
    for line in proc.stdout.splitlines():
        key, focus, *rest = line.split("\t")
        if focus == "FAILURE":
            found[key] = "FAILURE"
        elif focus != "CONFORMS":
            shape, value, component, severity = rest
            try:
                row = tuple(canonical5(nt_term(t)) for t in (focus, shape, value, component, severity))
            except SyntaxError as exc:
                raise AssertionError(f"cannot read Jena's line {line!r}") from exc
            found[key][row] += 1
    return found


@pytest.mark.parametrize(
    "name,data,shapes,expected", [(t[0], t[1], t[2], t[4]) for t in TESTS], ids=[t[0] for t in TESTS]
)
def test_jena_agrees_on_the_w3c_suites(name, data, shapes, expected, jena_others, tmp_path):
    from sst_vocab.errors import VocabError

    if name in JENA_DEPARTS:
        assert jena_others[name] != "FAILURE" and (str(expected) == SHT_FAILURE or not jena_others[name])
        return
    try:
        report = validate([_with_base(data, tmp_path)], shapes=[_with_base(shapes, tmp_path)], with_report_graph=True)
    except VocabError:
        assert str(expected) == SHT_FAILURE  # we refuse exactly where the suite says so ...
        assert jena_others[name] == "FAILURE"  # ... and so does Jena
        return
    assert report_rows(report.report_turtle) == jena_others[name]


@pytest.mark.parametrize("case", VOCPUB_CASES, ids=case_id)
def test_jena_agrees_on_vocpub(case, jena_others):
    from sst_vocab.errors import VocabError

    paths, profile = case
    try:
        report = validate(paths, shapes=PROFILES[profile], with_report_graph=True)
    except VocabError:
        assert jena_others[case_id(case)] == "FAILURE"
        return
    assert report_rows(report.report_turtle) == jena_others[case_id(case)]
