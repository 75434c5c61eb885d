"""Diagnostics: syntax errors, undeclared prefixes and SHACL findings as LSP diagnostics, per file.

* A file that does not parse gets one error at the parser's exact line and columns, and
  one error for each use of a prefix it does not declare (each with a quick fix).
* A finding of :func:`sst_vocab.validate.validate` goes to the line where the focus
  node's block starts, in the first file that describes it (as ``validate`` reports it);
  the other files that describe the same subject are its related information.  Severity
  Violation/Warning/Info -> Error/Warning/Information; ``code`` is the rule ID and
  ``codeDescription`` links to the shape that defines the rule.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from .positions import Lines, path_to_uri
from .workspace import PNAME, Workspace, declared_prefixes

if TYPE_CHECKING:  # pragma: no cover
    from ..validate import Finding

__all__ = ["SOURCE", "compute", "rule_documentation", "undeclared_prefixes"]

SOURCE = "sst-vocab"
SYNTAX = "syntax"
UNDECLARED_PREFIX = "undeclared-prefix"
NOT_VALIDATED = "not-validated"

_SEVERITY = {
    "Violation": lsp.DiagnosticSeverity.Error,
    "Warning": lsp.DiagnosticSeverity.Warning,
    "Info": lsp.DiagnosticSeverity.Information,
}

_RULE_DOCS: dict[tuple, dict[str, str]] = {}


def rule_documentation(shapes: list[str] | None) -> dict[str, str]:
    """Rule ID -> a link to the shape that defines it (the shapes file, at the shape's line)."""
    from ..loader import read_text, resolve_paths
    from ..namespaces import SSTSH
    from ..resources import data_dir
    from ..turtle_lex import outline

    key = tuple(shapes or ())
    if key not in _RULE_DOCS:
        docs: dict[str, str] = {}
        try:
            for path in resolve_paths(list(shapes) if shapes else [data_dir("shapes")]):
                out = outline(read_text(path)[1])
                for iri, line in out.subjects.items():
                    rule = iri[len(SSTSH) :] if iri.startswith(SSTSH) else iri
                    docs.setdefault(rule, f"{path_to_uri(path)}#L{line}")
        except Exception:  # noqa: BLE001 - documentation links are a convenience; validation reports the real problem
            pass
        for rule, href in _python_rule_documentation().items():
            docs.setdefault(rule, href)
        _RULE_DOCS[key] = docs
    return _RULE_DOCS[key]


#: The rules checked in Python (not by a shape), and the function that checks each.
PYTHON_RULES = {
    "FILE-01-subject-in-two-files": ("validate", "_files_checks", "FILE-01"),
    "LIT-01-ill-typed-literal": ("validate", "_ill_typed_literals", "LIT-01"),
    "LNG-01-unregistered-language-tag": ("validate", "_language_tag_checks", "LNG-01-unregistered-language-tag"),
    "LNG-01-private-use-language-tag": ("validate", "_language_tag_checks", "LNG-01-private-use-language-tag"),
    "REL-06-disconnected-cluster": ("validate", "_cluster_checks", "REL-06"),
    "NS-01-misspelt-namespace": ("advice", "namespace_checks", "NS-01"),
}


def _python_rule_documentation() -> dict[str, str]:
    """Rule ID -> a link to what documents a rule checked in Python: the line of the README that
    describes it, in a source checkout; else the function that checks it (its docstring says what)."""
    import importlib
    import inspect

    from ..resources import checkout_root

    readme: list[str] = []
    root = checkout_root()
    if root is not None:
        try:
            with open(os.path.join(root, "README.md"), encoding="utf-8") as fh:
                readme = fh.read().split("\n")
        except OSError:
            readme = []
    out: dict[str, str] = {}
    for rule, (module, function, mention) in PYTHON_RULES.items():
        line = next((n for n, text in enumerate(readme, 1) if f"`{mention}`" in text), None)
        if line is not None and root is not None:
            out[rule] = f"{path_to_uri(os.path.join(root, 'README.md'))}#L{line}"
            continue
        try:
            fn = getattr(importlib.import_module(f"sst_vocab.{module}"), function)
            source = inspect.getsourcefile(fn)
            if source is not None:
                out[rule] = f"{path_to_uri(source)}#L{inspect.getsourcelines(fn)[1]}"
        except (ImportError, AttributeError, OSError, TypeError):
            continue
    return out


_USE = re.compile(
    r"(?P<skip>#[^\n]*|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r"|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>)|(?P<pname>" + PNAME + ")",
    re.S,
)
_DECL_BEFORE = re.compile(r"(?i)@?prefix\s*$")


