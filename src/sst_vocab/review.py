"""The interagency review record: where each definition stands, and each office's response.

The roundtable's definitions are drafts "sent around for interagency consideration
and concurrence".  The record lives in the vocabulary itself (the pattern is
documented in ``vocab/ontology.ttl`` and ``docs/editing.md``)::

    sst:security
        sstx:reviewStatus sstx:underReview ;        # draft | underReview | concurred | revised
        sstx:reviewResponse [
            a sstx:ReviewResponse ;                  # a prov:Activity
            prov:wasAssociatedWith <https://w3id.org/sst-vocab/agent/usaid> ;
            sstx:responseType sstx:concur ;          # concur | nonconcur | comment
            dcterms:date "2006-04-10"^^xsd:date ;
            rdfs:comment "Concur as written."@en ;
        ] ;

The participating offices are the ``dcterms:contributor`` values of the concept's
scheme or of the scheme's source documents (``dcterms:source``, ``prov:wasDerivedFrom``):
the shipped vocabulary names them on the roundtable's briefing, not on the encoding.
:func:`review_state` reads the record; :func:`record_response` and :func:`set_status` write it
into the file that holds the concept, through the canonical formatter, so the change is one small block.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .edit import editing_paths, find_concept
from .errors import VocabError
from .model import SubjectIndex, named_node, term_kind
from .namespaces import DCT, PROV, RDF_TYPE, RDFS, SDO, SKOS, SSTX, XSD, curie, expand

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from .loader import Vocabulary

__all__ = [
    "RESPONSES",
    "STATUSES",
    "DefinitionReview",
    "Office",
    "Recorded",
    "Response",
    "ReviewState",
    "record_response",
    "review_state",
    "set_status",
    "withdraw_response",
]


#: CLI name -> IRI of the review statuses and of the response types.
STATUSES = {
    "draft": SSTX + "draft",
    "under-review": SSTX + "underReview",
    "concurred": SSTX + "concurred",
    "revised": SSTX + "revised",
}
RESPONSES = {"concur": SSTX + "concur", "nonconcur": SSTX + "nonconcur", "comment": SSTX + "comment"}
_STATUS_NAME = {v: k for k, v in STATUSES.items()}
_RESPONSE_NAME = {v: k for k, v in RESPONSES.items()}
# when two responses of one office carry the same date, the later in this order wins
_RESPONSE_ORDER = {"comment": 0, "nonconcur": 1, "concur": 2}


@dataclass(frozen=True)
class Office:
    """A participating office: its IRI, the acronym the source uses, and its full name."""

    iri: str
    acronym: str
    name: str | None = None


@dataclass(frozen=True)
class Response:
    office: str  # IRI
    response: str  # concur | nonconcur | comment | ? (malformed)
    date: str | None = None
    note: str | None = None


@dataclass
class DefinitionReview:
    """One definition's review: its status, every response, and each office's latest answer."""

    concept: str
    label: str | None
    status: str | None  # draft | under-review | concurred | revised | None
    definition: str | None
    file: str | None
    line: int | None
    responses: list[Response] = field(default_factory=list)
    concurred: list[str] = field(default_factory=list)  # office acronyms, by latest response
    objected: list[str] = field(default_factory=list)
    commented: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "OFFICE (nonconcur, date): note" for latest responses

    @property
    def all_concurred(self) -> bool:
        return not (self.objected or self.commented or self.unanswered)


@dataclass
class ReviewState:
    offices: list[Office]
    definitions: list[DefinitionReview]

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        out["none"] = 0
        for d in self.definitions:
            out[d.status or "none"] += 1
        return out


@dataclass
class Recorded:
    """What :func:`record_response` or :func:`set_status` wrote."""

    file: str
    concept: str
    label: str | None
    office: Office | None
    status_before: str | None
    status_after: str | None
    was_canonical: bool
    review: DefinitionReview
    #: The response of the same office and date that this one replaced, or that --withdraw removed.
    replaced: Response | None = None


# --------------------------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------------------------


def _offices(g: SubjectIndex, concept=None) -> list[Office]:
    """The participating offices: contributors of the concept's schemes or of their source documents
    (dcterms:source, prov:wasDerivedFrom), of every scheme when concept is None."""
    schemes = g.subjects_of_type(SKOS + "ConceptScheme")
    if concept is not None:
        mine = set(g.iris(concept, SKOS + "inScheme")) | set(g.iris(concept, SKOS + "topConceptOf"))
        mine |= {s.value for s in schemes if concept in g.get(s, SKOS + "hasTopConcept")}
        if mine:
            schemes = [s for s in schemes if s.value in mine]
    holders = {s.value for s in schemes}
    holders |= {d for s in schemes for p in (DCT + "source", PROV + "wasDerivedFrom") for d in g.iris(s, p)}
    iris = sorted({iri for h in holders for iri in g.iris(named_node(h), DCT + "contributor")})
    out = []
    for iri in iris:
        node = named_node(iri)
        acronym = (
            g.label(node, (SDO + "alternateName", SKOS + "prefLabel", SDO + "name"))
            or iri.rstrip("/").rsplit("/", 1)[-1]
        )
        out.append(Office(iri, acronym, g.literal(node, SDO + "name")))
    return sorted(out, key=lambda o: o.acronym.lower())


def _responses(g: SubjectIndex, concept) -> list[Response]:
    out = []
    for node in g.get(concept, SSTX + "reviewResponse"):
        agents = g.iris(node, PROV + "wasAssociatedWith")
        kinds = [_RESPONSE_NAME.get(i, "?") for i in g.iris(node, SSTX + "responseType")]
        dates = sorted(o.value for o in g.get(node, DCT + "date") if term_kind(o) == "Literal")
        out.append(
            Response(
                agents[0] if len(agents) == 1 else "?",
                kinds[0] if len(kinds) == 1 else "?",
                dates[0] if dates else None,
                g.literal(node, RDFS + "comment"),
            )
        )
    return sorted(out, key=lambda r: (r.date or "", _RESPONSE_ORDER.get(r.response, -1), r.office))


def _review(g: SubjectIndex, concept, vocab) -> DefinitionReview:
    iri = concept.value
    statuses = g.iris(concept, SSTX + "reviewStatus")
    status = _STATUS_NAME.get(statuses[0], statuses[0]) if statuses else None
    loc = vocab.location(iri)
    offices = _offices(g, concept)
    responses = _responses(g, concept)
    latest: dict[str, Response] = {}
    for each in responses:  # sorted by date: the last one of each office wins
        latest[each.office] = each
    rev = DefinitionReview(
        concept=iri,
        label=g.literal(concept, SKOS + "prefLabel"),
        status=status,
        definition=g.literal(concept, SKOS + "definition"),
        file=loc[0] if loc else None,
        line=loc[1] if loc else None,
        responses=responses,
    )
    for o in offices:
        r = latest.get(o.iri)
        if r is None:
            rev.unanswered.append(o.acronym)
            continue
        {"concur": rev.concurred, "nonconcur": rev.objected}.get(r.response, rev.commented).append(o.acronym)
        if r.note:
            when = f", {r.date}" if r.date else ""
            rev.notes.append(f"{o.acronym} ({r.response}{when}): {r.note}")
    return rev


def review_state(paths: Iterable[str | os.PathLike[str]] | None = None, *, vocabulary=None) -> ReviewState:
    """The state of review of every definition (concepts with a skos:definition), in label order."""
    from .loader import load

    vocab = vocabulary if vocabulary is not None else load(paths)
    g = SubjectIndex(vocab.store)
    concepts = [
        c for c in g.subjects_of_type(SKOS + "Concept") if g.get(c, SKOS + "definition") and not g.is_deprecated(c)
    ]  # a deprecated concept is no longer up for review
    reviews = [_review(g, c, vocab) for c in concepts]
    reviews.sort(key=lambda r: ((r.label or "").lower(), r.concept))
    return ReviewState(offices=_offices(g), definitions=reviews)


# --------------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------------


def _find_office(offices: list[Office], text: str) -> Office:
    wanted = text.strip().lower()
    expanded = expand(text) or ""
    for o in offices:
        local = o.iri.rstrip("/").rsplit("/", 1)[-1].lower()
        if wanted in (o.iri.lower(), o.acronym.lower(), (o.name or "").lower(), local) or o.iri == expanded:
            return o
    names = (
        ", ".join(o.acronym for o in offices)
        or "(none: neither the scheme nor its source document has a dcterms:contributor)"
    )
    raise VocabError(f"{text!r} is not a participating office of this concept's scheme; use one of: {names}")


def _parse_date(date: str | None) -> str:
    if date is None:
        return _dt.date.today().isoformat()
    try:
        return _dt.date.fromisoformat(date.strip()).isoformat()
    except ValueError as exc:
        raise VocabError(f"{date!r} is not a date; write it as YYYY-MM-DD (e.g. 2006-04-10)") from exc


def _rewrite(vocab, concept_iri: str, transform) -> tuple[str, bool]:
    """Apply ``transform`` to the file that holds the concept, through the canonical formatter."""
    from .files import write_atomic
    from .fmt import format_text

    loc = vocab.location(concept_iri)
    if loc is None:
        raise VocabError(f"cannot find the block of <{concept_iri}> in the vocabulary files")
    path = loc[0]
    text = vocab.texts[path]
    was_canonical = format_text(text, path) == text
    new_text = format_text(text, path, transform=transform)
    write_atomic(path, new_text)
    return path, was_canonical


def _status_triples(concept, status_iri: str | None):
    """A transform replacing the concept's review status."""
    import pyoxigraph as ox

    pred = ox.NamedNode(SSTX + "reviewStatus")

    def transform(triples: list) -> list:
        kept = [t for t in triples if not (t.subject == concept and t.predicate == pred)]
        if status_iri is not None:
            kept.append(ox.Triple(concept, pred, ox.NamedNode(status_iri)))
        return kept

    return transform


