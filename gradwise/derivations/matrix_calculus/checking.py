"""Checking matrix calculus numerically: every line of a derivation against central finite differences.

Like matrixcalculus.org's check: draw random matrices of the declared shapes (each named size gets its
own small number, so a transposed result cannot pass by symmetry), draw random directions V, and
compare a line's value at dX = V with (f(X + hV) − f(X − hV)) / 2h. A d(U) still unexpanded in a line
is itself evaluated by finite differences of U, so every line of df can be checked, not just the end.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradwise.derivations.differences import central_difference
from gradwise.derivations.function_registry import MATRIX_ELEMENTWISE, numpy_function
from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.tolerances import MATRIX_FD_STEP, MATRIX_FD_TOLERANCE

SIZES = (3, 4, 2, 5, 6, 7, 8, 9)
POINTS = 2
DIRECTIONS = 3


class NotDefined(ArithmeticError):
    """The expression has no finite value at this point (log of a negative, a singular inverse, ...)."""


@dataclass(frozen=True)
class Sample:
    """One point: the value of every variable, and one direction for the variable differentiated."""

    values: dict           # name -> 2-D array
    direction: np.ndarray  # same shape as the variable


@dataclass(frozen=True)
class FiniteDifferenceCheck:
    """The verdict on one line: `valid`, at how many points and directions, and the worst error."""

    valid: bool
    samples: int
    max_error: float
    method: str = "finite differences"

    @property
    def equal(self) -> bool:      # the names the JSON step writer reads
        return self.valid

    @property
    def points(self) -> int:
        return self.samples


def sizes_for(tree: e.Node, declared: dict | None = None) -> dict:
    """A number for each named size: 3, 4, 2, 5, ... in order of appearance."""
    out = dict(declared or {})
    free = [d for d in e.dims(tree) if d not in out]
    for i, name in enumerate(free):
        out[name] = SIZES[i % len(SIZES)]
    return out


def concrete(s: e.Shape, sizes: dict) -> tuple[int, int]:
    return tuple(sizes[d] if isinstance(d, str) else d for d in s)


def samples(f: e.Node, X: e.Var, sizes: dict, seed: int = 0, points: int = POINTS,
            directions: int = DIRECTIONS, others: tuple = ()) -> list[Sample]:
    """Points where f (and each tree of `others`) is defined (tried in turn: positive entries with a
    strong diagonal, then normal entries), with random directions."""
    rng = np.random.default_rng(seed)
    found: list[Sample] = []
    names = {v.name: v for tree in (f, *others) for v in e.variables(tree)}
    for attempt in range(40):
        values = {}
        for v in names.values():
            r, c = concrete(v.shape, sizes)
            if attempt % 2 == 0:
                a = rng.uniform(0.5, 1.5, (r, c))
            else:
                a = rng.standard_normal((r, c))
            if r == c and r > 1:
                a = a + r * np.eye(r)
            values[v.name] = a
        try:
            probe = rng.standard_normal(concrete(X.shape, sizes))
            value = evaluate(f, values, X, probe, sizes)
            for tree in others:
                evaluate(tree, values, X, probe, sizes)
        except NotDefined:
            continue
        if not np.all(np.isfinite(value)):
            continue
        for _ in range(directions):
            found.append(Sample(values, rng.standard_normal(concrete(X.shape, sizes))))
        if len(found) >= points * directions:
            break
    return found


def check_line(line: e.Node, f: e.Node, X: e.Var, sample_list: list[Sample], sizes: dict) -> FiniteDifferenceCheck:
    """Compare the value of `line` (an expression of df, linear in dX) with the directional derivative."""
    worst, count = 0.0, 0
    for s in sample_list:
        try:
            reference = directional(f, X, s, sizes)
            value = float(np.sum(evaluate(line, s.values, X, s.direction, sizes)))
        except NotDefined:
            continue
        error = abs(value - reference) / (1.0 + abs(reference))
        worst = max(worst, error)
        count += 1
    return FiniteDifferenceCheck(count > 0 and worst <= MATRIX_FD_TOLERANCE, count, worst)


def check_equal(left: e.Node, right: e.Node, X: e.Var, sample_list: list[Sample], sizes: dict) -> FiniteDifferenceCheck:
    """Compare two expressions linear in dX (a term of df and its rewriting) at dX = V."""
    worst, count = 0.0, 0
    for s in sample_list:
        try:
            a = float(np.sum(evaluate(left, s.values, X, s.direction, sizes)))
            b = float(np.sum(evaluate(right, s.values, X, s.direction, sizes)))
        except NotDefined:
            continue
        worst = max(worst, abs(a - b) / (1.0 + abs(a)))
        count += 1
    return FiniteDifferenceCheck(count > 0 and worst <= MATRIX_FD_TOLERANCE, count, worst, "random directions")


@dataclass(frozen=True)
class Comparison:
    """Two expressions compared entry by entry at each sample; `worst` is the sample where they differ
    most, with both values there (when they differ)."""

    valid: bool
    samples: int
    max_error: float
    worst: Sample | None = None
    left: np.ndarray | None = None
    right: np.ndarray | None = None


def compare(left: e.Node, right: e.Node, X: e.Var, sample_list: list[Sample], sizes: dict) -> Comparison:
    """Entry by entry (not only ⟨·, V⟩): the values of `left` and `right` at each sample, dX = its direction."""
    worst, count, where = 0.0, 0, None
    for s in sample_list:
        try:
            a = np.asarray(evaluate(left, s.values, X, s.direction, sizes), dtype=float)
            b = np.asarray(evaluate(right, s.values, X, s.direction, sizes), dtype=float)
        except NotDefined:
            continue
        if a.shape != b.shape:
            return Comparison(False, count + 1, float("inf"), s, a, b)
        error = float(np.max(np.abs(a - b) / (1.0 + np.abs(a)))) if a.size else 0.0
        count += 1
        if error > worst or where is None:
            worst, where = max(worst, error), (s, a, b)
    if where is None:
        return Comparison(False, 0, float("inf"))
    valid = worst <= MATRIX_FD_TOLERANCE
    return Comparison(valid, count, worst, *(where if not valid else (None, None, None)))


def check_gradient(G: e.Node, f: e.Node, X: e.Var, sample_list: list[Sample], sizes: dict) -> FiniteDifferenceCheck:
    """⟨G, V⟩ = Σ G∘V against the finite difference of f along V, and G has X's shape."""
    worst, count = 0.0, 0
    for s in sample_list:
        try:
            reference = directional(f, X, s, sizes)
            g = np.asarray(evaluate(G, s.values, sizes=sizes), dtype=float)
        except NotDefined:
            continue
        if g.shape != s.direction.shape and g.size != 1:
            return FiniteDifferenceCheck(False, count, float("inf"))
        value = float(np.sum(g * s.direction))
        worst = max(worst, abs(value - reference) / (1.0 + abs(reference)))
        count += 1
    return FiniteDifferenceCheck(count > 0 and worst <= MATRIX_FD_TOLERANCE, count, worst)


