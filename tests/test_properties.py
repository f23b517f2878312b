"""The engine on thousands of random expressions: every step checks and the result is SymPy's derivative."""
import os

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import differentiate
from gradwise.derivations.equivalence import equivalent
from gradwise.derivations.limits import time_limit
from gradwise.derivations.parsing import symbol
from gradwise.errors import EngineError, GradwiseError

x, y = symbol("x"), symbol("y")
# the profile's examples (100 by default, 1,000 with HYPOTHESIS_PROFILE=thorough), shared by the four kinds
# of root; an explicit count wins
EXAMPLES = int(os.environ.get("GRADWISE_PROPERTY_EXAMPLES", settings.default.max_examples))

UNARY = [sp.sin, sp.cos, sp.tan, sp.exp, sp.tanh, sp.atan, sp.sinh, sp.cosh, sp.erf, fn.sigmoid,
         fn.softplus, fn.relu, sp.Abs, lambda u: sp.log(u ** 2 + 1), lambda u: sp.sqrt(u ** 2 + 1),
         sp.asin, lambda u: sp.log(u, 2), lambda u: 2 ** u]

leaves = st.one_of(st.just(x), st.just(x), st.just(y),
                   st.integers(-4, 5).map(sp.Integer),
                   st.fractions(min_value=-3, max_value=3, max_denominator=4).map(sp.Rational))


def maximum(a, b):
    """max(a, b), or a + b when SymPy cannot order them (a complex constant such as asin(2))."""
    try:
        return sp.Max(a, b)
    except ValueError:
        return a + b


def constructors(children) -> dict[str, list]:
    """The ways to build an expression from smaller ones, by the kind of node they put at the root."""
    return {
        "sum": [st.tuples(children, children).map(lambda t: t[0] + t[1]),
                st.tuples(children, children).map(lambda t: t[0] - t[1])],
        "product": [st.tuples(children, children).map(lambda t: t[0] * t[1]),
                    st.tuples(children, children).map(lambda t: t[0] / (t[1] ** 2 + 1))],
        "function": [st.tuples(st.sampled_from(UNARY), children).map(lambda t: t[0](t[1])),
                     st.tuples(children, children).map(lambda t: maximum(*t))],
        "power": [st.tuples(children, st.sampled_from([sp.Integer(2), sp.Integer(3), sp.Integer(-1), sp.Rational(1, 2),
                                                       sp.Rational(-3, 2)]))
                  .map(lambda t: (t[0] ** 2 + 1) ** t[1] if not t[1].is_Integer or t[1] < 0 else t[0] ** t[1]),
                  children.map(lambda c: (x ** 2 + 1) ** c)],
    }


def extend(children):
    return st.one_of(*[c for kind in constructors(children).values() for c in kind])


# one test per kind of root node, so that the two test workers share the property's examples evenly
SUBTREES = st.recursive(leaves, extend, max_leaves=4)
ROOTS = {kind: st.one_of(*made) for kind, made in constructors(SUBTREES).items()}


@pytest.mark.parametrize("root", sorted(ROOTS))
def test_every_step_checks_and_result_is_sympy_derivative(root):
    @settings(max_examples=max(10, EXAMPLES // len(ROOTS)))
    @given(ROOTS[root])
    def holds(expr):
        every_step_checks_and_result_is_sympy_derivative(expr)
    holds()


def every_step_checks_and_result_is_sympy_derivative(expr):
    # differentiate() checks every step itself and raises EngineError on a failed check; the time limit
    # turns a hang into a failure with the example that caused it (short enough that shrinking one
    # does not take the suite past its minutes)
    with time_limit(30):
        try:
            d = differentiate(expr, x)
        except GradwiseError as exc:
            if isinstance(exc, EngineError):
                raise
            # a refusal by name is right only for what is not a real function: relu(asin(2)), zoo
            assert _has_a_non_real_constant(expr), f"{expr} refused: {exc}"
            return
        assert equivalent(d.result, sp.diff(expr, x), seed=1).equal is not False
    for step in d.all_steps():
        judgement = d.check_of(step)
        assert judgement is None or judgement.equal is not False


def _has_a_non_real_constant(expr) -> bool:
    """Whether a constant part of expr is undefined or not a real number (asin(2), 1/0)."""
    for part in sp.preorder_traversal(expr):
        if not part.free_symbols and (part.has(sp.zoo, sp.nan, sp.oo) or sp.N(part).is_real is False):
            return True
    return False
