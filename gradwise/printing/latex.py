"""LaTeX for SymPy objects, the way gradwise writes it: ln, H(x), σ(x), d/dx with the variable in roman d."""
from __future__ import annotations

import re

import sympy as sp
from sympy.printing.latex import LatexPrinter

from gradwise.printing.numbers import float_written
from gradwise.printing.ordering import ConventionalOrder


class GradwiseLatexPrinter(ConventionalOrder, LatexPrinter):
    """SymPy's LaTeX printer with the notations of deep learning."""

    def _print_Heaviside(self, expr, exp=None):
        # \operatorname{H}, not H: LaTeX input reads H(x) as a function H; the value at 0 unless it is ½
        args = expr.args[:1] if len(expr.args) == 1 or expr.args[1] == sp.S.Half else expr.args
        s = rf"\operatorname{{H}}\left({', '.join(self._print(a) for a in args)}\right)"
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

    def _print_Float(self, expr):
        return float_written(expr).latex  # 9.54 \times 10^{-7}, as the text and Typst printers write it

    def _print_Pow(self, expr, *args, **kwargs):
        if expr.base.is_Float and float_written(expr.base).scientific:  # (2.5 \times 10^{-5})^{2}
            return rf"\left({self._print(expr.base)}\right)^{{{self._print(expr.exp)}}}"
        return super()._print_Pow(expr, *args, **kwargs)

    def _print_Max(self, expr, exp=None):
        s = r"\max\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"
        return s if exp is None else rf"{s}^{{{exp}}}"

    def _print_Min(self, expr, exp=None):
        s = r"\min\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"
        return s if exp is None else rf"{s}^{{{exp}}}"


_SETTINGS = {"ln_notation": True, "inv_trig_style": "full"}  # \arccos, as Unicode text and Typst write it


class _LiteralLatexPrinter(GradwiseLatexPrinter):
    literal = True
    literal_separator = " "

    def literal_fraction(self, numerator, denominator) -> str:
        return rf"\frac{{{self._print(numerator)}}}{{{self._print(denominator)}}}"


def latex(expr, literal: bool = False) -> str:
    """LaTeX math (no surrounding $) for a SymPy object; `literal` keeps the order of construction."""
    printer = _LiteralLatexPrinter(_SETTINGS) if literal else GradwiseLatexPrinter(_SETTINGS)
    return tidy(printer.doprint(expr))


_TALL = re.compile(r"\\(frac|dfrac|begin|sum|prod|int|sqrt|left\[|left\\\{|binom|over|substack)")
_FUNCTION_BRACES = re.compile(r"((?:\\[A-Za-z]+|\\operatorname\{[^{}]*\})(?:\^\{[^{}]*\})?)\{\\left\(")  # \sin^{2}{\left(


def tidy(tex: str) -> str:
    """SymPy's LaTeX as a person writes it: `\\sin(x)` for `\\sin{\\left(x \\right)}`, plain brackets
    around anything that is not tall (a fraction, a root, a matrix keeps its growing brackets)."""
    # 1. a function's argument: \sin{\left(...\right)} -> \sin\left(...\right)
    while True:
        m = _FUNCTION_BRACES.search(tex)
        if not m:
            break
        start = m.end() - len("\\left(")
        end = _matching_right(tex, start)
        if end is None or not tex.startswith("\\right)}", end):
            break
        tex = tex[:m.end(1)] + tex[start:end + len("\\right)")] + tex[end + len("\\right)}"):]
    # 2. \left( ... \right) around short content -> ( ... )
    out, i = [], 0
    while True:
        j = tex.find("\\left(", i)
        if j < 0:
            out.append(tex[i:])
            break
        end = _matching_right(tex, j)
        if end is None:
            out.append(tex[i:])
            break
        inner = tex[j + len("\\left("):end]
        inner = tidy(inner).rstrip()
        out.append(tex[i:j])
        out.append(f"\\left({inner}\\right)" if _TALL.search(inner) else f"({inner})")
        i = end + len("\\right)")
    return "".join(out)


def _matching_right(tex: str, start: int) -> int | None:
    """The index of the `\\right)` (or other \\right delimiter) that closes the `\\left(` at `start`."""
    depth, i = 0, start
    while i < len(tex):
        if tex.startswith("\\left", i):
            depth += 1
            i += 5
        elif tex.startswith("\\right", i):
            depth -= 1
            if depth == 0:
                return i if tex.startswith("\\right)", i) else None
            i += 6
        else:
            i += 1
    return None