def undeclared_prefixes(text: str) -> list[tuple[str, int, int]]:
    """(prefix, start, end) of every prefixed name whose prefix the text does not declare."""
    declared = declared_prefixes(text)
    out = []
    for m in _USE.finditer(text):
        if m.lastgroup != "pname":
            continue
        name = m.group().rstrip(".")
        prefix = name.split(":", 1)[0]
        if prefix in declared or name.startswith("_:"):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _DECL_BEFORE.search(text[line_start : m.start()]):
            continue
        out.append((prefix, m.start(), m.start() + len(name)))
    return out


def _range(lines: Lines, start: int, end: int) -> lsp.Range:
    a, b = lines.position(start), lines.position(end)
    return lsp.Range(lsp.Position(*a), lsp.Position(*b))


def _line_range(lines: Lines, line0: int) -> lsp.Range:
    text = lines.line_text(line0)
    indent = len(text) - len(text.lstrip())
    return lsp.Range(
        lsp.Position(line0, lines.column_to_character(line0, indent)), lsp.Position(*lines.line_end(line0))
    )


def syntax_diagnostics(ws: Workspace, path: str, encoding: str) -> list[lsp.Diagnostic]:
    """The syntax error and undeclared prefixes of a file that does not parse."""
    state = ws.state(path)
    if state is None or state.problem is None:
        return []
    problem = state.problem
    lines = Lines(state.text, encoding)
    out = []
    if problem.line is not None:
        line0 = max(0, problem.line - 1)
        col0 = max(0, (problem.column or 1) - 1)
        start = lsp.Position(line0, lines.column_to_character(line0, col0))
        if (
            problem.end_line
            and problem.end_column
            and (problem.end_line, problem.end_column) > (problem.line, problem.column or 1)
        ):
            end_line0 = problem.end_line - 1
            end = lsp.Position(end_line0, lines.column_to_character(end_line0, problem.end_column - 1))
        else:
            end = lsp.Position(line0, lines.column_to_character(line0, col0 + 1))
        rng = lsp.Range(start, end)
    else:
        rng = lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0))
    undeclared = undeclared_prefixes(state.text)
    parser_names_prefix = "has not been declared" in problem.message
    out.append(
        lsp.Diagnostic(
            range=rng,
            message=problem.message,
            severity=lsp.DiagnosticSeverity.Error,
            source=SOURCE,
            code=UNDECLARED_PREFIX if parser_names_prefix else SYNTAX,
            data=_prefix_data(problem.message) if parser_names_prefix else None,
        )
    )
    for prefix, start_offset, end_offset in undeclared:
        r = _range(lines, start_offset, end_offset)
        if r == rng:
            continue
        out.append(
            lsp.Diagnostic(
                range=r,
                message=f"The prefix {prefix}: has not been declared",
                severity=lsp.DiagnosticSeverity.Error,
                source=SOURCE,
                code=UNDECLARED_PREFIX,
                data={"prefix": prefix},
            )
        )
    return out


def _prefix_data(message: str) -> dict | None:
    m = re.search(r"prefix ([A-Za-z][\w.-]*)?: has not been declared", message)
    return {"prefix": m.group(1) or ""} if m else None


