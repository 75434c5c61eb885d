"""The language server's picture of the workspace: its Turtle files, parsed, merged and validated.

Files are read and parsed as :func:`sst_vocab.loader.load` reads them (UTF-8 only, no
NUL bytes, a leading BOM dropped, the same pyoxigraph Turtle parser, the same
``FILE:LINE`` errors), except that the text of an open editor buffer wins over the
file on disk.  Each file is parsed on its own and its triples are kept, so an edit
costs one file's parse, and a large file is kept in chunks of statements so that an edit
costs the parse of the chunks it touched (:mod:`.chunks`); the merged store is updated by
the difference (triples are counted, since two files may state the same triple).  A buffer that does not parse
keeps its last good triples in the store, so the rest of the workspace is not
flooded with findings about concepts that only vanished for the length of a typo.

Validation is the same :func:`sst_vocab.validate.validate` as the command line, run
on a :class:`sst_vocab.loader.Vocabulary` over this store.  It is skipped when an
edit does not change the graph (comments, layout, a broken buffer): then the last
report stands and only the lines it points at are recomputed.

Nothing here knows about the protocol: positions are (line, column) in code points,
0-based, and the server converts them.
"""

from __future__ import annotations

import os
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import VocabError
from ..loader import read_text, resolve_paths
from .outlined import OutlinedVocabulary

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from ..loader import Vocabulary
    from ..turtle_lex import TurtleOutline
    from ..validate import Report
    from .chunks import Chunked
    from .incremental import Incremental

__all__ = ["FileState", "SyntaxProblem", "Workspace", "config_paths", "find_root_config"]

#: Folders never searched for Turtle files when no ``[tool.sst-vocab]`` names the folders.
SKIPPED_FOLDERS = {
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".tox",
    ".nox",
    "build",
    "dist",
    "site",
    ".mypy_cache",
    ".pytest_cache",
}


@dataclass(frozen=True)
class SyntaxProblem:
    """Why a file cannot be read or parsed; lines 1-based, columns 1-based (code points)."""

    message: str
    line: int | None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None


@dataclass
class FileState:
    """One Turtle file: its current text (buffer or disk) and what its last good parse gave."""

    path: str
    text: str = ""
    is_open: bool = False
    good_text: str | None = None  # the text the triples and outline below come from
    _triples: frozenset = frozenset()  # the triples, when the file is not kept in chunks
    outline: TurtleOutline | None = None
    problem: SyntaxProblem | None = None
    _uses: tuple[str, dict] | None = None  # (text, iri -> [(start, end)]) for references
    chunked: Chunked | None = None  # the last good text in chunks of statements (see chunks.py)
    chunk_failures: int = 0  # good texts that could not be cut in chunks (tried again every 16th)
    _of: Chunked | None = field(default=None, repr=False, compare=False)  # the chunks _triples was taken from

    @property
    def broken(self) -> bool:
        return self.problem is not None

    @property
    def triples(self) -> frozenset:
        """The file's triples (as of its last good text)."""
        if self.chunked is not None and self._of is not self.chunked:
            self._triples = frozenset(self.chunked.counts)
            self._of = self.chunked
        return self._triples

    @triples.setter
    def triples(self, value: frozenset) -> None:
        self.chunked = None
        self._triples = value


# ---------------------------------------------------------------------------------------------
# configuration: which files make up the workspace
# ---------------------------------------------------------------------------------------------


def find_root_config(root: str) -> dict:
    """The ``[tool.sst-vocab]`` table of ``root/pyproject.toml`` (empty when there is none or it is broken)."""
    path = os.path.join(root, "pyproject.toml")
    if not os.path.isfile(path):
        return {}
    import tomllib

    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    table = data.get("tool", {}).get("sst-vocab", {})
    return table if isinstance(table, dict) else {}


def config_paths(root: str, key: str) -> list[str] | None:
    """``[tool.sst-vocab] KEY = ["folder", ...]`` as absolute paths, or None when not configured."""
    value = find_root_config(root).get(key)
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        return None
    return [os.path.normpath(os.path.join(root, str(v))) for v in value]


def _discover(root: str) -> list[str]:
    """Every ``*.ttl`` under ``root``, skipping hidden, virtual-environment and build folders."""
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
        found.extend(os.path.join(folder, n) for n in sorted(names) if n.endswith(".ttl"))
    return [f for f in found if os.path.isfile(f)]


# ---------------------------------------------------------------------------------------------
# parsing one file the way the loader does
# ---------------------------------------------------------------------------------------------


