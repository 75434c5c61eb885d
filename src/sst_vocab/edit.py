"""Editing the vocabulary with one command: which files to edit, adding a concept, deprecating one.

Every editing command (``fmt``, ``add``, ``deprecate``, ``review --record``,
``release --bump``) edits the files it is given or, with none, the ``vocab/``
folder of the project in the current directory (:func:`editing_paths`); the data
installed with the sst-vocab package is never edited.

Changes are made on the parsed triples of each file and written back through the
canonical formatter (:func:`sst_vocab.fmt.format_text`), so a change is one small
block plus the ``PREFIX`` lines it needs, comments are kept, and every file is
checked before any is written (:func:`apply_changes`).
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import VocabError
from .model import SubjectIndex, term_kind
from .namespaces import BASE, DCT, OWL, PREFIXES, RDF_TYPE, RDFS, REG, SKOS, SSTX, XSD, curie, expand

__all__ = [
    "Added",
    "Deprecated",
    "Graph",
    "Link",
    "add_concept",
    "apply_changes",
    "deprecate_concept",
    "editing_paths",
    "find_concept",
    "slug",
]

STATUS_NS = PREFIXES["status"]
#: The registry statuses a deprecation sets: replaced by another concept, or withdrawn without one.
SUPERSEDED = STATUS_NS + "superseded"
RETIRED = STATUS_NS + "retired"
SUBMITTED = STATUS_NS + "submitted"


# --------------------------------------------------------------------------------------------
# which files to edit
# --------------------------------------------------------------------------------------------


def editing_paths(paths: Iterable[str | os.PathLike[str]] | None) -> list[str]:
    """The Turtle files an editing command may change: those given, else ``./vocab/``.

    Refuses (VocabError) the data installed with the sst-vocab package, and a
    current directory with no ``vocab/`` folder when no path is given, saying which
    folder to give.
    """
    from .loader import resolve_paths
    from .resources import installed_data_root

    given = [os.fspath(p) for p in paths] if paths else []
    if not given:
        if not os.path.isdir("vocab"):
            raise VocabError(
                f"there is no vocab/ folder in the current directory ({os.getcwd()}); run this in "
                "your project's folder or give the files or folders to edit",
                options=("paths",),
            )
        given = ["vocab"]
    shipped = installed_data_root()
    files = resolve_paths(given)
    if shipped is not None:
        for f in files:
            real = os.path.realpath(f)
            if real == shipped or real.startswith(shipped + os.sep):
                raise VocabError(
                    f"this is the vocabulary installed with the sst-vocab package ({shipped}), which "
                    "is never edited; copy it into your project (e.g. cp -r it vocab/) and give that "
                    "folder",
                    path=f,
                )
    return files


# --------------------------------------------------------------------------------------------
# reading the graph
# --------------------------------------------------------------------------------------------


class Graph(SubjectIndex):
    """The subject index of a store, with the links into each node, for the editing commands."""

    def __init__(self, store) -> None:
        super().__init__(store)
        self.incoming: dict[object, list[tuple]] = {}
        for subject, props in self.props.items():
            for prop, objects in props.items():
                for o in objects:
                    self.incoming.setdefault(o, []).append((subject, prop))

    def name(self, node) -> str:
        """The node's preferred label (see :mod:`sst_vocab.model`), else its CURIE."""
        return self.label(node) or curie(node.value)


def find_concept(g: SubjectIndex, vocab, text: str):
    """The concept TEXT names: an IRI, a CURIE, a local name or a preferred/alternative label."""
    concepts = g.subjects_of_type(SKOS + "Concept")
    by_iri = {c.value: c for c in concepts}
    prefixes = dict(PREFIXES)
    prefixes.update({k: v for k, v in vocab.prefixes.items() if k})
    stripped = text.strip()
    candidates = [stripped, stripped.strip("<>"), expand(stripped, prefixes) or "", BASE + stripped]
    for c in candidates:
        if c in by_iri:
            return by_iri[c]
    wanted = stripped.lower()
    matches = [
        c
        for c in concepts
        if any(
            term_kind(o) == "Literal" and o.value.lower() == wanted
            for p in (SKOS + "prefLabel", SKOS + "altLabel")
            for o in g.get(c, p)
        )
    ]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise VocabError(
            f"{text!r} is the label of several concepts: "
            + ", ".join(curie(m.value) for m in matches)
            + "; name one by its IRI or CURIE"
        )
    import difflib

    names = {}
    for c in concepts:
        names[curie(c.value)] = c
        label = g.label(c)
        if label:
            names[label] = c
    close = difflib.get_close_matches(stripped, list(names), n=3, cutoff=0.6)
    hint = (
        f"; did you mean {' or '.join(close)}?"
        if close
        else " (give its IRI, a CURIE such as sst:security, its local name or its preferred label)"
    )
    raise VocabError(f"no concept {text!r} in the vocabulary{hint}")