def finding_message(f: Finding) -> str:
    """The finding's message, naming the value at fault when the message does not (long texts shortened)."""
    msg = f.message
    if f.value and f.value not in msg:
        value = f.value if len(f.value) <= 90 else f.value[:80].rstrip() + "…"
        msg += f" (value: {value})"
    return msg


def to_json(d: lsp.Diagnostic) -> dict:
    """A diagnostic as LSP JSON, written directly (a large vocabulary has thousands; this is the hot path)."""

    def rng(r: lsp.Range) -> dict:
        return {
            "start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character},
        }

    out: dict = {"range": rng(d.range), "message": d.message}
    if d.severity is not None:
        out["severity"] = int(d.severity)
    if d.source is not None:
        out["source"] = d.source
    if d.code is not None:
        out["code"] = d.code
    if d.code_description is not None:
        out["codeDescription"] = {"href": d.code_description.href}
    if d.related_information:
        out["relatedInformation"] = [
            {"location": {"uri": r.location.uri, "range": rng(r.location.range)}, "message": r.message}
            for r in d.related_information
        ]
    if d.data is not None:
        out["data"] = d.data
    return out


def compute(ws: Workspace, encoding: str) -> dict[str, list[str]]:
    """Every file's diagnostics as LSP JSON texts: syntax problems, and the findings of the last validation.

    A large vocabulary has thousands of findings and an edit changes a few but moves many (a line
    added above a block moves every block below it): so each finding's JSON is kept between runs,
    keyed without its line, and only its range is written again when it moved.
    """
    out: dict[str, list[str]] = {
        path: [_dumps(to_json(d)) for d in syntax_diagnostics(ws, path, encoding)] for path in ws.files
    }
    lines_of: dict[str, Lines] = {}

    def lines(path: str) -> Lines:
        if path not in lines_of:
            state = ws.state(path)
            lines_of[path] = Lines(state.text if state else "", encoding)
        return lines_of[path]

    report = ws.report
    if ws.report_error:
        for path in ws.files:
            out[path].append(
                _dumps(
                    to_json(
                        lsp.Diagnostic(
                            range=lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
                            severity=lsp.DiagnosticSeverity.Warning,
                            source=SOURCE,
                            code=NOT_VALIDATED,
                            message=f"Not validated: {ws.report_error}",
                        )
                    )
                )
            )
    if report is None:
        return out
    docs = rule_documentation(ws.shapes)
    subjects = ws.subjects()
    uris: dict[str, str] = {}

    def uri_of(p: str) -> str:
        if p not in uris:
            uris[p] = _string(path_to_uri(p))
        return uris[p]

    ranges: dict[tuple[str, int], str] = {}

    def line_range(p: str, line0: int) -> str:
        if (p, line0) not in ranges:
            ranges[p, line0] = _range_json(lines(p), line0)
        return ranges[p, line0]

    shorts: dict[tuple[str, str], str] = {}

    def short(p: str, relative_to: str) -> str:
        if (p, relative_to) not in shorts:
            shorts[p, relative_to] = _short(p, relative_to)
        return shorts[p, relative_to]

    old_cache = ws._diagnostic_cache
    cache: dict[tuple, tuple] = {}
    blank_blocks = _blank_blocks(ws, report, subjects)
    for f in report.findings:
        blocks = [b for b in (subjects.get(f.focus) or blank_blocks.get(f.focus) or []) if b[0] in out]
        if not blocks:
            continue  # a resource described nowhere (or a blank node no block holds): no line to show it at
        path, line = blocks[0]
        value_blocks = []
        if f.value and f.value.startswith(("http://", "https://", "urn:")):
            value_blocks = [b for b in subjects.get(f.value, [])[:1] if b not in blocks]
        # keyed without line numbers: an edit above shifts every block below, which only moves the ranges
        key = (
            f.severity,
            f.rule,
            f.focus,
            f.message,
            f.value,
            f.path,
            tuple(p for p, _ in blocks),
            tuple(p for p, _ in value_blocks),
            lines(path).line_text(line - 1),
            encoding,
        )
        at = (line, tuple(ln for _, ln in blocks[1:]), tuple(ln for _, ln in value_blocks))
        hit = old_cache.get(key)
        if hit is not None and hit[1] == at:
            text, head, tail = hit[0], hit[2], hit[3]
        else:
            if hit is not None:
                head, tail = hit[2], hit[3]
            else:
                severity = _SEVERITY.get(f.severity)
                head = (
                    ',"message":'
                    + _string(finding_message(f))
                    + (',"severity":' + str(int(severity)) if severity is not None else "")
                    + ',"source":"'
                    + SOURCE
                    + '","code":'
                    + _string(f.rule)
                    + (',"codeDescription":{"href":' + _string(docs[f.rule]) + "}" if f.rule in docs else "")
                )
                tail = ',"data":{"focus":' + _string(f.focus) + ',"rule":' + _string(f.rule) + "}}"
            related = [(p, ln, f"{short(p, path)}:{ln} also describes this subject") for p, ln in blocks[1:]]
            related += [(p, ln, f"{f.value} is described at {short(p, path)}:{ln}") for p, ln in value_blocks]
            middle = ""
            if related:
                middle = (
                    ',"relatedInformation":['
                    + ",".join(
                        '{"location":{"uri":'
                        + uri_of(p)
                        + ',"range":'
                        + line_range(p, ln - 1)
                        + '},"message":'
                        + _string(message)
                        + "}"
                        for p, ln, message in related
                    )
                    + "]"
                )
            text = '{"range":' + line_range(path, line - 1) + head + middle + tail
        cache[key] = (text, at, head, tail)
        out[path].append(text)
    ws._diagnostic_cache = cache
    return out


