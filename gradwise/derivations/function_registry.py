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
    matrix: tuple[str, ...] = ()                # names in matrix notation (elementwise), if any
    text: str = ""                              # Unicode display name ("" = name)
    latex: str = ""                             # LaTeX display ("" = \operatorname{name})
    typst: str = ""                             # Typst display name ("" = text)
    rule: str | None = None                     # derivative rule id in rules.py
    derivative: Callable[[sp.Expr], sp.Expr] | None = field(default=None, repr=False)
    numpy: str | None = None                    # a numerically stable NumPy expression of `u`
    wording: str = ""                           # what it is, in one phrase
    arity: str = "one"

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
    _r("sin", sp.sin, rule="trig", derivative=lambda u: sp.cos(u), numpy="np.sin(u)"),
    _r("cos", sp.cos, rule="trig", derivative=lambda u: -sp.sin(u), numpy="np.cos(u)"),
    _r("tan", sp.tan, rule="trig", derivative=lambda u: _sec(u) ** 2, numpy="np.tan(u)"),
    _r("sec", sp.sec, rule="trig", derivative=lambda u: _sec(u) * _tan(u), numpy="1 / np.cos(u)"),
    _r("csc", sp.csc, rule="trig", derivative=lambda u: -_csc(u) * _cot(u), numpy="1 / np.sin(u)"),
    _r("cot", sp.cot, rule="trig", derivative=lambda u: -_csc(u) ** 2, numpy="1 / np.tan(u)"),
    _r("asin", sp.asin, "arcsin", text="arcsin", rule="inverse_trig", derivative=lambda u: 1 / _sqrt(1 - u ** 2),
       numpy="np.arcsin(u)"),
    _r("acos", sp.acos, "arccos", text="arccos", rule="inverse_trig", derivative=lambda u: -1 / _sqrt(1 - u ** 2),
       numpy="np.arccos(u)"),
    _r("atan", sp.atan, "arctan", text="arctan", rule="inverse_trig", derivative=lambda u: 1 / (1 + u ** 2),
       numpy="np.arctan(u)"),
    _r("acot", sp.acot, "arccot", text="arccot", rule="inverse_trig", derivative=lambda u: -1 / (1 + u ** 2)),
    _r("asec", sp.asec, "arcsec", text="arcsec", rule="inverse_trig", derivative=lambda u: sp.asec(u).fdiff()),
    _r("acsc", sp.acsc, "arccsc", text="arccsc", rule="inverse_trig", derivative=lambda u: sp.acsc(u).fdiff()),
    # hyperbolic
    _r("sinh", sp.sinh, rule="hyperbolic", derivative=lambda u: sp.cosh(u), numpy="np.sinh(u)"),
    _r("cosh", sp.cosh, rule="hyperbolic", derivative=lambda u: sp.sinh(u), numpy="np.cosh(u)"),
    _r("tanh", sp.tanh, rule="hyperbolic", derivative=lambda u: 1 - sp.tanh(u) ** 2, numpy="np.tanh(u)",
       matrix=("tanh",), wording="the hyperbolic tangent"),
    _r("coth", sp.coth, rule="hyperbolic", derivative=lambda u: 1 - sp.coth(u) ** 2),
    _r("acoth", sp.acoth, "arcoth", typst="arcoth"),
    _r("asinh", sp.asinh, "arsinh", "arcsinh", typst="arsinh", rule="inverse_hyperbolic",
       derivative=lambda u: 1 / _sqrt(u ** 2 + 1), numpy="np.arcsinh(u)"),
    _r("acosh", sp.acosh, "arcosh", "arccosh", typst="arcosh", rule="inverse_hyperbolic",
       derivative=lambda u: sp.acosh(u).fdiff(), numpy="np.arccosh(u)"),
    _r("atanh", sp.atanh, "artanh", "arctanh", typst="artanh", rule="inverse_hyperbolic",
       derivative=lambda u: 1 / (1 - u ** 2), numpy="np.arctanh(u)"),
    # exponential and logarithm
    _r("exp", sp.exp, matrix=("exp",), latex=r"\exp", rule="exp", derivative=lambda u: sp.exp(u), numpy="np.exp(u)"),
    _r("log", sp.log, "ln", matrix=("log", "ln"), text="ln", latex=r"\ln", rule="log", derivative=lambda u: 1 / u,
       numpy="np.log(u)", arity="special"),
    _r("log2", lambda u: sp.log(u, 2)),
    _r("log10", lambda u: sp.log(u, 10)),
    _r("sqrt", sp.sqrt, text="√", numpy="np.sqrt(u)"),
    # pieces and steps
    _r("Abs", sp.Abs, "abs", text="abs", latex=r"\left|\cdot\right|", rule="abs", derivative=lambda u: sp.sign(u),
       numpy="np.abs(u)"),
    _r("sign", sp.sign, "sgn", latex_names=("sgn", "sign"), text="sgn", latex=r"\operatorname{sgn}", typst="sgn", rule="sign",
       derivative=lambda u: 2 * sp.DiracDelta(u), numpy="np.sign(u)"),
    _r("Heaviside", sp.Heaviside, "heaviside", latex_names=("H",), text="H", typst="H", latex=r"\theta", rule="heaviside",
       derivative=lambda u: sp.DiracDelta(u), numpy="np.heaviside(u, 0.5)", arity="special"),
    _r("DiracDelta", sp.DiracDelta, text="δ", typst="delta", arity="special"),
    _r("Max", sp.Max, "max", text="max", latex=r"\max", arity="many", numpy="np.maximum"),
    _r("Min", sp.Min, "min", text="min", latex=r"\min", arity="many", numpy="np.minimum"),
    _r("Rational", sp.Rational, arity="special"),
    # deep learning
    _r("erf", sp.erf, latex_names=("erf",), latex=r"\operatorname{erf}", rule="erf",
       derivative=lambda u: 2 / _sqrt(sp.pi) * sp.exp(-u ** 2), numpy="scipy.special.erf(u)"),
    _r("sigmoid", fn.sigmoid, "σ", "Sigmoid", latex_names=("sigmoid", "sigma"), matrix=("sigmoid", "σ"), text="σ",
       latex=r"\sigma", typst="sigma", rule="sigmoid", derivative=lambda u: fn.sigmoid(u) * (1 - fn.sigmoid(u)),
       numpy="np.exp(-np.logaddexp(0.0, -u))", wording="the logistic sigmoid 1/(1 + e^(−x))"),
    _r("relu", fn.relu, "ReLU", latex_names=("relu",), matrix=("relu",), text="ReLU", latex=r"\operatorname{ReLU}",
       rule="relu", derivative=lambda u: sp.Heaviside(u, 0), numpy="np.maximum(u, 0.0)",
       wording="the rectified linear unit max(0, x)"),
    _r("softplus", fn.softplus, latex_names=("softplus",), rule="softplus", derivative=lambda u: fn.sigmoid(u),
       numpy="np.logaddexp(0.0, u)", wording="the smooth ReLU ln(1 + eˣ)"),
    _r("gelu", fn.gelu, "GELU", latex_names=("gelu",), text="GELU", wording="x·Φ(x), written with erf"),
    _r("silu", lambda u: u * fn.sigmoid(u), "SiLU", "swish", latex_names=("silu", "swish"),
       wording="x·σ(x), the sigmoid-weighted linear unit"),
    _r("logsumexp", fn.logsumexp, latex_names=("logsumexp", "lse"), matrix=("logsumexp",), arity="many",
       wording="ln(e^(a₁) + … + e^(aₙ))"),
    _r("softmax", fn.softmax, matrix=("softmax",), arity="special", wording="e^(a_k) / Σ e^(a_j)"),
    _r("atan2", sp.atan2, arity="refused"),
)

#: constants plain input reads, by name
CONSTANTS = {"pi": sp.pi, "π": sp.pi, "e": sp.E, "E": sp.E}
#: why a function is not read, by name
REFUSED = {"atan2": "atan2 is not supported: write atan(y/x) and mind the quadrant"}

BY_NAME: dict[str, FunctionRecord] = {n: r for r in FUNCTIONS for n in r.names}
BY_CLASS: dict[object, FunctionRecord] = {r.sympy: r for r in FUNCTIONS if isinstance(r.sympy, type)}
LATEX_NAMES: dict[str, FunctionRecord] = {n: r for r in FUNCTIONS for n in r.latex_names}


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
