"""Pictures for backpropagation: a computational graph, and gradient norms per layer on a log scale.

Plain data in (labels, numbers), a file out (SVG, PNG or PDF by its extension), drawn with matplotlib's
object API (no pyplot, no global state). Nothing here knows how the numbers were derived.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from gradwise.errors import GradwiseError

PICTURE_FORMATS = ("svg", "png", "pdf", "tex")


@dataclass(frozen=True)
class GraphNode:
    """A box: its title (`v3 = σ(v2)`), and lines below it (value, gradient)."""

    id: int
    title: str
    lines: tuple[str, ...] = ()
    kind: str = "op"        # "input", "op" or "output"
    title_latex: str = ""   # the title as LaTeX math, for TikZ (falls back on the text)


@dataclass(frozen=True)
class GraphEdge:
    """An arrow from an input node to the node that uses it, labelled (the local derivative)."""

    source: int
    target: int
    label: str
    label_latex: str = ""   # the label as LaTeX math, for TikZ (falls back on the text)


@dataclass(frozen=True)
class Series:
    """One line of a plot: y against x, with its legend label."""

    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]


def picture_format(path: str) -> str:
    """The format a file name asks for; refuses any other extension with the choices."""
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in PICTURE_FORMATS:
        raise GradwiseError(f"cannot draw to '{path}': use a file ending in {', '.join('.' + f for f in PICTURE_FORMATS)}")
    return ext


def layers(nodes: list[GraphNode], edges: list[GraphEdge]) -> dict[int, int]:
    """Each node's column: the length of the longest path to it from an input (inputs in column 0)."""
    from gradwise.renderers.graph_layout import columns
    return columns([n.id for n in nodes], [(e.source, e.target) for e in edges])


def graph_layout(nodes: list[GraphNode], edges: list[GraphEdge]):
    """Boxes sized from their text, routes and labels placed so that nothing overlaps (points)."""
    from gradwise.renderers.graph_layout import label_size, layout, node_size
    return layout([n.id for n in nodes], {n.id: node_size(_shown(n.title), tuple(map(_shown, n.lines)))
                                          for n in nodes},
                  [(e.source, e.target) for e in edges], [label_size(_shown(e.label)) for e in edges])


def draw_graph(nodes: list[GraphNode], edges: list[GraphEdge], path: str, title: str = "") -> str:
    """Draw the graph left to right (inputs left, output right) into `path`; returns the path."""
    fmt = picture_format(path)
    if fmt == "tex":
        _write(path, tikz_graph(nodes, edges))
        return path
    _save(graph_figure(nodes, edges, title), path, fmt)
    return path


def graph_figure(nodes: list[GraphNode], edges: list[GraphEdge], title: str = ""):
    """The graph as a matplotlib Figure, one data unit a point, so its text is 7.5-9 pt at 100 %."""
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    from gradwise.renderers.graph_layout import LABEL_PT, LEADING, LINE_PT, PAD_Y, TITLE_PT

    from gradwise.renderers.graph_layout import text_width

    plan = graph_layout(nodes, edges)
    strip = 16.0 if title else 0.0
    width = max(plan.width, text_width(_shown(title), 9.0) + 12.0) if title else plan.width
    left = (width - plan.width) / 2          # a title wider than the graph: the graph is centred under it
    fig = Figure(figsize=(width / 72, (plan.height + strip) / 72))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(-left, plan.width + left)
    ax.set_ylim(0, plan.height + strip)
    colours = {"input": "#e8f0fe", "op": "#ffffff", "output": "#fde8e8"}
    for e, route in zip(edges, plan.routes):
        xs, ys = zip(*route.points)
        ax.plot(xs[:-1], ys[:-1], color="#555555", lw=1.0, solid_capstyle="butt")
        ax.annotate("", xy=route.points[-1], xytext=route.points[-2],
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=1.0, shrinkA=0, shrinkB=0))
        ax.text(route.label.x, route.label.y, _shown(e.label), ha="center", va="center_baseline",
                fontsize=LABEL_PT, color="#1a5fb4", gid="label",
                bbox=dict(boxstyle="square,pad=0.12", fc="white", ec="none", alpha=0.9))
    for n in nodes:
        box = plan.nodes[n.id]
        ax.add_patch(FancyBboxPatch((box.x - box.w / 2, box.y - box.h / 2), box.w, box.h,
                                    boxstyle="round,pad=0,rounding_size=3", gid=f"node-{n.id}",
                                    fc=colours.get(n.kind, "#ffffff"), ec="#333333", lw=1.0))
        top = box.y + box.h / 2 - PAD_Y
        ax.text(box.x, top - TITLE_PT * LEADING / 2, _shown(n.title), ha="center", va="center_baseline",
                fontsize=TITLE_PT, weight="bold", gid=f"text-{n.id}")
        for i, line in enumerate(n.lines):
            ax.text(box.x, top - TITLE_PT * LEADING - (i + 0.5) * LINE_PT * LEADING, _shown(line),
                    ha="center", va="center_baseline", fontsize=LINE_PT, gid=f"text-{n.id}")
    if title:
        ax.text(plan.width / 2, plan.height + strip / 2, _shown(title), ha="center", va="center", fontsize=9)
    return fig


