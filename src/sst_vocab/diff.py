"""What changed between two versions of a vocabulary, in SKOS terms rather than triples.

Each side is a path (a Turtle file or a folder of them) or a git revision: ``HEAD~3``
or ``v0.1.0`` means the repository's ``vocab/`` folder at that revision, and
``REV:path`` names another file or folder at that revision (read with ``git
ls-tree`` and ``git show``; nothing is checked out).

The result (:class:`Changes`) lists concepts added, removed (flagged: the IRIs of a
published vocabulary must never disappear; deprecate instead), deprecated (with
their replacements and reasons), and for each changed concept the label changes per
language, definition changes (old and new text), hierarchy moves (old and new
broader), relation, mapping, note, status and review changes; then changes to the
concept schemes' metadata and to any other resource.  :mod:`sst_vocab.render`-style
text, Markdown (a changelog entry) and JSON are produced by :func:`render_text`,
:func:`render_markdown` and :func:`render_json`.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import VocabError
from .model import SubjectIndex, best_text, named_node, term_kind
from .namespaces import DCT, OWL, PREFIXES, PROV, RDF_TYPE, RDFS, SDO, SKOS, SSTX, curie

__all__ = [
    "Change",
    "Changes",
    "ConceptChange",
    "Ref",
    "append_changelog",
    "diff",
    "load_side",
    "render_json",
    "render_markdown",
    "render_text",
]


LABELS = (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel")
NOTES = tuple(SKOS + n for n in ("scopeNote", "example", "note", "historyNote", "editorialNote", "changeNote"))
MAPPINGS = tuple(
    SKOS + m for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch", "mappingRelation")
)
STATUS = (
    OWL + "deprecated",
    DCT + "isReplacedBy",
    "http://purl.org/linked-data/registry#status",
    SSTX + "reviewStatus",
)
# read in both directions, reported once (on the narrower concept / on both ends)
HIERARCHY = (SKOS + "broader", SKOS + "narrower", SKOS + "topConceptOf", SKOS + "hasTopConcept")
REVIEW = SSTX + "reviewResponse"


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A resource as people see it: its IRI and (for concepts) its label."""

    iri: str
    label: str | None = None

    def text(self) -> str:
        return f"{self.label} <{self.iri}>" if self.label else f"<{self.iri}>"


@dataclass
class Change:
    """One change to one property: values removed (old) and added (new)."""

    kind: str  # label, definition, moved, top, relation, mapping, note, status, review, property
    property: str  # CURIE of the property
    language: str | None = None
    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


@dataclass
class ConceptChange:
    concept: Ref
    changes: list[Change]


@dataclass
class Deprecation:
    concept: Ref
    replaced_by: list[Ref]
    reasons: list[str]


@dataclass
class Changes:
    """Everything that differs between OLD and NEW."""

    old: str
    new: str
    old_version: str | None
    new_version: str | None
    old_concepts: int
    new_concepts: int
    added: list[Ref] = field(default_factory=list)
    removed: list[Ref] = field(default_factory=list)
    deprecated: list[Deprecation] = field(default_factory=list)
    changed: list[ConceptChange] = field(default_factory=list)
    schemes: list[ConceptChange] = field(default_factory=list)
    others: list[ConceptChange] = field(default_factory=list)
    others_added: list[Ref] = field(default_factory=list)
    others_removed: list[Ref] = field(default_factory=list)

    @property
    def differ(self) -> bool:
        return any(
            (
                self.added,
                self.removed,
                self.deprecated,
                self.changed,
                self.schemes,
                self.others,
                self.others_added,
                self.others_removed,
            )
        )

    def as_dict(self) -> dict:
        d = asdict(self)
        d["differ"] = self.differ
        return d


# --------------------------------------------------------------------------------------------
# reading a side: a path or a git revision
# --------------------------------------------------------------------------------------------


@dataclass
class Side:
    name: str
    files: list[str]
    triples: list
    prefixes: dict[str, str]


