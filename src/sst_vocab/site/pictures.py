"""Pictures of the hierarchy (inline SVG, computed here: no JavaScript, no library, works offline)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .views import Views

#: Above this many concepts the index shows the hierarchy picture to a limited depth.
PICTURE_LIMIT = 160

_NODE_W = 200
_COL_GAP = 36
_LINE_H = 16
_PAD_Y = 6
_ROW_GAP = 6
_FONT_PX = 13
_TEXT_PAD = 10

# Advance widths (in em) of a wide sans-serif (DejaVu Sans, the usual fallback on Linux), so that
# labels wrap before they overflow their box in any common font.
_NARROW = dict.fromkeys("ijl|!'.,:;Iı", 0.30)
_NARROW.update(dict.fromkeys("ft()[]{}-/\\ ", 0.38))
_NARROW.update(dict.fromkeys("r", 0.42))
_WIDE = dict.fromkeys("mwMW", 0.95)
_WIDE.update(dict.fromkeys("ABCDEFGHJKLNOPQRSTUVXYZ@%&—", 0.74))


def _text_width(text: str) -> float:
    em = 0.0
    for ch in text:
        em += _NARROW.get(ch) or _WIDE.get(ch) or (1.0 if ord(ch) > 0x2E7F else 0.63)
    return em * _FONT_PX


def _wrap(text: str, width: float = _NODE_W - 2 * _TEXT_PAD, lines: int = 3) -> list[str]:
    """Greedy word wrap to ``width`` pixels, at most ``lines`` lines (the last one cut with …)."""
    out: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if not cur or _text_width(trial) <= width:
            cur = trial
        else:
            out.append(cur)
            cur = word
    if cur:
        out.append(cur)
    if not out:
        out = [text]
    cut = len(out) > lines
    out = out[:lines]
    fitted = []
    for i, line in enumerate(out):
        if _text_width(line) > width or (cut and i == len(out) - 1):
            while line and _text_width(line + "…") > width:
                line = line[:-1]
            line = line.rstrip() + "…"
        fitted.append(line)
    return fitted


def _esc(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def _node_svg(x: float, y: float, h: float, lines: list[str], href: str | None, title: str, cls: str,
              w: float = _NODE_W) -> str:
    parts = []
    if href:
        parts.append(f'<a href="{_esc(href)}" class="{cls}">')
    else:
        parts.append(f'<g class="{cls}">')
    parts.append(f"<title>{_esc(title)}</title>")
    parts.append(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="6"/>')
    ty = y + _PAD_Y + 12
    for line in lines:
        parts.append(f'<text x="{x + _TEXT_PAD:g}" y="{ty:g}">{_esc(line)}</text>')
        ty += _LINE_H
    parts.append("</a>" if href else "</g>")
    return "".join(parts)


def _fan(x1: float, y1: float, x2: float, ys: list[float], cls: str = "edge") -> str:
    """Elbow connectors from one box's side at (x1, y1) to boxes whose near side is at x2."""
    trunk = (x1 + x2) / 2
    lo, hi = min([y1, *ys]), max([y1, *ys])
    d = f"M{x1:g} {y1:g}H{trunk:g}M{trunk:g} {lo:g}V{hi:g}" + "".join(f"M{trunk:g} {y:g}H{x2:g}" for y in ys)
    return f'<path class="{cls}" d="{d}"/>'


def _box_height(lines: int) -> float:
    return _PAD_Y * 2 + _LINE_H * lines - 2


