"""Edits: code actions, rename and formatting.

Every edit is checked before it is offered: the new text must parse and give exactly
the graph intended (the old triples, minus those removed, plus those added).  A small
edit is tried first (a new line after the subject, a value moved); when it cannot be
made small and exact, the file's canonical layout from :func:`sst_vocab.fmt.format_text`
with the change applied is offered instead, and the title says the file is reformatted.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from lsprotocol import types as lsp

from ..errors import VocabError
from ..namespaces import DCT, OWL, PREFIXES, RDF_TYPE, SKOS, STATUS_PROPS, curie
from .completion import prefix_line_edit
from .navigation import _objects, _subjects, label_of, prefixes_for, types_of
from .positions import Lines, path_to_uri
from .terms import KNOWN_NAMESPACES
from .workspace import Workspace, _signature, declared_prefixes, expand_term, parse_text

__all__ = ["code_actions", "format_document", "prepare_rename", "released_in", "rename"]


class Refused(Exception):
    """A request that cannot be done; the message says why and what to do instead."""


# ---------------------------------------------------------------------------------------------
# writing terms and checking edits
# ---------------------------------------------------------------------------------------------


def _write(term, text: str) -> str:
    """A term in Turtle, IRIs with the file's prefixes when one fits."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        short = curie(term.value, declared_prefixes(text))
        return short if short != term.value else f"<{term.value}>"
    if isinstance(term, ox.Literal):
        value = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{value}"@{term.language}'
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return f'"{value}"'
        if dt == "http://www.w3.org/2001/XMLSchema#boolean" and term.value in ("true", "false"):
            return term.value
        short = curie(dt, declared_prefixes(text))
        return f'"{value}"^^' + (short if short != dt else f"<{dt}>")
    return str(term)


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _graph_ok(new_text: str, path: str, old_triples, add: list, remove: list) -> bool:
    try:
        triples, _ = parse_text(new_text, path)
    except VocabError:
        return False
    want = _signature(old_triples)
    want.subtract(_signature(remove))
    want.update(_signature(add))
    want = Counter({k: v for k, v in want.items() if v > 0})
    got = _signature(triples)
    return set(got) == set(want)


def _subject_token_end(text: str, line: int) -> tuple[int, bool]:
    """The end of the subject term on (1-based) ``line``; and whether the rest of the line is empty."""
    lines = Lines(text)
    start = lines.starts[line - 1]
    row = lines.line_text(line - 1)
    m = re.match(r"\s*(<[^>]*>|\S+?)(?=\s|;|$)", row)
    end = start + (m.end() if m else len(row))
    rest = row[(m.end() if m else len(row)) :].split("#", 1)[0].strip()
    return end, not rest


def _indent(text: str, line: int) -> str:
    lines = Lines(text)
    nxt = lines.line_text(line)  # the line after the subject's (0-based index = 1-based line)
    m = re.match(r"[ \t]+", nxt)
    return m.group() if m else "    "


