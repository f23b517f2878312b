"""The largest stable learning rate of gradient descent on a quadratic, from the Hessian's eigenvalues.

On f(x) = ½ xᵀHx − bᵀx gradient descent is x ← x − lr·(Hx − b), so the error e = x − x* obeys
e ← (I − lr·H) e. Along the eigenvector of eigenvalue λ the error is multiplied by (1 − lr·λ) each step:
the iteration converges exactly when |1 − lr·λ| < 1 for every λ, that is 0 < lr < 2/λ_max (with every
λ > 0). The contraction factor max |1 − lr·λ| is smallest at lr = 2/(λ_min + λ_max), where it equals
(κ − 1)/(κ + 1) with κ = λ_max/λ_min the condition number.

`stable_learning_rates(hessian)` is the function the optimizer simulations call (issue 6).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from gradwise.derivations.display import Displayable
from gradwise.derivations.tolerances import SYMMETRY_TOLERANCE
from gradwise.errors import GradwiseError


@dataclass(frozen=True)
class StabilityAnalysis(Displayable):
    """What a symmetric Hessian says about gradient descent's learning rate (explained as kind "stability")."""

    kind = "stability"

    eigenvalues: tuple[float, ...]   # ascending
    lr_max: float                    # 2/λ_max; inf when λ_max <= 0 (no curvature limits the step)
    optimal_lr: float | None         # 2/(λ_min + λ_max) when λ_min > 0, else None
    condition_number: float          # λ_max/λ_min when λ_min > 0, else inf

    @property
    def lambda_min(self) -> float:
        return self.eigenvalues[0]

    @property
    def lambda_max(self) -> float:
        return self.eigenvalues[-1]

    @property
    def positive_definite(self) -> bool:
        """Every eigenvalue > 0: the quadratic has one minimum and gradient descent can reach it."""
        return self.lambda_min > 0

    def contraction(self, lr: float) -> float:
        """max |1 − lr·λ| over the eigenvalues: the factor the error shrinks by each step (< 1: converges)."""
        return max(abs(1.0 - lr * lam) for lam in self.eigenvalues)

    def converges(self, lr: float) -> bool:
        """Whether gradient descent with this learning rate converges on the quadratic."""
        return self.contraction(lr) < 1.0


def _as_array(hessian) -> np.ndarray:
    if isinstance(hessian, sp.MatrixBase):
        if hessian.free_symbols:
            names = ", ".join(sorted(s.name for s in hessian.free_symbols))
            raise GradwiseError(f"the Hessian still has symbols ({names}): give them values first")
        try:
            array = np.array(hessian.evalf(), dtype=float)
        except (TypeError, ValueError):
            raise GradwiseError("the Hessian has entries that are not real numbers") from None
    else:
        array = np.asarray(hessian, dtype=float)
    if array.ndim == 0:
        array = array.reshape(1, 1)
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.size == 0:
        raise GradwiseError(f"the Hessian must be a square matrix, not of shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise GradwiseError("the Hessian has entries that are not finite")
    scale = max(1.0, float(np.max(np.abs(array))))
    if not np.allclose(array, array.T, rtol=0, atol=SYMMETRY_TOLERANCE * scale):
        raise GradwiseError("the Hessian must be symmetric (a Hessian of a smooth function is)")
    return (array + array.T) / 2


def stable_learning_rates(hessian) -> StabilityAnalysis:
    """The eigenvalues of a symmetric numeric Hessian (SymPy Matrix or numpy array) and what they imply
    for gradient descent: the largest stable learning rate 2/λ_max, the best one 2/(λ_min + λ_max), κ."""
    array = _as_array(hessian)
    eigenvalues = tuple(float(v) for v in np.linalg.eigvalsh(array))  # ascending
    lo, hi = eigenvalues[0], eigenvalues[-1]
    lr_max = 2.0 / hi if hi > 0 else math.inf
    optimal = 2.0 / (lo + hi) if lo > 0 else None
    condition = hi / lo if lo > 0 else math.inf
    return StabilityAnalysis(eigenvalues, lr_max, optimal, condition)
