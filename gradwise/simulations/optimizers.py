"""The update rules of torch.optim, as plain NumPy on arrays.

Each method is a small frozen dataclass whose fields are torch's hyperparameters with torch's defaults,
with `init(params) -> state` and `step(params, grad, state, t) -> params` (t counts from 1). The
arithmetic follows torch's single-tensor CPU code operation by operation (`lerp` for Adam's first
moment, `mul_` then `addcmul_` for the second, eps added after the square root and the bias
correction), so trajectories agree with torch.optim to rounding.

Arrays: `params` and `grad` have shape (runs, n). Any float hyperparameter may be an array of shape
(runs, 1): that is how a sweep advances many learning rates (or momenta, ...) as one array.

README.md ("Optimizers") writes every rule in torch's pseudo-code and as mathematics.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, fields, replace
from typing import ClassVar, Union

import numpy as np

from gradwise.errors import GradwiseError

Hyper = Union[float, np.ndarray]


def lerp(start, end, weight):
    """torch.lerp: start + w·(end − start) for |w| < 0.5, else end − (end − start)·(1 − w)."""
    diff = end - start
    if np.ndim(weight) == 0:
        return start + weight * diff if abs(weight) < 0.5 else end - diff * (1 - weight)
    return np.where(np.abs(weight) < 0.5, start + weight * diff, end - diff * (1 - weight))


def _active(h) -> bool:
    """torch's `if h != 0` for a scalar; an array (a sweep) always takes the branch (0 changes nothing)."""
    return np.ndim(h) > 0 or h != 0


def _ascent(grad, maximize):
    return -grad if maximize else grad


@dataclass(frozen=True)
class SGD:
    """torch.optim.SGD: momentum buffer starts as the first gradient; dampening from step 2."""

    lr: Hyper = 1e-3
    momentum: Hyper = 0.0
    dampening: Hyper = 0.0
    weight_decay: Hyper = 0.0
    nesterov: bool = False
    maximize: bool = False
    name: ClassVar[str] = "sgd"
    title: ClassVar[str] = "SGD"

    def init(self, params: np.ndarray) -> dict:
        return {"momentum_buffer": None}

    def step(self, params, grad, state, t):
        g = _ascent(grad, self.maximize)
        if _active(self.weight_decay):
            g = g + self.weight_decay * params
        if _active(self.momentum):
            buf = state["momentum_buffer"]
            if buf is None:
                buf = g.copy()
            else:
                buf = buf * self.momentum + (1 - self.dampening) * g
            if np.ndim(self.momentum) > 0:  # a sweep: where momentum is 0, torch skips the buffer
                buf = np.where(self.momentum != 0, buf, g)
            state["momentum_buffer"] = buf
            g = g + self.momentum * buf if self.nesterov else buf
        return params + (-self.lr) * g


