"""Deciding whether two expressions are equal: structurally, symbolically, then at random points.

One judge serves the engine (every derivation step is checked with it) and the checker of hand
derivations. Numeric points follow WeBWorK's practice: a fixed seed, real points, resampled where
either side is undefined; values are computed with mpmath at 30 digits and compared with a relative
tolerance.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import sympy as sp

SYMBOLIC_OPS_LIMIT = 80     # larger differences skip `simplify` and go straight to numbers
DIGITS = 30
RELATIVE_TOLERANCE = 1e-10


@dataclass(frozen=True)
class Judgement:
    """The verdict on `left = right`: equal is True, False, or None when it could not be decided."""

    equal: bool | None
    method: str                        # "structural", "symbolic", "numeric" or "undecided"
    counterexample: dict | None = None  # {symbol name: value} where the sides differ
    left_value: complex | None = None
    right_value: complex | None = None
    points: int = 0                    # how many points agreed
    reason: str = ""

    def __bool__(self) -> bool:
        return bool(self.equal)


def equivalent(left: sp.Basic, right: sp.Basic, *, seed: int = 0, points: int = 4,
               numeric: bool = True, symbolic: bool = True, confirm: bool = False) -> Judgement:
    """Judge `left = right` for all real values of their symbols, cheapest method first.

    A symbolic proof is confirmed at random points too (with `numeric=True`), so a wrong proof or a
    SymPy bug cannot pass alone; with `confirm=True` even identical expressions are evaluated, which
    is how the engine checks its steps.
    """
    if left == right and not confirm:
        return Judgement(True, "structural")
    difference = left - right
    proved = left == right or (symbolic and _symbolically_zero(difference))
    if not numeric:
        return Judgement(True, "symbolic") if proved else Judgement(None, "undecided")
    verdict = numerically_equal(left, right, seed=seed, points=points)
    if proved and verdict.equal is not False:
        return Judgement(True, "symbolic", points=verdict.points)
    return verdict


def _symbolically_zero(difference: sp.Expr) -> bool:
    try:
        if sp.expand(difference) == 0:
            return True
        if sp.count_ops(difference) <= SYMBOLIC_OPS_LIMIT:
            return sp.simplify(difference) == 0
    except (TypeError, ValueError, NotImplementedError, RecursionError, ZeroDivisionError):
        return False
    return False


def numerically_equal(left: sp.Basic, right: sp.Basic, *, seed: int = 0, points: int = 4,
                      max_tries: int = 60) -> Judgement:
    """Compare both sides at `points` random real points where both are defined."""
    symbols = sorted(left.free_symbols | right.free_symbols, key=lambda s: s.name)
    rng = random.Random(seed)
    agreed, tries, complex_points = 0, 0, []
    while agreed < points and tries < max_tries:
        tries += 1
        point = {s: _sample(rng, tries) for s in symbols}
        a, b = _value(left, point), _value(right, point)
        if a is None or b is None:
            continue
        if (a.imag != 0 or b.imag != 0) and tries < max_tries // 2:
            complex_points.append(point)  # prefer points where both sides are real
            continue
        if not _close(a, b):
            return Judgement(False, "numeric", {s.name: _plain(v) for s, v in point.items()}, a, b,
                             points=agreed)
        agreed += 1
        if not symbols:
            break
    if agreed == 0:
        return Judgement(None, "undecided", reason="no point found where both sides are defined")
    return Judgement(True, "numeric", points=agreed)


def _sample(rng: random.Random, attempt: int) -> sp.Rational:
    """A real value with two decimals, away from integers (where kinks and poles like to sit)."""
    span = 3 if attempt < 20 else 10
    while True:
        v = round(rng.uniform(-span, span), 2)
        if abs(v - round(v)) > 0.04:
            return sp.Rational(str(v))


def _value(expr: sp.Basic, point: dict) -> complex | None:
    # Floats, not exact values: exact arithmetic on (a/b)^(c/d)^... can grow without bound
    point = {s: sp.Float(v, DIGITS) for s, v in point.items()}
    try:
        v = expr.xreplace(point)
        if isinstance(v, sp.MatrixBase):
            return None
        v = v.doit() if v.has(sp.Derivative, sp.Subs) else v
        v = sp.N(v, DIGITS)
        if v.free_symbols or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return None
        c = complex(v)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError, RecursionError):
        return None
    if c != c or abs(c) == float("inf"):
        return None
    return c


def _close(a: complex, b: complex) -> bool:
    return abs(a - b) <= RELATIVE_TOLERANCE * max(1.0, abs(a), abs(b))


def _plain(v: sp.Rational) -> float:
    return float(v)
