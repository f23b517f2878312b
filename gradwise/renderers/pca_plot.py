"""The PCA figure from plain arrays: the centred data with the principal axes drawn, and a scree plot."""
from __future__ import annotations

import os

import numpy as np

from gradwise.errors import GradwiseError


def save_pca_plot(centred: np.ndarray | None, axes: np.ndarray, lengths: np.ndarray, ratio: np.ndarray,
                  columns: tuple[str, str], path: str) -> str:
    """Write a PNG with two panels (the data, when given as n×2 centred columns, with each row of `axes`
    drawn `lengths` long; the explained variance `ratio`); returns the path."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise GradwiseError(f"cannot write {path}: the folder {directory} does not exist")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4.5))
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    if centred is not None:
        left.scatter(centred[:, 0], centred[:, 1], s=8, alpha=0.5)
        for k, (w, s) in enumerate(zip(axes, lengths), start=1):
            left.annotate("", xy=(w[0] * s, w[1] * s), xytext=(0, 0),
                          arrowprops={"arrowstyle": "->", "lw": 2, "color": f"C{k}"})
            left.text(w[0] * s * 1.08, w[1] * s * 1.08, f"PC{k}", color=f"C{k}")
            # an annotation does not widen the axes: without this an arrow longer than the data is not drawn
            left.plot([0, w[0] * s * 1.15], [0, w[1] * s * 1.15], alpha=0)
        left.set_xlabel(f"{columns[0]} (centred)")
        left.set_ylabel(f"{columns[1]} (centred)")
        left.set_aspect("equal", adjustable="datalim")
        left.set_title("Data and principal axes (2 standard deviations)")
    ks = np.arange(1, len(ratio) + 1)
    right.bar(ks, ratio, label="explained variance ratio")
    right.plot(ks, np.cumsum(ratio), "o-", color="C3", label="cumulative")
    right.set_xlabel("component")
    right.set_ylim(0, 1.05)
    right.set_title("Scree plot")
    right.legend()
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=110)
    except OSError as exc:
        raise GradwiseError(f"cannot write {path}: {exc.strerror}") from None
    return path
