"""Turtle files -> a :class:`Vocabulary`: an in-memory pyoxigraph store plus where each subject is defined.

Nothing here touches the network: files are read by us and handed to the parser as
bytes, and ``owl:imports`` is data, never followed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import VocabError
from .resources import data_dir

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

    from .turtle_lex import TurtleOutline

__all__ = ["Source", "Vocabulary", "load", "parse_source", "resolve_paths"]

# Paths are plain strings handled with os.path, as pathlib would print them: this module
# is on the lookup path, where importing pathlib alone costs ~5 ms of a ~90 ms command.


def _tidy(path: str | os.PathLike[str]) -> str:
    """``path`` written as ``str(pathlib.Path(path))`` would: no empty or "." parts, no trailing "/"."""
    text = os.fspath(path)
    parts = [part for part in text.split(os.sep) if part and part != "."]
    joined = os.sep.join(parts)
    return os.sep + joined if text.startswith(os.sep) else joined or "."


def _sort_key(path: str) -> list[str]:
    return path.split(os.sep)  # folder by folder, as pathlib sorts


def resolve_paths(paths: Iterable[str | os.PathLike[str]] | None = None) -> list[str]:
    """Expand files and folders (recursively ``*.ttl``) into a sorted list of Turtle files.

    With no paths, the ``vocab/`` folder of the current directory when it has one (the
    project being edited), else the shipped vocabulary's files.  Symbolic links to
    folders are not followed; a file reached twice (links, repeated arguments) is kept
    once.
    """
    given = [_tidy(p) for p in paths] if paths else [default_vocab()]
    files: list[str] = []
    for path in given:
        if os.path.isdir(path):
            found = sorted(
                (
                    _tidy(os.path.join(folder, name))
                    for folder, _, names in os.walk(path)
                    for name in names
                    if name.endswith(".ttl")
                ),
                key=_sort_key,
            )
            found = [f for f in found if os.path.isfile(f)]
            if not found:
                raise VocabError("no Turtle (*.ttl) files in this folder", path=path)
            files.extend(found)
        elif os.path.exists(path):
            files.append(path)
        else:
            raise VocabError("no such file or folder", path=path)
    seen: set[str] = set()
    unique = []
    for f in files:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def default_vocab() -> str:
    """The vocabulary read when no path is given: ``./vocab`` if it holds Turtle files, else the shipped one."""
    if os.path.isdir("vocab") and any(name.endswith(".ttl") for name in os.listdir("vocab")):
        return "vocab"
    return _display(data_dir("vocab"))


def _display(path: str) -> str:
    """Show a shipped folder relative to the working directory when it is below it."""
    cwd = os.getcwd()
    if path == cwd:
        return "."
    if path.startswith(cwd.rstrip(os.sep) + os.sep):
        return path[len(cwd.rstrip(os.sep)) + 1 :]
    return path


def read_text(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    """Read a file as UTF-8 (see :func:`sst_vocab.reading.read_bytes`): (bytes, text)."""
    from .reading import read_bytes

    return read_bytes(path)


class Source:
    """A vocabulary as written: its triples (deduplicated, unsorted) and the prefixes its files declare."""

    __slots__ = ("quads", "prefixes", "tags", "_ordered")

    def __init__(
        self, quads: list[pyoxigraph.Quad], prefixes: dict[str, str], tags: dict[str, str] | None = None
    ) -> None:
        self.quads = quads
        #: Prefix name -> namespace, sorted by name; the first file declaring a name wins.
        self.prefixes = prefixes
        #: Language tags as written, by their lower-case form (the parser lower-cases them).
        self.tags: dict[str, str] = tags if tags is not None else {}
        self._ordered: list | None = None

    def __repr__(self) -> str:
        return f"Source(quads={len(self.quads)}, prefixes={len(self.prefixes)})"

    def ordered(self) -> list[pyoxigraph.Quad]:
        """The quads sorted, blank nodes relabelled (:func:`sst_vocab.canonical.sort_quads`); computed once."""
        if self._ordered is None:
            from .canonical import sort_quads

            self._ordered = sort_quads(self.quads)
        return list(self._ordered)


class Vocabulary:
    """A loaded vocabulary: the RDF in a pyoxigraph store and the source files it came from.

    ``files`` are the paths as given (strings), ``texts`` their text by path.
    """

    __slots__ = ("store", "files", "texts", "bases", "formats", "_outlines", "_source", "_prefixes")

    def __init__(
        self,
        store: pyoxigraph.Store,
        files: list[str],
        texts: dict[str, str],
        bases: dict[str, str | None] | None = None,
        formats: dict[str, str] | None = None,
    ) -> None:
        self.store = store
        self.files = files
        self.texts = texts
        #: The base IRI each file was read with (its ``file://`` IRI, or ``--base``).
        self.bases: dict[str, str | None] = bases if bases is not None else {}
        #: ``"turtle"`` or ``"rdfxml"`` per file (an RDF/XML file has no outline: no lines).
        self.formats: dict[str, str] = formats if formats is not None else {}
        self._outlines: dict[str, TurtleOutline] | None = None
        self._source: Source | None = None
        self._prefixes: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"Vocabulary(files={self.files!r}, triples={len(self)})"

    @property
    def outlines(self) -> dict[str, TurtleOutline]:
        """Per file: subject -> line of its block, and the prefixes (computed on first use)."""
        if self._outlines is None:
            from .turtle_lex import outline

            self._outlines = {
                p: outline(t, self.bases.get(p))
                for p, t in self.texts.items()
                if self.formats.get(p, "turtle") == "turtle"
            }
        return self._outlines

    @property
    def source(self) -> Source:
        """The triples exactly as written, lexical forms kept (:class:`Source`), parsed once."""
        if self._source is None:
            self._source = parse_source(self)
        return self._source

    def location(self, iri: str) -> tuple[str, int] | None:
        """Where the block of subject ``iri`` starts: (file, line), the first file that describes it."""
        for path, out in self.outlines.items():
            line = out.subjects.get(iri)
            if line is not None:
                return path, line
        return None

    def locations(self, iri: str) -> list[tuple[str, int]]:
        """Every file that has a block for subject ``iri``."""
        return [(p, o.subjects[iri]) for p, o in self.outlines.items() if iri in o.subjects]

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefixes declared in the files, resolved against each file's base (the first file
        declaring a name wins; in a file, its last declaration, as in Turtle).  A cheap scan
        (:func:`sst_vocab.reading.prefixes`), computed once."""
        if self._prefixes is None:
            from .reading import prefixes

            merged: dict[str, str] = {}
            for p, text in self.texts.items():
                if self.formats.get(p, "turtle") != "turtle":
                    continue
                for k, v in prefixes(text, self.bases.get(p)).items():
                    merged.setdefault(k, v)
            self._prefixes = merged
        return dict(self._prefixes)

    def __len__(self) -> int:
        return len(self.store)


