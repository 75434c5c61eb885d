"""What the benchmark scripts share: paths, the sst-vocab command, synthetic files, table output."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
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
    sys.exit("cannot find the sst-vocab command; install the project (pip install -e .) "
             "into the interpreter that runs this script")


def synth_file(n: int) -> Path:
    """benchmarks/data/synth_N.ttl, (re)generated when missing or made by another generator version."""
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"synth_{n}.ttl"
    want = gen_vocab.header_line(n, SEED, 0)
    if path.is_file():
        with path.open(encoding="utf-8") as fh:
            if fh.readline().rstrip("\n") == want:
                return path
    print(f"generating {path.relative_to(ROOT)} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    subprocess.run([PY, str(HERE / "gen_vocab.py"), str(n), "-o", str(path), "--seed", str(SEED)], check=True)
    print(f"  done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    return path


def table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    """An aligned plain-text table; columns in ``right`` are right-aligned."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]

    def fmt(row):
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return "\n".join([fmt(header), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows])


def ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:,.0f}"
