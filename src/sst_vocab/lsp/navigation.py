"""Hover, go to definition, references, document symbols and workspace symbols.

Facts about a concept are read from the workspace's merged graph (the open buffers'
text included), with the links other concepts make to it (a narrower concept's
``skos:broader`` shows as narrower here, as ``sst-vocab show`` shows it).
"""

from __future__ import annotations

import os

from lsprotocol import types as lsp

from ..namespaces import DCT, OWL, PREFIXES, RDF_TYPE, RDFS, SKOS, SSTX, STATUS_PROPS, curie
from .positions import Lines, path_to_uri
from .terms import skos_term
from .workspace import Workspace, declared_prefixes, expand_term, term_at

__all__ = ["definition", "document_symbols", "hover", "iri_at", "label_of", "references", "workspace_symbols"]


def prefixes_for(ws: Workspace, path: str) -> dict[str, str]:
    """The file's own prefixes, then the workspace's, then the project's."""
    state = ws.state(path)
    merged = dict(declared_prefixes(state.text)) if state else {}
    for k, v in {**ws.prefixes(), **PREFIXES}.items():
        merged.setdefault(k, v)
    return merged


def iri_at(ws: Workspace, path: str, offset: int) -> tuple[str, int, int] | None:
    """The IRI written at ``offset`` (an IRI or a prefixed name): (iri, start, end)."""
    state = ws.state(path)
    if state is None:
        return None
    found = term_at(state.text, offset)
    if found is None or found[0].startswith("@"):
        return None
    token, start, end = found
    own = declared_prefixes(state.text)
    iri = expand_term(token, own) or expand_term(token, prefixes_for(ws, path))
    return (iri, start, end) if iri else None


# ---------------------------------------------------------------------------------------------
# facts from the graph
# ---------------------------------------------------------------------------------------------


def _objects(ws: Workspace, iri: str, prop: str) -> list:
    import pyoxigraph as ox

    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return []
    return [q.object for q in ws.store.quads_for_pattern(node, ox.NamedNode(prop), None, ox.DefaultGraph())]


def _subjects(ws: Workspace, prop: str, iri: str) -> list:
    import pyoxigraph as ox

    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return []
    return [q.subject for q in ws.store.quads_for_pattern(None, ox.NamedNode(prop), node, ox.DefaultGraph())]


def _best(literals: list) -> str | None:
    """The text of the best literal for English, by the project's one label rule (:mod:`sst_vocab.model`)."""
    from ..model import best_text

    best = best_text(x for x in literals if type(x).__name__ == "Literal")
    return best.value if best is not None else None


def label_of(ws: Workspace, iri: str) -> str | None:
    """One display label: the best prefLabel for English (:mod:`sst_vocab.model`); then rdfs:label, dcterms:title."""
    for prop in (SKOS + "prefLabel", RDFS + "label", DCT + "title"):
        found = _best(_objects(ws, iri, prop))
        if found:
            return found
    return None


def types_of(ws: Workspace, iri: str) -> set[str]:
    return {t.value for t in _objects(ws, iri, RDF_TYPE) if hasattr(t, "value")}


def _link(ws: Workspace, iri: str, prefixes: dict[str, str]) -> str:
    label = label_of(ws, iri)
    short = curie(iri, prefixes)
    return f"{label} (`{short}`)" if label else f"`{short}`"


# ---------------------------------------------------------------------------------------------
# hover
# ---------------------------------------------------------------------------------------------

_MAPPINGS = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


def hover_text(ws: Workspace, iri: str, prefixes: dict[str, str]) -> str | None:
    """Markdown about ``iri``: a concept (or scheme) of the workspace, or a SKOS or project term."""
    types = types_of(ws, iri)
    described = bool(ws.locations(iri)) or bool(types)
    if described and (
        SKOS + "Concept" in types
        or SKOS + "ConceptScheme" in types
        or SKOS + "Collection" in types
        or _objects(ws, iri, SKOS + "prefLabel")
    ):
        return _concept_hover(ws, iri, types, prefixes)
    term = skos_term(iri)
    if term is not None:
        local, kind, text = term
        return f"**skos:{local}** ({kind}, SKOS)\n\n{text}"
    if described:  # a project property or class, or any other resource the workspace describes
        label = label_of(ws, iri) or curie(iri, prefixes)
        comment = (
            _best(_objects(ws, iri, SKOS + "definition"))
            or _best(_objects(ws, iri, RDFS + "comment"))
            or _best(_objects(ws, iri, DCT + "description"))
        )
        kinds = ", ".join(curie(t, prefixes) for t in sorted(types))
        parts = [f"**{label}** `{curie(iri, prefixes)}`" + (f" ({kinds})" if kinds else "")]
        if comment:
            parts.append(comment)
        return "\n\n".join(parts)
    return None