# --------------------------------------------------------------------------------------------
# writing: triples removed and added, file by file, through the formatter
# --------------------------------------------------------------------------------------------


@dataclass
class Written:
    path: str
    was_canonical: bool


def apply_changes(vocab, remove: Iterable = (), add: dict[str, list] | None = None) -> list[Written]:
    """Remove triples wherever they are written and add triples to the given files, through the formatter.

    ``remove`` holds pyoxigraph triples (no blank nodes); ``add`` maps a file of the
    vocabulary to the triples to add there.  Every changed file is formatted and
    checked before any file is written; files whose triples do not change are left
    as they are.  Returns the files written.
    """
    from .files import write_atomic
    from .fmt import format_text, parse_turtle

    removed = set(remove)
    add = add or {}
    plans: list[tuple[str, str, bool]] = []
    for path in vocab.files:
        text = vocab.texts[path]
        extra = add.get(path, [])
        triples, _ = parse_turtle(text, path)
        if not extra and not any(t in removed for t in triples):
            continue

        def transform(ts: list, extra=extra) -> list:
            kept = [t for t in ts if t not in removed]
            have = set(kept)
            return kept + [t for t in extra if t not in have]

        was_canonical = format_text(text, path) == text
        plans.append((path, format_text(text, path, transform=transform), was_canonical))
    unknown = set(add) - set(vocab.files)
    if unknown:
        raise VocabError("is not one of the vocabulary's files", path=sorted(unknown)[0])
    for path, new_text, _ in plans:
        write_atomic(path, new_text)
    return [Written(path, canon) for path, _, canon in plans]


# --------------------------------------------------------------------------------------------
# add
# --------------------------------------------------------------------------------------------