def load(paths: Iterable[str | os.PathLike[str]] | None = None, *, base: str | None = None) -> Vocabulary:
    """Load Turtle files (or folders of them; default: the shipped vocabulary) into a Vocabulary.

    ``base``: the base IRI for relative IRIs in every file (``--base``); default: each
    file's own ``file://`` IRI.  Files are read by :mod:`sst_vocab.reading` (RDF/XML is
    recognised and read as such).  Raises VocabError with the file and line for anything
    that cannot be read or parsed.

    Example::

        vocab = load(["vocab/"])
        len(vocab)  # number of triples
    """
    import pyoxigraph as ox

    from .reading import base_for, check_base, load_into, read_bytes

    check_base(base)
    files = resolve_paths(paths)
    store = ox.Store()
    texts: dict[str, str] = {}
    bases: dict[str, str | None] = {}
    formats: dict[str, str] = {}
    for path in files:
        data, text = read_bytes(path)
        formats[path] = load_into(store, data, path, base=base)
        texts[path] = text
        bases[path] = base_for(path, base)
    return Vocabulary(store=store, files=files, texts=texts, bases=bases, formats=formats)


def parse_source(vocab: Vocabulary) -> Source:
    """Parse the vocabulary's files again for :attr:`Vocabulary.source`.

    The files are parsed again rather than read from ``vocab.store``: the store keeps
    typed literals by value, so ``"1.50"^^xsd:decimal`` comes back as ``"1.5"`` and
    ``1.0e3`` as ``"1000"``: equal values, but other RDF terms.  Parsing is the cheap
    part (about 50 ms for a 25,000-triple file).  Blank-node labels are scoped per file,
    as when loading.  Without source texts, the store is used.
    """
    import pyoxigraph as ox

    if not vocab.texts:
        return Source(list(vocab.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), {})
    from .reading import parse
    from .turtle_lex import language_tags

    quads: list[pyoxigraph.Quad] = []
    prefixes: dict[str, str] = {}
    tags: dict[str, str] = {}
    DefaultGraph, Quad = ox.DefaultGraph(), ox.Quad
    several = len(vocab.texts) > 1
    for n, (path, text) in enumerate(vocab.texts.items()):
        # the same reading as the loader: the file's base, its format; _:x in two files are two nodes
        parsed = parse(
            text.encode("utf-8"),
            path,
            base=vocab.bases.get(path),
            fmt=vocab.formats.get(path),
            scope=f"f{n}_" if several else None,
        )
        quads.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph) for t in parsed.triples)
        for name, ns in parsed.prefixes.items():
            prefixes.setdefault(name, ns)
        if parsed.format == "turtle":
            for low, tag in language_tags(text).items():
                tags.setdefault(low, tag)
    dataset = ox.Dataset(quads)  # removes duplicates, keeps every term as written
    return Source(list(dataset), dict(sorted(prefixes.items())), tags)
