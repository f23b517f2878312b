"""Many variables, per component: gradient, Jacobian, Hessian, directional derivative, chain rule.

Each entry of a gradient, Jacobian or Hessian is a partial derivative. Its answer comes from SymPy and
is checked against central finite differences of the function itself (mpmath, 40 digits) at a random
point; its step-by-step derivation is the foundation's checked `Derivation`, built when it is shown
(`entry.derivation`) and required to agree with the answer. So a Hessian of many variables is quick
to compute and check, and each of its entries can still be explained rule by rule. The input is read by
`multivariable_input`, the numeric check is `multivariable_checks`, values at a point `multivariable_point`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from gradwise.derivations.derivation import Derivation, differentiate
from gradwise.derivations.display import Displayable
from gradwise.derivations.equivalence import equivalent
from gradwise.derivations.limits import time_limit
from gradwise.derivations.multivariable_checks import NumericCheck, check_first, check_second
from gradwise.derivations.multivariable_input import read_input, read_point, read_substitutions, read_variables
from gradwise.derivations.multivariable_point import Directional, Evaluation, directional, evaluate_at
from gradwise.derivations.real_domain import refuse_non_real
from gradwise.errors import EngineError, GradwiseError

__all__ = ["ChainRule", "Directional", "Evaluation", "Gradient", "Hessian", "Jacobian", "NumericCheck", "Partial",
           "chain_rule", "gradient", "hessian", "jacobian"]


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
        text, expr, reading = read_input(expression)
        if isinstance(expr, sp.MatrixBase):
            raise GradwiseError("grad takes one function; for a vector of functions use gradwise jacobian")
        variables = read_variables(expr, wrt, text)
        _refuse_non_real([expr], variables)
        entries = [Partial(expr, v, sp.diff(expr, v)) for v in variables]
        check = check_first([expr], variables, [[p.result for p in entries]])
        g = Gradient(text, expr, variables, entries, check, reading=reading)
        if at is not None:
            g.at = evaluate_at(g.result, [expr], read_point(at, variables))
        if direction is not None:
            g.directional = directional(g, direction)
        return g


def jacobian(expression: str | sp.Expr | list, wrt: str | list | None = None, *, at: str | dict | None = None,
             timeout: float | None = None) -> Jacobian:
    """The Jacobian of a vector of functions, "[x y, x + y^2, sin(x)]"."""
    with time_limit(timeout):
        text, value, reading = read_input(expression)
        functions = list(value) if isinstance(value, (sp.MatrixBase, list, tuple)) else [value]
        variables = read_variables(sp.Tuple(*functions), wrt, text)
        _refuse_non_real(functions, variables)
        entries = [[Partial(f, v, sp.diff(f, v)) for v in variables] for f in functions]
        check = check_first(functions, variables, [[p.result for p in row] for row in entries])
        J = Jacobian(text, functions, variables, entries, check, reading=reading)
        if at is not None:
            J.at = evaluate_at(J.result, functions, read_point(at, variables))
        return J


def hessian(expression: str | sp.Expr, wrt: str | list | None = None, *, at: str | dict | None = None,
            timeout: float | None = None) -> Hessian:
    """The Hessian of a scalar function, with the symmetry of its mixed partials checked."""
    with time_limit(timeout):
        text, expr, reading = read_input(expression)
        if isinstance(expr, sp.MatrixBase):
            raise GradwiseError("hessian takes one function")
        variables = read_variables(expr, wrt, text)
        _refuse_non_real([expr], variables)
        first = [Partial(expr, v, sp.diff(expr, v)) for v in variables]
        entries = [[Partial(p.result, w, sp.diff(p.result, w)) for w in variables] for p in first]
        n = len(variables)
        symmetric = all(equivalent(entries[i][j].result, entries[j][i].result).equal is not False
                        for i in range(n) for j in range(i + 1, n))
        check = check_second(expr, variables, [[p.result for p in row] for row in entries])
        H = Hessian(text, expr, variables, first, entries, symmetric, check, reading=reading)
        if at is not None:
            H.at = evaluate_at(H.result, [expr], read_point(at, variables))
        return H


def _refuse_non_real(functions: list, variables: list[sp.Symbol]) -> None:
    """The one-line refusal `diff` gives, before any partial is taken: (-1)^x·y is not real in x."""
    for f in functions:
        for v in variables:
            refuse_non_real(f, v)


def chain_rule(outer: str | sp.Expr, substitutions: str | dict, *, at: str | dict | None = None,
               timeout: float | None = None) -> ChainRule:
    """d/dt f(g(t), h(t)), or J_{f∘g} = J_f(g)·J_g: `chain_rule("x^2 y", "x=cos(t), y=sin(t)")`."""
    with time_limit(timeout):
        text, value, reading = read_input(outer)
        subs = read_substitutions(substitutions)
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
            c.at = evaluate_at(product, composite, read_point(at, inner_vars))
        return c


