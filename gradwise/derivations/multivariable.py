"""Many variables, per component: gradient, Jacobian, Hessian, directional derivative, chain rule.

Each entry of a gradient, Jacobian or Hessian is a partial derivative. Its answer comes from SymPy and
is checked against central finite differences of the function itself (mpmath, 40 digits) at a random
point; its step-by-step derivation is the foundation's checked `Derivation`, built when it is shown
(`entry.derivation`) and required to agree with the answer. So a Hessian of many variables is quick
to compute and check, and each of its entries can still be explained rule by rule.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cached_property

import mpmath
import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import Derivation, differentiate
from gradwise.derivations.display import Displayable
from gradwise.derivations.equivalence import equivalent
from gradwise.derivations.limits import time_limit
from gradwise.derivations.parsing import parse, parse_variables, parse_with_reading
from gradwise.errors import EngineError, GradwiseError

DIGITS = 40
STEP = mpmath.mpf("1e-12")
TOLERANCE = 1e-9
MAX_VARIABLES = 30


@dataclass
class Partial:
    """∂(expr)/∂(var) = result; `derivation` derives it rule by rule when asked."""

    expr: sp.Expr
    var: sp.Symbol
    result: sp.Expr

    @cached_property
    def derivation(self) -> Derivation:
        d = differentiate(self.expr, self.var)
        if equivalent(d.result, self.result).equal is False:
            raise EngineError(f"the derivation of ∂/∂{self.var}[{self.expr}] gave {d.result}, not {self.result}")
        return d


@dataclass(frozen=True)
class NumericCheck:
    """Every entry against central finite differences at one random point."""

    valid: bool
    point: dict
    entries: int
    max_error: float
    method: str = "central finite differences (mpmath, 40 digits)"


@dataclass
class Evaluation:
    """The result at a point: exact values, numbers, and notes on non-differentiable points."""

    point: dict                       # symbol -> value
    values: sp.ImmutableMatrix
    notes: list[str] = field(default_factory=list)

    @property
    def numeric(self) -> list:
        return [[float(v) for v in self.values.row(i)] for i in range(self.values.rows)]


@dataclass
class Directional:
    """D_u f = ∇f·u along the unit vector u = v/‖v‖."""

    direction: sp.ImmutableMatrix
    unit: sp.ImmutableMatrix
    expression: sp.Expr               # ∇f·u as a function
    value: sp.Expr | None             # at the point, when there is one


@dataclass
class Gradient(Displayable):
    """∇f = (∂f/∂x₁, ..., ∂f/∂xₙ)ᵀ."""

    input: str
    expr: sp.Expr
    variables: list[sp.Symbol]
    entries: list[Partial]
    check: NumericCheck
    at: Evaluation | None = None
    directional: Directional | None = None
    reading: tuple[str, ...] = ()     # how the input was read, where that was not literal

    kind = "gradient"

    @property
    def result(self) -> sp.ImmutableMatrix:
        return sp.ImmutableMatrix([p.result for p in self.entries])


@dataclass
class Jacobian(Displayable):
    """J[i, j] = ∂fᵢ/∂xⱼ (m functions × n variables)."""

    input: str
    functions: list[sp.Expr]
    variables: list[sp.Symbol]
    entries: list[list[Partial]]
    check: NumericCheck
    at: Evaluation | None = None
    reading: tuple[str, ...] = ()

    kind = "jacobian"

    @property
    def result(self) -> sp.ImmutableMatrix:
        return sp.ImmutableMatrix([[p.result for p in row] for row in self.entries])

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.functions), len(self.variables))


@dataclass
class Hessian(Displayable):
    """H[i, j] = ∂²f/∂xᵢ∂xⱼ = ∂/∂xⱼ (∂f/∂xᵢ); `symmetric` says whether every mixed pair agreed."""

    input: str
    expr: sp.Expr
    variables: list[sp.Symbol]
    gradient: list[Partial]
    entries: list[list[Partial]]
    symmetric: bool
    check: NumericCheck
    at: Evaluation | None = None
    reading: tuple[str, ...] = ()

    kind = "hessian"

    @property
    def result(self) -> sp.ImmutableMatrix:
        return sp.ImmutableMatrix([[p.result for p in row] for row in self.entries])

    def second(self, i: int, j: int) -> Partial:
        """H[i, j] as ∂/∂xⱼ of the first partial ∂f/∂xᵢ *as its derivation wrote it*, so the worked
        solution continues from the line the reader has just seen; it must agree with the entry."""
        key = (i, j)
        if key not in self._seconds:
            first = self.gradient[i].derivation.result
            entry = self.entries[i][j]
            self._seconds[key] = Partial(first, entry.var, entry.result)
        return self._seconds[key]

    @cached_property
    def _seconds(self) -> dict:
        return {}


@dataclass
class ChainRule(Displayable):
    """J_{f∘g} = J_f(g) · J_g, with the shapes (m×n) · (n×k) = m×k, checked against the direct Jacobian."""

    input: str
    outer: Jacobian                   # J_f in the outer variables
    inner: Jacobian                   # J_g in the inner variables
    substitutions: dict               # outer variable -> g_i(inner variables)
    outer_at_inner: sp.ImmutableMatrix  # J_f(g)
    result: sp.ImmutableMatrix        # the product, simplified
    scalar: bool                      # f was one function
    at: Evaluation | None = None
    reading: tuple[str, ...] = ()

    kind = "chain_rule"

    @property
    def shapes(self) -> tuple:
        (m, n), (_, k) = self.outer.shape, self.inner.shape
        return (m, n), (n, k), (m, k)


# ---------------------------------------------------------------------------------------------------- API

def gradient(expression: str | sp.Expr, wrt: str | list | None = None, *, at: str | dict | None = None,
             direction: str | list | None = None, timeout: float | None = None) -> Gradient:
    """∇f of a scalar function; `at="x=1,y=2"` evaluates it, `direction="3,4"` adds D_u f."""
    with time_limit(timeout):
        text, expr, reading = _read(expression)
        if isinstance(expr, sp.MatrixBase):
            raise GradwiseError("grad takes one function; for a vector of functions use gradwise jacobian")
        variables = _variables(expr, wrt, text)
        entries = [Partial(expr, v, sp.diff(expr, v)) for v in variables]
        check = _check_first([expr], variables, [[p.result for p in entries]])
        g = Gradient(text, expr, variables, entries, check, reading=reading)
        if at is not None:
            g.at = _evaluate(g.result, [expr], _point(at, variables))
        if direction is not None:
            g.directional = _directional(g, direction)
        return g


def jacobian(expression: str | sp.Expr | list, wrt: str | list | None = None, *, at: str | dict | None = None,
             timeout: float | None = None) -> Jacobian:
    """The Jacobian of a vector of functions, "[x y, x + y^2, sin(x)]"."""
    with time_limit(timeout):
        text, value, reading = _read(expression)
        functions = list(value) if isinstance(value, (sp.MatrixBase, list, tuple)) else [value]
        variables = _variables(sp.Tuple(*functions), wrt, text)
        entries = [[Partial(f, v, sp.diff(f, v)) for v in variables] for f in functions]
        check = _check_first(functions, variables, [[p.result for p in row] for row in entries])
        J = Jacobian(text, functions, variables, entries, check, reading=reading)
        if at is not None:
            J.at = _evaluate(J.result, functions, _point(at, variables))
        return J


def hessian(expression: str | sp.Expr, wrt: str | list | None = None, *, at: str | dict | None = None,
            timeout: float | None = None) -> Hessian:
    """The Hessian of a scalar function, with the symmetry of its mixed partials checked."""
    with time_limit(timeout):
        text, expr, reading = _read(expression)
        if isinstance(expr, sp.MatrixBase):
            raise GradwiseError("hessian takes one function")
        variables = _variables(expr, wrt, text)
        first = [Partial(expr, v, sp.diff(expr, v)) for v in variables]
        entries = [[Partial(p.result, w, sp.diff(p.result, w)) for w in variables] for p in first]
        n = len(variables)
        symmetric = all(equivalent(entries[i][j].result, entries[j][i].result).equal is not False
                        for i in range(n) for j in range(i + 1, n))
        check = _check_second(expr, variables, [[p.result for p in row] for row in entries])
        H = Hessian(text, expr, variables, first, entries, symmetric, check, reading=reading)
        if at is not None:
            H.at = _evaluate(H.result, [expr], _point(at, variables))
        return H


def chain_rule(outer: str | sp.Expr, substitutions: str | dict, *, at: str | dict | None = None,
               timeout: float | None = None) -> ChainRule:
    """d/dt f(g(t), h(t)), or J_{f∘g} = J_f(g)·J_g: `chain_rule("x^2 y", "x=cos(t), y=sin(t)")`."""
    with time_limit(timeout):
        text, value, reading = _read(outer)
        subs = _substitutions(substitutions)
        outer_vars = list(subs)
        functions = list(value) if isinstance(value, sp.MatrixBase) else [value]
        J_f = jacobian(list(functions), outer_vars)
        J_f.input = text
        inner_exprs = [subs[v] for v in outer_vars]
        inner_vars = sorted(set().union(*[e.free_symbols for e in inner_exprs]) - set(outer_vars), key=lambda s: s.name)
        if not inner_vars:
            raise GradwiseError("the substitutions have no variable of their own (as in x=cos(t), y=t^2)")
        J_g = jacobian(inner_exprs, inner_vars)
        J_g.input = ", ".join(f"{v} = {subs[v]}" for v in outer_vars)
        at_g = J_f.result.xreplace(subs)
        product = sp.ImmutableMatrix((at_g * J_g.result).applyfunc(sp.simplify))
        composite = [f.xreplace(subs) for f in functions]
        direct = sp.ImmutableMatrix([[sp.diff(c, t) for t in inner_vars] for c in composite])
        for a, b in zip(product, direct):
            if equivalent(a, b).equal is False:
                raise EngineError(f"the chain rule gave {a} but the direct derivative is {b}")
        c = ChainRule(text, J_f, J_g, subs, sp.ImmutableMatrix(at_g), product, not isinstance(value, sp.MatrixBase),
                      reading=reading)
        if at is not None:
            c.at = _evaluate(product, composite, _point(at, inner_vars))
        return c


# ---------------------------------------------------------------------------------------------------- reading

def _read(expression) -> tuple[str, object, tuple[str, ...]]:
    """The input as text, what it was read as, and how it was read where that was not literal."""
    if isinstance(expression, str):
        read = parse_with_reading(expression)
        return expression, read.expr, read.notes
    if isinstance(expression, (list, tuple)):
        functions = [_number(f) for f in expression]
        return str(functions), functions, ()
    return str(expression), expression, ()


def _variables(expr, wrt, text: str) -> list[sp.Symbol]:
    if wrt is None:
        variables = sorted(expr.free_symbols, key=lambda s: s.name)
        if not variables:
            raise GradwiseError(f'"{text}" has no variables; say which with --wrt')
    elif isinstance(wrt, str):
        variables = parse_variables(wrt)
    else:
        variables = [v if isinstance(v, sp.Symbol) else parse_variables(str(v))[0] for v in wrt]
    if len(set(variables)) != len(variables):
        raise GradwiseError(f"a variable is listed twice in --wrt {wrt}")
    if len(variables) > MAX_VARIABLES:
        raise GradwiseError(f"at most {MAX_VARIABLES} variables, not {len(variables)}")
    return variables


def _point(at, variables: list[sp.Symbol]) -> dict:
    """`x=1,y=2` (or a dict) as {x: 1, y: 2}; every variable needs a value."""
    if isinstance(at, dict):
        point = {(k if isinstance(k, sp.Symbol) else parse_variables(str(k))[0]): _number(v) for k, v in at.items()}
    else:
        point = {}
        for item in str(at).split(","):
            if "=" not in item:
                raise GradwiseError(f"--at expects name=value pairs, as in x=1,y=2 (not '{item.strip()}')")
            name, value = item.split("=", 1)
            point[parse_variables(name)[0]] = parse(value.strip())
    missing = [v.name for v in variables if v not in point]
    if missing:
        raise GradwiseError(f"--at gives no value for {', '.join(missing)}")
    for v, value in point.items():
        if not isinstance(value, sp.Expr) or value.free_symbols or not value.is_real:
            raise GradwiseError(f"the value of {v} in --at must be a real number, not {value}")
    return point


def _number(value) -> sp.Expr:
    """A value or expression given by a caller: text goes through the safe parser, numbers become exact
    SymPy numbers, SymPy objects stay as they are."""
    if isinstance(value, str):
        return parse(value.strip())
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GradwiseError(f"expected a number, not {value!r}")
    return sp.Integer(value) if isinstance(value, int) else sp.nsimplify(value, rational=True)


def _substitutions(text) -> dict:
    if isinstance(text, dict):
        return {(k if isinstance(k, sp.Symbol) else parse_variables(str(k))[0]): _number(v) for k, v in text.items()}
    out = {}
    for item in _split_top_level(str(text)):
        if "=" not in item:
            raise GradwiseError(f"--chain expects name=expression pairs, as in x=cos(t),y=t^2 (not '{item}')")
        name, value = item.split("=", 1)
        out[parse_variables(name)[0]] = parse(value.strip())
    return out


def _split_top_level(text: str) -> list[str]:
    """Split at commas outside brackets: x=max(t, 1), y=t."""
    parts, depth, current = [], 0, ""
    for c in text:
        depth += c in "([" and 1 or 0
        depth -= c in ")]" and 1 or 0
        if c == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += c
    parts.append(current.strip())
    return [p for p in parts if p]


# ---------------------------------------------------------------------------------------------------- at a point

_KINKS = (fn.relu, sp.Abs, sp.Heaviside, sp.sign)


def _evaluate(result: sp.ImmutableMatrix, functions: list, point: dict) -> Evaluation:
    values = result.xreplace(point).applyfunc(lambda v: sp.nsimplify(sp.simplify(v)) if v.is_Float else sp.simplify(v))
    where = ", ".join(f"{k} = {v}" for k, v in point.items())
    for v in values:
        if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) or not v.is_finite or v.is_real is False:
            raise GradwiseError(f"the derivative is not defined at {where}")
    notes = []
    for f in functions:
        for node in sp.preorder_traversal(f):
            if isinstance(node, _KINKS) and node.args[0].xreplace(point) == 0:
                name = {fn.relu: "relu", sp.Abs: "|·|"}.get(type(node), type(node).__name__)
                notes.append(f"{name} is not differentiable where {node.args[0]} = 0, as it is at {where}; "
                             f"the value shown uses the convention {name}'(0) = 0")
            elif isinstance(node, (sp.Max, sp.Min)):
                args = [a.xreplace(point) for a in node.args]
                if len(set(args)) < len(args):
                    notes.append(f"{type(node).__name__.lower()} is not differentiable where its arguments tie, "
                                 f"as they do at {where}")
    return Evaluation(point, sp.ImmutableMatrix(values), list(dict.fromkeys(notes)))


def _directional(g: Gradient, direction) -> Directional:
    parts = direction if isinstance(direction, (list, tuple)) else str(direction).split(",")
    v = sp.ImmutableMatrix([_number(p) for p in parts])
    if len(v) != len(g.variables):
        raise GradwiseError(f"--direction has {len(v)} components but there are {len(g.variables)} variables")
    if any(p.free_symbols or not p.is_real for p in v):
        raise GradwiseError("--direction must be numbers, as in 3,4")
    norm = sp.sqrt(sum(p ** 2 for p in v))
    if norm == 0:
        raise GradwiseError("--direction must not be the zero vector")
    u = sp.ImmutableMatrix(v / norm)
    expression = sp.simplify((g.result.T * u)[0])
    value = sp.simplify((g.at.values.T * u)[0]) if g.at else None
    return Directional(v, u, expression, value)


# ---------------------------------------------------------------------------------------------------- numeric checks

def _numeric(expr: sp.Expr, variables: list[sp.Symbol]):
    """expr as an mpmath function of the variables (through its definition in elementary functions)."""
    elementary = fn.rewrite_elementary(expr)
    try:
        return sp.lambdify(variables, elementary, modules="mpmath")
    except Exception:   # noqa: BLE001 — fall back on SymPy's own evaluation
        return lambda *args: elementary.xreplace(dict(zip(variables, args))).evalf(DIGITS)


def _random_point(functions: list, variables: list[sp.Symbol], results: list, seed: int = 0):
    rng = random.Random(seed)
    numeric_f = [_numeric(f, variables) for f in functions]
    numeric_r = [[_numeric(r, variables) for r in row] for row in results]
    with mpmath.workdps(DIGITS):
        for _ in range(40):
            # two decimals plus a little, away from integers (where kinks and poles like to sit)
            point = [mpmath.mpf(str(round(rng.uniform(-2, 2), 2))) + mpmath.mpf("0.013") for _ in variables]
            try:
                vals = [complex(f(*point)) for f in numeric_f] + [complex(r(*point)) for row in numeric_r for r in row]
            except (ZeroDivisionError, ValueError, TypeError, OverflowError):
                continue
            if all(abs(v.imag) < 1e-20 and mpmath.isfinite(v.real) for v in vals):
                return point, numeric_f, numeric_r
    raise GradwiseError("found no point where the function and its derivatives are defined, to check them at")


def _check_first(functions: list, variables: list, results: list[list]) -> NumericCheck:
    point, numeric_f, numeric_r = _random_point(functions, variables, results)
    worst = 0.0
    with mpmath.workdps(DIGITS):
        for f, row in zip(numeric_f, numeric_r):
            for j, r in enumerate(row):
                plus, minus = list(point), list(point)
                plus[j] += STEP
                minus[j] -= STEP
                reference = (f(*plus) - f(*minus)) / (2 * STEP)
                worst = max(worst, float(abs(r(*point) - reference) / (1 + abs(reference))))
    return _verdict(point, variables, sum(len(r) for r in results), worst)


def _check_second(expr: sp.Expr, variables: list, results: list[list]) -> NumericCheck:
    point, (f,), numeric_r = _random_point([expr], variables, results)
    worst = 0.0
    h = mpmath.mpf("1e-10")
    with mpmath.workdps(DIGITS):
        for i, row in enumerate(numeric_r):
            for j, r in enumerate(row):
                if j < i:
                    continue
                def at(di, dj):
                    p = list(point)
                    p[i] += di * h
                    p[j] += dj * h
                    return f(*p)
                reference = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h)
                worst = max(worst, float(abs(r(*point) - reference) / (1 + abs(reference))))
    return _verdict(point, variables, sum(len(r) for r in results), worst)


def _verdict(point, variables, entries: int, worst: float) -> NumericCheck:
    check = NumericCheck(worst <= TOLERANCE, {v.name: float(p) for v, p in zip(variables, point)}, entries, worst)
    if not check.valid:
        raise EngineError(f"a partial derivative disagrees with finite differences (relative error {worst:.2g})")
    return check