def directional(f: e.Node, X: e.Var, s: Sample, sizes: dict, node: e.Node | None = None) -> np.ndarray | float:
    """(u(X + hV) − u(X − hV)) / 2h for u = node (default f)."""
    u = f if node is None else node
    h = MATRIX_FD_STEP * max(1.0, float(np.max(np.abs(s.values[X.name]))))
    # X + (−h)V is X − hV exactly (negation is exact in floating point)
    def along(t: float) -> np.ndarray:
        return np.asarray(evaluate(u, dict(s.values, **{X.name: s.values[X.name] + t * s.direction}), sizes=sizes))

    out = central_difference(along, 0.0, h)
    return float(np.sum(out)) if node is None else out


# ---------------------------------------------------------------------------------------------------- evaluation

def evaluate(node: e.Node, values: dict, X: e.Var | None = None, direction: np.ndarray | None = None,
             sizes: dict | None = None):
    """The value of an expression as a 2-D array (1×1 for a scalar); dX is `direction`."""
    with np.errstate(all="ignore"):
        out = _Evaluator(values, X, direction, sizes or {}).ev(node)
    if not np.all(np.isfinite(out)):
        raise NotDefined(f"{node} is not finite here")
    return out


class _Evaluator:
    def __init__(self, values, X, direction, sizes):
        self.values, self.X, self.direction, self.sizes = values, X, direction, sizes

    def dim(self, d) -> int:
        return self.sizes[d] if isinstance(d, str) else d

    def ev(self, n: e.Node) -> np.ndarray:
        return getattr(self, "_" + type(n).__name__)(n)

    def _Var(self, n):
        return np.asarray(self.values[n.name], dtype=float).reshape(concrete(n.shape, self.sizes))

    def _Const(self, n):
        return np.array([[float(n.value)]])

    def _Identity(self, n):
        return np.eye(self.dim(n.n))

    def _Ones(self, n):
        return np.ones((self.dim(n.rows), self.dim(n.cols)))

    def _Zero(self, n):
        return np.zeros((self.dim(n.rows), self.dim(n.cols)))

    def _Add(self, n):
        out = self.ev(n.args[0])
        for t in n.args[1:]:
            out = out + self.ev(t)
        return out

    def _Mul(self, n):
        out = self.ev(n.args[0])
        for f in n.args[1:]:
            b = self.ev(f)
            out = out * b if out.shape == (1, 1) or b.shape == (1, 1) else out @ b
        return out

    def _Hadamard(self, n):
        a, b = (self.ev(x) for x in n.args)
        return a / b if n.divide else a * b

    def _Transpose(self, n):
        return self.ev(n.arg).T

    def _Inverse(self, n):
        a = self.ev(n.arg)
        if np.linalg.cond(a) > 1e12:
            raise NotDefined("singular matrix")
        return np.linalg.inv(a)

    def _Trace(self, n):
        return np.array([[np.trace(self.ev(n.arg))]])

    def _Det(self, n):
        return np.array([[np.linalg.det(self.ev(n.arg))]])

    def _LogDet(self, n):
        sign, logdet = np.linalg.slogdet(self.ev(n.arg))
        if sign <= 0:
            raise NotDefined("log det of a matrix with det ≤ 0")
        return np.array([[logdet]])

    def _Norm(self, n):
        return np.array([[np.linalg.norm(self.ev(n.arg))]])

    def _Power(self, n):
        a = self.ev(n.arg)
        x = float(n.exponent)
        if (x < 0 and np.any(a == 0)) or (n.exponent.q != 1 and np.any(a < 0)):
            raise NotDefined("power not defined")
        return a ** x

    def _Func(self, n):
        a = self.ev(n.arg)
        return FUNCTIONS[n.name](a)

    def _Sum(self, n):
        return np.array([[np.sum(self.ev(n.arg))]])

    def _Softmax(self, n):
        return softmax(self.ev(n.arg))

    def _LogSumExp(self, n):
        return np.array([[logsumexp(self.ev(n.arg))]])

    def _Diag(self, n):
        return np.diag(self.ev(n.arg).ravel())

    def _Differential(self, n):
        if self.X is not None and n.arg == self.X:
            return np.asarray(self.direction, dtype=float)
        if self.X is None:
            raise NotDefined("a differential needs a direction")
        sample = Sample(self.values, self.direction)
        return directional(n.arg, self.X, sample, self.sizes, node=n.arg)


def softmax(u: np.ndarray) -> np.ndarray:
    z = np.exp(u - np.max(u))
    return z / np.sum(z)


def logsumexp(u: np.ndarray) -> float:
    m = np.max(u)
    return float(m + np.log(np.sum(np.exp(u - m))))


def _log(a):
    if np.any(a <= 0):
        raise NotDefined("log of a number ≤ 0")
    return np.log(a)


#: node name -> its NumPy form: the registry's stable one (log refuses entries ≤ 0)
FUNCTIONS = {
    **{r.name: numpy_function(r) for r in MATRIX_ELEMENTWISE.values()}, "log": _log,
    "step": lambda a: (a > 0).astype(float), "recip": lambda a: 1 / a,
}