def _response_nodes(triples: list, concept, office_iri: str, day: str | None) -> list:
    """The blank nodes of ``concept``'s responses from ``office_iri`` (of ``day``, when given)."""
    by_subject: dict = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    out = []
    for t in triples:
        if t.subject == concept and t.predicate.value == SSTX + "reviewResponse":
            props = by_subject.get(t.object, [])
            office = any(
                p.predicate.value == PROV + "wasAssociatedWith" and p.object.value == office_iri for p in props
            )
            dated = day is None or any(p.predicate.value == DCT + "date" and p.object.value == day for p in props)
            if office and dated:
                out.append(t.object)
    return out


def _without(triples: list, concept, nodes: list) -> list:
    gone = set(nodes)
    return [t for t in triples if t.subject not in gone and not (t.subject == concept and t.object in gone)]


def record_response(
    concept: str,
    agency: str,
    response: str,
    *,
    note: str | None = None,
    date: str | None = None,
    paths: Iterable[str | os.PathLike[str]] | None = None,
) -> Recorded:
    """Record one office's response to a concept's definition in the file that holds the concept.

    A draft (or unmarked) definition becomes ``under-review``; a ``concurred`` one
    goes back to ``under-review`` on a non-concurrence.  A response of the same
    office on the same date is replaced (``Recorded.replaced``): that is how a
    mistake is corrected.  A non-concurrence needs a note saying why.
    """
    import pyoxigraph as ox

    from .loader import load

    if response not in RESPONSES:
        raise VocabError(f"unknown response {response!r}; use concur, nonconcur or comment")
    note = note.strip() if note and note.strip() else None
    if response == "nonconcur" and note is None:
        raise VocabError("a non-concurrence needs the office's note saying what it objects to", options=("note",))
    day = _parse_date(date)
    files = editing_paths(paths)
    vocab = load(files)
    g = SubjectIndex(vocab.store)
    node = find_concept(g, vocab, concept)
    if not g.get(node, SKOS + "definition"):
        raise VocabError(f"<{node.value}> has no skos:definition to review")
    office = _find_office(_offices(g, node), agency)
    new = Response(office.iri, response, day, note)
    existing = _responses(g, node)
    if new in existing:
        raise VocabError(f"this response is already recorded for <{node.value}> ({office.acronym}, {response}, {day})")
    replaced = next((r for r in existing if r.office == office.iri and r.date == day), None)
    before = _review(g, node, vocab).status
    after = before
    if before in (None, "draft") or (before == "concurred" and response == "nonconcur"):
        after = "under-review"

    def transform(triples: list) -> list:
        b = ox.BlankNode()
        out = _without(triples, node, _response_nodes(triples, node, office.iri, day))
        out = _status_triples(node, STATUSES[after] if after else None)(out)
        out += [
            ox.Triple(node, ox.NamedNode(SSTX + "reviewResponse"), b),
            ox.Triple(b, ox.NamedNode(RDF_TYPE), ox.NamedNode(SSTX + "ReviewResponse")),
            ox.Triple(b, ox.NamedNode(PROV + "wasAssociatedWith"), ox.NamedNode(office.iri)),
            ox.Triple(b, ox.NamedNode(SSTX + "responseType"), ox.NamedNode(RESPONSES[response])),
            ox.Triple(b, ox.NamedNode(DCT + "date"), ox.Literal(day, datatype=ox.NamedNode(XSD + "date"))),
        ]
        if note:
            out.append(ox.Triple(b, ox.NamedNode(RDFS + "comment"), ox.Literal(note, language="en")))
        return out

    return _write(vocab, files, node, transform, office, before, after, replaced)


