#!/usr/bin/env python3
"""Where ``sst-vocab validate`` spends its time, step by step and rule by rule, in one process.

Usage::

    python benchmarks/profile_validate.py [FILE ...] [--profile NAME ...] [--n N] [--growth] [--json FILE]

For each file (default: the synthetic 10,000-concept file and one file of each adversarial
profile of ``gen_vocab.py``) it times, on CPU time of this process:

* ``load``: reading and parsing the files into pyoxigraph;
* ``outline``: the Turtle scan that finds the line of each subject block (``FILE:LINE``);
* every compiled shape query, one by one (serially, so each figure is the rule's own cost);
* the checks made in Python (LIT-01, FILE-01, LNG-01 against the registry, REL-06);
* ``findings``: building, labelling, locating and sorting the findings, and ``render``:
  the text output;
* ``validate()``: the whole library call as the CLI makes it (queries in parallel).

``--growth`` also runs each profile at half its size and prints, for every rule, how its
time grows when the input doubles (about 2 for a linear rule; a rule above 3 is flagged).
Figures are for people comparing designs, never test thresholds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from _common import ROOT, SEED, gen_vocab, table

sys.path.insert(0, str(ROOT / "src"))


def profile_file(path: Path) -> dict:
    from sst_vocab import render
    from sst_vocab import validate as V
    from sst_vocab.loader import load

    clock = time.process_time
    out: dict = {"file": str(path), "steps": {}, "rules": {}}
    t = clock()
    vocab = load([str(path)])
    out["steps"]["load"] = clock() - t
    out["triples"] = len(vocab.store)
    t = clock()
    vocab.outlines  # noqa: B018  (computed on first use)
    out["steps"]["outline"] = clock() - t
    shapes = V.load_shapes(None)
    for shape in shapes.shapes:
        if shape.deactivated or shape.target is None:
            continue
        name = shape.iri.rsplit("/", 1)[-1]
        queries = [q for plan in (shape.plan, *(p for _, p in shape.sub)) for q in plan.queries]
        for c, query in queries:
            t = clock()
            rows = sum(1 for _ in vocab.store.query(query))
            key = name if len(queries) == 1 else f"{name} ({c.component})"
            key = key if key not in out["rules"] else f"{key} #{len(out['rules'])}"
            out["rules"][key] = {"s": clock() - t, "rows": rows}
    for fn in (*V._threaded_checks(), V._files_checks):
        t = clock()
        rows = len(fn(vocab))
        out["rules"][f"{fn.__name__} (python)"] = {"s": clock() - t, "rows": rows}
    t0, w0 = clock(), time.perf_counter()
    report = V.validate(vocabulary=vocab)
    out["steps"]["validate() cpu"] = clock() - t0
    out["steps"]["validate() wall"] = time.perf_counter() - w0
    t = clock()
    render.findings_text(report, "Info", "Violation")
    out["steps"]["render text"] = clock() - t
    out["findings"] = len(report.findings)
    out["steps"]["rules total (serial)"] = sum(r["s"] for r in out["rules"].values())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument(
        "--profile",
        action="append",
        choices=sorted(gen_vocab.PROFILES),
        default=None,
        help="generated profiles to profile (default: all, at their default sizes)",
    )
    ap.add_argument("--n", type=int, default=None, help="concepts per generated file (default: each profile's own)")
    ap.add_argument("--growth", action="store_true", help="also run each profile at half size and compare")
    ap.add_argument("--top", type=int, default=12, help="rules to list per file (default 12)")
    ap.add_argument("--json", metavar="FILE", help="write every figure as JSON")
    args = ap.parse_args(argv)

    from _common import synth_file

    targets: list[tuple[str, Path, Path | None]] = [(str(f), f, None) for f in args.files]
    if not args.files:
        for name in args.profile or list(gen_vocab.PROFILES):
            n = args.n or gen_vocab.PROFILES[name].default_n
            half = synth_file(n // 2, name) if args.growth else None
            targets.append((f"{name} {n:,}", synth_file(n, name), half))
    results = []
    for label, path, half in targets:
        print(f"profiling {label} ...", file=sys.stderr, flush=True)
        rec = profile_file(path)
        rec["label"] = label
        if half is not None:
            small = profile_file(half)
            rec["half"] = small
        results.append(rec)
        print(f"\n{label}: {rec['triples']:,} triples, {rec['findings']:,} findings")
        print(table(["step", "s"], [[k, f"{v:.3f}"] for k, v in rec["steps"].items()], right={1}))
        rows = sorted(rec["rules"].items(), key=lambda kv: -kv[1]["s"])[: args.top]
        header = ["rule", "s", "rows"] + (["× from half size"] if half is not None else [])
        lines = []
        for name, r in rows:
            line = [name, f"{r['s']:.3f}", f"{r['rows']:,}"]
            if half is not None:
                h = rec["half"]["rules"].get(name, {}).get("s") or 0
                growth = r["s"] / h if h > 0.002 else None
                line.append("-" if growth is None else f"{growth:.1f}" + (" SUPERLINEAR?" if growth > 3 else ""))
            lines.append(line)
        print(table(header, lines, right={1, 2, 3}))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"seed": SEED, "generator": gen_vocab.generator_id(), "files": results}, indent=1) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
