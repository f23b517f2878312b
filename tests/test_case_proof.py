"""Steps with abs, sign, relu, max and Heaviside are decided case by case: d/dx|x| = x/|x| is valid (the
sides agree wherever both are defined; at 0 neither is), = sgn x too, = 1 is wrong, and a step that differs
only at the kink, where both sides are defined, is wrong with that point as the counterexample."""
from __future__ import annotations

import sympy as sp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradwise.derivations.case_proof import agree_where_defined
from gradwise.derivations.verify.judging import check

x = sp.Symbol("x", real=True)

VALID = [r"\frac{d}{dx}|x| = \frac{x}{|x|}", r"\frac{d}{dx}\left|x\right| = \frac{\left|x\right|}{x}",
         r"\frac{d}{dx}|x| = \operatorname{sign}(x)", r"\frac{d}{dx}\left|x - 20\right| = \frac{x-20}{|x-20|}",
         r"\frac{d}{dx}\operatorname{ReLU}(x) = \operatorname{H}(x)",
         r"\frac{d}{dx}\operatorname{ReLU}(x) = \frac{x + |x|}{2x}",
         r"\frac{d}{dx} \max(x, 3 - x) = \frac{2x-3}{|2x-3|}", r"\operatorname{sign}(x) = \frac{x}{|x|}",
         r"\frac{d}{dx} x|x| = \frac{2x^2}{|x|}"]
WRONG = [r"\frac{d}{dx}|x| = 1", r"\frac{d}{dx}|x| = \frac{x}{|x|} + 1", r"\frac{d}{dx}|x| = -\frac{x}{|x|}"]


def _step(text: str):
    v = check(text, timeout=None, step_timeout=None)
    assert v.error is None and len(v.steps) == 1, v.error
    return v.steps[0]


@pytest.mark.parametrize("text", VALID)
def test_equal_wherever_both_sides_are_defined_is_valid(text):
    s = _step(text)
    assert s.valid and s.method == "symbolic", (s.method, s.reason)


def test_the_verdict_says_where_a_side_is_undefined():
    s = _step(r"\frac{d}{dx}|x| = \frac{x}{|x|}")
    assert "wherever both sides are defined" in s.reason and "x < 0, x > 0" in s.reason
    assert "at x = 0" in s.reason and "one-sided values are -1 and 1" in s.reason and "division by 0" in s.reason


@pytest.mark.parametrize("text", WRONG)
def test_a_wrong_slope_is_wrong(text):
    assert _step(text).valid is False


def test_a_difference_at_the_kink_alone_is_a_counterexample_there():
    """sgn 0 = 0 but 2H(0, 0) - 1 = -1: both sides are defined at 0 and differ there."""
    s = _step(r"\operatorname{sign}(x) = 2\operatorname{H}(x, 0) - 1")
    assert s.valid is False and s.counterexample == {"x": 0.0}
    assert _step(r"\operatorname{sign}(x) = 2\operatorname{H}(x) - 1").valid   # H(0) = 1/2


def test_no_verdict_by_cases_outside_linear_arguments_of_one_symbol():
    y = sp.Symbol("y", real=True)
    assert agree_where_defined(sp.Abs(x - y), sp.Abs(y - x)).equal is None
    assert agree_where_defined(sp.Abs(x**2 - 1), sp.sqrt((x**2 - 1)**2)).equal is None


RATIONALS = st.fractions(min_value=-20, max_value=20, max_denominator=6).map(sp.Rational)


@settings(max_examples=25, deadline=None)
@given(RATIONALS.filter(lambda a: a != 0), RATIONALS, st.sampled_from(["quotient", "sign", "flipped", "constant",
                                                                         "shifted"]))
def test_the_slope_of_a_linear_kink_is_judged_by_its_own_oracle(a, b, form):
    """d/dx|a x + b| against a right side whose validity is known by construction (the slope of |a x + b|
    is a·sgn(a x + b) away from its kink) and confirmed at points on both sides of the kink."""
    u = a * x + b
    rhs = {"quotient": a * u / sp.Abs(u), "sign": a * sp.sign(u), "flipped": -a * u / sp.Abs(u),
           "constant": sp.Abs(a) + 0 * x, "shifted": a * u / sp.Abs(u) + 1}[form]
    should_hold = form in ("quotient", "sign")
    kink = -b / a
    for side in (-1, 1):   # the oracle: a·sgn(u) on each side of the kink, by floating-point arithmetic
        at = float(kink) + side * 0.5
        slope = float(a) * (1 if float(a) * at + float(b) > 0 else -1)
        assert (abs(float(rhs.subs(x, sp.Rational(at))) - slope) < 1e-9) or not should_hold
    text = rf"\frac{{d}}{{dx}} \left|{sp.latex(u)}\right| = {sp.latex(rhs)}"
    s = _step(text)
    assert s.valid is should_hold, (text, s.method, s.reason)
