"""The modules of src/sst_vocab and what each imports of the others, read from the source with ``ast``.

    python tools/module_graph.py            # print the Mermaid diagram of the layers
    python tools/module_graph.py --check    # exit 1 if docs/DEVELOPING.md's diagram is out of date
    python tools/module_graph.py --write    # rewrite that diagram in docs/DEVELOPING.md
    python tools/module_graph.py --cycles   # print every import cycle (none: exit 0)

An import counts wherever it is written (module level or inside a function: a deferred import is
still a dependency), except under ``if TYPE_CHECKING:``.  A package (``query/``, ``lsp/``...) is one
node of the diagram; its modules' imports of each other are its own affair, but are still checked for
cycles.  ``LAYERS`` names the layers, bottom up; a module imports only its own layer and those below.
tests/test_layers.py holds the package to all of it: no cycle, no import upward, the diagram current.
"""

from __future__ import annotations

import ast
import os
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src", "sst_vocab")
DOC = os.path.join(ROOT, "docs", "DEVELOPING.md")
BEGIN, END = "<!-- module-graph: begin (tools/module_graph.py --write) -->", "<!-- module-graph: end -->"


def modules(src: str = SRC) -> dict[str, str]:
    """Dotted name within the package (``query.scan``; a package's ``__init__`` is the package,
    ``query``; the top ``__init__`` is ``""``) -> its file."""
    found = {}
    for folder, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for name in sorted(files):
            if name.endswith(".py"):
                parts = os.path.relpath(os.path.join(folder, name), src)[:-3].split(os.sep)
                if parts[-1] == "__init__":
                    parts.pop()
                found[".".join(parts)] = os.path.join(folder, name)
    return found


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def imports(name: str, path: str, known: dict[str, str], *, functions: bool = True) -> set[str]:
    """The package's modules that ``name`` imports: every ``import`` and ``from ... import`` naming one
    (``from . import x`` and ``from .x import y`` alike, ``from .pkg import mod`` counted as the
    submodule), at module level and (``functions``) inside functions; never under ``if TYPE_CHECKING:``."""
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    found: set[str] = set()

    def target(node: ast.ImportFrom) -> str:
        if not node.level:
            module = node.module or ""
            return (
                module[len("sst_vocab.") :]
                if module.startswith("sst_vocab.")
                else ""
                if module == "sst_vocab"
                else "\0"
            )  # "\0": not ours
        base = package.split(".") if package else []
        base = base[: len(base) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if not functions and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if isinstance(child, ast.ImportFrom):
                module = target(child)
                for alias in child.names:
                    sub = f"{module}.{alias.name}".lstrip(".")
                    found.add(sub if sub in known else module)
            elif isinstance(child, ast.Import):
                found.update(a.name[len("sst_vocab.") :] for a in child.names if a.name.startswith("sst_vocab."))
            visit(child)

    with open(path, encoding="utf-8") as f:
        visit(ast.parse(f.read(), path))
    return {m for m in found if m in known and m != name}


def graph(src: str = SRC, *, functions: bool = True) -> dict[str, set[str]]:
    """Module -> the modules it imports (see :func:`imports` for what counts)."""
    known = modules(src)
    return {name: imports(name, path, known, functions=functions) for name, path in known.items()}


def cycles(deps: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of two or more modules (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []
    for root in sorted(deps):
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(sorted(deps[root])))]
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(deps.get(nxt, ())))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        out.append(sorted(component))
    return sorted(out)


def _node(module: str) -> str:
    """The diagram's node for a module: a package's modules are one node (``query/``)."""
    head = module.partition(".")[0]
    return "sst_vocab" if not module else head


def _is_package(node: str, deps: dict[str, set[str]]) -> bool:
    return any(m.startswith(node + ".") for m in deps)


