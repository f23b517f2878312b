"""Deciding whether two expressions are equal: structurally, symbolically, then at random points.

One judge serves the engine (every derivation step is checked with it) and the checker of hand
derivations. Numeric points follow WeBWorK's practice: a fixed seed, real points, resampled where
either side is undefined. Exact sides (no decimal number in them) are judged exactly: at each point the
difference is evaluated with certified precision (SymPy's `evalf(strict=True)`), so a difference of
1e-12 or 1e-800 is a counterexample, not a rounding error. A relative tolerance applies only when a side
holds a floating-point number, and the judgement then says to how many significant digits they agree.
"""
from __future__ import annotations

import functools
import math
import random
import zlib
from dataclasses import dataclass

import sympy as sp
from sympy.core.evalf import PrecisionExhausted
from sympy.core.function import AppliedUndef

from gradwise.derivations.limits import explodes
from gradwise.derivations.sampling import NOT_ANALYTIC, PointSampler
from gradwise.derivations.symbolic_proof import Proof, symbolically_zero
from gradwise.derivations.tolerances import (CONFIRM_AGREEMENT, FLOAT_DIGITS, REAL_AT_30_DIGITS, SCREEN_TOLERANCE,
                                             WORKING_DIGITS)

RECHECK_DIGITS = 60          # a disagreement at WORKING_DIGITS is confirmed at this precision before it counts
CERTIFY_MAX_PRECISION = 200  # bits evalf may use to tell a difference from 0 (a gap of 1e-45 relative)
SCREEN_OPS = 60              # differences larger than this are screened at SCREEN_DIGITS before certifying
SCREEN_DIGITS = 60           # about CERTIFY_MAX_PRECISION bits: below it evalf could not tell a gap from 0
SCREEN_NESTING = 2           # ... and so are those whose functions nest deeper than this
CONFIRM_DIGITS = 40          # a certified gap is evaluated again at this precision (tolerances.CONFIRM_AGREEMENT)
CERTIFIED_POINTS = 2         # an exact zero costs evalf its whole precision: certify at the first points


@dataclass(frozen=True)
class Judgement:
    """The verdict on `left = right`: equal is True, False, or None when it could not be decided."""

    equal: bool | None
    method: str                        # "structural", "symbolic", "numeric" or "undecided"
    # "numeric" with exact sides: no point distinguished them although every difference was evaluated
    # with certified precision (evidence, not proof); with decimals: equal to `digits` significant digits
    counterexample: dict | None = None  # {symbol name: value} where the sides differ
    left_value: complex | None = None
    right_value: complex | None = None
    points: int = 0                    # how many points agreed
    reason: str = ""
    domain: str = ""                   # for an identity true only for positive symbols: "false for x < 0"
    digits: int | None = None          # with decimals on a side: the significant digits they agree to

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
        proof = Proof(True) if left == right else _proof(left, right) if symbolic else Proof(False)
        return Judgement(True, "symbolic") if proof.proved else Judgement(None, "undecided", reason=proof.note)
    # numbers first: a point where the sides differ settles it without an expensive `simplify`
    # the certified difference is the costly part (an exact zero exhausts evalf): only when no proof,
    # so at once when no proof will be tried
    verdict = numerically_equal(left, right, seed=seed, points=points, real_only=real_only, certify=not symbolic)
    if verdict.equal is False or not symbolic:
        return verdict
    proof = Proof(True) if left == right else _proof(left, right) if symbolic else Proof(False)
    if proof.proved:
        return Judgement(True, "symbolic", points=verdict.points)
    if verdict.equal and verdict.digits is None:
        verdict = numerically_equal(left, right, seed=seed, points=points, real_only=real_only)
    return verdict


def _proof(left: sp.Basic, right: sp.Basic, thorough: bool = False) -> Proof:
    return symbolically_zero(_evaluated(left - right), thorough=thorough)


def proved_equal(left: sp.Basic, right: sp.Basic) -> Proof:
    """A symbolic proof of `left = right` with every rewrite gradwise has (for exact steps that agree at
    every point: agreement at points is evidence, this is the proof), entry by entry for matrices."""
    if isinstance(left, sp.MatrixBase) or isinstance(right, sp.MatrixBase):
        if not (isinstance(left, sp.MatrixBase) and isinstance(right, sp.MatrixBase)) or left.shape != right.shape:
            return Proof(False)
        proofs = [proved_equal(a, b) for a, b in zip(left, right)]
        failed = next((p for p in proofs if not p.proved), None)
        return failed or Proof(True)
    return Proof(True) if left == right else _proof(left, right, thorough=True)


def has_decimals(expr: sp.Basic) -> bool:
    """Whether a floating-point number occurs in expr: only then does a tolerance apply."""
    return isinstance(expr, sp.Basic) and expr.has(sp.Float)


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