class FileEdit:
    """Triples to add to and remove from one file, turned into a checked text edit."""

    def __init__(self, ws: Workspace, path: str) -> None:
        self.ws = ws
        self.path = path
        state = ws.state(path)
        self.text = state.text if state else ""
        self.ok = state is not None and not state.broken
        self.triples = list(state.triples) if state else []
        self.add: list = []
        self.remove: list = []
        self.prefixes: dict[str, str] = {}

    def need_prefix(self, iri: str) -> None:
        declared = declared_prefixes(self.text)
        if curie(iri, declared) != iri:
            return
        known = {**KNOWN_NAMESPACES, **self.ws.prefixes()}
        for prefix, ns in sorted(known.items(), key=lambda kv: -len(kv[1])):
            if prefix and iri.startswith(ns) and prefix not in declared and re.fullmatch(r"[\w-]+", iri[len(ns) :]):
                self.prefixes[prefix] = ns
                return

    def edits(self, encoding: str) -> tuple[list[lsp.TextEdit], bool] | None:
        """(edits, reformatted) or None when the change cannot be made safely."""
        if not self.ok:
            return None
        base = self.text
        with_prefixes = base
        for prefix, ns in self.prefixes.items():
            e = prefix_line_edit(with_prefixes, prefix, ns, Lines(with_prefixes))
            off = Lines(with_prefixes).offset(e.range.start.line, e.range.start.character)
            with_prefixes = with_prefixes[:off] + e.new_text + with_prefixes[off:]
        small = self._small(with_prefixes)
        if small is not None and _graph_ok(small, self.path, self.triples, self.add, self.remove):
            return [_whole_or_diff(base, small, encoding)], False
        from ..fmt import format_text

        remove = set(self.remove)
        try:
            out = format_text(base, self.path, transform=lambda ts: [t for t in ts if t not in remove] + list(self.add))
        except VocabError:
            return None
        return [_whole_or_diff(base, out, encoding)], True

    def _small(self, text: str) -> str | None:
        outline_subjects = _subject_lines(text, self.path)
        edits: list[tuple[int, int, str]] = []
        by_subject: dict[str, list] = {}
        for t in self.add:
            by_subject.setdefault(t.subject.value, []).append(t)
        for subject, triples in by_subject.items():
            line = outline_subjects.get(subject)
            if line is None:
                return None
            end, alone = _subject_token_end(text, line)
            body = " ;\n".join(f"{_write(t.predicate, text)} {_write(t.object, text)}" for t in triples)
            if alone:
                line_end = text.find("\n", end)
                line_end = len(text) if line_end < 0 else line_end
                edits.append(
                    (
                        line_end,
                        line_end,
                        "\n" + _indent(text, line) + body.replace(" ;\n", " ;\n" + _indent(text, line)) + " ;",
                    )
                )
            else:
                edits.append((end, end, " " + body.replace("\n", " ") + " ;"))
        for t in self.remove:
            found = _remove_value(text, outline_subjects.get(t.subject.value), t)
            if found is None:
                return None
            edits.append(found)
        return _apply(text, edits)


def _subject_lines(text: str, path: str) -> dict[str, int]:
    from ..turtle_lex import outline

    try:
        return outline(text).subjects
    except Exception:  # noqa: BLE001 - text being typed; no outline means no actions, not a crash
        return {}


def _remove_value(text: str, line: int | None, triple) -> tuple[int, int, str] | None:
    """The edit that removes one value written in the subject's block (same predicate, in its object list)."""
    if line is None:
        return None
    lines = Lines(text)
    block_start = lines.starts[line - 1]
    m = re.compile(r"\n\s*\n|\n(?=\S)").search(text, block_start + 1)
    block_end = m.start() if m else len(text)
    block = text[block_start:block_end]
    value = _write(triple.object, text)
    pred = _write(triple.predicate, text)
    # the only value of the predicate: drop "pred value ;" (or "; pred value" before the final dot)
    for pattern in (
        re.escape(pred) + r"\s+" + re.escape(value) + r"\s*;[ \t]*\n?[ \t]*",
        r"\s*;\s*" + re.escape(pred) + r"\s+" + re.escape(value) + r"(?=\s*\.)",
    ):
        found = re.search(pattern, block)
        if found:
            return block_start + found.start(), block_start + found.end(), ""
    # one value of a list: "value ," or ", value"
    for pattern in (re.escape(value) + r"\s*,\s*", r"\s*,\s*" + re.escape(value)):
        found = re.search(pattern, block)
        if found:
            return block_start + found.start(), block_start + found.end(), ""
    return None