def withdraw_response(
    concept: str, agency: str, *, date: str | None = None, paths: Iterable[str | os.PathLike[str]] | None = None
) -> Recorded:
    """Remove an office's response (of ``date``, else its latest) from a concept's review record.

    When no response is left, an under-review definition goes back to draft.
    """
    from .loader import load

    files = editing_paths(paths)
    vocab = load(files)
    g = SubjectIndex(vocab.store)
    node = find_concept(g, vocab, concept)
    office = _find_office(_offices(g, node), agency)
    mine = [r for r in _responses(g, node) if r.office == office.iri]
    if date is not None:
        day = _parse_date(date)
        mine = [r for r in mine if r.date == day]
    if not mine:
        when = f" of {date}" if date else ""
        raise VocabError(f"{office.acronym} has no response{when} recorded for <{node.value}>; nothing to withdraw")
    gone = mine[-1]
    before = _review(g, node, vocab).status
    left = len(_responses(g, node)) - 1
    after = "draft" if left == 0 and before == "under-review" else before

    def transform(triples: list) -> list:
        out = _without(triples, node, _response_nodes(triples, node, office.iri, gone.date))
        return _status_triples(node, STATUSES[after] if after else None)(out)

    return _write(vocab, files, node, transform, office, before, after, gone)


def set_status(concept: str, status: str, *, paths: Iterable[str | os.PathLike[str]] | None = None) -> Recorded:
    """Mark a definition's review status; ``concurred`` needs every participating office's concurrence."""
    from .loader import load

    if status not in STATUSES:
        raise VocabError(f"unknown status {status!r}; use " + ", ".join(STATUSES))
    files = editing_paths(paths)
    vocab = load(files)
    g = SubjectIndex(vocab.store)
    node = find_concept(g, vocab, concept)
    current = _review(g, node, vocab)
    if status == "concurred" and not current.all_concurred:
        missing = current.objected + current.commented + current.unanswered
        raise VocabError(f"cannot mark <{node.value}> concurred: no concurrence yet from " + ", ".join(missing))
    return _write(vocab, files, node, _status_triples(node, STATUSES[status]), None, current.status, status)


