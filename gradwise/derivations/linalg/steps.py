"""What every linear-algebra derivation shares: the step, how a step is checked, reading a matrix.

A step (`EqualityStep`) has a stable rule id, a `before` and an `after` (SymPy objects: expressions or explicit
matrices), sub-steps and the details the explainer needs (`info`). Most steps are equalities
(before = after, e.g. a determinant and its expansion); a row operation is a transformation
(before → after) whose check is that `after` = E·`before` for the elementary matrix E. Either way the
check is computed independently of the step (SymPy's own determinant, matrix product, rref...) and a
failed check raises EngineError: a step that fails is a bug, never shown.
"""
from __future__ import annotations

import math

import sympy as sp

from gradwise.derivations.equivalence import Judgement, equivalent
from gradwise.derivations.parsing import parse
from gradwise.derivations.steps import EqualityStep
from gradwise.derivations.tolerances import EXACT_NUMBER_GAP, FLOAT_ENTRY_ZERO, FLOAT_STEP_TOLERANCE
from gradwise.errors import EngineError, GradwiseError

MAX_SIZE = 12          # rows or columns of a matrix read from text
MAX_VECTOR = 1000     # entries of a vector (a dot product of embeddings)
MAX_EIGEN_SIZE = 6     # the exact eigen-derivation; larger goes numeric elsewhere (PCA)


class Label(sp.Symbol):
    """A name printed exactly as written (A − λI, ‖u‖, u·v): the left side of a displayed equation."""

    def __new__(cls, text: str, latex: str):
        obj = super().__new__(cls, text)
        obj._latex_form = latex
        return obj

    def __getnewargs_ex__(self):
        return ((self.name, self._latex_form), {})

    def _sympystr(self, printer):
        return self.name

    def _latex(self, printer):
        return self._latex_form


class Det(sp.Determinant):
    """det[...] of an explicit matrix, kept unevaluated so a step can show it; doit() evaluates it."""

    def _sympystr(self, printer):
        inner = printer._print(self.arg)
        return "det" + (matrix_str(self.arg) if "\n" in inner else inner)


def matrix_str(m) -> str:
    """A matrix on one line, for JSON: [[2, 1], [1, 2]]."""
    if isinstance(m, sp.MatrixBase):
        return "[" + ", ".join("[" + ", ".join(str(e) for e in m.row(i)) + "]" for i in range(m.rows)) + "]"
    return str(m)


# ----------------------------------------------------------------------------------------------------
# Checks

def simp(e: sp.Expr) -> sp.Expr:
    """A fast, reliable normal form for matrix entries: exact numbers with radicals or i, polynomials."""
    e = sp.sympify(e)  # safe: e is a SymPy object built by gradwise, never user text
    if e.is_Rational or e.is_Symbol:
        return e
    if not e.free_symbols:
        out = sp.radsimp(sp.expand(e))
        out = sp.expand(out)
        if out.is_number and not out.is_Rational and out.has(sp.I):
            out = sp.expand_complex(out)
        return out
    return sp.cancel(sp.expand(e)) if e.has(sp.Pow) else sp.expand(e)


def is_zero(e: sp.Expr) -> bool:
    """Whether an entry is zero (exactly, for numbers; identically, for expressions in symbols)."""
    s = simp(e)
    if s == 0:
        return True
    if s.is_Float:
        return abs(s) < FLOAT_ENTRY_ZERO
    if s.is_number:
        return s.equals(0) is True
    if s.is_rational_function(*s.free_symbols):
        return False  # expanded and cancelled: a non-zero canonical form
    return sp.simplify(s) == 0


def same(left, right) -> Judgement:
    """The judge of `left = right` for expressions or matrices (entrywise), with random-point confirmation."""
    if isinstance(left, sp.MatrixBase) or isinstance(right, sp.MatrixBase):
        if not (isinstance(left, sp.MatrixBase) and isinstance(right, sp.MatrixBase)) or left.shape != right.shape:
            return Judgement(False, "structural", reason="different shapes")
        points, methods = 0, set()
        for a, b in zip(left, right):
            j = same(a, b)
            if j.equal is not True:
                return j
            points = max(points, j.points)
            methods.add(j.method)
        method = next((m for m in ("numeric", "symbolic", "exact", "structural") if m in methods), "exact")
        return Judgement(True, method, points=points)
    if left.has(sp.Float) or right.has(sp.Float):
        return _close(left, right)
    if isinstance(left, sp.Expr) and isinstance(right, sp.Expr) and left.is_number and right.is_number \
            and not left.has(sp.Determinant) and not right.has(sp.Determinant):
        return _exact_numbers(left, right)
    return equivalent(left, right, confirm=True)


