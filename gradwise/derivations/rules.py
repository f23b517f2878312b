"""The rules of differentiation as data: each rule is a small dataclass and a derivation is a tree of them.

As in SymPy's manualintegrate, a rule knows the expression it differentiates, the variable, its
sub-steps, and computes its own result from them (`after`), so the answer shown is always the answer the
steps produce. `intermediate` is the rule applied with the sub-derivatives still unevaluated, the line a
tutor writes between the rule and its result.

Rule ids (`rule`) are stable: the explainer, the JSON output and the tests use them.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, ClassVar

import sympy as sp
from sympy.core.parameters import distribute

from gradwise.derivations import function_registry
from gradwise.derivations import functions as fn
from gradwise.derivations.steps import Step


@dataclass(frozen=True)
class Rule(Step):
    """One step `d/dx expr = after`. Subclasses say how `after` follows from their sub-steps.

    Its `check` compares `after` with SymPy's own derivative; `intermediate_check` compares the
    intermediate line, evaluated, with `after` (both set by the derivation that checks the tree).
    """

    expr: sp.Expr
    var: sp.Symbol
    rule: ClassVar[str] = ""
    intermediate_check: ClassVar[object] = None

    @property
    def before(self) -> sp.Expr:
        return sp.Derivative(self.expr, self.var)

    @property
    def substeps(self) -> tuple["Rule", ...]:
        return ()

    @cached_property
    def after(self) -> sp.Expr:
        return self.evaluate()

    def evaluate(self) -> sp.Expr:
        raise NotImplementedError

    @property
    def intermediate(self) -> sp.Expr | None:
        """The rule applied, sub-derivatives unevaluated; None when the rule goes straight to its result."""
        return None


def D(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """An unevaluated derivative, as written in an intermediate line."""
    return sp.Derivative(expr, var)


@dataclass(frozen=True)
class ConstantRule(Rule):
    """d/dx c = 0 for anything that does not contain x (other variables are held constant)."""

    rule: ClassVar[str] = "constant"

    def evaluate(self):
        return sp.S.Zero


@dataclass(frozen=True)
class VariableRule(Rule):
    """d/dx x = 1."""

    rule: ClassVar[str] = "variable"

    def evaluate(self):
        return sp.S.One


@dataclass(frozen=True)
class ConstantMultipleRule(Rule):
    """d/dx [c·f] = c·f'."""

    constant: sp.Expr = None
    other: sp.Expr = None
    step: Rule = None
    rule: ClassVar[str] = "constant_multiple"

    @property
    def substeps(self):
        return (self.step,)

    @property
    def intermediate(self):
        return sp.Mul(self.constant, D(self.other, self.var), evaluate=False)

    def evaluate(self):
        return self.constant * self.step.after


@dataclass(frozen=True)
class SumRule(Rule):
    """d/dx [f + g + ...] = f' + g' + ..."""

    steps: tuple[Rule, ...] = ()
    rule: ClassVar[str] = "sum"

    @property
    def substeps(self):
        return self.steps

    @property
    def intermediate(self):
        return sp.Add(*[_signed_derivative(s) for s in self.steps], evaluate=False)

    def evaluate(self):
        return sp.Add(*[s.after for s in self.steps])


def _signed_derivative(step: Rule) -> sp.Expr:
    """d/dx(-f) written as -d/dx f, the way people write a difference."""
    coeff, rest = step.expr.as_coeff_Mul()
    if coeff.is_negative and rest != 1:
        return sp.Mul(coeff, D(rest, step.var), evaluate=False)
    return D(step.expr, step.var)


@dataclass(frozen=True)
class PowerRule(Rule):
    """d/dx x^n = n x^(n-1), for any exponent n that does not contain x."""

    exponent: sp.Expr = None
    rule: ClassVar[str] = "power"

    def evaluate(self):
        return self.exponent * self.var ** (self.exponent - 1)


@dataclass(frozen=True)
class ExponentialRule(Rule):
    """d/dx a^x = a^x ln a, for a constant base a > 0 (e^x is the case ln e = 1)."""

    base: sp.Expr = None
    rule: ClassVar[str] = "exponential"

    def evaluate(self):
        return self.expr * sp.log(self.base)


@dataclass(frozen=True)
class ProductRule(Rule):
    """d/dx [f g h ...] = f' g h + f g' h + f g h' + ..., one term per factor."""

    factors: tuple[sp.Expr, ...] = ()
    steps: tuple[Rule, ...] = ()
    rule: ClassVar[str] = "product"

    @property
    def substeps(self):
        return self.steps

    def _terms(self, derivative: Callable[[int], sp.Expr]) -> sp.Expr:
        terms = []
        for i in range(len(self.factors)):
            parts = [derivative(i) if j == i else f for j, f in enumerate(self.factors)]
            terms.append(sp.Mul(*parts, evaluate=False))
        return sp.Add(*terms, evaluate=False)

    @property
    def intermediate(self):
        return self._terms(lambda i: D(self.factors[i], self.var))

    def evaluate(self):
        return sp.Add(*[sp.Mul(*[self.steps[i].after if j == i else f for j, f in enumerate(self.factors)])
                        for i in range(len(self.factors))])


