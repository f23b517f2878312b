"""Deep-learning functions as first-class SymPy functions, each with its own derivative.

They print by name in `str()` (`sigmoid(x)`, `relu(x)`, `softplus(x)`), as the JSON contract promises,
and as standard notation in LaTeX (`\\sigma(x)`, `\\operatorname{ReLU}(x)`).
"""
from __future__ import annotations

import sympy as sp
from sympy import Function, Heaviside, exp, log


class _NamedFunction(Function):
    """A function that evaluates numerically through its definition in elementary functions."""

    latex_name = ""

    def _eval_evalf(self, prec):
        return self.definition()._eval_evalf(prec)

    def definition(self) -> sp.Expr:
        raise NotImplementedError

    def _latex(self, printer, exp=None):
        args = ", ".join(printer._print(a) for a in self.args)
        s = rf"{self.latex_name}\left({args}\right)"
        return s if exp is None else rf"{s}^{{{exp}}}"

    def _eval_is_real(self):
        return all(a.is_real for a in self.args) or None


class sigmoid(_NamedFunction):
    """The logistic function σ(x) = 1 / (1 + e^{-x}); σ'(x) = σ(x)(1 - σ(x))."""

    latex_name = r"\sigma"
    nargs = 1

    @classmethod
    def eval(cls, x):  # safe: SymPy's automatic-evaluation hook, not Python's eval
        if x.is_zero:
            return sp.S.Half

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def definition(self):
        return 1 / (1 + exp(-self.args[0]))

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + exp(-x))

    def _eval_rewrite_as_tanh(self, x, **kwargs):
        return (1 + sp.tanh(x / 2)) / 2

    def _eval_is_positive(self):
        return self.args[0].is_real or None


class relu(_NamedFunction):
    """max(0, x). Its derivative is the step H(x) with the convention relu'(0) = 0, as in PyTorch."""

    latex_name = r"\operatorname{ReLU}"
    nargs = 1

    @classmethod
    def eval(cls, x):  # safe: SymPy's automatic-evaluation hook, not Python's eval
        if x.is_number and x.is_real:
            return sp.Max(0, x)
        if x.is_nonnegative:
            return x
        if x.is_nonpositive:
            return sp.S.Zero

    def fdiff(self, argindex=1):
        return Heaviside(self.args[0], 0)

    def definition(self):
        return sp.Max(0, self.args[0])

    def _eval_rewrite_as_Max(self, x, **kwargs):
        return sp.Max(0, x)

    def _eval_is_nonnegative(self):
        return self.args[0].is_real or None


class softplus(_NamedFunction):
    """ln(1 + e^x), a smooth ReLU; softplus'(x) = σ(x)."""

    latex_name = r"\operatorname{softplus}"
    nargs = 1

    @classmethod
    def eval(cls, x):  # safe: SymPy's automatic-evaluation hook, not Python's eval
        if x.is_zero:
            return log(2)

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def definition(self):
        return log(1 + exp(self.args[0]))

    def _eval_rewrite_as_log(self, x, **kwargs):
        return log(1 + exp(x))

    _eval_rewrite_as_exp = _eval_rewrite_as_log


class logsumexp(_NamedFunction):
    """ln(e^{a_1} + ... + e^{a_n}); ∂/∂a_i = softmax_i(a)."""

    latex_name = r"\operatorname{logsumexp}"

    def fdiff(self, argindex=1):
        return softmax(sp.Integer(argindex), *self.args)

    def definition(self):
        return log(sp.Add(*[exp(a) for a in self.args]))

    def _eval_rewrite_as_exp(self, *args, **kwargs):
        return log(sp.Add(*[exp(a) for a in args]))

    _eval_rewrite_as_log = _eval_rewrite_as_exp


class softmax(_NamedFunction):
    """Component k of softmax(a_1, ..., a_n) = e^{a_k} / Σ_j e^{a_j}; the first argument is k (from 1).

    ∂ softmax_k / ∂a_j = softmax_k (δ_kj - softmax_j).
    """

    latex_name = r"\operatorname{softmax}"

    @classmethod
    def eval(cls, k, *args):  # safe: SymPy's automatic-evaluation hook
        if not (k.is_Integer and 1 <= int(k) <= len(args)):
            raise ValueError("softmax component must be an integer between 1 and the number of inputs")

    @property
    def component(self) -> int:
        return int(self.args[0])

    @property
    def inputs(self) -> tuple:
        return self.args[1:]

    def fdiff(self, argindex=1):
        if argindex == 1:
            raise sp.ArgumentIndexError(self, argindex)
        j, k = argindex - 1, self.component
        s_k = self
        s_j = softmax(sp.Integer(j), *self.inputs)
        return s_k * ((1 if j == k else 0) - s_j)

    def definition(self):
        a = self.inputs
        return exp(a[self.component - 1]) / sp.Add(*[exp(t) for t in a])

    def _eval_rewrite_as_exp(self, k, *args, **kwargs):
        return exp(args[int(k) - 1]) / sp.Add(*[exp(t) for t in args])

    def _sympystr(self, printer):
        return f"softmax({', '.join(printer._print(a) for a in self.inputs)})[{self.component}]"

    def _latex(self, printer, exp=None):
        args = ", ".join(printer._print(a) for a in self.inputs)
        s = rf"\operatorname{{softmax}}\left({args}\right)_{{{self.component}}}"
        return s if exp is None else rf"\left({s}\right)^{{{exp}}}"


def gelu(x: sp.Expr) -> sp.Expr:
    """GELU as written in terms of erf: x Φ(x) = x (1 + erf(x/√2)) / 2."""
    return x * (1 + sp.erf(x / sp.sqrt(2))) / 2


def real_abs(u: sp.Expr) -> sp.Expr:
    """|u| where every variable is real: a factor e^v or b^v (b > 0, v without i) is positive wherever it is
    defined, so it leaves the bars. SymPy's own |e^v| is e^(re v) (or, for v = √x, a form with atan2), which
    no rule differentiates as a real function."""
    positive, rest = [], []
    for f in sp.Mul.make_args(u):
        base, power = f.as_base_exp()
        real = not f.has(sp.I) and not f.has(sp.zoo, sp.nan)
        (positive if real and (isinstance(f, exp) or (f.is_Pow and base.is_positive)) else rest).append(f)
    return sp.Mul(*positive) * sp.Abs(sp.Mul(*rest)) if positive else sp.Abs(u)


#: Functions defined for real arguments only: a number that is not real is refused as their argument.
REAL_ONLY = (relu, sp.Heaviside, sp.Max, sp.Min)


#: The project's own functions, by the name they print with.
DL_FUNCTIONS = {"sigmoid": sigmoid, "relu": relu, "softplus": softplus,
                "logsumexp": logsumexp, "softmax": softmax}


def rewrite_elementary(expr: sp.Expr) -> sp.Expr:
    """The expression with the project's functions written out in exp/log/Max (for numeric checks)."""
    return expr.replace(lambda e: isinstance(e, _NamedFunction), lambda e: e.definition())