def hierarchy_picture(v: Views, file: str) -> dict[str, Any] | None:
    """The hierarchy as a left-to-right tree; limited in depth for large vocabularies."""
    if not v.m.tops or all(not v.m.children[c] for c in v.m.concepts):
        return None
    # How deep to draw: every level while the picture stays under PICTURE_LIMIT boxes.
    depth_limit = 64
    if len(v.m.concepts) > PICTURE_LIMIT:
        level, count, seen = list(v.m.tops), 0, set()
        depth_limit = -1
        while level and count + len(level) <= PICTURE_LIMIT:
            count += len(level)
            depth_limit += 1
            seen |= set(level)
            level = [k for c in level for k in v.m.children[c] if k not in seen]
        if depth_limit < 0:
            return None

    expanded: set[str] = set()

    class N:
        __slots__ = ("iri", "depth", "kids", "lines", "h", "slot", "y", "hidden", "repeat")

    any_repeat = False

    def make(c: str, depth: int, path: frozenset[str]) -> N:
        nonlocal any_repeat
        n = N()
        n.iri, n.depth = c, depth
        first = c not in expanded
        expanded.add(c)
        n.repeat = not first
        any_repeat = any_repeat or n.repeat
        kids = [k for k in v.m.children[c] if k not in path] if first else []
        if depth >= depth_limit:
            n.hidden, kids = len(kids), []
        else:
            n.hidden = 0
        n.kids = [make(k, depth + 1, path | {c}) for k in kids]
        label = v.m.label(c).value
        n.lines = _wrap(label + (f" (+{n.hidden})" if n.hidden else ""))
        n.h = _box_height(len(n.lines))
        return n

    roots = [make(t, 0, frozenset()) for t in v.m.tops]

    def slot(n: N) -> float:
        kids = sum(slot(k) for k in n.kids) + _ROW_GAP * max(0, len(n.kids) - 1)
        n.slot = max(n.h, kids)
        return n.slot

    def place(n: N, top: float) -> None:
        # A box sits level with its first narrower concept; the others hang below (an outline).
        n.y = top
        y = top
        for k in n.kids:
            place(k, y)
            y += k.slot + _ROW_GAP

    y = 0.0
    for r in roots:
        slot(r)
        place(r, y)
        y += r.slot + _ROW_GAP * 2
    height = y - _ROW_GAP * 2
    depth = 0
    parts: list[str] = []
    edges: list[str] = []

    def draw(n: N) -> None:
        nonlocal depth
        depth = max(depth, n.depth)
        x = n.depth * (_NODE_W + _COL_GAP)
        href, _ = v.href(file, n.iri)
        cls = "node" + (" repeat" if n.repeat else "") + (" top" if n.depth == 0 else "")
        title = v.m.label(n.iri).value + (" (shown in full elsewhere in this picture)" if n.repeat else "") + (
            f" ({n.hidden} narrower concepts not drawn)" if n.hidden else "")
        parts.append(_node_svg(x, n.y, n.h, n.lines, href, title, cls))
        if n.kids:
            edges.append(_fan(x + _NODE_W, n.y + min(n.h, n.kids[0].h) / 2, x + _NODE_W + _COL_GAP,
                              [k.y + min(n.h, k.h) / 2 if k is n.kids[0] else k.y + k.h / 2 for k in n.kids]))
        for k in n.kids:
            draw(k)

    for r in roots:
        draw(r)
    width = (depth + 1) * _NODE_W + depth * _COL_GAP
    m = 2
    svg = (
        f'<svg class="tree" xmlns="http://www.w3.org/2000/svg" width="{width + 2 * m:g}" height="{height + 2 * m:g}" '
        f'viewBox="{-m} {-m} {width + 2 * m:g} {height + 2 * m:g}" role="group" aria-labelledby="picture-caption">'
        + "".join(edges) + "".join(parts) + "</svg>"
    )
    from markupsafe import Markup

    return {
        "svg": Markup(svg),
        "limited": depth_limit < 64,
        "depth": depth_limit + 1,
        "boxes": len(expanded),
        "repeats": any_repeat,
    }


_INDENT = 22
_NB_W = 250


def neighbourhood_picture(v: Views, file: str, c: str) -> Any:
    """broader concepts, this concept, its narrower concepts: a small outline picture, one column
    wide so that it fits a phone (None when the concept stands alone)."""
    from markupsafe import Markup

    parents, kids = v.m.parents[c], v.m.children[c]
    if not parents and not kids:
        return None
    cap = 12
    wrap_w = _NB_W - 2 * _TEXT_PAD
    rows: list[tuple[str | None, int, list[str], str, str]] = []  # iri, level, lines, title, class

    def add(iris: list[str], level: int) -> None:
        for i in iris[:cap]:
            label = v.m.label(i).value
            rows.append((i, level, _wrap(label, wrap_w), label, "node"))
        if len(iris) > cap:
            more = f"… and {len(iris) - cap} more"
            rows.append((None, level, [more], more, "node more"))

    add(parents, 0)
    me_level = 1 if parents else 0
    label = v.m.label(c).value
    rows.append((c, me_level, _wrap(label, wrap_w), label, "node current"))
    add(kids, me_level + 1)
    parts: list[str] = []
    y = 0.0
    placed = []
    for iri, level, lines, title, cls in rows:
        h = _box_height(len(lines))
        x = level * _INDENT
        href = None if (iri is None or iri == c) else v.href(file, iri)[0]
        parts.append(_node_svg(x, y, h, lines, href, title, cls, _NB_W))
        placed.append((level, y, h))
        y += h + _ROW_GAP
    height = y - _ROW_GAP
    me = next(i for i, r in enumerate(rows) if r[0] == c)
    _, me_y, me_h = placed[me]
    d = []
    if parents:
        # A line from the broader concepts (behind their boxes) down into this one.
        trunk = _INDENT / 2
        top = placed[0][1] + placed[0][2] / 2
        d.append(f"M{trunk:g} {top:g}V{me_y + me_h / 2:g}H{_INDENT:g}")
    if kids:
        trunk = me_level * _INDENT + _INDENT / 2
        last = placed[-1]
        d.append(f"M{trunk:g} {me_y + me_h:g}V{last[1] + last[2] / 2:g}")
        for level, ky, kh in placed[me + 1:]:
            d.append(f"M{trunk:g} {ky + kh / 2:g}H{trunk + _INDENT / 2:g}")
    width = (me_level + (1 if kids else 0)) * _INDENT + _NB_W
    m = 2
    edges = f'<path class="edge" d="{"".join(d)}"/>' if d else ""
    return Markup(
        f'<svg class="tree" xmlns="http://www.w3.org/2000/svg" width="{width + 2 * m:g}" height="{height + 2 * m:g}" '
        f'viewBox="{-m} {-m} {width + 2 * m:g} {height + 2 * m:g}" role="group" aria-labelledby="picture-caption">'
        + edges + "".join(parts) + "</svg>"
    )