def _dumps(value) -> str:
    import json

    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _string(text: str) -> str:
    """A string as JSON (the json module's own escaping, without building an encoder per call)."""
    from json.encoder import encode_basestring

    return encode_basestring(text)


def _range_json(lines: Lines, line0: int) -> str:
    text = lines.line_text(line0)
    indent = len(text) - len(text.lstrip())
    start = lines.column_to_character(line0, indent)
    end = lines.line_end(line0)[1]
    return f'{{"start":{{"line":{line0},"character":{start}}},"end":{{"line":{line0},"character":{end}}}}}'


def _blank_blocks(ws: Workspace, report, subjects: dict) -> dict[str, list[tuple[str, int]]]:
    """A finding on a blank node goes to the block that holds it: the block of the named subject
    that refers to it (through other blank nodes if need be), in the file that states the link."""
    blanks = {f.focus for f in report.findings if f.focus and f.focus.startswith("_:")}
    if not blanks:
        return {}
    import pyoxigraph as ox

    store = ws.store
    out: dict[str, list[tuple[str, int]]] = {}
    for focus in blanks:
        node = ox.BlankNode(focus[2:])
        seen = {node}
        frontier = [node]
        found: list[tuple[str, int]] = []
        while frontier and not found and len(seen) < 64:
            nxt = []
            for n in frontier:
                for q in store.quads_for_pattern(None, None, n, ox.DefaultGraph()):
                    s = q.subject
                    if isinstance(s, ox.NamedNode):
                        triple = ox.Triple(s, q.predicate, q.object)
                        for path, line in subjects.get(s.value, []):
                            state = ws.state(path)
                            if state is not None and triple in state.triples and (path, line) not in found:
                                found.append((path, line))
                    elif s not in seen:
                        seen.add(s)
                        nxt.append(s)
            frontier = nxt
        if found:
            out[focus] = found[:1]
    return out


def _short(path: str, relative_to: str) -> str:
    rel = os.path.relpath(path, os.path.dirname(relative_to))
    return rel if not rel.startswith("..") else path
