"""Completion: concepts after a prefix, SKOS terms after ``skos:``, language tags after ``@``, prefixes.

A prefix the file has not declared (one declared elsewhere in the workspace, or a
well-known namespace) is offered too, and choosing it adds the ``PREFIX`` line.
"""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from ..namespaces import SKOS, curie
from .navigation import label_of, types_of
from .positions import Lines
from .terms import KNOWN_NAMESPACES, SKOS_TERMS
from .workspace import Workspace, declared_prefixes

__all__ = ["complete", "prefix_line_edit"]

_LOCAL_OK = re.compile(r"[A-Za-z0-9_](?:[\w.-]*[\w-])?|")
_BEFORE = re.compile(
    r"(?:(?P<lang>[\"']@(?P<tag>[A-Za-z0-9-]*))|(?P<pname>(?P<prefix>[A-Za-z][\w.-]*)?:(?P<local>[\w.%-]*))"
    r"|(?P<word>[A-Za-z][\w.-]*))$"
)

_CACHE: dict[tuple, object] = {}


def _cached(ws: Workspace, key: str, compute):
    k = (id(ws), ws.graph_version, key)
    if k not in _CACHE:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[k] = compute()
    return _CACHE[k]


def _languages(ws: Workspace) -> list[str]:
    def compute():
        found: dict[str, int] = {}
        for row in ws.store.query(
            "SELECT ?l (COUNT(*) AS ?n) WHERE { ?s ?p ?o . FILTER(isLiteral(?o)) "
            "BIND(LANG(?o) AS ?l) FILTER(?l != '') } GROUP BY ?l"
        ):
            found[row["l"].value] = int(row["n"].value)
        return sorted(found, key=lambda k: (-found[k], k))

    return _cached(ws, "languages", compute)


def _iris_under(ws: Workspace, namespace: str) -> list[str]:
    """IRIs in the namespace that the workspace describes or uses as predicates or types."""

    def compute():
        import pyoxigraph as ox

        out: dict[str, None] = {}
        for iri in ws.subjects():
            if iri.startswith(namespace):
                out[iri] = None
        text = namespace.replace("\\", "\\\\").replace('"', '\\"')
        q = (
            "SELECT DISTINCT ?x WHERE { { ?s ?x ?o } UNION { ?s a ?x } "
            f'FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{text}")) }}'
        )
        try:
            for row in ws.store.query(q):
                if isinstance(row["x"], ox.NamedNode):
                    out.setdefault(row["x"].value, None)
        except (SyntaxError, ValueError):
            pass
        return list(out)

    return _cached(ws, "ns:" + namespace, compute)


def prefix_line_edit(text: str, prefix: str, namespace: str, lines: Lines) -> lsp.TextEdit:
    """The edit that declares ``prefix`` in the file's own style, after its last prefix line."""
    last = None
    at_style = False
    for m in re.finditer(r"(?im)^[ \t]*(@?)prefix[ \t]+[^\n]*$", text):
        last = m
        at_style = m.group(1) == "@"
    line = f"@prefix {prefix}: <{namespace}> .\n" if at_style else f"PREFIX {prefix}: <{namespace}>\n"
    if last is not None:
        if text[last.end() : last.end() + 1] == "\n":
            offset = last.end() + 1
        else:  # the last prefix line ends the file without a line break
            offset, line = last.end(), "\n" + line.rstrip("\n")
    else:  # after the header comments, before the first statement
        offset = 0
        for m in re.finditer(r"[^\n]*\n", text):
            if not m.group().lstrip().startswith("#"):
                break
            offset = m.end()
    pos = lsp.Position(*lines.position(offset))
    return lsp.TextEdit(range=lsp.Range(pos, pos), new_text=line)


def _known_prefixes(ws: Workspace) -> dict[str, str]:
    out = dict(ws.prefixes())
    for k, v in KNOWN_NAMESPACES.items():
        out.setdefault(k, v)
    return out


