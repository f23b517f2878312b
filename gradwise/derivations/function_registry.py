"""The functions gradwise knows, one record each: how it is read, shown, differentiated and computed.

The plain parser, the LaTeX reader, "did you mean" suggestions, the derivative table and the Unicode
and Typst printers all read `FUNCTIONS`; adding an activation is one `FunctionRecord` (and its tests).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from gradwise.derivations import functions as fn


@dataclass(frozen=True)
class FunctionRecord:
    """One function: its SymPy class, its names in each notation, its derivative and its NumPy form.

    `arity` is "one", "many" (two or more, like max) or "special" (read by the parser's own code:
    log with a base, softmax with its component, Rational, Heaviside with its value at 0).
    """

    name: str                                   # the name SymPy's str() prints, e.g. "sigmoid", "Abs"
    sympy: Callable                             # the class (or constructor) that builds it
    plain: tuple[str, ...] = ()                 # further names plain input reads, e.g. ("σ",)
    latex_names: tuple[str, ...] = ()           # names read in \operatorname{...} / \mathrm{...}
    matrix: tuple[str, ...] = ()                # names in matrix notation (an elementwise function), if any
    text: str = ""                              # Unicode display name ("" = name)
    latex: str = ""                             # LaTeX display ("" = \operatorname{name})
    typst: str = ""                             # Typst display name ("" = text)
    rule: str | None = None                     # derivative rule id in rules.py
    derivative: Callable[[sp.Expr], sp.Expr] | None = field(default=None, repr=False)
    numpy: str | None = None                    # its stable NumPy form: "np.NAME" or a name in numpy_forms
    wording: str = ""                           # what it is, in one phrase
    arity: str = "one"
    activation: int = 0                         # its place among a network layer's activations (0: not one)

    @property
    def shown(self) -> str:
        return self.text or self.name

    @property
    def names(self) -> tuple[str, ...]:
        """Every name plain input reads this function by."""
        return (self.name, *self.plain)


def _r(name, sympy, *plain, **kw) -> FunctionRecord:
    return FunctionRecord(name, sympy, tuple(plain), **kw)


_sec, _csc, _tan, _cot, _sqrt = sp.sec, sp.csc, sp.tan, sp.cot, sp.sqrt

FUNCTIONS: tuple[FunctionRecord, ...] = (
    # trigonometric
    _r("sin", sp.sin, rule="trig", derivative=lambda u: sp.cos(u), numpy="np.sin"),
    _r("cos", sp.cos, rule="trig", derivative=lambda u: -sp.sin(u), numpy="np.cos"),
    _r("tan", sp.tan, rule="trig", derivative=lambda u: _sec(u) ** 2, numpy="np.tan"),
    _r("sec", sp.sec, rule="trig", derivative=lambda u: _sec(u) * _tan(u)),
    _r("csc", sp.csc, rule="trig", derivative=lambda u: -_csc(u) * _cot(u)),
    _r("cot", sp.cot, rule="trig", derivative=lambda u: -_csc(u) ** 2),
    _r("asin", sp.asin, "arcsin", text="arcsin", rule="inverse_trig", derivative=lambda u: 1 / _sqrt(1 - u ** 2),
       numpy="np.arcsin"),
    _r("acos", sp.acos, "arccos", text="arccos", rule="inverse_trig", derivative=lambda u: -1 / _sqrt(1 - u ** 2),
       numpy="np.arccos"),
    _r("atan", sp.atan, "arctan", text="arctan", rule="inverse_trig", derivative=lambda u: 1 / (1 + u ** 2),
       numpy="np.arctan"),
    _r("acot", sp.acot, "arccot", text="arccot", rule="inverse_trig", derivative=lambda u: -1 / (1 + u ** 2)),
    _r("asec", sp.asec, "arcsec", text="arcsec", rule="inverse_trig", derivative=lambda u: sp.asec(u).fdiff()),
    _r("acsc", sp.acsc, "arccsc", text="arccsc", rule="inverse_trig", derivative=lambda u: sp.acsc(u).fdiff()),
    # hyperbolic
    _r("sinh", sp.sinh, rule="hyperbolic", derivative=lambda u: sp.cosh(u), numpy="np.sinh"),
    _r("cosh", sp.cosh, rule="hyperbolic", derivative=lambda u: sp.sinh(u), numpy="np.cosh"),
    _r("tanh", sp.tanh, latex=r"\tanh", rule="hyperbolic", derivative=lambda u: 1 - sp.tanh(u) ** 2, numpy="np.tanh",
       matrix=("tanh",), wording="the hyperbolic tangent", activation=2),
    _r("coth", sp.coth, rule="hyperbolic", derivative=lambda u: 1 - sp.coth(u) ** 2),
    _r("acoth", sp.acoth, "arcoth", typst="arcoth"),
    _r("asinh", sp.asinh, "arsinh", "arcsinh", typst="arsinh", rule="inverse_hyperbolic",
       derivative=lambda u: 1 / _sqrt(u ** 2 + 1), numpy="np.arcsinh"),
    _r("acosh", sp.acosh, "arcosh", "arccosh", typst="arcosh", rule="inverse_hyperbolic",
       derivative=lambda u: sp.acosh(u).fdiff(), numpy="np.arccosh"),
    _r("atanh", sp.atanh, "artanh", "arctanh", typst="artanh", rule="inverse_hyperbolic",
       derivative=lambda u: 1 / (1 - u ** 2), numpy="np.arctanh"),
    # exponential and logarithm
    _r("exp", sp.exp, matrix=("exp",), latex=r"\exp", rule="exp", derivative=lambda u: sp.exp(u), numpy="np.exp"),
    _r("log", sp.log, "ln", matrix=("log", "ln"), text="ln", latex=r"\ln", rule="log", derivative=lambda u: 1 / u,
       numpy="np.log", arity="special"),
    _r("log2", lambda u: sp.log(u, 2)),
    _r("log10", lambda u: sp.log(u, 10)),
    _r("sqrt", sp.sqrt, text="√", numpy="np.sqrt"),
    # pieces and steps
    _r("Abs", sp.Abs, "abs", text="abs", latex=r"\left|\cdot\right|", rule="abs", derivative=lambda u: sp.sign(u),
       numpy="np.abs"),
    _r("sign", sp.sign, "sgn", latex_names=("sgn", "sign"), text="sgn", latex=r"\operatorname{sgn}", typst="sgn", rule="sign",
       derivative=lambda u: 2 * sp.DiracDelta(u), numpy="np.sign"),
    _r("Heaviside", sp.Heaviside, "heaviside", latex_names=("H",), text="H", typst="H", latex=r"\theta",
       rule="heaviside", derivative=lambda u: sp.DiracDelta(u), numpy="heaviside", arity="special"),
    _r("DiracDelta", sp.DiracDelta, text="δ", typst="delta", numpy="dirac_delta", arity="special"),
    _r("Max", sp.Max, "max", text="max", latex=r"\max", arity="many", numpy="np.maximum"),
    _r("Min", sp.Min, "min", text="min", latex=r"\min", arity="many", numpy="np.minimum"),
    _r("Rational", sp.Rational, arity="special"),
    # deep learning
    _r("erf", sp.erf, latex_names=("erf",), latex=r"\operatorname{erf}", rule="erf",
       derivative=lambda u: 2 / _sqrt(sp.pi) * sp.exp(-u ** 2), numpy="erf"),
    _r("sigmoid", fn.sigmoid, "σ", "Sigmoid", latex_names=("sigmoid", "sigma"), matrix=("sigmoid", "σ"), text="σ",
       latex=r"\sigma", typst="sigma", rule="sigmoid", derivative=lambda u: fn.sigmoid(u) * (1 - fn.sigmoid(u)),
       numpy="sigmoid", wording="the logistic sigmoid 1/(1 + e^(−x))", activation=1),
    _r("relu", fn.relu, "ReLU", latex_names=("relu",), matrix=("relu", "ReLU"), text="ReLU", latex=r"\operatorname{ReLU}",
       rule="relu", derivative=lambda u: sp.Heaviside(u, 0), numpy="relu",
       wording="the rectified linear unit max(0, x)", activation=3),
    _r("softplus", fn.softplus, latex_names=("softplus",), matrix=("softplus",), rule="softplus",
       derivative=lambda u: fn.sigmoid(u), numpy="softplus", wording="the smooth ReLU ln(1 + eˣ)", activation=4),
    _r("gelu", fn.gelu, "GELU", latex_names=("gelu",), text="GELU", numpy="gelu", wording="x·Φ(x), written with erf"),
    _r("silu", lambda u: u * fn.sigmoid(u), "SiLU", "swish", latex_names=("silu", "swish"),
       wording="x·σ(x), the sigmoid-weighted linear unit"),
    _r("mish", lambda u: u * sp.tanh(fn.softplus(u)), "Mish", latex_names=("mish",), matrix=("mish",),
       derivative=lambda u: sp.tanh(fn.softplus(u)) + u * (1 - sp.tanh(fn.softplus(u)) ** 2) * fn.sigmoid(u),
       numpy="mish", wording="x·tanh(softplus(x)), a smooth, non-monotonic ReLU", activation=5),
    _r("logsumexp", fn.logsumexp, latex_names=("logsumexp", "lse"), arity="many",
       numpy="logsumexp", wording="ln(e^(a₁) + … + e^(aₙ))"),
    _r("softmax", fn.softmax, arity="special", numpy="softmax", wording="e^(a_k) / Σ e^(a_j)"),
    _r("atan2", sp.atan2, arity="refused"),
)

#: constants plain input reads, by name
CONSTANTS = {"pi": sp.pi, "π": sp.pi, "e": sp.E, "E": sp.E}
#: why a function is not read, by name
REFUSED = {"atan2": "atan2 is not supported: write atan(y/x) and mind the quadrant"}

BY_NAME: dict[str, FunctionRecord] = {n: r for r in FUNCTIONS for n in r.names}
BY_CLASS: dict[object, FunctionRecord] = {r.sympy: r for r in FUNCTIONS if isinstance(r.sympy, type)}
LATEX_NAMES: dict[str, FunctionRecord] = {n: r for r in FUNCTIONS for n in r.latex_names}
#: elementwise functions of matrix notation, by every name it reads (the node's name is the record's)
MATRIX_ELEMENTWISE: dict[str, FunctionRecord] = {n: r for r in FUNCTIONS for n in r.matrix}
#: the activations a network layer offers, by name
ACTIVATIONS: dict[str, FunctionRecord] = {r.name: r for r in sorted((r for r in FUNCTIONS if r.activation),
                                                                       key=lambda r: r.activation)}


def record(name: str) -> FunctionRecord | None:
    """The function plain input reads by this exact name, if any."""
    return BY_NAME.get(name)


def display_name(sympy_name: str, notation: str = "text") -> str:
    """How a SymPy function's name is shown in `notation` ("text" or "typst")."""
    r = BY_NAME.get(sympy_name)
    if r is None:
        return sympy_name
    if notation == "typst":
        return r.typst or r.shown
    return r.shown


