"""How matrix expressions are written: Unicode text (xᵀ A x), LaTeX and SymPy's str spelling.

One small printer per notation, each a function of the node type. Products are written with spaces
between factors (`(A + Aᵀ) x`), a scalar's reciprocal as a fraction (`u / ‖u‖`), transposes and
inverses as superscripts (`X⁻ᵀ`).
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.function_registry import MATRIX_ELEMENTWISE
from gradwise.derivations.matrix_calculus import expressions as e

GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ", "eta": "η",
         "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
         "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ", "chi": "χ",
         "psi": "ψ", "omega": "ω"}
_SUP = str.maketrans("0123456789-/", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᐟ")
# an elementwise function shows as its registry record does; step (relu's derivative) is H
_FUNC_TEXT = {"step": "H", **{r.name: r.shown for r in MATRIX_ELEMENTWISE.values()}}
_FUNC_LATEX = {"step": "H", **{r.name: r.latex or rf"\operatorname{{{r.shown}}}" for r in MATRIX_ELEMENTWISE.values()}}

# precedence: higher binds tighter
ADD, MUL, UNARY, POSTFIX, ATOM = 10, 20, 25, 30, 40


def precedence(node: e.Node) -> int:
    if isinstance(node, e.Add):
        return ADD
    if isinstance(node, (e.Mul, e.Hadamard)):
        if isinstance(node, e.Mul) and _coefficient(node)[0] < 0:
            return UNARY
        return MUL
    if isinstance(node, e.Const):
        return UNARY if node.value < 0 else (MUL if node.value.q != 1 else ATOM)
    if isinstance(node, (e.Transpose, e.Inverse, e.Power)):
        return POSTFIX
    return ATOM


def _coefficient(node: e.Mul):
    """The numeric coefficient of a product and its other factors."""
    c, rest = sp.S.One, []
    for f in node.args:
        if isinstance(f, e.Const):
            c *= f.value
        else:
            rest.append(f)
    return c, rest


def _split_fraction(rest: list) -> tuple[list, list]:
    """Factors above and below a fraction bar: scalar factors with a negative power go below."""
    top, bottom = [], []
    for f in rest:
        if isinstance(f, e.Power) and f.exponent < 0:
            bottom.append(f.arg if f.exponent == -1 else e.power(f.arg, -f.exponent))
        else:
            top.append(f)
    return top, bottom


# ---------------------------------------------------------------------------------------------------- Unicode

def text(node: e.Node) -> str:
    """Unicode matrix notation for the terminal."""
    return _Text().p(node)


class _Text:
    def paren(self, node, level: int) -> str:
        s = self.p(node)
        return f"({s})" if precedence(node) < level or (level > ADD + 1 and _is_negative(node)) else s

    def p(self, n) -> str:
        method = getattr(self, "_" + type(n).__name__)
        return method(n)

    def _Var(self, n):
        return GREEK.get(n.name, n.name)

    def _Const(self, n):
        v = n.value
        s = str(abs(v.p)) if v.q == 1 else f"{abs(v.p)}/{v.q}"
        return ("−" if v < 0 else "") + s

    def _Identity(self, n):
        return "I"

    def _Ones(self, n):
        return "1ᵀ" if n.rows == 1 and n.cols != 1 else "1"

    def _Zero(self, n):
        return "0"

    def _Add(self, n):
        out = self.p(n.args[0])
        for t in n.args[1:]:
            if _is_negative(t):
                out += " − " + self.paren(_negate(t), ADD + 1)
            else:
                out += " + " + self.paren(t, ADD + 1)
        return out

    def _Mul(self, n):
        c, rest = _coefficient(n)
        if not rest:
            return self._Const(e.const(c))
        sign = "−" if c < 0 else ""
        c = abs(c)
        top, bottom = _split_fraction(rest)
        parts = [self.paren(f, MUL + 1) for f in top]
        if c.p != 1 or not parts:
            parts.insert(0, str(c.p))
        body = " ".join(parts)
        if bottom or c.q != 1:
            below = " ".join(self.paren(f, MUL + 1) for f in bottom)
            if c.q != 1:
                below = f"{c.q} {below}".strip()
            body = f"{body} / {below}" if len(bottom) + (c.q != 1) == 1 else f"{body} / ({below})"
        return sign + body

    def _Hadamard(self, n):
        a, b = n.args
        if not n.divide and a == b:
            return self.paren(a, POSTFIX + 1) + "^⊙2"
        op = " ⊘ " if n.divide else " ⊙ "
        return self.paren(a, MUL + 1) + op + self.paren(b, MUL + 1)

    def _Transpose(self, n):
        a = n.arg
        if isinstance(a, e.Inverse):
            return self.paren(a.arg, ATOM) + "⁻ᵀ"
        if isinstance(a, e.Differential):
            return f"({self.p(a)})ᵀ"
        return self.paren(a, ATOM) + "ᵀ"

    def _Inverse(self, n):
        return self.paren(n.arg, ATOM) + "⁻¹"

    def _Power(self, n):
        x = n.exponent
        if x == sp.Rational(1, 2):
            return f"√({self.p(n.arg)})" if precedence(n.arg) < ATOM else "√" + self.p(n.arg)
        if x < 0:
            return f"1 / {self.paren(e.power(n.arg, -x) if x != -1 else n.arg, POSTFIX)}"
        return self.paren(n.arg, ATOM) + str(x).translate(_SUP)

    def _Trace(self, n):
        return f"tr({self.p(n.arg)})"

    def _Det(self, n):
        return f"det({self.p(n.arg)})"

    def _LogDet(self, n):
        return f"log det({self.p(n.arg)})"

    def _Norm(self, n):
        return f"‖{self.p(n.arg)}‖" + ("_F" if n.kind == "F" else "")

    def _Func(self, n):
        if n.name == "recip":
            return "1 ⊘ " + self.paren(n.arg, MUL + 1)
        return f"{_FUNC_TEXT[n.name]}({self.p(n.arg)})"

    def _Sum(self, n):
        return f"sum({self.p(n.arg)})"

    def _Softmax(self, n):
        return f"softmax({self.p(n.arg)})"

    def _LogSumExp(self, n):
        return f"logsumexp({self.p(n.arg)})"

    def _Diag(self, n):
        return f"diag({self.p(n.arg)})"

    def _Differential(self, n):
        a = n.arg
        return "d" + self.p(a) if isinstance(a, e.Var) else f"d({self.p(a)})"


def _is_negative(t: e.Node) -> bool:
    if isinstance(t, e.Const):
        return t.value < 0
    return isinstance(t, e.Mul) and _coefficient(t)[0] < 0


def _negate(t: e.Node) -> e.Node:
    if isinstance(t, e.Const):
        return e.const(-t.value)
    c, rest = _coefficient(t)
    return e.mul(*([e.const(-c)] if c != -1 else []), *rest)


# ---------------------------------------------------------------------------------------------------- LaTeX

def latex(node: e.Node) -> str:
    """LaTeX matrix notation (no surrounding $)."""
    return _Latex().p(node)


class _Latex(_Text):
    def paren(self, node, level: int) -> str:
        s = self.p(node)
        return rf"\left({s}\right)" if precedence(node) < level or (level > ADD + 1 and _is_negative(node)) else s

    def _Var(self, n):
        if n.name in GREEK:
            return "\\" + n.name
        base, _, sub = n.name.partition("_")
        return base + (f"_{{{sub}}}" if sub else "")

    def _Const(self, n):
        v = n.value
        s = str(abs(v.p)) if v.q == 1 else rf"\frac{{{abs(v.p)}}}{{{v.q}}}"
        return ("-" if v < 0 else "") + s

    def _Ones(self, n):
        return r"\mathbf{1}^{\top}" if n.rows == 1 and n.cols != 1 else r"\mathbf{1}"

    def _Add(self, n):
        out = self.p(n.args[0])
        for t in n.args[1:]:
            out += (" - " + self.paren(_negate(t), ADD + 1)) if _is_negative(t) else " + " + self.paren(t, ADD + 1)
        return out

    def _Mul(self, n):
        c, rest = _coefficient(n)
        if not rest:
            return self._Const(e.const(c))
        sign = "-" if c < 0 else ""
        c = abs(c)
        top, bottom = _split_fraction(rest)
        body = r"\, ".join(self.paren(f, MUL + 1) for f in top) or "1"
        if c.p != 1:
            body = f"{c.p} {body}" if top else str(c.p)
        if bottom or c.q != 1:
            below = r"\, ".join(self.paren(f, MUL + 1) for f in bottom)
            if c.q != 1:
                below = f"{c.q} {below}".strip()
            return rf"{sign}\frac{{{body}}}{{{below}}}"
        return sign + body

    def _Hadamard(self, n):
        a, b = n.args
        if not n.divide and a == b:
            return self.paren(a, POSTFIX + 1) + r"^{\odot 2}"
        op = r" \oslash " if n.divide else r" \odot "
        return self.paren(a, MUL + 1) + op + self.paren(b, MUL + 1)

    def _Transpose(self, n):
        a = n.arg
        if isinstance(a, e.Inverse):
            return "{" + self.paren(a.arg, ATOM) + r"}^{-\top}"
        return "{" + self.paren(a, ATOM) + r"}^{\top}"

    def _Inverse(self, n):
        return "{" + self.paren(n.arg, ATOM) + "}^{-1}"

    def _Power(self, n):
        x = n.exponent
        if x == sp.Rational(1, 2):
            return rf"\sqrt{{{self.p(n.arg)}}}"
        if x < 0:
            return rf"\frac{{1}}{{{self.p(e.power(n.arg, -x) if x != -1 else n.arg)}}}"
        return "{" + self.paren(n.arg, ATOM) + f"}}^{{{x}}}"

    def _Trace(self, n):
        return rf"\operatorname{{tr}}\left({self.p(n.arg)}\right)"

    def _Det(self, n):
        return rf"\det\left({self.p(n.arg)}\right)"

    def _LogDet(self, n):
        return rf"\log\det\left({self.p(n.arg)}\right)"

    def _Norm(self, n):
        return rf"\left\lVert {self.p(n.arg)} \right\rVert" + ("_F" if n.kind == "F" else "_2")

    def _Func(self, n):
        if n.name == "recip":
            return r"\mathbf{1} \oslash " + self.paren(n.arg, MUL + 1)
        return rf"{_FUNC_LATEX[n.name]}\left({self.p(n.arg)}\right)"

    def _Sum(self, n):
        return rf"\operatorname{{sum}}\left({self.p(n.arg)}\right)"

    def _Softmax(self, n):
        return rf"\operatorname{{softmax}}\left({self.p(n.arg)}\right)"

    def _LogSumExp(self, n):
        return rf"\operatorname{{logsumexp}}\left({self.p(n.arg)}\right)"

    def _Diag(self, n):
        return rf"\operatorname{{diag}}\left({self.p(n.arg)}\right)"

    def _Differential(self, n):
        a = n.arg
        return r"\mathrm{d}" + self.p(a) if isinstance(a, e.Var) else rf"\mathrm{{d}}\left({self.p(a)}\right)"


# ---------------------------------------------------------------------------------------------------- SymPy's str

def sympy_str(node: e.Node) -> str:
    """The expression spelled the way SymPy prints matrix expressions: (A + A.T)*x, X.T**(-1)."""
    return _Str().p(node)


class _Str(_Text):
    def _Var(self, n):
        return n.name

    def _Const(self, n):
        return str(n.value)

    def _Add(self, n):
        out = self.p(n.args[0])
        for t in n.args[1:]:
            out += (" - " + self.paren(_negate(t), ADD + 1)) if _is_negative(t) else " + " + self.paren(t, ADD + 1)
        return out

    def _Mul(self, n):
        c, rest = _coefficient(n)
        if not rest:
            return str(c)
        parts = [self.paren(f, MUL + 1) for f in rest]
        if c == -1:
            return "-" + "*".join(parts)
        if c != 1:
            parts.insert(0, str(c) if c.q == 1 else f"({c})")
        return "*".join(parts)

    def _Hadamard(self, n):
        a, b = n.args
        if n.divide:
            return f"HadamardProduct({self.p(a)}, HadamardPower({self.p(b)}, -1))"
        return f"HadamardProduct({self.p(a)}, {self.p(b)})"

    def _Transpose(self, n):
        a = n.arg
        if isinstance(a, e.Inverse):
            return self.paren(a.arg, ATOM) + ".T**(-1)"
        return self.paren(a, ATOM) + ".T"

    def _Inverse(self, n):
        return self.paren(n.arg, ATOM) + "**(-1)"

    def _Power(self, n):
        x = n.exponent
        return self.paren(n.arg, ATOM) + "**" + (str(x) if x.q == 1 and x > 0 else f"({x})")

    def _Trace(self, n):
        return f"Trace({self.p(n.arg)})"

    def _Det(self, n):
        return f"Determinant({self.p(n.arg)})"

    def _LogDet(self, n):
        return f"log(Determinant({self.p(n.arg)}))"

    def _Norm(self, n):
        return f"norm({self.p(n.arg)}{', fro' if n.kind == 'F' else ''})"

    def _Func(self, n):
        if n.name == "recip":
            return f"HadamardPower({self.p(n.arg)}, -1)"
        name = {"step": "Heaviside"}.get(n.name, n.name)
        return f"{name}({self.p(n.arg)})"

    def _Ones(self, n):
        return f"OneMatrix({n.rows}, {n.cols})"

    def _Diag(self, n):
        return f"DiagMatrix({self.p(n.arg)})"

    def _Differential(self, n):
        return f"d({self.p(n.arg)})"


e.PRINTERS.update(text=text, latex=latex, sympy_str=sympy_str)
