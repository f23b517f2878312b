"""Running an optimizer: `optimize(f, start, method=..., lr=..., steps=...) -> Trajectory`.

One loop serves one run and a sweep: the parameters of R runs are one (R, n) array, the gradient is one
vectorised call, and the update is the optimizer's NumPy rule on the whole array. A run whose
gradient, parameters or loss stop being finite stops there, with the step and the reason: a single run
keeps its trajectory up to the last finite point; in a sweep the run is frozen and marked diverged
while the others go on.

A sweep can keep less than every step (`keep="final"`, or `keep=k` for every k-th step): memory is
then runs x kept steps, so 10^6 runs fit; `Sweep.run(r)` runs r again in full when it is asked for.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gradwise.derivations.display import Displayable, presenter
from gradwise.errors import GradwiseError
from gradwise.simulations import data as data_module
from gradwise.simulations import test_functions
from gradwise.simulations.compile import Compiled, compile
from gradwise.simulations.optimizers import (Optimizer, hyperparameters, make_optimizer, with_hyperparameter)
from gradwise.simulations.runs import RunArrays, _FunctionObjective, _point, advance, kept_steps  # noqa: F401 (re-exported)

MAX_STEPS = 1_000_000
MAX_CELLS = 50_000_000   # steps x runs x parameters kept in memory


@dataclass(repr=False)
class Trajectory(Displayable):
    """One optimizer run: `params` (rows 0..k), `loss` at each row, `grads` used by each step."""

    function: object                 # Compiled, or data.DataProblem
    method: str                      # torch's name: sgd, adam, ...
    optimizer: Optimizer
    params: np.ndarray               # (k + 1, n)
    loss: np.ndarray                 # (k + 1,)
    grads: np.ndarray                # (k, n)
    steps: int                       # the number asked for
    stopped: str | None = None       # why the run stopped early (overflow), with the step
    stopped_at: int | None = None
    batches: list | None = None      # the sample indices of each step (data runs)
    label: str = ""
    test_function: object = None     # test_functions.TestFunction, when the function is one

    kind = "trajectory"

    @property
    def variables(self) -> list[str]:
        return [v.name for v in self.function.variables]

    @property
    def hyperparameters(self) -> dict:
        return hyperparameters(self.optimizer)

    @property
    def final(self) -> np.ndarray:
        return self.params[-1]

    @property
    def compiled(self) -> Compiled:
        return self.function.compiled if isinstance(self.function, data_module.DataProblem) else self.function

    def __repr__(self) -> str:
        status = f", stopped at step {self.stopped_at}" if self.stopped else ""
        return (f"Trajectory({self.method}, {len(self.params) - 1} steps, final {_point(self.final)}, "
                f"loss {self.loss[-1]:.6g}{status})")

    def plot(self, path: str | None = None, kind: str = "contour"):
        """A contour plot with the path (kind="contour") or loss against step (kind="loss").

        With `path` (.png or .svg) the picture is written there; without, the bytes/SVG text are returned.
        """
        return presenter().figure(Study([self]), kind, path)  # the explainer turns runs into plain arrays


@dataclass(repr=False)
class Sweep(Displayable):
    """Many runs advanced together: one hyperparameter (or the start) varies across runs."""

    function: object
    method: str
    optimizer: Optimizer              # with the swept hyperparameter as an (R, 1) array
    key: str                          # the swept hyperparameter ("lr", ...) or "start"
    values: np.ndarray                # (R,) the swept values (for "start": the run index)
    starts: np.ndarray                # (R, n)
    params: np.ndarray                # (k + 1, R, n)
    loss: np.ndarray                  # (k + 1, R)
    grads: np.ndarray                 # (k, R, n)
    stopped_at: np.ndarray            # (R,) 0 if the run finished
    reasons: list
    steps: int
    test_function: object = None
    kept_steps: np.ndarray | None = None   # the steps params/loss/grads hold (None: every step)
    batches: object = None                  # the minibatches every run used (data problems)

    kind = "sweep"

    @property
    def variables(self) -> list[str]:
        return [v.name for v in self.function.variables]

    @property
    def final_loss(self) -> np.ndarray:
        """Each run's last loss (np.inf for a run that diverged)."""
        return np.where(self.stopped_at > 0, np.inf, self.loss[-1])

    @property
    def diverged(self) -> np.ndarray:
        """Runs that overflowed, or ended worse than they started."""
        worse = self.loss[-1] < self.loss[0] if getattr(self.optimizer, "maximize", False) else self.loss[-1] > self.loss[0]
        return (self.stopped_at > 0) | worse

    def run(self, r: int) -> Trajectory:
        """Run r as a Trajectory of its own (cut where it diverged); run again in full when the sweep
        kept only some steps."""
        k = self.stopped_at[r] - 1 if self.stopped_at[r] else self.steps
        opt = self.optimizer if self.key == "start" else with_hyperparameter(self.optimizer, self.key, [self.values[r]])
        label = f"from {_point(self.starts[r])}" if self.key == "start" else f"{self.key} = {self.values[r]:.4g}"
        if self.kept_steps is not None:
            a = advance(_target(self.function), opt, self.starts[r:r + 1], self.steps, self.batches, stop_all=True)
            return Trajectory(self.function, self.method, opt, a.params[:, 0], a.loss[:, 0], a.grads[:, 0],
                              self.steps, a.reasons[0] or None, int(a.stopped_at[0]) or None,
                              label=label, test_function=self.test_function)
        return Trajectory(self.function, self.method, opt, self.params[:k + 1, r], self.loss[:k + 1, r],
                          self.grads[:k, r], self.steps,
                          self.reasons[r] or None, int(self.stopped_at[r]) or None,
                          label=label, test_function=self.test_function)

    def __repr__(self) -> str:
        return (f"Sweep({self.method}, {self.key} over {len(self.values)} runs, "
                f"{int(self.diverged.sum())} diverged)")

    def plot(self, path: str | None = None, kind: str = "sweep"):
        return presenter().figure(Study([], sweep=self), kind, path)