def parse_text(text: str, path: str) -> tuple[list, dict[str, str]]:
    """Parse a buffer through the reading layer, as every command reads the file (its own
    ``file://`` base, or ``--base``); raise VocabError (its __cause__ keeps the exact position)."""
    from ..reading import parse

    parsed = parse(text.encode("utf-8", "surrogatepass"), path)
    return parsed.triples, parsed.prefixes


def problem_of(exc: VocabError) -> SyntaxProblem:
    """The position of a parse error: pyoxigraph's SyntaxError gives the exact start and end."""
    cause = exc.__cause__
    if isinstance(cause, SyntaxError) and cause.lineno:
        end_line = getattr(cause, "end_lineno", None)
        end_col = getattr(cause, "end_offset", None)
        message = re.sub(
            r"^(?:between )?(?:line \d+ )?columns? \d+(?: and (?:line \d+ column )?\d+)?: ", "", exc.message
        )
        return SyntaxProblem(message, cause.lineno, cause.offset or 1, end_line, end_col)
    return SyntaxProblem(exc.message, exc.line)


def _same_graph(old: frozenset, new: frozenset) -> bool:
    """Whether two parses of a file give the same graph (blank nodes get new labels in every parse)."""
    if old == new:
        return True
    removed, added = old - new, new - old
    if len(removed) != len(added):
        return False
    return _signature(removed) == _signature(added)


def _signature(triples: Iterable) -> Counter:
    """The triples with every blank node replaced by one placeholder: equal for a re-parse of the same graph."""
    import pyoxigraph as ox

    out: Counter = Counter()
    for t in triples:
        s = "_" if isinstance(t.subject, ox.BlankNode) else t.subject
        o = "_" if isinstance(t.object, ox.BlankNode) else t.object
        out[(s, t.predicate, o)] += 1
    return out


def _safe_outline(text: str) -> TurtleOutline:
    """The outline of a text that parsed (an empty one if the scan fails: it only adds line numbers)."""
    from ..turtle_lex import TurtleOutline, outline

    try:
        return outline(text)
    except Exception:  # noqa: BLE001 - a best-effort scan of a text that parsed: no lines, not a crash
        return TurtleOutline()


_PREFIX_LINE = re.compile(r"(?im)^[ \t]*@?prefix[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>\s]*)>")


def declared_prefixes(text: str) -> dict[str, str]:
    """The prefixes a text declares, read line by line (works on a buffer that does not parse)."""
    return {m.group(1) or "": m.group(2) for m in _PREFIX_LINE.finditer(text)}


# ---------------------------------------------------------------------------------------------
# the workspace
# ---------------------------------------------------------------------------------------------


