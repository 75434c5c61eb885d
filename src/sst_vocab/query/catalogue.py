"""Named queries: the library of ``queries/*.rq`` and the header format that documents each."""

from __future__ import annotations

import os
import re
from typing import Any

from ..errors import VocabError
from .common import QUERY_TEXT, Record


class Param(Record):
    """A declared parameter: name, kind ("IRI" or "text"), required, description, example."""

    __slots__ = ("name", "kind", "required", "description", "example")
    name: str
    kind: str
    required: bool
    description: str
    example: str


class Column(Record):
    __slots__ = ("name", "description")
    name: str
    description: str


class NamedQuery(Record):
    """A query and its documentation.  ``params`` is None when the text declares none (ad-hoc)."""

    __slots__ = ("name", "text", "path", "description", "params", "columns")
    name: str
    text: str
    path: str | None
    description: str
    params: tuple[Param, ...] | None
    columns: tuple[Column, ...]

    @property
    def where(self) -> str:
        """How errors name this query: its file, or :data:`QUERY_TEXT`."""
        return self.path or QUERY_TEXT


_PARAM_LINE = re.compile(r"\?(\w+)\s+(IRI|text)\s*,\s*(required|optional)\b\s*(.*)$", re.I)
_COLUMN_LINE = re.compile(r"\?(\w+)\s*(.*)$")
_EXAMPLE = re.compile(r"\s*\bExample:\s*(\S.*?)\s*$", re.I)


def parse_header(text: str, name: str, path: str | None = None) -> NamedQuery:
    """Read the leading comment of a query: description, ``Parameters:`` and ``Columns:`` sections.

    A header without a ``Parameters:`` line declares nothing: any variable of the
    query may then be bound, none is required.
    """
    description = ""
    section: str | None = None
    params: list[list[Any]] | None = None
    columns: list[list[str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if not body:
            section = None
            continue
        lowered = body.lower()
        if lowered.startswith("parameters:"):
            section, params = "params", []
            continue
        if lowered.startswith("columns:"):
            section = "columns"
            continue
        if section is None:
            description = description or body
        elif body.startswith("?"):
            if section == "params":
                m = _PARAM_LINE.match(body)
                if not m:
                    raise VocabError(
                        "cannot read this parameter: write '?name  IRI|text, required|optional  what it is. "
                        "Example: value'",
                        path=path,
                        line=number,
                    )
                assert params is not None
                params.append(
                    [
                        m.group(1),
                        "IRI" if m.group(2).upper() == "IRI" else "text",
                        m.group(3).lower() == "required",
                        m.group(4),
                    ]
                )
            else:
                m = _COLUMN_LINE.match(body)
                assert m is not None
                columns.append([m.group(1), m.group(2)])
        elif section == "params" and params:
            params[-1][3] = f"{params[-1][3]} {body}".strip()
        elif section == "columns" and columns:
            columns[-1][1] = f"{columns[-1][1]} {body}".strip()
    declared: tuple[Param, ...] | None = None
    if params is not None:
        found = []
        for pname, kind, required, desc in params:
            m = _EXAMPLE.search(desc)
            example = m.group(1).rstrip(".") if m else ""
            desc = desc[: m.start()].rstrip() if m else desc
            found.append(Param(pname, kind, required, desc, example))
        declared = tuple(found)
    return NamedQuery(name, text, path, description, declared, tuple(Column(*c) for c in columns))


def _queries_dir() -> str:
    from ..resources import data_dir

    return data_dir("queries")


def _names(folder: str) -> list[str]:
    """The query names in ``folder``: its ``*.rq`` files without the suffix, sorted."""
    return sorted(
        name[:-3] for name in os.listdir(folder) if name.endswith(".rq") and os.path.isfile(os.path.join(folder, name))
    )


def library() -> dict[str, NamedQuery]:
    """The shipped named queries, by name (the file name without ``.rq``), sorted."""
    folder = _queries_dir()
    return {name: _read_query_file(os.path.join(folder, name + ".rq")) for name in _names(folder)}


def _read_query_file(path: str) -> NamedQuery:
    from ..loader import read_text

    _, text = read_text(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    return parse_header(text, stem, path)


def find(spec: str) -> NamedQuery:
    """A shipped query by NAME, or a query file (``.rq``, or any path that exists)."""
    looks_like_file = spec.endswith((".rq", ".sparql")) or "/" in spec or os.sep in spec
    queries_dir = _queries_dir()
    named = os.path.join(queries_dir, f"{spec}.rq")
    if not looks_like_file and re.fullmatch(r"[\w.-]+", spec) and os.path.isfile(named):
        return _read_query_file(named)
    if looks_like_file or os.path.isfile(spec):
        if not os.path.exists(spec):
            raise VocabError("no such query file", path=spec)
        return _read_query_file(spec)
    import difflib

    names = _names(queries_dir)
    close = difflib.get_close_matches(spec, names, n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    raise VocabError(f"no query named '{spec}': {hint}(the named queries: {', '.join(names)})")


def from_text(text: str) -> NamedQuery:
    """An ad-hoc query: its text, not a file."""
    return parse_header(text, QUERY_TEXT, None)
