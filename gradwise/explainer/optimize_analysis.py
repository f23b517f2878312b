"""Optimizer runs on a quadratic: the Hessian is constant, so `stable_learning_rates` gives gradient descent's
stable range lr < 2/λ_max, its best rate (κ − 1)/(κ + 1), and heavy-ball momentum's (√κ − 1)/(√κ + 1);
the observed rates and a divergence demonstration are set beside them."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from gradwise.derivations.linalg.stability import StabilityAnalysis, stable_learning_rates
from gradwise.derivations.parsing import symbol
from gradwise.errors import GradwiseError
from gradwise.explainer.optimize_rules import _N, _finite, _num, _read
from gradwise.renderers.document import Math, Notation, Paragraph, Table
from gradwise.simulations.data import DataProblem
from gradwise.simulations.trajectory import Study, Trajectory, advance, _FunctionObjective
from gradwise.simulations.optimizers import SGD


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


def _listed(values) -> list:
    """Numbers for prose, separated by commas: 2, 20 or 0.5, 3 × 10⁻⁷."""
    out: list = []
    for i, v in enumerate(values):
        out += ([", "] if i else []) + [_read(v)]
    return out


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
        ", with eigenvalues ", *_listed(s.eigenvalues), ". Near the stationary point, gradient descent "
        "multiplies the error along each eigenvector by ", _N(r"1 - \mathrm{lr}\,\lambda", "1 − lr·λ"), " every step, so it converges exactly when "
        "", _N(r"|1 - \mathrm{lr}\,\lambda| < 1", "|1 − lr·λ| < 1"), " for every λ: ", Notation(r"0 < \mathrm{lr} < 2/\lambda_{\max}", "0 < lr < 2/λ_max"),
        " = ", _read(s.lr_max), "."))
    if not s.positive_definite:
        blocks.append(Paragraph.of(
            "The smallest eigenvalue is ", _read(s.lambda_min), " ≤ 0: there is no minimum (a saddle or a valley), "
            "and along that eigenvector descent moves away for every learning rate."))
        return blocks, data
    blocks.append(Paragraph.of(
        "The best learning rate is ", _N(r"2/(\lambda_{\min} + \lambda_{\max})", "2/(λ_min + λ_max)"),
        " = ", _read(s.optimal_lr), ", where the error shrinks by ", _N(r"(\kappa - 1)/(\kappa + 1)", "(κ − 1)/(κ + 1)"),
        " = ", _read(analysis['gd_best_rate']), " per step; ", _N(r"\kappa = \lambda_{\max}/\lambda_{\min}", "κ = λ_max/λ_min"),
        " = ", _read(s.condition_number), " is the condition number."))
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
        rows.append((run_name(run), what, _read(lr), _read(predicted), _read(observed) if observed else "—",
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
                        tuple((label, _read(lr), _read(rate), _read(final)) for label, lr, rate, final in demo),
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
        " = ", _read(mb), " and ", _N(r"\mathrm{lr} = 4/(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2",
                                   "lr = 4/(√λ_max + √λ_min)²"),
        " = ", _read(mlr), " the error shrinks by ", root, " = ", _read(analysis['momentum_best_rate']), " per step, against ",
        _read(analysis['gd_best_rate']), f" for the best plain gradient descent: about {math.ceil(hb_steps)} steps "
        f"instead of {math.ceil(gd_steps)} to reduce the error a million times."))
    data["momentum"] = {"best_momentum": mb, "best_lr": mlr, "rate": analysis["momentum_best_rate"],
                        "gradient_descent_rate": analysis["gd_best_rate"],
                        "steps_to_1e-6": {"momentum": math.ceil(hb_steps), "gradient_descent": math.ceil(gd_steps)}}
    return blocks, data
