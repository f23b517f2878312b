"""Optimizer runs as documents: the update rule with the user's gradient in it, the run, the analysis.

`explain(result)` accepts a Trajectory, a Sweep or a Study (several runs and perhaps a sweep) and
returns a Document whose `data` is the JSON contract of `gradwise optimize --format json`.
`figure(study, kind, path)` turns runs into plain arrays for `renderers.plots`.

On a quadratic the Hessian is constant, and `stable_learning_rates` (derivations.linalg.stability)
gives gradient descent's stable range lr < 2/λ_max, its best rate (κ − 1)/(κ + 1), and, for the
heavy-ball momentum that torch's SGD computes, the best rate (√κ − 1)/(√κ + 1).
"""
from __future__ import annotations

import math
import os

import numpy as np
import sympy as sp

from gradwise.derivations.linalg.stability import StabilityAnalysis, stable_learning_rates
from gradwise.derivations.parsing import symbol
from gradwise.errors import GradwiseError
from gradwise.printing import latex, unicode
from gradwise.renderers.document import (DisplayMath, Document, Figure, Math, Notation, Paragraph, Section,
                                         Table)
from gradwise.simulations.data import DataProblem
from gradwise.simulations.trajectory import Study, Sweep, Trajectory, advance, _FunctionObjective
from gradwise.simulations.optimizers import SGD, hyperparameters

TABLE_HEAD = 5


def _N(tex: str, text: str) -> Notation:
    return Notation(tex, text)


def _study(result) -> Study:
    if isinstance(result, Study):
        return result
    if isinstance(result, Trajectory):
        return Study([result])
    if isinstance(result, Sweep):
        return Study([], sweep=result)
    raise GradwiseError(f"cannot explain a {type(result).__name__} as an optimization")


def _num(v: float) -> str:
    if v is None or not math.isfinite(v):
        return "∞" if v == math.inf else ("−∞" if v == -math.inf else "—")
    return f"{v:.6g}"


