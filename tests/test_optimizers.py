"""The optimizers against torch.optim's documented update equations, written here independently as plain
Python loops over floats (one per method), with hand-written gradients: 1e-12 relative on every step."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import gradwise
from gradwise.errors import GradwiseError
from gradwise.simulations.optimizers import make_optimizer

RTOL = 1e-12
STEPS = 60

# f, its gradient by hand, a start
FUNCTIONS = {
    "bowl": ("x^2 + 10 y^2", lambda x, y: [2 * x, 20 * y], [3.0, 1.0]),
    "rosenbrock": ("(1-x)^2 + 100(y-x^2)^2",
                   lambda x, y: [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], [-1.2, 1.0]),
    "himmelblau": ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
                   lambda x, y: [4 * x * (x * x + y - 11) + 2 * (x + y * y - 7),
                                 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7)], [0.5, -1.3]),
}


# ---- the documented equations (torch.optim docs, version 2.x), one plain loop per method -------------

def ref_sgd(grad, theta, steps, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
            maximize=False):
    theta, out, b = list(theta), [list(theta)], None
    for t in range(1, steps + 1):
        g = grad(*theta)
        if maximize:
            g = [-gi for gi in g]
        if weight_decay != 0:
            g = [gi + weight_decay * th for gi, th in zip(g, theta)]
        if momentum != 0:
            b = list(g) if t == 1 else [momentum * bi + (1 - dampening) * gi for bi, gi in zip(b, g)]
            g = [gi + momentum * bi for gi, bi in zip(g, b)] if nesterov else list(b)
        theta = [th - lr * gi for th, gi in zip(theta, g)]
        out.append(theta)
    return out


def ref_adam(grad, theta, steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
             maximize=False, decoupled=False):
    b1, b2 = betas
    n = len(theta)
    theta, out = list(theta), [list(theta)]
    m, v, vmax = [0.0] * n, [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g = grad(*theta)
        if maximize:
            g = [-gi for gi in g]
        if decoupled:
            theta = [th - lr * weight_decay * th for th in theta]
        elif weight_decay != 0:
            g = [gi + weight_decay * th for gi, th in zip(g, theta)]
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g)]
        mhat = [mi / (1 - b1 ** t) for mi in m]
        if amsgrad:
            vmax = [max(a, b) for a, b in zip(vmax, v)]
            vhat = [vi / (1 - b2 ** t) for vi in vmax]
        else:
            vhat = [vi / (1 - b2 ** t) for vi in v]
        theta = [th - lr * mh / (math.sqrt(vh) + eps) for th, mh, vh in zip(theta, mhat, vhat)]
        out.append(theta)
    return out


def ref_adamw(grad, theta, steps, weight_decay=1e-2, **kw):
    return ref_adam(grad, theta, steps, weight_decay=weight_decay, decoupled=True, **kw)


def ref_rmsprop(grad, theta, steps, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                centered=False, maximize=False):
    n = len(theta)
    theta, out = list(theta), [list(theta)]
    v, gave, b = [0.0] * n, [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g = grad(*theta)
        if maximize:
            g = [-gi for gi in g]
        if weight_decay != 0:
            g = [gi + weight_decay * th for gi, th in zip(g, theta)]
        v = [alpha * vi + (1 - alpha) * gi * gi for vi, gi in zip(v, g)]
        vt = list(v)
        if centered:
            gave = [alpha * a + (1 - alpha) * gi for a, gi in zip(gave, g)]
            vt = [vi - a * a for vi, a in zip(vt, gave)]
        if momentum > 0:
            b = [momentum * bi + gi / (math.sqrt(vi) + eps) for bi, gi, vi in zip(b, g, vt)]
            theta = [th - lr * bi for th, bi in zip(theta, b)]
        else:
            theta = [th - lr * gi / (math.sqrt(vi) + eps) for th, gi, vi in zip(theta, g, vt)]
        out.append(theta)
    return out


def ref_adagrad(grad, theta, steps, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                eps=1e-10, maximize=False):
    n = len(theta)
    theta, out = list(theta), [list(theta)]
    s = [initial_accumulator_value] * n
    for t in range(1, steps + 1):
        g = grad(*theta)
        if maximize:
            g = [-gi for gi in g]
        clr = lr / (1 + (t - 1) * lr_decay)
        if weight_decay != 0:
            g = [gi + weight_decay * th for gi, th in zip(g, theta)]
        s = [si + gi * gi for si, gi in zip(s, g)]
        theta = [th - clr * gi / (math.sqrt(si) + eps) for th, gi, si in zip(theta, g, s)]
        out.append(theta)
    return out


REFERENCES = {"sgd": ref_sgd, "adam": ref_adam, "adamw": ref_adamw, "rmsprop": ref_rmsprop, "adagrad": ref_adagrad}

# every method and every option
CASES = [
    ("sgd", {"lr": 1e-3}),
    ("sgd", {"lr": 1e-3, "momentum": 0.9}),
    ("sgd", {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    ("sgd", {"lr": 1e-3, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.1}),
    ("sgd", {"lr": 1e-3, "maximize": True, "weight_decay": 0.2}),
    ("adam", {"lr": 0.05}),
    ("adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1}),
    ("adam", {"lr": 0.02, "betas": (0.8, 0.95), "eps": 1e-6, "maximize": True}),
    ("adamw", {"lr": 0.05}),
    ("adamw", {"lr": 0.05, "amsgrad": True, "betas": (0.8, 0.9), "weight_decay": 0.3}),
    ("rmsprop", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.01, "centered": True}),
    ("rmsprop", {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.1, "alpha": 0.9}),
    ("rmsprop", {"lr": 0.005, "momentum": 0.3, "eps": 1e-4, "maximize": True}),
    ("adagrad", {"lr": 0.1}),
    ("adagrad", {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.5, "weight_decay": 0.1, "eps": 1e-6}),
    ("adagrad", {"lr": 0.05, "maximize": True}),
]


def _relative_error(got: np.ndarray, want: np.ndarray) -> float:
    """max over steps of |θ_got − θ_want| / |θ_want| (vector norms)."""
    return float(np.max(np.linalg.norm(got - want, axis=1) / np.maximum(np.linalg.norm(want, axis=1), 1e-300)))


@pytest.mark.parametrize("fname", list(FUNCTIONS))
@pytest.mark.parametrize("method,hp", CASES, ids=[f"{m}-{'-'.join(h)}" for m, h in CASES])
def test_matches_documented_equations(fname, method, hp):
    text, grad, start = FUNCTIONS[fname]
    if fname == "bowl" and method == "sgd":
        hp = {**hp, "lr": 0.01}
    run = gradwise.optimize(text, start, method=method, steps=STEPS, **hp)
    want = np.array(REFERENCES[method](grad, start, STEPS, **hp))
    assert run.params.shape == (STEPS + 1, 2) or run.stopped  # maximize on a bowl climbs to overflow
    assert np.all(np.isfinite(run.params))
    k = len(run.params)
    assert k > 5
    assert _relative_error(run.params, want[:k]) < RTOL


def test_aliases():
    a = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="momentum", lr=0.01, steps=20)
    b = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=0.01, momentum=0.9, steps=20)
    c = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="nesterov", lr=0.01, steps=20)
    d = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=0.01, momentum=0.9, nesterov=True, steps=20)
    g = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="gd", lr=0.01, steps=20)
    assert np.array_equal(a.params, b.params) and np.array_equal(c.params, d.params)
    assert not np.array_equal(a.params, c.params) and not np.array_equal(a.params, g.params)


def test_trajectory_arrays():
    run = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=0.01, steps=7)
    assert run.params.shape == (8, 2) and run.loss.shape == (8,) and run.grads.shape == (7, 2)
    assert run.variables == ["x", "y"]
    assert np.allclose(run.grads, np.stack([2 * run.params[:-1, 0], 20 * run.params[:-1, 1]], axis=1))
    assert np.allclose(run.loss, run.params[:, 0] ** 2 + 10 * run.params[:, 1] ** 2)
    assert np.allclose(run.params[1:], run.params[:-1] - 0.01 * run.grads)


def test_variables_fix_the_order():
    a = gradwise.optimize("x^2 + 10 y^2", [3, 1], variables="y,x", method="sgd", lr=0.01, steps=3)
    assert a.variables == ["y", "x"]
    assert np.isclose(a.loss[0], 1 ** 2 + 10 * 3 ** 2)


# ---- sweeps: many runs as one array equal the runs one by one ----------------------------------------

@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["sgd", "adam", "rmsprop", "adagrad", "adamw"]),
       st.lists(st.floats(1e-4, 0.2), min_size=2, max_size=5))
def test_sweep_equals_separate_runs(method, lrs):
    hp = {"momentum": 0.5} if method in ("sgd", "rmsprop") else {}
    sw = gradwise.optimize("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", [0.5, -1.3], method=method, lr=np.array(lrs),
                           steps=15, **hp)
    for r, lr in enumerate(lrs):
        one = gradwise.optimize("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", [0.5, -1.3], method=method, lr=lr,
                                steps=15, **hp)
        k = len(one.params)
        assert np.array_equal(sw.params[:k, r], one.params)


def test_sweep_over_starts_and_other_hyperparameters():
    from gradwise.simulations.trajectory import sweep
    starts = np.array([[3.0, 1.0], [-1.0, 2.0], [0.5, -0.5]])
    sw = gradwise.optimize("x^2 + 10 y^2", starts, method="sgd", lr=0.01, steps=10)
    assert sw.key == "start" and sw.params.shape == (11, 3, 2)
    one = gradwise.optimize("x^2 + 10 y^2", [-1.0, 2.0], method="sgd", lr=0.01, steps=10)
    assert np.array_equal(sw.params[:, 1], one.params)
    mw = sweep("x^2 + 10 y^2", [3, 1], key="momentum", values=[0.0, 0.5, 0.9], method="sgd", lr=0.01, steps=10)
    ref = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=0.01, momentum=0.9, steps=10)
    assert np.array_equal(mw.params[:, 2], ref.params)
    plain = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=0.01, steps=10)
    assert np.array_equal(mw.params[:, 0], plain.params)


def test_sweep_marks_divergence():
    sw = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="sgd", lr=np.array([0.05, 0.099, 0.101, 0.15]), steps=200)
    assert sw.diverged.tolist() == [False, False, True, True]


# ---- bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,words", [
    ({"method": "adma"}, "unknown method 'adma' (did you mean adam?)"),
    ({"method": "adam", "momentum": 0.9}, "adam has no hyperparameter 'momentum'"),
    ({"method": "sgd", "nesterov": True}, "nesterov needs a momentum > 0"),
    ({"method": "sgd", "momentum": 0.9, "nesterov": True, "dampening": 0.1}, "dampening 0"),
    ({"method": "sgd", "lr": -0.1}, "lr must be >= 0"),
    ({"method": "adam", "betas": (0.9, 1.0)}, "betas[1] must be in [0, 1)"),
    ({"method": "sgd", "lr": float("nan")}, "lr must be a finite number"),
    ({"method": "rmsprop", "centred": True}, "did you mean centered?"),
])
def test_bad_hyperparameters(kwargs, words):
    with pytest.raises(GradwiseError) as e:
        gradwise.optimize("x^2 + 10 y^2", [3, 1], steps=3, **kwargs)
    assert words in str(e.value)


def test_wrong_number_of_start_coordinates():
    with pytest.raises(GradwiseError, match="the start has 3 coordinates but the function has 2 variables"):
        gradwise.optimize("x^2 + 10 y^2", [3, 1, 2], steps=3)
    with pytest.raises(GradwiseError, match="give a start point with 2 coordinates"):
        gradwise.optimize("x^2 + 10 y^2", steps=3)


def test_steps_must_be_positive():
    with pytest.raises(GradwiseError, match="steps"):
        gradwise.optimize("x^2", [1], steps=0)


def test_overflow_stops_at_the_step_and_keeps_the_trajectory():
    run = gradwise.optimize("x^4 + y^2", [10, 1], method="sgd", lr=0.5, steps=100)
    assert run.stopped and run.stopped_at is not None
    assert f"step {run.stopped_at}" in run.stopped
    assert len(run.params) == run.stopped_at  # rows 0 .. stopped_at - 1
    assert np.all(np.isfinite(run.params)) and np.all(np.isfinite(run.loss))
    assert len(run.grads) == len(run.params) - 1
    # the kept steps are the steps of a run asked to stop just before
    short = gradwise.optimize("x^4 + y^2", [10, 1], method="sgd", lr=0.5, steps=run.stopped_at - 1)
    assert np.array_equal(short.params, run.params) and short.stopped is None


def test_start_where_the_function_is_undefined():
    with pytest.raises(GradwiseError, match="not finite at the start"):
        gradwise.optimize("log(x) + y^2", [-1, 1], steps=3)


@pytest.mark.parametrize("keep", ["final", 4])
def test_a_sweep_that_keeps_less_keeps_the_same_values(keep):
    lrs = np.array([0.001, 0.01, 0.03, 0.2])   # the last one diverges
    full = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="adam", lr=lrs, steps=10)
    thin = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="adam", lr=lrs, steps=10, keep=keep)
    rows = [0, 10] if keep == "final" else [0, 4, 8, 10]
    assert thin.kept_steps.tolist() == rows
    assert np.array_equal(thin.params, full.params[rows]) and np.array_equal(thin.loss, full.loss[rows])
    assert np.array_equal(thin.grads, full.grads[[r - 1 for r in rows[1:]]])
    assert np.array_equal(thin.final_loss, full.final_loss) and np.array_equal(thin.diverged, full.diverged)
    again, one = thin.run(2), full.run(2)      # a run asked for is run again in full
    assert np.array_equal(again.params, one.params) and np.array_equal(again.loss, one.loss)


def test_keep_is_checked_and_makes_big_sweeps_fit():
    with pytest.raises(GradwiseError, match="keep"):
        gradwise.optimize("x^2", [1.0], lr=np.array([0.1, 0.2]), keep="some")
    with pytest.raises(GradwiseError, match="too much to keep"):
        gradwise.optimize("x^2 + y^2", [1, 1], lr=np.full(300_000, 0.1), steps=100)
    sw = gradwise.optimize("x^2 + y^2", [1, 1], lr=np.linspace(0.01, 0.1, 300_000), steps=100, keep="final")
    assert sw.params.shape == (2, 300_000, 2)
    assert np.allclose(sw.params[-1, -1], [0.8 ** 100] * 2, rtol=1e-9, atol=0)   # x <- (1 - 2 lr) x, lr = 0.1
