#!/usr/bin/env python3
"""Benchmark of ``sst-vocab lsp``: diagnostics latency after an edit, and memory over many edits.

Usage::

    python benchmarks/bench_lsp.py [--runs N] [--edits N] [--no-lithology]

The server runs as a real process, driven over stdio by a minimal LSP client in this
script (JSON-RPC framing over pipes; no extra dependency).  For each target (a
temporary copy of the shipped vocabulary, and of tests/data/real-vocabularies/lithology.ttl):

a. latency: the client opens one file, waits for its diagnostics, then N times sends a
   change that adds (or removes again) a second English prefLabel on the first concept,
   and times from sending the change to receiving diagnostics that show (or no longer
   show) the LBL-01 violation.  That is the whole loop an editor sees: the 0.1 s
   debounce, the parse of the changed file, validation and publishing.
b. baseline: ``sst-vocab validate`` of the same files as a whole process, N times,
   alternating with a.  Reported: both medians and the median of the per-pair ratios
   a÷b.  (The issue's goals are 300 ms on the shipped vocabulary and 1.5 s on lithology;
   the ratio is what transfers between machines.)
c. memory (the shipped vocabulary only): the server's resident set size after 100 and
   after ``--edits`` (default 1,000) edits, each waited for; reported as the ratio of the
   two and the growth per edit.

Results are printed as a table and written to ``benchmarks/results/lsp-<date>.json``.
None of these figures is a test threshold.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import ENV, PY, RESULTS, ROOT, ms, run_once, table

LITHOLOGY = ROOT / "tests" / "data" / "real-vocabularies" / "lithology.ttl"


class Client:
    """Just enough of an LSP client: requests, notifications, and the diagnostics received."""

    def __init__(self, cmd: list[str], cwd: str) -> None:
        env = dict(ENV)
        env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
        )
        self.next_id = 0
        self.responses: dict[int, dict] = {}
        self.diagnostics: dict[str, tuple[float, list]] = {}
        self.cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(out.read(length))
            with self.cv:
                if message.get("method") == "textDocument/publishDiagnostics":
                    p = message["params"]
                    self.diagnostics[p["uri"]] = (time.perf_counter(), p["diagnostics"])
                elif "id" in message and "method" not in message:
                    self.responses[message["id"]] = message
                elif "id" in message:  # a request from the server (e.g. workDoneProgress/create)
                    self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                self.cv.notify_all()

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params) -> dict:
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        with self.cv:
            self.cv.wait_for(lambda: rid in self.responses, timeout=300)
            return self.responses.pop(rid)

    def notify(self, method: str, params) -> float:
        t = time.perf_counter()
        self._send({"jsonrpc": "2.0", "method": method, "params": params})
        return t

    def wait_diagnostics(self, uri: str, after: float, until) -> float:
        with self.cv:
            ok = self.cv.wait_for(
                lambda: (
                    uri in self.diagnostics and self.diagnostics[uri][0] >= after and until(self.diagnostics[uri][1])
                ),
                timeout=300,
            )
            if not ok:
                raise RuntimeError("no diagnostics within 300 s")
            return self.diagnostics[uri][0]

    def rss_kib(self) -> int:
        with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(timeout=30)
        except Exception:  # noqa: BLE001 - a server that does not shut down cleanly is killed
            self.proc.kill()


def _lbl01(diags: list) -> bool:
    return any(str(d.get("code", "")).startswith("LBL-01") for d in diags)


def _variants(text: str) -> tuple[str, str]:
    """The text, and the text with a second English prefLabel on the first block that has one."""
    lines = text.split("\n")
    i = next(n for n, ln in enumerate(lines) if ln.lstrip().startswith("skos:prefLabel") and "@en" in ln)
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    lines.insert(i + 1, f'{indent}skos:prefLabel "A second English label for the benchmark"@en ;')
    return text, "\n".join(lines)


def session(files_dir: Path, target: Path, cmd: list[str]) -> Client:
    client = Client(cmd, str(files_dir))
    client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": files_dir.as_uri(),
            "capabilities": {},
            "workspaceFolders": [{"uri": files_dir.as_uri(), "name": "bench"}],
        },
    )
    client.notify("initialized", {})
    return client


def latency(name: str, files_dir: Path, target: Path, validate_args: list[str], runs: int, cmd: list[str]) -> dict:
    print(f"{name}: {runs} pairs ...", file=sys.stderr, flush=True)
    text = target.read_text(encoding="utf-8")
    clean, faulty = _variants(text)
    client = session(files_dir, target, cmd)
    uri = target.resolve().as_uri()
    version = 1
    t0 = client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "turtle", "version": version, "text": clean}},
    )
    first = client.wait_diagnostics(uri, t0, lambda d: True) - t0
    lsp_times, val_times = [], []
    run_once(validate_args, {0, 1})  # warm-up
    try:
        for _ in range(runs):
            for want_fault in (True, False):
                version += 1
                sent = client.notify(
                    "textDocument/didChange",
                    {
                        "textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"text": faulty if want_fault else clean}],
                    },
                )
                got = client.wait_diagnostics(uri, sent, lambda d, w=want_fault: _lbl01(d) == w)
                lsp_times.append(got - sent)
                val_times.append(run_once(validate_args, {0, 1})[0])
    finally:
        client.close()
    ratios = [a / b for a, b in zip(lsp_times, val_times, strict=True)]
    rec = {
        "name": name,
        "edits": len(lsp_times),
        "first_diagnostics_s": first,
        "lsp_s": lsp_times,
        "validate_s": val_times,
        "lsp_median_s": statistics.median(lsp_times),
        "validate_median_s": statistics.median(val_times),
        "ratio": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
    }
    print(
        f"  lsp {rec['lsp_median_s'] * 1e3:.0f} ms, validate {rec['validate_median_s'] * 1e3:.0f} ms, "
        f"ratio {rec['ratio']:.2f}",
        file=sys.stderr,
        flush=True,
    )
    return rec


def memory(files_dir: Path, target: Path, edits: int, cmd: list[str]) -> dict:
    print(f"memory: {edits} edits ...", file=sys.stderr, flush=True)
    text = target.read_text(encoding="utf-8")
    clean, faulty = _variants(text)
    client = session(files_dir, target, cmd)
    uri = target.resolve().as_uri()
    t0 = client.notify(
        "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "turtle", "version": 1, "text": clean}}
    )
    client.wait_diagnostics(uri, t0, lambda d: True)
    samples = {}
    try:
        for i in range(1, edits + 1):
            want_fault = i % 2 == 1
            sent = client.notify(
                "textDocument/didChange",
                {
                    "textDocument": {"uri": uri, "version": i + 1},
                    "contentChanges": [{"text": faulty if want_fault else clean}],
                },
            )
            client.wait_diagnostics(uri, sent, lambda d, w=want_fault: _lbl01(d) == w)
            if i in (1, 100) or i % 250 == 0 or i == edits:
                samples[i] = client.rss_kib()
    finally:
        client.close()
    base = samples.get(100, samples[min(samples)])
    last = samples[max(samples)]
    rec = {
        "name": "memory",
        "edits": edits,
        "rss_kib": samples,
        "ratio_last_to_100": last / base,
        "kib_per_edit_after_100": (last - base) / max(1, edits - 100),
    }
    print(f"  RSS {samples}", file=sys.stderr, flush=True)
    return rec


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="edits each way per target (default 5)")
    ap.add_argument("--edits", type=int, default=1000, help="edits for the memory measure (default 1000)")
    ap.add_argument("--no-lithology", action="store_true")
    ap.add_argument("--no-memory", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    cmd = [PY, "-m", "sst_vocab", "lsp"]
    validate = [PY, "-m", "sst_vocab", "validate"]
    load_before = list(os.getloadavg())  # other work on the machine inflates both sides of each ratio
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        shipped = Path(tmp) / "shipped"
        shutil.copytree(ROOT / "vocab", shipped / "vocab")
        (shipped / "pyproject.toml").write_text('[tool.sst-vocab]\nvocab = ["vocab"]\n', encoding="utf-8")
        records.append(
            latency(
                "shipped vocabulary (4 files)",
                shipped,
                shipped / "vocab" / "terms.ttl",
                validate + [str(shipped / "vocab")],
                args.runs,
                cmd,
            )
        )
        if not args.no_lithology:
            lith = Path(tmp) / "lith"
            lith.mkdir()
            shutil.copy(LITHOLOGY, lith / "lithology.ttl")
            records.append(
                latency(
                    "lithology (2,968 concepts)",
                    lith,
                    lith / "lithology.ttl",
                    validate + [str(lith / "lithology.ttl")],
                    args.runs,
                    cmd,
                )
            )
        if not args.no_memory:
            records.append(memory(shipped, shipped / "vocab" / "terms.ttl", args.edits, cmd))
    rows = [
        [
            r["name"],
            str(r["edits"]),
            ms(r["lsp_median_s"]),
            ms(r["validate_median_s"]),
            f"{r['ratio']:.2f}",
            f"{r['ratio_min']:.2f}-{r['ratio_max']:.2f}",
        ]
        for r in records
        if "ratio" in r
    ]
    print(table(["target", "edits", "lsp ms", "validate ms", "lsp/validate", "range"], rows, {1, 2, 3, 4}))
    for r in records:
        if r["name"] == "memory":
            print(
                f"\nmemory over {r['edits']} edits: RSS (KiB) {r['rss_kib']}; after/at-100 "
                f"{r['ratio_last_to_100']:.3f}; {r['kib_per_edit_after_100']:.2f} KiB per edit"
            )
    out = args.json or RESULTS / f"lsp-{datetime.date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "date": datetime.datetime.now().isoformat(timespec="seconds"),
                "cpus": len(os.sched_getaffinity(0)),
                "load_average_before": load_before,
                "load_average_after": list(os.getloadavg()),
                "records": records,
            },
            indent=1,
        )
        + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