def load_side(
    spec: str, cwd: str | os.PathLike[str] | None = None, default_folder: str = "vocab", *, base: str | None = None
) -> Side:
    """Read one side of a comparison: a file, a folder, a git revision, or ``REV:path``.

    ``base``: the base IRI for relative IRIs (default: each file's ``file://`` IRI; for a file
    at a git revision, the IRI of that file in the working tree, so both sides agree).
    """
    from .loader import resolve_paths
    from .reading import check_base, parse, read_bytes

    check_base(base)

    cwd = str(cwd or os.getcwd())
    path = Path(cwd) / spec if not os.path.isabs(spec) else Path(spec)
    if path.exists():
        files = resolve_paths([path])
        triples: list = []
        prefixes: dict[str, str] = {}
        for n, f in enumerate(files):
            data, _ = read_bytes(f)
            parsed = parse(data, str(f), base=base, scope=f"f{n}_")
            triples.extend(parsed.triples)
            for k, v in parsed.prefixes.items():
                prefixes.setdefault(k, v)
        return Side(spec, [str(f) for f in files], triples, prefixes)

    from .revisions import is_commit, read_at, repository_root

    rev, sep, sub = spec.partition(":")
    root = repository_root(cwd) if rev else None
    if root is None:
        raise VocabError("no such file or folder, and not a git revision (not inside a git repository)", path=spec)
    if not is_commit(root, rev):
        raise VocabError("no such file or folder, and not a git revision", path=spec)
    folder = (sub if sep else default_folder).strip("/") or "."
    names, triples, prefixes = read_at(root, rev, folder, base=base, spec=spec, named=bool(sep))
    return Side(spec, names, triples, prefixes)


# --------------------------------------------------------------------------------------------
# the comparison
# --------------------------------------------------------------------------------------------


#: What names a resource in a report: a concept's preferred label; an office's acronym.
LABEL_PROPS = (SKOS + "prefLabel", SDO + "alternateName", SDO + "name", RDFS + "label")


class _Index:
    """One side's triples, indexed by subject (:class:`sst_vocab.model.SubjectIndex`) and by
    IRI, with the links into each IRI and values turned into comparable text."""

    def __init__(self, side: Side, prefixes: dict[str, str]) -> None:
        self.props = SubjectIndex(side.triples).props
        self.inverse: dict[str, dict[str, set[str]]] = {}
        self.prefixes = prefixes
        for t in side.triples:
            if term_kind(t.object) == "NamedNode":
                self.inverse.setdefault(t.object.value, {}).setdefault(t.predicate.value, set()).add(
                    t.subject.value if term_kind(t.subject) == "NamedNode" else ""
                )
        self.iri_subjects = {s.value: pm for s, pm in self.props.items() if term_kind(s) == "NamedNode"}

    def types(self, iri: str) -> set[str]:
        return {o.value for o in self.iri_subjects.get(iri, {}).get(RDF_TYPE, []) if term_kind(o) == "NamedNode"}

    def of_type(self, cls: str) -> set[str]:
        return {s for s in self.iri_subjects if cls in self.types(s)}

    def values(self, iri: str, prop: str) -> list:
        return self.iri_subjects.get(iri, {}).get(prop, [])

    def iris(self, iri: str, prop: str, inverse: str | None = None) -> set[str]:
        out = {o.value for o in self.values(iri, prop) if term_kind(o) == "NamedNode"}
        if inverse:
            out |= {s for s in self.inverse.get(iri, {}).get(inverse, set()) if s}
        return out

    def text(self, term, depth: int = 0) -> str:
        k = term_kind(term)
        if k == "NamedNode":
            c = curie(term.value, self.prefixes)
            return c if c != term.value else f"<{term.value}>"
        if k == "Literal":
            value = json.dumps(term.value, ensure_ascii=False)
            if term.language:
                return f"{value}@{term.language}"
            dt = term.datatype.value
            if dt == "http://www.w3.org/2001/XMLSchema#string":
                return value
            return f"{value}^^{self.text(named_node(dt))}"
        if depth > 8:
            return "[...]"
        parts = []
        for p, objs in sorted(self.props.get(term, {}).items()):
            for o in objs:
                parts.append(f"{self.text(named_node(p))} {self.text(o, depth + 1)}")
        return "[ " + " ; ".join(sorted(parts)) + " ]" if parts else "[]"

    def deprecated(self, iri: str) -> bool:
        return any(
            term_kind(o) == "Literal" and o.value.lower() in ("true", "1") for o in self.values(iri, OWL + "deprecated")
        )

    def name(self, iri: str) -> str | None:
        """The resource's label: the first of :data:`LABEL_PROPS` it has, in English (see
        :mod:`sst_vocab.model`)."""
        values = self.iri_subjects.get(iri, {})
        for prop in LABEL_PROPS:
            best = best_text(o for o in values.get(prop, ()) if term_kind(o) == "Literal")
            if best is not None:
                return best.value
        return None


