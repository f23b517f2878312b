"""Mini-batch descent on data, test functions, and the quadratic analysis."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import gradwise
from gradwise.errors import GradwiseError
from gradwise.explainer.optimize import heavy_ball_rate, quadratic_analysis
from gradwise.simulations import data as D
from gradwise.simulations import test_functions as T
from gradwise.simulations.trajectory import Study

CSV = "x,y\n0,0\n1,0\n2,1\n3,1\n0.5,0\n2.5,1\n1.5,1\n1.2,0\n"


def _points():
    return D.read_csv(CSV, text=True)


def test_read_csv_with_and_without_header(tmp_path):
    d = _points()
    assert d.names == ["x", "y"] and d.rows == 8
    p = tmp_path / "p.csv"
    p.write_text("1,2,3\n4,5,6\n")
    e = D.read_csv(str(p))
    assert e.names == ["x1", "x2", "y"] and e.columns["x2"].tolist() == [2.0, 5.0]
    p.write_text("1,2\n3,oops\n")
    with pytest.raises(GradwiseError, match="line 2 column 2: 'oops' is not a number"):
        D.read_csv(str(p))
    with pytest.raises(GradwiseError, match="is not a file"):
        D.read_csv(str(tmp_path / "missing.csv"))


def _by_hand_logistic(xs, ys, batches, lr, steps):
    """Mini-batch SGD on the mean log-loss, with its gradient by hand."""
    w = b = 0.0
    out = [(w, b)]
    for t in range(steps):
        idx = batches[t]
        gw = gb = 0.0
        for i in idx:
            p = 1 / (1 + math.exp(-(w * xs[i] + b)))
            gw += (p - ys[i]) * xs[i]
            gb += p - ys[i]
        w, b = w - lr * gw / len(idx), b - lr * gb / len(idx)
        out.append((w, b))
    return np.array(out)


def test_logistic_minibatches_match_a_hand_loop():
    d = _points()
    run = gradwise.optimize("logistic", data=d, method="sgd", lr=0.5, steps=40, batch_size=3, seed=7)
    assert run.variables == ["w", "b"]
    batches = D.make_batches(8, 3, 40, seed=7)
    assert run.batches == [b.tolist() for b in batches]
    want = _by_hand_logistic(d.columns["x"], d.columns["y"], batches, 0.5, 40)
    assert np.allclose(run.params, want, rtol=1e-12, atol=1e-14)


def test_batches_shuffle_each_epoch_and_replay_exactly():
    b = D.make_batches(8, 3, 6, seed=1)
    assert [len(x) for x in b] == [3, 3, 2, 3, 3, 2]
    assert sorted(np.concatenate(b[:3]).tolist()) == list(range(8))
    assert [x.tolist() for x in b[:3]] != [x.tolist() for x in b[3:]]  # a new shuffle each epoch
    assert all(np.array_equal(x, y) for x, y in zip(b, D.make_batches(8, 3, 6, seed=1)))
    d = _points()
    first = gradwise.optimize("logistic", data=d, method="adam", lr=0.1, steps=12, batch_size=3, seed=3)
    replay = gradwise.optimize("logistic", data=d, method="adam", lr=0.1, steps=12, batches=first.batches)
    assert np.array_equal(first.params, replay.params)
    other = gradwise.optimize("logistic", data=d, method="adam", lr=0.1, steps=12, batch_size=3, seed=4)
    assert not np.array_equal(first.params, other.params)


def test_explicit_batches_are_checked():
    d = _points()
    with pytest.raises(GradwiseError, match="batch 2 has index 9"):
        gradwise.optimize("logistic", data=d, steps=3, batches=[[0, 1], [9]])
    with pytest.raises(GradwiseError, match="batches need data"):
        gradwise.optimize("x^2", [1], steps=3, batch_size=2)


def test_least_squares_reaches_the_normal_equations():
    rng = np.random.default_rng(0)
    x = rng.normal(size=30)
    y = 2 * x - 1 + 0.1 * rng.normal(size=30)
    d = D.Dataset({"x": x, "y": y})
    run = gradwise.optimize("least_squares", data=d, method="sgd", lr=0.1, steps=500)
    A = np.stack([x, np.ones_like(x)], axis=1)
    want = np.linalg.lstsq(A, y, rcond=None)[0]
    assert np.allclose(run.final, want, atol=1e-8)


def test_user_expression_on_data_equals_the_builtin():
    d = _points()
    a = gradwise.optimize("(w*x_i + b - y_i)^2", data=d, variables="w,b", method="sgd", lr=0.05, steps=30)
    b = gradwise.optimize("least_squares", data=d, method="sgd", lr=0.05, steps=30)
    assert np.allclose(a.params, b.params, rtol=1e-13)
    with pytest.raises(GradwiseError, match="no column 'z'"):
        gradwise.optimize("(w*z_i - y_i)^2", data=d, steps=3)


def test_softmax_regression_mean_gradient_is_probabilities_minus_onehot():
    d = D.read_csv("x1,x2,y\n0,0,0\n1,0,1\n0,1,2\n1,1,1\n2,0,1\n", text=True)
    problem = D.data_problem("softmax", d)
    assert len(problem.variables) == 9
    rng = np.random.default_rng(2)
    P = rng.normal(size=(1, 9))
    X = np.stack([d.columns["x1"], d.columns["x2"]], axis=1)
    names = [v.name for v in problem.variables]
    W = np.array([[P[0, names.index(f"w{c}_{j}")] for j in (1, 2)] for c in range(3)])
    bias = np.array([P[0, names.index(f"b{c}")] for c in range(3)])
    Z = X @ W.T + bias
    prob = np.exp(Z - Z.max(1, keepdims=True))
    prob /= prob.sum(1, keepdims=True)
    onehot = np.eye(3)[d.columns["y"].astype(int)]
    gW = (prob - onehot).T @ X / len(X)
    gb = (prob - onehot).mean(0)
    g = problem.grad(P)[0]
    for c in range(3):
        assert g[names.index(f"b{c}")] == pytest.approx(gb[c], rel=1e-12, abs=1e-15)
        for j in (1, 2):
            assert g[names.index(f"w{c}_{j}")] == pytest.approx(gW[c, j - 1], rel=1e-12, abs=1e-15)
    loss = np.mean(np.log(np.exp(Z).sum(1)) - (Z * onehot).sum(1))
    assert problem.value(P)[0] == pytest.approx(loss, rel=1e-12)


def test_logistic_needs_binary_labels():
    with pytest.raises(GradwiseError, match="labels 0 or 1"):
        gradwise.optimize("logistic", data=D.read_csv("1,2\n2,3\n", text=True), steps=2)


# ---- test functions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", T.names())
def test_test_functions_have_zero_gradient_at_their_minima(name):
    tf = T.get(name)
    c = gradwise.compile(tf.expression)
    for m in tf.minima:
        assert np.allclose(c.grad(list(m)), 0, atol=1e-4)
    assert np.isfinite(c.f(list(tf.start)))


def test_quadratic_bowl_of_any_matrix():
    tf = T.quadratic([[3, 1], [1, 2]], [1, 1])
    c = gradwise.compile(tf.expression)
    assert np.allclose(c.hessian([0.0, 0.0]), [[3, 1], [1, 2]])
    assert np.allclose(c.grad(list(tf.minima[0])), 0)
    with pytest.raises(GradwiseError, match="symmetric"):
        T.quadratic([[1, 2], [0, 1]])
    with pytest.raises(GradwiseError, match="did you mean rosenbrock"):
        T.get("rosenbrok")


def test_adam_finds_the_rosenbrock_valley_floor():
    run = gradwise.optimize("rosenbrock", method="adam", lr=0.02, steps=3000)
    assert run.loss[-1] < 1e-4 and np.allclose(run.final, [1, 1], atol=0.02)


# ---- the analysis on a quadratic ----------------------------------------------------------------------

def test_stability_predicts_convergence_and_divergence():
    lr_max = 2 / 20
    ok = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=0.99 * lr_max, steps=300)
    bad = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=1.01 * lr_max, steps=300)
    assert ok.loss[-1] < ok.loss[0] and bad.loss[-1] > bad.loss[0]
    a = quadratic_analysis(Study([ok]))
    s = a["stability"]
    assert s.eigenvalues == (2.0, 20.0) and s.lr_max == pytest.approx(lr_max) and s.condition_number == 10
    # the error along y is multiplied by exactly (1 - lr·20) per step
    assert np.allclose(ok.params[1:, 1] / ok.params[:-1, 1], 1 - 0.99 * lr_max * 20)


def test_heavy_ball_rate_matches_the_run():
    lr, mu = 0.05, 0.5
    run = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=lr, momentum=mu, steps=200)
    rate = heavy_ball_rate((2.0, 20.0), lr, mu)
    observed = (np.linalg.norm(run.params[200]) / np.linalg.norm(run.params[100])) ** (1 / 100)
    assert observed == pytest.approx(rate, rel=1e-2)   # complex eigenvalues: the norm oscillates a little
    plain = heavy_ball_rate((2.0, 20.0), lr, 0.0)
    assert plain == pytest.approx(0.9) and abs(observed - plain) > 0.1
    k = 10
    best = ((math.sqrt(k) - 1) / (math.sqrt(k) + 1))
    assert heavy_ball_rate((2.0, 20.0), 4 / (math.sqrt(20) + math.sqrt(2)) ** 2, best ** 2) == pytest.approx(best, rel=1e-6)


@settings(max_examples=20, deadline=None)
@given(st.floats(0.5, 5), st.floats(5, 50), st.floats(0, math.pi), st.floats(0.05, 1.95))
def test_gradient_descent_on_random_bowls_follows_the_eigenvalues(lo, hi, angle, fraction):
    """On ½xᵀHx the error along each eigenvector is multiplied by (1 − lr·λ) per step, exactly; so
    lr = fraction·2/λ_max converges for fraction < 1 and grows for fraction > 1."""
    Q = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    H = Q @ np.diag([lo, hi]) @ Q.T
    H = (H + H.T) / 2
    tf = T.quadratic(np.round(H, 6).tolist())
    c = gradwise.compile(tf.expression)
    s = quadratic_analysis(Study([gradwise.optimize(c, [1.0, 1.0], lr=0.01, steps=1)]))["stability"]
    lr = fraction * s.lr_max
    run = gradwise.optimize(c, [1.0, 1.0], method="sgd", lr=lr, steps=30)
    w, V = np.linalg.eigh(np.round(H, 6))
    coords = run.params @ V                       # the error in the eigenvector basis (minimum at 0)
    scale = np.linalg.norm(run.params[:-1], axis=1) + 1e-12   # rounding is relative to the whole point
    for j in range(2):
        assert np.all(np.abs(coords[1:, j] - coords[:-1, j] * (1 - lr * w[j])) <= 1e-9 * scale)
    grew = np.linalg.norm(run.params[-1]) > np.linalg.norm(run.params[0])
    if fraction < 0.999 and abs(1 - lr * w[0]) < 1:
        assert not grew
    if fraction > 1.001 and abs(coords[0, 1]) > 1e-3:
        assert s.contraction(lr) > 1 and abs(coords[-1, 1]) > abs(coords[0, 1])
