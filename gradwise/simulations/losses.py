"""Losses: each gradient derived once by the engine, checked, and compiled to vectorised NumPy.

Conventions follow PyTorch: `mse` is the mean over all elements (`mse_loss`), `cross_entropy` takes the
network's outputs as logits and integer class labels and averages the negative log-likelihood of the
softmax over the batch (`cross_entropy`); `half_sse` is 0.5·Σ(a - y)²; `output` is Σ a (y unused).

The softmax-cross-entropy gradient p - onehot(y) is derived for three classes with symbolic logits
(every class and label checked), then written with p_k = softmax_k and t_k = [k = y] and compiled;
it holds for any number of classes by the same derivation.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import Derivation, differentiate
from gradwise.derivations.equivalence import equivalent
from gradwise.derivations.parsing import symbol
from gradwise.errors import EngineError, GradwiseError
from gradwise.simulations.layers import compile_numpy

A, T, P = symbol("a"), symbol("y"), symbol("p")
LOSSES = ("mse", "cross_entropy", "half_sse", "output")
_ELEMENTWISE = {"mse": (A - T) ** 2, "half_sse": (A - T) ** 2 / 2, "output": A}
CLASSES = 3   # the size of the symbolic instance the cross-entropy gradient is derived on


@dataclass(frozen=True)
class Loss:
    """A loss: its per-element (or per-example) formula, the derivation of its gradient, compiled."""

    name: str
    definition: sp.Expr              # ℓ(a, y) per element; for cross_entropy ℓ(z, y) per example
    derivations: tuple[Derivation, ...]
    gradient_formula: sp.Expr        # ∂ℓ/∂a, in a and y (for cross_entropy: in p and t = onehot(y))
    compiled: Callable               # the gradient formula as vectorised NumPy

    def value(self, out: np.ndarray, y: np.ndarray) -> float:
        """The loss of the network's outputs `out` (N, K) against targets `y`."""
        if self.name == "cross_entropy":
            shifted = out - out.max(axis=1, keepdims=True)
            lse = np.log(np.exp(shifted).sum(axis=1))
            return float(np.mean(lse - shifted[np.arange(len(y)), y]))
        diff = out - y if self.name != "output" else out
        if self.name == "mse":
            return float(np.mean(diff * diff))
        if self.name == "half_sse":
            return float(0.5 * np.sum(diff * diff))
        return float(np.sum(out))

    def value_and_gradient(self, out: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """The loss and ∂L/∂out (the reduction, mean or sum, included), sharing the work between them."""
        if self.name == "cross_entropy":
            rows = np.arange(len(y))
            shifted = out - out.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            total = e.sum(axis=1, keepdims=True)
            value = float(np.mean(np.log(total[:, 0]) - shifted[rows, y]))
            onehot = np.zeros_like(e)
            onehot[rows, y] = 1.0
            return value, self.compiled(e / total, onehot) * (1.0 / len(y))
        g = self.compiled(out, y)
        if np.ndim(g) == 0:           # Σ a: the gradient is 1 everywhere
            return float(np.sum(out)), np.full_like(out, float(g))
        diff = out - y
        if self.name == "mse":
            return float(np.mean(diff * diff)), g * (1.0 / out.size)
        return float(0.5 * np.sum(diff * diff)), g


def loss(name: str) -> Loss:
    """The loss called `name`; an unknown name lists the choices."""
    if name not in LOSSES:
        raise GradwiseError(f"unknown loss '{name}'; choose one of {', '.join(LOSSES)}")
    return _loss(name)


@lru_cache(maxsize=None)
def _loss(name: str) -> Loss:
    if name == "cross_entropy":
        return _cross_entropy()
    ell = _ELEMENTWISE[name]
    d = differentiate(ell, A)
    compiled = compile_numpy([A, T], d.result)
    for a, y in ((-1.3, 0.4), (0.0, 0.0), (2.2, -0.7)):       # the compiled gradient is the derived one
        exact = float(d.result.xreplace({A: sp.Float(a), T: sp.Float(y)}))
        if abs(float(np.broadcast_to(compiled(np.array([a]), np.array([y])), (1,))[0]) - exact) > 1e-12:
            raise EngineError(f"compiled {name} gradient disagrees with {d.result} at a = {a}, y = {y}")
    return Loss(name, ell, (d,), d.result, compiled)


def logits(k: int = CLASSES) -> list[sp.Symbol]:
    return [symbol(f"z{i}") for i in range(1, k + 1)]


def _cross_entropy() -> Loss:
    """ℓ = -log softmax_y(z) = logsumexp(z) - z_y; ∂ℓ/∂z_k derived for every k and y, = p_k - [k = y]."""
    z = logits()
    derivations = []
    for y in range(CLASSES):
        ell = fn.logsumexp(*z) - z[y]
        for k in range(CLASSES):
            d = differentiate(ell, z[k])
            claimed = fn.softmax(sp.Integer(k + 1), *z) - (1 if k == y else 0)
            if not equivalent(d.result, claimed, confirm=True):
                raise EngineError(f"cross-entropy: ∂ℓ/∂z{k + 1} = {d.result}, not p - onehot(y)")
            derivations.append(d)
    formula = P - T    # p_k - t_k with t = onehot(y)
    return Loss("cross_entropy", fn.logsumexp(*z) - z[0], tuple(derivations), formula,
                compile_numpy([P, T], formula))
