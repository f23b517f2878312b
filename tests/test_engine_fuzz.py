"""The engine answers what it reads: random expressions give a checked derivation or a GradwiseError
(a refusal by name, a time limit), never an internal error (a step that failed its own check) or another
exception. benchmarks/fuzz_engine.py runs the same at scale (10,000 expressions)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gradwise.derivations.derivation import differentiate
from gradwise.errors import GradwiseError

UNARY = ["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "softplus", "asin",
         "atan", "erf"]
LEAF = st.sampled_from(["x", "y", "2", "3", "1/2", "-1", "6"])


def _grow(inner):
    unary = st.tuples(st.sampled_from(UNARY), inner).map(lambda t: f"{t[0]}({t[1]})")
    binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})")
    power = st.tuples(inner, st.sampled_from(["2", "3", "1/2", "x", "y"])).map(lambda t: f"({t[0]})^({t[1]})")
    return st.one_of(unary, binary, power)


EXPRESSIONS = st.recursive(LEAF, _grow, max_leaves=6)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(EXPRESSIONS)
def test_random_expressions_never_end_in_an_internal_error(text):
    try:
        differentiate(text, "x", timeout=20)
    except GradwiseError:
        pass  # refused by name or out of time: an answer, not a bug


@pytest.mark.parametrize("text", ["abs(sqrt(x))", "abs(x^y)", "(abs(tan(sqrt(x))))^4", "relu(sqrt(x))",
                                  "abs(log(x))", "abs(asin(x))", "(exp(relu(cos(asin(3))))) ^ (3)",
                                  "max(cos(asin(3)), x)^2"])
def test_abs_of_what_turns_complex_is_checked_on_the_real_domain(text):
    try:
        d = differentiate(text, "x", timeout=6)
    except GradwiseError as exc:
        assert "internal" not in str(exc)
        return
    assert d.result is not None


@pytest.mark.parametrize("text, inside", [("abs(exp(asin(x)))", (-0.9, 0.3, 0.8)), ("abs(exp(sqrt(x)))", (0.2, 1.5, 4.0)),
                                          ("abs(2^asin(x))", (-0.5, 0.6)), ("abs(-3 exp(asin(x)) sin(x))", (0.3, 0.7))])
def test_abs_of_a_positive_factor_derives_by_rules_only(text, inside):
    """|e^u| is e^u where every variable is real: no re(...) and no `unknown` rule, and the answer agrees
    with central finite differences of |f| computed in floating point (an oracle outside SymPy)."""
    import math

    import sympy as sp
    d = differentiate(text, "x")
    rules = [s.rule for s in d.orders[0].tree.walk()]
    assert not d.result.has(sp.re, sp.im, sp.atan2, sp.Derivative) and "unknown" not in rules
    f = {"abs(exp(asin(x)))": lambda x: abs(math.exp(math.asin(x))),
         "abs(exp(sqrt(x)))": lambda x: abs(math.exp(math.sqrt(x))),
         "abs(2^asin(x))": lambda x: abs(2 ** math.asin(x)),
         "abs(-3 exp(asin(x)) sin(x))": lambda x: abs(-3 * math.exp(math.asin(x)) * math.sin(x))}[text]
    x = sp.Symbol("x", real=True)
    for point in inside:
        h = 1e-6
        reference = (f(point + h) - f(point - h)) / (2 * h)
        assert abs(float(d.result.subs(x, point)) - reference) < 1e-5 * (1 + abs(reference))


def test_a_point_where_mpmath_runs_out_of_memory_is_resampled(monkeypatch):
    """atan(softplus(sinh(-7)^x)) made mpmath allocate an astronomic mantissa (MemoryError) at one point:
    such a point is skipped like any point where a side cannot be evaluated."""
    import sympy as sp

    from gradwise.derivations import equivalence
    x = sp.Symbol("x", real=True)
    real_n = sp.N
    calls = []

    def n_failing_once(value, *args, **kwargs):
        if not calls:
            calls.append(value)
            raise MemoryError
        return real_n(value, *args, **kwargs)

    monkeypatch.setattr(equivalence.sp, "N", n_failing_once)
    judgement = equivalence.numerically_equal(sp.sin(x) ** 2, 1 - sp.cos(x) ** 2, certify=False)
    assert calls and judgement.equal is True and judgement.points == 4
