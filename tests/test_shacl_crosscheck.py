"""A second, independent SHACL engine agrees with ours: Apache Jena (Debian's libapache-jena-java).

The shipped shapes are run by Jena in one JVM (tests/tools/JenaShacl.java, a one-file program
that a JDK runs, through tests/tools/jena.sh) on every shape fixture, on the samples of the real
vocabularies and on the shipped vocabulary.  Each file's results, as (focus node, source shape,
value), must equal what sst-vocab's engine reports in its SHACL report graph.  (pySHACL is the
first reference: tests/test_shacl.py.)  Skipped where the JDK or the Jena jars are missing;
`make test` installs them.

Left out of the comparison: the checks sst-vocab makes in Python, which SHACL cannot
express (LIT-01 ill-typed literals, FILE-01 a subject in two files, REL-06 disconnected clusters).  Normalised: blank nodes
(each engine names its own), the case of language tags (pyoxigraph lower-cases them), and the
order inside values built with GROUP_CONCAT, which SPARQL leaves undefined.
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
LOADER_CHECKS = ("LIT-01-ill-typed-literal", "FILE-01-subject-in-two-files", "REL-06-disconnected-cluster",
                 "LNG-01-unregistered-language-tag", "LNG-01-private-use-language-tag")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (shutil.which("javac") and shutil.which("unzip") and (JARS / "jena-shacl.jar").exists()),
                       reason="needs a JDK, unzip and Debian's libapache-jena-java (make test installs them)"),
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
    return next(iter(ox.parse(f"<s:s> <p:p> {text} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object


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
    proc = subprocess.run([str(TOOLS / "jena.sh"), str(TOOLS / "JenaShacl.java"), str(shapes),
                           *map(str, FILES), str(vocab)],
                          capture_output=True, text=True, env={**os.environ, "JENA_FIX_DIR": str(tmp / "fix")})
    assert proc.returncode == 0, proc.stderr[-2000:]
    found: dict[str, set] = {str(f): set() for f in FILES} | {"vocab": set()}
    for line in proc.stdout.splitlines():
        where, focus, shape, value = line.split("\t")
        assert focus != "ERROR", line
        found["vocab" if where == str(vocab) else where].add(
            (canonical(nt_term(focus)), canonical(nt_term(shape)), canonical(nt_term(value))))
    return found


def ours(paths: list[Path] | None) -> set:
    report = validate(paths, with_report_graph=True)
    store = ox.Store()
    store.load(report.report_turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    rows = store.query(f"""SELECT ?focus ?shape ?value WHERE {{
        ?r a <{SH}ValidationResult> ; <{SH}focusNode> ?focus ; <{SH}sourceShape> ?shape .
        OPTIONAL {{ ?r <{SH}value> ?value }} }}""")
    return {(canonical(r["focus"]), canonical(r["shape"]), canonical(r["value"])) for r in rows
            if not r["shape"].value.endswith(LOADER_CHECKS)}


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
