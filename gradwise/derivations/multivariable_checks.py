"""The numeric check of the many-variable engines: every partial derivative against central finite
differences of the function itself (mpmath, 40 digits) at one random point where everything is defined."""
from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.differences import central_difference
from gradwise.derivations.tolerances import (FIRST_DIFFERENCE_STEP, MULTIVARIABLE_TOLERANCE, REAL_AT_40_DIGITS,
                                             SECOND_DIFFERENCE_STEP)
from gradwise.errors import EngineError, GradwiseError

DIGITS = 40


@dataclass(frozen=True)
class NumericCheck:
    """Every entry against central finite differences at one random point."""

    valid: bool
    point: dict
    entries: int
    max_error: float
    method: str = "central finite differences (mpmath, 40 digits)"


def numeric(expr: sp.Expr, variables: list[sp.Symbol]):
    """expr as an mpmath function of the variables (through its definition in elementary functions)."""
    elementary = fn.rewrite_elementary(expr)
    try:
        return sp.lambdify(variables, elementary, modules="mpmath")
    except Exception:   # noqa: BLE001 — fall back on SymPy's own evaluation
        return lambda *args: elementary.xreplace(dict(zip(variables, args))).evalf(DIGITS)


def random_point(functions: list, variables: list[sp.Symbol], results: list, seed: int = 0):
    """A random point where the functions and results are all real and finite, and them as mpmath functions."""
    rng = random.Random(seed)
    numeric_f = [numeric(f, variables) for f in functions]
    numeric_r = [[numeric(r, variables) for r in row] for row in results]
    with mpmath.workdps(DIGITS):
        for _ in range(40):
            # two decimals plus a little, away from integers (where kinks and poles like to sit)
            point = [mpmath.mpf(str(round(rng.uniform(-2, 2), 2))) + mpmath.mpf("0.013") for _ in variables]
            try:
                vals = [complex(f(*point)) for f in numeric_f] + [complex(r(*point)) for row in numeric_r for r in row]
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                continue
            if all(abs(v.imag) < REAL_AT_40_DIGITS and mpmath.isfinite(v.real) for v in vals):
                return point, numeric_f, numeric_r
    raise GradwiseError("found no point where the function and its derivatives are defined, to check them at")


def check_first(functions: list, variables: list, results: list[list]) -> NumericCheck:
    """Every first partial derivative against central differences of its function."""
    point, numeric_f, numeric_r = random_point(functions, variables, results)
    worst = 0.0
    with mpmath.workdps(DIGITS):
        for f, row in zip(numeric_f, numeric_r):
            for j, r in enumerate(row):
                reference = central_difference(lambda t: f(*point[:j], t, *point[j + 1:]), point[j],
                                               FIRST_DIFFERENCE_STEP)
                worst = max(worst, float(abs(r(*point) - reference) / (1 + abs(reference))))
    return verdict(point, variables, sum(len(r) for r in results), worst)


def check_second(expr: sp.Expr, variables: list, results: list[list]) -> NumericCheck:
    """Every second partial derivative (the upper triangle) against central second differences of f."""
    point, (f,), numeric_r = random_point([expr], variables, results)
    worst = 0.0
    h = SECOND_DIFFERENCE_STEP
    with mpmath.workdps(DIGITS):
        for i, row in enumerate(numeric_r):
            for j, r in enumerate(row):
                if j < i:
                    continue
                def at(di, dj):
                    p = list(point)
                    p[i] += di * h
                    p[j] += dj * h
                    return f(*p)
                reference = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h)
                worst = max(worst, float(abs(r(*point) - reference) / (1 + abs(reference))))
    return verdict(point, variables, sum(len(r) for r in results), worst)


def verdict(point, variables, entries: int, worst: float) -> NumericCheck:
    """The check of `entries` entries whose worst relative error is `worst`; a failed one is an engine bug."""
    check = NumericCheck(worst <= MULTIVARIABLE_TOLERANCE, {v.name: float(p) for v, p in zip(variables, point)}, entries, worst)
    if not check.valid:
        raise EngineError(f"a partial derivative disagrees with finite differences (relative error {worst:.2g})")
    return check