class Workspace:
    """The Turtle files of one workspace (or one lone file), parsed, merged and validated.

    Methods that change the state are called from one thread (the server's worker); the
    read-only helpers may be called from any thread and see either the old or the new
    state, never a half-built one (state objects are replaced, not edited in place).
    """

    def __init__(
        self, roots: list[str] | None = None, files: list[str] | None = None, shapes: list[str] | None = None
    ) -> None:
        self.roots = [os.path.abspath(r) for r in roots or []]
        self.shapes = shapes
        self.files: dict[str, FileState] = {}
        self._store: ox.Store | None = None
        self._counts: Counter = Counter()
        self.report: Report | None = None
        self.report_error: str | None = None  # a validation that could not run (e.g. broken shapes)
        self.graph_version = 0  # bumped whenever the merged graph changes
        self.validated_version = -1
        self.lock = threading.RLock()
        self.changed_predicates: set[str] | None = None  # since the last validation; None: everything
        self.changed_subjects: set | None = None  # their subjects (pyoxigraph terms); None: everything
        self.changed_objects: set = set()  # and their objects
        self.incremental_enabled = True
        self.chunking = True  # keep large files in chunks of statements (an edit re-parses its chunks only)
        self._incremental: Incremental | None = None
        # diagnostics.py: each finding's key -> its diagnostic as JSON, kept from the last publication
        self._diagnostic_cache: dict[tuple, tuple] = {}
        for path in files or []:
            self.files[os.path.abspath(path)] = FileState(os.path.abspath(path))

    # -- building -----------------------------------------------------------------------------

    @classmethod
    def for_folder(cls, root: str) -> Workspace:
        """The workspace of a folder: ``[tool.sst-vocab] vocab`` (and ``shapes``), else every ``*.ttl`` in it."""
        root = os.path.abspath(root)
        configured = config_paths(root, "vocab")
        shapes = config_paths(root, "shapes")
        if configured is not None:
            files: list[str] = []
            for p in configured:
                if os.path.exists(p):
                    try:
                        files.extend(os.path.abspath(f) for f in resolve_paths([p]))
                    except VocabError:
                        continue
        else:
            files = _discover(root)
        return cls(roots=[root] if configured is None else configured, files=files, shapes=shapes)

    def contains(self, path: str) -> bool:
        """Whether ``path`` belongs to this workspace (one of its files, or a new file under its folders)."""
        path = os.path.abspath(path)
        if path in self.files:
            return True
        if not path.endswith(".ttl"):
            return False
        for root in self.roots:
            if path == root or path.startswith(root.rstrip(os.sep) + os.sep):
                rel = os.path.relpath(path, root).split(os.sep)[:-1]
                return not any(part in SKIPPED_FOLDERS or part.startswith(".") for part in rel)
        return False

    @property
    def store(self):
        if self._store is None:
            import pyoxigraph as ox

            self._store = ox.Store()
        return self._store

    def load_all(self) -> None:
        """Read every file from disk (open buffers keep their text) and parse it."""
        for state in list(self.files.values()):
            if state.is_open:
                self._parse(state)
            else:
                self._reread(state)

    def _read_disk(self, state: FileState) -> bool:
        """Read the file's text from disk; False when it cannot be read (its problem says why)."""
        try:
            _, state.text = read_text(state.path)
        except VocabError as exc:
            state.text = ""
            state.problem = SyntaxProblem(exc.message, exc.line)
            state.good_text = None
            return False
        return True

    def _reread(self, state: FileState) -> bool:
        """Read the file from disk and parse it; a file that cannot be read (not UTF-8, unreadable)
        keeps its problem and leaves the graph, as it would leave a command's run."""
        if not self._read_disk(state):
            return self._replace(state, [])
        return self._parse(state)

    def set_text(self, path: str, text: str, is_open: bool = True) -> bool:
        """The new text of a file (an edit, or a buffer opened); True when the merged graph changed."""
        path = os.path.abspath(path)
        with self.lock:
            state = self.files.get(path)
            if state is None:
                state = self.files[path] = FileState(path)
            state.is_open = is_open
            if text.startswith("\ufeff"):
                text = text[1:]
            if state.problem is None and state.good_text == text:
                state.text = text
                return False
            state.text = text
            return self._parse(state)

    def close(self, path: str) -> bool:
        """A buffer was closed without saving: the file on disk counts again (or it leaves the workspace)."""
        path = os.path.abspath(path)
        with self.lock:
            state = self.files.get(path)
            if state is None:
                return False
            state.is_open = False
            if not os.path.isfile(path):
                return self.remove(path)
            return self._reread(state)

    def remove(self, path: str) -> bool:
        """A file was deleted: its triples leave the graph."""
        path = os.path.abspath(path)
        with self.lock:
            state = self.files.pop(path, None)
            if state is None:
                return False
            return self._replace(state, [])

    def disk_changed(self, path: str) -> bool:
        """A file changed on disk (saved by another program, created): re-read it unless a buffer holds it."""
        path = os.path.abspath(path)
        with self.lock:
            state = self.files.get(path)
            if state is None:
                if not os.path.isfile(path):
                    return False
                state = self.files[path] = FileState(path)
            if state.is_open:
                return False
            if not os.path.isfile(path):
                return self.remove(path)
            return self._reread(state)

    def _parse(self, state: FileState) -> bool:
        """Parse the file's text: only the chunks an edit touched when it is kept in chunks, else the whole
        text; a text that does not parse keeps the last good triples (and gets its problem)."""
        from ..turtle_lex import TurtleOutline
        from . import chunks

        parse, scan = self._chunk_parser(state.path), _safe_outline
        if state.chunked is not None and state.good_text is not None:
            done = chunks.update(state.chunked, state.text, parse, scan)
            if done is not None:
                state.chunked, gone, fresh = done
                state.problem = None
                state.good_text = state.text
                state.outline = TurtleOutline(
                    subjects=chunks.subjects(state.chunked), prefixes=dict(state.chunked.prefixes)
                )
                return self._apply(gone, fresh)
        # the whole text: in chunks when it is read for the first time; after an edit the chunks could not
        # follow, parsed whole first (a syntax error's exact position), then in chunks again if it parses
        whole = None
        first = state.good_text is None
        if first and self.chunking:
            whole = chunks.chunk_text(state.text, parse, scan)
        if whole is None:
            try:
                triples, _ = parse_text(state.text, state.path)
            except VocabError as exc:
                state.problem = problem_of(exc)
                return False  # the last good triples stay in the graph
            if not first and self.chunking and state.chunk_failures % 16 == 0:
                whole = chunks.chunk_text(state.text, parse, scan)
                state.chunk_failures += whole is None
        state.problem = None
        if whole is not None:
            new_outline = TurtleOutline(subjects=chunks.subjects(whole), prefixes=dict(whole.prefixes))
            new = frozenset(whole.counts)
        else:
            new_outline = _safe_outline(state.text)
            new = frozenset(triples)
            state.triples = state.triples  # the old chunks leave: the file is no longer kept in chunks
        same_graph = state.good_text is not None and _same_graph(state.triples, new)
        state.good_text = state.text
        state.outline = new_outline
        if same_graph and whole is None:
            return False
        changed = self._replace(state, new)
        if whole is not None:
            state.chunked = whole
        return changed

    def _chunk_parser(self, path: str):
        def parse(text: str) -> list:
            return parse_text(text, path)[0]

        return parse

    def _replace(self, state: FileState, triples) -> bool:
        new = triples if isinstance(triples, frozenset) else frozenset(triples)
        old = state.triples
        changed = self._apply(old - new, new - old)
        state.triples = new
        return changed

    def _apply(self, removed: Iterable, added: Iterable) -> bool:
        """A file no longer states ``removed`` and states ``added`` anew: the merged store follows
        (a triple leaves it when no file states it any more)."""
        import pyoxigraph as ox

        store = self.store
        gone = []
        for t in removed:
            self._counts[t] -= 1
            if self._counts[t] <= 0:
                del self._counts[t]
                gone.append(ox.Quad(t.subject, t.predicate, t.object))
        fresh = []
        for t in added:
            self._counts[t] += 1
            if self._counts[t] == 1:
                fresh.append(ox.Quad(t.subject, t.predicate, t.object))
        if self.changed_predicates is not None:
            self.changed_predicates.update(q.predicate.value for q in gone)
            self.changed_predicates.update(q.predicate.value for q in fresh)
        if self.changed_subjects is not None:
            self.changed_subjects.update(q.subject for q in gone)
            self.changed_subjects.update(q.subject for q in fresh)
            self.changed_objects.update(q.object for q in gone)
            self.changed_objects.update(q.object for q in fresh)
        for q in gone:
            store.remove(q)
        if fresh:
            store.extend(fresh)
        if gone or fresh:
            self.graph_version += 1
            return True
        return False

    # -- validation ---------------------------------------------------------------------------

    def vocabulary(self) -> Vocabulary:
        """The merged graph as the library's Vocabulary (files in order, their last good texts)."""
        texts: dict[str, str] = {}
        outlines: dict[str, TurtleOutline] = {}
        with self.lock:
            for s in self.files.values():
                if s.good_text is not None and s.outline is not None:  # set together by _parse
                    texts[s.path] = s.good_text
                    outlines[s.path] = s.outline
            return OutlinedVocabulary(self.store, list(texts), texts, outlines)

    def validate(self) -> Report | None:
        """Validate the merged graph unless it has not changed since the last run; the current report."""
        from ..validate import validate

        with self.lock:
            version = self.graph_version
            if version == self.validated_version:
                return self.report
            vocab = self.vocabulary()
            changed, self.changed_predicates = self.changed_predicates, set()
            subjects, self.changed_subjects = self.changed_subjects, set()
            objects, self.changed_objects = self.changed_objects, set()
        try:
            incremental = self._incremental_validator()
            if incremental is not None:
                report = incremental.run(vocab, changed, subjects, objects)
            else:
                report = validate(vocabulary=vocab, shapes=self.shapes)
            self.report_error = None
        except VocabError as exc:  # e.g. configured shapes that do not parse
            report = None
            self._incremental = None  # start again from a full run
            self.report_error = str(exc)
        self.report = report
        self.validated_version = version
        return report

    def _incremental_validator(self) -> Incremental | None:
        if not self.incremental_enabled:
            return None
        if self._incremental is None:
            from .incremental import Incremental

            self._incremental = Incremental(self.shapes)
        return self._incremental if self._incremental.available else None

    # -- reading ------------------------------------------------------------------------------

    def state(self, path: str) -> FileState | None:
        return self.files.get(os.path.abspath(path))

    def locations(self, iri: str) -> list[tuple[str, int]]:
        """(file, 1-based line) of every block that describes ``iri``, in workspace order."""
        out = []
        for path, state in list(self.files.items()):
            if state.outline is not None:
                line = state.outline.subjects.get(iri)
                if line is not None:
                    out.append((path, line))
        return out

    def subjects(self) -> dict[str, list[tuple[str, int]]]:
        """Every subject IRI -> its blocks."""
        out: dict[str, list[tuple[str, int]]] = {}
        for path, state in list(self.files.items()):
            if state.outline is not None:
                for iri, line in state.outline.subjects.items():
                    out.setdefault(iri, []).append((path, line))
        return out

    def prefixes(self) -> dict[str, str]:
        """Every prefix declared somewhere in the workspace (first declaration wins)."""
        merged: dict[str, str] = {}
        for state in list(self.files.values()):
            for k, v in declared_prefixes(state.text).items():
                merged.setdefault(k, v)
        return merged

    def uses(self, path: str) -> dict[str, list[tuple[int, int]]]:
        """Every IRI written in the file's current text -> the (start, end) offsets of each use."""
        state = self.state(path)
        if state is None:
            return {}
        cached = state._uses
        if cached is not None and cached[0] is state.text:
            return cached[1]
        found = iri_uses(state.text)
        state._uses = (state.text, found)
        return found


