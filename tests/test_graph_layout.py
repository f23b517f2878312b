"""The computational-graph drawing: nothing overlaps, checked on random graphs and on the rendered text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gradwise.renderers.graph_layout import Box, layout
from gradwise.renderers.graph_plot import GraphEdge, GraphNode, graph_figure, graph_layout


@st.composite
def _graphs(draw):
    """A random DAG in topological order: 1-4 inputs, 1-8 operations each using 1-3 earlier nodes."""
    n_in = draw(st.integers(1, 4))
    n_op = draw(st.integers(1, 8))
    links = []
    for t in range(n_in, n_in + n_op):
        sources = draw(st.lists(st.integers(0, t - 1), min_size=1, max_size=3, unique=True))
        links += [(s, t) for s in sorted(sources)]
    ids = list(range(n_in + n_op))
    sizes = {i: (draw(st.floats(20, 140)), draw(st.floats(20, 45))) for i in ids}
    labels = [(draw(st.floats(6, 120)), 12.75) for _ in links]
    return ids, sizes, links, labels


def _on_segment(p, a, b, tol=0.5) -> bool:
    (px, py), (ax, ay), (bx, by) = p, a, b
    cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
    length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    return abs(cross) / length <= tol and min(ax, bx) - tol <= px <= max(ax, bx) + tol


@settings(max_examples=60, deadline=None)
@given(_graphs())
def test_boxes_and_labels_never_overlap(graph):
    ids, sizes, links, labels = graph
    plan = layout(ids, sizes, links, labels)
    boxes = [plan.nodes[i] for i in ids]
    for i, a in enumerate(boxes):                       # every box its own size, none overlapping
        assert (a.w, a.h) == sizes[ids[i]]
        assert not any(a.overlaps(b) for b in boxes[i + 1:])
    tags = [r.label for r in plan.routes]
    for i, a in enumerate(tags):
        assert not any(a.overlaps(b) for b in boxes), "a label covers a box"
        assert not any(a.overlaps(b) for b in tags[i + 1:]), "two labels overlap"
    for (s, t), r, (w, h) in zip(links, plan.routes, labels):
        src, dst = plan.nodes[s], plan.nodes[t]
        assert abs(r.points[0][0] - (src.x + src.w / 2)) < 1e-6 and abs(r.points[0][1] - src.y) <= src.h / 2
        assert abs(r.points[-1][0] - (dst.x - dst.w / 2)) < 1e-6 and abs(r.points[-1][1] - dst.y) <= dst.h / 2
        assert (r.label.w, r.label.h) == (w, h)
        assert any(_on_segment((r.label.x, r.label.y), a, b) for a, b in zip(r.points, r.points[1:])), \
            "a label off its edge"
        assert r.label.x > max(b.x + b.w / 2 for b in boxes if b.x < dst.x - dst.w / 2), "label not beside its target"
        xs = [p[0] for p in r.points]
        assert xs == sorted(xs), "an edge runs backwards"
    every = boxes + tags
    assert all(b.x - b.w / 2 >= 0 and b.x + b.w / 2 <= plan.width for b in every)
    assert all(b.y - b.h / 2 >= 0 and b.y + b.h / 2 <= plan.height for b in every)


def test_routes_pass_no_box_but_their_ends():
    """An edge that skips columns bends round the boxes in between (sampled along each segment)."""
    import random
    rng = random.Random(3)
    for _ in range(40):
        n = rng.randint(4, 9)
        links = sorted({(rng.randrange(t), t) for t in range(2, n) for _ in range(2)})
        ids = list(range(n))
        sizes = {i: (rng.uniform(30, 110), rng.uniform(25, 40)) for i in ids}
        used = {s for s, _ in links} | {t for _, t in links}
        ids = [i for i in ids if i in used]
        plan = layout(ids, {i: sizes[i] for i in ids}, links, [(30.0, 12.75)] * len(links))
        for (s, t), r in zip(links, plan.routes):
            others = [plan.nodes[i] for i in ids if i not in (s, t)]
            for a, b in zip(r.points, r.points[1:]):
                for k in range(1, 40):
                    p = Box(a[0] + (b[0] - a[0]) * k / 40, a[1] + (b[1] - a[1]) * k / 40, 0.0, 0.0)
                    assert not any(p.overlaps(q) for q in others), f"edge {s}->{t} crosses a box"


def _two_paths():
    from gradwise.derivations.graph import build_graph
    from gradwise.explainer.backprop import graph_picture
    return graph_picture(build_graph("(w*x - y)^2/2 + w^2/2", "w=1,x=2,y=1"))


def test_rendered_text_stays_in_its_box_and_apart():
    """Rendered by matplotlib (Agg), each node's text lies inside its box and no two texts overlap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    nodes, edges, title = _two_paths()
    assert any(len(n.title) >= 16 for n in nodes)        # "v5 = v1/2 + v4/2", the title that used to overlap
    fig = graph_figure(nodes, edges, title)
    FigureCanvasAgg(fig).draw()             # the labels' backgrounds get their size when drawn
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = {p.get_gid(): p.get_window_extent(renderer) for p in ax.patches}
    texts = [(t.get_gid(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    labels = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts if t.get_gid() == "label"]
    assert len(labels) == len(edges)
    for gid, extent in texts:
        if gid and gid.startswith("text-"):
            box = boxes["node-" + gid[5:]]
            assert box.x0 <= extent.x0 and extent.x1 <= box.x1 and box.y0 <= extent.y0 and extent.y1 <= box.y1, gid
    for i, a in enumerate(labels):
        assert not any(a.overlaps(b) for b in boxes.values()), "a label over a node"
        assert not any(a.overlaps(b) for b in labels[i + 1:]), "two labels overlap"
    for i, (g1, a) in enumerate(texts):               # lines of one box touch; different boxes never
        for g2, b in texts[i + 1:]:
            if g1 != g2 or g1 is None:
                assert not a.overlaps(b), (g1, g2)


def test_drawn_at_reading_size():
    """One point a unit: the two-path graph fits a page's text width (about 470 pt) at 100 %."""
    nodes, edges, _ = _two_paths()
    plan = graph_layout(nodes, edges)
    assert 250 < plan.width < 470 and plan.height < 200


def test_layout_is_deterministic():
    nodes = [GraphNode(0, "x"), GraphNode(1, "y"), GraphNode(2, "v1 = x·y", ("value 2",))]
    edges = [GraphEdge(0, 2, "y = 2"), GraphEdge(1, 2, "x = 1")]
    assert graph_layout(nodes, edges) == graph_layout(nodes, edges)