def tikz_graph(nodes: list[GraphNode], edges: list[GraphEdge]) -> str:
    """The graph as a TikZ picture for LaTeX documents (\\usepackage{tikz}), laid out like `draw_graph`."""
    plan = graph_layout(nodes, edges)
    out = [r"\begin{tikzpicture}[x=1pt, y=1pt, >=stealth,",
           r"  op/.style={draw, rounded corners, align=center, font=\footnotesize, inner sep=2pt},",
           r"  input/.style={op, fill=blue!6}, output/.style={op, fill=red!6},",
           r"  lbl/.style={font=\scriptsize, fill=white, inner sep=1pt, text=blue!60!black}]"]
    for n in nodes:
        box = plan.nodes[n.id]
        title = f"${n.title_latex}$" if n.title_latex else _tex_text(n.title)
        body = r" \\ ".join([title] + [_tex_text(line) for line in n.lines])
        style = {"input": "input", "output": "output"}.get(n.kind, "op")
        out.append(f"  \\node[{style}, minimum width={box.w:.1f}pt, minimum height={box.h:.1f}pt] (n{n.id}) "
                   f"at ({box.x:.1f}, {box.y:.1f}) {{{body}}};")
    for e, route in zip(edges, plan.routes):
        label = f"${e.label_latex}$" if e.label_latex else _tex_text(e.label)
        points = " -- ".join(f"({x:.1f}, {y:.1f})" for x, y in route.points)
        out.append(f"  \\draw[->] {points};")
        out.append(f"  \\node[lbl] at ({route.label.x:.1f}, {route.label.y:.1f}) {{{label}}};")
    out.append(r"\end{tikzpicture}")
    return "\n".join(out) + "\n"


_TEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex_text(text: str) -> str:
    """Plain text made safe for LaTeX."""
    return "".join(_TEX_SPECIAL.get(c, c) for c in text)


def _write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise GradwiseError(f"cannot write {path}: the folder {directory} does not exist")
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        raise GradwiseError(f"cannot write {path}: {exc.strerror}") from None


def draw_series(series: list[Series], path: str, title: str, xlabel: str, ylabel: str, logy: bool = True) -> str:
    """A line plot of several series (log scale on y by default) into `path`; returns the path."""
    fmt = picture_format(path)
    if fmt == "tex":
        raise GradwiseError(f"cannot draw a plot to '{path}': use .svg, .png or .pdf")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    for s in series:
        ys = [v if v > 0 else float("nan") for v in s.y] if logy else list(s.y)
        ax.plot(s.x, ys, marker="o", markersize=3, label=_plain(s.label))
    if logy:
        ax.set_yscale("log")
    from matplotlib.ticker import MaxNLocator
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(_plain(xlabel))
    ax.set_ylabel(_plain(ylabel))
    ax.set_title(_plain(title), fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save(fig, path, fmt)
    return path


def _plain(text: str) -> str:
    """Text shown as typed: matplotlib would read `$...$` as math."""
    return text.replace("$", r"\$")


def _shown(text: str) -> str:
    """Text for a drawing, with a true minus sign (−) for the hyphen."""
    return _plain(text).replace("-", "\u2212")


def _save(fig, path: str, fmt: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise GradwiseError(f"cannot write {path}: the folder {directory} does not exist")
    try:
        fig.savefig(path, format=fmt, dpi=150 if fmt == "png" else None, metadata=_metadata(fmt))
    except OSError as exc:
        raise GradwiseError(f"cannot write {path}: {exc.strerror}") from None


def _metadata(fmt: str):
    """No dates in the files, so the same input draws the same bytes."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return None
