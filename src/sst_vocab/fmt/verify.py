"""Checking a rewrite before it replaces a file: same graph, every comment kept."""

from __future__ import annotations

import hashlib
from collections import Counter

from ..errors import VocabError
from .comments import _Comments
from .source import parse_turtle
from .terms import _kind


def _verify(
    out: str, triples: list, comments: _Comments, where: str, path: str | None = None, base: str | None = None
) -> None:
    """The rewrite must parse to an isomorphic graph and keep every comment's text."""
    try:
        again, _ = parse_turtle(out, path, base=base)
    except VocabError as exc:  # pragma: no cover - a bug in the writer
        raise VocabError(
            f"internal error: the canonical rewrite does not parse ({exc.message}); the file was left as it was",
            path=where,
        ) from exc
    if not isomorphic(triples, again):
        raise VocabError(
            "internal error: the canonical rewrite would change the graph; the file was left as it was", path=where
        )
    if comments.texts:
        from ..turtle_lex import tokens

        kept = "\n".join(t.text for t in tokens(out) if t.kind == "comment")
        missing = [c for c, n in Counter(comments.texts).items() if kept.count(c) < n]
        if missing:
            raise VocabError(
                f"internal error: the comment {missing[0]!r} would be lost; the file was left as it was", path=where
            )


def isomorphic(a: list, b: list) -> bool:
    """Are two lists of pyoxigraph triples the same graph (blank nodes matched by structure)?

    Blank nodes that form trees (each used at most once as an object, no cycles: the usual
    ``[ ... ]`` and ``( ... )``) are compared by a canonical text of their tree, which is
    exact and fast; anything else falls back to rdflib's isomorphism check.
    """
    ca, rest_a = _canonical_form(a)
    cb, rest_b = _canonical_form(b)
    if not rest_a and not rest_b:
        return ca == cb
    import rdflib
    from rdflib.compare import isomorphic as rdflib_isomorphic

    from ..rdflib_bridge import quiet_rdflib, to_rdflib_term

    quiet_rdflib()

    def graph(triples):
        g = rdflib.Graph()
        for t in triples:
            g.add((to_rdflib_term(t.subject), to_rdflib_term(t.predicate), to_rdflib_term(t.object)))
        return g

    return rdflib_isomorphic(graph(a), graph(b))


def _canonical_form(triples: list) -> tuple[Counter, bool]:
    """(multiset of canonical statements, whether some blank nodes are not tree-shaped)."""
    props: dict[object, list] = {}
    refs: Counter = Counter()
    unique = set(triples)
    for t in unique:
        props.setdefault(t.subject, []).append((t.predicate.value, t.object))
        if _kind(t.object) == "BlankNode":
            refs[t.object] += 1
    memo: dict[object, str | None] = {}

    def canon(node) -> str | None:
        # iterative post-order over the tree below ``node``
        stack = [(node, False)]
        on_path: set = set()
        while stack:
            b, done = stack.pop()
            if done:
                on_path.discard(b)
                parts = []
                for p, o in props.get(b, []):
                    if _kind(o) == "BlankNode":
                        c = memo.get(o)
                        if c is None:
                            memo[b] = None
                            break
                        parts.append(f"<{p}> {c}")
                    else:
                        parts.append(f"<{p}> {o}")
                else:
                    memo[b] = "[" + hashlib.sha256(" ; ".join(sorted(parts)).encode("utf-8")).hexdigest() + "]"
                continue
            if b in memo:
                continue
            if b in on_path:
                memo[b] = None
                continue
            on_path.add(b)
            stack.append((b, True))
            for _, o in props.get(b, []):
                if _kind(o) == "BlankNode":
                    if refs[o] != 1 or o in on_path:
                        memo[o] = None
                    elif o not in memo:
                        stack.append((o, False))
        return memo.get(node)

    out: Counter = Counter()
    irregular = False
    for t in unique:
        s, o = t.subject, t.object
        if _kind(s) == "BlankNode":
            continue  # part of a tree below a root, or irregular (checked through its root)
        if _kind(o) == "BlankNode":
            c = canon(o) if refs[o] == 1 else None
            if c is None:
                irregular = True
                break
            out[f"{s} <{t.predicate.value}> {c}"] += 1
        else:
            out[str(t)] += 1
    if not irregular:
        for b in props:
            if _kind(b) == "BlankNode" and refs[b] == 0:
                c = canon(b)
                if c is None:
                    irregular = True
                    break
                out["ROOT " + c] += 1
    if not irregular:
        # every blank node must be reached from a root or an IRI subject (no detached cycles)
        reached = {b for b, c in memo.items() if c is not None}
        if any(_kind(b) == "BlankNode" and b not in reached for b in props) or any(b not in reached for b in refs):
            irregular = True
    return out, irregular
