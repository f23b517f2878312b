"""The classic test functions of optimisation, with their usual start, minima and plotting window.

`get("rosenbrock")` returns a `TestFunction`; `quadratic(A, b)` builds the bowl ½xᵀAx − bᵀx for any
symmetric matrix A. The expressions are plain text read by the project's parser, so a test function
is optimised exactly like a user's own expression.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import sympy as sp

from gradwise.derivations.parsing import parse, symbol
from gradwise.errors import GradwiseError


@dataclass(frozen=True)
class TestFunction:
    """A named function of (x, y) with a customary start, its known minima and a window to plot."""

    __test__ = False  # not a pytest class

    name: str
    text: str
    start: tuple[float, ...]
    minima: tuple[tuple[float, ...], ...]
    window: tuple[tuple[float, float], tuple[float, float]]
    note: str
    expr: sp.Expr | None = None

    @property
    def expression(self) -> sp.Expr:
        return self.expr if self.expr is not None else parse(self.text)


FUNCTIONS = {
    "rosenbrock": TestFunction(
        "rosenbrock", "(1 - x)^2 + 100(y - x^2)^2", (-1.2, 1.0), ((1.0, 1.0),), ((-2.0, 2.0), (-1.0, 3.0)),
        "a curved, narrow valley: the gradient points across it, not along it"),
    "beale": TestFunction(
        "beale", "(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2", (1.0, 1.0),
        ((3.0, 0.5),), ((-4.5, 4.5), (-4.5, 4.5)), "flat plateaus and sharp ridges; minimum at (3, 0.5)"),
    "himmelblau": TestFunction(
        "himmelblau", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (0.0, 0.0),
        ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
        ((-5.0, 5.0), (-5.0, 5.0)), "four minima of value 0: where a run ends depends on where it starts"),
    "booth": TestFunction(
        "booth", "(x + 2y - 7)^2 + (2x + y - 5)^2", (-5.0, 5.0), ((1.0, 3.0),), ((-6.0, 6.0), (-4.0, 8.0)),
        "a quadratic bowl with Hessian [[10, 8], [8, 10]]: eigenvalues 2 and 18, condition number 9"),
    "saddle": TestFunction(
        "saddle", "x^2 - y^2", (1.0, 0.001), (), ((-2.0, 2.0), (-2.0, 2.0)),
        "a saddle point at the origin: descent moves away from it along y"),
    "bowl": TestFunction(
        "bowl", "x^2 + 10 y^2", (3.0, 1.0), ((0.0, 0.0),), ((-3.5, 3.5), (-1.5, 1.5)),
        "an elongated quadratic bowl: Hessian diag(2, 20), condition number 10"),
}


def names() -> list[str]:
    return list(FUNCTIONS)


def lookup(name: str) -> TestFunction | None:
    """The test function of this name (case-insensitive), or None."""
    return FUNCTIONS.get(name.strip().lower())


def get(name: str) -> TestFunction:
    found = lookup(name)
    if found is None:
        close = difflib.get_close_matches(name.lower(), names(), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise GradwiseError(f"no test function '{name}'{hint}; the test functions are {', '.join(names())}")
    return found


def quadratic(A, b=None, names_: str = "xyzuvw") -> TestFunction:
    """The quadratic bowl ½xᵀAx − bᵀx for a symmetric matrix A (its Hessian is A)."""
    A = sp.Matrix(A) if not isinstance(A, sp.MatrixBase) else A
    n = A.shape[0]
    if A.shape != (n, n) or n == 0:
        raise GradwiseError(f"a quadratic bowl needs a square matrix, not {A.shape[0]}x{A.shape[1]}")
    if n > len(names_):
        raise GradwiseError(f"a quadratic bowl of at most {len(names_)} variables")
    if A != A.T:
        raise GradwiseError("the matrix of a quadratic bowl must be symmetric (it is the Hessian)")
    if A.free_symbols:
        raise GradwiseError("the matrix of a quadratic bowl must have numbers, not symbols")
    xs = sp.Matrix([symbol(c) for c in names_[:n]])
    bvec = sp.zeros(n, 1) if b is None else sp.Matrix(b)
    if bvec.shape != (n, 1):
        raise GradwiseError(f"b must have {n} entries")
    expr = sp.expand((xs.T * A * xs)[0] / 2 - (bvec.T * xs)[0])
    Af = np.array(A.evalf(), dtype=float)
    try:
        minimum = tuple(float(v) for v in np.linalg.solve(Af, np.array(bvec.evalf(), dtype=float).ravel()))
        minima = (minimum,) if np.all(np.linalg.eigvalsh(Af) > 0) else ()
    except np.linalg.LinAlgError:
        minimum, minima = tuple(0.0 for _ in range(n)), ()
    span = 3.0
    window = ((minimum[0] - span, minimum[0] + span), (minimum[1] - span, minimum[1] + span)) if n >= 2 else \
        ((minimum[0] - span, minimum[0] + span), (-1.0, 1.0))
    start = tuple(m + (2.5 if i == 0 else 1.5) for i, m in enumerate(minimum))
    return TestFunction("quadratic", str(expr), start, minima, window,
                        f"the quadratic bowl ½xᵀAx − bᵀx with A = {A.tolist()}", expr)
