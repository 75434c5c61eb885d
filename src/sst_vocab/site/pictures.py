"""Pictures of the hierarchy: where each box and line goes (the template ``macros.html`` draws them as
inline SVG: no JavaScript, no library, works offline).

A picture is ``{"width", "height", "edges": [SVG path data], "boxes": [box]}``; a box is
``{"x", "y", "w", "h", "href" (None: not a link), "title", "cls", "lines": [{"x", "y", "text"}]}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
#: Room around the drawing (so that lines at its edge are not cut).
_MARGIN = 2
#: Drawn this many levels deep at most.
_MAX_DEPTH = 64

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


def _box(
    x: float, y: float, h: float, lines: list[str], href: str | None, title: str, cls: str, w: float = _NODE_W
) -> dict[str, Any]:
    first = y + _PAD_Y + 12
    return {
        "x": x,
        "y": y,
        "w": w,
        "h": h,
        "href": href or None,
        "title": title,
        "cls": cls,
        "lines": [{"x": x + _TEXT_PAD, "y": first + i * _LINE_H, "text": line} for i, line in enumerate(lines)],
    }


def _fan(x1: float, y1: float, x2: float, ys: list[float]) -> str:
    """Elbow connectors from one box's side at (x1, y1) to boxes whose near side is at x2 (SVG path data)."""
    trunk = (x1 + x2) / 2
    lo, hi = min([y1, *ys]), max([y1, *ys])
    return f"M{x1:g} {y1:g}H{trunk:g}M{trunk:g} {lo:g}V{hi:g}" + "".join(f"M{trunk:g} {y:g}H{x2:g}" for y in ys)


def _box_height(lines: int) -> float:
    return _PAD_Y * 2 + _LINE_H * lines - 2


def _picture(width: float, height: float, edges: list[str], boxes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "width": width + 2 * _MARGIN,
        "height": height + 2 * _MARGIN,
        "margin": _MARGIN,
        "edges": edges,
        "boxes": boxes,
    }


# -- the whole hierarchy (index) -------------------------------------------------


@dataclass
class _Node:
    iri: str
    depth: int
    repeat: bool
    hidden: int = 0
    kids: list[_Node] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    h: float = 0.0
    slot: float = 0.0
    y: float = 0.0


def _depth_limit(v: Views) -> int:
    """How deep to draw: every level while the picture stays under PICTURE_LIMIT boxes (-1: not even the tops)."""
    m = v.m
    if len(m.concepts) <= PICTURE_LIMIT:
        return _MAX_DEPTH
    level, count, seen = list(m.tops), 0, set()
    depth_limit = -1
    while level and count + len(level) <= PICTURE_LIMIT:
        count += len(level)
        depth_limit += 1
        seen |= set(level)
        level = [k for c in level for k in m.children[c] if k not in seen]
    return depth_limit


class _Tree:
    """The hierarchy as nested boxes: a concept under several broader ones is drawn in full where it
    first appears, and as a repeat (dashed) elsewhere."""

    def __init__(self, v: Views, file: str, depth_limit: int) -> None:
        self.v, self.file, self.depth_limit = v, file, depth_limit
        self.expanded: set[str] = set()
        self.roots = [self._grow(t, 0, frozenset()) for t in v.m.tops]
        self.any_repeat = False
        self.boxes: list[dict[str, Any]] = []
        self.edges: list[str] = []
        self.depth = 0

    def _grow(self, c: str, depth: int, path: frozenset[str]) -> _Node:
        first = c not in self.expanded
        self.expanded.add(c)
        n = _Node(c, depth, repeat=not first)
        kids = [k for k in self.v.m.children[c] if k not in path] if first else []
        if depth >= self.depth_limit:
            n.hidden, kids = len(kids), []
        n.kids = [self._grow(k, depth + 1, path | {c}) for k in kids]
        label = self.v.m.label(c).value
        n.lines = _wrap(label + (f" (+{n.hidden})" if n.hidden else ""))
        n.h = _box_height(len(n.lines))
        return n

    def layout(self) -> float:
        """Place every box; the drawing's height."""
        y = 0.0
        for r in self.roots:
            self._slot(r)
            self._place(r, y)
            y += r.slot + _ROW_GAP * 2
        return y - _ROW_GAP * 2

    def _slot(self, n: _Node) -> float:
        kids = sum(self._slot(k) for k in n.kids) + _ROW_GAP * max(0, len(n.kids) - 1)
        n.slot = max(n.h, kids)
        return n.slot

    def _place(self, n: _Node, top: float) -> None:
        # A box sits level with its first narrower concept; the others hang below (an outline).
        n.y = top
        y = top
        for k in n.kids:
            self._place(k, y)
            y += k.slot + _ROW_GAP

    def draw(self, n: _Node) -> None:
        """Add the boxes of ``n`` and its narrower concepts and the lines between them."""
        self.depth = max(self.depth, n.depth)
        self.any_repeat = self.any_repeat or n.repeat
        x = n.depth * (_NODE_W + _COL_GAP)
        href, _ = self.v.href(self.file, n.iri)
        cls = "node" + (" repeat" if n.repeat else "") + (" top" if n.depth == 0 else "")
        title = (
            self.v.m.label(n.iri).value
            + (" (shown in full elsewhere in this picture)" if n.repeat else "")
            + (f" ({n.hidden} narrower concepts not drawn)" if n.hidden else "")
        )
        self.boxes.append(_box(x, n.y, n.h, n.lines, href, title, cls))
        if n.kids:
            self.edges.append(
                _fan(
                    x + _NODE_W,
                    n.y + min(n.h, n.kids[0].h) / 2,
                    x + _NODE_W + _COL_GAP,
                    [k.y + min(n.h, k.h) / 2 if k is n.kids[0] else k.y + k.h / 2 for k in n.kids],
                )
            )
        for k in n.kids:
            self.draw(k)