def collapsed(deps: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for m, targets in deps.items():
        a = _node(m)
        out[a]
        for t in targets:
            b = _node(t)
            if a != b:
                out[a].add(b)
    return dict(out)


#: The layers, bottom up, and their modules (a package is one entry).  A module may import its own
#: layer and those below it, never one above (tests/test_layers.py); a new module gets a line here.
LAYERS: dict[str, tuple[str, ...]] = {
    "foundation: errors, names, files, progress, pure renderers (data in, text out)": (
        "errors",
        "namespaces",
        "progress",
        "files",
        "resources",
        "lazy",
        "http",
        "render",
    ),
    "reading: every RDF file read one way; the domain model": (
        "reading",
        "turtle_lex",
        "loader",
        "canonical",
        "revisions",
        "rdflib_bridge",
        "model",
    ),
    "engines: SHACL and the checks, SPARQL, the canonical layout, comparison": (
        "shacl",
        "advice",
        "checks",
        "validate",
        "pyshacl_engine",
        "query",
        "fmt",
        "diff",
    ),
    "features: what the commands do, as data": (
        "export",
        "api",
        "lookup",
        "render_lookup",
        "edit",
        "review",
        "release",
        "publish",
        "site",
        "reconcile",
    ),
    "front ends: the command line, the language server, the web servers": (
        "serve",
        "redirects",
        "lsp",
        "cli",
        "__main__",
    ),
}


def layer_of() -> dict[str, int]:
    return {m: n for n, members in enumerate(LAYERS.values()) for m in members}


def upward(deps: dict[str, set[str]]) -> list[str]:
    """Every import of a higher layer (``a -> b``), and every node no layer lists (``? a``)."""
    level = layer_of()
    nodes = _drawn(deps)
    out = [f"? {v}" for v in sorted(nodes) if v not in level]
    out += [
        f"{v} -> {w}"
        for v in sorted(nodes)
        for w in sorted(nodes[v])
        if v in level and w in level and level[w] > level[v]
    ]
    return out


def _drawn(deps: dict[str, set[str]]) -> dict[str, set[str]]:
    nodes = collapsed(deps)
    nodes.pop("sst_vocab", None)  # the package's __init__: the public API's lazy names
    for targets in nodes.values():
        targets.discard("sst_vocab")
    return nodes


def mermaid(src: str = SRC) -> str:
    """The layers as a Mermaid flowchart: one box a layer, top to bottom, and the imports between
    modules of neighbouring layers (imports further down and of the foundation are left out: all
    but a few modules import errors and namespaces, and the picture would be a thicket)."""
    deps = graph(src)
    nodes = _drawn(deps)
    level = layer_of()
    names = list(LAYERS)
    lines = ["```mermaid", "flowchart TB"]
    for n in reversed(range(len(names))):
        lines.append(f'  subgraph L{n}["{names[n]}"]')
        lines.append("    direction LR")
        for v in LAYERS[names[n]]:
            label = v + "/" if _is_package(v, deps) else v + ".py"
            lines.append(f'    {v.strip("_") or v}["{label}"]')
        lines.append("  end")
    for v in sorted(nodes):
        for w in sorted(nodes[v]):
            if v in level and w in level and level[w] == level[v] - 1 and level[w] > 0:
                lines.append(f"  {v.strip('_')} --> {w.strip('_')}")
    lines.append("```")
    return "\n".join(lines) + "\n"


def _replace(doc: str, block: str) -> str:
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    return doc[:start] + "\n" + block + doc[end:]


def main(argv: list[str]) -> int:
    if "--cycles" in argv:
        found = cycles(graph())
        for group in found:
            print(" <-> ".join(group))
        return 1 if found else 0
    block = mermaid()
    if "--check" in argv or "--write" in argv:
        with open(DOC, encoding="utf-8") as f:
            doc = f.read()
        new = _replace(doc, block)
        if "--check" in argv:
            if new != doc:
                print(f"{DOC}: the module diagram is out of date; run python tools/module_graph.py --write")
                return 1
            return 0
        with open(DOC, "w", encoding="utf-8") as f:
            f.write(new)
        return 0
    sys.stdout.write(block)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
