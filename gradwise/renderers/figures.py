"""Figures with matplotlib, from plain arrays: a function with its derivative, and a tangent line.

A figure is made once as SVG (embedded as vector graphics in PDF and HTML) and, when a folder is
given, also written as PNG (for LaTeX, Markdown and `--figures DIR`). The SVG is deterministic (no
date, fixed ids), so the same guide gives the same file. The figure is drawn on its own Agg canvas
inside an rc_context: the caller's backend and rcParams (a notebook's plots) are left as they were.
"""
from __future__ import annotations

import io
import os
import re

import numpy as np

from gradwise.renderers.document import Figure

_COLOURS = {"f": "#1d4f91", "df": "#c0392b", "tangent": "#2e7d32"}
_STYLE = {"svg.fonttype": "path", "svg.hashsalt": "gradwise", "font.size": 10, "axes.spines.top": False,
          "axes.spines.right": False, "font.family": "DejaVu Sans", "mathtext.fontset": "dejavusans"}


def function_plot(xs: np.ndarray, fy: np.ndarray, dfy: np.ndarray, *, xlabel: str, f_label: str, df_label: str,
                  caption: str, tangent: tuple[float, float, float] | None = None, tangent_label: str = "",
                  name: str = "figure", png_dir: str | None = None) -> Figure:
    """f and f' sampled at `xs` (NaN where undefined) on one plot; with `tangent` = (a, f(a), slope), the
    tangent line there."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    with matplotlib.rc_context(_STYLE):
        fig = MplFigure(figsize=(5.8, 3.6), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        ax.axhline(0, color="#999", lw=0.6)
        ax.axvline(0, color="#999", lw=0.6)
        ax.plot(xs, fy, color=_COLOURS["f"], lw=2, label=f_label)
        ax.plot(xs, dfy, color=_COLOURS["df"], lw=1.6, ls="--", label=df_label)
        if tangent is not None:
            a, fa, slope = tangent
            ax.plot(xs, fa + slope * (xs - a), color=_COLOURS["tangent"], lw=1.2, label=tangent_label)
            ax.plot([a], [fa], "o", color=_COLOURS["tangent"], ms=5)
        finite = np.concatenate([fy[np.isfinite(fy)], dfy[np.isfinite(dfy)]])
        if finite.size:
            lo, hi = np.percentile(finite, [2, 98])
            pad = max(0.15 * (hi - lo), 0.5)
            ax.set_ylim(lo - pad, hi + pad)
        ax.set_xlabel(xlabel)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3 if tangent is not None else 2,
                  fontsize=8, frameon=False)
        fig.tight_layout()
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
        png_path = ""
        if png_dir:
            os.makedirs(png_dir, exist_ok=True)
            png_path = os.path.join(png_dir, _slug(name) + ".png")
            fig.savefig(png_path, format="png", dpi=150, metadata={"Software": None})
    return Figure(caption=caption, svg=buffer.getvalue(), png_path=png_path)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "figure"
