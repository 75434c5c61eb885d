"""Incremental validation: after an edit, run again only the queries whose answer can have changed.

The fast engine (:mod:`sst_vocab.shacl`) asks the store one SPARQL query per compiled
constraint, and one per target.  A query reads only the triples its patterns match; when
every pattern names its predicate (no variable predicate, no negated property set), its
answer can change only when a triple with one of those predicates is added or removed.  So
the answers are kept (the engine's ``memo``), each query's predicates are read from its text
once, and after an edit the answers of the queries that read a changed predicate are
forgotten (queries whose predicates cannot be read are always asked again).  Everything
else (constraints evaluated in Python, the checks of :mod:`sst_vocab.validate`, the
assembly of the report through :func:`sst_vocab.validate.finish`) runs every time.

The result is the report :func:`sst_vocab.validate.validate` gives on the same graph
(``tests/test_lsp_incremental.py`` checks it on a sequence of edits).  If the engine's
internals are not what this module expects, :class:`Incremental` says so
(:attr:`Incremental.available` is False) and the workspace runs ``validate`` in full.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Vocabulary
    from ..validate import Report

__all__ = ["Incremental", "query_predicates"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_PREFIX_DECL = re.compile(r"(?im)^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_STRINGS = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)
_IRI = re.compile(r"<([^<>\s\"{}|^`\\]*)>")
_PNAME = re.compile(r"(?<![\w?$:<])([A-Za-z][\w.-]*)?:([A-Za-z_0-9][\w.-]*)?")
_VAR_PREDICATE = re.compile(r"(?:[?$]\w+|<I>|\]|\bP\b)\s+[?$]\w+\s+(?:[?$]\w+|<I>|\"|'|\[|\d|true\b|false\b|_:|P\b)")


def query_predicates(query: str) -> frozenset[str] | None:
    """The IRIs a SPARQL query names (a superset of the predicates it reads), or None if it may read any."""
    prefixes = {(m.group(1) or ""): m.group(2) for m in _PREFIX_DECL.finditer(query)}
    body = _PREFIX_DECL.sub(" ", query)
    body = _STRINGS.sub(' "" ', body)
    iris = set(_IRI.findall(body))
    masked = _IRI.sub(" <I> ", body)
    masked = re.sub(r"#[^\n]*", " ", masked)  # comments (after the IRIs, which may contain '#')
    if re.search(r"(?:[?$]\w+|<I>|\]|[\w-]*:[\w.-]*)\s+\^?\(?\s*!(?!=)", masked):  # a negated property set
        return None
    for m in _PNAME.finditer(masked):
        prefix, local = m.group(1) or "", m.group(2) or ""
        if prefix not in prefixes:
            if prefix.lower() in ("http", "https", "urn", "mailto"):
                continue
            return None  # a prefix we cannot expand
        iris.add(prefixes[prefix] + local)
    named = _PNAME.sub(" P ", masked)
    if re.search(r"(?<![\w?$])a(?![\w:])", named):
        iris.add(RDF_TYPE)
    shape_of = re.sub(r"(?is)\bSELECT\b.*?\bWHERE\b", " ", named)
    shape_of = re.sub(r"(?is)\b(?:GROUP|ORDER)\s+BY\b[^{}]*", " ", shape_of)
    shape_of = re.sub(r"(?is)\bVALUES\s*(?:[?$]\w+|\([^)]*\))\s*\{[^}]*\}", " ", shape_of)
    shape_of = re.sub(r"(?is)\bAS\s+[?$]\w+", " ", shape_of)
    if _VAR_PREDICATE.search(shape_of):
        return None
    return frozenset(iris)


class Incremental:
    """Keeps the answer of every query the engine asks without pre-bound variables (the compiled
    constraints and the targets); after an edit, forgets those that read a changed predicate."""

    def __init__(self, shapes: list[str] | None) -> None:
        self.available = False
        self.memo: dict[str, list] = {}
        self.reads: dict[str, frozenset[str] | None] = {}  # query text -> the predicates it reads
        self.shapes = shapes
        try:
            from ..shacl import run  # noqa: F401  (checked here: used in run)
            from ..validate import finish, load_shapes  # noqa: F401

            self.compiled = load_shapes(shapes)
            self.available = True
        except (ImportError, AttributeError, TypeError, ValueError):
            self.available = False

    def run(self, vocab: "Vocabulary", changed: set[str] | None) -> "Report":
        """The report on ``vocab``; ``changed``: the predicates of the triples added or removed since the last run
        (None: everything)."""
        from ..shacl import run
        from ..validate import _exact, _shipped, finish

        if changed is None:
            self.memo.clear()
        else:
            for text in list(self.memo):
                if text not in self.reads:
                    self.reads[text] = query_predicates(text)
                reads = self.reads[text]
                if reads is None or reads & changed:
                    del self.memo[text]
        results = run(self.compiled, vocab.store, exact=_exact(vocab), memo=self.memo)
        return finish(results, vocab, "fast", checks=None if _shipped(self.shapes) else [])
