"""The canonical Turtle layout: any valid Turtle in, one layout out, nothing lost.

The file is read with :mod:`sst_vocab.reading` (:mod:`.source`), and the canonical
text is written from the parsed triples (:mod:`.writer`, never with a general-purpose
serializer, which reorders and drops comments).  Comments are found with
:mod:`sst_vocab.turtle_lex` and attached to the file header, to the subject block or
the triple they belong to (:mod:`.comments`).  The order of blocks and predicates is
:mod:`.layout`'s, each term's spelling :mod:`.terms`'.  Before a file is replaced, the
new text is parsed again and must give an isomorphic graph and keep the text of every
comment (:mod:`.verify`); it is then written atomically.

The layout (documented for people in ``docs/editing.md``):

* header comments (the comments before the first directive), then one
  ``PREFIX`` line per prefix actually used, sorted by name;
* one block per subject, separated by a blank line, in this order: ontology
  headers, concept schemes, concepts in hierarchy order (depth first from the
  concepts that have no broader concept in the file, children sorted by IRI),
  collections, classes, properties, every other IRI subject by IRI, then blank
  node subjects;
* in a block, predicates in :data:`PREDICATE_ORDER` (type, who/what for review
  responses, labels, definition, notes, scheme membership, hierarchy, relations,
  mappings, provenance, any other predicate by IRI, then status); objects sorted
  (IRIs, then literals by language and text, then blank nodes);
* one object: on the predicate's line; several: one per line, indented; every
  predicate line ends with ``;`` and the block ends with ``.`` on its own line;
* blank nodes used once are written inline as ``[ ... ]`` (RDF lists as
  ``( ... )``); others get stable labels ``_:b1``, ``_:b2``...;
* literals with line breaks are written between triple quotes.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..files import write_atomic
from .comments import _Comments
from .layout import PREDICATE_ORDER
from .source import parse_turtle, read_turtle
from .terms import _escape_iri, bare_number  # noqa: F401  (_escape_iri: used by sst_vocab.export)
from .verify import _verify, isomorphic
from .writer import _Writer

__all__ = ["PREDICATE_ORDER", "Formatted", "bare_number", "format_files", "format_text", "isomorphic", "parse_turtle"]


@dataclass
class Formatted:
    """One file's canonical text next to its current text."""

    path: str
    original: str
    text: str

    @property
    def changed(self) -> bool:
        return self.original != self.text

    def unified_diff(self) -> str:
        """The change as a unified diff (empty when the file is canonical)."""
        if not self.changed:
            return ""
        lines = difflib.unified_diff(
            self.original.splitlines(keepends=True),
            self.text.splitlines(keepends=True),
            fromfile=f"{self.path} (current)",
            tofile=f"{self.path} (canonical)",
        )
        out = []
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return "".join(out)


def format_text(
    text: str, path: str | None = None, transform: Callable[[list], list] | None = None, *, base: str | None = None
) -> str:
    """The canonical layout of the Turtle ``text`` (comments kept).

    ``transform`` may change the triples before they are written (used to record
    review responses): it receives the parsed triples and returns the new list.
    ``base``: the base IRI (default: the ``file://`` IRI of ``path``); the rewrite keeps
    the file's ``@base``/``BASE`` and writes IRIs below it relative to it.
    Raises VocabError when the text does not parse, when a comment cannot be
    placed, or (never expected) when the rewrite would not give the same graph.
    """
    where = path or "<input>"
    if text.startswith("\ufeff"):
        text = text[1:]
    parsed = read_turtle(text, path, base=base)
    triples, declared = parsed.triples, parsed.prefixes
    comments = _Comments.scan(text, where, parsed.base, triples)
    if transform is not None:
        triples = list(transform(list(triples)))
    # IRIs below the base are written relative to it: the file's own @base (kept as a BASE
    # line), else the base it was read with (its location), which the rewrite must not bake in.
    declared_base = parsed.final_base if parsed.final_base != parsed.base else None
    from ..turtle_lex import language_tags, outline

    out = _Writer(
        triples,
        declared,
        comments,
        base=parsed.final_base,
        declared_base=declared_base,
        tags=language_tags(text),
        source_order=list(outline(text, parsed.base).subjects),
    ).render()
    _verify(out, triples, comments, where, path, base)
    return out


def format_files(
    paths: Iterable[str | os.PathLike[str]] | None = None, *, write: bool = True, base: str | None = None
) -> list[Formatted]:
    """Format Turtle files (folders: every ``*.ttl`` in them; default: the shipped vocabulary).

    Every file is read, formatted and checked before any file is written, so a
    broken file anywhere leaves every file untouched.  With ``write=False``
    nothing is written (``--check``/``--diff``).
    """
    from ..loader import read_text, resolve_paths

    results = []
    for p in resolve_paths(list(paths) if paths else None):
        _, text = read_text(p)
        results.append(Formatted(path=p, original=text, text=format_text(text, p, base=base)))
    if write:
        for r in results:
            if r.changed:
                write_atomic(r.path, r.text)
    return results