def _finite(v):
    """A JSON-safe number: None for inf/nan."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_finite(x) for x in v]
    v = float(v)
    return v if math.isfinite(v) else None


def _point(p) -> str:
    return "(" + ", ".join(_num(float(v)) for v in p) + ")"


# ----------------------------------------------------------------------------------------------------
# The update rules, as torch writes them (Notation) and with this function's gradient (Math)

RULES = {
    "sgd": [("g_t ← ∇f(θ_{t-1}) + λθ_{t-1}", r"g_t \leftarrow \nabla f(\theta_{t-1}) + \lambda\theta_{t-1}"),
            ("b_t ← μ b_{t-1} + (1 − τ) g_t   (b_1 = g_1)", r"b_t \leftarrow \mu b_{t-1} + (1-\tau) g_t \quad (b_1 = g_1)"),
            ("g_t ← g_t + μ b_t (nesterov)  or  g_t ← b_t", r"g_t \leftarrow g_t + \mu b_t\ \text{(nesterov)} \text{ or } g_t \leftarrow b_t"),
            ("θ_t ← θ_{t-1} − γ g_t", r"\theta_t \leftarrow \theta_{t-1} - \gamma g_t")],
    "adam": [("g_t ← ∇f(θ_{t-1}) + λθ_{t-1}", r"g_t \leftarrow \nabla f(\theta_{t-1}) + \lambda\theta_{t-1}"),
             ("m_t ← β₁ m_{t-1} + (1 − β₁) g_t", r"m_t \leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t"),
             ("v_t ← β₂ v_{t-1} + (1 − β₂) g_t²", r"v_t \leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2"),
             ("v_t^max ← max(v_{t-1}^max, v_t)  (amsgrad; then v_t ← v_t^max)", r"v_t^{\max} \leftarrow \max(v_{t-1}^{\max}, v_t)\ \text{(amsgrad)}"),
             ("θ_t ← θ_{t-1} − γ/(1 − β₁ᵗ) · m_t / (√v_t / √(1 − β₂ᵗ) + ε)",
              r"\theta_t \leftarrow \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\,\frac{m_t}{\sqrt{v_t}/\sqrt{1-\beta_2^t} + \epsilon}")],
    "adamw": [("θ_{t-1} ← θ_{t-1}(1 − γλ)   (decoupled weight decay)", r"\theta_{t-1} \leftarrow \theta_{t-1}(1 - \gamma\lambda)"),
              ("g_t ← ∇f(θ_{t-1})", r"g_t \leftarrow \nabla f(\theta_{t-1})"),
              ("m_t ← β₁ m_{t-1} + (1 − β₁) g_t", r"m_t \leftarrow \beta_1 m_{t-1} + (1-\beta_1) g_t"),
              ("v_t ← β₂ v_{t-1} + (1 − β₂) g_t²", r"v_t \leftarrow \beta_2 v_{t-1} + (1-\beta_2) g_t^2"),
              ("θ_t ← θ_{t-1} − γ/(1 − β₁ᵗ) · m_t / (√v_t / √(1 − β₂ᵗ) + ε)",
               r"\theta_t \leftarrow \theta_{t-1} - \frac{\gamma}{1-\beta_1^t}\,\frac{m_t}{\sqrt{v_t}/\sqrt{1-\beta_2^t} + \epsilon}")],
    "rmsprop": [("g_t ← ∇f(θ_{t-1}) + λθ_{t-1}", r"g_t \leftarrow \nabla f(\theta_{t-1}) + \lambda\theta_{t-1}"),
                ("v_t ← α v_{t-1} + (1 − α) g_t²", r"v_t \leftarrow \alpha v_{t-1} + (1-\alpha) g_t^2"),
                ("ṽ_t ← v_t − (g^ave_t)², g^ave_t ← α g^ave_{t-1} + (1 − α) g_t   (centered)",
                 r"\tilde v_t \leftarrow v_t - (g^{ave}_t)^2,\ g^{ave}_t \leftarrow \alpha g^{ave}_{t-1} + (1-\alpha) g_t\ \text{(centered)}"),
                ("b_t ← μ b_{t-1} + g_t/(√ṽ_t + ε);  θ_t ← θ_{t-1} − γ b_t   (momentum)",
                 r"b_t \leftarrow \mu b_{t-1} + g_t/(\sqrt{\tilde v_t} + \epsilon),\ \theta_t \leftarrow \theta_{t-1} - \gamma b_t"),
                ("θ_t ← θ_{t-1} − γ g_t/(√ṽ_t + ε)", r"\theta_t \leftarrow \theta_{t-1} - \gamma\, g_t/(\sqrt{\tilde v_t} + \epsilon)")],
    "adagrad": [("γ̃ ← γ/(1 + (t − 1)η)", r"\tilde\gamma \leftarrow \gamma / (1 + (t-1)\eta)"),
                ("g_t ← ∇f(θ_{t-1}) + λθ_{t-1}", r"g_t \leftarrow \nabla f(\theta_{t-1}) + \lambda\theta_{t-1}"),
                ("s_t ← s_{t-1} + g_t²   (s_0 = initial_accumulator_value)", r"s_t \leftarrow s_{t-1} + g_t^2\quad (s_0 = \text{initial\_accumulator\_value})"),
                ("θ_t ← θ_{t-1} − γ̃ g_t/(√s_t + ε)", r"\theta_t \leftarrow \theta_{t-1} - \tilde\gamma\, g_t/(\sqrt{s_t} + \epsilon)")],
}


SYMBOLS = {"lr": ("γ", r"\gamma"), "momentum": ("μ", r"\mu"), "dampening": ("τ", r"\tau"),
           "weight_decay": ("λ", r"\lambda"), "eps": ("ε", r"\epsilon"), "alpha": ("α", r"\alpha"),
           "lr_decay": ("η", r"\eta"), "initial_accumulator_value": ("s₀", r"s_0")}


def rules_for(opt) -> list[tuple[str, str]]:
    """The lines of torch's pseudo-code that this optimizer's settings use (text, LaTeX)."""
    lines = RULES[opt.name]
    decay = np.ndim(opt.weight_decay) > 0 or opt.weight_decay != 0
    keep = []
    for text, tex in lines:
        if text.startswith("g_t ← ∇f(θ_{t-1}) + λθ_{t-1}") and not decay:
            text, tex = "g_t ← ∇f(θ_{t-1})", r"g_t \leftarrow \nabla f(\theta_{t-1})"
        if opt.name == "adamw" and text.startswith("θ_{t-1} ← θ_{t-1}(1 − γλ)") and not decay:
            continue
        if "amsgrad" in text and not getattr(opt, "amsgrad", False):
            continue
        if opt.name == "sgd":
            moving = np.ndim(opt.momentum) > 0 or opt.momentum != 0
            if ("b_t" in text or "nesterov" in text) and not moving:
                continue
            if "nesterov" in text:
                text, tex = (("g_t ← g_t + μ b_t", r"g_t \leftarrow g_t + \mu b_t") if opt.nesterov
                             else ("g_t ← b_t", r"g_t \leftarrow b_t"))
        if opt.name == "rmsprop":
            if "centered" in text and not opt.centered:
                continue
            moving = np.ndim(opt.momentum) > 0 or opt.momentum > 0
            if "(momentum)" in text and not moving:
                continue
            if text.startswith("θ_t ← θ_{t-1} − γ g_t/") and moving:
                continue
            if not opt.centered:
                text, tex = text.replace("ṽ_t", "v_t"), tex.replace(r"\tilde v_t", "v_t")
        keep.append((text, tex))
    if getattr(opt, "maximize", False):
        keep[0] = (keep[0][0].replace("∇f", "−∇f"), keep[0][1].replace(r"\nabla f", r"-\nabla f"))
    return keep


def values_line(opt) -> tuple[str, str]:
    """The hyperparameters with the symbols the rules use: γ = 0.05, β₁ = 0.9, ..."""
    hp = hyperparameters(opt)
    text, tex = [], []
    for key, value in hp.items():
        if key == "betas":
            text += [f"β₁ = {_num(value[0])}", f"β₂ = {_num(value[1])}"]
            tex += [rf"\beta_1 = {_num(value[0])}", rf"\beta_2 = {_num(value[1])}"]
        elif key in SYMBOLS and not isinstance(value, list):
            t, l = SYMBOLS[key]
            text.append(f"{t} = {_num(value)}")
            tex.append(f"{l} = {_num(value)}".replace("e-", r"\mathrm{e}{-}"))
    return ", ".join(text), r",\ ".join(tex)


def _previous(v: sp.Symbol) -> sp.Symbol:
    return symbol(f"{v.name}_{{t-1}}")


def _now(v: sp.Symbol) -> sp.Symbol:
    return symbol(f"{v.name}_t")


def update_lines(run: Trajectory) -> list[Math | Notation]:
    """The update with this function's gradient substituted: g_t = ∇f(θ_{t-1}) and, for plain gradient
    descent, θ_t as a function of θ_{t-1} with the learning rate put in."""
    compiled = run.compiled
    old = {v: _previous(v) for v in compiled.variables}
    lines = []
    data = isinstance(run.function, DataProblem)
    for v, g in zip(compiled.variables, compiled.gradient_exprs):
        gv = g.xreplace(old)
        label = symbol(f"g_{v.name}")
        if data:
            lines.append(Notation(rf"{latex(label)} = \frac{{1}}{{|B|}} \sum_{{i \in B}} \left({latex(gv)}\right)",
                                  f"{unicode(label)} = mean over i in the batch of {unicode(gv)}"))
        else:
            lines.append(Math.chain(label, sp.Derivative(compiled.expr, v).xreplace(old), gv))
    opt = run.optimizer
    plain = isinstance(opt, SGD) and np.ndim(opt.lr) == 0 and opt.momentum == 0 and opt.weight_decay == 0
    if plain and not data:
        sign = 1 if opt.maximize else -1
        lr = sp.Float(opt.lr, 6)
        for v, g in zip(compiled.variables, compiled.gradient_exprs):
            rhs = old[v] + sign * lr * g.xreplace(old)
            lines.append(Math.chain(_now(v), old[v] + sign * lr * symbol(f"g_{v.name}"), sp.expand(rhs)))
    return lines


# ----------------------------------------------------------------------------------------------------
# Analysis on a quadratic

def quadratic_analysis(study: Study) -> dict | None:
    """Stability of gradient descent (and heavy-ball momentum) from the constant Hessian, or None."""
    fn = study.function
    if isinstance(fn, DataProblem) or fn.hessian_exprs is None or not fn.is_quadratic:
        return None
    H = np.array(fn.hessian_exprs.evalf(), dtype=float)
    try:
        s = stable_learning_rates(H)
    except GradwiseError:
        return None
    out = {"stability": s, "hessian": H, "minimum": None}
    if s.positive_definite:
        out["minimum"] = -np.linalg.solve(H, fn.grad(np.zeros(fn.n)))
        k = s.condition_number
        out["momentum_best"] = ((math.sqrt(k) - 1) / (math.sqrt(k) + 1)) ** 2
        out["momentum_best_lr"] = 4 / (math.sqrt(s.lambda_max) + math.sqrt(s.lambda_min)) ** 2
        out["gd_best_rate"] = (k - 1) / (k + 1)
        out["momentum_best_rate"] = (math.sqrt(k) - 1) / (math.sqrt(k) + 1)
    return out


def run_name(run) -> str:
    """A run's name in a legend or a heading: its label, else its configuration (`sgd, momentum 0.9`)."""
    if run.label and run.label != run.method:
        return run.label
    h = run.hyperparameters
    parts = [run.method]
    if h.get("momentum"):
        parts.append(f"momentum {h['momentum']:g}" + (", nesterov" if h.get("nesterov") else ""))
    if h.get("weight_decay"):
        parts.append(f"weight decay {h['weight_decay']:g}")
    if run.batches:
        size = len(run.batches[0])
        rows = getattr(run.function, "rows", None)
        parts.append("full batch" if size == rows else "stochastic" if size == 1 else f"mini-batch {size}")
    return ", ".join(parts)


