"""Deciding whether two expressions are equal: structurally, symbolically, then at random points.

One judge serves the engine (every derivation step is checked with it) and the checker of hand
derivations. Numeric points follow WeBWorK's practice: a fixed seed, real points, resampled where
either side is undefined; values are computed with mpmath at 30 digits and compared with a relative
tolerance.
"""
from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

import sympy as sp
from sympy.core.function import AppliedUndef

from gradwise.derivations.limits import explodes, time_limit

SYMBOLIC_SECONDS = 2.0     # the time simplify() may take before the numbers decide alone
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
    domain: str = ""                   # for an identity true only for positive symbols: "false for x < 0"

    def __bool__(self) -> bool:
        return bool(self.equal)


def equivalent(left: sp.Basic, right: sp.Basic, *, seed: int = 0, points: int = 4,
               numeric: bool = True, symbolic: bool = True, confirm: bool = False,
               positive: bool = False, domain: bool = False) -> Judgement:
    """Judge `left = right` for all real values of their symbols, cheapest method first.

    A symbolic proof is confirmed at random points too (with `numeric=True`), so a wrong proof or a
    SymPy bug cannot pass alone; with `confirm=True` even identical expressions are evaluated, which
    is how the engine checks its steps. Unevaluated derivatives are evaluated; abstract functions
    (`f(x)`) stand for the same random smooth function on both sides when numbers are needed.
    `positive=True` judges for positive values of every symbol instead; `domain=True` looks, when the
    identity fails, whether it holds for positive values, and says where it fails
    (`Judgement.domain`, "false for x < 0").
    """
    if positive:
        left, right = make_positive(left), make_positive(right)
    if left == right and not confirm:
        return Judgement(True, "structural")
    verdict = _judge(left, right, seed, points, numeric, symbolic, confirm, domain)
    if domain and verdict.equal is False and not positive and verdict.counterexample:
        on_positive = _judge(make_positive(left), make_positive(right), seed, points, numeric, symbolic, False,
                             True)
        if on_positive.equal:
            negative = [name for name, v in verdict.counterexample.items() if v < 0]
            where = " and ".join(f"{name} < 0" for name in negative) if negative else "some real values"
            verdict = Judgement(False, verdict.method, verdict.counterexample, verdict.left_value,
                                verdict.right_value, verdict.points, "true only for positive values",
                                domain=f"false for {where}")
    return verdict


def _judge(left, right, seed, points, numeric, symbolic, confirm, real_only=False) -> Judgement:
    if left == right and not confirm:
        return Judgement(True, "structural")
    if not numeric:
        proved = left == right or (symbolic and _symbolically_zero(_evaluated(left - right)))
        return Judgement(True, "symbolic") if proved else Judgement(None, "undecided")
    # numbers first: a point where the sides differ settles it without an expensive `simplify`
    verdict = numerically_equal(left, right, seed=seed, points=points, real_only=real_only)
    if verdict.equal is False:
        return verdict
    if left == right or (symbolic and _symbolically_zero(_evaluated(left - right))):
        return Judgement(True, "symbolic", points=verdict.points)
    return verdict


def make_positive(expr: sp.Basic) -> sp.Basic:
    """The expression with every symbol replaced by a positive one of the same name."""
    return expr.xreplace({s: sp.Symbol(s.name, positive=True) for s in expr.free_symbols
                          if isinstance(s, sp.Symbol) and not s.is_positive})


def _evaluated(expr: sp.Basic) -> sp.Basic:
    """Derivatives and substitutions carried out (abstract functions stay abstract)."""
    if expr.has(sp.Derivative, sp.Subs):
        try:
            return expr.doit()
        except (TypeError, ValueError, NotImplementedError, AttributeError):
            return expr
    return expr


def random_function(name: str, arity: int, seed: int = 0) -> sp.Lambda:
    """A smooth function of `arity` arguments, the same for the same name and seed: it stands for an
    abstract `f` so that both sides of a step can be evaluated at numbers."""
    rng = random.Random(zlib.crc32(name.encode()) ^ seed)
    u = sp.symbols(f"u0:{arity}", real=True)

    def q() -> sp.Rational:
        return sp.Rational(rng.randint(3, 19), rng.randint(4, 11)) * rng.choice((1, -1))

    body = q()
    for v in u:
        body += q() * sp.sin(q() * v + q()) + q() * v**2 / 7 + q() * v
    if arity > 1:
        body += q() * u[0] * u[1] / 5
    return sp.Lambda(u, body)


def concrete(expr: sp.Basic, seed: int = 0) -> sp.Basic:
    """The expression with abstract functions made concrete and derivatives evaluated."""
    arity = {type(a): len(a.args) for a in expr.atoms(AppliedUndef)}
    if arity:
        expr = expr.subs({f: random_function(f.__name__, n, seed) for f, n in arity.items()})
    return _evaluated(expr)


class _SymbolicBudgetSpent(Exception):
    """simplify() ran out of its time: the numbers decide instead."""


def _symbolically_zero(difference: sp.Expr) -> bool:
    # simplify can run for minutes on some expressions (gcds over algebraic fields): it gets a budget
    try:
        with time_limit(SYMBOLIC_SECONDS, error=_SymbolicBudgetSpent):
            if sp.expand(difference) == 0:
                return True
            if sp.count_ops(difference) <= SYMBOLIC_OPS_LIMIT:
                return sp.simplify(difference) == 0
    except (TypeError, ValueError, NotImplementedError, RecursionError, ZeroDivisionError,
            _SymbolicBudgetSpent):
        return False
    return False


def numerically_equal(left: sp.Basic, right: sp.Basic, *, seed: int = 0, points: int = 4,
                      max_tries: int = 60, real_only: bool = False) -> Judgement:
    """Compare both sides at `points` random real points where both are defined.

    With `real_only`, a point where one side is real and the other is not (ln a + ln b at a, b < 0,
    where ln(ab) is real) counts against the identity: it fails there for real numbers.
    """
    left, right = concrete(left, seed), concrete(right, seed)
    symbols = sorted(left.free_symbols | right.free_symbols, key=lambda s: s.name)
    rng = random.Random(seed)
    agreed, tries, complex_points = 0, 0, []
    while agreed < points and tries < max_tries:
        tries += 1
        point = {s: _sample(rng, tries, bool(s.is_positive)) for s in symbols}
        a, b = _value(left, point), _value(right, point)
        if a is None or b is None:
            continue
        if real_only and (a.imag == 0) != (b.imag == 0):
            return Judgement(False, "numeric", {s.name: _plain(v) for s, v in point.items()}, a, b,
                             points=agreed, reason="one side is not a real number there")
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


def _sample(rng: random.Random, attempt: int, positive: bool = False) -> sp.Rational:
    """A real value with two decimals, away from integers (where kinks and poles like to sit)."""
    span = 3 if attempt < 20 else 10
    while True:
        v = round(rng.uniform(-span, span), 2)
        if abs(v - round(v)) > 0.04:
            return sp.Rational(str(abs(v) if positive else v))


def _value(expr: sp.Basic, point: dict) -> complex | None:
    # Floats, not exact values: exact arithmetic on (a/b)^(c/d)^... can grow without bound
    point = {s: sp.Float(v, DIGITS) for s, v in point.items()}
    try:
        if explodes(expr, point):
            return None
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
