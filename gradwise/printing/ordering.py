"""The order in which a person writes the factors of a product: 6x·e^(3x²), σ(x)·(1 − σ(x)), x·(x + 1).

Coefficients first, then variables and their powers, then functions, then bracketed sums; SymPy's own
order within each group. A rule's intermediate line (built with `evaluate=False`, holding unevaluated
d/dx placeholders) can be printed as written instead: `literal` printers keep the order of every part
that contains a Derivative.
"""
from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import PRECEDENCE


def factor_rank(f: sp.Expr) -> float:
    """Coefficient 0, variables 1, plain sums like (x + 3) 1.5, functions 2, sums of functions 3."""
    base = f.base if isinstance(f, sp.Pow) else f
    if f.is_Number or f.is_NumberSymbol:
        return 0
    if base.is_Symbol:
        return 1
    if isinstance(base, sp.Add):
        return 3 if base.atoms(sp.Function) else 1.5
    return 2


def leading_positive(terms: list) -> list:
    """Terms of a sum with a positive one first where there is one: σ(z) − y rather than −y + σ(z)."""
    if terms and terms[0].could_extract_minus_sign():
        for i, t in enumerate(terms):
            if not t.could_extract_minus_sign():
                return [t] + terms[:i] + terms[i + 1:]
    return terms


def ordered_terms(expr: sp.Expr) -> list:
    """The terms of a sum in the order every printer writes them: SymPy's, a positive term first."""
    return leading_positive(list(expr.as_ordered_terms()))


def ordered_factors(expr: sp.Expr) -> list:
    """The factors of a product in the order every printer writes them (`factor_rank`, then SymPy's)."""
    return sorted(expr.as_ordered_factors(), key=factor_rank)


def flipped_difference(expr: sp.Expr) -> sp.Expr | None:
    """−x·(y − σ) as the product x·(σ − y) with the minus sign taken into the one sum, else None.

    Only for a product standing alone: a term of a sum prints its own minus sign (a − x·(y − σ)).
    """
    if not isinstance(expr, sp.Mul):
        return None
    coefficient, rest = expr.as_coeff_Mul()
    sums = [f for f in sp.Mul.make_args(rest) if isinstance(f, sp.Add)]
    if coefficient != -1 or len(sums) != 1:
        return None
    others = [f for f in sp.Mul.make_args(rest) if f is not sums[0]]
    return sp.Mul(*others, -sums[0])


class ConventionalOrder:
    """Printer mixin: products in conventional order; `literal=True` keeps the order of construction."""

    literal = False
    literal_separator = "*"

    def _keeps_order(self, expr) -> bool:
        # only the unevaluated parts of a rule's line (the ones holding d/dx placeholders) stay as built
        return self.literal and expr.has(sp.Derivative)

    def _print_Mul(self, expr, **kwargs):
        if self._keeps_order(expr):
            # d/dx placeholders keep their places; the other factors take the conventional order
            args = list(expr.args)
            slots = [i for i, a in enumerate(args) if not a.has(sp.Derivative)]
            for i, a in zip(slots, sorted((args[i] for i in slots), key=factor_rank)):
                args[i] = a
            if args[0] == -1 and len(args) > 1:
                return "-" + self._print(sp.Mul(*args[1:], evaluate=False))
            denominators = [a for a in args if isinstance(a, sp.Pow) and a.exp.is_negative]
            numerators = [a for a in args if a not in denominators]
            if denominators and any(isinstance(a, sp.Add) for a in numerators):  # the quotient rule's line
                return self.literal_fraction(sp.Mul(*numerators, evaluate=False),
                                             sp.Mul(*[1 / d for d in denominators]))
            # factor by factor, no fraction pulled out: 1/(x² + 1)·d/dx[x² + 1]
            return self.literal_separator.join(
                self._print(a) if isinstance(a, sp.Derivative) else self.parenthesize(a, PRECEDENCE["Mul"])
                for a in args)
        in_sum = id(expr) in getattr(self, "_sum_terms", ())  # a sum prints its own minus signs
        flipped = None if in_sum else flipped_difference(expr)
        if flipped is not None:  # -x·(y - σ) reads better as x·(σ - y)
            return self._print(flipped)
        coefficient = expr.as_coeff_Mul()[0]
        if coefficient.is_negative:
            return "-" + self._print(-expr)
        if sp.fraction(expr)[1] != 1:  # a fraction: SymPy's printer lays it out
            return super()._print_Mul(expr, **kwargs)
        ordered = sp.Mul(*ordered_factors(expr), evaluate=False)
        saved = self._settings["order"]
        self._settings["order"] = "none"
        try:
            return super()._print_Mul(ordered, **kwargs)
        finally:
            self._settings["order"] = saved

    def literal_fraction(self, numerator, denominator) -> str:
        return f"({self._print(numerator)})/{self.parenthesize(denominator, PRECEDENCE['Mul'], strict=True)}"

    def _print_Add(self, expr, order=None):
        if self._keeps_order(expr):
            return super()._print_Add(expr, order="none")
        saved = self._settings["order"]
        self._settings["order"] = None if saved == "none" else saved
        previous_terms = getattr(self, "_sum_terms", ())
        self._sum_terms = {id(t) for t in expr.args}
        try:
            terms = ordered_terms(expr)
            if terms[0] is expr.as_ordered_terms()[0]:
                return super()._print_Add(expr, order=None)
            self._settings["order"] = "none"
            # type(expr): a MatAdd rebuilt as an Add would be put back in SymPy's order
            return super()._print_Add(type(expr)(*terms, evaluate=False), order="none")
        finally:
            self._settings["order"] = saved
            self._sum_terms = previous_terms
