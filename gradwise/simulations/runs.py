"""Advancing R optimizer runs as one array: the loop, what it keeps, and why a run stopped.

`advance(objective, optimizer, starts, steps)` is shared by a single run and a sweep (trajectory.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from gradwise.errors import GradwiseError
from gradwise.simulations.compile import Compiled
from gradwise.simulations.optimizers import Optimizer


class _FunctionObjective:
    """f(θ) itself: the value and gradient of a compiled function at R points."""

    def __init__(self, compiled: Compiled):
        self.compiled = compiled

    @property
    def variables(self):
        return self.compiled.variables

    def value(self, P, idx=None):
        return self.compiled.f(P)

    def grad(self, P, idx=None):
        return self.compiled.grad(P)


@dataclass
class RunArrays:
    """The raw arrays of R runs advanced together."""

    params: np.ndarray        # (k + 1, R, n)
    loss: np.ndarray          # (k + 1, R)
    grads: np.ndarray         # (k, R, n): the gradient each step used
    stopped_at: np.ndarray    # (R,) the step at which a run stopped (0: it did not)
    reasons: list             # (R,) why, or ""
    kept_steps: np.ndarray | None = None   # the steps the rows of params are (None: every step)


def kept_steps(keep, steps: int) -> np.ndarray | None:
    """The step numbers a sweep keeps: None for every step ("all"), else 0, k, 2k, ... and the last."""
    if keep is None or (isinstance(keep, str) and keep == "all"):
        return None
    if isinstance(keep, str) and keep == "final":
        every = steps
    elif isinstance(keep, (int, np.integer)) and not isinstance(keep, bool) and keep >= 1:
        every = int(keep)
    else:
        raise GradwiseError(f'keep is "all", "final" or a whole number k >= 1 (every k-th step), not {keep!r}')
    return np.unique(np.r_[np.arange(0, steps + 1, every), steps])


def advance(objective, optimizer: Optimizer, starts: np.ndarray, steps: int,
            batches: Sequence[np.ndarray] | None = None, stop_all: bool = False,
            keep: np.ndarray | None = None) -> RunArrays:
    """Advance R runs (rows of `starts`) by `steps` steps of the optimizer, as one array.

    With `stop_all` (a single run) the loop ends at the first non-finite step and the arrays are cut
    there; otherwise a diverging run is frozen at its last finite point. `keep` (from `kept_steps`)
    stores only those steps; the gradient row of a kept step t is the one step t used.
    """
    P = np.array(starts, dtype=float)
    R, n = P.shape
    rows = steps + 1 if keep is None else len(keep)
    row_of = None if keep is None else {int(t): i for i, t in enumerate(keep)}
    params = np.empty((rows, R, n))
    loss = np.empty((rows, R))
    grads = np.empty((max(rows - 1, 0) if keep is not None else steps, R, n))
    previous_loss = None
    stopped = np.zeros(R, dtype=int)
    reasons = [""] * R
    state = optimizer.init(P)
    with np.errstate(all="ignore"):
        params[0] = P
        loss[0] = previous_loss = objective.value(P)
        bad0 = ~np.isfinite(loss[0])
        if bad0.any():
            raise GradwiseError(f"the function is not finite at the start ({_point(P[int(np.argmax(bad0))])})")
        last = steps
        for t in range(1, steps + 1):
            idx = None if batches is None else batches[t - 1]
            G = objective.grad(P, idx)
            new = optimizer.step(P, G, state, t)
            value = objective.value(new)
            bad_g = ~np.all(np.isfinite(G), axis=1)
            bad_p = ~np.all(np.isfinite(new), axis=1)
            bad_l = ~np.isfinite(value)
            bad = (bad_g | bad_p | bad_l) & (stopped == 0)
            if bad.any():
                for r in np.flatnonzero(bad):
                    stopped[r] = t
                    reasons[r] = _reason(t, P[r], G[r], new[r], bad_g[r], bad_p[r])
                if stop_all:
                    last = t - 1
                    break
            frozen = stopped > 0
            if frozen.any():
                new = np.where(frozen[:, None], P, new)
                value = np.where(frozen, previous_loss, value)
                G = np.where(frozen[:, None], 0.0, G)
            row = t if row_of is None else row_of.get(t)
            if row is not None:
                grads[row - 1] = G
                params[row] = new
                loss[row] = value
            P, previous_loss = new, value
    if keep is not None:
        return RunArrays(params, loss, grads, stopped, reasons, keep)
    return RunArrays(params[:last + 1], loss[:last + 1], grads[:last], stopped, reasons)


def _point(p) -> str:
    return "(" + ", ".join(f"{v:.6g}" for v in p) + ")"


def _reason(t, before, grad, after, bad_grad, bad_params) -> str:
    if bad_grad:
        return (f"step {t}: the gradient at {_point(before)} overflowed (it is not a finite number); "
                "the learning rate is probably too large for this function")
    if bad_params:
        return f"step {t}: the parameters overflowed; the run was diverging"
    return f"step {t}: the loss at {_point(after)} overflowed; the run was diverging"