def numerically_equal(left: sp.Basic, right: sp.Basic, *, seed: int = 0, points: int = 4,
                      max_tries: int = 60, real_only: bool = False, certify: bool = True) -> Judgement:
    """Compare both sides at `points` random real points where both are defined (`certify=False`: at
    30 digits only, the screen before a proof is tried).

    Exact sides agree at a point only when their difference, evaluated with certified precision, cannot
    be told from 0; sides with decimals agree when they match to FLOAT_DIGITS significant digits.
    With `real_only`, a point where one side is real and the other is not (ln a + ln b at a, b < 0,
    where ln(ab) is real) counts against the identity: it fails there for real numbers.
    """
    decimals = has_decimals(left) or has_decimals(right)
    left, right = concrete(left, seed), concrete(right, seed)
    symbols = sorted(left.free_symbols | right.free_symbols, key=lambda s: s.name)
    rng = random.Random(seed)
    sampler = PointSampler(left, right, symbols, rng)
    real_arguments = [a for e in (left, right) if isinstance(e, sp.Basic)
                      for node in e.atoms(*NOT_ANALYTIC) for a in node.args]
    # points where both sides are real are preferred, unless a constant makes them complex everywhere
    # (asin(2)): then looking for real ones only costs evaluations
    prefer_real = all(non_real_constant(e) is None for e in (left, right))
    agreed, tries, digits = 0, 0, None
    while agreed < points and tries < max_tries:
        tries += 1
        point = sampler.point(tries)
        if not _real_at(real_arguments, point):
            continue  # |u| of a complex u is another function: the identity is about the real domain
        # the right side is evaluated only where the left one decides nothing yet: most points tried on
        # a function that is real only on part of the line (tan(x)^atan(x)) are dropped on one side
        a = _value(left, point)
        if a is None or (a.imag != 0 and prefer_real and not real_only and tries < max_tries // 2):
            continue
        b = _value(right, point)
        if b is None:
            continue
        where = {s.name: _plain(v) for s, v in point.items()}
        if real_only and (a.imag == 0) != (b.imag == 0):
            return Judgement(False, "numeric", where, a, b, points=agreed,
                             reason="one side is not a real number there")
        if prefer_real and (a.imag != 0 or b.imag != 0) and tries < max_tries // 2:
            continue
        if decimals:
            d = agreed_digits(a, b)
            if d < FLOAT_DIGITS:
                return Judgement(False, "numeric", where, a, b, points=agreed, digits=d,
                                 reason=f"the sides agree to only {d} significant digits")
            digits = d if digits is None else min(digits, d)
        elif not _close(a, b):
            if not _stable_disagreement(left, right, point, a, b):
                continue  # 30 digits were not enough here (tan of cosh(112) ≈ 1e48): another point
            return Judgement(False, "numeric", where, a, b, points=agreed)
        elif certify and agreed < CERTIFIED_POINTS and (gap := certified_difference(left, right, point)) is not None:
            return Judgement(False, "numeric", where, a, b, points=agreed,
                             reason=f"the sides differ by {_gap_words(gap)} there")
        agreed += 1
        if not symbols:
            break
    if agreed == 0:
        return Judgement(None, "undecided", reason="no point found where both sides are defined")
    if decimals:
        return Judgement(True, "numeric", points=agreed, digits=digits,
                         reason=f"equal to {digits} significant digits")
    return Judgement(True, "numeric", points=agreed)


def non_real_constant(expr: sp.Basic) -> sp.Expr | None:
    """A constant inside expr that is not a real number (i, ln(-1), asin(2), (-1)^(1/3)), or None."""
    if not isinstance(expr, sp.Basic):
        return None
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Expr) and node.is_number:
            real = node.is_extended_real
            if real is None:
                v = value_at(node, {})
                real = v is None or abs(v.imag) <= REAL_AT_30_DIGITS * max(1.0, abs(v))
            if real is False:
                return node
    return None


def _stable_disagreement(left: sp.Basic, right: sp.Basic, point: dict, a: complex, b: complex) -> bool:
    """Whether sides that differ at WORKING_DIGITS digits still differ at RECHECK_DIGITS, with the same values: at a
    point where the expression is ill-conditioned (tan of a huge number) the first values are noise."""
    a2, b2 = _value(left, point, RECHECK_DIGITS), _value(right, point, RECHECK_DIGITS)
    return a2 is not None and b2 is not None and not _close(a2, b2) and _close(a, a2) and _close(b, b2)


def _real_at(arguments: list, point: dict) -> bool:
    """Whether every argument of a function defined on the reals only (abs, sign, relu, ...) is real."""
    for arg in arguments:
        v = _value(arg, point)
        if v is not None and v.imag != 0:
            return False
    return True


def _gap_words(gap: complex) -> str:
    return f"{gap.real:.3g}" if gap.imag == 0 else f"{gap:.3g}"


def agreed_digits(a: complex, b: complex, cap: int = 15) -> int:
    """How many significant digits a and b have in common (at most `cap`, the digits of a double)."""
    scale = max(abs(a), abs(b))
    if a == b or scale == 0:
        return cap
    return max(0, min(cap, int(-math.log10(abs(a - b) / scale))))


