"""Where a computational graph's boxes, arrows and edge labels go, in points, sized from their text.

A layered drawing, left to right: each node in a column (the longest path from an input), an edge that
skips columns bent through a waypoint in each column it crosses (so it never runs through a box), the
rows ordered to cut crossings and pulled level with their neighbours, and every gap between two
columns wide enough for the labels of the edges that cross it. Each label sits on its edge where it
overlaps no box and no other label. Pure geometry: the drawing itself is `graph_plot`'s.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Hashable

TITLE_PT, LINE_PT, LABEL_PT = 8.5, 7.5, 7.5   # font sizes: a node's title, its other lines, an edge label
LEADING = 1.3                                  # line height over font size
PAD_X, PAD_Y = 6.0, 4.0                        # inside a box, around its text
LABEL_PAD = 1.5                                # inside a label's white background
ROW_GAP, MIN_GAP, MARGIN = 12.0, 22.0, 6.0     # between rows, the narrowest gap between columns, outside

Measure = Callable[[str, float, bool], float]


@dataclass(frozen=True)
class Box:
    """A rectangle by its centre and size (points, y upwards)."""

    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: "Box", gap: float = 0.0) -> bool:
        """True when the two rectangles, each grown by gap/2, share any area."""
        return (abs(self.x - other.x) * 2 < self.w + other.w + 2 * gap
                and abs(self.y - other.y) * 2 < self.h + other.h + 2 * gap)


@dataclass(frozen=True)
class Route:
    """An edge drawn as a polyline from the source's right side to the target's left side, and its label."""

    points: tuple[tuple[float, float], ...]
    label: Box


@dataclass(frozen=True)
class Layout:
    """Every box and route of a graph, and the size of the drawing (title strip not included)."""

    nodes: dict[int, Box]
    routes: tuple[Route, ...]
    width: float
    height: float


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width in points of one line of text in matplotlib's default font (no renderer needed)."""
    return _width(text, size, bold)


@lru_cache(maxsize=4096)
def _width(text: str, size: float, bold: bool) -> float:
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    return TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0]


def node_size(title: str, lines: tuple[str, ...], measure: Measure = text_width) -> tuple[float, float]:
    """A box just large enough for its bold title over its lines."""
    width = max([measure(title, TITLE_PT, True)] + [measure(s, LINE_PT, False) for s in lines])
    return width + 2 * PAD_X, TITLE_PT * LEADING + len(lines) * LINE_PT * LEADING + 2 * PAD_Y


def label_size(text: str, measure: Measure = text_width) -> tuple[float, float]:
    return measure(text, LABEL_PT, False) + 2 * LABEL_PAD, LABEL_PT * LEADING + 2 * LABEL_PAD


def columns(ids: list[int], links: list[tuple[int, int]]) -> dict[int, int]:
    """Each node's column: the longest path to it from an input; an input sits just left of its first user."""
    column = {i: 0 for i in ids}
    incoming: dict[int, list[int]] = {i: [] for i in ids}
    for s, t in links:
        incoming[t].append(s)
    for i in ids:          # nodes come in topological order, inputs first
        if incoming[i]:
            column[i] = 1 + max(column[s] for s in incoming[i])
    for i in ids:          # so an input's arrows stay short
        users = [column[t] for s, t in links if s == i]
        if not incoming[i] and users:
            column[i] = min(users) - 1
    return column


def layout(ids: list[int], sizes: dict[int, tuple[float, float]], links: list[tuple[int, int]],
           label_sizes: list[tuple[float, float]]) -> Layout:
    """Place nodes (`ids` in topological order, `sizes` their boxes) and edges (`links`, each with a label)."""
    column = columns(ids, links)
    chains: list[list[Hashable]] = []          # each edge as the keys it passes through, source to target
    col: dict[Hashable, int] = dict(column)
    size: dict[Hashable, tuple[float, float]] = dict(sizes)
    for k, (s, t) in enumerate(links):
        chain: list[Hashable] = [s]
        for c in range(column[s] + 1, column[t]):
            key = ("via", k, c)
            col[key], size[key] = c, (0.0, LABEL_PT * LEADING)
            chain.append(key)
        chains.append(chain + [t])
    order = _order(col, chains)
    y = _rows(order, size, chains)
    gaps = {c: MIN_GAP for c in range(1, len(order))}
    for (s, t), (w, _) in zip(links, label_sizes):     # room for a label and an arrow head beside it
        gaps[column[t]] = max(gaps[column[t]], w + 12.0)
    for _ in range(12):
        x = _columns_x(order, size, gaps)
        routes, crowded = _routes(x, y, size, col, chains, label_sizes, list(ids))
        if not crowded:
            break
        for c in crowded:                       # a label found no free place: give that gap more room
            gaps[c] *= 1.5
    boxes = {i: Box(x[col[i]], y[i], *sizes[i]) for i in ids}
    return _shifted(boxes, routes)


