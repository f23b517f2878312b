"""The PCA figure: the data (first two columns, centred) with the principal axes drawn, and a scree plot."""
from __future__ import annotations

import os

import numpy as np

from gradwise.errors import GradwiseError


def save_plot(result, path: str) -> str:
    """Write a PNG with two panels; returns the path."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise GradwiseError(f"cannot write {path}: the folder {directory} does not exist")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5))
    data = result.data
    if data.shape[1] >= 2:
        c = data[:, :2] - result.mean[:2]
        left.scatter(c[:, 0], c[:, 1], s=8, alpha=0.5)
        scale = 2 * np.sqrt(np.maximum(result.eigenvalues[:2], 0))
        for k, (w, s) in enumerate(zip(result.components[:2], scale), start=1):
            left.annotate("", xy=(w[0] * s, w[1] * s), xytext=(0, 0),
                          arrowprops={"arrowstyle": "->", "lw": 2, "color": f"C{k}"})
            left.text(w[0] * s * 1.08, w[1] * s * 1.08, f"PC{k}", color=f"C{k}")
            # an annotation does not widen the axes: without this an arrow longer than the data is not drawn
            left.plot([0, w[0] * s * 1.15], [0, w[1] * s * 1.15], alpha=0)
        left.set_xlabel(f"{result.columns[0]} (centred)")
        left.set_ylabel(f"{result.columns[1]} (centred)")
        left.set_aspect("equal", adjustable="datalim")
        left.set_title("Data and principal axes (2 standard deviations)")
    ratio = result.explained_variance_ratio
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
    finally:
        plt.close(fig)
    return path
