"""A checked derivation of a derivative: the rule tree, the simplification steps, every step's check.

`differentiate("x^2 sin(x)", "x")` returns a `Derivation` whose `.result` is the SymPy expression the
steps produce and whose `.steps` is the checked step tree. A step whose check fails is an engine bug:
it raises `EngineError` and is never shown.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from gradwise.errors import EngineError, GradwiseError
from gradwise.derivations import functions as fn
from gradwise.derivations.differentiate import derivative_steps
from gradwise.derivations.display import Displayable
from gradwise.derivations.equivalence import Judgement, equivalent
from gradwise.derivations.limits import time_limit
from gradwise.derivations.parsing import parse_variables, parse_with_reading, symbol
from gradwise.derivations.rules import Rule, UnknownRule
from gradwise.derivations.steps import EqualityStep
from gradwise.derivations.simplification import BUDGET_NOTE, simplify_within_budget

MAX_ORDER = 10
SYMBOLIC_CHECK_OPS = 300   # larger steps are checked at random points only: a symbolic proof costs too much


@dataclass(frozen=True)
class OrderDerivation:
    """One order of differentiation: d/dx of `expr` by the rule tree, then simplified."""

    order: int
    expr: sp.Expr
    var: sp.Symbol
    tree: Rule
    simplifications: tuple[EqualityStep, ...]
    note: str = ""   # said under the steps, e.g. that the simplification budget ran out

    @property
    def result(self) -> sp.Expr:
        return self.simplifications[-1].after if self.simplifications else self.tree.after

    @property
    def steps(self) -> tuple:
        return (self.tree, *self.simplifications)


@dataclass
class Derivation(Displayable):
    """d^n/dx^n of an expression, derived step by step; every step carries its check."""

    input: str
    expr: sp.Expr
    var: sp.Symbol
    order: int
    orders: list[OrderDerivation]
    reading: tuple[str, ...] = ()  # how the input was read, where that was not literal ("xy read as x·y")

    kind = "derivative"

    @property
    def result(self) -> sp.Expr:
        return self.orders[-1].result

    @property
    def steps(self) -> tuple:
        """The top-level steps: the rule tree and simplifications of the first order, then later orders."""
        return tuple(s for o in self.orders for s in o.steps)

    @property
    def held_constant(self) -> list[sp.Symbol]:
        """The other variables, held constant in a partial derivative."""
        return sorted(self.expr.free_symbols - {self.var}, key=lambda s: s.name)

    @property
    def is_partial(self) -> bool:
        return bool(self.held_constant)

    def check_of(self, step) -> Judgement | None:
        """How this step was checked (None for a step that was not): the check stored on the step."""
        return step.check

    def all_steps(self):
        """Every step of every order, depth first."""
        for o in self.orders:
            for s in o.steps:
                yield from s.walk()


def differentiate(expression: str | sp.Expr, wrt: str | sp.Symbol | None = None, *, order: int = 1,
                  timeout: float | None = None) -> Derivation:
    """Differentiate `expression` (plain math, LaTeX or SymPy) with respect to `wrt`, `order` times.

    Every step is checked symbolically and at random points before it is returned.
    """
    with time_limit(timeout):
        text = expression if isinstance(expression, str) else str(expression)
        if isinstance(expression, str):
            read = parse_with_reading(expression)
            expr, reading = read.expr, read.notes
        else:
            expr, reading = expression, ()
        expr, var, order = _read_request(expr, wrt, order, text)
        orders, current = [], expr
        for k in range(1, order + 1):
            tree = derivative_steps(current, var)
            _check_tree(tree)
            search = simplify_within_budget(tree.after, var, current)
            for s in search.steps:
                _attach(s, _judge_step(s.before, s.after))
            orders.append(OrderDerivation(k, current, var, tree, tuple(search.steps),
                                          BUDGET_NOTE if search.budget_spent else ""))
            current = orders[-1].result
        return Derivation(text, expr, var, order, orders, reading)


def _read_request(expr, wrt, order: int, text: str):
    """The function, the variable and the order, from the arguments or from a `\\frac{d}{dx}` in the input."""
    if isinstance(expr, sp.Derivative):
        counts = expr.variable_count
        if len(counts) != 1:
            raise GradwiseError(f'"{text}" mixes derivatives in several variables; use gradwise hessian')
        (dvar, n), = counts
        if wrt is not None and _as_symbol(wrt) != dvar:
            raise GradwiseError(f"the input differentiates in {dvar} but --wrt says {wrt}")
        expr, wrt, order = expr.expr, dvar, int(n) * order
    if isinstance(expr, sp.MatrixBase):
        raise GradwiseError("diff takes one expression; for a vector of functions use gradwise jacobian")
    if isinstance(expr, sp.Equality) or not isinstance(expr, sp.Expr):
        raise GradwiseError(f'"{text}" is not an expression to differentiate')
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise GradwiseError(f'"{text}" is undefined: it reads as {expr} (a division by 0, a log of base 1, ...)')
    for node in sp.preorder_traversal(expr):
        if isinstance(node, REAL_ONLY) and any(a.is_real is False for a in node.args):
            raise GradwiseError(f'"{text}" applies {_real_only_name(node)} to {node.args[0]}, which is not a real '
                                "number: it is defined for real arguments only")
    if not 1 <= order <= MAX_ORDER:
        raise GradwiseError(f"the order must be between 1 and {MAX_ORDER}, not {order}")
    free = sorted(expr.free_symbols, key=lambda s: s.name)
    if wrt is None:
        if len(free) == 1:
            wrt = free[0]
        elif not free:
            wrt = symbol("x")
        else:
            names = ", ".join(s.name for s in free)
            raise GradwiseError(f'"{text}" has several variables ({names}); say which with --wrt')
    return expr, _as_symbol(wrt), order


REAL_ONLY = fn.REAL_ONLY


def _real_only_name(node: sp.Basic) -> str:
    return type(node).__name__.lower()


def _as_symbol(wrt) -> sp.Symbol:
    if isinstance(wrt, sp.Symbol):
        return symbol(wrt.name)
    variables = parse_variables(str(wrt))
    if len(variables) != 1:
        raise GradwiseError(f"differentiate with respect to one variable, not '{wrt}'")
    return variables[0]


def _check_tree(tree: Rule) -> None:
    """Check every rule step against SymPy's own derivative, and every intermediate line against the step's result."""
    for step in tree.walk():
        if isinstance(step, UnknownRule):
            step.checked(Judgement(None, "unknown", reason="no rule applies"))
            continue
        _attach(step, _judge_step(sp.diff(step.expr, step.var), step.after))
        if step.intermediate is not None:
            _attach(step, _judge_step(step.intermediate.doit(), step.after), "intermediate_check")


def _judge_step(expected: sp.Expr, got: sp.Expr) -> Judgement:
    """A step's check: always at random points, and symbolically too while the step is small."""
    small = sp.count_ops(expected) + sp.count_ops(got) <= SYMBOLIC_CHECK_OPS
    return equivalent(expected, got, confirm=True, symbolic=small)


def _attach(step, judgement: Judgement, attribute: str = "check") -> None:
    """Store a step's check on it; a failed check is an engine bug and stops everything."""
    if judgement.equal is False:
        line = "intermediate line" if attribute == "intermediate_check" else "step"
        raise EngineError(f"the {step.rule} {line} {step.before} = {step.after} failed its check "
                          f"at {judgement.counterexample}")
    step.checked(judgement, attribute)
