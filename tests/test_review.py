"""`sst-vocab review`: the interagency review record, read and written from the CLI, and validated."""

from __future__ import annotations

import csv
import difflib
import io
import shutil

import pytest

from conftest import REAL_VOCABS, ROOT
from sst_vocab.review import review_state
from sst_vocab.validate import validate

OFFICES = ["ICITAP", "INL", "JFCOM", "OPDAT", "OSD", "PM", "S/CRS", "UN Foundation", "USAID", "USIP"]


@pytest.fixture
def vocab(tmp_path):
    """A copy of the shipped vocabulary to write into."""
    target = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", target)
    return target


def test_shipped_vocabulary_every_definition_draft_no_responses():
    state = review_state()
    assert [o.acronym for o in state.offices] == OFFICES
    assert len(state.definitions) == 51
    assert all(d.status == "draft" for d in state.definitions)
    assert all(not d.responses and d.unanswered == OFFICES for d in state.definitions)


def test_table_csv_and_markdown(invoke):
    table = invoke("review")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == ["Concept", "Review", "status", "Answers"]
    assert max(len(line) for line in table.stdout.splitlines()) <= 100
    assert "51 definitions, 10 participating offices" in table.stdout
    rows = list(csv.DictReader(io.StringIO(invoke("review", "--format", "csv").stdout)))
    assert len(rows) == 51
    security = next(r for r in rows if r["concept"] == "https://w3id.org/sst-vocab/security")
    assert security["status"] == "draft" and security["not_answered"] == "; ".join(OFFICES)
    assert security["file"].endswith("terms.ttl") and int(security["line"]) > 0
    md = invoke("review", "--format", "markdown").stdout
    assert md.startswith("## State of interagency review")
    assert "| Security (`sst:security`) | draft | none yet |" in md


def changed_lines(before: str, after: str) -> list[str]:
    return [
        ln
        for ln in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
    ]


def test_record_writes_one_small_block_through_the_formatter(vocab, invoke):
    terms = vocab / "terms.ttl"
    before = terms.read_text()
    result = invoke(
        "review",
        str(vocab),
        "--record",
        "sst:security",
        "--agency",
        "USAID",
        "--response",
        "concur",
        "--date",
        "2006-04-10",
    )
    assert result.exit_code == 0, result.stderr
    assert "Recorded USAID - concur - 2006-04-10 on Security" in result.stdout
    assert "Status: draft -> under-review." in result.stdout
    after = terms.read_text()
    lines = changed_lines(before, after)
    body = [ln for ln in lines if not ln.startswith("+PREFIX ")]
    assert body[0] == "-    sstx:reviewStatus sstx:draft ;"
    assert body[1] == "+    sstx:reviewStatus sstx:underReview ;"
    assert "\n".join(body[2:]) == "\n".join(
        [
            "+    sstx:reviewResponse [",
            "+        a sstx:ReviewResponse ;",
            "+        prov:wasAssociatedWith <https://w3id.org/sst-vocab/agent/usaid> ;",
            "+        sstx:responseType sstx:concur ;",
            '+        dcterms:date "2006-04-10"^^xsd:date ;',
            "+    ] ;",
        ]
    )
    # the comments of the file are all still there, and the file stays canonical
    for line in before.splitlines():
        if line.lstrip().startswith("#"):
            assert line in after
    assert invoke("fmt", "--check", str(terms)).exit_code == 0
    # nothing else moved: the other files are untouched
    for name in ("actors.ttl", "scheme.ttl", "ontology.ttl"):
        assert (vocab / name).read_text() == (ROOT / "vocab" / name).read_text()


def test_record_by_label_acronym_case_and_note_then_read_back(vocab, invoke):
    r = invoke(
        "review",
        str(vocab),
        "--record",
        "security system",
        "--agency",
        "osd",
        "--response",
        "nonconcur",
        "--note",
        "Too broad: name the oversight bodies.",
        "--date",
        "2006-04-11",
    )
    assert r.exit_code == 0, r.stderr
    r = invoke(
        "review",
        str(vocab),
        "--record",
        "https://w3id.org/sst-vocab/security-system",
        "--agency",
        "https://w3id.org/sst-vocab/agent/pm",
        "--response",
        "comment",
        "--note",
        "See INL's text.",
        "--date",
        "2006-04-12",
    )
    assert r.exit_code == 0, r.stderr
    state = review_state([vocab])
    d = next(d for d in state.definitions if d.concept.endswith("/security-system"))
    assert d.status == "under-review"
    assert d.objected == ["OSD"] and d.commented == ["PM"] and "USAID" in d.unanswered
    assert d.notes == [
        "OSD (nonconcur, 2006-04-11): Too broad: name the oversight bodies.",
        "PM (comment, 2006-04-12): See INL's text.",
    ]
    table = invoke("review", str(vocab)).stdout
    assert "Security system: OSD - nonconcur - 2006-04-11 - Too broad" in table
    report = validate([vocab])
    assert report.conforms
    assert not [f for f in report.findings if f.rule.startswith("REV-")]


