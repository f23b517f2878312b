"""Random real points at which two expressions are compared: near the origin, at the scale of the
expression's own numbers, and on both sides of every kink (abs, relu, max, sign, ...).

The judge (`equivalence.py`) and the compiled code's check (`simulations/compile.py`) draw their points here.
"""
from __future__ import annotations

import random

import sympy as sp

from gradwise.derivations import functions as fn


class PointSampler:
    """Random real points for a step: near the origin first, then scaled to the expression's own
    numbers, and on both sides of every point where it changes branch (abs, relu, max, sign, ...)."""

    def __init__(self, left: sp.Basic, right: sp.Basic, symbols: list, rng: random.Random):
        self.symbols, self.rng = symbols, rng
        self.scale = number_scale(left, right)
        self.kinks = branch_points(left, symbols) + branch_points(right, symbols)

    def point(self, attempt: int) -> dict:
        point = {s: sample_value(self.rng, attempt, bool(s.is_positive)) for s in self.symbols}
        if self.kinks and attempt % 2 == 0:
            s, at = self.kinks[(attempt // 2 - 1) % len(self.kinks)]
            side = 1 if (attempt // 2) % 2 else -1
            near = at + side * sp.Rational(self.rng.randint(3, 60), 100) * max(1, abs(at) / 10)
            if not (s.is_positive and near <= 0):
                point[s] = sp.Rational(near)
        elif self.scale > 10 and attempt % 3 == 1:
            for s in self.symbols:
                v = sp.Rational(str(round(self.rng.uniform(-self.scale, self.scale), 2)))
                point[s] = abs(v) if s.is_positive else v
        return point


def number_scale(left: sp.Basic, right: sp.Basic) -> float:
    """The largest plain number written in the step (points reach that far; capped at 10^6)."""
    numbers = [abs(float(n)) for e in (left, right) if isinstance(e, sp.Basic)
               for n in e.atoms(sp.Rational, sp.Float) if n.is_finite and abs(n) < 10**6]
    return max(numbers, default=0.0)


BRANCHING = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min)
# functions that are not analytic: their identities hold where their arguments are real
NOT_ANALYTIC = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.re, sp.im, sp.arg, sp.conjugate, fn.relu)


def branch_points(expr: sp.Basic, symbols: list, limit: int = 12) -> list:
    """(symbol, value) where an argument of abs, relu, max, min, sign or Heaviside is 0 (linear
    arguments only, solved exactly), so that points are drawn on both sides of each kink."""
    found: list = []
    if not isinstance(expr, sp.Basic):
        return found
    for node in sp.preorder_traversal(expr):
        if len(found) >= limit:
            break
        if not (isinstance(node, BRANCHING) or type(node).__name__.lower() == "relu"):
            continue
        arguments = node.args if isinstance(node, (sp.Max, sp.Min)) else node.args[:1]
        if isinstance(node, (sp.Max, sp.Min)) and len(arguments) == 2:
            arguments = (arguments[0] - arguments[1],)
        for arg in arguments:
            for s in symbols:
                if not arg.has(s) or len(arg.free_symbols) != 1:
                    continue
                try:
                    poly = sp.Poly(arg, s)
                except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError, ValueError):
                    continue
                if poly.degree() == 1:
                    a, b = poly.all_coeffs()
                    root = -b / a
                    if root.is_Rational and abs(root) < 10**6:
                        found.append((s, root))
    return found


def sample_value(rng: random.Random, attempt: int, positive: bool = False) -> sp.Rational:
    """A real value with two decimals, away from integers (where kinks and poles like to sit)."""
    span = 3 if attempt < 20 else 10
    while True:
        v = round(rng.uniform(-span, span), 2)
        if abs(v - round(v)) > 0.04:
            return sp.Rational(str(abs(v) if positive else v))
