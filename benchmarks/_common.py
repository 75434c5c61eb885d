"""What the benchmark scripts share: paths, the sst-vocab command, synthetic files, paired timing, tables."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
RESULTS = HERE / "results"
SEED = 42
PY = sys.executable

sys.path.insert(0, str(HERE))
import gen_vocab  # noqa: E402  (the generator sits next to this file)


def sst_vocab_command() -> list[str]:
    """The ``sst-vocab`` console script of the interpreter running the benchmark."""
    beside = Path(PY).parent / "sst-vocab"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("sst-vocab")
    if found:
        return [found]
    sys.exit(
        "cannot find the sst-vocab command; install the project (pip install -e .) "
        "into the interpreter that runs this script"
    )


def synth_file(n: int, profile: str = "standard") -> Path:
    """benchmarks/data/synth_N.ttl (or synth_PROFILE_N.ttl), (re)generated when missing or stale."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / (f"synth_{n}.ttl" if profile == "standard" else f"synth_{profile}_{n}.ttl")
    want = gen_vocab.header_line(n, SEED, 0, profile)
    if path.is_file():
        with path.open(encoding="utf-8") as fh:
            if fh.readline().rstrip("\n") == want:
                return path
    print(f"generating {path.relative_to(ROOT)} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    subprocess.run(
        [PY, str(HERE / "gen_vocab.py"), str(n), "-o", str(path), "--seed", str(SEED), "--profile", profile], check=True
    )
    print(f"  done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return path


def table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    """An aligned plain-text table; columns in ``right`` are right-aligned."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]

    def fmt(row):
        return "  ".join(
            str(c).rjust(w) if i in right else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ).rstrip()

    return "\n".join([fmt(header), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:,.0f}"


# ---------------------------------------------------------------------------
# Paired whole-process timing, shared by bench_validate.py and bench_lookup.py
# ---------------------------------------------------------------------------

#: The environment of every timed process: Python's byte-code cache on, as in any installed
#: copy (`make install` compiles src/; without the cache every run would recompile sst-vocab).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


class Failure(Exception):
    """A timed command failed (an unexpected exit code) or overran its time limit."""


def run_once(
    cmd: list[str],
    ok: set[int] | frozenset[int] = frozenset({0}),
    *,
    capture: bool = False,
    timeout: float | None = None,
) -> tuple[float, float, int, str]:
    """One whole process: (wall s, CPU s of it and its children, exit code, stdout if ``capture``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd,
            cwd=ROOT,
            env=ENV,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise Failure(f"timed out: killed after {timeout:.0f} s") from None
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in ok:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise Failure(f"{' '.join(cmd[-4:])}: exit {proc.returncode}: " + (" | ".join(tail) or "(no message)"))
    return wall, cpu, proc.returncode, proc.stdout.decode("utf-8", "replace") if capture else ""


def paired(
    name: str,
    a: list[str],
    b: list[str],
    runs: int,
    *,
    a_ok: set[int] | frozenset[int] = frozenset({0}),
    b_ok: set[int] | frozenset[int] = frozenset({0}),
    timeout: float | Callable[[float], float] | None = None,
) -> dict:
    """Warm up B and A once each, then time A B A B ... ``runs`` times; one record of the pair.

    ``timeout`` limits each run of A: seconds, or a function of B's warm-up time.  A must
    exit the same way every run; its last line of output from the warm-up is kept
    (``a_summary``).  Ratios: ``ratio`` is the median of the per-pair A÷B (the figure
    goals are judged by), with its ``ratio_min``-``ratio_max`` range, ``ratio_of_minima``
    (the two fastest runs) and ``ratio_of_medians``; ``cpu_ratio`` the same median for
    CPU time.
    """
    print(f"{name}: {runs} pairs ...", file=sys.stderr, flush=True)
    rec: dict = {"name": name, "a_cmd": a, "b_cmd": b, "runs": runs}
    try:
        b_warm = run_once(b, b_ok)[0]
        limit = timeout(b_warm) if callable(timeout) else timeout
        rec["a_timeout_s"] = limit
        _, _, code, out = run_once(a, a_ok, capture=True, timeout=limit)
        rec["a_exit"] = code
        rec["a_summary"] = (out.strip().splitlines() or [""])[-1]
        aw, ac, bw, bc = [], [], [], []
        for _ in range(runs):
            w, c, code_i, _ = run_once(a, a_ok, timeout=limit)
            if code_i != code:
                raise Failure(f"exit code changed between runs ({code} then {code_i})")
            aw.append(w)
            ac.append(c)
            w, c, _, _ = run_once(b, b_ok)
            bw.append(w)
            bc.append(c)
    except Failure as exc:
        rec["failure"] = str(exc)
        print(f"  FAILED: {exc}", file=sys.stderr, flush=True)
        return rec
    ratios = [x / y for x, y in zip(aw, bw, strict=True)]
    rec.update(
        a_wall_s=aw,
        b_wall_s=bw,
        a_cpu_s=ac,
        b_cpu_s=bc,
        a_median_s=statistics.median(aw),
        b_median_s=statistics.median(bw),
        a_cpu_median_s=statistics.median(ac),
        b_cpu_median_s=statistics.median(bc),
        ratio=statistics.median(ratios),
        ratio_min=min(ratios),
        ratio_max=max(ratios),
        ratio_of_minima=min(aw) / min(bw),
        ratio_of_medians=statistics.median(aw) / statistics.median(bw),
        cpu_ratio=statistics.median(x / y for x, y in zip(ac, bc, strict=True)),
    )
    print(
        f"  A {rec['a_median_s'] * 1e3:.0f} ms, B {rec['b_median_s'] * 1e3:.0f} ms, A/B {rec['ratio']:.2f} "
        f"(CPU {rec['cpu_ratio']:.2f})",
        file=sys.stderr,
        flush=True,
    )
    return rec
