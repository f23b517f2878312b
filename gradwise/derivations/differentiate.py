"""The derivative engine: choose the rule for an expression and build its tree of steps.

`derivative_steps(expr, x)` returns the rule tree for d/dx expr; `differentiate(...)` (in
`derivation.py`) adds the checks, the simplification steps and higher orders.
"""
from __future__ import annotations

from itertools import count

import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.real_domain import refuse_non_real
from gradwise.derivations.rules import (
    DERIVATIVES, ChainRule, ConstantMultipleRule, ConstantRule, ElementaryRule, ExponentialRule,
    LogDifferentiationRule, MultivariableChainRule, PowerRule, ProductRule, QuotientRule, Rule, SumRule,
    UnknownRule, VariableRule)

SUBSTITUTION_NAMES = ("u", "v", "w", "z", "t", "s", "p", "q")
_MULTI_ARGUMENT = (sp.Max, sp.Min, fn.logsumexp, fn.softmax)


class _Names:
    """Fresh names for chain-rule substitutions, avoiding the expression's own symbols."""

    def __init__(self, taken: set[str]):
        self.taken = set(taken)
        self.counter = count(1)

    def fresh(self) -> sp.Symbol:
        for name in SUBSTITUTION_NAMES:
            if name not in self.taken:
                self.taken.add(name)
                return sp.Symbol(name, real=True)
        while True:
            name = f"u_{next(self.counter)}"
            if name not in self.taken:
                self.taken.add(name)
                return sp.Symbol(name, real=True)


def derivative_steps(expr: sp.Expr, var: sp.Symbol) -> Rule:
    """The rule tree for d/d(var) of expr (refused by name when expr is not a real function of var)."""
    refuse_non_real(expr, var)
    names = _Names({s.name for s in expr.free_symbols} | {var.name})
    return _steps(sp.sympify(expr), var, names)  # safe: expr is already a SymPy object


def _steps(expr: sp.Expr, x: sp.Symbol, names: _Names) -> Rule:
    if not expr.has(x):
        return ConstantRule(expr, x)
    if expr == x:
        return VariableRule(expr, x)
    if isinstance(expr, sp.Add):
        return SumRule(expr, x, tuple(_steps(t, x, names) for t in _ordered_terms(expr)))
    if isinstance(expr, sp.Mul):
        return _mul_steps(expr, x, names)
    if isinstance(expr, sp.Pow):
        return _pow_steps(expr, x, names)
    if isinstance(expr, sp.Heaviside):  # H(u) or H(u, value at 0)
        if expr.args[0] == x:
            return ElementaryRule(expr, x, rule_id="heaviside")
        return _chain(expr, expr.args[0], x, names, lambda u: expr.func(u, *expr.args[1:]))
    if type(expr) in DERIVATIVES and len(expr.args) == 1:
        arg = expr.args[0]
        if arg == x:
            return ElementaryRule(expr, x, rule_id=DERIVATIVES[type(expr)][0])
        return _chain(expr, arg, x, names, lambda u: expr.func(u))
    if isinstance(expr, _MULTI_ARGUMENT):
        return _multivariable(expr, x, names)
    return UnknownRule(expr, x)


def _ordered_terms(expr: sp.Add) -> list[sp.Expr]:
    """Terms in the order SymPy prints them, so the steps read left to right like the input."""
    return list(expr.as_ordered_terms())


def _mul_steps(expr: sp.Mul, x: sp.Symbol, names: _Names) -> Rule:
    constant, rest = expr.as_independent(x, as_Add=False)
    if constant != 1:
        return ConstantMultipleRule(expr, x, constant=constant, other=rest, step=_steps(rest, x, names))
    factors = list(sp.Mul.make_args(rest))
    numerator = [f for f in factors if not _is_reciprocal(f)]
    denominator = [1 / f for f in factors if _is_reciprocal(f)]
    if numerator and denominator:
        f, g = sp.Mul(*numerator), sp.Mul(*denominator)
        return QuotientRule(expr, x, numerator=f, denominator=g,
                            numerator_step=_steps(f, x, names), denominator_step=_steps(g, x, names))
    return ProductRule(expr, x, factors=tuple(factors), steps=tuple(_steps(f, x, names) for f in factors))


def _is_reciprocal(factor: sp.Expr) -> bool:
    return isinstance(factor, sp.Pow) and factor.exp.is_number and factor.exp.is_negative


def _pow_steps(expr: sp.Pow, x: sp.Symbol, names: _Names) -> Rule:
    base, exponent = expr.base, expr.exp
    if not exponent.has(x):
        if base == x:
            return PowerRule(expr, x, exponent=exponent)
        return _chain(expr, base, x, names, lambda u: u ** exponent)
    if not base.has(x):
        if exponent == x:
            return ExponentialRule(expr, x, base=base)
        return _chain(expr, exponent, x, names, lambda u: base ** u)
    log_form = exponent * sp.log(base)
    return LogDifferentiationRule(expr, x, base=base, exponent=exponent, step=_steps(log_form, x, names))


def _chain(expr: sp.Expr, inner: sp.Expr, x: sp.Symbol, names: _Names, outer) -> Rule:
    u = names.fresh()
    outer_expr = outer(u)
    outer_step = _steps(outer_expr, u, names)
    return ChainRule(expr, x, u=u, inner=inner, outer_step=outer_step, inner_step=_steps(inner, x, names))


def _multivariable(expr: sp.Expr, x: sp.Symbol, names: _Names) -> Rule:
    offset = 1 if isinstance(expr, fn.softmax) else 0   # softmax's first argument is the component
    partials, steps = [], []
    for i, arg in enumerate(expr.args[offset:], start=offset + 1):
        if not arg.has(x):
            continue
        partials.append(expr.fdiff(i))
        steps.append(_steps(arg, x, names))
    return MultivariableChainRule(expr, x, partials=tuple(partials), steps=tuple(steps))
