"""Renderers: data in, text out.  No RDF logic and no printing here."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from .validate import Report

__all__ = ["findings_json", "findings_text", "plural", "table"]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def findings_text(report: "Report") -> str:
    """One line per finding, then a summary line."""
    lines = []
    for f in report.findings:
        where = f"{f.file}:{f.line}" if f.file else "(no file)"
        who = f"{f.label} <{f.focus}>" if f.label else f"<{f.focus}>"
        lines.append(f"{f.severity:<9} {where}  {who}  {f.rule}: {f.message}")
    counts = report.counts()
    verdict = "conforms" if report.conforms else "does not conform"
    lines.append(
        f"{plural(report.concepts, 'concept')} ({report.top_concepts} top) in {plural(len(report.files), 'file')}: "
        f"{plural(counts['Violation'], 'violation')}, {plural(counts['Warning'], 'warning')}, "
        f"{plural(counts['Info'], 'info')}: {verdict}"
    )
    return "\n".join(lines) + "\n"


def findings_json(report: "Report") -> str:
    """The findings and the summary as a JSON document."""
    doc = {
        "conforms": report.conforms,
        "counts": report.counts(),
        "concepts": report.concepts,
        "top_concepts": report.top_concepts,
        "files": report.files,
        "findings": [f.as_dict() for f in report.findings],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An aligned plain-text table."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    fmt = "  ".join("{:<%d}" % w for w in widths)
    out = [fmt.format(*header).rstrip(), "  ".join("-" * w for w in widths)]
    out += [fmt.format(*row).rstrip() for row in rows]
    return "\n".join(out) + "\n"