def hierarchy_picture(v: Views, file: str) -> dict[str, Any] | None:
    """The hierarchy as a left-to-right tree; limited in depth for large vocabularies (None: nothing to draw)."""
    if not v.m.tops or all(not v.m.children[c] for c in v.m.concepts):
        return None
    depth_limit = _depth_limit(v)
    if depth_limit < 0:
        return None
    tree = _Tree(v, file, depth_limit)
    height = tree.layout()
    for r in tree.roots:
        tree.draw(r)
    width = (tree.depth + 1) * _NODE_W + tree.depth * _COL_GAP
    return {
        **_picture(width, height, tree.edges, tree.boxes),
        "limited": depth_limit < _MAX_DEPTH,
        "depth": depth_limit + 1,
        "count": len(tree.expanded),
        "repeats": tree.any_repeat,
    }


# -- one concept's neighbourhood (concept pages) -----------------------------------

_INDENT = 22
_NB_W = 250
#: At most this many broader (and narrower) concepts are drawn; a last box says how many more.
_NB_CAP = 12


def neighbourhood_picture(v: Views, file: str, c: str) -> dict[str, Any] | None:
    """broader concepts, this concept, its narrower concepts: a small outline picture, one column
    wide so that it fits a phone (None when the concept stands alone)."""
    parents, kids = v.m.parents[c], v.m.children[c]
    if not parents and not kids:
        return None
    me_level = 1 if parents else 0
    rows = _neighbourhood_rows(v, c, parents, 0) + [_row(v, c, me_level, "node current")]
    rows += _neighbourhood_rows(v, c, kids, me_level + 1)
    boxes: list[dict[str, Any]] = []
    y = 0.0
    for iri, level, lines, title, cls in rows:
        h = _box_height(len(lines))
        href = None if (iri is None or iri == c) else v.href(file, iri)[0]
        boxes.append(_box(level * _INDENT, y, h, lines, href, title, cls, _NB_W))
        y += h + _ROW_GAP
    me = next(i for i, r in enumerate(rows) if r[0] == c)
    d = "".join(_neighbourhood_lines(boxes, me, me_level, bool(parents), bool(kids)))
    width = (me_level + (1 if kids else 0)) * _INDENT + _NB_W
    return _picture(width, y - _ROW_GAP, [d] if d else [], boxes)


_Row = tuple["str | None", int, list[str], str, str]  # iri, level, lines, title, class


def _row(v: Views, iri: str, level: int, cls: str) -> _Row:
    label = v.m.label(iri).value
    return (iri, level, _wrap(label, _NB_W - 2 * _TEXT_PAD), label, cls)


def _neighbourhood_rows(v: Views, c: str, iris: list[str], level: int) -> list[_Row]:
    rows = [_row(v, i, level, "node") for i in iris[:_NB_CAP]]
    if len(iris) > _NB_CAP:
        more = f"… and {len(iris) - _NB_CAP} more"
        rows.append((None, level, [more], more, "node more"))
    return rows


def _neighbourhood_lines(boxes: list[dict[str, Any]], me: int, me_level: int, parents: bool, kids: bool) -> list[str]:
    """SVG path data: from the broader concepts (behind their boxes) down into this one, and from it
    to each narrower concept."""
    me_y, me_h = boxes[me]["y"], boxes[me]["h"]
    d = []
    if parents:
        trunk = _INDENT / 2
        top = boxes[0]["y"] + boxes[0]["h"] / 2
        d.append(f"M{trunk:g} {top:g}V{me_y + me_h / 2:g}H{_INDENT:g}")
    if kids:
        trunk = me_level * _INDENT + _INDENT / 2
        last = boxes[-1]
        d.append(f"M{trunk:g} {me_y + me_h:g}V{last['y'] + last['h'] / 2:g}")
        for box in boxes[me + 1 :]:
            d.append(f"M{trunk:g} {box['y'] + box['h'] / 2:g}H{trunk + _INDENT / 2:g}")
    return d
