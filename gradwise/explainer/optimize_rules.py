"""The optimizers' update rules as torch writes them (Notation), and with this run's gradient in them (Math);
the number formatting every optimizer document shares."""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from gradwise.derivations.parsing import symbol
from gradwise.explainer.numbers import readable, readable_tuple
from gradwise.printing import latex, unicode
from gradwise.printing.numbers import written
from gradwise.renderers.document import Math, Notation
from gradwise.simulations.data import DataProblem
from gradwise.simulations.trajectory import Trajectory
from gradwise.simulations.optimizers import SGD, hyperparameters


def _N(tex: str, text: str) -> Notation:
    return Notation(tex, text)


def _num(v: float) -> str:
    """A number as one piece of text (titles, legends): 0.02, 2.21 × 10⁻⁷; prose and tables use `_read`."""
    if v is None:
        return "—"
    return written(v).text


def _read(v: float) -> str | Notation:
    """A number for prose or a table cell, its power of ten typeset (explainer/numbers.py)."""
    return "—" if v is None else readable(v)


def _finite(v):
    """A JSON-safe number: None for inf/nan."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_finite(x) for x in v]
    v = float(v)
    return v if math.isfinite(v) else None


def _point(p) -> str | Notation:
    """A point for prose or a table cell: (0.587715, 2.21 × 10⁻⁷)."""
    return readable_tuple(float(v) for v in p)


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
                 r"\tilde v_t \leftarrow v_t - (g^{\text{ave}}_t)^2,\ g^{\text{ave}}_t \leftarrow \alpha g^{\text{ave}}_{t-1} + (1-\alpha) g_t\ \text{(centered)}"),
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
            tex += [rf"\beta_1 = {written(value[0]).latex}", rf"\beta_2 = {written(value[1]).latex}"]
        elif key in SYMBOLS and not isinstance(value, list):
            t, l = SYMBOLS[key]
            text.append(f"{t} = {_num(value)}")
            tex.append(f"{l} = {written(value).latex}")
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
