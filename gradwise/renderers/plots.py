"""Plots with matplotlib's Agg canvas (no display, no global backend change), from plain arrays.

Each function takes NumPy arrays and labels, never simulation objects, and returns the picture:
PNG bytes for fmt="png", SVG text for fmt="svg".
"""
from __future__ import annotations

import io
import math
from typing import Sequence

import numpy as np

FORMATS = ("png", "svg")


def _figure(width=6.4, height=4.8):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _output(fig, fmt: str):
    if fmt not in FORMATS:
        raise ValueError(f"plots are png or svg, not {fmt}")
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "gradwise"}):  # text stays text
        fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    data = buffer.getvalue()
    return data.decode("utf-8") if fmt == "svg" else data


def contour(xs: np.ndarray, ys: np.ndarray, zs: np.ndarray, paths: Sequence[tuple[str, np.ndarray]],
            *, minima: Sequence[Sequence[float]] = (), title: str = "", xlabel: str = "x", ylabel: str = "y",
            fmt: str = "png"):
    """Filled contours of zs (shape (len(ys), len(xs))) on a log-spaced scale, with labelled paths (k, 2)."""
    fig = _figure()
    ax = fig.add_subplot()
    z = np.asarray(zs, dtype=float)
    finite = z[np.isfinite(z)]
    if finite.size:
        lo = float(finite.min())
        shifted = z - lo + 1e-12 * max(1.0, abs(lo))
        top = float(np.nanmax(shifted[np.isfinite(shifted)]))
        bottom = max(float(np.nanmin(shifted[np.isfinite(shifted)])), top * 1e-9, 1e-300)
        levels = np.geomspace(bottom, top, 30) if top > bottom else 30
        from matplotlib.colors import LogNorm
        cs = ax.contourf(xs, ys, np.clip(shifted, bottom, None), levels=levels, cmap="viridis",
                         norm=LogNorm(vmin=bottom, vmax=top) if top > bottom else None, alpha=0.85,
                         rasterized=True)     # the filled background as one image: an SVG 5x smaller
        lines = ax.contour(xs, ys, np.clip(shifted, bottom, None), levels=levels, colors="white", linewidths=0.3,
                           alpha=0.5)
        lines.set_rasterized(True)
        bar = fig.colorbar(cs, ax=ax, label="f − min f on the grid (log scale)")
        if top > bottom:
            powers = np.arange(math.ceil(math.log10(bottom)), math.floor(math.log10(top)) + 1)
            powers = powers[::max(1, math.ceil(len(powers) / 8))]
            bar.set_ticks([10.0 ** p for p in powers], labels=[f"$10^{{{p:d}}}$" for p in powers])
    colors = ["#e41a1c", "#ff7f00", "#f781bf", "#ffff33", "#a65628", "#ffffff", "#984ea3", "#4daf4a"]
    for i, (label, path) in enumerate(paths):
        p = np.asarray(path, dtype=float)
        c = colors[i % len(colors)]
        ax.plot(p[:, 0], p[:, 1], "-", color=c, lw=1.4, label=label, marker=".", markersize=3)
        ax.plot(p[0, 0], p[0, 1], "o", color=c, markeredgecolor="black", markersize=6)
        ax.plot(p[-1, 0], p[-1, 1], "X", color=c, markeredgecolor="black", markersize=8)
    for m in minima:
        ax.plot(m[0], m[1], "*", color="white", markeredgecolor="black", markersize=12)
    ax.set_xlim(float(np.min(xs)), float(np.max(xs)))
    ax.set_ylim(float(np.min(ys)), float(np.max(ys)))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if paths:
        ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
    return _output(fig, fmt)


def loss_curves(series: Sequence[tuple[str, np.ndarray]], *, title: str = "", fmt: str = "png"):
    """Loss against step, log scale (a non-positive loss is shifted by the smallest value seen)."""
    fig = _figure()
    ax = fig.add_subplot()
    values = [np.asarray(v, dtype=float) for _, v in series]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    shift = 0.0
    if finite.size and finite.min() <= 0:
        shift = -finite.min() + 1e-12 * max(1.0, float(np.abs(finite).max()))
    for (label, _), v in zip(series, values):
        ax.semilogy(np.arange(len(v)), v + shift, lw=1.4, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("loss" if shift == 0 else f"loss + {shift:.3g}")
    if title:
        ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    if series:
        ax.legend(fontsize=8)
    return _output(fig, fmt)


def sweep(values: np.ndarray, final_loss: np.ndarray, *, name: str = "lr", diverged: np.ndarray | None = None,
          marks: Sequence[tuple[str, float]] = (), title: str = "", fmt: str = "png"):
    """Final loss against the swept hyperparameter; diverged runs as red crosses on the top edge;
    vertical lines at `marks` (label, value) such as 2/λ_max."""
    fig = _figure()
    ax = fig.add_subplot()
    v = np.asarray(values, dtype=float)
    f = np.asarray(final_loss, dtype=float)
    bad = np.zeros(len(v), bool) if diverged is None else np.asarray(diverged, bool)
    bad = bad | ~np.isfinite(f)
    good = ~bad
    shift = 0.0
    if good.any() and f[good].min() <= 0:
        shift = -f[good].min() + 1e-300
    if good.any():
        ax.semilogy(v[good], f[good] + shift, "o-", ms=3, lw=1.2, label="final loss")
        top = float(np.max(f[good] + shift))
    else:
        top = 1.0
    if bad.any():
        ax.semilogy(v[bad], np.full(bad.sum(), top * 10), "x", color="red", ms=6, label="diverged")
    for label, x in marks:
        ax.axvline(x, color="gray", ls="--", lw=1)
        ax.text(x, ax.get_ylim()[1], f" {label}", rotation=90, va="top", ha="right", fontsize=8, color="gray")
    if len(v) > 1 and v.min() > 0 and v.max() / v.min() > 100:
        ax.set_xscale("log")
    ax.set_xlabel(name)
    ax.set_ylabel("final loss" if shift == 0 else f"final loss + {shift:.3g}")
    if title:
        ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return _output(fig, fmt)
