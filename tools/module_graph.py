"""The modules of src/sst_vocab and what each imports of the others, read from the source with ``ast``.

    python tools/module_graph.py            # print the Mermaid diagram of the layers
    python tools/module_graph.py --check    # exit 1 if docs/DEVELOPING.md's diagram is out of date
    python tools/module_graph.py --write    # rewrite that diagram in docs/DEVELOPING.md
    python tools/module_graph.py --cycles   # print every import cycle (none: exit 0)

An import counts wherever it is written (module level or inside a function: a deferred import is
still a dependency), except under ``if TYPE_CHECKING:``.  A package (``query/``, ``lsp/``...) is one
node of the diagram; its modules' imports of each other are its own affair, but are still checked
for cycles.  A module's layer is one more than the highest layer it imports, so every arrow points
down the page.
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
    """Dotted name (``query.safety``, ``cli``) -> file, for every module of the package."""
    found = {}
    for folder, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")) or d == "__init__")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            rel = os.path.relpath(os.path.join(folder, name), src)[:-3].replace(os.sep, ".")
            dotted = rel[: -len(".__init__")] if rel.endswith(".__init__") else rel
            if dotted == "__init__":
                dotted = ""
            found[dotted] = os.path.join(folder, name)
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, me: str, is_package: bool, known: set[str]) -> set[str]:
    package = me if is_package else me.rpartition(".")[0]
    out: set[str] = set()

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name if name in known else None

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                stem = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "sst_vocab" or node.module.startswith("sst_vocab.")):
                stem = node.module[len("sst_vocab."):] if node.module != "sst_vocab" else ""
            else:
                stem = None
            if stem is not None:
                for alias in node.names:  # `from . import x` imports the module x when there is one
                    target = resolve(f"{stem}.{alias.name}".lstrip(".")) if f"{stem}.{alias.name}".lstrip(".") in known else resolve(stem)
                    if target is not None:
                        out.add(target)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sst_vocab."):
                    target = resolve(alias.name[len("sst_vocab."):])
                    if target is not None:
                        out.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    out.discard(me)
    return out


def graph(src: str = SRC) -> dict[str, set[str]]:
    """Module -> the modules it imports (see the module docstring for what counts)."""
    mods = modules(src)
    known = set(mods)
    deps = {}
    for name, path in mods.items():
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
        deps[name] = _imports(tree, name, path.endswith("__init__.py"), known)
    return deps


def cycles(deps: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected set of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(deps.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for v in sorted(deps):
        if v not in index:
            connect(v)
    return sorted(found)


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


def layers(deps: dict[str, set[str]]) -> dict[str, int]:
    """Node -> layer (0 imports nothing of ours).  Raises ValueError on a cycle."""
    layer: dict[str, int] = {}
    visiting: set[str] = set()

    def depth(v: str) -> int:
        if v in layer:
            return layer[v]
        if v in visiting:
            raise ValueError(f"import cycle through {v}")
        visiting.add(v)
        layer[v] = 1 + max((depth(w) for w in deps.get(v, ())), default=-1)
        visiting.discard(v)
        return layer[v]

    for v in sorted(deps):
        depth(v)
    return layer


def mermaid(src: str = SRC) -> str:
    deps = graph(src)
    nodes = collapsed(deps)
    nodes.pop("sst_vocab", None)  # the package's __init__ (the version, nothing else)
    for targets in nodes.values():
        targets.discard("sst_vocab")
    level = layers(nodes)
    lines = ["```mermaid", "flowchart TB"]
    for n in range(max(level.values()) + 1 if level else 0):
        members = sorted(v for v, lv in level.items() if lv == n)
        lines.append(f'  subgraph L{n}["layer {n}"]')
        lines.append("    direction LR")
        for v in members:
            label = v + "/" if _is_package(v, deps) else v + ".py"
            lines.append(f'    {v}["{label}"]')
        lines.append("  end")
    for v in sorted(nodes):
        for w in sorted(nodes[v]):
            # draw only the arrows to the layer just below, and to layer 0 never (everything uses errors):
            # the rest follow by transitivity of layers and would make the picture unreadable
            if level[w] == level[v] - 1:
                lines.append(f"  {v} --> {w}")
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
