"""Proving `left = right` with abs, sign, Heaviside, relu, max or min in it case by case: on every open
interval between the points where an argument changes sign, and at each such point, where a side may
be undefined (x/|x| at 0; d/dx|x| at 0, whose one-sided values differ).

This is what "equal wherever both sides are defined" means for a hand-written step such as
d/dx|x| = x/|x|; SymPy's own d/dx|x| = sign(x) is 0 at 0 by convention, which is why a plain symbolic
proof cannot settle it. Only arguments linear in one and the same symbol are handled (|x - 20|,
relu(2x + 1), max(x, 3 - x)); anything else gets no verdict here.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.symbolic_proof import symbolically_zero

CASEWISE = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min)
MAX_KINKS = 6


@dataclass(frozen=True)
class CaseProof:
    """equal: True (equal wherever both sides are defined), False (they differ at `counterexample`, a point
    where both are defined), None (no verdict by cases); `words` say how."""

    equal: bool | None
    words: str = ""
    counterexample: dict | None = None
    left_value: complex | None = None
    right_value: complex | None = None


def agree_where_defined(left: sp.Basic, right: sp.Basic) -> CaseProof:
    """Judge `left = right` interval by interval and at the points between (see the module docstring)."""
    try:
        return _judge(left, right)
    except (TypeError, ValueError, NotImplementedError, AttributeError, ZeroDivisionError, RecursionError,
            sp.PolynomialError):
        return CaseProof(None)


def _judge(left: sp.Basic, right: sp.Basic) -> CaseProof:
    if not all(isinstance(e, sp.Expr) for e in (left, right)):
        return CaseProof(None)
    sides = [_written_out(e) for e in (left, right)]
    if any(e.has(sp.DiracDelta, sp.Derivative, sp.Piecewise) for e in sides):
        return CaseProof(None)
    found = _kinks(sides + [_written_out(d.expr) for e in (left, right) for d in e.atoms(sp.Derivative)])
    if found is None:
        return CaseProof(None)
    var, roots = found
    probes = [roots[0] - 1] + [(a + b) / 2 for a, b in zip(roots, roots[1:])] + [roots[-1] + 1]
    cases = [[_on_interval(e, at, var) for e in sides] for at in probes]
    for a, b in cases:
        if not symbolically_zero(sp.expand(a - b)).proved:
            return CaseProof(None)
    notes = []
    for k, r in enumerate(roots):
        values, why = [], []
        for i, (original, side) in enumerate(zip((left, right), sides)):
            here = side.subs(var, r)
            one_sided = [cases[k][i].subs(var, r), cases[k + 1][i].subs(var, r)]
            name = ("left", "right")[i]
            if here.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
                values.append(None)
                why.append(f"the {name} side is a division by 0")
            elif _differentiates_a_kink(original, var, r) and not symbolically_zero(one_sided[0] - one_sided[1]).proved:
                values.append(None)
                why.append(f"the {name} side is a derivative that does not exist (its one-sided values are "
                           f"{one_sided[0]} and {one_sided[1]})")
            else:
                values.append(here)
        if None not in values and not symbolically_zero(sp.expand(values[0] - values[1])).proved:
            point = {var.name: float(r)}
            left_value, right_value = (_complex(v) for v in values)
            return CaseProof(False, f"the sides differ at {var} = {r}, where a function changes branch",
                             point, left_value, right_value)
        if None in values:
            notes.append(f"at {var} = {r} " + " and ".join(why))
        else:
            notes.append(f"at {var} = {r} both are {values[0]}")
    intervals = _interval_words(var, roots)
    return CaseProof(True, f"equal wherever both sides are defined: case by case on {intervals}; " + "; ".join(notes))


def _written_out(expr: sp.Expr) -> sp.Expr:
    expr = expr.doit() if expr.has(sp.Derivative, sp.Subs) else expr
    return fn.rewrite_elementary(expr)


def _arguments(expr: sp.Basic) -> list:
    out = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, (sp.Max, sp.Min)):
            if len(node.args) != 2:
                raise ValueError("max or min of more than two")
            out.append(node.args[0] - node.args[1])
        elif isinstance(node, CASEWISE):
            out.append(node.args[0])
    return out


def _kinks(exprs: list) -> tuple[sp.Symbol, list] | None:
    """The one symbol every case argument is linear in, and the sorted points where they are 0."""
    arguments = [a for e in exprs for a in _arguments(e)]
    if not arguments:
        return None
    symbols = {s for a in arguments for s in a.free_symbols}
    if len(symbols) != 1:
        return None
    var, = symbols
    roots = set()
    for a in arguments:
        poly = sp.Poly(a, var)
        if poly.degree() != 1:
            return None
        slope, intercept = poly.all_coeffs()
        root = -intercept / slope
        if not root.is_Rational:
            return None
        roots.add(root)
    if len(roots) > MAX_KINKS:
        return None
    return var, sorted(roots)


def _on_interval(expr: sp.Expr, at: sp.Rational, var: sp.Symbol) -> sp.Expr:
    """expr with every case function replaced by its branch on the interval that holds `at`."""
    def positive(u):
        value = u.subs(var, at)
        if not value.is_Rational or value == 0:
            raise ValueError("not decided on the interval")
        return value > 0

    def branch(node):
        if isinstance(node, sp.Abs):
            return node.args[0] if positive(node.args[0]) else -node.args[0]
        if isinstance(node, sp.sign):
            return sp.S.One if positive(node.args[0]) else sp.S.NegativeOne
        if isinstance(node, sp.Heaviside):
            return sp.S.One if positive(node.args[0]) else sp.S.Zero
        a, b = node.args
        bigger = positive(a - b)
        return (a if bigger else b) if isinstance(node, sp.Max) else (b if bigger else a)
    return expr.replace(lambda e: isinstance(e, CASEWISE), branch)


def _differentiates_a_kink(expr: sp.Basic, var: sp.Symbol, root: sp.Rational) -> bool:
    """Whether expr takes a derivative of something that changes branch at var = root."""
    for d in expr.atoms(sp.Derivative):
        found = _kinks([_written_out(d.expr)])
        if found is not None and found[0] == var and root in found[1]:
            return True
    return False


def _interval_words(var: sp.Symbol, roots: list) -> str:
    parts = [f"{var} < {roots[0]}"] + [f"{a} < {var} < {b}" for a, b in zip(roots, roots[1:])] + [f"{var} > {roots[-1]}"]
    return ", ".join(parts)


def _complex(v: sp.Expr) -> complex | None:
    try:
        return complex(sp.N(v))
    except (TypeError, ValueError):
        return None
