#!/usr/bin/env python3
"""Whole-process benchmark of the lookups (show, search, tree, query), as ratios against fixed baselines.

Usage::

    python benchmarks/bench_lookup.py [--runs N] [--large-runs N] [--no-synth] [--json FILE | --no-json]

Every figure is a paired measurement taken in this one run: for each comparison the
two commands (A = an ``sst-vocab`` lookup, B = a baseline process) each run once as
a warm-up, then alternate A B A B ... N times.  Each run is one whole process, timed
with ``time.perf_counter`` around ``subprocess.run``; output goes to /dev/null.
Reported: the median wall time of A and of B, the median of the per-pair ratios (the
figure the goals are judged by), their range, and the ratio of the two fastest runs
(``min/min``: for start-up costs the fastest run is the one least disturbed by other
work on the machine, so it moves least from run to run).

a. show, search, tree, tree TERM and two named queries on the shipped vocabulary
   ÷ ``python -c "import rdflib"``                                          goal ≤ 0.5
b. ``sst-vocab --help`` (and ``sst-vocab queries``) ÷ ``python -c "import click"``   goal ≤ 1.5
c. growth: the same lookups on synthetic vocabularies of 1,000 and 10,000 concepts
   (``gen_vocab.py``, seed 42), each paired with a process that only loads the file
   (``sst_vocab.loader.load``), so the table shows what the lookup adds to reading
   the Turtle; and each lookup's median beside the shipped vocabulary's.
d. where the time goes at each size, in one process: import, load, each query.
e. the lookups on the 10,000-concept file ÷ the ``oxigraph`` binary (PyPI package
   ``oxigraph``, the ``test`` extra) loading the same file into a fresh store and running
   the ``search`` query on it (``oxigraph load`` + ``oxigraph query``, one shell process)
                                                                             goal ≤ 0.5
   With the persistent cache (sst_vocab.query.cache, under benchmarks/data/cache): its warm-up run
   fills it, so the timed runs read kept answers ("warm"); "new text" searches a different
   word each run (a shell picks one), so the answer is not kept and the triples are loaded
   from the cache's N-Triples; ``--no-cache`` parses the Turtle every time.

Each run also records the child's CPU time (user + system of it and its threads and
children): on a busy machine wall times swing, CPU times much less, so the table gives
the CPU ratio beside the wall ratio.  The timing itself (``paired``, ``run_once``) is
shared with bench_validate.py in _common.py.

Byte-code: the processes run with Python's byte-code cache on (``PYTHONDONTWRITEBYTECODE``
removed), as in any installed copy, where pip compiles the modules (`make install`
compiles src/).  Without it every run recompiles sst-vocab's own modules (~35 ms) while
rdflib and click, compiled at install, do not.

Ratios, not absolute times, are what transfer between machines; none of these figures
is a test threshold.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

from _common import DATA, ENV, PY, RESULTS, ROOT, ms, paired, sst_vocab_command, synth_file, table

# The lookup cache (sst_vocab.query.cache) of the timed processes: kept with the generated files, not in ~/.cache.
ENV["XDG_CACHE_HOME"] = str(DATA / "cache")

SMALL_RUNS = 15
LARGE_RUNS = 3


def root_label(path: Path) -> str:
    """The preferred label of the first root concept, c000001."""
    text = path.read_text(encoding="utf-8")
    m = re.search(
        r"(?:synth:c000001|<https://example\.org/synth/c000001>)\s.*?skos:prefLabel\s+\"([^\"]+)\"", text, re.S
    )
    if not m:
        sys.exit(f"bench_lookup: no prefLabel for c000001 in {path}")
    return m.group(1)


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


PROFILE = r"""
import json, sys, time
t0 = time.perf_counter()
import click, pyoxigraph
t1 = time.perf_counter()
from sst_vocab.loader import load
from sst_vocab.query import Target, find, select, run_limited
paths = sys.argv[1:] or None
t2 = time.perf_counter()
target = Target(load(paths), None, None)
t3 = time.perf_counter()
label, root = json.loads(sys.stdin.read())
out = {"import click + pyoxigraph": t1 - t0, "import sst_vocab modules": t2 - t1, "load the Turtle": t3 - t2}
for name, binds in [("search", {"text": label}), ("concept", {"concept": root}), ("hierarchy", {}),
                    ("top-concepts", {}), ("labels", {}), ("narrower", {"concept": root})]:
    q = find(name)
    best = None
    for _ in range(3):
        s = time.perf_counter(); rows = select(target, q, **binds)[1]; e = time.perf_counter() - s
        best = e if best is None else min(best, e)
    out[f"query {name} ({len(rows)} rows)"] = best