# ---------------------------------------------------------------------------------------------
# IRIs in text
# ---------------------------------------------------------------------------------------------

_BASE_LINE = re.compile(r"(?im)^[ \t]*@?base[ \t]+<([^>\s]*)>")
PNAME = r"(?:[A-Za-z][\w.-]*)?:(?:[\w:%-]|\\[-_~.!$&'()*+,;=/?#@%]|\.(?=[\w:%-]))*"
_TERM = re.compile(
    r"(?P<comment>#[^\n]*)|(?P<str>\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|(?P<iri><[^<>\"{}|^`\\\s]*>)"
    r"|(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)|(?P<pname>" + PNAME + ")",
    re.S,
)


def expand_term(token: str, prefixes: dict[str, str], base: str | None = None) -> str | None:
    """The IRI a written term (``<...>`` or ``prefix:local``) stands for, or None."""
    from urllib.parse import urljoin

    if token.startswith("<") and token.endswith(">"):
        iri = token[1:-1]
        return urljoin(base, iri) if base and ":" not in iri.split("/", 1)[0] else iri
    prefix, sep, local = token.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def iri_uses(text: str) -> dict[str, list[tuple[int, int]]]:
    """Every IRI written in ``text`` (in IRIs and prefixed names, not in strings or comments) -> its spans."""
    prefixes = declared_prefixes(text)
    base_match = _BASE_LINE.search(text)
    base = base_match.group(1) if base_match else None
    out: dict[str, list[tuple[int, int]]] = {}
    for m in _TERM.finditer(text):
        kind = m.lastgroup
        if kind not in ("iri", "pname"):
            continue
        token = m.group()
        if kind == "pname":
            token = token.rstrip(".")
            start = m.start()
            if _is_prefix_declaration(text, start):
                continue
        else:
            start = m.start()
            if _is_prefix_declaration(text, start):
                continue
        iri = expand_term(token, prefixes, base)
        if iri is not None:
            out.setdefault(iri, []).append((start, start + len(token)))
    return out


_DECL = re.compile(r"(?i)@?(prefix|base)[ \t]+(?:[A-Za-z][\w.-]*)?:?[ \t]*$")


def _is_prefix_declaration(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_DECL.search(text[line_start:start].lstrip())) or bool(
        re.match(r"(?i)[ \t]*@?prefix[ \t]*$", text[line_start:start])
    )


def term_at(text: str, offset: int) -> tuple[str, int, int] | None:
    """The IRI, prefixed name or language tag under ``offset``: (token, start, end), or None."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end < 0:
        line_end = len(text)
    line = text[line_start:line_end]
    for m in _TERM.finditer(line):
        if m.lastgroup in ("iri", "pname", "lang") and m.start() <= offset - line_start <= m.end():
            token = m.group()
            if m.lastgroup == "pname":
                token = token.rstrip(".")
            return token, line_start + m.start(), line_start + m.start() + len(token)
        if m.start() > offset - line_start:
            break
    return None
