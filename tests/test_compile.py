"""compile(): vectorised f, ∇f and Hessian from the checked derivative engine."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import gradwise
from gradwise.errors import EngineError, GradwiseError
from gradwise.simulations import compile as compile_module
from gradwise.simulations.compile import check_compiled


def test_values_gradient_hessian_of_rosenbrock():
    c = gradwise.compile("(1-x)^2 + 100(y-x^2)^2")
    assert [v.name for v in c.variables] == ["x", "y"]
    assert c.checked_points == 3
    x, y = -1.2, 1.0
    assert c.f([x, y]) == pytest.approx((1 - x) ** 2 + 100 * (y - x * x) ** 2, rel=1e-15)
    assert c.grad([x, y]) == pytest.approx([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], rel=1e-14)
    assert c.hessian([x, y]) == pytest.approx(np.array([[2 - 400 * y + 1200 * x * x, -400 * x], [-400 * x, 200]]))
    # the step-by-step derivations are built on demand and derive the same partials
    assert all(d is not None and sp.expand(d.result - g) == 0 for d, g in zip(c.derivations, c.gradient_exprs))


def test_a_wrong_derivative_is_caught_by_finite_differences(monkeypatch):
    monkeypatch.setattr(compile_module, "derivative", lambda e, v: sp.diff(e, v) * (1 + sp.Rational(1, 10**6)))
    with pytest.raises(EngineError, match="finite differences"):
        gradwise.compile("x^2 sin(y) + y", hessian=False)


def test_vectorised_shapes_and_constants():
    c = gradwise.compile("x^2 + 10 y^2")
    X = np.random.default_rng(0).normal(size=(4, 5, 2))
    assert c.f(X).shape == (4, 5)
    assert c.grad(X).shape == (4, 5, 2)
    H = c.hessian(X)
    assert H.shape == (4, 5, 2, 2) and np.all(H == np.array([[2.0, 0.0], [0.0, 20.0]]))
    assert np.array_equal(c.grad(X), np.stack([2 * X[..., 0], 20 * X[..., 1]], axis=-1))
    assert c.is_quadratic and not gradwise.compile("x^3 + y").is_quadratic


def test_variables_order_and_errors():
    c = gradwise.compile("a + 2 b^2", "b,a")
    assert [v.name for v in c.variables] == ["b", "a"]
    assert c.grad([1.0, 5.0]).tolist() == [4.0, 1.0]
    with pytest.raises(GradwiseError, match="not in the variables: c"):
        gradwise.compile("a + c", "a")
    with pytest.raises(GradwiseError, match="expected points with 2 coordinates"):
        c.f([1.0, 2.0, 3.0])
    with pytest.raises(GradwiseError, match="not one expression"):
        gradwise.compile("[1, 2]")


@pytest.mark.parametrize("text", ["sigmoid(w*x + b)", "softplus(x) + relu(y - 1)", "logsumexp(x, 2y, x - y)",
                                  "tanh(x) * exp(-y^2)", "log(1 + x^2) + sqrt(1 + y^2)", "erf(x) + y"])
def test_deep_learning_functions_compile_and_check(text):
    c = gradwise.compile(text)
    assert c.checked_points >= 1
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, c.n))
    eps = 1e-6
    for i in range(c.n):
        e = np.zeros(c.n)
        e[i] = eps
        fd = (c.f(X + e) - c.f(X - e)) / (2 * eps)
        assert np.allclose(c.grad(X)[:, i], fd, rtol=1e-5, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(st.floats(-3, 3), st.floats(-3, 3))
def test_compiled_equals_sympy(x, y):
    c = _beale()
    point = {c.variables[0]: x, c.variables[1]: y}
    want_f = float(c.expr.evalf(30, subs=point))
    want_g = [float(g.evalf(30, subs=point)) for g in c.gradient_exprs]
    assert c.f([x, y]) == pytest.approx(want_f, rel=1e-12, abs=1e-12)
    assert c.grad([x, y]) == pytest.approx(want_g, rel=1e-11, abs=1e-9)


_CACHE = {}


def _beale():
    if "beale" not in _CACHE:
        _CACHE["beale"] = gradwise.compile("(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2")
    return _CACHE["beale"]


def test_data_symbols_broadcast():
    c = gradwise.compile("(w*x_i + b - y_i)^2", data=["x_i", "y_i"], hessian=False)
    assert [v.name for v in c.variables] == ["b", "w"]
    P = np.array([[0.0, 1.0], [1.0, 2.0]])          # two runs
    xs, ys = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 2.0])
    g = c.grad(P[:, None, :], x_i=xs, y_i=ys)          # (runs, samples, n)
    assert g.shape == (2, 3, 2)
    r = P[:, None, 1] * xs + P[:, None, 0] - ys
    assert np.allclose(g[..., 0], 2 * r) and np.allclose(g[..., 1], 2 * r * xs)
    with pytest.raises(GradwiseError, match="y_i is missing"):
        c.f(P, x_i=xs)


def test_a_wrong_compiled_function_is_caught(monkeypatch):
    c = gradwise.compile("x^2 + y")
    wrong = c._grad
    c._grad = lambda x, y: [2 * x + 1e-6, *wrong(x, y)[1:]]
    with pytest.raises(EngineError, match="compiled form"):
        check_compiled(c)


def test_no_eval_of_python_objects():
    with pytest.raises(GradwiseError, match="cannot optimise a list"):
        gradwise.compile(["__import__('os')"])
