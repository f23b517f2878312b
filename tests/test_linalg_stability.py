"""The Hessian -> learning rate link (issue 6 imports it): checked against a simulated gradient descent."""
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings, strategies as st

from gradwise.derivations.linalg.stability import StabilityAnalysis, stable_learning_rates
from gradwise.errors import GradwiseError


def test_diagonal_hessian():
    a = stable_learning_rates(sp.Matrix([[2, 0], [0, 10]]))
    assert isinstance(a, StabilityAnalysis)
    assert a.eigenvalues == (2.0, 10.0)
    assert a.lr_max == pytest.approx(0.2)
    assert a.optimal_lr == pytest.approx(2 / 12)
    assert a.condition_number == pytest.approx(5.0)
    assert a.contraction(a.optimal_lr) == pytest.approx((5 - 1) / (5 + 1))


def test_not_positive_definite():
    a = stable_learning_rates(np.array([[-1.0, 0], [0, -3.0]]))
    assert a.lr_max == math.inf and a.optimal_lr is None and a.condition_number == math.inf


@pytest.mark.parametrize("bad", [np.ones((2, 3)), np.array([[1.0, 2.0], [0.0, 1.0]]),
                                 sp.Matrix([[sp.Symbol("a"), 0], [0, 1]])])
def test_refuses_non_symmetric_or_symbolic(bad):
    with pytest.raises(GradwiseError):
        stable_learning_rates(bad)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-5, 5), min_size=9, max_size=9), st.floats(0.05, 2.5))
def test_contraction_matches_gradient_descent(entries, fraction):
    """Gradient descent on ½xᵀHx shrinks the error by at most contraction(lr) each step."""
    assume(abs(fraction - 1.0) > 1e-6)  # at lr = 2/λ_max exactly, rounding decides
    m = np.array(entries, dtype=float).reshape(3, 3)
    h = m @ m.T + np.eye(3)  # symmetric positive definite
    a = stable_learning_rates(h)
    assert np.allclose(a.eigenvalues, np.linalg.eigvalsh(h))
    lr = fraction * a.lr_max
    x = np.array([1.0, -2.0, 0.5])
    for _ in range(30):
        previous = np.linalg.norm(x)
        x = x - lr * (h @ x)
        assert np.linalg.norm(x) <= a.contraction(lr) * previous * (1 + 1e-9) + 1e-300
    assert a.converges(lr) == (fraction < 1.0)


def test_explained_and_in_the_eig_command(capsys):
    import json

    from gradwise.cli import main
    from gradwise.explainer import explain
    from gradwise.renderers import render
    text = render(explain(stable_learning_rates(np.diag([2.0, 10.0]))), "text")
    assert "lr_max = 2/λ_max" in text and "= 0.2" in text and "lr_opt = 0.166667" in text
    assert main(["eig", "[[2,0],[0,10]]", "--stability", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stability"]["lr_max"] == pytest.approx(0.2) and data["kind"] == "eigen"
    assert main(["eig", "[[a,0],[0,1]]", "--stability"]) == 2
    assert "symbols" in capsys.readouterr().err