def certified_difference(left: sp.Basic, right: sp.Basic, point: dict) -> complex | None:
    """left - right at the exact point when evalf can certify that it is not 0, else None.

    The point is substituted inside evalf (exact rationals, no intermediate rounding), so an exact zero
    such as sin²x + cos²x − 1 exhausts the precision instead of passing for a small number.
    """
    difference = left - right
    if difference == 0 or not isinstance(difference, sp.Expr) or difference.has(*UNCERTIFIED):
        return None  # (the caller has already checked with `explodes` that both sides are computable here)
    # the engine checks a line against its rule and against the next line: the same difference (or its
    # negative) at the same point comes again, and is answered from memory
    at = tuple(sorted(point.items(), key=lambda item: item[0].name))
    if difference.could_extract_minus_sign():   # true of exactly one of d and -d
        gap = _certified(right, left, at)
        return None if gap is None else -gap
    return _certified(left, right, at)


@functools.lru_cache(maxsize=256)
def _certified(left: sp.Expr, right: sp.Expr, point: tuple) -> complex | None:
    point, difference = dict(point), left - right
    if _zero_at_screen_precision(left, right, point):
        return None
    c = _strict_value(difference, point, 15)
    if c is None:
        return None
    # evalf's error bound is not rigorous for every function: tan, sec, asin of a complex argument are
    # evaluated by mpmath at the working precision and claimed exact to it, so an exact zero can come out
    # as 1e-16. A true gap stays put at a higher precision; a rounding error shrinks with it.
    confirmed = _strict_value(difference, point, CONFIRM_DIGITS)
    if confirmed is None or abs(confirmed - c) > CONFIRM_AGREEMENT * abs(c):
        return None
    return c


def _strict_value(difference: sp.Expr, point: dict, digits: int) -> complex | None:
    """evalf(strict=True) of the difference at the exact point, or None when 0 or not computable."""
    try:
        value = difference.evalf(digits, subs=point, strict=True, maxn=CERTIFY_MAX_PRECISION)
        c = complex(value)
    except (PrecisionExhausted, TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError,
            RecursionError, NotImplementedError, MemoryError):
        return None
    if value.free_symbols or c != c or c == 0 or abs(c) == float("inf"):
        return None
    return c


def _zero_at_screen_precision(left: sp.Expr, right: sp.Expr, point: dict) -> bool:
    """Whether a large step's sides agree to SCREEN_DIGITS significant digits at the point (from the
    point's values at that precision: time linear in the expression).

    An exact zero makes `evalf(strict=True)` raise its precision to the limit in every subexpression,
    which grows exponentially with the nesting (25 s for one chain-rule step of a depth-8 composition);
    the screen keeps that cost for differences that may be real. It never proves a gap: sides that
    differ on the screen go on to the certified evaluation. A small, shallow difference skips it (certified
    directly, so x² = x² + 10⁻⁵⁰ is still wrong, and f = f + 10⁻¹² however large f is).
    """
    difference = left - right   # what the certified evaluation would work on: like terms cancel
    if sp.count_ops(difference) <= SCREEN_OPS and _nesting(difference) <= SCREEN_NESTING:
        return False
    floats = {s: sp.Float(v, SCREEN_DIGITS + 10) for s, v in point.items()}
    try:
        a, b = (side.xreplace(floats).evalf(SCREEN_DIGITS) for side in (left, right))
        gap, scale = abs(complex((a - b).evalf(SCREEN_DIGITS))), max(1.0, abs(complex(a)), abs(complex(b)))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError, RecursionError):
        return False
    return gap <= 10.0 ** (15 - SCREEN_DIGITS) * scale


def _nesting(expr: sp.Basic) -> int:
    """How deeply functions and powers nest in expr (sums and products do not count): each level of
    a certified evaluation retries the levels below it at a higher precision."""
    inner = max((_nesting(a) for a in expr.args), default=0)
    return inner + (0 if expr.is_Add or expr.is_Mul or not expr.args else 1)


# evalf of these at a point can take unbounded time (a sum up to n = 2.07): they keep the 30-digit screen
UNCERTIFIED = (sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Subs, sp.Limit)


def value_at(expr: sp.Basic, point: dict) -> complex | None:
    """expr at the point (symbol -> number) as a complex number at 30 digits, or None where it is undefined."""
    return _value(expr, point)


def _value(expr: sp.Basic, point: dict, digits: int = WORKING_DIGITS) -> complex | None:
    # Floats, not exact values: exact arithmetic on (a/b)^(c/d)^... can grow without bound
    point = {s: sp.Float(v, digits) for s, v in point.items()}
    try:
        if explodes(expr, point):
            return None
        v = expr.xreplace(point)
        if isinstance(v, sp.MatrixBase):
            return None
        v = v.doit() if v.has(sp.Derivative, sp.Subs) else v
        v = sp.N(v, digits)
        if v.free_symbols or v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return None
        c = complex(v)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError, RecursionError, MemoryError):
        return None  # (MemoryError: mpmath asked for a mantissa of astronomic size at this point, as in
        #              log(1 + sinh(-7)^x); the point is resampled)
    if c != c or abs(c) == float("inf"):
        return None
    return c


def _close(a: complex, b: complex) -> bool:
    return abs(a - b) <= SCREEN_TOLERANCE * max(1.0, abs(a), abs(b))


def _plain(v: sp.Rational) -> float:
    return float(v)
