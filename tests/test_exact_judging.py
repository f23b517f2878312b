"""Exact input is judged exactly; points are drawn where the expression changes branch and at its scale."""
from __future__ import annotations

import pytest
import sympy as sp

from gradwise.derivations.equivalence import certified_difference, equivalent
from gradwise.derivations.sampling import branch_points
from gradwise.derivations.verify.judging import check

x = sp.Symbol("x", real=True)

NOT_EQUAL = [
    r"x^2 = x^2 + 10^{-12}",
    r"10^{12} x = 10^{12} x + 1",
    r"\frac{1}{7} = 0.142857142857",
    r"\frac{d}{dx} x^2 = 2x + 10^{-11}",
    r"\frac{d}{dx} \left|x - 20\right| = -1",
    r"\frac{d}{dx} \operatorname{ReLU}(x - 15) = 0",
    r"\frac{d}{dx} \left(10^{12} x + x^2\right) = 10^{12}",
    r"\frac{d}{dx} e^{-1000x^2} = 0",
    r"\sqrt{2} = 1.41421356",
]


@pytest.mark.parametrize("text", NOT_EQUAL)
def test_close_but_unequal_steps_are_wrong(text):
    v = check(text, timeout=None, step_timeout=None)
    assert v.error is None and len(v.steps) == 1
    assert v.steps[0].valid is False, (v.steps[0].method, v.steps[0].reason)
    assert v.exit_code == 1


EQUAL = [r"\sin^2 x + \cos^2 x = 1", r"\frac{d}{dx} x^2 = 2x", r"0.5 x = \frac{x}{2}",
         r"\frac{d}{dx} \left|x - 20\right| = \operatorname{sgn}(x - 20)"]


@pytest.mark.parametrize("text", EQUAL)
def test_equal_steps_stay_valid(text):
    v = check(text, timeout=None, step_timeout=None)
    assert v.valid, [(s.method, s.reason) for s in v.steps]


def test_an_exact_zero_is_not_certified_as_a_difference():
    # sin²x + cos²x − 1 at an exact point is 0: evalf cannot tell it from 0, so it is no counterexample
    assert certified_difference(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1), {x: sp.Rational(137, 100)}) is None
    gap = certified_difference(x ** 2, x ** 2 + sp.Rational(1, 10 ** 12), {x: sp.Rational(137, 100)})
    assert gap == pytest.approx(-1e-12, rel=1e-9)


def test_a_tiny_exact_difference_is_a_counterexample_with_its_size():
    j = equivalent(x ** 2, x ** 2 + sp.Rational(1, 10 ** 12))
    assert j.equal is False and "1e-12" in j.reason


def test_decimals_are_judged_to_significant_digits():
    a, b = sp.Float("0.1") * x, x / 10
    j = equivalent(a, b, symbolic=False)
    assert j.equal is True and j.method == "numeric" and j.digits >= 14
    assert "significant digits" in j.reason
    rounded = equivalent(sp.Float("0.14285714") * x, x / 7, symbolic=False)
    assert rounded.equal is False and rounded.digits in (7, 8)


def test_branch_points_are_the_zeros_of_the_kinks():
    points = branch_points(sp.Abs(x - 20) + sp.Max(x, 15) + sp.sign(3 * x - 1), [x])
    assert {p for _, p in points} == {20, 15, sp.Rational(1, 3)}


@pytest.mark.parametrize("kink", [-40, 7, 20, 300])
def test_a_kink_anywhere_is_found(kink):
    wrong = sp.Integer(-1)  # d/dx |x - k| is -1 only left of the kink
    j = equivalent(sp.Derivative(sp.Abs(x - kink), x), wrong)
    assert j.equal is False
    assert j.counterexample["x"] > kink


@pytest.mark.parametrize("rhs", [r"2x + \mathrm{1}", r"2x + \text{1}", r"2x ^^ 17", r"2x +"])
def test_written_input_is_never_dropped(rhs):
    v = check(r"\frac{d}{dx} x^2 = " + rhs, timeout=None, step_timeout=None)
    step = v.steps[0]
    assert not step.valid  # read as 2x + 1 (wrong) or refused by name, never read as 2x
    assert step.rhs is None or step.rhs != 2 * sp.Symbol("x")


# Exact sides that agree at every point are proved, or the step is undecided: points are evidence, not proof.
PROVED_BY_CASES = [r"\operatorname{ReLU}(x) - \operatorname{ReLU}(-x) = x", r"\max(x, 0) + \min(x, 0) = x",
                   r"\left|x\right| \operatorname{sgn}(x) = x"]


@pytest.mark.parametrize("text", PROVED_BY_CASES)
def test_exact_agreement_is_upgraded_to_a_proof(text):
    v = check(text, timeout=None, step_timeout=None)
    assert v.valid and v.steps[0].method == "symbolic", [(s.method, s.reason) for s in v.steps]


def test_exact_agreement_without_a_proof_is_undecided(monkeypatch):
    """2x(x²-1)/|x²-1| agrees with d/dx|x²-1| wherever it is defined, but no rewrite proves it (the proof by
    cases takes linear arguments only; d/dx|x| = x/|x| is proved, tests/test_case_proof.py): the step is
    undecided (not valid, exit 1), in the verdict and in the JSON, and the reason says that points are not
    a proof."""
    import json

    from gradwise.explainer import explain
    from gradwise.renderers import render
    v = check(r"\frac{d}{dx} \left|x^2 - 1\right| = \frac{2x(x^2-1)}{\left|x^2-1\right|}", timeout=None,
              step_timeout=None)
    step = v.steps[0]
    assert (step.valid, step.method, v.exit_code) == (False, "undecided", 1)
    assert "evidence, not proof" in step.reason and step.points == 4
    data = json.loads(render(explain(v), "json"))
    assert data["steps"][0]["method"] == "undecided" and data["valid"] is False
    assert "could not be decided" in render(explain(v), "text")



def test_a_point_where_30_digits_are_noise_is_no_counterexample():
    """Found by benchmarks/fuzz_engine.py 2000 3: relu(tan(cosh(x + 1) + ln 216)) failed its own chain step at
    x = 111.44, where cosh ≈ 1e48 leaves no correct digit of tan at 30 digits; a disagreement now counts only
    when it holds, with the same values, at 60 digits."""
    from gradwise.derivations.derivation import differentiate
    from gradwise.derivations.equivalence import _stable_disagreement, _value
    point = {x: sp.Rational("111.44")}
    u = sp.cosh(x + 1) + sp.log(216)
    left, right = sp.tan(u), sp.sin(u) / sp.cos(u)
    assert not _stable_disagreement(left, right, point, _value(left, point), _value(right, point))
    assert _stable_disagreement(x**2, x**2 + 1, point, _value(x**2, point), _value(x**2 + 1, point))
    d = differentiate("relu(tan((cosh((x) - (-1))) + (log((6) ^ (3)))))", "x")
    truth = sp.diff(sp.Max(0, sp.tan(u)), x)
    for at in (sp.Rational(3, 10), sp.Rational(-13, 10)):
        assert abs(complex(sp.N(d.result.subs(x, at))) - complex(sp.N(truth.subs(x, at)))) < 1e-9