def test_latest_response_of_an_office_wins(vocab, invoke):
    for response, day in (("nonconcur", "2006-04-10"), ("concur", "2006-04-20")):
        assert (
            invoke(
                "review",
                str(vocab),
                "--record",
                "security",
                "--agency",
                "INL",
                "--response",
                response,
                "--note",
                "x",
                "--date",
                day,
            ).exit_code
            == 0
        )
    d = next(d for d in review_state([vocab]).definitions if d.concept.endswith("/security"))
    assert d.concurred == ["INL"] and d.objected == []


def test_concurred_needs_every_office_then_a_nonconcurrence_reopens_it(vocab, invoke):
    refused = invoke("review", str(vocab), "--mark", "sst:security", "--status", "concurred")
    assert refused.exit_code == 2 and "no concurrence yet from ICITAP" in refused.stderr
    for office in OFFICES:
        r = invoke(
            "review",
            str(vocab),
            "--record",
            "sst:security",
            "--agency",
            office,
            "--response",
            "concur",
            "--date",
            "2006-05-01",
        )
        assert r.exit_code == 0, r.stderr
    assert "Every participating office has concurred" in r.stdout
    marked = invoke("review", str(vocab), "--mark", "sst:security", "--status", "concurred")
    assert marked.exit_code == 0, marked.stderr
    assert invoke("validate", str(vocab)).exit_code == 0
    d = next(d for d in review_state([vocab]).definitions if d.concept.endswith("/security"))
    assert d.status == "concurred" and d.concurred == OFFICES
    r = invoke(
        "review",
        str(vocab),
        "--record",
        "sst:security",
        "--agency",
        "USIP",
        "--response",
        "nonconcur",
        "--note",
        "Changed our mind.",
        "--date",
        "2006-06-01",
    )
    assert "Status: concurred -> under-review." in r.stdout


def test_a_hand_edited_concurred_status_without_concurrences_is_a_violation(vocab, invoke):
    terms = vocab / "terms.ttl"
    text = terms.read_text()
    block_start = text.index("sst:security\n")
    i = text.index("sstx:reviewStatus sstx:draft", block_start)
    terms.write_text(text[:i] + "sstx:reviewStatus sstx:concurred" + text[i + len("sstx:reviewStatus sstx:draft") :])
    result = invoke("validate", str(vocab))
    assert result.exit_code == 1
    assert "REV-01-concurred-needs-every-office" in result.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["--record", "sst:nothing", "--agency", "USAID", "--response", "concur"], "no concept"),
        (["--record", "sst:security", "--agency", "NATO", "--response", "concur"], "not a participating office"),
        (
            ["--record", "sst:security", "--agency", "USAID", "--response", "concur", "--date", "10/04/2006"],
            "YYYY-MM-DD",
        ),
        (["--mark", "sst:security", "--status", "concurred"], "no concurrence yet"),
    ],
    ids=["unknown-concept", "unknown-office", "bad-date", "premature-concurred"],
)
def test_bad_input_exit_2_and_nothing_written(vocab, invoke, args, words):
    before = {p.name: p.read_text() for p in vocab.iterdir()}
    result = invoke("review", str(vocab), *args)
    assert result.exit_code == 2
    assert words in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_text() for p in vocab.iterdir()} == before


def test_the_same_response_twice_is_refused(vocab, invoke):
    args = [
        "review",
        str(vocab),
        "--record",
        "sst:security",
        "--agency",
        "USAID",
        "--response",
        "concur",
        "--date",
        "2006-04-10",
    ]
    assert invoke(*args).exit_code == 0
    again = invoke(*args)
    assert again.exit_code == 2 and "already recorded" in again.stderr


def test_usage_errors(invoke):
    assert invoke("review", "--record", "sst:security").exit_code == 2
    assert invoke("review", "--agency", "USAID").exit_code == 2
    assert invoke("review", "--mark", "sst:security").exit_code == 2


@pytest.mark.parametrize("path", REAL_VOCABS, ids=lambda p: p.name)
def test_real_vocabularies(path, invoke):
    result = invoke("review", str(path), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and all(r["status"] == "" for r in rows)


def test_diff_reports_recorded_responses_and_status(vocab, invoke):
    invoke(
        "review",
        str(vocab),
        "--record",
        "sst:security",
        "--agency",
        "OSD",
        "--response",
        "nonconcur",
        "--note",
        "Too broad.",
        "--date",
        "2006-04-11",
    )
    result = invoke("diff", str(ROOT / "vocab"), str(vocab))
    assert result.exit_code == 1
    assert "sstx:reviewResponse: + OSD: nonconcur (2006-04-11): Too broad." in result.stdout
    assert "sstx:reviewStatus: sstx:draft -> sstx:underReview" in result.stdout