def _order(col: dict, chains: list[list]) -> list[list]:
    """The keys of each column top to bottom: a few barycentre sweeps, keeping the order with fewest crossings."""
    order: list[list] = [[] for _ in range(max(col.values()) + 1)]
    for key in col:
        order[col[key]].append(key)
    links = [(a, b) for chain in chains for a, b in zip(chain, chain[1:])]
    before = {k: [a for a, b in links if b == k] for k in col}
    after = {k: [b for a, b in links if a == k] for k in col}
    best, fewest = [list(c) for c in order], _crossings(order, links)
    for sweep in range(8):
        cs = range(1, len(order)) if sweep % 2 == 0 else range(len(order) - 2, -1, -1)
        for c in cs:
            ref = order[c - 1] if sweep % 2 == 0 else order[c + 1]
            near = before if sweep % 2 == 0 else after
            rank = {k: i for i, k in enumerate(ref)}
            here = {k: i for i, k in enumerate(order[c])}

            def centre(k, rank=rank, near=near, here=here):
                ns = [rank[n] for n in near[k] if n in rank]
                return (sum(ns) / len(ns), here[k]) if ns else (here[k], here[k])
            order[c].sort(key=centre)
        n = _crossings(order, links)
        if n < fewest:
            best, fewest = [list(c) for c in order], n
    return best


def _crossings(order: list[list], links: list[tuple]) -> int:
    rank = {k: i for c in order for i, k in enumerate(c)}
    count = 0
    for i, (a, b) in enumerate(links):
        for c, d in links[i + 1:]:
            if (rank[a] - rank[c]) * (rank[b] - rank[d]) < 0 and _same_gap(a, c, order):
                count += 1
    return count


def _same_gap(a, c, order) -> bool:
    return any(a in col and c in col for col in order)


def _rows(order: list[list], size: dict, chains: list[list]) -> dict:
    """Heights: each column stacked, then pulled level with its neighbours without reordering or overlap."""
    links = [(a, b) for chain in chains for a, b in zip(chain, chain[1:])]
    y: dict = {}
    for keys in order:
        y.update(zip(keys, _stack([size[k][1] for k in keys], [0.0] * len(keys), free=True)))
    for sweep in range(6):
        forward = sweep % 2 == 0
        cs = range(1, len(order)) if forward else range(len(order) - 2, -1, -1)
        for c in cs:
            keys = order[c]
            want = []
            for k in keys:
                ns = [a for a, b in links if b == k] if forward else [b for a, b in links if a == k]
                want.append(sum(y[n] for n in ns) / len(ns) if ns else y[k])
            y.update(zip(keys, _stack([size[k][1] for k in keys], want)))
    return y


def _stack(heights: list[float], want: list[float], free: bool = False) -> list[float]:
    """Heights top to bottom as near `want` as possible (least squares) with each box ROW_GAP below the last."""
    seps = [0.0] + [(a + b) / 2 + ROW_GAP for a, b in zip(heights, heights[1:])]
    drop, total = [], 0.0
    for s in seps:
        total += s
        drop.append(total)
    if free:                                    # centred on 0
        return [drop[-1] / 2 - d for d in drop]
    # y_i = z_i - drop_i with z non-increasing: the isotonic fit of want_i + drop_i (pool adjacent violators)
    blocks: list[list[float]] = []              # [mean, weight]
    for v in (w + d for w, d in zip(want, drop)):
        blocks.append([v, 1.0])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            m2, w2 = blocks.pop()
            m1, w1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2])
    z = [m for m, w in blocks for _ in range(int(w))]
    return [zi - d for zi, d in zip(z, drop)]


def _columns_x(order: list[list], size: dict, gaps: dict) -> list[float]:
    widths = [max(size[k][0] for k in keys) for keys in order]
    x = [widths[0] / 2]
    for c in range(1, len(order)):
        x.append(x[-1] + widths[c - 1] / 2 + gaps[c] + widths[c] / 2)
    return x


def _routes(x: list[float], y: dict, size: dict, col: dict, chains: list[list],
            label_sizes: list[tuple[float, float]], ids: list[int]) -> tuple[tuple[Route, ...], set[int]]:
    """Each edge's polyline and label; the gaps (by right-hand column) where some label found no free place."""
    boxes = [Box(x[col[i]], y[i], *size[i]) for i in ids]
    widths = {c: max(size[k][0] for k in col if col[k] == c) for c in set(col.values())}
    ends = _ends(x, y, size, col, chains, widths)
    placed: list[Box] = []
    routes, crowded = [], set()
    for k, chain in enumerate(chains):
        points = _straightened(ends[k], boxes)
        c = col[chain[-1]]
        lo, hi = x[c - 1] + widths[c - 1] / 2 + 2, x[c] - widths[c] / 2 - 2   # the open gap before the target
        w, h = label_sizes[k]
        spare = hi - lo - w
        label = None
        for f in (0.5, 0.3, 0.7, 0.15, 0.85, 0.0, 1.0):
            cx = lo + w / 2 + f * max(spare, 0.0)
            box = Box(cx, _height_at(points, cx), w, h)
            if spare >= 0 and not any(box.overlaps(b, 1.0) for b in boxes + placed):
                label = box
                break
        if label is None:
            crowded.add(c)
            label = box
        placed.append(label)
        routes.append(Route(tuple(points), label))
    return tuple(routes), crowded


