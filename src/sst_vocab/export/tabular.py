"""CSV: one row per concept (:func:`sst_vocab.model.concepts_of`), for spreadsheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary

__all__ = ["CSV_HEADER", "CSV_SEPARATOR", "FORMULA_STARTS", "to_csv"]

CSV_HEADER = ("iri", "prefLabel", "altLabels", "definition", "broader", "broaderLabels", "status", "source")
#: Separator between the values of one CSV cell (altLabels, broader, source).
CSV_SEPARATOR = " | "


#: First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(vocab: Vocabulary, spreadsheet_safe: bool = False) -> bytes:
    import csv
    import io

    from ..model.concept import concepts_of

    def cell(text: str) -> str:
        return "'" + text if spreadsheet_safe and text.startswith(FORMULA_STARTS) else text

    rows = concepts_of(vocab)
    labels = {c.iri: c.pref_label or "" for c in rows}
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for c in rows:
        writer.writerow(
            cell(value)
            for value in (
                c.iri,
                c.pref_label or "",
                CSV_SEPARATOR.join(c.alt_labels),
                c.definition or "",
                CSV_SEPARATOR.join(c.broader),
                CSV_SEPARATOR.join(labels.get(b, "") for b in c.broader),
                c.status or "",
                CSV_SEPARATOR.join(c.source),
            )
        )
    return buf.getvalue().encode("utf-8")
