"""Refusing, by name, an expression that is not a real function of the variable it is differentiated in.

gradwise differentiates real functions of real variables. Two kinds of input are not that, and their
rules would be wrong or unprovable: a negative base raised to a power that varies with x ((-1)^x is
e^(iπx), real only at whole numbers), and a function defined on the reals only (abs, sign, relu, max,
min, Heaviside) applied to an argument that a complex constant makes non-real for every real x
(|e^(iπx) - 3|: d|u| = sgn(u)·u' holds for real u only). Both are refused before any step is derived.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.equivalence import non_real_constant, value_at
from gradwise.derivations.tolerances import REAL_AT_30_DIGITS
from gradwise.errors import GradwiseError

#: Functions whose derivative rule holds for real arguments only.
REAL_ARGUMENT_ONLY = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, fn.relu)
# Where a suspicious argument is evaluated: non-integer values (the isolated points where e^(iπx) is real are
# integers), near 0 and farther out; other symbols take the values in OTHERS.
PROBES = tuple(sp.Rational(v) for v in ("0.37", "-1.41", "2.23", "-2.71", "0.93", "5.13", "-7.37", "1.73"))
OTHERS = tuple(sp.Rational(v) for v in ("0.61", "-1.29", "1.87", "-0.43"))


def refuse_non_real(expr: sp.Expr, var: sp.Symbol) -> None:
    """Raise a one-line GradwiseError when expr is not a real function of var (see the module docstring)."""
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow) and node.exp.has(var) and node.base.is_negative:
            raise GradwiseError(_negative_base_words(node, var))
    for node in sp.preorder_traversal(expr):
        if isinstance(node, REAL_ARGUMENT_ONLY) and node.has(var):
            for arg in _real_arguments(node):
                constant = non_real_constant(arg) if arg.has(var) else None
                if constant is not None and _nowhere_real(arg, var):
                    raise GradwiseError(
                        f"{_name(node)} is applied to {arg}, which is not real for any real {var} (it holds the "
                        f"complex number {constant}): {_name(node)} is defined for real arguments only, and gradwise "
                        "differentiates real functions")


def _negative_base_words(power: sp.Pow, var: sp.Symbol) -> str:
    base, exponent = power.base, power.exp
    real_part = sp.Abs(base) ** exponent * sp.cos(sp.pi * exponent)
    return (f"{power} is not a real function of {var}: a negative base raised to a power that varies with {var} "
            f"is complex except at isolated points; write {real_part} (its real part, equal to it where the "
            "power is a whole number) or use a positive base")


def _real_arguments(node: sp.Basic) -> tuple:
    return node.args if isinstance(node, (sp.Max, sp.Min)) else node.args[:1]


def _nowhere_real(arg: sp.Expr, var: sp.Symbol) -> bool:
    """Whether arg is not real at any probe where it is defined (and is defined at one at least)."""
    others = sorted(arg.free_symbols - {var}, key=lambda s: s.name)
    defined = False
    for k, at in enumerate(PROBES):
        point = {var: at, **{s: OTHERS[(k + j) % len(OTHERS)] for j, s in enumerate(others)}}
        v = value_at(arg, point)
        if v is None:
            continue
        defined = True
        if abs(v.imag) <= REAL_AT_30_DIGITS * max(1.0, abs(v)):
            return False
    return defined


def _name(node: sp.Basic) -> str:
    return {sp.Abs: "abs", sp.Max: "max", sp.Min: "min"}.get(type(node), type(node).__name__.lower())
