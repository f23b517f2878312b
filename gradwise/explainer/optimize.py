"""Optimizer runs as documents: the update rule with the user's gradient in it, the run, the analysis.

`explain(result)` accepts a Trajectory, a Sweep or a Study (several runs and perhaps a sweep) and
returns a Document whose `data` is the JSON contract of `gradwise optimize --format json`.
The update rules are written by `optimize_rules`, the analysis on a quadratic by `optimize_analysis`,
and `figure(study, kind, path)` (in `optimize_figures`) turns runs into plain arrays for `renderers.plots`.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from gradwise.derivations.parsing import symbol
from gradwise.errors import GradwiseError
from gradwise.explainer.optimize_analysis import _analysis_blocks, heavy_ball_rate, quadratic_analysis, run_name  # noqa: F401
from gradwise.explainer.optimize_figures import CAPTIONS, PLOT_KINDS, figure  # noqa: F401 (callers import them here)
from gradwise.explainer.optimize_rules import _finite, _num, _point, _read, rules_for, update_lines, values_line
from gradwise.printing import latex, unicode
from gradwise.renderers.document import DisplayMath, Document, Figure, Math, Notation, Paragraph, Section, Table
from gradwise.simulations.data import DataProblem
from gradwise.simulations.trajectory import Study, Sweep, Trajectory
from gradwise.explainer.registry import explains
from gradwise.simulations.optimizers import hyperparameters

TABLE_HEAD = 5


def _study(result) -> Study:
    if isinstance(result, Study):
        return result
    if isinstance(result, Trajectory):
        return Study([result])
    if isinstance(result, Sweep):
        return Study([], sweep=result)
    raise GradwiseError(f"cannot explain a {type(result).__name__} as an optimization")


def _hyper_words(run) -> str:
    hp = hyperparameters(run.optimizer)
    defaults = hyperparameters(type(run.optimizer)())
    shown = [f"lr = {_num(hp['lr'])}" if not isinstance(hp["lr"], list) else "lr swept"]
    for k, v in hp.items():
        if k != "lr" and v != defaults.get(k):
            shown.append(k if v is True else f"{k} = {v if not isinstance(v, float) else _num(v)}")
    return ", ".join(shown)


def _run_json(run: Trajectory, rules: bool) -> dict:
    out = {
        "label": run.label or run.method, "method": run.method, "hyperparameters": _finite_dict(run.hyperparameters),
        "steps": run.steps, "steps_taken": len(run.params) - 1,
        "start": _finite(run.params[0]), "final": _finite(run.params[-1]), "final_loss": _finite(run.loss[-1]),
        "stopped": {"step": run.stopped_at, "reason": run.stopped} if run.stopped else None,
        "params": [_finite(p) for p in run.params], "loss": _finite(run.loss),
        "grads": [_finite(g) for g in run.grads], "batches": run.batches,
    }
    if rules:
        out["update"] = [{"text": t, "latex": l} for t, l in rules_for(run.optimizer)]
        out["update_substituted"] = [
            {"text": m.text, "latex": m.latex} if isinstance(m, Notation) else
            {"text": " = ".join(unicode(e) for e in m.expressions), "latex": " = ".join(latex(e) for e in m.expressions)}
            for m in update_lines(run)]
    return out


def _finite_dict(d: dict) -> dict:
    return {k: (_finite(v) if isinstance(v, float) and not math.isfinite(v) else v) for k, v in d.items()}


def _sweep_json(sw: Sweep) -> dict:
    final = sw.final_loss
    good = np.flatnonzero(~sw.diverged)
    best = int(good[np.argmin(final[good])]) if good.size else None
    return {"parameter": sw.key, "method": sw.method, "steps": sw.steps,
            "hyperparameters": {k: v for k, v in hyperparameters(sw.optimizer).items() if k != sw.key},
            "values": _finite(sw.values), "starts": [_finite(s) for s in sw.starts],
            "final_loss": _finite(final), "final": [_finite(p) for p in sw.params[-1]],
            "diverged_at": [int(s) if s else None for s in sw.stopped_at],
            "best": None if best is None else {"value": float(sw.values[best]), "final_loss": _finite(final[best])}}


def contract(study: Study, analysis_data: dict | None = None) -> dict:
    """The machine-readable result of `gradwise optimize --format json` (documented in the README)."""
    fn = study.function
    compiled = fn.compiled if isinstance(fn, DataProblem) else fn
    out = {
        "kind": "optimization",
        "function": str(compiled.expr), "function_latex": latex(compiled.expr),
        "variables": [v.name for v in compiled.variables],
        "gradient": [str(g) for g in compiled.gradient_exprs],
        "gradient_latex": [latex(g) for g in compiled.gradient_exprs],
        "gradient_checked_points": compiled.checked_points,
        "test_function": study.test_function.name if study.test_function else None,
        "data": None,
        "runs": [_run_json(r, study.explain_rules) for r in study.runs],
        "sweep": _sweep_json(study.sweep) if study.sweep is not None else None,
        "analysis": analysis_data,
    }
    if isinstance(fn, DataProblem):
        out["data"] = {"source": fn.dataset.source if fn.dataset else "", "rows": fn.rows, "loss": fn.name,
                       "per_sample_loss": str(fn.loss), "columns": list(fn.columns)}
    return out


@explains(Study, Trajectory, Sweep)
def explain(result, detail: str = "standard") -> Document:
    study = _study(result)
    fn = study.function
    compiled = fn.compiled if isinstance(fn, DataProblem) else fn
    f_sym = sp.Function("f")(*compiled.variables)
    blocks: list = []
    if isinstance(fn, DataProblem):
        blocks.append(Paragraph.of(
            f"Minimise the mean {'' if fn.name == 'expression' else fn.name.replace('_', ' ') + ' '}loss over {fn.rows} samples"
            + (f" of {fn.dataset.source}" if fn.dataset and fn.dataset.source and not fn.dataset.source.startswith("<") else "")
            + "; the loss of sample i is ", Math.chain(symbol("L_i"), fn.loss), "."))
    else:
        what = f" (the {study.test_function.name} function: {study.test_function.note})" if study.test_function else ""
        blocks.append(Paragraph.of("Minimise ", Math.chain(f_sym, compiled.expr), f"{what}."))
    if detail != "brief":
        grad = sp.Matrix(compiled.gradient_exprs)
        blocks.append(Paragraph.of(
            "The gradient, derived step by step (every step checked) and compiled to NumPy "
            f"(checked against the symbolic result at {compiled.checked_points} random points): "))
        blocks.append(DisplayMath(Notation(rf"\nabla f = {latex(grad)}", f"∇f = {unicode(grad)}")))
    for caption, svg, png in study.figures:
        blocks.append(Figure(caption, svg=svg, png_path=png))
    for run in study.runs:
        blocks.append(_run_section(run, study, detail))
    analysis_data = None
    if study.sweep is not None:
        blocks.append(_sweep_section(study.sweep))
    analysis = quadratic_analysis(study) if detail != "brief" else None
    if analysis is not None:
        ablocks, analysis_data = _analysis_blocks(study, analysis, detail)
        blocks.append(Section("Which learning rates work: the Hessian's eigenvalues", tuple(ablocks)))
    title = "Optimization: " + ", ".join(run_name(r) for r in study.runs) if study.runs else \
        f"Sweep of {study.sweep.key} ({study.sweep.method})"
    return Document(title, tuple(blocks), data=contract(study, analysis_data))


def _run_section(run: Trajectory, study: Study, detail: str) -> Section:
    blocks: list = []
    names = ", ".join(run.variables)
    blocks.append(Paragraph.of(
        f"{run.optimizer.title} ({_hyper_words(run)}) from ({names}) = ", _point(run.params[0]),
        f", {run.steps} steps" + (f", mini-batches of {len(run.batches[0])}" if run.batches and
                                  len(run.batches[0]) < study.function.rows else "") + "."))
    if study.explain_rules:
        blocks.append(Paragraph.of("The update, as torch.optim computes it with these settings:"))
        for text, tex in rules_for(run.optimizer):
            blocks.append(DisplayMath(Notation(tex, text)))
        vt, vl = values_line(run.optimizer)
        blocks.append(DisplayMath(Notation(vl, vt)))
        blocks.append(Paragraph.of("With this function's gradient:"))
        for m in update_lines(run):
            blocks.append(DisplayMath(m))
    if detail != "brief":
        k = len(run.params) - 1
        shown = list(range(min(TABLE_HEAD, k + 1)))
        if detail == "full":
            shown = list(range(k + 1)) if k <= 50 else shown + list(range(max(TABLE_HEAD, k - 4), k + 1))
        elif k >= TABLE_HEAD:
            shown.append(k)
        rows = []
        for t in shown:
            g = run.grads[t] if t < len(run.grads) else None
            rows.append((str(t), *(_read(v) for v in run.params[t]), _read(run.loss[t]),
                         _read(float(np.linalg.norm(g))) if g is not None else ""))
        blocks.append(Table(("step", *run.variables, "loss", Notation(r"\lVert g\rVert", "‖g‖")), tuple(rows),
                            caption="After t steps; the norm of the gradient that step t + 1 uses"))
    if run.stopped:
        blocks.append(Paragraph.of(f"The run stopped at {run.stopped}. The trajectory up to step "
                                   f"{len(run.params) - 1} is kept."))
    blocks.append(Paragraph.of(f"After {len(run.params) - 1} steps: ({names}) = ", _point(run.params[-1]),
                               ", loss ", _read(run.loss[-1]), "."))
    return Section(f"{run_name(run)}", tuple(blocks))


def _starts_section(sw: Sweep) -> Section:
    names = ", ".join(sw.variables)
    lines = [Paragraph.of(f"{len(sw.values)} runs of {sw.method} ({_hyper_words(sw.run(0))}) from different "
                          f"starts, advanced together as one array, {sw.steps} steps each.")]
    rows = tuple((_point(sw.starts[i]), _point(sw.params[-1, i]), _read(sw.loss[-1, i]),
                  f"step {sw.stopped_at[i]}" if sw.stopped_at[i] else "") for i in range(min(len(sw.values), 50)))
    lines.append(Table((f"start ({names})", "end", "final loss", "stopped at"), rows))
    return Section("Runs from several starts", tuple(lines))


def _sweep_section(sw: Sweep) -> Section:
    if sw.key == "start":
        return _starts_section(sw)
    final = sw.final_loss
    good = np.flatnonzero(~sw.diverged)
    lines = [Paragraph.of(f"{len(sw.values)} runs of {sw.method} advanced together as one array, {sw.key} from ",
                          _read(sw.values.min()), " to ", _read(sw.values.max()),
                          f", {sw.steps} steps each; {int(sw.diverged.sum())} diverged.")]
    if good.size:
        best = int(good[np.argmin(final[good])])
        lines.append(Paragraph.of("Lowest final loss: ", _read(final[best]), f" at {sw.key} = ", _read(sw.values[best]), "."))
    if sw.diverged.any():
        first = int(np.flatnonzero(sw.diverged)[0])
        why = f" ({sw.reasons[first]})" if sw.reasons[first] else ""
        lines.append(Paragraph.of(f"Smallest {sw.key} that diverged: ", _read(sw.values[first]), f"{why}."))
    idx = np.unique(np.linspace(0, len(sw.values) - 1, min(len(sw.values), 8)).round().astype(int))
    rows = tuple((_read(sw.values[i]), _read(final[i]), f"step {sw.stopped_at[i]}" if sw.stopped_at[i] else "")
                 for i in idx)
    lines.append(Table((sw.key, "final loss", "diverged at"), rows))
    return Section(f"Sweep of {sw.key}", tuple(lines))