def _concept_hover(ws: Workspace, iri: str, types: set[str], prefixes: dict[str, str]) -> str:
    label = label_of(ws, iri) or curie(iri, prefixes)
    kind = (
        "concept scheme"
        if SKOS + "ConceptScheme" in types
        else "collection"
        if SKOS + "Collection" in types
        else "concept"
    )
    deprecated = any(v.value.lower() in ("true", "1") for v in _objects(ws, iri, OWL + "deprecated"))
    head = f"**{label}** `{curie(iri, prefixes)}` — {kind}" + (" · **deprecated**" if deprecated else "")
    parts = [head]
    definition = _best(_objects(ws, iri, SKOS + "definition"))
    if definition:
        parts.append(definition)
    origins = {v.value.rsplit("#", 1)[-1] for v in _objects(ws, iri, SSTX + "definitionOrigin")}
    if "verbatim" in origins:
        parts.append("*Verbatim: the source's own words.*")
    elif "editorial" in origins:
        parts.append("*Editorial: written by the vocabulary's editors, not the source's wording.*")
    rows = []
    alt = sorted({v.value for v in _objects(ws, iri, SKOS + "altLabel")})
    if alt:
        rows.append(("Also called", " · ".join(alt)))
    statuses = [
        v.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] for p in STATUS_PROPS for v in _objects(ws, iri, p)
    ]
    review = [v.value.rsplit("#", 1)[-1] for v in _objects(ws, iri, SSTX + "reviewStatus")]
    if statuses:
        rows.append(("Status", ", ".join(statuses)))
    if review:
        rows.append(("Review", ", ".join(review)))
    replaced = [v.value for v in _objects(ws, iri, DCT + "isReplacedBy") if hasattr(v, "value")]
    if replaced:
        rows.append(("Replaced by", ", ".join(_link(ws, r, prefixes) for r in replaced)))
    broader = {v.value for v in _objects(ws, iri, SKOS + "broader")} | {
        s.value for s in _subjects(ws, SKOS + "narrower", iri)
    }
    narrower = {v.value for v in _objects(ws, iri, SKOS + "narrower")} | {
        s.value for s in _subjects(ws, SKOS + "broader", iri)
    }
    for name, items in (("Broader", broader), ("Narrower", narrower)):
        if items:
            rows.append((name, ", ".join(_link(ws, i, prefixes) for i in sorted(items))))
    for m in _MAPPINGS:
        targets = sorted(v.value for v in _objects(ws, iri, SKOS + m) if hasattr(v, "value"))
        if targets:
            rows.append((m.replace("Match", " match"), ", ".join(f"<{t}>" for t in targets)))
    if rows:
        parts.append("\n".join(f"- **{k}:** {v}" for k, v in rows))
    where = ws.locations(iri)
    if where:
        parts.append("Defined in " + ", ".join(f"{os.path.basename(p)}:{ln}" for p, ln in where))
    return "\n\n".join(parts)


def hover(ws: Workspace, path: str, offset: int, lines: Lines) -> lsp.Hover | None:
    found = iri_at(ws, path, offset)
    if found is None:
        return None
    iri, start, end = found
    text = hover_text(ws, iri, prefixes_for(ws, path))
    if text is None:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
        range=lsp.Range(lsp.Position(*lines.position(start)), lsp.Position(*lines.position(end))),
    )


# ---------------------------------------------------------------------------------------------
# navigation
# ---------------------------------------------------------------------------------------------


def _text_lines(ws: Workspace, path: str, encoding: str) -> Lines:
    state = ws.state(path)
    return Lines(state.text if state else "", encoding)


def block_location(ws: Workspace, path: str, line: int, encoding: str) -> lsp.Location:
    lines = _text_lines(ws, path, encoding)
    line0 = line - 1
    return lsp.Location(
        uri=path_to_uri(path), range=lsp.Range(lsp.Position(line0, 0), lsp.Position(*lines.line_end(line0)))
    )


def definition(ws: Workspace, path: str, offset: int, encoding: str) -> list[lsp.Location]:
    found = iri_at(ws, path, offset)
    if found is None:
        return []
    return [block_location(ws, p, ln, encoding) for p, ln in ws.locations(found[0])]


def references(
    ws: Workspace, path: str, offset: int, encoding: str, include_declaration: bool = True
) -> list[lsp.Location]:
    found = iri_at(ws, path, offset)
    if found is None:
        return []
    return uses_of(ws, found[0], encoding, include_declaration)


def uses_of(ws: Workspace, iri: str, encoding: str, include_declaration: bool = True) -> list[lsp.Location]:
    """Every place ``iri`` is written in the workspace (IRIs and prefixed names, not text)."""
    out = []
    blocks = set(ws.locations(iri))
    for p in list(ws.files):
        spans = ws.uses(p).get(iri)
        if not spans:
            continue
        lines = _text_lines(ws, p, encoding)
        for start, end in spans:
            a, b = lines.position(start), lines.position(end)
            if not include_declaration and (p, a[0] + 1) in blocks:
                continue
            out.append(lsp.Location(uri=path_to_uri(p), range=lsp.Range(lsp.Position(*a), lsp.Position(*b))))
    return out