def diff(old: str | None, new: str | None, cwd: str | os.PathLike[str] | None = None) -> Changes:
    """Compare two versions (paths or git revisions) of a vocabulary.

    With no OLD, the last release tag (``vX.Y.Z``); with no NEW, the working tree
    (``vocab/`` of the current directory).

    Example::

        changes = diff("v0.1.0", "vocab/")
        changes.differ, [r.iri for r in changes.added]
    """
    if old is None:
        from .revisions import last_release_tag

        old = last_release_tag(cwd)
        if old is None:
            raise VocabError("there is no release tag (vX.Y.Z) to compare with; name the old version", options=("old",))
    if new is None:
        new = "vocab"
    a = load_side(old, cwd)
    b = load_side(new, cwd)
    return compare(a, b)


def compare(a: Side, b: Side) -> Changes:
    prefixes = dict(PREFIXES)
    for side in (b, a):
        for k, v in side.prefixes.items():
            if k and v not in prefixes.values():
                prefixes.setdefault(k, v)
    old, new = _Index(a, prefixes), _Index(b, prefixes)
    old_c, new_c = old.of_type(SKOS + "Concept"), new.of_type(SKOS + "Concept")

    def ref(iri: str) -> Ref:
        return Ref(iri, new.name(iri) or old.name(iri))

    def refs(iris) -> list[Ref]:
        return sorted((ref(i) for i in iris), key=lambda r: ((r.label or "").lower(), r.iri))

    changes = Changes(
        old=a.name,
        new=b.name,
        old_version=_version(old),
        new_version=_version(new),
        old_concepts=len(old_c),
        new_concepts=len(new_c),
    )
    changes.added = refs(new_c - old_c)
    changes.removed = refs(old_c - new_c)
    for iri in sorted(new_c, key=lambda i: ((ref(i).label or "").lower(), i)):
        if new.deprecated(iri) and not (iri in old_c and old.deprecated(iri)):
            reasons = [
                o.value
                for p in (SKOS + "changeNote", SKOS + "historyNote", SKOS + "editorialNote")
                for o in new.values(iri, p)
                if term_kind(o) == "Literal" and o not in old.values(iri, p)
            ]
            changes.deprecated.append(Deprecation(ref(iri), refs(new.iris(iri, DCT + "isReplacedBy")), reasons))
    newly_deprecated = {d.concept.iri for d in changes.deprecated}
    for iri in sorted(old_c & new_c, key=lambda i: ((ref(i).label or "").lower(), i)):
        skip = {OWL + "deprecated", DCT + "isReplacedBy"} if iri in newly_deprecated else set()
        items = _concept_changes(old, new, iri, ref, skip)
        if items:
            changes.changed.append(ConceptChange(ref(iri), items))
    old_s, new_s = old.of_type(SKOS + "ConceptScheme"), new.of_type(SKOS + "ConceptScheme")
    for iri in sorted(old_s | new_s):
        items = _generic_changes(old, new, iri, skip=())
        if items:
            changes.schemes.append(ConceptChange(ref(iri), items))
    concepts_and_schemes = old_c | new_c | old_s | new_s
    others_old = set(old.iri_subjects) - concepts_and_schemes
    others_new = set(new.iri_subjects) - concepts_and_schemes
    changes.others_added = refs(others_new - others_old)
    changes.others_removed = refs(others_old - others_new)
    for iri in sorted(others_old & others_new):
        items = _generic_changes(old, new, iri, skip=())
        if items:
            changes.others.append(ConceptChange(ref(iri), items))
    return changes


def _version(index: _Index) -> str | None:
    versions = sorted(
        {
            o.value
            for s in index.of_type(SKOS + "ConceptScheme")
            for o in index.values(s, OWL + "versionInfo")
            if term_kind(o) == "Literal"
        }
    )
    return versions[0] if len(versions) == 1 else None


