"""Turtle files -> a :class:`Vocabulary`: an in-memory pyoxigraph store plus where each subject is defined.

Nothing here touches the network: files are read by us and handed to the parser as
bytes, and ``owl:imports`` is data, never followed.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Iterable

from .errors import VocabError
from .resources import data_dir

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

    from .turtle_lex import TurtleOutline

__all__ = ["Vocabulary", "load", "resolve_paths"]

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
            found = sorted((_tidy(os.path.join(folder, name))
                            for folder, _, names in os.walk(path) for name in names if name.endswith(".ttl")),
                           key=_sort_key)
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
        return path[len(cwd.rstrip(os.sep)) + 1:]
    return path


def read_text(path: str | os.PathLike[str]) -> tuple[bytes, str]:
    """Read a Turtle file as UTF-8, turning every way it can be unreadable into a VocabError."""
    where = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except PermissionError as exc:
        raise VocabError("cannot read this file: permission denied", path=where) from exc
    except IsADirectoryError as exc:
        raise VocabError("is a folder, not a Turtle file", path=where) from exc
    except OSError as exc:
        raise VocabError(f"cannot read this file: {exc.strerror or exc}", path=where) from exc
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise VocabError("this is a binary file, not Turtle text (it contains NUL bytes)", path=where, line=line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise VocabError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); Turtle files must be saved as UTF-8",
            path=where,
            line=line,
        ) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
        data = data[3:]
    return data, text


def parse_error(exc: SyntaxError, path: str) -> VocabError:
    """Turn pyoxigraph's SyntaxError into ``FILE:LINE: message`` (column kept in the message)."""
    message = str(exc.msg) if getattr(exc, "msg", None) else str(exc)
    prefix = "Parser error at line "
    if message.startswith(prefix):
        # "Parser error at line 40 column 47: reason" -> "column 47: reason"
        rest = message[len(prefix):]
        _, _, rest = rest.partition(" ")
        message = rest.strip()
    return VocabError(message + _prefix_hint(message, path), path=path, line=exc.lineno)


def _prefix_hint(message: str, path: str) -> str:
    """For an undeclared prefix: the PREFIX line to add, or the declared prefix it is a typo of."""
    import re

    m = re.search(r"The prefix ([\w.-]*): has not been declared", message)
    if not m:
        return ""
    from .namespaces import PREFIXES

    name = m.group(1)
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        text = ""
    declared = re.findall(r"(?im)^\s*@?prefix\s+([\w.-]*):", text)
    import difflib

    close = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]}:?"
    if name in PREFIXES:
        return f"; add the line PREFIX {name}: <{PREFIXES[name]}> at the top of the file"
    close = difflib.get_close_matches(name, list(PREFIXES), n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]}:? (declare it with PREFIX {close[0]}: <{PREFIXES[close[0]]}>)"
    return f"; declare it with a line PREFIX {name}: <...namespace IRI...> at the top of the file"


class Vocabulary:
    """A loaded vocabulary: the RDF in a pyoxigraph store and the source files it came from.

    ``files`` are the paths as given (strings), ``texts`` their text by path.
    """

    __slots__ = ("store", "files", "texts", "_outlines", "_source")

    def __init__(self, store: "pyoxigraph.Store", files: list[str], texts: dict[str, str]) -> None:
        self.store = store
        self.files = files
        self.texts = texts
        self._outlines: dict[str, "TurtleOutline"] | None = None
        self._source: object | None = None

    def __repr__(self) -> str:
        return f"Vocabulary(files={self.files!r}, triples={len(self)})"

    @property
    def outlines(self) -> dict[str, "TurtleOutline"]:
        """Per file: subject -> line of its block, and the prefixes (computed on first use)."""
        if self._outlines is None:
            from .turtle_lex import outline

            self._outlines = {p: outline(t) for p, t in self.texts.items()}
        return self._outlines

    @property
    def source(self):
        """The triples exactly as written, lexical forms kept (:class:`sst_vocab.export.Source`), parsed once."""
        if self._source is None:
            from .export import parse_source

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
        """The prefixes declared in the files (later files do not override earlier ones)."""
        merged: dict[str, str] = {}
        for out in self.outlines.values():
            for k, v in out.prefixes.items():
                merged.setdefault(k, v)
        return merged

    def __len__(self) -> int:
        return len(self.store)


def load(paths: Iterable[str | os.PathLike[str]] | None = None) -> Vocabulary:
    """Load Turtle files (or folders of them; default: the shipped vocabulary) into a Vocabulary.

    Raises VocabError with the file and line for anything that cannot be read or parsed.

    Example::

        vocab = load(["vocab/"])
        len(vocab)  # number of triples
    """
    import pyoxigraph as ox

    files = resolve_paths(paths)
    store = ox.Store()
    texts: dict[str, str] = {}
    for path in files:
        data, text = read_text(path)
        try:
            store.load(input=data, format=ox.RdfFormat.TURTLE)
        except SyntaxError as exc:
            raise parse_error(exc, path) from exc
        except MemoryError as exc:
            raise VocabError(
                "a single string or IRI is larger than the parser's 16 MiB limit", path=path
            ) from exc
        except (OSError, ValueError) as exc:
            raise VocabError(f"cannot load this file: {exc}", path=path) from exc
        texts[path] = text
    return Vocabulary(store=store, files=files, texts=texts)
