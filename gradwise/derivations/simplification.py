"""The final simplification of a result, as steps a person would take, never one opaque "simplify".

Each candidate rewriting (in terms of σ, cancel, factor, expand, collect, trigonometric identities)
becomes a step only when it makes the expression shorter; the steps are applied one after another.
Rewritings are skipped on expressions too large to transform quickly, and the whole search has a
deterministic budget counted in operations (`count_ops` of each expression a rewriting is tried on,
weighted by how costly the rewriting is): when it is spent, the search stops and says so, and the
checked, unsimplified result stands. A clock is only the backstop: a single rewriting that runs past
REWRITING_SECONDS (which the guards should have foreseen) ends the search the same way.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.limits import time_limit
from gradwise.derivations.steps import EqualityStep

MAX_OPS = 150           # skip rewriting larger results: they take long and rarely read better
MAX_EXPAND_POWER = 12   # never expand (a + b)^n beyond this n
MAX_ROUNDS = 4
BUDGET = 1200           # operations the whole search may spend (deterministic, unlike a clock)
#: how much more than its input's size each rewriting costs; cancel/factor work on one big fraction
WEIGHTS = {"rewrite_sigmoid": 2, "cancel": 3, "factor": 4, "expand": 1, "collect": 1, "trig_identity": 6}
MAX_GENERATORS = 6      # cancel/factor only polynomials in this many generators ...
MAX_DEGREE = 40         # ... of at most this total degree (see _small_polynomials)
MAX_DENOMINATORS = 3    # over one denominator, the numerator of n fractions grows like their product
CIRCULAR = (sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot)
MAX_ANGLE_RATIO = 4   # trigsimp only relates angles such as x, 2x, 3x, 4x (see _small_angle_ratios)
MAX_TRIG_OPS = 40       # trigsimp's search is exponential in the number of trigonometric terms
#: a backstop behind the guards, not the rule: multivariate factoring (Wang's algorithm) can run for
#: minutes on a numerator of 25 terms in 4 generators of degree 16, which no cheap measure predicts.
#: The rewritings of the golden files' derivations take at most 35 ms on a busy machine.
REWRITING_SECONDS = 1.0
BUDGET_NOTE = ("the simplification search ran out of its budget (the expression is too large to "
               "simplify quickly): the result is shown as the rules produced it, every step checked")


@dataclass
class Budget:
    """Operations left for the simplification search; `spent` records that something was skipped."""

    left: float = BUDGET
    spent: bool = False

    def pay(self, cost: float) -> bool:
        if cost > self.left:
            self.spent = True
            return False
        self.left -= cost
        return True


@dataclass
class Simplification:
    """The steps of the search and whether its budget ran out before it was done."""

    steps: list[EqualityStep] = field(default_factory=list)
    budget_spent: bool = False


def complexity(expr: sp.Expr) -> float:
    """How hard an expression is to read: operations, then fewer terms (a factored form), then length."""
    return sp.count_ops(expr) + 0.1 * len(sp.Add.make_args(expr)) + len(str(expr)) / 1000


def simplification_steps(expr: sp.Expr, var: sp.Symbol, original: sp.Expr | None = None
                         ) -> list[EqualityStep]:
    """Steps that rewrite expr into a simpler equal form; empty when it is already simplest."""
    return simplify_within_budget(expr, var, original).steps


def simplify_within_budget(expr: sp.Expr, var: sp.Symbol, original: sp.Expr | None = None,
                           budget: float = BUDGET) -> Simplification:
    """The simplification steps found within `budget` operations, and whether the budget ran out."""
    steps: list[EqualityStep] = []
    if expr.has(sp.Derivative):
        return Simplification(steps)
    if sp.count_ops(expr) > MAX_OPS:
        return Simplification(steps, budget_spent=True)
    account = Budget(budget)
    transforms = _transforms(var, original)
    current = expr
    for _ in range(MAX_ROUNDS):
        best = None
        size = sp.count_ops(current)
        now = complexity(current)
        polynomial_guard = functools.cache(functools.partial(_small_polynomials, current))   # once a round
        for rule, transform in transforms:
            if not _worth_trying(rule, current, size, polynomial_guard):
                account.spent |= rule != "trig_identity"   # too costly to try here: the budget's verdict
                continue
            if not account.pay(WEIGHTS.get(rule, 1) * (size + 1)):
                continue
            try:
                candidate = _attempt(transform, current)
            except _RewritingTooSlow:
                return Simplification(steps, budget_spent=True)
            if candidate is None or candidate == current or sp.count_ops(candidate) >= now:
                continue  # complexity >= count_ops: a candidate with more operations cannot be simpler
            score = complexity(candidate)
            if score < now - 1e-9 and (best is None or score < best[2]):
                best = (rule, candidate, score)
            if best is not None and rule == "rewrite_sigmoid":
                break  # writing σ back is what a person wants first
        if best is None:
            break
        steps.append(EqualityStep(best[0], current, best[1]))
        current = best[1]
    return Simplification(steps, account.spent)


def _worth_trying(rule: str, expr: sp.Expr, size: int, small_polynomials: Callable[[], bool]) -> bool:
    """Whether a rewriting can finish quickly on expr (its cost is not a polynomial in the size);
    `small_polynomials` is `_small_polynomials(expr)`, computed once for the rules that ask."""
    if rule in ("cancel", "factor", "rewrite_sigmoid"):
        denominators = {sp.fraction(t)[1] for t in sp.Add.make_args(expr)} - {sp.S.One}
        return len(denominators) <= MAX_DENOMINATORS and small_polynomials()
    if rule == "trig_identity":
        return size <= MAX_TRIG_OPS and _small_angle_ratios(expr)
    return True


def _small_polynomials(expr: sp.Expr) -> bool:
    """Whether expr over one denominator is a ratio of polynomials small enough to factor: few
    generators, low degree. Multivariate factoring (Wang's algorithm) on 13 generators of degree 165,
    such as the powers (x² + 1)^(x^k) of a derivative that counts only 79 operations, runs for minutes."""
    for part in sp.fraction(sp.together(expr)):
        if _degree_bound(part) > MAX_DEGREE:
            return False   # decided before Poly, which would expand (x + 1)^100000
        try:
            poly = sp.Poly(part)
        except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
            continue   # a number, or not a polynomial in anything: nothing to factor there
        if len(poly.gens) > MAX_GENERATORS or poly.total_degree() > MAX_DEGREE:
            return False
    return True


def _degree_bound(expr: sp.Expr) -> int:
    """An upper bound on the total degree of expr written out as a polynomial, read off its tree
    without expanding it. A function or an irrational constant counts as one generator of degree 1; with powers u^(p/q), Poly's
    generator is u^(1/L) for L the least common multiple of the q, so degrees count in 1/L steps."""
    steps = math.lcm(1, *(int(p.exp.q) for p in expr.atoms(sp.Pow) if p.exp.is_Rational))
    return math.ceil(steps * _rational_degree(expr))


def _rational_degree(expr: sp.Expr) -> sp.Rational:
    if expr.is_Number:
        return sp.S.Zero
    if expr.is_Add:
        return max(_rational_degree(a) for a in expr.args)
    if expr.is_Mul:
        return sp.Add(*(_rational_degree(a) for a in expr.args))
    if expr.is_Pow and expr.exp.is_Rational:   # a number to a fraction, sqrt(2), is a generator
        return abs(expr.exp) * (_rational_degree(expr.base) or sp.S.One)
    if expr.is_Pow or isinstance(expr, sp.exp):
        base, exponent = expr.as_base_exp()
        return _symbolic_power_degree(base, exponent)
    return sp.S.One   # a function, or a constant such as π: one generator


def _symbolic_power_degree(base: sp.Expr, exponent: sp.Expr) -> sp.Rational:
    """Poly splits a power with a symbolic exponent: e^(3x + 2) is (e^x)³ e², and together() writes
    (x² + 1)^(x + 4) as (x² + 1)^x (x² + 1)⁴; each term of the exponent adds to the degree, and so does
    each term of the exponent written out: u^((x² + 1)¹⁶) is a product of 17 powers of degree up to 12,870."""
    total = sp.S.Zero
    for term in sp.Add.make_args(exponent):
        coefficient, rest = term.as_coeff_Mul()
        numerator = abs(coefficient.p) if coefficient.is_Rational else 1
        total += numerator * _rational_degree(base) if rest == 1 else max(numerator, 1) * _coefficient_sum(rest)
    return max(total, sp.S.One)


def _coefficient_sum(expr: sp.Expr, cap: int = 10 ** 6) -> int:
    """An upper bound (or at least `cap`) on the sum of the absolute coefficients of expr expanded,
    read off its tree: (x² + 1)¹⁶ gives 2¹⁶."""
    if expr.is_Number:
        return min(cap, math.ceil(abs(expr)))
    if expr.is_Add or expr.is_Mul:
        parts = [_coefficient_sum(a, cap) for a in expr.args]
        return min(cap, sum(parts) if expr.is_Add else math.prod(parts))
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        base = _coefficient_sum(expr.base, cap)
        return cap if base > 1 and expr.exp * math.log2(base) > math.log2(cap) else min(cap, base ** int(expr.exp))
    return 1


def _small_angle_ratios(expr: sp.Expr) -> bool:
    """Whether the circular functions' arguments are at small ratios of each other (x and 2x, 2x and 3x).

    trigsimp relates sin(16x) to cos(20x) by writing both in the angle 4x, a polynomial of degree 5
    and more: seconds to minutes, for no simpler form. Arguments with no rational ratio (x, x²) are fine.
    """
    angles = list({f.args[0] for f in expr.atoms(*CIRCULAR)})
    for i, a in enumerate(angles):
        for b in angles[i + 1:]:
            ratio = sp.cancel(a / b)
            if ratio.is_Rational and max(abs(ratio.p), abs(ratio.q)) > MAX_ANGLE_RATIO:
                return False
    return True


class _RewritingTooSlow(Exception):
    """A rewriting ran past REWRITING_SECONDS: the search stops, the checked result stands."""


def _attempt(transform: Callable[[sp.Expr], sp.Expr], expr: sp.Expr) -> sp.Expr | None:
    try:
        with time_limit(REWRITING_SECONDS, error=_RewritingTooSlow):
            return transform(expr)
    except (TypeError, ValueError, NotImplementedError, sp.PolynomialError, RecursionError,
            ZeroDivisionError, AttributeError):
        return None


def _transforms(var: sp.Symbol, original: sp.Expr | None) -> list[tuple[str, Callable]]:
    return [
        ("rewrite_sigmoid", lambda e: rewrite_in_sigmoid(e, original)),
        ("cancel", _cancel),
        ("factor", _factor),
        ("expand", _expand),
        ("collect", lambda e: sp.collect(e, var)),
        ("trig_identity", _trig),
    ]


def _small_powers(expr: sp.Expr) -> bool:
    return all(not (p.exp.is_Integer and abs(p.exp) > MAX_EXPAND_POWER and p.base.is_Add)
               for p in expr.atoms(sp.Pow))


def _expand(expr):
    return sp.expand(expr) if _small_powers(expr) else None


def _factor(expr):
    return sp.factor(expr) if _small_powers(expr) else None


def _cancel(expr):
    return sp.cancel(expr) if _small_powers(expr) else None




def _trig(expr):
    # circular functions only: 1 - tanh²(x) is what deep learning writes, not sech²(x)
    if not expr.has(*CIRCULAR) or expr.has(sp.sinh, sp.cosh, sp.tanh) or not _trig_factors_meet(expr):
        return None
    return sp.trigsimp(expr)


def _trig_factors_meet(expr: sp.Expr) -> bool:
    """Whether a trigonometric identity could apply: two circular factors in one product or power
    (sin x cos x, sin²x, tan x cos x), or two circular terms of one sum whose coefficients have a constant
    ratio (x sin x + x cos x = √2 x sin(x + π/4)) or angles at a rational ratio (x sin x + x² sin 2x).
    2x sin x + x² cos x has none of these, and trigsimp would spend most of a `diff` on it."""
    def degree(term: sp.Expr) -> int:
        total = 0
        for factor in sp.Mul.make_args(term):
            base, exponent = factor.as_base_exp()
            if isinstance(base, CIRCULAR):
                total += int(abs(exponent)) if exponent.is_Integer else 2
        return total

    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Mul, sp.Pow)) and degree(node) >= 2:
            return True
        if isinstance(node, sp.Add):
            parts = [t.as_independent(*CIRCULAR) for t in node.args if degree(t) == 1]
            for i, (c1, f1) in enumerate(parts):
                for c2, f2 in parts[i + 1:]:
                    if (c1 / c2).is_number or _multiple_angles(f1, f2):
                        return True
    return False


def _multiple_angles(f1: sp.Expr, f2: sp.Expr) -> bool:
    """Whether two circular factors have different angles at a rational ratio (sin x and sin 2x)."""
    a, b = (next(iter(f.atoms(*CIRCULAR))).args[0] for f in (f1, f2))
    return a != b and sp.cancel(a / b).is_Rational


def rewrite_in_sigmoid(expr: sp.Expr, original: sp.Expr | None) -> sp.Expr | None:
    """Write e^{-a} back in terms of σ(a) where the original had σ written out, 1/(1 + e^{-a}).

    With s = σ(a), e^{-a} = (1 - s)/s; the σ(1 - σ) shape is pulled out when it appears.
    """
    if original is None:
        return None
    arguments = {-e.args[0] for e in original.atoms(sp.exp) if e.args[0].could_extract_minus_sign()}
    for a in sorted(arguments, key=sp.default_sort_key):
        if not expr.has(sp.exp(-a)):
            continue
        s = fn.sigmoid(a)
        candidate = sp.factor(sp.cancel(expr.subs(sp.exp(-a), (1 - s) / s)))
        if candidate.has(sp.exp(-a)) or candidate.has(sp.exp(a)):
            continue
        shape = s * (1 - s)
        ratio = sp.cancel(candidate / shape)
        if not ratio.has(s):
            candidate = ratio * shape
        return candidate
    return None