def heavy_ball_rate(eigenvalues, lr: float, momentum: float) -> float:
    """The spectral radius of torch SGD-with-momentum's iteration on a quadratic (the heavy ball:
    θ_t = θ_{t-1} − γ∇f + μ(θ_{t-1} − θ_{t-2})), the worst over the eigenvalues."""
    worst = 0.0
    for lam in eigenvalues:
        M = np.array([[1 + momentum - lr * lam, -momentum], [1.0, 0.0]])
        worst = max(worst, float(np.max(np.abs(np.linalg.eigvals(M)))))
    return worst


def _observed_rate(run: Trajectory, minimum) -> float | None:
    """How much the distance to the minimum shrank per step over the last half of the run."""
    if minimum is None or len(run.params) < 4:
        return None
    d = np.linalg.norm(run.params - minimum, axis=1)
    k = len(d) - 1
    a = k // 2
    if d[a] <= 0 or d[k] <= 0 or not np.isfinite(d[k]):
        return None
    return float((d[k] / d[a]) ** (1.0 / (k - a)))


def _divergence_demo(study: Study, s: StabilityAnalysis, steps: int) -> list[tuple[str, float, float, float]]:
    """Plain gradient descent at telling learning rates, run together: (label, lr, predicted rate, final loss)."""
    fn = study.function
    start = study.runs[0].params[0] if study.runs else study.sweep.starts[0]
    picks = [("the optimal rate", s.optimal_lr), ("half the limit", 0.5 * s.lr_max),
             ("0.99 × the limit", 0.99 * s.lr_max), ("1.05 × the limit", 1.05 * s.lr_max)]
    lrs = np.array([lr for _, lr in picks])
    arrays = advance(_FunctionObjective(fn), SGD(lr=lrs.reshape(-1, 1)), np.repeat(start[None], len(lrs), 0), steps)
    final = arrays.loss[-1]
    return [(label, lr, s.contraction(lr), float(final[i]) if not arrays.stopped_at[i] else math.inf)
            for i, (label, lr) in enumerate(picks)]