for mode, isolation in (("forked child: library callers", "process"), ("thread: the command line", "thread")):
    s = time.perf_counter()
    for _ in range(10):
        run_limited(lambda: 1, (), 5.0, isolation=isolation)
    out[f"time limit, {mode}"] = (time.perf_counter() - s) / 10
print(json.dumps(out))
"""


def profile(path: Path | None, label: str, root: str) -> dict:
    args = [PY, "-c", PROFILE] + ([str(path)] if path else [])
    proc = subprocess.run(args, cwd=ROOT, env=ENV, input=json.dumps([label, root]), capture_output=True, text=True)
    if proc.returncode:
        return {"failure": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout)


def oxigraph_binary() -> str | None:
    beside = Path(PY).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def against_oxigraph(sst: list[str], path: Path, args, wanted) -> list[dict]:
    """e: lookups at 10k (cache warm, a new text each run, no cache) ÷ oxigraph load + query of the same file."""
    binary = oxigraph_binary()
    if binary is None:
        print("e: skipped: no oxigraph binary (pip install oxigraph)", file=sys.stderr)
        return []
    sys.path.insert(0, str(ROOT / "src"))
    from sst_vocab.query import check, find, to_term, with_values

    label = root_label(path)
    word = label.split()[0].lower()
    search = find("search")
    text = with_values(search.text, check(search.text), {"text": to_term(word, kind="text")})
    query_file = DATA / "search-query.rq"
    query_file.write_text(text, encoding="utf-8")
    oxigraph = [
        "sh",
        "-c",
        'd=$(mktemp -d) && "$0" load --location "$d/db" --file "$1" >/dev/null 2>&1 && '
        '"$0" query --location "$d/db" --query-file "$2" --results-format csv; s=$?; rm -rf "$d"; exit $s',
        binary,
        str(path),
        str(query_file),
    ]
    words = DATA / "synth-words.txt"
    labels = re.findall(r'skos:prefLabel\s+"([^"]+)"', path.read_text(encoding="utf-8"))
    words.write_text(
        "\n".join(sorted({w.lower() for lab in labels for w in lab.split() if len(w) > 3})) + "\n", encoding="utf-8"
    )
    vocab = ["--vocab", str(path), "--timeout", "120"]
    lookups = {
        "show": ["show", label],
        "search": ["search", word],
        "tree": ["tree"],
        "tree TERM": ["tree", label],
        "query narrower": ["query", "narrower", "--bind", "concept=<https://example.org/synth/c000001>"],
        "query search --format csv": ["query", "search", "--bind", f"text={word}", "--format", "csv"],
    }
    records = []
    for name, cmd in lookups.items():
        if wanted(f"e {name} (cache warm)"):
            records.append(
                paired(f"e {name} (cache warm)", [*sst, *cmd, *vocab], oxigraph, args.large_runs, a_ok={0, 1})
            )
    new_text = ["sh", "-c", 'exec "$@" "$(shuf -n 1 "$0")"', str(words), *sst, "search", *vocab]
    if wanted("e search (a new text each run)"):
        records.append(paired("e search (a new text each run)", new_text, oxigraph, args.large_runs, a_ok={0, 1}))
    for name in ("show", "search", "tree"):
        if wanted(f"e {name} --no-cache"):
            records.append(
                paired(
                    f"e {name} --no-cache",
                    [*sst, *lookups[name], *vocab, "--no-cache"],
                    oxigraph,
                    args.large_runs,
                    a_ok={0, 1},
                )
            )
    return records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=SMALL_RUNS, help=f"timed pairs per comparison (default {SMALL_RUNS})")
    ap.add_argument(
        "--large-runs",
        type=int,
        default=LARGE_RUNS,
        help=f"timed pairs on the 10,000-concept file (default {LARGE_RUNS})",
    )
    ap.add_argument("--no-synth", action="store_true", help="skip the synthetic vocabularies (c, d and e)")
    ap.add_argument("--only", metavar="TEXT", help="only the comparisons whose name contains TEXT")
    ap.add_argument("--json", metavar="FILE", help="write the JSON results here (default results/lookup-<date>.json)")
    ap.add_argument("--no-json", action="store_true", help="do not write the JSON results")
    args = ap.parse_args(argv)

    sst = sst_vocab_command()
    started = datetime.datetime.now()
    load_before = os.getloadavg()
    rdflib = [PY, "-c", "import rdflib"]
    click = [PY, "-c", "import click"]

    lookups = {
        "show SSR": ["show", "SSR"],
        "search oversight": ["search", "oversight"],
        "tree": ["tree"],
        "tree 'security system'": ["tree", "security system"],
        "query narrower": ["query", "narrower", "--bind", "concept=sst:security-system-actors"],
        "query search --format csv": ["query", "search", "--bind", "text=security", "--format", "csv"],
    }
    records: dict = {"a": [], "b": [], "c": [], "d": {}}

    def wanted(name: str) -> bool:
        return not args.only or args.only in name

    for name, cmd in lookups.items():
        if wanted(f"a {name}"):
            records["a"].append(paired(f"a {name}", [*sst, *cmd], rdflib, args.runs))
    for name, cmd in (
        ("b --help", [*sst, "--help"]),
        ("b queries", [*sst, "queries"]),
        ("b floor: python -c pass", [PY, "-c", "pass"]),
    ):
        if wanted(name):
            records["b"].append(paired(name, cmd, click, args.runs))

    sizes = [] if args.no_synth else [1_000, 10_000]
    files = {n: synth_file(n) for n in sizes}
    shipped_medians = {r["name"][2:]: r.get("a_median_s") for r in records["a"]}
    for n, path in files.items():
        label = root_label(path)
        word = label.split()[0].lower()
        runs = args.large_runs if n >= 10_000 else args.runs
        load_only = [PY, "-c", "import sys; from sst_vocab.loader import load; load(sys.argv[1:])", str(path)]
        synth_lookups = {
            "show SSR": ["show", label],
            "search oversight": ["search", word],
            "tree": ["tree"],
            "tree 'security system'": ["tree", label],
            "query narrower": ["query", "narrower", "--bind", "concept=<https://example.org/synth/c000001>"],
            "query search --format csv": ["query", "search", "--bind", f"text={word}", "--format", "csv"],
        }
        for name, cmd in synth_lookups.items():
            if not wanted(f"c {name} @ {n:,}"):
                continue
            rec = paired(f"c {name} @ {n:,}", [*sst, *cmd, "--vocab", str(path), "--timeout", "120"], load_only, runs)
            rec.update(size=n, lookup=name, shipped_median_s=shipped_medians.get(name))
            records["c"].append(rec)
    if not args.no_synth:
        print("d: profiles ...", file=sys.stderr, flush=True)
        records["d"]["shipped"] = profile(None, "security", "<https://w3id.org/sst-vocab/security-system>")
        for n, path in files.items():
            records["d"][f"{n:,}"] = profile(
                path, root_label(path).split()[0].lower(), "<https://example.org/synth/c000001>"
            )
    if not args.no_synth and 10_000 in files:
        records["e"] = against_oxigraph(sst, files[10_000], args, wanted)
    load_after = os.getloadavg()

    # ------------------------------------------------------------------ report
    out = [
        f"bench_lookup  {started:%Y-%m-%d %H:%M}  Python {platform.python_version()}  "
        f"{os.cpu_count()} CPUs  load average {load_before[0]:.1f} -> {load_after[0]:.1f}",
        "",
    ]
    rows = []
    for r in records["a"] + records["b"]:
        goal = "≤ 0.5" if r["name"].startswith("a ") else ("≤ 1.5" if "--help" in r["name"] else "")
        if "failure" in r:
            rows.append([r["name"], "-", "-", "FAILED", goal, r["failure"][:60], "", "", "", ""])
            continue
        met = "" if not goal else ("yes" if r["ratio"] <= float(goal.split()[-1]) else "NO")
        rows.append(
            [
                r["name"],
                ms(r["a_median_s"]),
                ms(r["b_median_s"]),
                f"{r['ratio']:.2f}",
                f"{goal} {met}".strip(),
                f"{r['ratio_min']:.2f}-{r['ratio_max']:.2f}",
                f"{r['ratio_of_minima']:.2f}",
                ms(r["a_cpu_median_s"]),
                ms(r["b_cpu_median_s"]),
                f"{r['cpu_ratio']:.2f}",
            ]
        )
    out.append("a/b. shipped vocabulary, whole process (B: a = import rdflib, b = import click); medians")
    out.append(
        table(
            ["comparison", "A ms", "B ms", "A/B", "goal (wall)", "A/B range", "min/min", "A CPU", "B CPU", "CPU A/B"],
            rows,
            {1, 2, 3, 6, 7, 8, 9},
        )
    )
    if records["c"]:
        out += ["", "c. synthetic vocabularies, whole process (B: a process that only loads the file)"]
        rows = []
        for r in records["c"]:
            if "failure" in r:
                rows.append([r["name"][2:], "-", "-", "FAILED", "-", r["failure"][:50]])
                continue
            shipped = r.get("shipped_median_s")
            rows.append(
                [
                    r["name"][2:],
                    ms(r["a_median_s"]),
                    ms(r["b_median_s"]),
                    f"{r['ratio']:.2f}",
                    ms(r["a_median_s"] - r["b_median_s"]),
                    f"{r['a_median_s'] / shipped:.1f}" if shipped else "-",
                ]
            )
        out.append(
            table(["lookup @ size", "A ms", "load-only ms", "A/B", "A-B ms", "× shipped"], rows, {1, 2, 3, 4, 5})
        )
        by = {(r.get("lookup"), r.get("size")): r for r in records["c"] if "failure" not in r}
        rows = []
        for name in lookups:
            one, ten = by.get((name, 1_000)), by.get((name, 10_000))
            if one and ten:
                rows.append(
                    [
                        name,
                        ms(shipped_medians.get(name)),
                        ms(one["a_median_s"]),
                        ms(ten["a_median_s"]),
                        f"{ten['a_median_s'] / one['a_median_s']:.1f}",
                        f"{(ten['a_median_s'] - one['a_median_s']) / 9_000 * 1e6:.0f}",
                    ]
                )
        if rows:
            out += ["", "growth (size factor 10 from 1k to 10k; µs per concept = marginal cost 1k -> 10k)"]
            out.append(
                table(["lookup", "shipped ms", "1k ms", "10k ms", "10k ÷ 1k", "µs/concept"], rows, {1, 2, 3, 4, 5})
            )
    if records.get("e"):
        out += [
            "",
            "e. 10,000 concepts, whole process ÷ the oxigraph binary's load + query of the same file (goal ≤ 0.5)",
        ]
        rows = []
        for r in records["e"]:
            if "failure" in r:
                rows.append([r["name"][2:], "-", "-", "FAILED", "", r["failure"][:50], "", ""])
                continue
            met = "yes" if r["ratio"] <= 0.5 else "NO"
            rows.append(
                [
                    r["name"][2:],
                    ms(r["a_median_s"]),
                    ms(r["b_median_s"]),
                    f"{r['ratio']:.2f}",
                    met,
                    f"{r['ratio_min']:.2f}-{r['ratio_max']:.2f}",
                    f"{r['ratio_of_minima']:.2f}",
                    f"{r['cpu_ratio']:.2f}",
                ]
            )
        out.append(
            table(
                ["lookup", "A ms", "oxigraph ms", "A/B", "≤ 0.5", "A/B range", "min/min", "CPU A/B"],
                rows,
                {1, 2, 3, 5, 6, 7},
            )
        )
    if records["d"]:
        out += ["", "d. where the time goes, in one process (ms; queries: best of 3)"]
        keys = list(dict.fromkeys(k for prof in records["d"].values() for k in prof if k != "failure"))
        sizes_d = list(records["d"])
        rows = [
            [re.sub(r" \(\d+ rows\)", "", k)]
            + [
                ms(records["d"][s].get(k))
                if records["d"][s].get(k) is not None
                else next((ms(v) for kk, v in records["d"][s].items() if kk.split(" (")[0] == k.split(" (")[0]), "-")
                for s in sizes_d
            ]
            for k in dict.fromkeys(k.split(" (")[0] for k in keys)
        ]
        out.append(table(["step", *sizes_d], rows, set(range(1, len(sizes_d) + 1))))
    report = "\n".join(out)
    print(report)

    if not args.no_json:
        dest = Path(args.json) if args.json else RESULTS / f"lookup-{started:%Y-%m-%d}.json"
        dest.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "started": started.isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "load_average": [load_before, load_after],
            "records": records,
            "report": report,
        }
        try:
            doc["git"] = subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
            ).stdout.strip()
        except OSError:
            pass
        dest.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(f"\nresults: {dest}", file=sys.stderr)
    failed = any("failure" in r for r in records["a"] + records["b"] + records["c"] + records.get("e", []))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
