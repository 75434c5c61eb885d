"""Turtle files -> a :class:`Vocabulary`: an in-memory pyoxigraph store plus where each subject is defined.

Nothing here touches the network: files are read by us and handed to the parser as
bytes, and ``owl:imports`` is data, never followed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .errors import VocabError
from .resources import data_dir

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

    from .turtle_lex import TurtleOutline

__all__ = ["Vocabulary", "load", "resolve_paths"]


def resolve_paths(paths: Iterable[str | os.PathLike[str]] | None = None) -> list[Path]:
    """Expand files and folders (recursively ``*.ttl``) into a sorted list of Turtle files.

    With no paths, the shipped vocabulary's files.
    """
    given = [Path(p) for p in paths] if paths else [_display(data_dir("vocab"))]
    files: list[Path] = []
    for path in given:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.ttl") if p.is_file())
            if not found:
                raise VocabError("no Turtle (*.ttl) files in this folder", path=str(path))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise VocabError("no such file or folder", path=str(path))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _display(path: Path) -> Path:
    """Show a shipped folder relative to the working directory when it is below it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def read_text(path: Path) -> tuple[bytes, str]:
    """Read a Turtle file as UTF-8, turning every way it can be unreadable into a VocabError."""
    where = str(path)
    try:
        data = path.read_bytes()
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
    return VocabError(message, path=path, line=exc.lineno)


@dataclass
class Vocabulary:
    """A loaded vocabulary: the RDF in a pyoxigraph store and the source files it came from."""

    store: "pyoxigraph.Store"
    files: list[Path]
    texts: dict[Path, str] = field(repr=False)
    _outlines: dict[Path, "TurtleOutline"] | None = field(default=None, repr=False)
    #: The triples exactly as written (export.read_source), parsed once on first use.
    _source: object | None = field(default=None, repr=False)

    @property
    def outlines(self) -> dict[Path, "TurtleOutline"]:
        """Per file: subject -> line of its block, and the prefixes (computed on first use)."""
        if self._outlines is None:
            from .turtle_lex import outline

            self._outlines = {p: outline(t) for p, t in self.texts.items()}
        return self._outlines

    def location(self, iri: str) -> tuple[str, int] | None:
        """Where the block of subject ``iri`` starts: (file, line), the first file that describes it."""
        for path, out in self.outlines.items():
            line = out.subjects.get(iri)
            if line is not None:
                return str(path), line
        return None

    def locations(self, iri: str) -> list[tuple[str, int]]:
        """Every file that has a block for subject ``iri``."""
        return [(str(p), o.subjects[iri]) for p, o in self.outlines.items() if iri in o.subjects]

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
    texts: dict[Path, str] = {}
    for path in files:
        data, text = read_text(path)
        try:
            store.load(input=data, format=ox.RdfFormat.TURTLE)
        except SyntaxError as exc:
            raise parse_error(exc, str(path)) from exc
        except MemoryError as exc:
            raise VocabError(
                "a single string or IRI is larger than the parser's 16 MiB limit", path=str(path)
            ) from exc
        except (OSError, ValueError) as exc:
            raise VocabError(f"cannot load this file: {exc}", path=str(path)) from exc
        texts[path] = text
    return Vocabulary(store=store, files=files, texts=texts)