@dataclass(repr=False)
class Study(Displayable):
    """What `gradwise optimize` shows: one or more runs on the same function, and perhaps a sweep."""

    runs: list
    sweep: Sweep | None = None
    explain_rules: bool = False     # show the update rule with the gradient substituted (--explain)
    figures: list = field(default_factory=list)   # (caption, svg text, png path) to place in the document

    kind = "optimization"

    @property
    def function(self):
        return self.runs[0].function if self.runs else self.sweep.function

    @property
    def test_function(self):
        return self.runs[0].test_function if self.runs else self.sweep.test_function


def problem(f, variables=None, *, data=None, timeout: float | None = None):
    """The objective to optimise and the test function it is (if any), from text, SymPy or compiled."""
    if isinstance(f, (Compiled, data_module.DataProblem)):
        return f, None
    if isinstance(f, test_functions.TestFunction):
        return compile(f.expression, variables, timeout=timeout), f
    if data is not None:
        dataset = data if isinstance(data, data_module.Dataset) else data_module.read_csv(data)
        return data_module.data_problem(f, dataset, variables, timeout=timeout), None
    if isinstance(f, str):
        tf = test_functions.lookup(f)
        if tf is not None:
            return compile(tf.expression, variables, timeout=timeout), tf
        if data_module.builtin_name(f) is not None:
            raise GradwiseError(f"'{f}' is a loss on data: add --data FILE (a CSV of features, then y)")
    return compile(f, variables, timeout=timeout), None


def _starts(start, objective, tf) -> np.ndarray:
    n = len(objective.variables)
    names = ", ".join(v.name for v in objective.variables)
    if start is None:
        if tf is not None and len(tf.start) == n:
            start = tf.start
        elif isinstance(objective, data_module.DataProblem):
            start = np.zeros(n)
        else:
            raise GradwiseError(f"give a start point with {n} coordinate{'s' if n > 1 else ''} ({names}), "
                                f"e.g. --start {','.join(['1'] * n)}")
    try:
        S = np.array(start, dtype=float)
    except (TypeError, ValueError):
        raise GradwiseError(f"the start must be numbers, not {start!r}") from None
    if S.ndim == 0:
        S = S.reshape(1)
    if S.ndim == 1:
        S = S[None, :]
    if S.ndim != 2 or S.shape[1] != n:
        got = S.shape[-1] if S.ndim else 1
        raise GradwiseError(f"the start has {got} coordinate{'s' if got != 1 else ''} but the function "
                            f"has {n} variable{'s' if n > 1 else ''} ({names})")
    if not np.all(np.isfinite(S)):
        raise GradwiseError("the start must be finite numbers")
    return S


def _check_steps(steps, runs: int, n: int, keep=None) -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise GradwiseError(f"steps must be a whole number >= 1, not {steps!r}")
    if steps > MAX_STEPS:
        raise GradwiseError(f"at most {MAX_STEPS:,} steps")
    kept = kept_steps(keep, int(steps))
    rows = steps + 1 if kept is None else len(kept)
    if rows * runs * max(n, 1) > MAX_CELLS:
        raise GradwiseError(f"{runs:,} runs x {rows:,} kept steps x {n} parameters is too much to keep; "
                            'keep fewer steps (keep="final" or every k-th: keep=k), or use fewer runs')
    return int(steps)


def _target(objective):
    """What advance() evaluates: a data problem itself, or a compiled function."""
    return objective if isinstance(objective, data_module.DataProblem) else _FunctionObjective(objective)


MAX_RUN_SAMPLES = 20_000_000  # runs x data rows evaluated at once (each needs a few float arrays)


def _check_data_size(objective, runs: int) -> None:
    if isinstance(objective, data_module.DataProblem) and runs * objective.rows > MAX_RUN_SAMPLES:
        raise GradwiseError(f"{runs:,} runs x {objective.rows:,} samples is too much to evaluate at once; "
                            "sweep fewer values")


