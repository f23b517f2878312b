"""LaTeX for SymPy objects, the way gradwise writes it: ln, H(x), σ(x), d/dx with the variable in roman d."""
from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter

from gradwise.printing.ordering import ConventionalOrder


class GradwiseLatexPrinter(ConventionalOrder, LatexPrinter):
    """SymPy's LaTeX printer with the notations of deep learning."""

    def _print_Heaviside(self, expr, exp=None):
        s = rf"H\left({self._print(expr.args[0])}\right)"
        return s if exp is None else rf"{s}^{{{exp}}}"

    def _print_Derivative(self, expr):
        variables = expr.variable_count
        # ∂ when something else than the variable appears: the others are held constant
        partial = bool(expr.expr.free_symbols - {v for v, _ in variables}) or len(variables) > 1
        d = r"\partial" if partial else r"\mathrm{d}"
        n = sum(c for _, c in variables)
        top = d + (f"^{{{n}}}" if n > 1 else "")
        bottom = " ".join(f"{d} {self._print(v)}" + (f"^{{{c}}}" if c > 1 else "") for v, c in variables)
        body = self._print(expr.expr)
        if not isinstance(expr.expr, sp.Function):
            # d/dx (x^2) sin x would be ambiguous without the brackets
            body = rf"\left({body}\right)"
        return rf"\frac{{{top}}}{{{bottom}}} {body}"

    def _print_Max(self, expr, exp=None):
        s = r"\max\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"
        return s if exp is None else rf"{s}^{{{exp}}}"

    def _print_Min(self, expr, exp=None):
        s = r"\min\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"
        return s if exp is None else rf"{s}^{{{exp}}}"


_SETTINGS = {"ln_notation": True}


class _LiteralLatexPrinter(GradwiseLatexPrinter):
    literal = True
    literal_separator = " "

    def literal_fraction(self, numerator, denominator) -> str:
        return rf"\frac{{{self._print(numerator)}}}{{{self._print(denominator)}}}"


def latex(expr, literal: bool = False) -> str:
    """LaTeX math (no surrounding $) for a SymPy object; `literal` keeps the order of construction."""
    printer = _LiteralLatexPrinter(_SETTINGS) if literal else GradwiseLatexPrinter(_SETTINGS)
    return printer.doprint(expr)