@dataclass(frozen=True)
class QuotientRule(Rule):
    """d/dx [f/g] = (f' g - f g') / g²."""

    numerator: sp.Expr = None
    denominator: sp.Expr = None
    numerator_step: Rule = None
    denominator_step: Rule = None
    rule: ClassVar[str] = "quotient"

    @property
    def substeps(self):
        return (self.numerator_step, self.denominator_step)

    @property
    def intermediate(self):
        f, g, x = self.numerator, self.denominator, self.var
        top = sp.Add(sp.Mul(D(f, x), g, evaluate=False), -sp.Mul(f, D(g, x), evaluate=False), evaluate=False)
        return sp.Mul(top, g ** -2, evaluate=False)

    def evaluate(self):
        f, g = self.numerator, self.denominator
        fp, gp = self.numerator_step.after, self.denominator_step.after
        return (fp * g - f * gp) / g ** 2


@dataclass(frozen=True)
class ChainRule(Rule):
    """d/dx f(g(x)) = f'(u)·u' with u = g(x): the outer step differentiates f(u) in u."""

    u: sp.Symbol = None
    inner: sp.Expr = None
    outer_step: Rule = None
    inner_step: Rule = None
    rule: ClassVar[str] = "chain"

    @property
    def substeps(self):
        return (self.outer_step, self.inner_step)

    @property
    def outer_derivative(self) -> sp.Expr:
        """f'(g(x)): the outer derivative with u put back and its common factors taken out (2(σ - y), not
        -2y + 2σ), but not inside a function, so that g(x) reads as written (cos(5x² + 2x), not
        cos(x(5x + 2)))."""
        expr = self.outer_step.after.xreplace({self.u: self.inner})
        held = {f: sp.Dummy() for f in expr.atoms(sp.Function)}
        factored = sp.factor_terms(expr.xreplace(held))
        with distribute(False):   # putting the functions back must not multiply 2(σ - y) out again
            return factored.xreplace({d: f for f, d in held.items()})

    @property
    def intermediate(self):
        return sp.Mul(*sp.Mul.make_args(self.outer_derivative), D(self.inner, self.var), evaluate=False)

    def evaluate(self):
        return self.outer_derivative * self.inner_step.after


@dataclass(frozen=True)
class LogDifferentiationRule(Rule):
    """f^g with x in both: y = f^g, ln y = g ln f, so y' = f^g · (g ln f)'."""

    base: sp.Expr = None
    exponent: sp.Expr = None
    step: Rule = None  # differentiates g·ln f
    rule: ClassVar[str] = "log_differentiation"

    @property
    def substeps(self):
        return (self.step,)

    @property
    def logarithm(self) -> sp.Expr:
        return self.exponent * sp.log(self.base)

    @property
    def intermediate(self):
        return sp.Mul(self.expr, D(self.logarithm, self.var), evaluate=False)

    def evaluate(self):
        return self.expr * self.step.after


@dataclass(frozen=True)
class MultivariableChainRule(Rule):
    """d/dx f(a₁(x), ..., aₙ(x)) = Σᵢ ∂f/∂aᵢ · aᵢ': for max, min, logsumexp and softmax."""

    partials: tuple[sp.Expr, ...] = ()   # ∂f/∂aᵢ at the arguments
    steps: tuple[Rule, ...] = ()          # d aᵢ / dx
    rule: ClassVar[str] = "multivariable_chain"

    @property
    def substeps(self):
        return self.steps

    @property
    def intermediate(self):
        return sp.Add(*[sp.Mul(p, D(s.expr, self.var), evaluate=False)
                        for p, s in zip(self.partials, self.steps)], evaluate=False)

    def evaluate(self):
        return sp.Add(*[p * s.after for p, s in zip(self.partials, self.steps)])

    @property
    def function_name(self) -> str:
        return _function_name(self.expr)


@dataclass(frozen=True)
class ElementaryRule(Rule):
    """f(x) for a function f with a known derivative, applied to the variable itself (chains wrap it)."""

    rule_id: str = ""

    @property
    def rule(self) -> str:  # type: ignore[override]
        return self.rule_id

    @property
    def function_name(self) -> str:
        return _function_name(self.expr)

    def evaluate(self):
        return derivative_table(self.expr, self.var)


@dataclass(frozen=True)
class UnknownRule(Rule):
    """No rule applies: the derivative is left unevaluated and said to be so, never faked."""

    rule: ClassVar[str] = "unknown"

    def evaluate(self):
        return sp.Derivative(self.expr, self.var)


# ----------------------------------------------------------------------------------------------------
# Known derivatives of one-argument functions, f(x) -> f'(x), and each function's rule id.

DERIVATIVES = function_registry.derivative_table()


def derivative_table(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """f'(x) for f(x) with a known one-argument f (x is the argument itself)."""
    return DERIVATIVES[type(expr)][1](var)


def _function_name(expr: sp.Expr) -> str:
    names = {sp.log: "ln", sp.Abs: "abs", sp.Max: "max", sp.Min: "min", sp.exp: "exp"}
    return names.get(type(expr), type(expr).__name__)