def _exact_numbers(left, right) -> Judgement:
    """Two exact numbers (rationals, radicals, i): equal when their difference simplifies to 0, confirmed
    by evaluating both to 30 digits."""
    try:
        a, b = complex(sp.N(left, 30)), complex(sp.N(right, 30))
        finite = all(map(math.isfinite, (a.real, a.imag, b.real, b.imag)))
    except (OverflowError, TypeError, ValueError):
        finite = False
    if finite and abs(a - b) > EXACT_NUMBER_GAP * max(1.0, abs(a), abs(b)):
        return Judgement(False, "numeric", left_value=a, right_value=b)
    if left == right or is_zero(left - right):
        return Judgement(True, "exact")
    return Judgement(True, "numeric", points=1)


def _close(left, right) -> Judgement:
    """Numbers computed in floating point: equal to FLOAT_STEP_TOLERANCE (1e-9) relative (symbols sampled by the judge)."""
    if (left.free_symbols or right.free_symbols):
        return equivalent(left, right, confirm=True)
    a, b = complex(sp.N(left, 30)), complex(sp.N(right, 30))
    if abs(a - b) <= FLOAT_STEP_TOLERANCE * max(1.0, abs(a), abs(b)):
        return Judgement(True, "numeric", points=1)
    return Judgement(False, "numeric", left_value=a, right_value=b)


class StepsAndChecks:
    """What every linear-algebra result answers: its step for a rule id, and how a step was checked."""

    def step(self, rule: str) -> EqualityStep | None:
        return next((s for s in self.steps if s.rule == rule), None)

    def check_of(self, step):
        """How this step was checked: the check stored on the step."""
        return step.check


def record(step: EqualityStep, judgement: Judgement) -> EqualityStep:
    """The step with its check stored on it; a failed check is refused (an engine bug)."""
    if judgement.equal is False:
        raise EngineError(f"the {step.rule} step {matrix_str(step.before)} -> {matrix_str(step.after)} "
                          f"failed its check ({judgement.method}, at {judgement.counterexample})")
    return step.checked(judgement)


def check_equal(step: EqualityStep, reference=None) -> EqualityStep:
    """Check that before evaluates to after (or that after equals an independent `reference`)."""
    target = reference if reference is not None else _evaluate(step.before)
    return record(step, same(target, step.after))


def _evaluate(e):
    if isinstance(e, sp.MatrixBase):
        return e.applyfunc(lambda x: x.doit())
    return e.doit()


# ----------------------------------------------------------------------------------------------------
# Input

def read_matrix(value, name: str = "the matrix", limit: int = MAX_SIZE) -> sp.ImmutableMatrix:
    """A matrix from text (`[[2,1],[1,2]]`, through the safe parser), a SymPy matrix or nested lists."""
    if isinstance(value, str):
        value = parse(value)
    if isinstance(value, sp.MatrixBase):
        m = sp.ImmutableMatrix(value)
    else:
        try:
            import numpy as np
            if isinstance(value, np.ndarray):
                value = value.tolist()
        except ImportError:  # pragma: no cover
            pass
        if isinstance(value, (list, tuple)):
            rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in value]
            if len({len(r) for r in rows}) > 1:
                raise GradwiseError(f"the rows of {name} have different lengths")
            m = sp.ImmutableMatrix([[sp.nsimplify(x) if isinstance(x, float) else sp.sympify(x)  # safe: numbers from Python lists
                                     for x in r] for r in rows])
        else:
            raise GradwiseError(f"{name} must be a matrix like [[1,2],[3,4]], not {str(value)[:40]!r}")
    if m.rows == 0 or m.cols == 0:
        raise GradwiseError(f"{name} is empty")
    if m.rows > limit or m.cols > limit or m.rows * m.cols > max(limit, MAX_SIZE ** 2):
        raise GradwiseError(f"{name} is {m.rows}x{m.cols}; worked solutions go up to "
                            + (f"{limit} entries" if limit > MAX_SIZE else f"{MAX_SIZE}x{MAX_SIZE}"))
    for e in m:
        if not isinstance(e, sp.Expr) or e.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise GradwiseError(f"{name} has an entry that is not a number or an expression: {e}")
    return m


def read_vector(value, name: str = "the vector") -> sp.ImmutableMatrix:
    """A column vector from `[1,2,3]`, a row `[[1,2,3]]`, a column, or a list."""
    m = read_matrix(value, name, limit=MAX_VECTOR)
    if m.cols == 1:
        return m
    if m.rows == 1:
        return m.T
    raise GradwiseError(f"{name} must be a vector like [1,2,3], not a {m.rows}x{m.cols} matrix")


def shape(m) -> str:
    return f"{m.rows}×{m.cols}"