def slug(label: str) -> str:
    """The local name minted from a label: lower case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not text:
        raise VocabError(f"cannot make an IRI from the label {label!r}; give the last part of one", options=("slug",))
    return text


@dataclass
class Added:
    """What :func:`add_concept` wrote."""

    iri: str
    label: str
    broader: str
    broader_label: str
    file: str
    line: int | None
    files: list[Written] = field(default_factory=list)


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("/"), iri.rfind("#"))
    return iri[: cut + 1]


def add_concept(
    label: str,
    broader: str,
    *,
    definition: str | None = None,
    slug_text: str | None = None,
    file: str | None = None,
    lang: str = "en",
    source: str | None = None,
    paths: Iterable[str | os.PathLike[str]] | None = None,
    date: str | None = None,
) -> Added:
    """Add a concept under ``broader``: a complete block, written where its siblings live.

    The block has the label, the definition (if given), an editorial note saying the
    editors added it, ``sstx:termOrigin sstx:editorsTerm``, ``sstx:definitionOrigin
    sstx:editorial``, ``skos:inScheme``, ``rdfs:isDefinedBy`` and ``dcterms:source``
    (those of the broader concept), ``reg:status`` submitted and ``sstx:reviewStatus
    sstx:draft``; the broader concept gets the inverse ``skos:narrower``.  Refuses an
    IRI or a preferred label that the vocabulary already has.
    """
    import pyoxigraph as ox

    from .loader import load

    label = " ".join(label.split())
    if not label:
        raise VocabError("give the new concept's label")
    if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", lang):
        raise VocabError(f"{lang!r} is not a language tag (e.g. en, fr, en-GB)")
    files = editing_paths(paths)
    vocab = load(files)
    g = Graph(vocab.store)
    parent = find_concept(g, vocab, broader)
    if g.is_deprecated(parent):
        raise VocabError(
            f"{curie(parent.value)} is deprecated; put the new concept under a live concept "
            f"(e.g. its replacement {', '.join(map(curie, g.iris(parent, DCT + 'isReplacedBy'))) or '?'})"
        )
    local = slug_text.strip() if slug_text else slug(label)
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", local) or local.endswith("."):
        raise VocabError(f"{local!r} cannot be the last part of an IRI: use letters, digits, '-', '_' and '.'")
    iri = _namespace(parent.value) + local
    node = ox.NamedNode(iri)
    for c in g.subjects_of_type(SKOS + "Concept"):
        for o in g.get(c, SKOS + "prefLabel"):
            if term_kind(o) == "Literal" and o.value.lower() == label.lower() and (o.language or "") == lang.lower():
                loc = vocab.location(c.value)
                where = f" ({loc[0]}:{loc[1]})" if loc else ""
                raise VocabError(
                    f"{label!r}@{lang} is already the preferred label of {curie(c.value)}{where}; "
                    "a preferred label names one concept only"
                )
    if node in g.props:
        loc = vocab.location(iri)
        where = f" ({loc[0]}:{loc[1]})" if loc else ""
        raise VocabError(f"{curie(iri)} already exists{where}; choose another IRI", options=("slug",))
    # where: the file of the siblings, else of the broader concept
    siblings = sorted(
        {n.value for n in g.get(parent, SKOS + "narrower") if term_kind(n) == "NamedNode"}
        | {s.value for s, p in g.incoming.get(parent, []) if p == SKOS + "broader"}
    )
    if file is not None:
        target = next((f for f in vocab.files if os.path.realpath(f) == os.path.realpath(file)), None)
        if target is None:
            raise VocabError("is not one of the files being edited (" + ", ".join(vocab.files) + ")", path=file)
    else:
        placed = [vocab.location(s) for s in siblings]
        counts: dict[str, int] = {}
        for loc in placed:
            if loc:
                counts[loc[0]] = counts.get(loc[0], 0) + 1
        target = (
            max(counts, key=lambda f: (counts[f], -vocab.files.index(f)))
            if counts
            else (vocab.location(parent.value) or (vocab.files[0],))[0]
        )
    day = _date(date)

    def n(local_iri: str):
        return ox.NamedNode(local_iri)

    def text(value: str):
        return ox.Literal(value, language=lang)

    triples = [
        ox.Triple(node, n(RDF_TYPE), n(SKOS + "Concept")),
        ox.Triple(node, n(SKOS + "prefLabel"), text(label)),
        ox.Triple(node, n(SKOS + "broader"), parent),
        ox.Triple(node, n(SSTX + "termOrigin"), n(SSTX + "editorsTerm")),
        ox.Triple(node, n(REG + "status"), n(SUBMITTED)),
        ox.Triple(node, n(SSTX + "reviewStatus"), n(SSTX + "draft")),
    ]
    if definition and definition.strip():
        triples += [
            ox.Triple(node, n(SKOS + "definition"), text(" ".join(definition.split()))),
            ox.Triple(node, n(SSTX + "definitionOrigin"), n(SSTX + "editorial")),
        ]
        note = f"Term and definition added by the sst-vocab editors on {day}; the roundtable does not name this term."
    else:
        note = (
            f"Term added by the sst-vocab editors on {day}; the roundtable does not name this term. No definition yet."
        )
    triples.append(ox.Triple(node, n(SKOS + "editorialNote"), ox.Literal(note, language="en")))
    schemes = g.iris(parent, SKOS + "inScheme") or g.iris(parent, SKOS + "topConceptOf")
    for s in schemes:
        triples.append(ox.Triple(node, n(SKOS + "inScheme"), n(s)))
    for d in g.iris(parent, RDFS + "isDefinedBy") or schemes[:1]:
        triples.append(ox.Triple(node, n(RDFS + "isDefinedBy"), n(d)))
    sources = [source] if source else g.iris(parent, DCT + "source")
    for s in sources:
        triples.append(ox.Triple(node, n(DCT + "source"), n(expand(s) or s.strip("<>")) if source else n(s)))
    add = {target: triples}
    inverse = ox.Triple(parent, n(SKOS + "narrower"), node)
    parent_file = (vocab.location(parent.value) or (target,))[0]
    add.setdefault(parent_file, []).append(inverse)
    written = apply_changes(vocab, add=add)
    after = load(files)
    loc = after.location(iri)
    return Added(
        iri=iri,
        label=label,
        broader=parent.value,
        broader_label=g.name(parent),
        file=target,
        line=loc[1] if loc else None,
        files=written,
    )


def _date(date: str | None) -> str:
    if date is None:
        return _dt.date.today().isoformat()
    try:
        return _dt.date.fromisoformat(date.strip()).isoformat()
    except ValueError as exc:
        raise VocabError(f"{date!r} is not a date; write it as YYYY-MM-DD (e.g. 2006-04-10)") from exc


# --------------------------------------------------------------------------------------------
# deprecate
# --------------------------------------------------------------------------------------------


@dataclass
class Link:
    """One link from a live concept that a deprecation moved or removed."""

    subject: str
    property: str  # CURIE
    old: str
    new: str | None  # the IRIs it now points at, space-separated; None: removed

    def text(self) -> str:
        if self.new is None:
            return f"removed {_c(self.subject)} {self.property} {_c(self.old)}"
        new = ", ".join(_c(n) for n in self.new.split(" "))
        if self.property == "skos:topConceptOf":
            return f"moved {_c(self.subject)} skos:broader {_c(self.old)} -> top concept of {new}"
        return f"moved {_c(self.subject)} {self.property} {_c(self.old)} -> {new}"


def _c(iri: str) -> str:
    """A CURIE, or the IRI in angle brackets."""
    short = curie(iri)
    return short if short != iri else f"<{iri}>"


@dataclass
class Deprecated:
    """What :func:`deprecate_concept` wrote."""

    iri: str
    label: str
    replaced_by: str | None
    status: str
    note: str
    links: list[Link]
    files: list[Written]


_LINKS = (
    SKOS + "broader",
    SKOS + "narrower",
    SKOS + "related",
    SKOS + "broaderTransitive",
    SKOS + "narrowerTransitive",
)
_INVERSE = {
    SKOS + "broader": SKOS + "narrower",
    SKOS + "narrower": SKOS + "broader",
    SKOS + "related": SKOS + "related",
    SKOS + "broaderTransitive": SKOS + "narrowerTransitive",
    SKOS + "narrowerTransitive": SKOS + "broaderTransitive",
}


def deprecate_concept(
    concept: str,
    *,
    replaced_by: str | None = None,
    note: str | None = None,
    paths: Iterable[str | os.PathLike[str]] | None = None,
    date: str | None = None,
) -> Deprecated:
    """Deprecate a concept: the whole pattern, in every file it touches.

    Sets ``owl:deprecated true``, ``dcterms:isReplacedBy`` (when replaced), a
    ``skos:changeNote`` with the date and ``note``, and ``reg:status`` superseded
    (replaced) or retired (not replaced).  Takes it out of the hierarchy: its
    top-concept links and collection memberships go; links between it and live
    concepts are moved to the replacement (its narrower concepts, related links,
    memberships) or removed (its own broader links, and everything when there is no
    replacement, where its narrower concepts move up to its broader concepts).
    Labels, definition and ``skos:inScheme`` stay.
    """
    import pyoxigraph as ox

    from .loader import load

    if not note or not note.strip():
        raise VocabError(
            "say why the concept is deprecated: what happened, or why it is withdrawn when nothing replaces it",
            options=("note", "reason"),
        )
    files = editing_paths(paths)
    vocab = load(files)
    g = Graph(vocab.store)
    node = find_concept(g, vocab, concept)
    if g.is_deprecated(node):
        raise VocabError(f"{curie(node.value)} is already deprecated")
    repl = None
    if replaced_by:
        repl = find_concept(g, vocab, replaced_by)
        if repl == node:
            raise VocabError("a concept cannot replace itself; name another concept", options=("replaced_by",))
        if g.is_deprecated(repl):
            raise VocabError(f"{curie(repl.value)} is itself deprecated; name a live concept", options=("replaced_by",))
    day = _date(date)
    N = ox.NamedNode
    T = ox.Triple
    remove: list = []
    add: list = []  # triples whose subject decides the file
    links: list[Link] = []

    def live(o) -> bool:
        return term_kind(o) == "NamedNode" and o != node and not g.is_deprecated(o)

    parents = [o for o in g.get(node, SKOS + "broader") if live(o)] + [
        s for s, p in g.incoming.get(node, []) if p == SKOS + "narrower" and live(s)
    ]
    parents = list(dict.fromkeys(parents))
    tops = list(
        dict.fromkeys(
            [o for o in g.get(node, SKOS + "topConceptOf") if term_kind(o) == "NamedNode"]
            + [s for s, p in g.incoming.get(node, []) if p == SKOS + "hasTopConcept"]
        )
    )
    # links out of the concept and into it
    for p in _LINKS:
        for o in g.get(node, p):
            if term_kind(o) == "NamedNode":
                remove.append(T(node, N(p), o))
    pairs = {}  # (other, property as seen from the other) -> how
    for p in _LINKS:
        for o in g.get(node, p):
            if live(o):
                pairs[(o, _INVERSE[p])] = True
        for s, sp in g.incoming.get(node, []):
            if sp == p and live(s):
                remove.append(T(s, N(p), node))
                pairs[(s, p)] = True
    for other, prop in pairs:  # prop: how ``other`` points at the concept
        pname = curie(prop)
        target = None
        if prop in (SKOS + "broader", SKOS + "broaderTransitive"):  # ``other`` is a narrower concept
            new_parents = [repl] if repl is not None else [p for p in parents if p != other]
            for np_ in new_parents:
                if np_ != other:
                    add += [T(other, N(prop), np_), T(np_, N(_INVERSE[prop]), other)]
            if not new_parents and prop == SKOS + "broader" and tops:  # it becomes a top concept in its place
                for s in tops:
                    add += [T(other, N(SKOS + "topConceptOf"), s), T(s, N(SKOS + "hasTopConcept"), other)]
                links.append(Link(other.value, "skos:topConceptOf", node.value, " ".join(s.value for s in tops)))
                continue
            links.append(
                Link(other.value, pname, node.value, " ".join(p.value for p in new_parents if p != other) or None)
            )
            continue
        if prop in (SKOS + "related",) and repl is not None and repl != other:
            target = repl
            add += [T(other, N(prop), repl), T(repl, N(prop), other)]
        links.append(Link(other.value, pname, node.value, target.value if target is not None else None))
    # top concept, collections
    for s in g.get(node, SKOS + "topConceptOf"):
        remove.append(T(node, N(SKOS + "topConceptOf"), s))
        links.append(Link(s.value, "skos:hasTopConcept", node.value, None))
    for s, p in g.incoming.get(node, []):
        if p == SKOS + "hasTopConcept":
            remove.append(T(s, N(p), node))
            if not any(link.subject == s.value and link.property == "skos:hasTopConcept" for link in links):
                links.append(Link(s.value, "skos:hasTopConcept", node.value, None))
        if p == SKOS + "member" and term_kind(s) == "NamedNode":
            remove.append(T(s, N(p), node))
            if repl is not None:
                add.append(T(s, N(p), repl))
            links.append(Link(s.value, "skos:member", node.value, repl.value if repl is not None else None))
    # the pattern
    for o in g.get(node, REG + "status"):
        remove.append(T(node, N(REG + "status"), o))
    status = SUPERSEDED if repl is not None else RETIRED
    text = " ".join(note.split())
    change = f"Deprecated on {day}" + (f": replaced by {g.name(repl)}" if repl is not None else "") + f". {text}"
    change = change.rstrip() if change.endswith((".", "!", "?")) else change.rstrip() + "."
    add += [
        T(node, N(OWL + "deprecated"), ox.Literal("true", datatype=N(XSD + "boolean"))),
        T(node, N(SKOS + "changeNote"), ox.Literal(change, language="en")),
        T(node, N(REG + "status"), N(status)),
    ]
    if repl is not None:
        add.append(T(node, N(DCT + "isReplacedBy"), repl))
    by_file: dict[str, list] = {}
    for t in add:
        loc = vocab.location(t.subject.value) or vocab.location(node.value)
        assert loc is not None  # the concept was found in the files
        path = loc[0]
        by_file.setdefault(path, []).append(t)
    added = set(add)
    written = apply_changes(vocab, remove=[t for t in remove if t not in added], add=by_file)
    return Deprecated(
        iri=node.value,
        label=g.name(node),
        replaced_by=repl.value if repl is not None else None,
        status=status,
        note=change,
        links=links,
        files=written,
    )
