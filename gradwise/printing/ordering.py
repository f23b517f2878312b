"""The order in which a person writes the factors of a product: 6x·e^(3x²), σ(x)·(1 − σ(x)), x·(x + 1).

Coefficients first, then variables and their powers, then functions, then bracketed sums; SymPy's own
order within each group. A rule's intermediate line (built with `evaluate=False`, holding unevaluated
d/dx placeholders) can be printed as written instead: `literal` printers keep the order of every part
that contains a Derivative.
"""
from __future__ import annotations

import sympy as sp


def factor_rank(f: sp.Expr) -> int:
    base = f.base if isinstance(f, sp.Pow) else f
    if f.is_Number or f.is_NumberSymbol:
        return 0
    if base.is_Symbol:
        return 1
    if isinstance(base, sp.Add):
        return 3
    return 2


class ConventionalOrder:
    """Printer mixin: products in conventional order; `literal=True` keeps the order of construction."""

    literal = False

    def _keeps_order(self, expr) -> bool:
        # only the unevaluated parts of a rule's line (the ones holding d/dx placeholders) stay as built
        return self.literal and expr.has(sp.Derivative)

    def _print_Mul(self, expr, **kwargs):
        if self._keeps_order(expr):
            saved = self._settings["order"]
            self._settings["order"] = "none"
            try:
                return super()._print_Mul(expr, **kwargs)
            finally:
                self._settings["order"] = saved
        coefficient, _ = expr.as_coeff_Mul()
        if coefficient.is_negative:
            return "-" + self._print(-expr)
        if sp.fraction(expr)[1] != 1:  # a fraction: SymPy's printer lays it out
            return super()._print_Mul(expr, **kwargs)
        ordered = sp.Mul(*sorted(expr.as_ordered_factors(), key=factor_rank), evaluate=False)
        saved = self._settings["order"]
        self._settings["order"] = "none"
        try:
            return super()._print_Mul(ordered, **kwargs)
        finally:
            self._settings["order"] = saved

    def _print_Add(self, expr, order=None):
        if self._keeps_order(expr):
            return super()._print_Add(expr, order="none")
        saved = self._settings["order"]
        self._settings["order"] = None if saved == "none" else saved
        try:
            return super()._print_Add(expr, order=None)
        finally:
            self._settings["order"] = saved
