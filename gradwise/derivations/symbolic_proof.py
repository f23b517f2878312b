"""Proving that a difference is 0 symbolically, within budgets of size rather than of time.

The work SymPy does grows with what it is given, so the budgets are sizes: `count_ops` of the difference
(`simplify` only below OPS_LIMIT) and the number of terms an expansion would make (`expand` only below
EXPANSION_TERMS_LIMIT). No clock is read here: the same step gets the same answer however busy the
machine is. The only wall-clock limits are the callers' last guards (a command's `--timeout`, a checked
step's time limit), which say so when they fire.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import sympy as sp

from gradwise.derivations import functions as fn

OPS_LIMIT = 80                  # differences larger than this are not given to `simplify`
EXPANSION_TERMS_LIMIT = 4000    # nor to `expand` when its result would have more terms than this
TRIG_LIMIT = 6                  # nor to `simplify` when trigsimp would search through more trig than this
_TRIG = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)
PYTHAGOREAN_OPS_LIMIT = 400     # nor to the Pythagorean reduction (its `together`) past this size
_CIRCULAR = {sp.tan: lambda s, c: s / c, sp.cot: lambda s, c: c / s, sp.sec: lambda s, c: 1 / c,
             sp.csc: lambda s, c: 1 / s, sp.sin: lambda s, c: s, sp.cos: lambda s, c: c}
_HYPERBOLIC = {sp.tanh: lambda s, c: s / c, sp.coth: lambda s, c: c / s, sp.sech: lambda s, c: 1 / c,
               sp.csch: lambda s, c: 1 / s, sp.sinh: lambda s, c: s, sp.cosh: lambda s, c: c}
_ERRORS = (TypeError, ValueError, NotImplementedError, RecursionError, ZeroDivisionError, AttributeError)


@dataclass(frozen=True)
class Proof:
    """Whether the rewrites took the difference to 0; `note` says why none was tried, if so."""

    proved: bool
    note: str = ""


def symbolically_zero(difference: sp.Basic, *, thorough: bool = False) -> Proof:
    """Whether a fixed sequence of rewrites, each within its size budget, takes `difference` to 0.

    `thorough` adds rewrites for exact hand-written steps (abs, sign and Heaviside as cases; everything
    in exponentials), tried only after the cheap ones. A difference met again (or its negative: the
    engine checks a line against the rule and against the line below it) is answered from memory."""
    if difference == 0:
        return Proof(True)
    if not isinstance(difference, sp.Expr):
        return Proof(False)
    return _attempt_proof(-difference if difference.could_extract_minus_sign() else difference, thorough)


@functools.lru_cache(maxsize=256)
def _attempt_proof(difference: sp.Expr, thorough: bool) -> Proof:
    try:
        rewrites = _rewrites(difference, thorough)
    except _ERRORS:
        return Proof(False)
    if not rewrites:
        return Proof(False, "too large for a symbolic proof")
    for rewrite in rewrites:
        try:
            if rewrite(difference) == 0:
                return Proof(True)
        except _ERRORS:
            continue
    return Proof(False)


def _rewrites(difference: sp.Expr, thorough: bool) -> list:
    """The rewrites this difference is small enough for, cheapest first."""
    steps = []
    if expansion_terms(difference) <= EXPANSION_TERMS_LIMIT:
        steps.append(sp.expand)
    if difference.has(*_TRIG):
        steps.append(pythagorean_reduction)   # a division, where simplify's trigsimp searches for seconds
    # re and im come from SymPy's derivative of |u| where u may be complex (sqrt(y), (-x)^y): simplify
    # writes them as cases and works for seconds; such a step is still checked at random points
    if sp.count_ops(difference) <= OPS_LIMIT and trig_work(difference) <= TRIG_LIMIT \
            and (thorough or not difference.has(sp.re, sp.im)):
        steps.append(sp.simplify)
        if thorough:
            steps += [_cases, lambda d: sp.simplify(fn.rewrite_elementary(d).rewrite(sp.exp))]
    return steps


def pythagorean_reduction(difference: sp.Expr) -> sp.Expr:
    """The numerator of `difference` over one denominator, reduced modulo s² + c² − 1 (and c² − s² − 1).

    Every circular function of an argument u is written in s = sin u and c = cos u (tan u = s/c, ...),
    likewise sinh and cosh. These relations are a Gröbner basis (leading terms c², no shared variable), so
    the remainder is 0 exactly when the numerator vanishes on the circles: a remainder of 0 proves the
    difference 0. Arguments with a relation between them (x and 2x) are taken as independent, which can
    only miss a proof, never make one; a difference this cannot handle is returned as it is.
    """
    functions = difference.atoms(*_TRIG)
    if not functions:
        return difference
    if sp.count_ops(difference) > PYTHAGOREAN_OPS_LIMIT or any(f.args[0].has(*_TRIG) for f in functions):
        return difference   # sin(tan x): the inner function would hide inside a generator
    replacements, relations, generators = {}, [], []
    for table, sign in ((_CIRCULAR, 1), (_HYPERBOLIC, -1)):
        for u in sorted({f.args[0] for f in functions if type(f) in table}, key=sp.default_sort_key):
            s, c = sp.Dummy("s"), sp.Dummy("c")
            replacements.update({g(u): written(s, c) for g, written in table.items()})
            relations.append(c ** 2 + sign * s ** 2 - 1)
            generators += [c, s]
    numerator = sp.fraction(sp.together(difference.xreplace(replacements)))[0]
    if numerator.has(*_TRIG) or expansion_terms(numerator) > EXPANSION_TERMS_LIMIT:
        return difference
    try:
        _, remainder = sp.reduced(sp.expand(numerator), relations, *generators, order="lex")
    except (sp.PolynomialError, sp.GeneratorsNeeded, sp.polys.polyerrors.ComputationFailed):
        return difference   # a generator inside a coefficient, as in log(c² + 1): not polynomial here
    except KeyError:
        return difference   # SymPy's division fails inside on some coefficients (sign(x/6 + 1/12) and
        #                     sign(2x + 1) beside two tanh of the same |2x + 1|/12 - 6): no proof this way
    return sp.expand(remainder)


def trig_work(expr: sp.Basic) -> int:
    """The trigonometric and hyperbolic functions in expr, a nested one counting as many as its depth:
    the search of `trigsimp` (inside `simplify`) grows with them, tan(cos(x)) far faster than sin x cos x."""
    def work(e: sp.Basic, depth: int) -> int:
        here = isinstance(e, _TRIG)
        return (depth + 1 if here else 0) + sum(work(a, depth + here) for a in e.args)
    return work(expr, 0)


def _cases(difference: sp.Expr) -> sp.Expr:
    """abs, sign, Heaviside, max, min and relu written as cases, folded and simplified case by case."""
    difference = fn.rewrite_elementary(difference)
    if not difference.has(sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min):
        return difference
    folded = sp.piecewise_fold(difference.rewrite(sp.Piecewise))
    if sp.count_ops(folded) > 4 * OPS_LIMIT:
        return folded
    return sp.simplify(folded)


def expansion_terms(expr: sp.Basic, limit: int = EXPANSION_TERMS_LIMIT) -> int:
    """How many terms `expand` would make of expr, estimated from above (limit + 1 once it is past limit)."""
    over = limit + 1
    if isinstance(expr, sp.Add):
        return min(over, sum(expansion_terms(a, limit) for a in expr.args))
    if isinstance(expr, sp.Mul):
        product = 1
        for a in expr.args:
            product = min(over, product * expansion_terms(a, limit))
        return product
    if isinstance(expr, sp.Pow):
        base = expansion_terms(expr.base, limit)
        if expr.exp.is_Integer and base > 1:
            n = abs(int(expr.exp))
            if n > limit:
                return over
            return min(over, math.comb(base + n - 1, n))   # monomials of degree n in `base` terms
        return base if base > limit else min(over, base + expansion_terms(expr.exp, limit))
    if isinstance(expr, sp.Basic) and expr.args:
        inner = max(expansion_terms(a, limit) for a in expr.args)   # expand works inside functions too
        return over if inner > limit else 1
    return 1