def _write(
    vocab: Vocabulary,
    files: list[str],
    node: ox.NamedNode,
    transform: Callable[[list], list],
    office: Office | None,
    before: str | None,
    after: str | None,
    replaced: Response | None = None,
) -> Recorded:
    """Rewrite the file of ``node`` through ``transform`` and say what it holds now."""
    from .loader import load

    path, was_canonical = _rewrite(vocab, node.value, transform)
    after_vocab = load(files)
    review = _review(SubjectIndex(after_vocab.store), node, after_vocab)
    return Recorded(
        file=path,
        concept=node.value,
        label=review.label,
        office=office,
        status_before=before,
        status_after=after,
        was_canonical=was_canonical,
        review=review,
        replaced=replaced,
    )


# --------------------------------------------------------------------------------------------
# rendering (data in, text out)
# --------------------------------------------------------------------------------------------

_HEADER = ["Concept", "Review status", "Answers"]

#: What the two statuses mean, printed with the table (the site says the same).
STATUS_LEGEND = (
    "Review status (sstx:reviewStatus): where the interagency review of the definition stands: draft (not "
    "yet answered), under review (answers coming in), concurred (every participating office concurs), "
    "revised (changed after answers; it goes round again). It is not the registry status (reg:status, "
    "e.g. submitted: the text is a draft awaiting concurrence; superseded/retired: deprecated)."
)


