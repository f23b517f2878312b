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
    column = {n.id: 0 for n in nodes}
    incoming: dict[int, list[int]] = {n.id: [] for n in nodes}
    for e in edges:
        incoming[e.target].append(e.source)
    for n in nodes:          # nodes come in topological order, inputs first
        if incoming[n.id]:
            column[n.id] = 1 + max(column[s] for s in incoming[n.id])
    for n in nodes:          # an input sits just left of its first user, so its arrows stay short
        users = [column[e.target] for e in edges if e.source == n.id]
        if not incoming[n.id] and users:
            column[n.id] = min(users) - 1
    return column


def draw_graph(nodes: list[GraphNode], edges: list[GraphEdge], path: str, title: str = "") -> str:
    """Draw the graph left to right (inputs left, output right) into `path`; returns the path."""
    fmt = picture_format(path)
    if fmt == "tex":
        _write(path, tikz_graph(nodes, edges))
        return path
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyBboxPatch

    column = layers(nodes, edges)
    width = max(column.values()) + 1
    rows: dict[int, list[int]] = {}
    for n in nodes:
        rows.setdefault(column[n.id], []).append(n.id)
    height = max(len(r) for r in rows.values())
    position = {}
    for c, ids in rows.items():
        for r, i in enumerate(ids):
            position[i] = (c * 2.9, ((len(ids) - 1) / 2 - r) * 1.5)
    # a fixed scale (0.42 inch a unit, 8-9 pt text) so the drawing reads at 100 %, whatever its size
    fig = Figure(figsize=(max(3.0, 0.42 * (2.9 * (width - 1) + 2.6)), max(1.6, 0.42 * (1.5 * (height - 1) + 1.9))))
    ax = fig.add_subplot()
    ax.set_axis_off()
    colours = {"input": "#e8f0fe", "op": "#ffffff", "output": "#fde8e8"}
    for e in edges:
        (x0, y0), (x1, y1) = position[e.source], position[e.target]
        ax.annotate("", xy=(x1 - 1.05, y1), xytext=(x0 + 1.05, y0),
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=1.0))
        ax.text((x0 + x1) / 2, (y0 + y1) / 2 + 0.12, _plain(e.label), ha="center", va="bottom", fontsize=7.5,
                color="#1a5fb4", bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    for n in nodes:
        x, y = position[n.id]
        ax.add_patch(FancyBboxPatch((x - 1.0, y - 0.5), 2.0, 1.0, boxstyle="round,pad=0.05",
                                    fc=colours.get(n.kind, "#ffffff"), ec="#333333", lw=1.0))
        ax.text(x, y + 0.22, _plain(n.title), ha="center", va="center", fontsize=8.5, weight="bold")
        ax.text(x, y - 0.15, _plain("\n".join(n.lines)), ha="center", va="center", fontsize=7.5)
    xs = [p[0] for p in position.values()]
    ys = [p[1] for p in position.values()]
    ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.9)
    if title:
        ax.set_title(_plain(title), fontsize=9)
    fig.tight_layout()
    _save(fig, path, fmt)
    return path


def tikz_graph(nodes: list[GraphNode], edges: list[GraphEdge]) -> str:
    """The graph as a TikZ picture for LaTeX documents (\\usepackage{tikz}), laid out like `draw_graph`."""
    column = layers(nodes, edges)
    rows: dict[int, list[int]] = {}
    for n in nodes:
        rows.setdefault(column[n.id], []).append(n.id)
    out = [r"\begin{tikzpicture}[x=4.2cm, y=1.9cm, >=stealth,",
           r"  op/.style={draw, rounded corners, align=center, font=\footnotesize, minimum width=2.4cm},",
           r"  input/.style={op, fill=blue!6}, output/.style={op, fill=red!6},",
           r"  lbl/.style={font=\scriptsize, fill=white, inner sep=1pt, text=blue!60!black}]"]
    for n in nodes:
        r = rows[column[n.id]].index(n.id)
        y = (len(rows[column[n.id]]) - 1) / 2 - r
        title = f"${n.title_latex}$" if n.title_latex else _tex_text(n.title)
        body = r" \\ ".join([title] + [_tex_text(line) for line in n.lines])
        style = {"input": "input", "output": "output"}.get(n.kind, "op")
        out.append(f"  \\node[{style}] (n{n.id}) at ({column[n.id]}, {y:g}) {{{body}}};")
    for e in edges:
        label = f"${e.label_latex}$" if e.label_latex else _tex_text(e.label)
        out.append(f"  \\draw[->] (n{e.source}) -- node[lbl, sloped, above] {{{label}}} (n{e.target});")
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