def _height_at(points: list[tuple[float, float]], x: float) -> float:
    """The polyline's y where it crosses x (its points run left to right)."""
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x1 > x0 else (y0 + y1) / 2
    return points[-1][1]


def _straightened(points: list[tuple[float, float]], boxes: list[Box]) -> list[tuple[float, float]]:
    """The polyline with every waypoint dropped that a straight line clear of all boxes can skip."""
    out, i = [points[0]], 0
    while i < len(points) - 1:
        j = len(points) - 1
        while j > i + 1 and not _clear(points[i], points[j], boxes):
            j -= 1
        out.append(points[j])
        i = j
    return out


def _clear(a: tuple[float, float], b: tuple[float, float], boxes: list[Box], margin: float = 3.0) -> bool:
    """True when the segment a-b keeps `margin` from every box but the ones its ends touch."""
    for q in boxes:
        left, right = q.x - q.w / 2 - margin, q.x + q.w / 2 + margin
        bottom, top = q.y - q.h / 2 - margin, q.y + q.h / 2 + margin
        if any(left <= p[0] <= right and bottom <= p[1] <= top for p in (a, b)):
            continue
        if _hits(a, b, left, right, bottom, top):
            return False
    return True


def _hits(a, b, left, right, bottom, top) -> bool:
    """Whether segment a-b meets the rectangle (Liang-Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - left), (dx, right - a[0]), (-dy, a[1] - bottom), (dy, top - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _ends(x, y, size, col, chains, widths) -> list[list[tuple[float, float]]]:
    """Polylines: out of the source's right side, level through every column band an edge crosses (its
    waypoint's row is kept free there), into the target's left side; the ends spread down a box's side
    when several edges leave or enter it."""
    def spread(key, others):
        """y offsets for edges at a box's side, the highest neighbour's edge at the top."""
        h = size[key][1]
        n = len(others)
        if n == 1:
            return {others[0]: 0.0}
        step = min(8.0, (h - 2 * PAD_Y) / (n - 1))
        ranked = sorted(others, key=lambda k: -y[k[1]])
        return {k: ((n - 1) / 2 - i) * step for i, k in enumerate(ranked)}
    out_of: dict = {}
    into: dict = {}
    for k, chain in enumerate(chains):
        out_of.setdefault(chain[0], []).append((k, chain[1]))
        into.setdefault(chain[-1], []).append((k, chain[-2]))
    dy_out = {k: d for key, es in out_of.items() for (k, _), d in spread(key, es).items()}
    dy_in = {k: d for key, es in into.items() for (k, _), d in spread(key, es).items()}
    result = []
    for k, chain in enumerate(chains):
        s, t = chain[0], chain[-1]
        cs, ct = col[s], col[t]
        start, end = y[s] + dy_out[k], y[t] + dy_in[k]
        points = [(x[cs] + size[s][0] / 2, start), (x[cs] + widths[cs] / 2, start)]
        for key in chain[1:-1]:
            c = col[key]
            points += [(x[c] - widths[c] / 2, y[key]), (x[c] + widths[c] / 2, y[key])]
        points += [(x[ct] - widths[ct] / 2, end), (x[ct] - size[t][0] / 2, end)]
        result.append([p for i, p in enumerate(points) if i == 0 or p != points[i - 1]])
    return result


def _shifted(boxes: dict[int, Box], routes: tuple[Route, ...]) -> Layout:
    """Moved so the drawing starts at (MARGIN, MARGIN)."""
    every = list(boxes.values()) + [r.label for r in routes]
    left = min(b.x - b.w / 2 for b in every) - MARGIN
    bottom = min(min(b.y - b.h / 2 for b in every), min(p[1] for r in routes for p in r.points)) - MARGIN
    right = max(b.x + b.w / 2 for b in every) + MARGIN
    top = max(max(b.y + b.h / 2 for b in every), max(p[1] for r in routes for p in r.points)) + MARGIN

    def move(b: Box) -> Box:
        return Box(b.x - left, b.y - bottom, b.w, b.h)
    return Layout({i: move(b) for i, b in boxes.items()},
                  tuple(Route(tuple((px - left, py - bottom) for px, py in r.points), move(r.label)) for r in routes),
                  right - left, top - bottom)
