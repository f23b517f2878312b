"""Optimizer figures: runs -> plain arrays -> `renderers.plots` (contours with paths, loss curves, sweeps)."""
from __future__ import annotations

import math
import os

import numpy as np

from gradwise.errors import GradwiseError
from gradwise.explainer.optimize_analysis import quadratic_analysis, run_name
from gradwise.printing import unicode
from gradwise.simulations.data import DataProblem
from gradwise.simulations.trajectory import Study


PLOT_KINDS = ("contour", "loss", "sweep")
CAPTIONS = {"contour": "Contours of f (log scale) and each run's path from its dot to its cross; stars: known minima",
            "loss": "Loss against step (log scale)",
            "sweep": "Final loss against the swept value; red crosses: runs that diverged"}


def figure(study: Study, kind: str = "contour", path: str | None = None, fmt: str = "png"):
    """Draw the study (kind contour, loss or sweep); write it to `path` (.png/.svg, which sets the format)
    or return it (PNG bytes, or SVG text with fmt="svg")."""
    from gradwise.renderers import plots

    if path is not None:
        ext = os.path.splitext(path)[1].lower().lstrip(".")
        if ext not in plots.FORMATS:
            raise GradwiseError(f"a plot is written as .png or .svg, not '{os.path.basename(path)}'")
        fmt = ext
    if kind not in PLOT_KINDS:
        raise GradwiseError(f"unknown plot kind '{kind}'; choose one of {', '.join(PLOT_KINDS)}")
    fn = study.function
    compiled = fn.compiled if isinstance(fn, DataProblem) else fn
    names = [v.name for v in compiled.variables]
    runs = list(study.runs)
    if kind == "sweep":
        sw = study.sweep
        if sw is None:
            raise GradwiseError("a sweep plot needs a sweep: add --sweep lr=FROM:TO:COUNT")
        marks = []
        analysis = quadratic_analysis(study)
        if analysis is not None and sw.key == "lr" and math.isfinite(analysis["stability"].lr_max):
            marks.append(("2/λmax", analysis["stability"].lr_max))
        out = plots.sweep(sw.values, sw.final_loss, name=sw.key, diverged=sw.diverged, marks=marks,
                          title=f"{sw.method}: final loss after {sw.steps} steps", fmt=fmt)
    elif kind == "loss":
        if not runs:
            runs = [study.sweep.run(i) for i in range(min(len(study.sweep.values), 8))]
        out = plots.loss_curves([(run_name(r), r.loss) for r in runs], title="loss against step", fmt=fmt)
    else:
        if len(names) != 2:
            raise GradwiseError(f"a contour plot needs 2 parameters; this function has {len(names)}: "
                                "use --plot-kind loss")
        if not runs:
            runs = [study.sweep.run(i) for i in range(min(len(study.sweep.values), 8))]
        xs, ys, zs = _grid(study, runs)
        tf = study.test_function
        out = plots.contour(xs, ys, zs, [(run_name(r), r.params) for r in runs],
                            minima=tf.minima if tf else (), xlabel=names[0], ylabel=names[1],
                            title=_plot_title(fn, compiled, names), fmt=fmt)
    if path is None:
        return out
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise GradwiseError(f"cannot write {path}: the folder {directory} does not exist")
    try:
        with open(path, "wb" if isinstance(out, bytes) else "w", **({} if isinstance(out, bytes) else {"encoding": "utf-8"})) as f:
            f.write(out)
    except OSError as exc:
        raise GradwiseError(f"cannot write {path}: {exc.strerror}") from None
    return path


def _plot_title(fn, compiled, names) -> str:
    if isinstance(fn, DataProblem):
        text = f"mean over {fn.rows} samples of L_i = {unicode(fn.loss)}"
    else:
        text = f"f({', '.join(names)}) = {unicode(compiled.expr)}"
    return text if len(text) <= 70 else text[:67] + "..."


def _grid(study: Study, runs, size: int = 160):
    pts = np.concatenate([r.params for r in runs])
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    tf = study.test_function
    if tf is not None and len(tf.window) == 2:
        (x0, x1), (y0, y1) = tf.window
        x0, x1 = min(x0, pts[:, 0].min()), max(x1, pts[:, 0].max())
        y0, y1 = min(y0, pts[:, 1].min()), max(y1, pts[:, 1].max())
    else:
        x0, x1 = pts[:, 0].min(), pts[:, 0].max()
        y0, y1 = pts[:, 1].min(), pts[:, 1].max()
    padx = max((x1 - x0) * 0.15, 0.5)
    pady = max((y1 - y0) * 0.15, 0.5)
    xs = np.linspace(x0 - padx, x1 + padx, size)
    ys = np.linspace(y0 - pady, y1 + pady, size)
    X, Y = np.meshgrid(xs, ys)
    P = np.stack([X.ravel(), Y.ravel()], axis=1)
    fn = study.function
    Z = fn.value(P) if isinstance(fn, DataProblem) else fn.f(P)
    return xs, ys, Z.reshape(X.shape)