_KIND = {
    SKOS + "ConceptScheme": lsp.SymbolKind.Namespace,
    SKOS + "Concept": lsp.SymbolKind.Class,
    SKOS + "Collection": lsp.SymbolKind.Array,
    SKOS + "OrderedCollection": lsp.SymbolKind.Array,
    OWL + "Class": lsp.SymbolKind.Interface,
    RDFS + "Class": lsp.SymbolKind.Interface,
    OWL + "ObjectProperty": lsp.SymbolKind.Property,
    OWL + "DatatypeProperty": lsp.SymbolKind.Property,
    OWL + "AnnotationProperty": lsp.SymbolKind.Property,
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property": lsp.SymbolKind.Property,
    OWL + "Ontology": lsp.SymbolKind.Module,
}


def _kind(types: set[str]) -> lsp.SymbolKind:
    for t, k in _KIND.items():
        if t in types:
            return k
    return lsp.SymbolKind.Object


def document_symbols(ws: Workspace, path: str, encoding: str) -> list[lsp.DocumentSymbol]:
    """The file's subjects by label, concepts nested under their broader concept in the same file."""
    state = ws.state(path)
    if state is None or state.outline is None:
        return []
    lines = Lines(state.text if state.good_text is state.text else state.good_text or "", encoding)
    prefixes = prefixes_for(ws, path)
    subjects = sorted(state.outline.subjects.items(), key=lambda kv: kv[1])
    symbols: dict[str, lsp.DocumentSymbol] = {}
    last = len(lines.starts) - 1
    for i, (iri, line) in enumerate(subjects):
        end_line = (subjects[i + 1][1] - 2) if i + 1 < len(subjects) else last
        while end_line > line - 1 and not lines.line_text(end_line).strip():
            end_line -= 1
        end_line = max(end_line, line - 1)
        types = types_of(ws, iri)
        detail = curie(iri, prefixes)
        symbols[iri] = lsp.DocumentSymbol(
            name=label_of(ws, iri) or detail,
            detail=detail,
            kind=_kind(types),
            range=lsp.Range(lsp.Position(line - 1, 0), lsp.Position(*lines.line_end(end_line))),
            selection_range=lsp.Range(lsp.Position(line - 1, 0), lsp.Position(*lines.line_end(line - 1))),
            children=[],
        )
    parent: dict[str, str] = {}
    for iri in symbols:
        ups = sorted(
            {v.value for v in _objects(ws, iri, SKOS + "broader") if getattr(v, "value", None) in symbols}
            | {s.value for s in _subjects(ws, SKOS + "narrower", iri) if getattr(s, "value", None) in symbols}
        )
        ups = [u for u in ups if u != iri]
        if ups:
            parent[iri] = ups[0]

    def cycles(iri: str) -> bool:
        seen = {iri}
        up = parent.get(iri)
        while up is not None:
            if up in seen:
                return True
            seen.add(up)
            up = parent.get(up)
        return False

    roots = []
    children: dict[str, list[lsp.DocumentSymbol]] = {}
    for iri, sym in symbols.items():
        up = parent.get(iri)
        if up is not None and not cycles(iri):
            children.setdefault(up, []).append(sym)
        else:
            roots.append(sym)
    for iri, sym in symbols.items():
        kids = children.get(iri)
        sym.children = sorted(kids, key=lambda s: s.name.casefold()) if kids else None
    return roots


def workspace_symbols(ws: Workspace, query: str, encoding: str, limit: int = 500) -> list[lsp.SymbolInformation]:
    """Subjects whose preferred, alternative or hidden labels (or IRI) contain ``query``, labels first."""
    import pyoxigraph as ox

    wanted = query.strip().casefold()
    blocks = ws.subjects()
    prefixes = {**ws.prefixes(), **PREFIXES}
    scored: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for prop, rank in ((SKOS + "prefLabel", 0), (SKOS + "altLabel", 1), (SKOS + "hiddenLabel", 2), (RDFS + "label", 1)):
        for q in ws.store.quads_for_pattern(None, ox.NamedNode(prop), None, ox.DefaultGraph()):
            s = q.subject
            if not isinstance(s, ox.NamedNode) or s.value not in blocks:
                continue
            text = q.object.value
            folded = text.casefold()
            if wanted and wanted not in folded:
                continue
            score = rank * 10 + (0 if folded == wanted else 1 if folded.startswith(wanted) else 2)
            scored.append((score, text, s.value))
    for iri in blocks:
        if wanted and wanted in iri.casefold():
            scored.append((50, curie(iri, prefixes), iri))
    scored.sort(key=lambda x: (x[0], x[1].casefold()))
    out = []
    for _score, _text, iri in scored:
        if iri in seen:
            continue
        seen.add(iri)
        p, line = blocks[iri][0]
        out.append(
            lsp.SymbolInformation(
                name=label_of(ws, iri) or curie(iri, prefixes),
                kind=_kind(types_of(ws, iri)),
                location=block_location(ws, p, line, encoding),
                container_name=curie(iri, prefixes),
            )
        )
        if len(out) >= limit:
            break
    return out