def _batches(objective, steps, batch_size, seed, batches):
    if not isinstance(objective, data_module.DataProblem):
        if batch_size is not None or batches is not None:
            raise GradwiseError("batches need data: add --data FILE")
        return None
    if batches is not None:
        return data_module.check_batches(batches, objective.rows, steps)
    return data_module.make_batches(objective.rows, batch_size, steps, seed)


def optimize(f, start=None, *, method: str = "sgd", lr=None, steps: int = 100, variables=None,
             data=None, batch_size: int | None = None, seed: int = 0, batches=None,
             timeout: float | None = None, keep="all", **hyperparameters) -> Trajectory | Sweep:
    """Run a torch.optim method on f from `start`; returns the Trajectory.

    f: an expression (text or SymPy), a test function name ("rosenbrock"), a `compile` result, or with
    `data` (a CSV path or Dataset) a per-sample loss ("logistic", "least_squares", "softmax" or an
    expression in x_i, y_i and the parameters). `hyperparameters` use torch's names and defaults.
    An array of learning rates, or several start rows, makes a vectorised `Sweep` instead; its `keep`
    ("all", "final" or k: every k-th step) says which steps it stores.
    """
    objective, tf = problem(f, variables, data=data, timeout=timeout)
    S = _starts(start, objective, tf)
    name = method
    lr_array = lr is not None and np.ndim(lr) > 0
    optimizer = make_optimizer(method, None if lr_array else lr, **hyperparameters)
    runs = len(np.ravel(lr)) if lr_array else S.shape[0]
    if lr_array and S.shape[0] not in (1, runs):
        raise GradwiseError(f"{runs} learning rates but {S.shape[0]} starts")
    swept = lr_array or S.shape[0] > 1
    steps = _check_steps(steps, runs, S.shape[1], keep if swept else None)
    _check_data_size(objective, runs)
    chosen = _batches(objective, steps, batch_size, seed, batches)
    target = _target(objective)
    if lr_array:
        optimizer = with_hyperparameter(optimizer, "lr", np.ravel(lr))
        return _sweep(objective, target, optimizer, "lr", np.ravel(lr).astype(float),
                      np.repeat(S, runs, axis=0) if S.shape[0] == 1 else S, steps, chosen, tf, keep)
    if S.shape[0] > 1:
        return _sweep(objective, target, optimizer, "start", np.arange(S.shape[0], dtype=float), S, steps, chosen,
                      tf, keep)
    arrays = advance(target, optimizer, S, steps, chosen, stop_all=True)
    return _trajectory(objective, optimizer, arrays, steps, chosen, tf, label=str(name))


def _trajectory(objective, optimizer, arrays: RunArrays, steps, chosen, tf, label="") -> Trajectory:
    k = arrays.params.shape[0] - 1
    stopped = arrays.reasons[0] or None
    used = [b.tolist() for b in chosen[:k]] if chosen is not None else None
    return Trajectory(objective, optimizer.name, optimizer, arrays.params[:, 0], arrays.loss[:, 0],
                      arrays.grads[:, 0], steps, stopped, int(arrays.stopped_at[0]) or None, used,
                      label=label, test_function=tf)


def _sweep(objective, target, optimizer, key, values, starts, steps, chosen, tf, keep="all") -> Sweep:
    arrays = advance(target, optimizer, starts, steps, chosen, keep=kept_steps(keep, steps))
    return Sweep(objective, optimizer.name, optimizer, key, values, starts, arrays.params, arrays.loss,
                 arrays.grads, arrays.stopped_at, arrays.reasons, steps, tf, arrays.kept_steps, chosen)


def sweep(f, start=None, *, key: str = "lr", values, method: str = "sgd", steps: int = 100, variables=None,
          data=None, batch_size=None, seed: int = 0, timeout=None, keep="all", **hyperparameters) -> Sweep:
    """Many runs at once, one for each value of hyperparameter `key` (all advanced as one array);
    `keep` ("all", "final" or k) says which steps are stored."""
    objective, tf = problem(f, variables, data=data, timeout=timeout)
    S = _starts(start, objective, tf)
    values = np.asarray(values, dtype=float).ravel()
    if values.size < 1:
        raise GradwiseError("a sweep needs at least one value")
    if S.shape[0] != 1:
        raise GradwiseError("sweep a hyperparameter from one start")
    optimizer = make_optimizer(method, **hyperparameters)
    optimizer = with_hyperparameter(optimizer, key, values)
    steps = _check_steps(steps, values.size, S.shape[1], keep)
    _check_data_size(objective, values.size)
    chosen = _batches(objective, steps, batch_size, seed, None)
    return _sweep(objective, _target(objective), optimizer, key, values, np.repeat(S, values.size, axis=0), steps,
                  chosen, tf, keep)
