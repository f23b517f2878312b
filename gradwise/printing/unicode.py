"""One-line Unicode math for the terminal: x²·sin(x), e^(3x²), d/dx[...], σ(x), ∂f/∂w."""
from __future__ import annotations

import re

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from gradwise.derivations.function_registry import display_name
from gradwise.printing.numbers import float_written
from gradwise.printing.ordering import ConventionalOrder

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ", "eta": "η",
          "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
          "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω"}


class UnicodePrinter(ConventionalOrder, StrPrinter):
    """SymPy's str printer with superscripts, named functions and derivative notation."""

    def _print_Symbol(self, expr):
        name = expr.name
        base, _, sub = name.partition("_")
        return _GREEK.get(base, base) + (f"_{sub}" if sub else "")

    _print_Dummy = _print_Symbol

    def _print_Exp1(self, expr):
        return "e"

    def _print_Pi(self, expr):
        return "π"

    def _print_ImaginaryUnit(self, expr):
        return "i"

    def _print_Pow(self, expr, rational=False):
        base, exp = expr.base, expr.exp
        if exp is sp.S.Half:
            inner = self._print(base)
            return f"√{inner}" if base.is_Atom else f"√({inner})"
        if exp.is_Rational and exp.is_negative:
            return f"1/{self._print_Pow(sp.Pow(base, -exp, evaluate=False))}" if exp != -1 \
                else f"1/{self.parenthesize(base, PRECEDENCE['Mul'], strict=True)}"
        # (x³)^(1/3), (x³)ʸ: a power of a power is bracketed, else x³^(1/3) reads back as x^(3^(1/3))
        b = f"({self._print(base)})" if base.is_Pow or (base.is_Float and float_written(base).scientific) \
            else self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
        if exp.is_Integer:
            return b + str(exp).translate(_SUPERSCRIPT)
        if exp.is_Symbol and len(exp.name) == 1 and exp.name in "nxyi":
            return b + {"n": "ⁿ", "x": "ˣ", "y": "ʸ", "i": "ⁱ"}[exp.name]
        e = self._print(exp)
        return f"{b}^{e}" if re.fullmatch(r"[\w.]+", e) else f"{b}^({e})"

    def _print_exp(self, expr):
        return self._print_Pow(sp.Pow(sp.E, expr.args[0], evaluate=False))

    def _print_Function(self, expr):
        name = type(expr).__name__
        name = display_name(name)
        return f"{name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Heaviside(self, expr):
        # not H(x): plain input reads that as H·x; the value at 0 is shown unless it is SymPy's ½
        return f"Heaviside({', '.join(self._print(a) for a in _heaviside_args(expr))})"

    def _print_Abs(self, expr):
        return f"|{self._print(expr.args[0])}|"

    def _print_Max(self, expr):
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Min(self, expr):
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_softmax(self, expr):
        return f"softmax({', '.join(self._print(a) for a in expr.inputs)})_{expr.component}"

    def _print_Derivative(self, expr):
        variables = expr.variable_count
        # ∂ when something else than the variable appears: the others are held constant
        partial = bool(expr.expr.free_symbols - {v for v, _ in variables}) or len(variables) > 1
        d = "∂" if partial else "d"
        n = sum(c for _, c in variables)
        top = d + (str(n).translate(_SUPERSCRIPT) if n > 1 else "")
        bottom = "".join(f"{d}{self._print(v)}" + (str(c).translate(_SUPERSCRIPT) if c > 1 else "")
                         for v, c in variables)
        return f"{top}/{bottom}[{self._print(expr.expr)}]"

    def _print_Subs(self, expr):
        body, (var,), (point,) = expr.args[0], expr.args[1], expr.args[2]
        return f"{self._print(body)}|_{self._print(var)}={self._print(point)}"

    def _print_Equality(self, expr):
        return f"{self._print(expr.lhs)} = {self._print(expr.rhs)}"

    def _print_MatrixBase(self, expr):
        if expr.cols == 1:
            return "(" + ", ".join(self._print(a) for a in expr) + ")ᵀ"
        return "[" + "; ".join(", ".join(self._print(a) for a in expr.row(i)) for i in range(expr.rows)) + "]"

    _print_ImmutableDenseMatrix = _print_MutableDenseMatrix = _print_MatrixBase

    def _print_Float(self, expr):
        return float_written(expr).text  # 9.54 × 10⁻⁷, not 9.54e-7; 0.5, not 0.500000000000000

    def _print_Rational(self, expr):
        return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)


class _LiteralUnicodePrinter(UnicodePrinter):
    literal = True


def unicode(expr, literal: bool = False) -> str:
    """Expr as one line of Unicode math: x²·sin(x), with '·' for products and 2x for coefficients.

    `literal=True` prints sums and products in the order they were built (for unevaluated lines).
    """
    printer = _LiteralUnicodePrinter() if literal else UnicodePrinter()
    text = printer.doprint(expr)
    text = text.replace("*", "·")
    # a number times a letter or bracket reads better joined: 2·x -> 2x, 3·(x + 1) -> 3(x + 1)
    return re.sub(r"(?<![\w.^/√])(\d+)·(?=[A-Za-zα-ωπ√(])(?!d/|d²/|∂)", r"\1", text)


def _heaviside_args(expr) -> tuple:
    """H(u), or H(u, value at 0) when that value is not the default ½."""
    return expr.args[:1] if len(expr.args) == 1 or expr.args[1] == sp.S.Half else expr.args
