"""Figures with matplotlib: a function with its derivative, and the tangent line at a point.

A figure is made once as SVG (embedded as vector graphics in PDF and HTML) and, when a folder is
given, also written as PNG (for LaTeX, Markdown and `--figures DIR`). The SVG is deterministic (no
date, fixed ids), so the same guide gives the same file.
"""
from __future__ import annotations

import io
import os
import re

import numpy as np
import sympy as sp

from gradwise.printing import unicode
from gradwise.renderers.document import Figure

_COLOURS = {"f": "#1d4f91", "df": "#c0392b", "tangent": "#2e7d32"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "path", "svg.hashsalt": "gradwise", "font.size": 10,
                         "axes.spines.top": False, "axes.spines.right": False, "font.family": "DejaVu Sans",
                         "mathtext.fontset": "dejavusans"})
    return plt


def _samples(expr: sp.Expr, var: sp.Symbol, xs: np.ndarray) -> np.ndarray:
    f = sp.lambdify(var, expr, modules=["numpy", {"Heaviside": lambda x, h=0.5: np.heaviside(x, h),
                                                  "sigmoid": lambda x: 1 / (1 + np.exp(-x))}])
    with np.errstate(all="ignore"):
        ys = np.asarray(f(xs), dtype=float) * np.ones_like(xs)
    ys[~np.isfinite(ys)] = np.nan
    return ys


def function_figure(expr: sp.Expr, derivative: sp.Expr, var: sp.Symbol, *, point: float | None = None,
                    span: tuple[float, float] = (-3.0, 3.0), name: str = "figure",
                    png_dir: str | None = None) -> Figure:
    """f and f' on one plot; with `point`, the tangent line to f there (slope f'(point)).

    `expr` and `derivative` are SymPy expressions in `var` alone (the caller's checked result).
    """
    plt = _pyplot()
    xs = np.linspace(span[0], span[1], 400)
    fy, dfy = _samples(expr, var, xs), _samples(derivative, var, xs)
    fig, ax = plt.subplots(figsize=(5.8, 3.6), dpi=100)
    ax.axhline(0, color="#999", lw=0.6)
    ax.axvline(0, color="#999", lw=0.6)
    ax.plot(xs, fy, color=_COLOURS["f"], lw=2, label=f"f({var.name}) = {unicode(expr)}")
    ax.plot(xs, dfy, color=_COLOURS["df"], lw=1.6, ls="--", label=f"f′({var.name}) = {unicode(derivative)}")
    caption = f"f({var.name}) = {unicode(expr)} (solid) and its derivative f′({var.name}) (dashed)"
    if point is not None:
        a = float(point)
        fa, slope = float(_samples(expr, var, np.array([a]))[0]), float(_samples(derivative, var, np.array([a]))[0])
        tangent = fa + slope * (xs - a)
        ax.plot(xs, tangent, color=_COLOURS["tangent"], lw=1.2, label=f"tangent at {var.name} = {a:g}")
        ax.plot([a], [fa], "o", color=_COLOURS["tangent"], ms=5)
        caption += f"; the tangent line at {var.name} = {a:g} has slope f′({a:g}) = {slope:.4g}"
    finite = np.concatenate([fy[np.isfinite(fy)], dfy[np.isfinite(dfy)]])
    if finite.size:
        lo, hi = np.percentile(finite, [2, 98])
        pad = max(0.15 * (hi - lo), 0.5)
        ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel(var.name)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3 if point is not None else 2, fontsize=8,
              frameon=False)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    png_path = ""
    if png_dir:
        os.makedirs(png_dir, exist_ok=True)
        png_path = os.path.join(png_dir, _slug(name) + ".png")
        fig.savefig(png_path, format="png", dpi=150, metadata={"Software": None})
    plt.close(fig)
    return Figure(caption=caption, svg=svg, png_path=png_path)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "figure"
