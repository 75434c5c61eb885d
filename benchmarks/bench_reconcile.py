#!/usr/bin/env python3
"""In-process benchmark of the reconciliation service: a batch of 1,000 queries against lithology.

Usage::

    python benchmarks/bench_reconcile.py [--runs N] [--queries N] [--json FILE | --no-json] [FILE]

Default input: ``tests/data/real-vocabularies/lithology.ttl`` (2,968 concepts).  The service
is a long-running process, so what counts is the time per batch once it runs, not start-up.

The batch is names a person might type, derived deterministically from the vocabulary's
preferred labels, a fifth each: the label as written, in capitals without punctuation, with
its last word in the plural, with its words reversed, and the concept's notation (or the
label's first word when it has none).

Rows (median of ``--runs`` after one warm-up, ``gc.collect()`` before each; CPU time by
``time.process_time``, wall time by ``time.perf_counter``):

* ``baseline: load``: :func:`sst_vocab.loader.load` of the file (pyoxigraph parses it into a store):
  the least any tool pays to read the vocabulary at all.
* ``index``: :class:`sst_vocab.reconcile.Service` built from the loaded vocabulary (once per process).
* ``batch: library``: ``Service.reconcile(batch)``, the matching itself.
* ``batch: HTTP POST``: the same batch as one ``POST /reconcile`` (form-encoded, as OpenRefine
  sends it) to ``sst-vocab reconcile``'s server on a loopback port, JSON answer parsed.

Each row's ratio is its CPU median over the baseline's (the server runs in a thread of this
process, so its CPU time is counted too), and the same for wall time.  The issue's goal: the 1,000-query batch answers
in under 2 s (wall, over HTTP).  The results go to ``benchmarks/results/reconcile-<date>.json``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT = ROOT / "tests" / "data" / "real-vocabularies" / "lithology.ttl"
GOAL_S = 2.0


def measure(fn, runs: int) -> dict:
    fn()  # warm-up
    cpu, wall = [], []
    for _ in range(runs):
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {
        "cpu_s": cpu,
        "wall_s": wall,
        "cpu_median_s": statistics.median(cpu),
        "wall_median_s": statistics.median(wall),
    }


def user_names(service, n: int) -> list[str]:
    """``n`` names a person might type for the vocabulary's concepts (deterministic)."""
    rows = []
    for e in sorted(service.entities, key=lambda e: e.iri):
        label = service.entity_name(e)
        notations = sorted(service.labels[i].text for i in e.labels if service.labels[i].kind == "notation")
        rows.append((label, notations[0] if notations else label.split()[0]))
    names = []
    for i in range(n):
        label, notation = rows[(i * 7) % len(rows)]
        words = label.split()
        kind = i % 5
        if kind == 0:
            names.append(label)
        elif kind == 1:
            names.append(" ".join(w.strip(",.;:()") for w in words).upper())
        elif kind == 2:
            names.append(" ".join(words[:-1] + [words[-1] + "s"]))
        elif kind == 3:
            names.append(" ".join(reversed(words)))
        else:
            names.append(notation)
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--json", metavar="FILE", help="write the results here")
    parser.add_argument("--no-json", action="store_true", help="write no results file")
    args = parser.parse_args()

    from sst_vocab.loader import load
    from sst_vocab.reconcile import Service, wsgi_app
    from sst_vocab.reconcile.web import make_server

    vocab = load([args.file])
    service = Service(vocab)
    names = user_names(service, args.queries)
    batch = {f"q{i}": {"query": name} for i, name in enumerate(names)}
    body = urlencode({"queries": json.dumps(batch)}).encode("utf-8")

    server = make_server(wsgi_app([args.file]), "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/reconcile"

    def post():
        req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.loads(resp.read())

    answer = post()
    first = sum(1 for i, name in enumerate(names) if answer[f"q{i}"]["result"])
    matched = sum(1 for i in range(len(names)) if any(c["match"] for c in answer[f"q{i}"]["result"]))

    print(
        f"bench_reconcile: {Path(args.file).name}, {len(service.entities)} concepts, "
        f"{len(batch)} queries, {args.runs} runs",
        file=sys.stderr,
    )
    rows = {
        "baseline: load": measure(lambda: load([args.file]), args.runs),
        "index": measure(lambda: Service(vocab), args.runs),
        "batch: library": measure(lambda: service.reconcile(batch), args.runs),
        "batch: HTTP POST": measure(post, args.runs),
    }
    server.shutdown()
    server.server_close()
    base = rows["baseline: load"]
    for rec in rows.values():
        rec["ratio"] = rec["cpu_median_s"] / base["cpu_median_s"]
        rec["wall_ratio"] = rec["wall_median_s"] / base["wall_median_s"]
    http = rows["batch: HTTP POST"]

    width = max(len(n) for n in rows)
    print(f"{'row'.ljust(width)}  {'CPU ms':>8}  {'wall ms':>8}  {'CPU ÷ load':>10}  {'wall ÷ load':>11}")
    for name, rec in rows.items():
        print(
            f"{name.ljust(width)}  {rec['cpu_median_s'] * 1e3:8,.0f}  {rec['wall_median_s'] * 1e3:8,.0f}  "
            f"{rec['ratio']:10.2f}  {rec['wall_ratio']:11.2f}"
        )
    ok = http["wall_median_s"] < GOAL_S
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\n{len(batch)} queries over HTTP: {http['wall_median_s']:.2f} s wall, {http['cpu_median_s']:.2f} s CPU "
        f"({http['ratio']:.1f} x loading the file, in CPU time); goal under {GOAL_S:.0f} s: "
        f"{'met' if ok else 'MISSED'}.  {first} queries had candidates, {matched} a match.  "
        f"Load average {load1:.1f} on {os.cpu_count()} CPUs."
    )

    if not args.no_json:
        out = (
            Path(args.json)
            if args.json
            else ROOT / "benchmarks" / "results" / f"reconcile-{datetime.date.today().isoformat()}.json"
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        record = {
            "file": str(Path(args.file).resolve().relative_to(ROOT))
            if Path(args.file).resolve().is_relative_to(ROOT)
            else args.file,
            "concepts": len(service.entities),
            "queries": len(batch),
            "runs": args.runs,
            "goal_s": GOAL_S,
            "goal_met": ok,
            "load_average": load1,
            "cpus": os.cpu_count(),
            "with_candidates": first,
            "matched": matched,
            "rows": rows,
        }
        out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"results: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
