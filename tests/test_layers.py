"""The package's layering, read from the source with ``ast`` (nothing is imported).

What counts as an import of module A by module B: every ``import`` and ``from ... import``
statement in B that names a module of ``sst_vocab`` (``from . import x`` and ``from .x import y``
alike, ``from .pkg import mod`` counted as the submodule), at module level or inside a function
or class.  Imports under ``if TYPE_CHECKING:`` are left out: they never run.  A package's
``__init__`` counts as the package.

* Module-level imports form a DAG (no cycle at all: a cycle there breaks at import time).
* All imports, function-level ones included, form a DAG too: an import deferred into a function
  is still a dependency, and "nothing below imports upward" is about dependencies, not about
  when they are paid for.  ``KNOWN_CYCLES`` lists the cycles that remain in modules being split
  by others this round, each with the change that removes it; the test fails when one of them
  is gone (so the list is emptied) or when a new one appears.
* The core (reading, the loader, the domain model and what they stand on) imports nothing above it.
* The library (everything outside ``cli/``) never imports click.
* No submodule of the package is named like a public API name (``sst_vocab.concepts`` would
  replace the function ``sst_vocab.concepts()`` once imported).
"""

from __future__ import annotations

import ast
import importlib.util
import os
from pathlib import Path

import pytest

import sst_vocab
from conftest import ROOT

SRC = ROOT / "src"
PACKAGE = "sst_vocab"
LIMIT = 700  # lines: a module over it holds more than one concern

_spec = importlib.util.spec_from_file_location("module_graph", ROOT / "tools" / "module_graph.py")
module_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(module_graph)

#: The core layer: reading files, the loader, the domain model and the modules under them.
CORE = {
    "errors",
    "namespaces",
    "resources",
    "files",
    "progress",
    "reading",
    "turtle_lex",
    "loader",
    "canonical",
    "model",
    "model.concept",
}

#: Cycles through function-level imports in modules other helpers are restructuring this round.
#: Each entry: the modules of the cycle, and the change that breaks it.
KNOWN_CYCLES: dict[frozenset[str], str] = {}


def _graph(functions: bool) -> dict[str, set[str]]:
    """Module -> the modules it imports, named ``sst_vocab.x`` (tools/module_graph.py reads them)."""
    deps = module_graph.graph(str(SRC / PACKAGE), functions=functions)
    named = {m: f"{PACKAGE}.{m}" if m else PACKAGE for m in deps}
    return {named[m]: {named[t] for t in targets} for m, targets in deps.items()}


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    return [frozenset(c) for c in module_graph.cycles(graph)]


def _modules() -> dict[str, Path]:
    return {f"{PACKAGE}.{m}" if m else PACKAGE: Path(p) for m, p in module_graph.modules(str(SRC / PACKAGE)).items()}


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [frozenset({"a", "b", "c"})]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_module_level_imports_form_a_dag():
    assert _cycles(_graph(functions=False)) == []


def test_all_imports_form_a_dag_but_for_the_known_cycles():
    cycles = set(_cycles(_graph(functions=True)))
    new = [sorted(c) for c in cycles - set(KNOWN_CYCLES)]
    assert not new, f"import cycles (function-level imports included): {new}"
    gone = [sorted(c) for c in set(KNOWN_CYCLES) - cycles]
    assert not gone, f"these cycles are broken now: remove them from KNOWN_CYCLES: {gone}"


def test_the_core_imports_nothing_above_it():
    core = {f"{PACKAGE}.{name}" for name in CORE}
    graph = _graph(functions=True)
    upward = {m: sorted(graph[m] - core - {PACKAGE}) for m in sorted(core)}
    assert {m: up for m, up in upward.items() if up} == {}


def test_no_submodule_hides_a_public_name():
    children = {name.split(".")[1] for name in _modules() if name.count(".") >= 1}
    assert children & set(sst_vocab.__all__) == set()


@pytest.mark.parametrize("name", sorted(_modules()))
def test_no_module_is_over_700_lines(name):
    path = _modules()[name]
    count = len(path.read_text(encoding="utf-8").splitlines())
    assert count <= LIMIT, f"{path.relative_to(ROOT)} has {count} lines; split it by concern"


def _prints_or_imports_click(path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and not node.level
            else []
        )
        found += [f"line {node.lineno}: imports {n}" for n in names if n == "click" or n.startswith("click.")]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
            found.append(f"line {node.lineno}: print()")
    return found


def test_the_library_never_prints_or_imports_click():
    """Only cli/ talks to the terminal: the library returns data and raises VocabError."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for name, path in _modules().items()
        if name != f"{PACKAGE}.cli" and not name.startswith(f"{PACKAGE}.cli.")
        for found in [_prints_or_imports_click(path)]
        if found
    }
    assert offenders == {}


def test_the_print_and_click_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import click\n\ndef f():\n    print('x')\n")
    assert _prints_or_imports_click(bad) == ["line 1: imports click", "line 4: print()"]


def test_the_import_reader_counts_deferred_imports_but_not_type_checking_ones(tmp_path):
    pkg = tmp_path / "sst_vocab"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import thing\n")
    (pkg / "b.py").write_text("def thing():\n    from . import a\n    return a\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import thing\n")
    deps = module_graph.graph(str(pkg))
    assert deps["c"] == set() and module_graph.cycles(deps) == [["a", "b"]]
    assert module_graph.cycles(module_graph.graph(str(pkg), functions=False)) == []


def test_developing_md_names_every_module():
    doc = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
    missing = []
    for name, path in module_graph.modules(str(SRC / PACKAGE)).items():
        rel = os.path.relpath(path, SRC / PACKAGE).replace(os.sep, "/")
        shown = rel[: -len("__init__.py")] if rel.endswith("__init__.py") else rel
        if name and f"`{shown}`" not in doc and f"`{os.path.basename(rel)}`" not in doc:
            missing.append(shown)
    assert missing == [], "docs/DEVELOPING.md does not describe: " + ", ".join(missing)


def test_developing_md_draws_the_layers_the_imports_give():
    assert module_graph.main(["--check"]) == 0, "run: python tools/module_graph.py --write"


def test_every_module_has_a_layer_and_imports_none_above_it():
    """tools/module_graph.py LAYERS: foundation < reading < engines < features < front ends."""
    assert module_graph.upward(module_graph.graph(str(SRC / PACKAGE))) == []


def test_the_layer_check_can_fail():
    deps = {"errors": {"loader"}, "loader": {"errors"}, "newthing": set()}
    assert module_graph.upward(deps) == ["? newthing", "errors -> loader"]
