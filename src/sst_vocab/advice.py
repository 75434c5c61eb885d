"""Findings in plain language: name the value at fault, point at its line, suggest the fix.

:func:`refine` takes the findings the shapes produced and makes them say what to
change: IRIs in messages are written as CURIEs; a finding about a link points at the
line of that link; an IRI that the vocabulary does not define gets "did you mean"
its closest defined neighbour; the missing half of a broader/narrower or related
pair is named as the triple to add; one fault reported by two related rules is
reported once.  :func:`namespace_checks` finds well-known namespaces with a typo
(``http://www.w3.org/2004/02/skos/cor#``), which otherwise drop every concept that
uses them silently.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from typing import TYPE_CHECKING, cast

from .namespaces import DCT, OWL, PREFIXES, PROV, RDF, RDFS, SDO, SKOS, SSTSH, XSD, curie

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Vocabulary
    from .validate import Finding

__all__ = ["WELL_KNOWN", "namespace_checks", "refine", "suggest"]

#: Well-known namespaces a typo is checked against: name -> namespace.
WELL_KNOWN = {
    "skos": SKOS,
    "dcterms": DCT,
    "dc": "http://purl.org/dc/elements/1.1/",
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "prov": PROV,
    "schema": SDO,
    "schema (http)": "http://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sh": "http://www.w3.org/ns/shacl#",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "adms": "http://www.w3.org/ns/adms#",
    "reg": "http://purl.org/linked-data/registry#",
}

#: Rules that report the same fault: the later ones are dropped when the first fires at the same focus.
SAME_FAULT = [
    ("LBL-01-unique-lang", "LBL-02-monolingual"),
    ("HIE-06-link-target", "HIE-06-untyped-concept"),
]

_IRI = re.compile(r"(?<![<\w])(https?://[^\s<>\"{}|\\^`,;()]+)")


def _distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance of ``a`` and ``b`` when it is at most ``limit``, else ``limit + 1``.

    Banded: only cells within ``limit`` of the diagonal are computed, so it is linear in the length.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    big = limit + 1
    prev = {j: j for j in range(min(len(b), limit) + 1)}
    for i in range(1, len(a) + 1):
        cur = {}
        lo, hi = max(0, i - limit), min(len(b), i + limit)
        for j in range(lo, hi + 1):
            if j == 0:
                cur[j] = i
                continue
            cost = prev.get(j - 1, big) + (a[i - 1] != b[j - 1])
            cur[j] = min(cost, prev.get(j, big) + 1, cur.get(j - 1, big) + 1)
        if min(cur.values()) > limit:
            return big
        prev = cur
    return min(prev.get(len(b), big), big)


def suggest(wanted: str, candidates, cutoff: float = 0.75) -> str | None:
    """The candidate closest to ``wanted`` when it is close enough, else None."""
    found = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


def _namespace_of(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut > 0 else iri


def namespace_checks(vocab: Vocabulary) -> list[tuple]:
    """NS-01: a namespace in use that is a small edit away from a well-known one (a typo)."""
    import pyoxigraph as ox

    known = set(WELL_KNOWN.values()) | set(PREFIXES.values())
    # The IRIs in use, each once, from the store's own DISTINCT (in every graph, as the uses are
    # counted below: a vocabulary is loaded into the default graph, and then the union of the graphs,
    # slower, is not needed); their namespaces are few.  Only a namespace near a well-known one has
    # its uses counted, by going through the triples in Python (rare: a typo).
    union = next(iter(vocab.store.named_graphs()), None) is not None
    namespaces: set[str] = set()
    for query in (
        "SELECT DISTINCT ?t WHERE { { ?t ?p ?o } UNION { ?s ?p ?t } FILTER(isIRI(?t)) }",
        "SELECT DISTINCT ?t WHERE { ?s ?t ?o }",
    ):
        rows = cast("ox.QuerySolutions", vocab.store.query(query, use_default_graph_as_union=union))
        namespaces.update(_namespace_of(row[0].value) for row in rows)
    suspects: dict[str, str] = {}  # a misspelt namespace -> the well-known one it is near
    for ns in sorted(namespaces - known):
        near = sorted((_distance(ns, k), k) for k in known if abs(len(k) - len(ns)) <= 2)
        if near and len(ns) >= 12 and 0 < near[0][0] <= 2:
            suspects[ns] = near[0][1]
    if not suspects:
        return []
    uses = dict.fromkeys(suspects, 0)
    for q in vocab.store:
        for term in (q.subject, q.predicate, q.object):
            if isinstance(term, ox.NamedNode):
                ns = _namespace_of(term.value)
                if ns in uses:
                    uses[ns] += 1
    out = []
    for ns, best in suspects.items():
        name = next((n for n, v in WELL_KNOWN.items() if v == best), None) or next(
            (n for n, v in PREFIXES.items() if v == best), ""
        )
        declared = [(path, p) for path, out_ in vocab.outlines.items() for p, v in out_.prefixes.items() if v == ns]
        prefix_text = f"the prefix {declared[0][1]}: is bound to <{ns}>" if declared else f"<{ns}> is used"
        message = (
            f"{prefix_text}, which is not the {name.split(' ')[0].upper()} namespace: did you mean <{best}>? "
            f"{uses[ns]} use(s) of it mean nothing to SKOS tools (a concept typed with it is not a concept). "
            "Fix the namespace IRI."
        )
        out.append((SSTSH + "NS-01-misspelt-namespace", "Violation", ox.NamedNode(ns), None, message, None))
    return out


def _prefix_line(vocab: Vocabulary, path: str, ns: str) -> int | None:
    text = vocab.texts.get(path, "")
    for n, line in enumerate(text.splitlines(), 1):
        if f"<{ns}>" in line and re.match(r"\s*@?prefix\b", line, re.I):
            return n
    return None


def _short(text: str, prefixes: dict[str, str]) -> str:
    if "http" not in text:  # most messages name no IRI: no need to scan them
        return text

    def sub(m: re.Match) -> str:
        iri = m.group(1)
        tail = ""
        while iri and iri[-1] in ".:":
            tail = iri[-1] + tail
            iri = iri[:-1]
        c = _curie(iri, prefixes)
        return (c if c != iri else f"<{iri}>") + tail

    return _IRI.sub(sub, text)


class _Prefixes(dict):
    """The prefixes of one :func:`refine` call, with the CURIEs already made (thousands of findings
    name the same few thousand IRIs, and each shortening tries every prefix)."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.made: dict[str, str] = {}