@dataclass(frozen=True)
class Adam:
    """torch.optim.Adam (and AdamW with `decoupled_weight_decay`): bias-corrected moments, eps added to
    √v̂; amsgrad keeps the running maximum of the uncorrected v."""

    lr: Hyper = 1e-3
    betas: tuple = (0.9, 0.999)
    eps: Hyper = 1e-8
    weight_decay: Hyper = 0.0
    amsgrad: bool = False
    maximize: bool = False
    name: ClassVar[str] = "adam"
    title: ClassVar[str] = "Adam"
    decoupled_weight_decay: ClassVar[bool] = False

    def init(self, params: np.ndarray) -> dict:
        z = np.zeros_like(params)
        return {"exp_avg": z, "exp_avg_sq": z.copy(), "max_exp_avg_sq": z.copy()}

    def step(self, params, grad, state, t):
        beta1, beta2 = self.betas
        g = _ascent(grad, self.maximize)
        if _active(self.weight_decay):
            if self.decoupled_weight_decay:
                params = params * (1 - self.lr * self.weight_decay)
            else:
                g = g + self.weight_decay * params
        m = lerp(state["exp_avg"], g, 1 - beta1)
        v = state["exp_avg_sq"] * beta2 + (1 - beta2) * g * g
        state["exp_avg"], state["exp_avg_sq"] = m, v
        bias_correction1 = 1 - beta1 ** t
        bias_correction2 = 1 - beta2 ** t
        step_size = self.lr / bias_correction1
        bias_correction2_sqrt = bias_correction2 ** 0.5
        if self.amsgrad:
            state["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], v)
            v = state["max_exp_avg_sq"]
        denom = np.sqrt(v) / bias_correction2_sqrt + self.eps
        return params + (-step_size) * m / denom


@dataclass(frozen=True)
class AdamW(Adam):
    """torch.optim.AdamW: Adam whose weight decay shrinks the parameters, θ ← θ(1 − γλ), outside the moments."""

    weight_decay: Hyper = 1e-2
    name: ClassVar[str] = "adamw"
    title: ClassVar[str] = "AdamW"
    decoupled_weight_decay: ClassVar[bool] = True


@dataclass(frozen=True)
class RMSprop:
    """torch.optim.RMSprop: eps added outside the square root; centered subtracts the squared mean gradient."""

    lr: Hyper = 1e-2
    alpha: Hyper = 0.99
    eps: Hyper = 1e-8
    weight_decay: Hyper = 0.0
    momentum: Hyper = 0.0
    centered: bool = False
    maximize: bool = False
    name: ClassVar[str] = "rmsprop"
    title: ClassVar[str] = "RMSprop"

    def init(self, params: np.ndarray) -> dict:
        z = np.zeros_like(params)
        return {"square_avg": z, "grad_avg": z.copy(), "momentum_buffer": z.copy()}

    def step(self, params, grad, state, t):
        g = _ascent(grad, self.maximize)
        if _active(self.weight_decay):
            g = g + self.weight_decay * params
        square_avg = state["square_avg"] * self.alpha + (1 - self.alpha) * g * g
        state["square_avg"] = square_avg
        if self.centered:
            grad_avg = lerp(state["grad_avg"], g, 1 - self.alpha)
            state["grad_avg"] = grad_avg
            avg = np.sqrt(square_avg + (-1) * grad_avg * grad_avg)
        else:
            avg = np.sqrt(square_avg)
        avg = avg + self.eps
        if np.ndim(self.momentum) > 0 or self.momentum > 0:
            buf = state["momentum_buffer"] * self.momentum + g / avg
            state["momentum_buffer"] = buf
            moved = params + (-self.lr) * buf
            if np.ndim(self.momentum) > 0:
                return np.where(self.momentum > 0, moved, params + (-self.lr) * g / avg)
            return moved
        return params + (-self.lr) * g / avg


@dataclass(frozen=True)
class Adagrad:
    """torch.optim.Adagrad: the sum of squared gradients starts at initial_accumulator_value; lr decays
    as lr/(1 + (t − 1)·lr_decay)."""

    lr: Hyper = 1e-2
    lr_decay: Hyper = 0.0
    weight_decay: Hyper = 0.0
    initial_accumulator_value: Hyper = 0.0
    eps: Hyper = 1e-10
    maximize: bool = False
    name: ClassVar[str] = "adagrad"
    title: ClassVar[str] = "Adagrad"

    def init(self, params: np.ndarray) -> dict:
        return {"sum": np.zeros_like(params) + self.initial_accumulator_value}

    def step(self, params, grad, state, t):
        g = _ascent(grad, self.maximize)
        if _active(self.weight_decay):
            g = g + self.weight_decay * params
        clr = self.lr / (1 + (t - 1) * self.lr_decay)
        total = state["sum"] + g * g
        state["sum"] = total
        std = np.sqrt(total) + self.eps
        return params + (-clr) * g / std


METHODS = {"sgd": SGD, "adam": Adam, "adamw": AdamW, "rmsprop": RMSprop, "adagrad": Adagrad}
#: alias -> (method, hyperparameters it sets unless the user sets them)
ALIASES = {"gd": ("sgd", {}), "momentum": ("sgd", {"momentum": 0.9}),
           "nesterov": ("sgd", {"momentum": 0.9, "nesterov": True})}
BOOLEANS = {"nesterov", "amsgrad", "centered", "maximize"}
Optimizer = Union[SGD, Adam, AdamW, RMSprop, Adagrad]


def hyperparameter_names(method: str) -> list[str]:
    """torch's names of the hyperparameters of a method, lr first."""
    return [f.name for f in fields(METHODS[method])]


def method_names() -> list[str]:
    return list(METHODS) + list(ALIASES)


def resolve_method(method: str) -> tuple[str, dict]:
    """The torch method behind a name or alias, and the defaults the alias sets."""
    key = str(method).strip().lower()
    if key in METHODS:
        return key, {}
    if key in ALIASES:
        name, preset = ALIASES[key]
        return name, dict(preset)
    close = difflib.get_close_matches(key, method_names(), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise GradwiseError(f"unknown method '{method}'{hint}; choose one of {', '.join(method_names())}")


def make_optimizer(method: str, lr=None, **hyperparameters) -> Optimizer:
    """The optimizer for `method` with torch's defaults, checked as torch checks them (and a little more)."""
    name, preset = resolve_method(method)
    cls = METHODS[name]
    allowed = hyperparameter_names(name)
    for key in hyperparameters:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise GradwiseError(f"{name} has no hyperparameter '{key}'{hint}; "
                                f"its hyperparameters are {', '.join(allowed)}")
    values = {**preset, **{k: v for k, v in hyperparameters.items() if v is not None}}
    if lr is not None:
        values["lr"] = lr
    for key, value in list(values.items()):
        values[key] = _validated(name, key, value)
    return _check_nesterov(cls(**values))


def _check_nesterov(opt):
    if getattr(opt, "nesterov", False):
        if not (np.all(np.asarray(opt.momentum) > 0) and np.all(np.asarray(opt.dampening) == 0)):
            raise GradwiseError("nesterov needs a momentum > 0 and dampening 0 (as in torch.optim.SGD): "
                                "add --momentum, e.g. --momentum 0.9")
    return opt


def _validated(method: str, key: str, value):
    if key in BOOLEANS:
        if not isinstance(value, (bool, np.bool_)):
            raise GradwiseError(f"{key} is true or false, not {value!r}")
        return bool(value)
    if key == "betas":
        try:
            b1, b2 = (float(b) for b in value)
        except (TypeError, ValueError):
            raise GradwiseError(f"betas is a pair of numbers such as 0.9,0.999, not {value!r}") from None
        for i, b in enumerate((b1, b2)):
            if not 0.0 <= b < 1.0:
                raise GradwiseError(f"betas[{i}] must be in [0, 1), not {b}")
        return (b1, b2)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise GradwiseError(f"{key} must be a number, not {value!r}") from None
    if not np.all(np.isfinite(array)):
        raise GradwiseError(f"{key} must be a finite number, not {value}")
    if np.any(array < 0):
        bad = float(array.min())
        raise GradwiseError(f"{key} must be >= 0, not {bad:g}" + (" (a negative learning rate climbs "
                            "uphill; use maximize to ascend)" if key == "lr" else ""))
    if key == "alpha" and np.any(array > 1):
        raise GradwiseError(f"alpha is a smoothing constant in [0, 1], not {float(array.max()):g}")
    return float(array) if array.ndim == 0 else array


def with_hyperparameter(opt: Optimizer, key: str, values: np.ndarray) -> Optimizer:
    """A copy of the optimizer whose `key` is an array of shape (runs, 1) (a sweep)."""
    if key in BOOLEANS or key == "betas":
        raise GradwiseError(f"cannot sweep {key}; sweep a number such as lr or momentum")
    if key not in hyperparameter_names(opt.name):
        raise GradwiseError(f"{opt.name} has no hyperparameter '{key}' to sweep; "
                            f"its hyperparameters are {', '.join(hyperparameter_names(opt.name))}")
    checked = _validated(opt.name, key, np.asarray(values, dtype=float).reshape(-1, 1))
    return _check_nesterov(replace(opt, **{key: checked}))


def hyperparameters(opt: Optimizer) -> dict:
    """The optimizer's hyperparameters as plain values (arrays as lists)."""
    out = {}
    for f in fields(opt):
        v = getattr(opt, f.name)
        out[f.name] = v.ravel().tolist() if isinstance(v, np.ndarray) else (list(v) if isinstance(v, tuple) else v)
    return out
