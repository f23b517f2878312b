"""Typst math for SymPy objects, the way gradwise writes it: ln, H(x), σ(x), d/dx with an upright d.

SymPy has no Typst printer, so this is one of the project's own: a `Printer` subclass with one
`_print_<Node>` per kind of node. The output goes between `$ ... $` in a Typst document. Everything
that could be read as Typst code (multi-letter names, unknown objects) is written as a quoted string,
so no expression can inject markup or code into the document.

The small hand-written LaTeX rule statements (`Notation`) are translated by `typst_notation`.
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.printer import Printer

from gradwise.printing.numbers import float_written
from gradwise.printing.ordering import flipped_difference, ordered_factors, ordered_terms
from gradwise.printing.typst_notation import FUNCTION_NAMES, GREEK, NotationError, _name, notation_typst, quote


class TypstPrinter(Printer):
    """SymPy objects as Typst math (the text between `$ ... $`)."""

    printmethod = "_typst"
    _default_settings = {"order": None, "literal": False}

    # --------------------------------------------------------------------------------------------
    # helpers

    def _print(self, expr, **kwargs) -> str:
        # objects of other modules that are not SymPy (their class names may clash with SymPy's, such
        # as a matrix-calculus `Mul`) print through the LaTeX they know
        if not isinstance(expr, (sp.Basic, sp.MatrixBase, int, float, str, tuple, list, bool)) \
                and hasattr(expr, "_latex"):
            return self._via_latex(expr)
        return super()._print(expr, **kwargs)

    def parenthesize(self, item, level: int, strict: bool = False) -> str:
        p = precedence(item)
        if p < level or (strict and p <= level):
            return f"({self._print(item)})"
        return self._print(item)

    def _keeps_order(self, expr) -> bool:
        return bool(self._settings["literal"]) and expr.has(sp.Derivative)

    def _via_latex(self, expr) -> str:
        """An object of another module that knows only its LaTeX: that LaTeX translated, else its text."""
        from gradwise.printing.latex import latex
        try:
            return notation_typst(latex(expr))
        except (NotationError, Exception):
            return quote(str(expr))

    def emptyPrinter(self, expr) -> str:
        if hasattr(expr, "_latex"):
            return self._via_latex(expr)
        if isinstance(expr, sp.Basic) and expr.args:
            args = ", ".join(self._print(a) for a in expr.args)
            return f"{_name(type(expr).__name__)}({args})"
        return quote(str(expr))

    def _print_str(self, expr: str) -> str:
        return quote(expr)

    def _print_bool(self, expr) -> str:
        return quote(str(expr).lower())

    _print_BooleanTrue = _print_BooleanFalse = lambda self, e: quote(str(e).lower())

    def _print_tuple(self, expr) -> str:
        return "(" + ", ".join(self._print(a) for a in expr) + ")"

    _print_Tuple = _print_list = _print_tuple

    # --------------------------------------------------------------------------------------------
    # atoms

    def _print_Symbol(self, expr) -> str:
        if type(expr) not in (sp.Symbol, sp.Dummy) and hasattr(expr, "_latex"):  # e.g. a label "A − λI"
            return self._via_latex(expr)
        return symbol_typst(expr.name)

    _print_Dummy = _print_Symbol

    def _print_MatrixSymbol(self, expr) -> str:
        return symbol_typst(expr.name)

    def _print_Integer(self, expr) -> str:
        return str(expr.p)

    def _print_int(self, expr) -> str:
        return str(expr)

    def _print_Rational(self, expr) -> str:
        if expr.q == 1:
            return str(expr.p)
        sign = "-" if expr.p < 0 else ""
        return f"{sign}frac({abs(expr.p)}, {expr.q})"

    def _print_Float(self, expr) -> str:
        return float_written(expr).typst

    def _print_float(self, expr) -> str:
        return self._print_Float(sp.Float(expr))

    def _print_Exp1(self, expr) -> str:
        return "e"

    def _print_Pi(self, expr) -> str:
        return "pi"

    def _print_ImaginaryUnit(self, expr) -> str:
        return "i"

    def _print_Infinity(self, expr) -> str:
        return "infinity"

    def _print_NegativeInfinity(self, expr) -> str:
        return "-infinity"

    def _print_ComplexInfinity(self, expr) -> str:
        return "tilde(infinity)"

    def _print_NaN(self, expr) -> str:
        return quote("NaN")

    def _print_EulerGamma(self, expr) -> str:
        return "gamma"

    def _print_GoldenRatio(self, expr) -> str:
        return "phi"

    # --------------------------------------------------------------------------------------------
    # arithmetic

    def _print_Add(self, expr) -> str:
        terms = list(expr.args) if self._keeps_order(expr) else ordered_terms(expr)
        out = ""
        for i, term in enumerate(terms):
            negative = _is_negative(term)
            shown = self.parenthesize(-term if negative else term, PRECEDENCE["Add"], strict=True) \
                if isinstance(term, sp.Add) or negative else self._print(term)
            if negative and isinstance(-term, sp.Add):
                shown = f"({self._print(-term)})"
            if i == 0:
                out = ("-" if negative else "") + shown
            else:
                out += (" - " if negative else " + ") + shown
        return out

    def _print_Mul(self, expr) -> str:
        literal = self._keeps_order(expr)
        flipped = None if literal else flipped_difference(expr)
        if flipped is not None:  # -x·(y - σ) reads better as x·(σ - y); a sum prints its terms' signs
            return self._print(flipped)
        if _is_negative(expr):
            positive = -expr
            if isinstance(positive, sp.Add):
                return f"-({self._print(positive)})"
            return "-" + self._print(positive)
        if not literal:
            numer, denom = sp.fraction(expr, exact=True)
            if denom != 1:
                return f"frac({self._print(numer)}, {self._print(denom)})"
        factors = list(expr.args) if literal else ordered_factors(expr)
        out: list[str] = []
        previous = None
        for f in factors:
            if f == 1 and len(factors) > 1:
                continue
            shown = self.parenthesize(f, PRECEDENCE["Mul"])
            if isinstance(f, sp.Rational) and not f.is_Integer and out:
                shown = f"({shown})"
            if previous is not None and (f.is_Number or isinstance(previous, sp.Derivative)
                                         or (isinstance(f, sp.Derivative) and previous.is_Number is False)):
                out.append("dot")
            out.append(shown)
            previous = f
        return " ".join(out)

    def _print_Pow(self, expr) -> str:
        base, exp = expr.base, expr.exp
        if exp is sp.S.Half:
            return f"sqrt({self._print(base)})"
        if exp.is_Rational and exp.is_negative and not self._keeps_order(expr):
            inverse = base if exp == -1 else sp.Pow(base, -exp, evaluate=False)
            return f"frac(1, {self._print(inverse)})"
        if exp.is_Rational and not exp.is_Integer and exp.p == 1:
            return f"root({exp.q}, {self._print(base)})"
        if base is sp.E:
            return f"e^({self._print(exp)})"
        if isinstance(base, sp.Function) and not isinstance(base, AppliedUndef) and exp.is_Integer \
                and exp.is_positive and not isinstance(base, (sp.Abs, sp.Max, sp.Min)):
            return self._print(base, exp=self._print(exp))
        shown = self._print(base)
        if (isinstance(base, (sp.Add, sp.Mul, sp.Pow, sp.Derivative, sp.Subs)) or
                (base.is_Rational and not base.is_Integer) or (base.is_Number and base.is_negative)
                or (base.is_Float and float_written(base).scientific)
                or isinstance(base, sp.exp)):
            shown = f"({shown})"
        if exp.is_Rational and not exp.is_Integer:
            return f"{shown}^({exp.p} slash {exp.q})"
        return f"{shown}^({self._print(exp)})"

    def _print_exp(self, expr, exp=None) -> str:
        s = f"e^({self._print(expr.args[0])})"
        return s if exp is None else f"({s})^({exp})"

    # --------------------------------------------------------------------------------------------
    # functions

    def _print_Function(self, expr, exp: str | None = None) -> str:
        name = type(expr).__name__
        shown = FUNCTION_NAMES.get(name, name)
        if isinstance(expr, AppliedUndef) and len(shown) > 1 and shown not in GREEK:
            head = symbol_typst(shown) if re.fullmatch(r"[A-Za-z]+_?\w*", shown) else quote(shown)
        else:
            head = _name(shown)
        if exp is not None:
            head = f"{head}^({exp})"
        args = ", ".join(self._print(a) for a in expr.args)
        return f"{head}({args})"

    def _print_Heaviside(self, expr, exp=None) -> str:
        s = f"H({self._print(expr.args[0])})"
        return s if exp is None else f"H^({exp})({self._print(expr.args[0])})"

    def _print_DiracDelta(self, expr, exp=None) -> str:
        arg = self._print(expr.args[0])
        if len(expr.args) > 1 and expr.args[1] != 0:
            return f"delta^(({self._print(expr.args[1])}))({arg})"
        return f"delta({arg})" if exp is None else f"delta^({exp})({arg})"

    def _print_Abs(self, expr, exp=None) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_sign(self, expr, exp=None) -> str:
        head = 'op("sgn")' + ("" if exp is None else f"^({exp})")
        return f"{head}({self._print(expr.args[0])})"

    def _print_MinMax(self, expr, name: str) -> str:
        return f"{name}(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Max(self, expr, exp=None) -> str:
        return self._print_MinMax(expr, "max")

    def _print_Min(self, expr, exp=None) -> str:
        return self._print_MinMax(expr, "min")

    def _print_softmax(self, expr, exp=None) -> str:
        args = ", ".join(self._print(a) for a in expr.inputs)
        s = f'op("softmax")({args})_({expr.component})'
        return s if exp is None else f"({s})^({exp})"

    def _print_logsumexp(self, expr, exp=None) -> str:
        head = 'op("logsumexp")' + ("" if exp is None else f"^({exp})")
        return f"{head}(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_log(self, expr, exp=None) -> str:
        head = "ln" if exp is None else f"ln^({exp})"
        return f"{head}({self._print(expr.args[0])})"

    def _print_factorial(self, expr, exp=None) -> str:
        return self.parenthesize(expr.args[0], PRECEDENCE["Func"], strict=True) + "!"

    # --------------------------------------------------------------------------------------------
    # calculus

    def _print_Derivative(self, expr) -> str:
        variables = expr.variable_count
        partial = bool(expr.expr.free_symbols - {v for v, _ in variables}) or len(variables) > 1
        d = "partial" if partial else "dif"
        n = sum(c for _, c in variables)
        top = d + (f"^({n})" if n > 1 else "")
        bottom = " ".join(f"{d} {self._print(v)}" + (f"^({c})" if c > 1 else "") for v, c in variables)
        body = self._print(expr.expr)
        if not expr.expr.is_Symbol:
            body = f"({body})"
        return f"frac({top}, {bottom}) {body}"

    def _print_Subs(self, expr) -> str:
        body, variables, points = expr.args
        at = ", ".join(f"{self._print(v)} = {self._print(p)}" for v, p in zip(variables, points))
        return f"lr(({self._print(body)}) |)_({at})"

    def _print_Integral(self, expr) -> str:
        out = []
        for lim in expr.limits:
            if len(lim) == 3:
                out.append(f"integral_({self._print(lim[1])})^({self._print(lim[2])})")
            else:
                out.append("integral")
        body = self.parenthesize(expr.function, PRECEDENCE["Mul"])
        ds = " ".join(f"dif {self._print(lim[0])}" for lim in expr.limits)
        return " ".join(out) + f" {body} {ds}"

    def _print_Sum(self, expr, op: str = "sum") -> str:
        heads = []
        for var, lo, hi in expr.limits:
            heads.append(f"{op}_({self._print(var)} = {self._print(lo)})^({self._print(hi)})")
        body = self.parenthesize(expr.function, PRECEDENCE["Mul"])
        return " ".join(heads) + " " + body

    def _print_Product(self, expr) -> str:
        return self._print_Sum(expr, op="product")

    def _print_Limit(self, expr) -> str:
        e, z, z0, _ = expr.args
        return f"lim_({self._print(z)} -> {self._print(z0)}) {self.parenthesize(e, PRECEDENCE['Mul'])}"

    def _print_Piecewise(self, expr) -> str:
        rows = []
        for e, c in expr.args:
            cond = quote("otherwise") if c is sp.true else f"{quote('if ')} {self._print(c)}"
            rows.append(f"{self._print(e)} & {cond}")
        return "cases(" + ", ".join(rows) + ")"

    def _print_KroneckerDelta(self, expr) -> str:
        return f"delta_({self._print(expr.args[0])} {self._print(expr.args[1])})"

    # --------------------------------------------------------------------------------------------
    # relations and logic

    def _relation(self, expr, rel: str) -> str:
        return f"{self._print(expr.lhs)} {rel} {self._print(expr.rhs)}"

    def _print_Equality(self, expr) -> str:
        return self._relation(expr, "=")

    def _print_Unequality(self, expr) -> str:
        return self._relation(expr, "!=")

    def _print_StrictLessThan(self, expr) -> str:
        return self._relation(expr, "<")

    def _print_LessThan(self, expr) -> str:
        return self._relation(expr, "<=")

    def _print_StrictGreaterThan(self, expr) -> str:
        return self._relation(expr, ">")

    def _print_GreaterThan(self, expr) -> str:
        return self._relation(expr, ">=")

    def _print_And(self, expr) -> str:
        return f" {quote(' and ')} ".join(self._print(a) for a in expr.args)

    def _print_Or(self, expr) -> str:
        return f" {quote(' or ')} ".join(self._print(a) for a in expr.args)

    def _print_Not(self, expr) -> str:
        return f"not {self.parenthesize(expr.args[0], PRECEDENCE['Not'])}"

    # --------------------------------------------------------------------------------------------
    # matrices and vectors

    def _print_MatrixBase(self, expr) -> str:
        if expr.rows == 0 or expr.cols == 0:
            return "[]"
        rows = "; ".join(", ".join(self._print(expr[i, j]) for j in range(expr.cols)) for i in range(expr.rows))
        if expr.cols == 1:
            return 'mat(delim: "[", ' + rows + ")"
        return 'mat(delim: "[", ' + rows + ")"

    _print_ImmutableDenseMatrix = _print_MutableDenseMatrix = _print_ImmutableSparseMatrix = _print_MatrixBase
    _print_MutableSparseMatrix = _print_Matrix = _print_MatrixBase

    def _print_Transpose(self, expr) -> str:
        return f"{self.parenthesize(expr.arg, PRECEDENCE['Pow'], strict=True)}^top"

    def _print_Inverse(self, expr) -> str:
        return f"{self.parenthesize(expr.arg, PRECEDENCE['Pow'], strict=True)}^(-1)"

    def _print_MatMul(self, expr) -> str:
        if _is_negative(expr):
            return "-" + self._print(-expr)
        return " ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=True) for a in expr.args)

    def _print_MatAdd(self, expr) -> str:
        return self._print_Add(expr)

    def _print_MatPow(self, expr) -> str:
        return f"{self.parenthesize(expr.base, PRECEDENCE['Pow'], strict=True)}^({self._print(expr.exp)})"

    def _print_HadamardProduct(self, expr) -> str:
        return " dot.o ".join(self.parenthesize(a, PRECEDENCE["Mul"], strict=True) for a in expr.args)

    def _print_Trace(self, expr) -> str:
        return f'op("tr")({self._print(expr.arg)})'

    def _print_Determinant(self, expr) -> str:
        return f"det({self._print(expr.arg)})"

    def _print_Identity(self, expr) -> str:
        return "I"

    def _print_ZeroMatrix(self, expr) -> str:
        return "0"

    def _print_MatrixElement(self, expr) -> str:
        return f"{self.parenthesize(expr.parent, PRECEDENCE['Atom'], strict=True)}_({self._print(expr.i)}, " \
               f"{self._print(expr.j)})"


def _is_negative(e) -> bool:
    if e.is_Number:
        return bool(e.is_negative)
    if isinstance(e, sp.MatMul):  # -A·B, held as MatMul(-1, A, B) (a MatMul is also a Mul)
        return bool(e.args[0].is_Number and e.args[0].is_negative)
    if isinstance(e, sp.Mul):
        c, _ = e.as_coeff_Mul()
        return bool(c.is_Number and c.is_negative)
    return False


_SUB_DIGITS = re.compile(r"^([A-Za-z]+)(\d+)$")


def symbol_typst(name: str) -> str:
    """A symbol's name as Typst math: x, alpha, w_1, x_(i j), italic("loss"); anything odd is quoted."""
    base, _, sub = name.partition("_")
    m = _SUB_DIGITS.match(base)
    if m and not sub:
        base, sub = m.group(1), m.group(2)
    shown = _base(base)
    if sub:
        return f"{shown}_({_subscript(sub)})"
    return shown


def _base(base: str) -> str:
    if base in GREEK:
        return base
    if len(base) == 1 and base.isascii() and base.isalpha():
        return base
    if re.fullmatch(r"[A-Za-z]+", base):
        return f"italic({quote(base)})"
    return quote(base)


def _subscript(sub: str) -> str:
    if sub.isdigit():
        return sub
    if sub in GREEK or (len(sub) == 1 and sub.isascii() and sub.isalpha()):
        return sub
    if re.fullmatch(r"[a-z]{2,3}", sub) and sub not in {"max", "min", "in", "out", "old", "new"}:
        return " ".join(sub)  # w_ij: two indices
    if "_" in sub:
        head, _, rest = sub.partition("_")
        return f"{_subscript(head)}_({_subscript(rest)})"
    return quote(sub)


class _LiteralTypstPrinter(TypstPrinter):
    _default_settings = {"order": None, "literal": True}


def typst(expr, literal: bool = False) -> str:
    """Typst math (no surrounding $) for a SymPy object; `literal` keeps the order of construction."""
    printer = _LiteralTypstPrinter() if literal else TypstPrinter()
    return printer.doprint(expr)
