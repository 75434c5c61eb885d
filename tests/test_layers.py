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
from pathlib import Path

import sst_vocab
from conftest import ROOT

SRC = ROOT / "src"
PACKAGE = "sst_vocab"

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


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _imports(name: str, path: Path, modules: dict[str, Path], *, functions: bool) -> set[str]:
    """The sst_vocab modules ``name`` imports (see the module docstring for what counts)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def target(node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if not functions and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            if isinstance(child, ast.ImportFrom):
                mod = target(child)
                for alias in child.names:
                    sub = f"{mod}.{alias.name}"
                    found.add(sub if sub in modules else mod)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return {m for m in found if m in modules and m != name}


def _graph(functions: bool) -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules, functions=functions) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            advanced = False
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.add(top)
                    if top == node:
                        break
                if len(component) > 1:
                    out.append(frozenset(component))
    return out


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


def test_the_library_never_imports_click():
    modules = _modules()
    offenders = []
    for name, path in modules.items():
        if name == f"{PACKAGE}.cli" or name.startswith(f"{PACKAGE}.cli."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            if any(n == "click" or n.startswith("click.") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_no_submodule_hides_a_public_name():
    children = {name.split(".")[1] for name in _modules() if name.count(".") >= 1}
    assert children & set(sst_vocab.__all__) == set()