def _analysis_blocks(study: Study, analysis: dict, detail: str) -> tuple[list, dict]:
    s: StabilityAnalysis = analysis["stability"]
    H = analysis["hessian"]
    blocks: list = []
    data: dict = {"hessian": H.tolist(), "eigenvalues": list(s.eigenvalues), "lr_max": _finite(s.lr_max),
                  "optimal_lr": _finite(s.optimal_lr) if s.optimal_lr else None,
                  "condition_number": _finite(s.condition_number)}
    blocks.append(Paragraph.of(
        "f is quadratic, so its Hessian is the same everywhere: ",
        Math.chain(symbol("H"), sp.Matrix(study.function.hessian_exprs)),
        f", with eigenvalues {', '.join(_num(v) for v in s.eigenvalues)}. Near the stationary point, gradient descent "
        "multiplies the error along each eigenvector by ", _N(r"1 - \mathrm{lr}\,\lambda", "1 − lr·λ"), " every step, so it converges exactly when "
        "", _N(r"|1 - \mathrm{lr}\,\lambda| < 1", "|1 − lr·λ| < 1"), " for every λ: ", Notation(r"0 < \mathrm{lr} < 2/\lambda_{\max}", "0 < lr < 2/λ_max"),
        f" = {_num(s.lr_max)}."))
    if not s.positive_definite:
        blocks.append(Paragraph.of(
            f"The smallest eigenvalue is {_num(s.lambda_min)} ≤ 0: there is no minimum (a saddle or a valley), "
            "and along that eigenvector descent moves away for every learning rate."))
        return blocks, data
    blocks.append(Paragraph.of(
        "The best learning rate is ", _N(r"2/(\lambda_{\min} + \lambda_{\max})", "2/(λ_min + λ_max)"),
        f" = {_num(s.optimal_lr)}, where the error shrinks by ", _N(r"(\kappa - 1)/(\kappa + 1)", "(κ − 1)/(κ + 1)"),
        f" = {_num(analysis['gd_best_rate'])} per step; ", _N(r"\kappa = \lambda_{\max}/\lambda_{\min}", "κ = λ_max/λ_min"),
        f" = {_num(s.condition_number)} is the condition number."))
    rows = []
    for run in study.runs:
        opt = run.optimizer
        if not isinstance(opt, SGD) or np.ndim(opt.lr) or opt.weight_decay or opt.maximize:
            continue
        lr = float(opt.lr)
        if opt.momentum == 0:
            predicted = s.contraction(lr)
            what = "gradient descent"
        elif not opt.nesterov and opt.dampening == 0:
            predicted = heavy_ball_rate(s.eigenvalues, lr, float(opt.momentum))
            what = f"momentum μ = {_num(opt.momentum)}"
        else:
            continue
        observed = _observed_rate(run, analysis["minimum"])
        verdict = "converges" if predicted < 1 else "diverges"
        rows.append((run_name(run), what, _num(lr), _num(predicted), _num(observed) if observed else "—",
                     verdict))
        data.setdefault("runs", []).append({"label": run.label or run.method, "lr": lr,
                                            "momentum": float(opt.momentum), "predicted_rate": _finite(predicted),
                                            "observed_rate": _finite(observed) if observed else None})
    if rows:
        blocks.append(Table(("run", "method", "lr", "predicted rate", "observed rate", ""), tuple(rows),
                            caption="Error shrink factor per step: predicted from the eigenvalues, "
                                    "observed over the second half of the run"))
    steps = study.runs[0].steps if study.runs else study.sweep.steps
    demo = _divergence_demo(study, s, min(steps, 1000))
    blocks.append(Table(("gradient descent at", "lr", _N(r"\max|1 - \mathrm{lr}\,\lambda|", "max|1 − lr·λ|"),
                         f"loss after {min(steps, 1000)} steps"),
                        tuple((label, _num(lr), _num(rate), _num(final)) for label, lr, rate, final in demo),
                        caption="Plain gradient descent from the same start (the last learning rate is past the stable limit)"))
    data["gradient_descent_at"] = [{"label": label, "lr": lr, "rate": rate, "final_loss": _finite(final)}
                                   for label, lr, rate, final in demo]
    mb, mlr = analysis["momentum_best"], analysis["momentum_best_lr"]
    gd_steps = math.log(1e-6) / math.log(analysis["gd_best_rate"]) if analysis["gd_best_rate"] > 0 else 1
    hb_steps = math.log(1e-6) / math.log(analysis["momentum_best_rate"]) if analysis["momentum_best_rate"] > 0 else 1
    root = _N(r"(\sqrt\kappa - 1)/(\sqrt\kappa + 1)", "(√κ − 1)/(√κ + 1)")
    blocks.append(Paragraph.of(
        "Momentum: torch's SGD with momentum μ is the heavy ball ",
        _N(r"\theta_t = \theta_{t-1} - \mathrm{lr}\,\nabla f + \mu(\theta_{t-1} - \theta_{t-2})",
           "θ_t = θ_{t-1} − lr·∇f + μ(θ_{t-1} − θ_{t-2})"),
        ", and it replaces ", _N(r"\kappa", "κ"), " by ", _N(r"\sqrt\kappa", "√κ"), ": with ", _N(r"\mu = \left((\sqrt\kappa - 1)/(\sqrt\kappa + 1)\right)^2",
                                             "μ = ((√κ − 1)/(√κ + 1))²"),
        f" = {_num(mb)} and ", _N(r"\mathrm{lr} = 4/(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2",
                                   "lr = 4/(√λ_max + √λ_min)²"),
        f" = {_num(mlr)} the error shrinks by ", root, f" = {_num(analysis['momentum_best_rate'])} per step, against "
        f"{_num(analysis['gd_best_rate'])} for the best plain gradient descent: about {math.ceil(hb_steps)} steps "
        f"instead of {math.ceil(gd_steps)} to reduce the error a million times."))
    data["momentum"] = {"best_momentum": mb, "best_lr": mlr, "rate": analysis["momentum_best_rate"],
                        "gradient_descent_rate": analysis["gd_best_rate"],
                        "steps_to_1e-6": {"momentum": math.ceil(hb_steps), "gradient_descent": math.ceil(gd_steps)}}
    return blocks, data


