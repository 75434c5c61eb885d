"""The checks made in Python, beside the shapes: what SHACL over one merged graph cannot see
(ill-typed literals LIT-01, files FILE-01, disconnected clusters REL-06, language tags against the
IANA registry LNG-01) and, from :mod:`sst_vocab.advice`, misspelt namespaces NS-01.

Each check takes a loaded :class:`~sst_vocab.loader.Vocabulary` and returns its findings as
:class:`sst_vocab.shacl.Result` tuples; :func:`sst_vocab.validate.validate` runs them beside the
shape queries and :func:`sst_vocab.validate.finish` turns them into findings.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, cast

from .namespaces import OWL, RDF_TYPE, SH, SKOS, SSTSH, XSD

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from .loader import Vocabulary


def _select(vocab: Vocabulary, query: str) -> ox.QuerySolutions:
    """The rows of a SELECT (pyoxigraph types ``query`` as any of its three kinds of result)."""
    return cast("ox.QuerySolutions", vocab.store.query(query))


def _threaded_checks() -> tuple:
    """The checks made in Python (with the shipped shapes only) that can run beside the shape queries."""
    from .advice import namespace_checks

    return (_ill_typed_literals, _cluster_checks, _language_tag_checks, namespace_checks)


def python_checks(vocab: Vocabulary) -> list:
    """Every check made in Python, as results (LIT-01, FILE-01, REL-06, LNG-01, NS-01)."""
    return [result for check in _threaded_checks() for result in check(vocab)] + _files_checks(vocab)


# Checks below the level of SKOS: things SHACL over a merged graph cannot see.
_ILL_TYPED_MESSAGE = (
    "The literal {value} is not a valid {datatype}: its text does not match the datatype. "
    "Fix the value or its ^^datatype."
)


def _python_result(rule: str, severity: str, focus, value, message: str):
    """A result of one of the checks made in Python (no SHACL component: sh:SPARQLConstraintComponent)."""
    import pyoxigraph as ox

    from .shacl import Result

    return Result(
        shape=SSTSH + rule,
        severity=severity,
        focus=focus,
        message=message,
        value=value,
        component="SPARQLConstraintComponent",
        shape_node=ox.NamedNode(SSTSH + rule),
        severity_iri=SH + severity,
    )


def _ill_typed_literals(vocab: Vocabulary) -> list[tuple]:
    """LIT-01: literals whose text does not match their datatype."""
    out: list[tuple] = []
    checked = [
        "date",
        "dateTime",
        "integer",
        "decimal",
        "boolean",
        "double",
        "float",
        "gYear",
        "time",
        "nonNegativeInteger",
        "positiveInteger",
        "int",
        "long",
    ]
    values = " ".join(f"<{XSD}{d}>" for d in checked)
    # one scan of the triples (a VALUES list of datatypes joined on DATATYPE(?o) would be one
    # scan per datatype); language-tagged literals (rdf:langString) are set aside first, by LANG,
    # which costs less than their DATATYPE (on label-heavy files: half the time)
    query = f"""SELECT DISTINCT ?s ?o ?dt WHERE {{
        ?s ?p ?o . FILTER(isLiteral(?o) && LANG(?o) = "") BIND(DATATYPE(?o) AS ?dt)
        FILTER(?dt IN ({values.replace(" ", ", ")}))
        FILTER(!COALESCE(isLiteral(
          IF(?dt = <{XSD}date>, <{XSD}date>(?o), IF(?dt = <{XSD}dateTime>, <{XSD}dateTime>(?o),
          IF(?dt = <{XSD}boolean>, <{XSD}boolean>(?o), IF(?dt IN (<{XSD}double>, <{XSD}float>), <{XSD}double>(?o),
          IF(?dt = <{XSD}gYear>, <{XSD}gYear>(?o), IF(?dt = <{XSD}time>, <{XSD}time>(?o),
          IF(?dt = <{XSD}decimal>, <{XSD}decimal>(?o), <{XSD}integer>(?o))))))))), false))
    }}"""
    for row in _select(vocab, query):
        dt = row["dt"].value.replace(XSD, "xsd:")
        out.append(
            (
                SSTSH + "LIT-01-ill-typed-literal",
                "Violation",
                row["s"],
                row["o"],
                _ILL_TYPED_MESSAGE.format(value=f'"{row["o"].value}"', datatype=dt),
                None,
            )
        )
    return out


def _files_checks(vocab: Vocabulary) -> list[tuple]:
    """FILE-01: a subject described in more than one file."""
    import pyoxigraph as ox

    out: list[tuple] = []
    if len(vocab.files) > 1:
        for path, outline in vocab.outlines.items():
            for iri in outline.subjects:
                locs = vocab.locations(iri)
                if len(locs) > 1 and locs[0][0] == path:
                    others = ", ".join(f"{p}:{line}" for p, line in locs[1:])
                    out.append(
                        _python_result(
                            "FILE-01-subject-in-two-files",
                            "Warning",
                            ox.NamedNode(iri),
                            None,
                            f"This resource is described in more than one file (also {others}); "
                            "keep each resource in one file so edits do not conflict.",
                        )
                    )
    return out


# LNG-01 against the IANA Language Subtag Registry: a Python check, because the registry
# (about 9,300 subtags) is data, read only when some literal has a language tag.
_REGISTRY_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "language-subtag-registry.txt")
_WELL_FORMED = re.compile(r"^([a-zA-Z]{2,3}|[xX])(-[a-zA-Z0-9]{1,8})*$")  # LNG-01-valid-language-tag's test
_UNREGISTERED_MESSAGE = (
    "The language tag of {value} is well-formed but not valid: {why} (IANA Language Subtag Registry, "
    "BCP 47). Use a registered tag such as en, fr or en-GB."
)
_PRIVATE_USE_MESSAGE = (
    "The language tag of {value} is a private-use tag ({why}): it names no language that others can "
    "look up. Use a registered tag such as en, fr or en-GB, unless the vocabulary documents the code."
)
_registry_cache: dict[str, dict[str, bool]] | None = None


def language_registry() -> dict[str, dict[str, bool]]:
    """The IANA Language Subtag Registry: type -> {lower-cased subtag or tag: is private use}.

    Types: language, extlang, script, region, variant, and "tag" for grandfathered and
    redundant whole tags.  Ranges such as ``qaa..qtz`` are expanded.
    """
    global _registry_cache
    if _registry_cache is None:
        with open(_REGISTRY_FILE, encoding="utf-8") as fh:
            text = fh.read()
        out: dict[str, dict[str, bool]] = {}
        record = re.compile(r"^Type: (\S+)\n(?:Subtag|Tag): (\S+)\nDescription: ([^\n]*)", re.M)
        for kind, sub, description in record.findall(text):
            kind = "tag" if kind in ("grandfathered", "redundant") else kind
            private = description == "Private use"
            table = out.setdefault(kind, {})
            if ".." in sub:
                for one in _expand_range(*sub.lower().split("..")):
                    table[one] = private
            else:
                table[sub.lower()] = private
        _registry_cache = out
    return _registry_cache


def _expand_range(lo: str, hi: str) -> list[str]:
    """``qaa..qtz`` -> qaa, qab, ..., qtz (letters, same length)."""
    out = []

    def rec(prefix: str, i: int, tight_lo: bool, tight_hi: bool) -> None:
        if i == len(lo):
            out.append(prefix)
            return
        first = lo[i] if tight_lo else "a"
        last = hi[i] if tight_hi else "z"
        for c in map(chr, range(ord(first), ord(last) + 1)):
            rec(prefix + c, i + 1, tight_lo and c == first, tight_hi and c == last)

    rec("", 0, True, True)
    return out


def check_language_tag(tag: str) -> tuple[str, str] | None:
    """Why a well-formed BCP 47 tag is not a valid one: None, ("unregistered", why) or ("private", why).

    Follows RFC 5646 section 2.2.9: every subtag of the language, extlang, script, region
    and variant positions must be in the registry (extensions and private-use parts are
    not looked up); a tag that is only private use (``x-...``), or whose language, script
    or region is a private-use subtag (``qaa``-``qtz``, ``Qaaa``-``Qabx``, ``QM``-``QZ``,
    ``XA``-``XZ``, ``AA``, ``ZZ``), is reported as private use.
    """
    reg = language_registry()
    low = tag.lower()
    if low in reg.get("tag", {}):
        return None
    parts = low.split("-")
    if parts[0] == "x":
        return "private", f'"{tag}" is private use only'
    lang = parts[0]
    if lang not in reg["language"]:
        return "unregistered", f'"{lang}" is not a registered language subtag'
    private = [lang] if reg["language"][lang] else []
    i = 1
    extlangs = 0
    while i < len(parts) and len(parts[i]) == 3 and parts[i].isalpha() and extlangs < 3:
        if parts[i] not in reg["extlang"]:
            return "unregistered", f'"{parts[i]}" is not a registered extended language subtag'
        i += 1
        extlangs += 1
    if i < len(parts) and len(parts[i]) == 4 and parts[i].isalpha():
        if parts[i] not in reg["script"]:
            return "unregistered", f'"{parts[i]}" is not a registered script subtag'
        if reg["script"][parts[i]]:
            private.append(parts[i])
        i += 1
    if i < len(parts) and ((len(parts[i]) == 2 and parts[i].isalpha()) or (len(parts[i]) == 3 and parts[i].isdigit())):
        if parts[i] not in reg["region"]:
            return "unregistered", f'"{parts[i]}" is not a registered region subtag'
        if reg["region"][parts[i]]:
            private.append(parts[i])
        i += 1
    seen: set[str] = set()
    while i < len(parts) and (len(parts[i]) >= 5 or (len(parts[i]) == 4 and parts[i][0].isdigit())):
        if parts[i] not in reg["variant"]:
            return "unregistered", f'"{parts[i]}" is not a registered variant subtag'
        if parts[i] in seen:
            return "unregistered", f'the variant "{parts[i]}" is repeated'
        seen.add(parts[i])
        i += 1
    singletons: set[str] = set()
    while i < len(parts) and len(parts[i]) == 1 and parts[i] != "x":
        if parts[i] in singletons:
            return "unregistered", f'the extension "{parts[i]}" is repeated'
        singletons.add(parts[i])
        j = i + 1
        while j < len(parts) and 2 <= len(parts[j]) <= 8:
            j += 1
        if j == i + 1:
            return "unregistered", f'the extension "{parts[i]}" has no subtags'
        i = j
    if i < len(parts) and parts[i] == "x":
        return (
            None
            if not private and i + 1 < len(parts)
            else (
                ("private", f'"{"-".join(private)}" is a private-use subtag')
                if private
                else ("unregistered", "the private-use part after x is empty")
            )
        )
    if i < len(parts):
        return "unregistered", f'the subtag "{parts[i]}" is out of place'
    if private:
        return "private", f'"{"-".join(private)}" is a private-use subtag'
    return None


def _language_tag_checks(vocab: Vocabulary) -> list[tuple]:
    """LNG-01-unregistered-language-tag and LNG-01-private-use-language-tag, on every tagged literal.

    Linear: one scan for the distinct tags, each looked up once, then one scan for the
    literals that carry the bad ones.  Malformed tags are LNG-01-valid-language-tag's.
    """
    tags = [
        row["lang"].value
        for row in _select(
            vocab,
            "SELECT DISTINCT ?lang WHERE { ?s ?p ?o . FILTER(isLiteral(?o)) "
            'BIND(LANG(?o) AS ?lang) FILTER(?lang != "") }',
        )
    ]
    bad: dict[str, tuple[str, str]] = {}
    for tag in tags:
        if _WELL_FORMED.match(tag):
            verdict = check_language_tag(tag)
            if verdict is not None:
                bad[tag] = verdict
    if not bad:
        return []
    listed = ", ".join(_sparql_string(t) for t in bad)
    out: list[tuple] = []
    for row in _select(
        vocab, f"SELECT DISTINCT ?s ?o WHERE {{ ?s ?p ?o . FILTER(isLiteral(?o) && LANG(?o) IN ({listed})) }}"
    ):
        lit = row["o"]
        kind, why = bad[lit.language]
        value = f'"{lit.value}"@{lit.language}'
        if kind == "private":
            out.append(
                (
                    SSTSH + "LNG-01-private-use-language-tag",
                    "Warning",
                    row["s"],
                    lit,
                    _PRIVATE_USE_MESSAGE.format(value=value, why=why),
                    None,
                )
            )
        else:
            out.append(
                (
                    SSTSH + "LNG-01-unregistered-language-tag",
                    "Violation",
                    row["s"],
                    lit,
                    _UNREGISTERED_MESSAGE.format(value=value, why=why),
                    None,
                )
            )
    return out


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_LINKS = ("broader", "narrower", "related", "broaderTransitive", "narrowerTransitive")
_CLUSTER_MESSAGE = (
    "This concept heads a group of {size} concepts that no broader, narrower or related link joins to "
    "the rest of the vocabulary (whose largest group has {largest}). If they belong together, link them; "
    "if not, they may be a vocabulary of their own."
)


def _cluster_checks(vocab: Vocabulary) -> list:
    """REL-06 (qSKOS "disconnected concept clusters"): groups of concepts cut off from the rest.

    Connected components of the concepts under broader, narrower and related (either
    direction), found with a union-find: linear, where SPARQL would need a closure per
    concept.  Single concepts are orphans (REL-05), so only groups of two or more count,
    and nothing is reported unless there are at least two such groups; then every group
    but the largest is reported once, at its head (a member with no broader inside it).
    """
    import pyoxigraph as ox

    typed = vocab.store.quads_for_pattern(
        None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS + "Concept"), ox.DefaultGraph()
    )
    deprecated = {
        q.subject.value
        for q in vocab.store.quads_for_pattern(  # as the shapes read it: "true" or "1"
            None, ox.NamedNode(OWL + "deprecated"), None, ox.DefaultGraph()
        )
        if isinstance(q.object, ox.Literal) and q.object.value in ("true", "1") and not isinstance(q.subject, ox.Triple)
    }
    concepts = list(
        dict.fromkeys(
            q.subject.value for q in typed if isinstance(q.subject, ox.NamedNode) and q.subject.value not in deprecated
        )
    )
    parent = {c: c for c in concepts}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    has_broader: set[str] = set()
    for link in _LINKS:
        for quad in vocab.store.quads_for_pattern(None, ox.NamedNode(SKOS + link), None, ox.DefaultGraph()):
            if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
                continue
            a, b = quad.subject.value, quad.object.value
            if a not in parent or b not in parent or a == b:  # links to non-concepts are other rules' business
                continue
            if link.startswith("broader"):
                has_broader.add(a)
            elif link.startswith("narrower"):
                has_broader.add(b)
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for c in concepts:
        groups.setdefault(root(c), []).append(c)
    clusters = sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), min(g)))
    out: list[tuple] = []
    for group in clusters[1:]:
        heads = [c for c in group if c not in has_broader] or group
        out.append(
            _python_result(
                "REL-06-disconnected-cluster",
                "Info",
                ox.NamedNode(min(heads)),
                None,
                _CLUSTER_MESSAGE.format(size=len(group), largest=len(clusters[0])),
            )
        )
    return out