def _curie(iri: str, prefixes: dict[str, str]) -> str:
    made = getattr(prefixes, "made", None)
    if made is None:
        return curie(iri, prefixes)
    if iri not in made:
        made[iri] = curie(iri, prefixes)
    return made[iri]


class _Blocks:
    """The subject blocks of one file, each read once: its lines without comments, joined, so that
    finding a value's line is one ``str.find`` over the block (a concept with a hundred labels has
    a hundred findings, and scanning its block line by line for each was quadratic in the block)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.blocks: dict[int, tuple[str, list[int]]] = {}

    def _block(self, start: int) -> tuple[str, list[int]]:
        if start not in self.blocks:
            lines = self.lines
            codes = []
            for n in range(start - 1, min(len(lines), start + 2000)):
                code = lines[n].split(" #", 1)[0]
                codes.append(code)
                if n >= start and (code.strip() == "." or code.rstrip().endswith(" .")):
                    break
            offsets, at = [], 0
            for code in codes:
                offsets.append(at)
                at += len(code) + 1
            self.blocks[start] = ("\n".join(codes), offsets)
        return self.blocks[start]

    def line(self, start: int | None, forms: list[str]) -> int | None:
        """The line, in the block starting at ``start``, where one of ``forms`` (how the value is written)
        first stands as a whole token."""
        if not start or not forms:
            return None
        text, offsets = self.blocks.get(start) or self._block(start)
        best = None
        for form in forms:
            if "\n" in form:  # a line never holds a line break: a multi-line literal is not found
                continue
            at = text.find(form)
            while at >= 0:
                end = at + len(form)
                before = text[at - 1] if at else " "
                after = text[end] if end < len(text) else " "
                if not (before.isalnum() or before in ":/#-_") and not (after.isalnum() or after in "/#-_"):
                    index = bisect_right(offsets, at) - 1
                    if best is None or index < best:
                        best = index
                    break
                at = text.find(form, at + 1)
        return None if best is None else start + best


def _forms(iri: str, prefixes: dict[str, str]) -> list[str]:
    out = [f"<{iri}>"]
    for name, ns in prefixes.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            out.append(f"{name}:{iri[len(ns) :]}")
    return out


def refine(findings: list, vocab: Vocabulary, make=None) -> list[Finding]:
    """The findings rewritten for editors (see the module's docstring).

    ``findings`` are tuples of a Finding's fields, in its order (or Findings); each kept one is
    made with ``make(*fields)`` (by default, of the type of the findings given)."""
    if findings and not isinstance(findings[0], tuple):
        from dataclasses import astuple

        make = make or type(findings[0])
        findings = [astuple(f) for f in findings]
    if make is None:
        make = _fields
    prefixes = _Prefixes(PREFIXES)
    for k, v in vocab.prefixes.items():
        if k and v not in prefixes.values():
            prefixes.setdefault(k, v)
    subjects = _Subjects(vocab)  # read only if a finding's value is an IRI
    misspelt = {f[2] for f in findings if f[1] == _NS01}
    typed_wrong: set[str] = set()
    if misspelt:
        import pyoxigraph as ox

        for q in vocab.store:
            if q.predicate.value.startswith(tuple(misspelt)) or (
                isinstance(q.object, ox.NamedNode) and q.object.value.startswith(tuple(misspelt))
            ):
                typed_wrong.add(q.subject.value)
    # one finding per fault
    fired = {(f[1], f[2]) for f in findings if f[1] in _FIRST}
    drop = {(later, focus) for first, later in SAME_FAULT for (rule, focus) in fired if rule == first}
    dropped_rules = {later for later, _ in drop}
    seen: set[tuple] = set()
    blocks_of: dict[str, _Blocks] = {}
    lines: dict[tuple, int | None] = {}  # (file, block, lexical form) -> line (findings share values)
    near_of: dict[str, str | None] = {}  # an undefined IRI -> its closest defined neighbour (many findings share one)
    out: list[Finding] = []
    append = out.append
    for severity, rule, focus, label, file, start, message, value, path in findings:
        if rule in dropped_rules and (rule, focus) in drop:
            continue
        if (
            misspelt
            and rule != _NS01
            and (
                focus in typed_wrong
                or (value or "") in typed_wrong
                or any((value or "").startswith(ns) for ns in misspelt)
            )
        ):
            continue  # a consequence of the misspelt namespace, reported once there
        key = (rule, focus, value)
        if key in seen:  # the same rule, focus and value twice (two engines' paths to one fault)
            continue
        seen.add(key)
        if rule == _NS01:
            where = [
                (p, _prefix_line(vocab, p, focus)) for p, o in vocab.outlines.items() if focus in o.prefixes.values()
            ]
            if where:
                file, start = where[0]
        line = start
        if value is not None:
            literal = value.startswith('"')
            if literal and file:
                lexical = value[: value.rfind('"') + 1]
                at = (file, start, lexical)
                if at in lines:
                    found = lines[at]
                else:
                    if file not in blocks_of:
                        blocks_of[file] = _Blocks(vocab.texts.get(file, "").splitlines())
                    found = lines[at] = blocks_of[file].line(start, [lexical])
                line = found or start
            elif file and not value.startswith("_:"):
                if file not in blocks_of:
                    blocks_of[file] = _Blocks(vocab.texts.get(file, "").splitlines())
                line = blocks_of[file].line(start, _forms(value, prefixes)) or start
                if rule != _NS01 and value not in subjects:
                    if value not in near_of:
                        near_of[value] = suggest(
                            value,
                            [c for c in subjects.in_namespace(_namespace_of(value)) if abs(len(c) - len(value)) <= 4],
                            cutoff=0.8,
                        )
                    near = near_of[value]
                    if near:
                        message = message.rstrip() + f" Did you mean {_curie(near, prefixes)}?"
            message = _short(_advise(rule, focus, value, message, vocab, prefixes), prefixes)
            if value != focus and not value.startswith("_:"):
                shown = value if literal else _curie(value, prefixes)
                if shown not in message and f"<{value}>" not in message:
                    if shown == value and not literal:
                        shown = f"<{value}>"
                    if literal and len(shown) > 64:  # a definition: its start names it
                        shown = shown[: value.rfind('"')][:56].rstrip() + '…"' + value[value.rfind('"') + 1 :]
                    message = message.rstrip() + f" (the value at fault: {shown})"
        else:
            message = _short(message, prefixes)
        append(make(severity, rule, focus, label, file, line, message, value, path))
    return out


def _fields(*fields) -> tuple:
    return fields


_NS01 = "NS-01-misspelt-namespace"
_FIRST = {first for first, _ in SAME_FAULT}


class _Subjects:
    """The IRIs that are subjects, each once, read from the store on first use (the store's own
    DISTINCT: iterating every triple in Python costs several times as much), and by namespace."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._all: set[str] | None = None
        self._by_ns: dict[str, list[str]] | None = None

    def _read(self) -> set[str]:
        if self._all is None:
            import pyoxigraph as ox

            rows = cast(
                "ox.QuerySolutions",
                self.vocab.store.query(
                    "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }", use_default_graph_as_union=True
                ),
            )
            self._all = {row[0].value for row in rows}
        return self._all

    def __contains__(self, iri: str) -> bool:
        return iri in self._read()

    def in_namespace(self, ns: str) -> list[str]:
        if self._by_ns is None:
            self._by_ns = {}
            for s in self._read():
                self._by_ns.setdefault(_namespace_of(s), []).append(s)
        return self._by_ns.get(ns, [])


def _advise(
    rule: str, focus: str, target: str | None, message: str, vocab: Vocabulary, prefixes: dict[str, str]
) -> str:
    """Rule-specific advice written as the edit to make (``target``: the value at fault, an IRI)."""
    if target is None or not rule.startswith("REL-04-"):
        return message
    this, value = _curie(focus, prefixes), _curie(target, prefixes)
    if rule == "REL-04-broader-narrower-inverse":
        import pyoxigraph as ox

        has_broader = any(
            True
            for _ in vocab.store.quads_for_pattern(
                ox.NamedNode(focus), ox.NamedNode(SKOS + "broader"), ox.NamedNode(target), ox.DefaultGraph()
            )
        )
        if has_broader:
            return (
                f"{this} has skos:broader {value}, but {value} does not list it as narrower: "
                f"add `skos:narrower {this}` to {value}."
            )
        return (
            f"{this} has skos:narrower {value}, but {value} does not list it as broader: "
            f"add `skos:broader {this}` to {value}."
        )
    if rule == "REL-04-mapping-inverse":
        import pyoxigraph as ox

        props = sorted(
            q.predicate.value
            for q in vocab.store.quads_for_pattern(ox.NamedNode(focus), None, ox.NamedNode(target), ox.DefaultGraph())
            if q.predicate.value.startswith(SKOS) and q.predicate.value.endswith("Match")
        )
        inverse = {"broadMatch": "narrowMatch", "narrowMatch": "broadMatch"}
        if props:
            local = props[0][len(SKOS) :]
            back = "skos:" + inverse.get(local, local)
            return (
                f"{this} has skos:{local} {value}, but not the reverse: add `{back} {this}` to {value} "
                "(both are in the files)."
            )
        return message
    if rule == "REL-04-related-inverse":
        return f"{this} has skos:related {value}, but not the reverse: add `skos:related {this}` to {value}."
    return message