def suggestions(name: str, n: int = 1) -> list[str]:
    """The known function names closest to `name` (a typo such as `sinn`, `Sin` or `sigmod`)."""
    same = [k for k in BY_NAME if k.lower() == name.lower() and k != name]
    if same:
        return sorted(same, key=lambda k: (k != k.lower(), k))[:1]
    lower = {}
    for k in sorted(BY_NAME, key=lambda k: (k != k.lower(), k)):
        lower.setdefault(k.lower(), k)
    close = difflib.get_close_matches(name.lower(), list(lower), n=n, cutoff=0.6)
    return [lower[c] for c in close]


def did_you_mean(name: str) -> str:
    """`did you mean sin?` for a typo, or "" when nothing is close."""
    found = suggestions(name)
    return f"did you mean {' or '.join(found)}?" if found else ""


def glued_prefix(name: str) -> FunctionRecord | None:
    """The longest known one-argument function that `name` starts with (`sinx` -> sin), if any."""
    best = None
    for known, r in BY_NAME.items():
        if (r.arity == "one" or r.name == "log") and known.isascii() and len(known) > 1 and name.startswith(known) and len(name) > len(known):
            if best is None or len(known) > len(best[0]):
                best = (known, r)
    return best[1] if best else None


def glued_suffix(name: str) -> str | None:
    """The longest known function name that `name` ends with after a few letters (`xsin` -> sin)."""
    best = None
    for known in BY_NAME:
        if known.isascii() and len(known) > 1 and name.endswith(known) and len(name) > len(known):
            if best is None or len(known) > len(best):
                best = known
    return best


def derivative_table() -> dict[type, tuple[str, Callable[[sp.Expr], sp.Expr]]]:
    """f -> (rule id, f') for every one-argument function with a derivative rule."""
    return {r.sympy: (r.rule, r.derivative) for r in FUNCTIONS if r.rule and r.derivative}


def numpy_function(r: FunctionRecord) -> Callable | None:
    """The record's stable NumPy implementation (NumPy is imported on the first call, not before)."""
    if r.numpy is None:
        return None
    if r.numpy.startswith("np."):
        import numpy as np
        return getattr(np, r.numpy[3:])
    from gradwise.derivations import numpy_forms
    return getattr(numpy_forms, r.numpy)


def numpy_functions(own_only: bool = False) -> dict[str, Callable]:
    """SymPy function name -> its stable NumPy form, for `lambdify`'s namespace (matrix names too);
    `own_only`: only the forms NumPy lacks (numpy_forms), not NumPy's own functions."""
    found = {}
    for r in FUNCTIONS:
        if own_only and r.numpy and r.numpy.startswith("np."):
            continue
        f = numpy_function(r)
        if f is not None:
            found.update({name: f for name in (r.name, *r.matrix)})
    return found