def _whole_or_diff(old: str, new: str, encoding: str) -> lsp.TextEdit:
    """One edit replacing the lines that differ (common leading and trailing lines kept)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    lines = Lines(old, encoding)
    start = sum(len(x) for x in a[:head])
    end = len(old) - sum(len(x) for x in a[len(a) - tail :]) if tail else len(old)
    replacement = "".join(b[head : len(b) - tail])
    return lsp.TextEdit(
        range=lsp.Range(lsp.Position(*lines.position(start)), lsp.Position(*lines.position(end))), new_text=replacement
    )


def _workspace_edit(ws: Workspace, changes: dict[str, list[lsp.TextEdit]]) -> lsp.WorkspaceEdit:
    return lsp.WorkspaceEdit(changes={path_to_uri(p): e for p, e in changes.items()})


# ---------------------------------------------------------------------------------------------
# code actions
# ---------------------------------------------------------------------------------------------


def _node(iri: str):
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def _triple(s: str, p: str, o):
    import pyoxigraph as ox

    return ox.Triple(_node(s), _node(p), o if not isinstance(o, str) else _node(o))


def _home(ws: Workspace, iri: str) -> str | None:
    where = ws.locations(iri)
    return where[0][0] if where else None


def _action(
    ws: Workspace,
    title: str,
    per_file: dict[str, tuple[list, list]],
    encoding: str,
    diagnostics=None,
    preferred: bool = False,
    prefixes: tuple[str, ...] = (),
) -> lsp.CodeAction | None:
    changes: dict[str, list[lsp.TextEdit]] = {}
    reformats = False
    for path, (adds, removes) in per_file.items():
        fe = FileEdit(ws, path)
        fe.add, fe.remove = adds, removes
        for t in adds:
            for term in (t.predicate, t.object):
                if hasattr(term, "value") and type(term).__name__ == "NamedNode":
                    fe.need_prefix(term.value)
            if type(t.object).__name__ == "Literal":
                fe.need_prefix(t.object.datatype.value)
        result = fe.edits(encoding)
        if result is None:
            return None
        edits, reformatted = result
        reformats = reformats or reformatted
        changes[path] = edits
    if reformats:
        title += " (reformats the file)"
    return lsp.CodeAction(
        title=title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=diagnostics or None,
        is_preferred=preferred or None,
        edit=_workspace_edit(ws, changes),
    )


def _subject_at_line(ws: Workspace, path: str, line0: int) -> str | None:
    """The subject whose block contains (0-based) ``line0``."""
    state = ws.state(path)
    if state is None or state.outline is None:
        return None
    best = None
    for iri, line in state.outline.subjects.items():
        if line - 1 <= line0 and (best is None or line > best[1]):
            best = (iri, line)
    return best[0] if best else None


def code_actions(
    ws: Workspace, path: str, rng: lsp.Range, diagnostics: list[lsp.Diagnostic], encoding: str
) -> list[lsp.CodeAction]:
    """Quick fixes for the block under the cursor and the diagnostics in the request."""
    import pyoxigraph as ox

    out: list[lsp.CodeAction] = []
    state = ws.state(path)
    if state is None:
        return out
    # undeclared prefixes: add the PREFIX line (or use a declared prefix that looks the same)
    for d in diagnostics:
        if d.code == "undeclared-prefix" and isinstance(d.data, dict) and "prefix" in d.data:
            out.extend(_prefix_fixes(ws, path, d, encoding))
    if state.broken:
        return out
    subject = _subject_at_line(ws, path, rng.start.line)
    if subject is None:
        return out
    related = [d for d in diagnostics if isinstance(d.data, dict) and d.data.get("focus") == subject]

    def diags(*prefixes: str):
        return [d for d in related if str(d.code or "").startswith(prefixes)] or None

    types = types_of(ws, subject)
    inverse_pairs = [
        (SKOS + "broader", SKOS + "narrower"),
        (SKOS + "narrower", SKOS + "broader"),
        (SKOS + "hasTopConcept", SKOS + "topConceptOf"),
        (SKOS + "topConceptOf", SKOS + "hasTopConcept"),
        (SKOS + "related", SKOS + "related"),
    ]
    for prop, inverse in inverse_pairs:
        for other in _objects(ws, subject, prop):
            if not isinstance(other, ox.NamedNode) or other.value == subject:
                continue
            if _node(subject) in _objects(ws, other.value, inverse):
                continue
            home = _home(ws, other.value)
            if home is None:
                continue
            t = _triple(other.value, inverse, subject)
            name = label_of(ws, other.value) or curie(other.value, prefixes_for(ws, path))
            action = _action(
                ws,
                f"Add the inverse: {curie(inverse, PREFIXES)} {curie(subject, prefixes_for(ws, path))} to {name}",
                {home: ([t], [])},
                encoding,
                diags("REL-04"),
                preferred=True,
            )
            if action:
                out.append(action)
    # skos:inScheme for a concept in no scheme
    if (
        SKOS + "Concept" in types
        and not _objects(ws, subject, SKOS + "inScheme")
        and not _objects(ws, subject, SKOS + "topConceptOf")
    ):
        schemes = sorted(
            {
                q.subject.value
                for q in ws.store.quads_for_pattern(
                    None, _node(RDF_TYPE), _node(SKOS + "ConceptScheme"), ox.DefaultGraph()
                )
                if isinstance(q.subject, ox.NamedNode)
            }
        )
        for scheme in schemes[:5]:
            action = _action(
                ws,
                f"Add skos:inScheme {curie(scheme, prefixes_for(ws, path))}",
                {path: ([_triple(subject, SKOS + "inScheme", scheme)], [])},
                encoding,
                diags("SCH-03"),
                preferred=len(schemes) == 1,
            )
            if action:
                out.append(action)
    # a second preferred label in one language -> an alternative label
    by_lang: dict[str, list] = {}
    for lit in _objects(ws, subject, SKOS + "prefLabel"):
        if isinstance(lit, ox.Literal):
            by_lang.setdefault((lit.language or "").lower(), []).append(lit)
    for lits in by_lang.values():
        if len(lits) < 2:
            continue
        for lit in sorted(lits, key=lambda x: x.value):
            action = _action(
                ws,
                f'Make "{lit.value}"{"@" + lit.language if lit.language else ""} an alternative label',
                {path: ([_triple(subject, SKOS + "altLabel", lit)], [_triple(subject, SKOS + "prefLabel", lit)])},
                encoding,
                diags("LBL-01"),
            )
            if action:
                out.append(action)
    # deprecation
    deprecated = any(v.value.lower() in ("true", "1") for v in _objects(ws, subject, OWL + "deprecated"))
    if SKOS + "Concept" in types and not deprecated:
        out.extend(deprecation_actions(ws, path, subject, encoding))
    return out


def deprecation_actions(ws: Workspace, path: str, subject: str, encoding: str) -> list[lsp.CodeAction]:
    """Deprecate the concept: ``owl:deprecated true`` and, for each likely replacement, ``dcterms:isReplacedBy``."""
    import pyoxigraph as ox

    true = ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    prefixes = prefixes_for(ws, path)
    name = label_of(ws, subject) or curie(subject, prefixes)
    out = []
    candidates = [
        v.value
        for p in (SKOS + "broader", SKOS + "related")
        for v in _objects(ws, subject, p)
        if isinstance(v, ox.NamedNode)
    ]
    candidates += [s.value for s in _subjects(ws, SKOS + "narrower", subject)]
    for other in list(dict.fromkeys(candidates))[:5]:
        action = _action(
            ws,
            f"Deprecate {name}, replaced by {label_of(ws, other) or curie(other, prefixes)}",
            {path: ([_triple(subject, OWL + "deprecated", true), _triple(subject, DCT + "isReplacedBy", other)], [])},
            encoding,
        )
        if action:
            action.kind = lsp.CodeActionKind.RefactorRewrite
            out.append(action)
    action = _action(
        ws,
        f"Deprecate {name} (then add dcterms:isReplacedBy <replacement>)",
        {path: ([_triple(subject, OWL + "deprecated", true)], [])},
        encoding,
    )
    if action:
        action.kind = lsp.CodeActionKind.RefactorRewrite
        out.append(action)
    return out


def _prefix_fixes(ws: Workspace, path: str, d: lsp.Diagnostic, encoding: str) -> list[lsp.CodeAction]:
    import difflib

    state = ws.state(path)
    if state is None or not d.data:
        return []
    prefix = d.data["prefix"]
    text = state.text
    lines = Lines(text, encoding)
    declared = declared_prefixes(text)
    known = {**KNOWN_NAMESPACES, **ws.prefixes()}
    out = []
    if prefix in known:
        ns = known[prefix]
        out.append(
            lsp.CodeAction(
                title=f"Add PREFIX {prefix}: <{ns}>",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[d],
                is_preferred=True,
                edit=lsp.WorkspaceEdit(changes={path_to_uri(path): [prefix_line_edit(text, prefix, ns, lines)]}),
            )
        )
    for close in difflib.get_close_matches(prefix, [p for p in declared if p], n=2, cutoff=0.6):
        out.append(
            lsp.CodeAction(
                title=f"Change to {close}:",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[d],
                edit=lsp.WorkspaceEdit(
                    changes={
                        path_to_uri(path): [
                            lsp.TextEdit(
                                range=lsp.Range(
                                    d.range.start,
                                    lsp.Position(d.range.start.line, d.range.start.character + len(prefix)),
                                ),
                                new_text=close,
                            )
                        ]
                    }
                ),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# rename
# ---------------------------------------------------------------------------------------------

_RELEASED_STATUSES = {"accepted", "stable", "experimental", "superseded", "retired", "deprecated"}


def released_in(ws: Workspace, iri: str) -> str | None:
    """Where ``iri`` was already published, or None while it is a draft.

    Published: deprecated, a registry status only a published item has (stable,
    superseded...), described in a version tag (``v1.2.3``) of the workspace's git
    repository, or in a release file (``sst-vocab-*.ttl`` under ``release/`` or
    ``dist/release/``).
    """
    if any(v.value.lower() in ("true", "1") for v in _objects(ws, iri, OWL + "deprecated")):
        return "it is deprecated"
    for prop in STATUS_PROPS:
        for v in _objects(ws, iri, prop):
            name = v.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if name in _RELEASED_STATUSES:
                return f"its status is {name}"
    for root in ws.roots:
        for folder in (
            os.path.join(root, "release"),
            os.path.join(root, "dist", "release"),
            os.path.join(os.path.dirname(root), "release"),
            os.path.join(os.path.dirname(root), "dist", "release"),
        ):
            if os.path.isdir(folder):
                for name in sorted(os.listdir(folder)):
                    if name.endswith((".ttl", ".nt")):
                        try:
                            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                                content = f.read()
                        except OSError:
                            continue
                        from .workspace import iri_uses

                        if (f"<{iri}>" in content) if name.endswith(".nt") else (iri in iri_uses(content)):
                            return f"it is in the release file {os.path.join(folder, name)}"
    tag = _in_release_tag(ws, iri)
    if tag:
        return f"it is in release {tag}"
    return None


def _in_release_tag(ws: Workspace, iri: str) -> str | None:
    import subprocess

    files = list(ws.files)
    if not files:
        return None
    folder = os.path.dirname(files[0])
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, timeout=10
        )
        if top.returncode != 0:
            return None
        root = top.stdout.strip()
        tags = subprocess.run(
            ["git", "tag", "--list", "v[0-9]*", "--sort=-v:refname"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    rels = sorted({os.path.relpath(f, root) for f in files if not os.path.relpath(f, root).startswith("..")})
    local = re.split(r"[/#]", iri)[-1]
    for tag in tags:
        for rel in rels:
            blob = subprocess.run(["git", "show", f"{tag}:{rel}"], cwd=root, capture_output=True, timeout=10)
            if blob.returncode != 0:
                continue
            text = blob.stdout.decode("utf-8", "replace")
            if local not in text:
                continue
            from .workspace import iri_uses

            if iri in iri_uses(text):
                return tag
    return None


def prepare_rename(ws: Workspace, path: str, offset: int, encoding: str) -> lsp.Range:
    from .navigation import iri_at

    found = iri_at(ws, path, offset)
    state = ws.state(path)
    if found is None or state is None:
        raise Refused("Put the cursor on an IRI or prefixed name to rename it.")
    if state.broken:
        raise Refused("This file does not parse; fix the syntax error before renaming.")
    iri, start, end = found
    if not ws.locations(iri):
        raise Refused(f"<{iri}> is not described in this workspace, so it is not renamed here.")
    why = released_in(ws, iri)
    if why:
        raise Refused(
            f"<{iri}> cannot be renamed: {why}, and a published IRI must never change. "
            'Deprecate it instead (code action "Deprecate") and add a new concept.'
        )
    lines = Lines(state.text, encoding)
    return lsp.Range(lsp.Position(*lines.position(start)), lsp.Position(*lines.position(end)))


def rename(ws: Workspace, path: str, offset: int, new_name: str, encoding: str) -> lsp.WorkspaceEdit:
    from .navigation import iri_at

    prepare_rename(ws, path, offset, encoding)
    found = iri_at(ws, path, offset)
    assert found is not None  # prepare_rename refused otherwise
    iri = found[0]
    new_name = new_name.strip()
    prefixes = prefixes_for(ws, path)
    if new_name.startswith("<") and new_name.endswith(">"):
        new_iri = new_name[1:-1]
    elif ":" in new_name:
        new_iri = expand_term(new_name, prefixes) or new_name
    else:
        namespace = re.match(r"(.*[/#:])", iri)
        new_iri = (namespace.group(1) if namespace else "") + new_name
    import pyoxigraph as ox

    try:
        ox.NamedNode(new_iri)
    except ValueError as exc:
        raise Refused(f"{new_name!r} is not a valid IRI: {exc}") from exc
    if not re.match(r"[A-Za-z][\w+.-]*:", new_iri):
        raise Refused(f"{new_name!r} does not make an absolute IRI (write a local name, a CURIE or <IRI>).")
    if new_iri == iri:
        return lsp.WorkspaceEdit(changes={})
    if ws.locations(new_iri) or any(new_iri in ws.uses(p) for p in ws.files):
        raise Refused(f"<{new_iri}> is already used in the workspace; renaming onto it would merge two resources.")
    broken = [p for p, s in ws.files.items() if s.broken and iri in ws.uses(p)]
    if broken:
        raise Refused(f"{broken[0]} uses <{iri}> but does not parse; fix it first so no use is missed.")
    changes: dict[str, list[lsp.TextEdit]] = {}
    for p in list(ws.files):
        spans = ws.uses(p).get(iri)
        state = ws.state(p)
        if not spans or state is None:
            continue
        text = state.text
        lines = Lines(text, encoding)
        edits = []
        for s, e in spans:
            old = text[s:e]
            if old.startswith("<"):
                new = f"<{new_iri}>"
            else:
                short = curie(new_iri, declared_prefixes(text))
                new = short if short != new_iri else f"<{new_iri}>"
            edits.append(
                lsp.TextEdit(
                    range=lsp.Range(lsp.Position(*lines.position(s)), lsp.Position(*lines.position(e))), new_text=new
                )
            )
        changes[path_to_uri(p)] = edits
    return lsp.WorkspaceEdit(changes=changes)


# ---------------------------------------------------------------------------------------------
# formatting
# ---------------------------------------------------------------------------------------------


def format_document(ws: Workspace, path: str, encoding: str) -> list[lsp.TextEdit]:
    """The canonical layout of ``sst-vocab fmt`` as one edit (none when the file is canonical)."""
    from ..fmt import format_text

    state = ws.state(path)
    if state is None:
        return []
    try:
        out = format_text(state.text, path)
    except VocabError as exc:
        raise Refused(f"Not formatted: {exc}") from exc
    if out == state.text:
        return []
    lines = Lines(state.text, encoding)
    end = lines.position(len(state.text))
    return [lsp.TextEdit(range=lsp.Range(lsp.Position(0, 0), lsp.Position(*end)), new_text=out)]