# ----------------------------------------------------------------------------------------------------
# The document and its JSON contract

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
        f"{run.optimizer.title} ({_hyper_words(run)}) from ({names}) = {_point(run.params[0])}, "
        f"{run.steps} steps" + (f", mini-batches of {len(run.batches[0])}" if run.batches and
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
            rows.append((str(t), *(_num(v) for v in run.params[t]), _num(run.loss[t]),
                         _num(float(np.linalg.norm(g))) if g is not None else ""))
        blocks.append(Table(("step", *run.variables, "loss", Notation(r"\lVert g\rVert", "‖g‖")), tuple(rows),
                            caption="After t steps; the norm of the gradient that step t + 1 uses"))
    if run.stopped:
        blocks.append(Paragraph.of(f"The run stopped at {run.stopped}. The trajectory up to step "
                                   f"{len(run.params) - 1} is kept."))
    blocks.append(Paragraph.of(f"After {len(run.params) - 1} steps: ({names}) = {_point(run.params[-1])}, "
                               f"loss {_num(run.loss[-1])}."))
    return Section(f"{run_name(run)}", tuple(blocks))


def _starts_section(sw: Sweep) -> Section:
    names = ", ".join(sw.variables)
    lines = [Paragraph.of(f"{len(sw.values)} runs of {sw.method} ({_hyper_words(sw.run(0))}) from different "
                          f"starts, advanced together as one array, {sw.steps} steps each.")]
    rows = tuple((_point(sw.starts[i]), _point(sw.params[-1, i]), _num(sw.loss[-1, i]),
                  f"step {sw.stopped_at[i]}" if sw.stopped_at[i] else "") for i in range(min(len(sw.values), 50)))
    lines.append(Table((f"start ({names})", "end", "final loss", "stopped at"), rows))
    return Section("Runs from several starts", tuple(lines))


def _sweep_section(sw: Sweep) -> Section:
    if sw.key == "start":
        return _starts_section(sw)
    final = sw.final_loss
    good = np.flatnonzero(~sw.diverged)
    lines = [Paragraph.of(f"{len(sw.values)} runs of {sw.method} advanced together as one array, "
                          f"{sw.key} from {_num(sw.values.min())} to {_num(sw.values.max())}, {sw.steps} steps each; "
                          f"{int(sw.diverged.sum())} diverged.")]
    if good.size:
        best = int(good[np.argmin(final[good])])
        lines.append(Paragraph.of(f"Lowest final loss: {_num(final[best])} at {sw.key} = {_num(sw.values[best])}."))
    if sw.diverged.any():
        first = int(np.flatnonzero(sw.diverged)[0])
        why = f" ({sw.reasons[first]})" if sw.reasons[first] else ""
        lines.append(Paragraph.of(f"Smallest {sw.key} that diverged: {_num(sw.values[first])}{why}."))
    idx = np.unique(np.linspace(0, len(sw.values) - 1, min(len(sw.values), 8)).round().astype(int))
    rows = tuple((_num(sw.values[i]), _num(final[i]), f"step {sw.stopped_at[i]}" if sw.stopped_at[i] else "")
                 for i in idx)
    lines.append(Table((sw.key, "final loss", "diverged at"), rows))
    return Section(f"Sweep of {sw.key}", tuple(lines))


# ----------------------------------------------------------------------------------------------------
# Figures: runs -> plain arrays -> renderers.plots

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