def complete(ws: Workspace, path: str, offset: int, lines: Lines) -> lsp.CompletionList:
    state = ws.state(path)
    if state is None:
        return lsp.CompletionList(is_incomplete=False, items=[])
    text = state.text
    line_start = text.rfind("\n", 0, offset) + 1
    before = text[line_start:offset]
    m = _BEFORE.search(before)
    items: list[lsp.CompletionItem] = []
    if m is None:
        return lsp.CompletionList(is_incomplete=False, items=items)
    start = line_start + m.start()
    rng = lsp.Range(lsp.Position(*lines.position(start)), lsp.Position(*lines.position(offset)))
    declared = declared_prefixes(text)
    if m.group("lang") is not None:
        tag_start = line_start + m.start("tag")
        tag_range = lsp.Range(lsp.Position(*lines.position(tag_start)), lsp.Position(*lines.position(offset)))
        for i, lang in enumerate(_languages(ws)):
            items.append(
                lsp.CompletionItem(
                    label=lang,
                    kind=lsp.CompletionItemKind.Constant,
                    detail="language tag used in the workspace",
                    sort_text=f"{i:04d}",
                    text_edit=lsp.TextEdit(range=tag_range, new_text=lang),
                )
            )
        return lsp.CompletionList(is_incomplete=False, items=items)
    if m.group("pname") is not None:
        prefix = m.group("prefix") or ""
        namespace = declared.get(prefix)
        extra: list[lsp.TextEdit] | None = None
        if namespace is None:
            namespace = _known_prefixes(ws).get(prefix)
            if namespace is None:
                return lsp.CompletionList(is_incomplete=False, items=items)
            extra = [prefix_line_edit(text, prefix, namespace, lines)]
        for iri in _iris_under(ws, namespace) if namespace != SKOS else []:
            local = iri[len(namespace) :]
            if not _LOCAL_OK.fullmatch(local):
                continue
            label = label_of(ws, iri)
            types = types_of(ws, iri)
            is_scheme = SKOS + "ConceptScheme" in types
            doc = None
            from .navigation import _best, _objects

            definition = _best(_objects(ws, iri, SKOS + "definition"))
            if definition:
                doc = lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=definition)
            items.append(
                lsp.CompletionItem(
                    label=f"{prefix}:{local}",
                    kind=lsp.CompletionItemKind.Module
                    if is_scheme
                    else lsp.CompletionItemKind.Class
                    if SKOS + "Concept" in types
                    else lsp.CompletionItemKind.Value,
                    detail=(label or "") + ("  (concept scheme)" if is_scheme else ""),
                    documentation=doc,
                    filter_text=f"{prefix}:{local} {label or ''}".strip(),
                    label_details=lsp.CompletionItemLabelDetails(description=label) if label else None,
                    text_edit=lsp.TextEdit(range=rng, new_text=f"{prefix}:{local}"),
                    additional_text_edits=extra,
                )
            )
        if namespace == SKOS:
            for local, (kind, definition) in SKOS_TERMS.items():
                items.append(
                    lsp.CompletionItem(
                        label=f"{prefix}:{local}",
                        kind=lsp.CompletionItemKind.Class if kind == "class" else lsp.CompletionItemKind.Property,
                        detail=f"SKOS {kind}",
                        documentation=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=definition),
                        text_edit=lsp.TextEdit(range=rng, new_text=f"{prefix}:{local}"),
                        additional_text_edits=extra,
                    )
                )
        return lsp.CompletionList(is_incomplete=False, items=items)
    # a bare word: prefixes, declared first; an undeclared one brings its PREFIX line
    word = m.group("word") or ""
    line_before = before[: m.start()]
    if re.search(r"(?i)@?prefix\s*$", line_before):
        # declaring a prefix: offer the namespaces people use
        for prefix, namespace in sorted(_known_prefixes(ws).items()):
            if prefix in declared or not prefix.startswith(word[:1]):
                continue
            items.append(
                lsp.CompletionItem(
                    label=f"{prefix}:",
                    kind=lsp.CompletionItemKind.Module,
                    detail=namespace,
                    text_edit=lsp.TextEdit(range=rng, new_text=f"{prefix}: <{namespace}>"),
                )
            )
        return lsp.CompletionList(is_incomplete=False, items=items)
    for prefix, namespace in sorted(declared.items()):
        items.append(
            lsp.CompletionItem(
                label=f"{prefix}:",
                kind=lsp.CompletionItemKind.Module,
                detail=namespace,
                sort_text=f"0{prefix}",
                text_edit=lsp.TextEdit(range=rng, new_text=f"{prefix}:"),
            )
        )
    for prefix, namespace in sorted(_known_prefixes(ws).items()):
        if prefix in declared or not prefix:
            continue
        items.append(
            lsp.CompletionItem(
                label=f"{prefix}:",
                kind=lsp.CompletionItemKind.Module,
                detail=f"{namespace} (adds the PREFIX line)",
                sort_text=f"1{prefix}",
                text_edit=lsp.TextEdit(range=rng, new_text=f"{prefix}:"),
                additional_text_edits=[prefix_line_edit(text, prefix, namespace, lines)],
            )
        )
    return lsp.CompletionList(is_incomplete=False, items=items)


def curie_in(text: str, iri: str) -> str:
    """``iri`` written with the file's own prefixes (a CURIE if one fits, else ``<iri>``)."""
    short = curie(iri, declared_prefixes(text))
    return short if short != iri else f"<{iri}>"