def _by_lang(index: _Index, iri: str, prop: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for o in index.values(iri, prop):
        lang = (o.language or "") if term_kind(o) == "Literal" else ""
        out.setdefault(lang, set()).add(o.value if term_kind(o) == "Literal" else index.text(o))
    return out


def _concept_changes(old: _Index, new: _Index, iri: str, ref, skip: set[str]) -> list[Change]:
    items: list[Change] = []

    def show(i: str) -> str:
        r = ref(i)
        return (r.label and f"{r.label} ({curie(i, new.prefixes)})") or f"<{i}>"

    # labels, definitions and notes, per language
    for prop, kind in (
        [(p, "label") for p in LABELS] + [(SKOS + "definition", "definition")] + [(p, "note") for p in NOTES]
    ):
        a, b = _by_lang(old, iri, prop), _by_lang(new, iri, prop)
        for lang in sorted(set(a) | set(b)):
            va, vb = a.get(lang, set()), b.get(lang, set())
            if va != vb:
                items.append(Change(kind, curie(prop), lang or None, sorted(va - vb), sorted(vb - va)))
    # hierarchy: broader read in both directions, reported on the narrower concept
    ba = old.iris(iri, SKOS + "broader", inverse=SKOS + "narrower")
    bb = new.iris(iri, SKOS + "broader", inverse=SKOS + "narrower")
    if ba != bb:
        items.append(
            Change("moved", "skos:broader", None, sorted(show(i) for i in ba - bb), sorted(show(i) for i in bb - ba))
        )
    ta = old.iris(iri, SKOS + "topConceptOf", inverse=SKOS + "hasTopConcept")
    tb = new.iris(iri, SKOS + "topConceptOf", inverse=SKOS + "hasTopConcept")
    if ta != tb:
        items.append(
            Change("top", "skos:topConceptOf", None, sorted(show(i) for i in ta - tb), sorted(show(i) for i in tb - ta))
        )
    ra = old.iris(iri, SKOS + "related", inverse=SKOS + "related")
    rb = new.iris(iri, SKOS + "related", inverse=SKOS + "related")
    if ra != rb:
        items.append(
            Change("relation", "skos:related", None, sorted(show(i) for i in ra - rb), sorted(show(i) for i in rb - ra))
        )
    for prop in MAPPINGS:
        ma, mb = old.iris(iri, prop), new.iris(iri, prop)
        if ma != mb:
            items.append(
                Change(
                    "mapping",
                    curie(prop),
                    None,
                    sorted(_iri_text(i, new) for i in ma - mb),
                    sorted(_iri_text(i, new) for i in mb - ma),
                )
            )
    # review responses, summarised
    ra_, rb_ = _responses(old, iri), _responses(new, iri)
    if ra_ != rb_:
        items.append(Change("review", "sstx:reviewResponse", None, sorted(ra_ - rb_), sorted(rb_ - ra_)))
    handled = (
        set(LABELS)
        | {SKOS + "definition"}
        | set(NOTES)
        | set(HIERARCHY)
        | {SKOS + "related"}
        | set(MAPPINGS)
        | {REVIEW}
        | skip
    )
    items.extend(_generic_changes(old, new, iri, skip=handled))
    return items


def _iri_text(iri: str, index: _Index) -> str:
    c = curie(iri, index.prefixes)
    return c if c != iri else f"<{iri}>"


def _responses(index: _Index, iri: str) -> set[str]:
    """Each review response as one line: OFFICE: response (date): note."""
    out = set()
    for node in index.values(iri, REVIEW):
        pm = index.props.get(node, {})
        agents = [
            index.name(o.value) or _iri_text(o.value, index)
            for o in pm.get(PROV + "wasAssociatedWith", [])
            if term_kind(o) == "NamedNode"
        ]
        kinds = [o.value.rsplit("#", 1)[-1] for o in pm.get(SSTX + "responseType", []) if term_kind(o) == "NamedNode"]
        dates = [o.value for o in pm.get(DCT + "date", []) if term_kind(o) == "Literal"]
        notes = [o.value for o in pm.get(RDFS + "comment", []) if term_kind(o) == "Literal"]
        text = f"{', '.join(agents) or '?'}: {', '.join(kinds) or '?'}"
        if dates:
            text += f" ({', '.join(sorted(dates))})"
        if notes:
            text += ": " + " / ".join(sorted(notes))
        out.add(text if term_kind(node) == "BlankNode" else f"{text} <{node.value}>")
    return out


def _generic_changes(old: _Index, new: _Index, iri: str, skip) -> list[Change]:
    items = []
    a, b = old.iri_subjects.get(iri, {}), new.iri_subjects.get(iri, {})
    for prop in sorted(set(a) | set(b), key=lambda p: (p not in STATUS, curie(p))):
        if prop in skip:
            continue
        va = {old.text(o) for o in a.get(prop, [])}
        vb = {new.text(o) for o in b.get(prop, [])}
        if va != vb:
            kind = "status" if prop in STATUS else "property"
            items.append(Change(kind, curie(prop), None, sorted(va - vb), sorted(vb - va)))
    return items


# --------------------------------------------------------------------------------------------
# rendering
# --------------------------------------------------------------------------------------------

_NAMES = {
    "skos:prefLabel": "preferred label",
    "skos:altLabel": "alternative label",
    "skos:hiddenLabel": "hidden label",
    "skos:definition": "definition",
    "skos:related": "related concept",
    "skos:scopeNote": "scope note",
    "skos:example": "example",
    "skos:note": "note",
    "skos:historyNote": "history note",
    "skos:editorialNote": "editorial note",
    "skos:changeNote": "change note",
    "skos:exactMatch": "exact match",
    "skos:closeMatch": "close match",
    "skos:broadMatch": "broad match",
    "skos:narrowMatch": "narrow match",
    "skos:relatedMatch": "related match",
    "sstx:reviewStatus": "review status",
    "sstx:reviewResponse": "review response",
}


def _summary(c: Changes) -> str:
    parts = [
        f"{len(c.added)} added",
        f"{len(c.removed)} removed",
        f"{len(c.deprecated)} deprecated",
        f"{len(c.changed)} changed",
    ]
    return f"{c.old_concepts} -> {c.new_concepts} concepts: " + ", ".join(parts)


def render_text(c: Changes) -> str:
    """A plain-text report, one line per change."""

    def side(name: str, version: str | None) -> str:
        return f"{name} (version {version})" if version else name

    out = [f"Comparing {side(c.old, c.old_version)} with {side(c.new, c.new_version)}", _summary(c)]
    if not c.differ:
        out.append("No differences.")
        return "\n".join(out) + "\n"
    if c.removed:
        out += [
            "",
            f"REMOVED WITHOUT DEPRECATION ({len(c.removed)}): the IRIs of a published vocabulary must never disappear.",
            "Restore each one and deprecate it instead (owl:deprecated true, dcterms:isReplacedBy, "
            "a skos:changeNote saying why and when):",
        ]
        out += [f"  - {r.text()}" for r in c.removed]
    if c.added:
        out += ["", "Added:"] + [f"  + {r.text()}" for r in c.added]
    if c.deprecated:
        out += ["", "Deprecated:"]
        for d in c.deprecated:
            line = f"  ~ {d.concept.text()}"
            line += (
                ", replaced by " + ", ".join(r.text() for r in d.replaced_by)
                if d.replaced_by
                else ", no replacement given"
            )
            out.append(line)
            out += [f"      why: {r}" for r in d.reasons]
    for title, group in (
        ("Changed:", c.changed),
        ("Concept scheme metadata:", c.schemes),
        ("Other resources changed:", c.others),
    ):
        if group:
            out += ["", title]
            for cc in group:
                out.append(f"  {cc.concept.text()}")
                for ch in cc.changes:
                    out += _text_change(ch)
    if c.others_added:
        out += ["", "Other resources added:"] + [f"  + {r.text()}" for r in c.others_added]
    if c.others_removed:
        out += ["", "Other resources removed:"] + [f"  - {r.text()}" for r in c.others_removed]
    return "\n".join(out) + "\n"


def _text_change(ch: Change) -> list[str]:
    name = ch.property + (f"@{ch.language}" if ch.language else "")
    if ch.kind == "definition" or (ch.kind == "note" and len(ch.old) <= 1 and len(ch.new) <= 1 and ch.old and ch.new):
        lines = [f"    {name}:"]
        lines += [f"      - {v}" for v in ch.old]
        lines += [f"      + {v}" for v in ch.new]
        return lines
    if ch.kind == "moved":
        return [f"    moved: broader {_list(ch.old) or '(none)'} -> {_list(ch.new) or '(none)'}"]
    if ch.kind == "top":
        if ch.new and not ch.old:
            return [f"    now a top concept of {_list(ch.new)}"]
        if ch.old and not ch.new:
            return [f"    no longer a top concept of {_list(ch.old)}"]
    if len(ch.old) == 1 and len(ch.new) == 1:
        return [f"    {name}: {_quote(ch.old[0], ch)} -> {_quote(ch.new[0], ch)}"]
    return [f"    {name}: - {_quote(v, ch)}" for v in ch.old] + [f"    {name}: + {_quote(v, ch)}" for v in ch.new]


def _quote(v: str, ch: Change) -> str:
    return json.dumps(v, ensure_ascii=False) if ch.kind in ("label", "note", "definition") else v


def _list(values: list[str]) -> str:
    return ", ".join(values)


def _md_ref(r: Ref) -> str:
    c = curie(r.iri)
    code = f"`{c}`" if c != r.iri else f"<{r.iri}>"
    return f"**{r.label}** ({code})" if r.label else code


def _md_title(c: Changes) -> str:
    """Name the versions (owl:versionInfo), not the revisions."""
    if c.old_version and c.new_version and c.old_version != c.new_version:
        return f"{c.new_version} (changes since {c.old_version})"
    if c.old_version:
        return f"Unreleased changes since {c.old_version}"
    return f"Changes from {c.old} to {c.new}"


def render_markdown(c: Changes, date: str | None = None) -> str:
    """A changelog entry a person would paste into release notes."""
    day = date or _dt.date.today().isoformat()
    out = [f"## {_md_title(c)} - {day}", ""]
    if not c.differ:
        return "\n".join(out + ["No changes.", ""])
    out += [_summary(c).replace("->", "→") + ".", ""]
    if c.removed:
        out += [
            f"> **Warning: {len(c.removed)} concept(s) removed instead of deprecated.** The IRIs of a published "
            "vocabulary must never disappear: restore each one and deprecate it (`owl:deprecated true`, "
            "`dcterms:isReplacedBy`, a `skos:changeNote`).",
            ">",
        ]
        out += [f"> - {_md_ref(r)}" for r in c.removed]
        out.append("")
    if c.added:
        out += ["### Added", ""] + [f"- {_md_ref(r)}" for r in c.added] + [""]
    if c.deprecated:
        out += ["### Deprecated", ""]
        for d in c.deprecated:
            line = f"- {_md_ref(d.concept)}"
            line += (
                ", replaced by " + ", ".join(_md_ref(r) for r in d.replaced_by) if d.replaced_by else ", no replacement"
            )
            if d.reasons:
                line += ": " + " ".join(d.reasons)
            out.append(line)
        out.append("")
    for title, group in (("Changed", c.changed), ("Concept scheme metadata", c.schemes), ("Other resources", c.others)):
        if not group:
            continue
        out += [f"### {title}", ""]
        for cc in group:
            out.append(f"- {_md_ref(cc.concept)}")
            for ch in cc.changes:
                out += ["  " + line for line in _md_change(ch)]
        out.append("")
    if c.others_added or c.others_removed:
        if not c.others:
            out += ["### Other resources", ""]
        out += [f"- added {_md_ref(r)}" for r in c.others_added]
        out += [f"- removed {_md_ref(r)}" for r in c.others_removed]
        out.append("")
    return "\n".join(out)


def _md_change(ch: Change) -> list[str]:
    lang = f" ({ch.language})" if ch.language else ""
    name = _NAMES.get(ch.property, f"`{ch.property}`") + lang
    if ch.kind == "definition":
        lines = [f"- {name} changed:" if ch.old and ch.new else f"- {name} {'added' if ch.new else 'removed'}:"]
        lines += [f"  - before: {v}" for v in ch.old]
        lines += [f"  - after: {v}" for v in ch.new]
        return lines
    if ch.kind == "moved":
        return [f"- moved: broader was {_list(ch.old) or '(none)'}, now {_list(ch.new) or '(none)'}"]
    if ch.kind == "top":
        if ch.new and not ch.old:
            return [f"- now a top concept of {_list(ch.new)}"]
        if ch.old and not ch.new:
            return [f"- no longer a top concept of {_list(ch.old)}"]
    if ch.kind == "review":
        return [f"- review: {v}" for v in ch.new] + [f"- review response withdrawn: {v}" for v in ch.old]
    if len(ch.old) == 1 and len(ch.new) == 1:
        return [f"- {name}: {_quote(ch.old[0], ch)} → {_quote(ch.new[0], ch)}"]
    return [f"- {name} added: {_quote(v, ch)}" for v in ch.new] + [f"- {name} removed: {_quote(v, ch)}" for v in ch.old]


def render_json(c: Changes) -> str:
    return json.dumps(c.as_dict(), indent=2, ensure_ascii=False) + "\n"


def append_changelog(entry: str, path: str | os.PathLike[str] = "CHANGELOG.md") -> Path:
    """Add a Markdown entry to a changelog (newest first, below its title), atomically."""
    from .files import write_atomic

    target = Path(path)
    current = target.read_text(encoding="utf-8") if target.exists() else "# Changelog\n"
    lines = current.splitlines(keepends=True)
    # keep a leading "# Title" and the paragraph under it on top; the entry goes before the first "## "
    at = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
    head = "".join(lines[:at]).rstrip("\n") + "\n\n"
    tail = "".join(lines[at:])
    write_atomic(target, head + entry.rstrip("\n") + "\n" + ("\n" + tail if tail else ""))
    return target
