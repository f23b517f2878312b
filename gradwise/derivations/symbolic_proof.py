"""Proving that a difference is 0 symbolically, within budgets of size rather than of time.

The work SymPy does grows with what it is given, so the budgets are sizes: `count_ops` of the difference
(`simplify` only below OPS_LIMIT) and the number of terms an expansion would make (`expand` only below
EXPANSION_TERMS_LIMIT). No clock is read here: the same step gets the same answer however busy the
machine is. The only wall-clock limits are the callers' last guards (a command's `--timeout`, a checked
step's time limit), which say so when they fire.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from gradwise.derivations import functions as fn

OPS_LIMIT = 80                  # differences larger than this are not given to `simplify`
EXPANSION_TERMS_LIMIT = 4000    # nor to `expand` when its result would have more terms than this
TRIG_LIMIT = 6                  # nor to `simplify` when trigsimp would search through more trig than this
_TRIG = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.sinh, sp.cosh, sp.tanh, sp.coth)
_ERRORS = (TypeError, ValueError, NotImplementedError, RecursionError, ZeroDivisionError, AttributeError)


@dataclass(frozen=True)
class Proof:
    """Whether the rewrites took the difference to 0; `note` says why none was tried, if so."""

    proved: bool
    note: str = ""


def symbolically_zero(difference: sp.Basic, *, thorough: bool = False) -> Proof:
    """Whether a fixed sequence of rewrites, each within its size budget, takes `difference` to 0.

    `thorough` adds rewrites for exact hand-written steps (abs, sign and Heaviside as cases; everything
    in exponentials), tried only after the cheap ones."""
    if difference == 0:
        return Proof(True)
    if not isinstance(difference, sp.Expr):
        return Proof(False)
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
    if sp.count_ops(difference) <= OPS_LIMIT and trig_work(difference) <= TRIG_LIMIT:
        steps.append(sp.simplify)
        if thorough:
            steps += [_cases, lambda d: sp.simplify(fn.rewrite_elementary(d).rewrite(sp.exp))]
    return steps


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
