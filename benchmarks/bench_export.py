#!/usr/bin/env python3
"""In-process benchmark of ``sst-vocab export``: every format, and three ways to make compact JSON-LD.

Usage::

    python benchmarks/bench_export.py [--runs N] [FILE_OR_FOLDER ...]

Default inputs: the shipped ``vocab/`` and ``tests/data/real-vocabularies/lithology.ttl``.
Each vocabulary is loaded once (not timed).  Each operation runs once as a warm-up and
then ``--runs`` times with ``gc.collect()`` before each run; reported are the median CPU
time (``time.process_time``, robust on a busy machine), the median wall time, and the
ratio of the CPU median to the baseline's: pyoxigraph's own ``Store.dump`` to N-Triples
(no sorting, no canonical blank nodes: the floor for writing the graph at all).

Rows:

* ``export <fmt>``: :func:`sst_vocab.export.serialize` for each format, as the CLI runs it
  (re-reading the source text for exact lexical forms, sorting, canonical blank nodes).
* ``jsonld: rdflib``: the graph as an rdflib Graph (conversion from the store timed separately) and
  ``Graph.serialize(format="json-ld", context=<the shipped context as a dict>, auto_compact=True)``.
* ``jsonld: pyoxigraph+pyld``: pyoxigraph's JSON-LD serializer (expanded) then
  ``pyld.jsonld.compact(doc, context)`` with a document loader that refuses the network.
  (pyld is never given N-Quads: its N-Quads parser is quadratic.)

Every JSON-LD output is checked: read back with pyoxigraph's JSON-LD parser and compared
with the source graph (blank nodes canonicalized; lexical forms exact) -> ``same graph``;
and produced twice in two fresh processes with different ``PYTHONHASHSEED`` -> ``stable``.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "vocab", ROOT / "tests" / "data" / "real-vocabularies" / "lithology.ttl"]


def measure(fn, runs: int) -> tuple[float, float, object]:
    out = fn()  # warm-up
    cpu, wall = [], []
    for _ in range(runs):
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall), out


def refuse(url, options=None):
    raise RuntimeError(f"network refused: {url}")


def canonical(quads) -> set[str]:
    import pyoxigraph as ox

    d = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    d.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in d}


def ways(path: Path):
    """name -> zero-argument function returning JSON-LD bytes, for the three approaches."""
    import pyoxigraph as ox
    import rdflib
    from pyld import jsonld

    from sst_vocab.export import context_document, jsonld_bytes, serialize
    from sst_vocab.loader import load
    from sst_vocab.rdflib_bridge import quiet_rdflib, to_rdflib_term

    quiet_rdflib()

    vocab = load([path])
    ctx = context_document()["@context"]
    # All three start from the triples as written (the store keeps typed literals by value).
    triples = [q.triple for q in vocab.source.quads]
    graph = rdflib.Graph()
    for t in triples:
        graph.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))

    def direct() -> bytes:
        return serialize(vocab, "jsonld")

    def rdflib_way() -> bytes:
        return graph.serialize(format="json-ld", context=ctx, auto_compact=True, encoding="utf-8")

    def pyld_way() -> bytes:
        expanded = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
        return jsonld_bytes(jsonld.compact(expanded, ctx, {"documentLoader": refuse}))

    return vocab, graph, {"direct (sst-vocab)": direct, "rdflib": rdflib_way, "pyoxigraph+pyld": pyld_way}


def child(path: str, name: str) -> None:
    """In a fresh process: print the sha256 of one approach's output."""
    _, _, fns = ways(Path(path))
    print(hashlib.sha256(fns[name]()).hexdigest())


def stable(path: Path, name: str) -> bool:
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(path), name], capture_output=True, text=True, env=env, check=True
        )
        digests.add(proc.stdout.strip())
    return len(digests) == 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0

    import pyoxigraph as ox

    from sst_vocab.export import FORMATS, serialize
    from sst_vocab.rdflib_bridge import to_rdflib_graph

    print(f"# bench_export: median of {args.runs} runs; CPU ms (wall ms); ratio = CPU / baseline CPU")
    for path in args.paths:
        vocab, _, fns = ways(path)
        source = canonical(vocab.source.quads)
        base_cpu, base_wall, _ = measure(
            lambda vocab=vocab: vocab.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), args.runs
        )
        print(f"\n## {path.name}: {len(source)} triples")
        print("| operation | CPU ms | wall ms | × baseline | same graph | stable |")
        print("|---|---:|---:|---:|---|---|")
        print(f"| baseline: pyoxigraph Store.dump N-Triples | {base_cpu * 1e3:.1f} | {base_wall * 1e3:.1f} | 1.0 | | |")
        for fmt in FORMATS:
            cpu, wall, _ = measure(lambda vocab=vocab, fmt=fmt: serialize(vocab, fmt), args.runs)
            print(f"| export {fmt} | {cpu * 1e3:.1f} | {wall * 1e3:.1f} | {cpu / base_cpu:.1f} | | |")
        cpu, wall, _ = measure(lambda vocab=vocab: to_rdflib_graph(vocab.store), args.runs)
        print(
            f"| (store -> rdflib Graph, needed by the rdflib way) | {cpu * 1e3:.1f} | {wall * 1e3:.1f} | "
            f"{cpu / base_cpu:.1f} | | |"
        )
        for name, fn in fns.items():
            runs = args.runs if name != "pyoxigraph+pyld" else max(1, min(args.runs, 3))
            cpu, wall, out = measure(fn, runs)
            try:
                same = canonical(ox.parse(out, format=ox.RdfFormat.JSON_LD)) == source
            except (SyntaxError, ValueError) as exc:
                same = f"no ({exc})"
            print(
                f"| jsonld: {name} | {cpu * 1e3:.1f} | {wall * 1e3:.1f} | {cpu / base_cpu:.1f} | "
                f"{'yes' if same is True else 'NO' if same is False else same} | "
                f"{'yes' if stable(path, name) else 'NO'} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
