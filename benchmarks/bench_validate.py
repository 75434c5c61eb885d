#!/usr/bin/env python3
"""Whole-process benchmark of ``sst-vocab validate``, as ratios against fixed baselines.

Usage::

    python benchmarks/bench_validate.py [--runs N] [--large-runs N] [--large] [--shapes PATH]

Every figure is a paired measurement taken in this one run: for each comparison the two
commands (A = ``sst-vocab validate ...``, B = a baseline process) each run once as a
warm-up, then alternate A B A B ... N times.  Each run is one whole process, timed with
``time.perf_counter`` around ``subprocess.run``; output goes to /dev/null.  Reported:
the median wall time of A and of B, and the median of the per-pair ratios A÷B.

a. ``sst-vocab validate`` (the shipped vocabulary) ÷ ``python -c "import pyshacl"``   goal ≤ 1.5
b. ``sst-vocab validate synth_10000.ttl`` ÷ ``rdflib.Graph().parse(FILE, format="turtle")``
   in a fresh process, every check on                                              goal ≤ 1.0
c. the same as b on 1,000 concepts, on tests/data/real-vocabularies/lithology.ttl, and
   (``--large``) on 100,000 concepts (the rdflib parse alone takes about 80 s there);
   goal ≤ 2.5 (start-up is a larger share of small files).
d. growth: the validate and the rdflib-parse medians at 1k, 10k (and 100k) divided by
   their 1k median, beside the size factor, plus the marginal cost per concept.
e. adversarial distributions (``gen_vocab.py --profile``): duplicate labels in 24
   languages, 24 languages, 1,000 top concepts, a 40-level hierarchy, 3 parents of
   ~3,300 children each, 8 mappings per concept, each beside the rdflib parse of the
   same file                                                                      goal ≤ 2.0
   (``--profiles NAME,...`` picks some; ``--profiles none`` skips them).

``validate`` may exit 0 (conforms) or 1 (findings); any other exit code, or running past
the time limit (``--timeout``; by default 20 times the baseline, at least 60 s), is a
failure, reported in the table and in the exit status of this script (1).

Synthetic vocabularies are made on demand by ``gen_vocab.py`` (seed 42) into
``benchmarks/data/`` (git-ignored) and reused while their first line matches the
current generator.  Results are printed as a table and written to
``benchmarks/results/validate-<date>.json``.

Ratios, not absolute times, are what transfer between machines; none of these figures
is a test threshold.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from _common import PY, RESULTS, ROOT, SEED, gen_vocab, ms, paired, sst_vocab_command, synth_file, table

LITHOLOGY = ROOT / "tests" / "data" / "real-vocabularies" / "lithology.ttl"
SMALL_RUNS = 7
LARGE_RUNS = 3
LARGE_SIZES = {10_000, 100_000}  # files that get the "large" run count


PARSE = "import sys, rdflib; rdflib.Graph().parse(sys.argv[1], format='turtle')"


def nproc() -> int:
    try:
        return len(os.sched_getaffinity(0))  # what `nproc` prints
    except AttributeError:  # pragma: no cover  (not Linux)
        return os.cpu_count() or 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--runs",
        type=int,
        default=None,
        help=f"timed pairs per comparison (default {SMALL_RUNS}, and {LARGE_RUNS} for the "
        "10k and 100k files unless --large-runs is given)",
    )
    ap.add_argument(
        "--large-runs",
        type=int,
        default=None,
        help="timed pairs for the 10k and 100k files (default: --runs if given, else 3)",
    )
    ap.add_argument("--large", action="store_true", help="also measure 100,000 concepts (several minutes)")
    ap.add_argument(
        "--shapes",
        action="append",
        default=[],
        metavar="PATH",
        help="pass --shapes PATH to every validate (default: the shipped shapes/)",
    )
    ap.add_argument(
        "--profiles",
        default="all",
        metavar="NAME,...",
        help="adversarial gen_vocab profiles for row e (default: all; 'none' skips them): "
        + ", ".join(p for p in gen_vocab.PROFILES if p != "standard"),
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time limit for each validate process (default: 20 times the baseline's "
        "warm-up, at least 60 s); a validate that exceeds it is reported as failed",
    )
    ap.add_argument(
        "--json",
        metavar="FILE",
        default=None,
        help="write the JSON results here instead of benchmarks/results/validate-<date>.json",
    )
    ap.add_argument("--no-json", action="store_true", help="do not write the JSON results")
    args = ap.parse_args(argv)
    small_runs = args.runs or SMALL_RUNS
    large_runs = args.large_runs or args.runs or LARGE_RUNS
    if small_runs < 1 or large_runs < 1:
        ap.error("--runs and --large-runs must be at least 1")

    started = datetime.datetime.now()
    sst = sst_vocab_command()
    shapes_args = [a for p in args.shapes for a in ("--shapes", p)]
    sizes = [1_000, 10_000] + ([100_000] if args.large else [])
    files = {n: synth_file(n) for n in sizes}
    adversarial = (
        [p for p in gen_vocab.PROFILES if p != "standard"]
        if args.profiles == "all"
        else [p for p in args.profiles.split(",") if p and p != "none"]
    )
    unknown = [p for p in adversarial if p not in gen_vocab.PROFILES]
    if unknown:
        ap.error(f"unknown profile(s): {', '.join(unknown)}")
    profile_files = {p: synth_file(gen_vocab.PROFILES[p].default_n, p) for p in adversarial}

    def validate(path: Path | None) -> list[str]:
        return [*sst, "validate", *shapes_args, *([str(path)] if path else [])]

    def parse(path: Path) -> list[str]:
        return [PY, "-c", PARSE, str(path)]

    # each validate run is stopped at --timeout, else at 20 times the baseline's warm-up (at least 60 s)
    limit = args.timeout if args.timeout is not None else (lambda b_warm: max(60.0, 20 * b_warm))
    load_before = os.getloadavg()
    results: list[dict] = []
    # a. the shipped vocabulary against the cost of importing pyshacl
    rec = paired(
        "shipped vocabulary ÷ import pyshacl",
        validate(None),
        [PY, "-c", "import pyshacl"],
        small_runs,
        a_ok={0, 1},
        timeout=limit,
    )
    rec.update(key="a", goal=1.5, concepts=None)
    results.append(rec)
    # b, c. files against a plain rdflib parse of the same file
    targets: list[tuple[str, str, Path, int | None]] = [("c", "synth 1,000", files[1_000], 1_000)]
    if LITHOLOGY.is_file():
        targets.append(("c", "lithology.ttl", LITHOLOGY, None))
    targets.append(("b", "synth 10,000", files[10_000], 10_000))
    if args.large:
        targets.append(("c", "synth 100,000", files[100_000], 100_000))
    for key, label, path, n in targets:
        runs = large_runs if n in LARGE_SIZES else small_runs
        rec = paired(f"{label} ÷ rdflib parse", validate(path), parse(path), runs, a_ok={0, 1}, timeout=limit)
        rec.update(
            key=key,
            goal=1.0 if key == "b" else 2.5,
            concepts=n,
            file=str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
        )
        results.append(rec)
    # e. adversarial distributions, each against the rdflib parse of the same file
    for name, path in profile_files.items():
        n = gen_vocab.PROFILES[name].default_n
        rec = paired(
            f"{name} {n:,} ÷ rdflib parse", validate(path), parse(path), large_runs, a_ok={0, 1}, timeout=limit
        )
        rec.update(key="e", goal=2.0, concepts=None, profile=name, profile_concepts=n, file=str(path.relative_to(ROOT)))
        results.append(rec)
    load_after = os.getloadavg()

    # d. growth, from the medians above
    by_size = {r["concepts"]: r for r in results if r.get("concepts") and "failure" not in r}
    growth = []
    base = by_size.get(1_000)
    if base:
        prev = None
        for n in sizes:
            r = by_size.get(n)
            if not r:
                continue
            row = {
                "concepts": n,
                "size_factor": n / 1_000,
                "validate_s": r["a_median_s"],
                "validate_growth": r["a_median_s"] / base["a_median_s"],
                "parse_s": r["b_median_s"],
                "parse_growth": r["b_median_s"] / base["b_median_s"],
            }
            if prev:
                dn = n - prev["concepts"]
                row["validate_us_per_concept"] = (r["a_median_s"] - prev["validate_s"]) / dn * 1e6
                row["parse_us_per_concept"] = (r["b_median_s"] - prev["parse_s"]) / dn * 1e6
            growth.append(row)
            prev = row

    # report
    env = {
        "date": started.isoformat(timespec="seconds"),
        "nproc": nproc(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in load_after],
        "runs_small": small_runs,
        "runs_large": large_runs,
        "shapes": args.shapes or "shipped shapes/",
        "seed": SEED,
        "generator": gen_vocab.generator_id(),
        "profiles": {p: gen_vocab.PROFILES[p].doc for p in adversarial},
        "versions": _versions(),
        "commit": _commit(),
    }
    print()
    print(
        f"sst-vocab validate, whole process: {env['date']}, nproc {env['nproc']}, "
        f"Python {env['python']}, commit {env['commit'] or '?'}"
    )
    print(
        f"runs: {small_runs} pairs ({large_runs} for 10k/100k) after 1 warm-up each; "
        f"load average {load_before[0]:.2f} -> {load_after[0]:.2f}; shapes: {env['shapes']}"
    )
    print()
    rows = []
    for r in results:
        if "failure" in r:
            verdict = "TIMEOUT" if r["failure"].startswith("timed out") else "FAILED"
            rows.append([r["key"], r["name"], "-", "-", verdict, f"<= {r['goal']} MISSED", r["failure"][:60]])
            continue
        met = "met" if r["ratio"] <= r["goal"] else "MISSED"
        rows.append(
            [
                r["key"],
                r["name"],
                ms(r["a_median_s"]),
                ms(r["b_median_s"]),
                f"{r['ratio']:.2f}",
                f"<= {r['goal']} {met}",
                f"exit {r['a_exit']}",
            ]
        )
    print(table(["", "validate (A) ÷ baseline (B)", "A ms", "B ms", "A÷B", "goal", "validate"], rows, right={2, 3, 4}))
    if growth:
        print()
        grows = [
            [
                f"{g['concepts']:,}",
                f"{g['size_factor']:g}",
                ms(g["validate_s"]),
                f"{g['validate_growth']:.2f}",
                "-" if "validate_us_per_concept" not in g else f"{g['validate_us_per_concept']:.0f}",
                ms(g["parse_s"]),
                f"{g['parse_growth']:.2f}",
                "-" if "parse_us_per_concept" not in g else f"{g['parse_us_per_concept']:.0f}",
            ]
            for g in growth
        ]
        print("d. growth (÷ the 1,000-concept median; µs/concept = marginal cost from the previous size)")
        print(
            table(
                ["concepts", "size ×", "validate ms", "× 1k", "µs/concept", "parse ms", "× 1k", "µs/concept"],
                grows,
                right=set(range(8)),
            )
        )
    print()
    for r in results:
        if r.get("a_summary"):
            print(f"{r['key']}. {r['name'].split(' ÷ ')[0]}: {r['a_summary']}")
    failures = [r for r in results if "failure" in r]
    for r in failures:
        print(f"FAILED {r['key']}. {r['name']}: {r['failure']}")

    if not args.no_json:
        out = Path(args.json) if args.json else RESULTS / f"validate-{started.date().isoformat()}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        doc = {"environment": env, "comparisons": results, "growth": growth}
        out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {out.resolve().relative_to(ROOT) if out.resolve().is_relative_to(ROOT) else out}")
    return 1 if failures else 0


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("sst-vocab", "rdflib", "pyshacl", "pyoxigraph", "click"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def _commit() -> str | None:
    try:
        proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    except OSError:
        return None
    return proc.stdout.strip() or None


if __name__ == "__main__":
    sys.exit(main())
