"""Results as figures: the numbers a figure needs, computed here and handed to the renderers as plain arrays.

A checked derivative: f and f' sampled with the registry's stable NumPy forms, labelled in Unicode.
`figure(result, kind, path)` finds a result's figure by its type (what `Trajectory.plot` and
`pca(..., plot=)` call through the presenter).
"""
from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from gradwise.derivations.function_registry import numpy_functions
from gradwise.derivations.linalg.pca import PCA
from gradwise.errors import GradwiseError
from gradwise.printing import unicode
from gradwise.renderers.document import Figure
from gradwise.renderers.figures import function_plot
from gradwise.renderers.pca_plot import save_pca_plot
from gradwise.simulations.trajectory import Study


def samples(expr: sp.Expr, var: sp.Symbol, xs: np.ndarray) -> np.ndarray:
    """expr at each of `xs`, NaN where it is undefined or not finite."""
    f = sp.lambdify(var, expr, modules=[numpy_functions(), "numpy"])
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
    xs = np.linspace(span[0], span[1], 400)
    v = var.name
    caption = f"f({v}) = {unicode(expr)} (solid) and its derivative f′({v}) (dashed)"
    tangent = None
    if point is not None:
        a = float(point)
        fa, slope = float(samples(expr, var, np.array([a]))[0]), float(samples(derivative, var, np.array([a]))[0])
        tangent = (a, fa, slope)
        caption += f"; the tangent line at {v} = {a:g} has slope f′({a:g}) = {slope:.4g}"
    return function_plot(xs, samples(expr, var, xs), samples(derivative, var, xs), xlabel=v,
                         f_label=f"f({v}) = {unicode(expr)}", df_label=f"f′({v}) = {unicode(derivative)}",
                         caption=caption, tangent=tangent, tangent_label=f"tangent at {v} = {point:g}" if tangent else "",
                         name=name, png_dir=png_dir)


@functools.singledispatch
def figure(subject, kind: str, path: str | None):
    """The figure of a result (registered by type): written to `path`, or returned."""
    raise GradwiseError(f"nothing draws a {type(subject).__name__}")


@figure.register
def _(subject: Study, kind: str, path: str | None):
    from gradwise.explainer.optimize_figures import figure as study_figure
    return study_figure(subject, kind, path)


def pca_plot(result: PCA, path: str) -> str:
    """The PCA's data (first two columns, centred) with its principal axes, and its scree plot, as a PNG."""
    data = result.data
    centred = data[:, :2] - result.mean[:2] if data.shape[1] >= 2 else None
    lengths = 2 * np.sqrt(np.maximum(result.eigenvalues[:2], 0))
    columns = (list(result.columns) + ["", ""])[:2]
    return save_pca_plot(centred, result.components[:2], lengths, result.explained_variance_ratio,
                         (columns[0], columns[1]), path)


@figure.register
def _(subject: PCA, kind: str, path: str | None):
    return pca_plot(subject, path)