def _answers(d: DefinitionReview) -> str:
    parts = []
    for name, who in (("concur", d.concurred), ("nonconcur", d.objected), ("comment", d.commented)):
        if who:
            parts.append(f"{name}: {', '.join(who)}")
    if d.unanswered:
        parts.append(f"{len(d.unanswered)} not answered" if parts else "none yet")
    return "; ".join(parts) or "-"


def _rows(state: ReviewState) -> list[list[str]]:
    rows = []
    for d in state.definitions:
        rows.append([d.label or curie(d.concept), (d.status or "(none)").replace("-", " "), _answers(d)])
    return rows


def _summary(state: ReviewState) -> str:
    counts = state.counts()
    parts = [f"{n} {name.replace('-', ' ')}" for name, n in counts.items() if n]
    return (
        f"{len(state.definitions)} definitions, {len(state.offices)} participating offices "
        f"({', '.join(o.acronym for o in state.offices)}): " + ", ".join(parts)
    )


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def render_table(state: ReviewState, width: int = 100) -> str:
    """The state of review as a table that fits ``width`` columns, then each response and the legend."""
    from .render import response_text, table

    rows = _rows(state)
    answers_w = max(20, width - 38 - 2 - 13 - 2)
    fitted = []
    for row in rows:
        concept = row[0] if len(row[0]) <= 38 else row[0][:37] + "…"
        answer = row[2] if len(row[2]) <= answers_w else row[2][: answers_w - 1] + "…"
        fitted.append([concept, row[1], answer])
    out = table(_HEADER, fitted).rstrip("\n") + "\n"
    offices = {o.iri: o.acronym for o in state.offices}
    answered = [(d, r) for d in state.definitions for r in d.responses]
    if answered:
        out += "\nResponses (office - response - date - note):\n"
        for d, r in answered:
            out += "\n".join(_wrap(f"{d.label or curie(d.concept)}: {response_text(r, offices)}", width, "  ")) + "\n"
    out += "\n" + "\n".join(_wrap(STATUS_LEGEND, width, "")) + "\n"
    return out + "\n".join(_wrap(_summary(state), width, "")) + "\n"


def render_csv(state: ReviewState) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "concept",
            "label",
            "status",
            "concurred",
            "objected",
            "commented",
            "not_answered",
            "notes",
            "definition",
            "file",
            "line",
        ]
    )
    for d in state.definitions:
        w.writerow(
            [
                d.concept,
                d.label or "",
                d.status or "",
                "; ".join(d.concurred),
                "; ".join(d.objected),
                "; ".join(d.commented),
                "; ".join(d.unanswered),
                " | ".join(d.notes),
                d.definition or "",
                d.file or "",
                d.line or "",
            ]
        )
    return buf.getvalue()


def render_markdown(state: ReviewState) -> str:
    from .render import response_text

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "## State of interagency review",
        "",
        _summary(state) + ".",
        "",
        "| " + " | ".join(_HEADER) + " |",
        "|" + "---|" * len(_HEADER),
    ]
    for d, row in zip(state.definitions, _rows(state), strict=True):
        row[0] = f"{row[0]} (`{curie(d.concept)}`)"
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    offices = {o.iri: o.acronym for o in state.offices}
    answered = [(d, r) for d in state.definitions for r in d.responses]
    if answered:
        lines += ["", "### Responses (office - response - date - note)", ""]
        lines += [f"- **{cell(d.label or curie(d.concept))}**: {cell(response_text(r, offices))}" for d, r in answered]
    lines += ["", STATUS_LEGEND]
    return "\n".join(lines) + "\n"
