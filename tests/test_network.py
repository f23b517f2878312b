"""Networks: backward against an independent hand-written NumPy pass and against finite differences."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradwise.errors import GradwiseError
from gradwise.simulations.layers import ACTIVATIONS, activation, derivative_bound
from gradwise.simulations.losses import LOSSES
from gradwise.simulations.network import Network, load_network
from gradwise.simulations.vanishing import gradient_flow, sigmoid_chain


# ---------------------------------------------------------------------------------------------------
# The reference: written by hand from the textbook formulas, sharing no code with gradwise

def _act(name, z):
    return {"sigmoid": lambda: 1 / (1 + np.exp(-z)), "tanh": lambda: np.tanh(z),
            "relu": lambda: np.where(z > 0, z, 0.0), "softplus": lambda: np.log1p(np.exp(z)),
            "mish": lambda: z * np.tanh(np.log1p(np.exp(z))), "identity": lambda: z}[name]()


def _dact(name, z):
    s = 1 / (1 + np.exp(-z))
    return {"sigmoid": lambda: s * (1 - s), "tanh": lambda: 1 - np.tanh(z) ** 2,
            "relu": lambda: (z > 0).astype(float), "softplus": lambda: s,
            "mish": lambda: np.tanh(np.log1p(np.exp(z))) + z * s / np.cosh(np.log1p(np.exp(z))) ** 2,
            "identity": lambda: np.ones_like(z)}[name]()


def reference(weights, biases, acts, loss, X, y):
    """Loss and gradients by hand: forward, then δ backwards layer by layer."""
    a, zs, As = X, [], [X]
    for W, b, f in zip(weights, biases, acts):
        z = a @ W + b
        a = _act(f, z)
        zs.append(z)
        As.append(a)
    out = As[-1]
    if loss == "mse":
        value, g = np.mean((out - y) ** 2), 2 * (out - y) / out.size
    elif loss == "half_sse":
        value, g = 0.5 * np.sum((out - y) ** 2), out - y
    elif loss == "output":
        value, g = np.sum(out), np.ones_like(out)
    else:
        e = np.exp(out - out.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        value = -np.mean(np.log(p[np.arange(len(y)), y]))
        onehot = np.eye(out.shape[1])[y]
        g = (p - onehot) / len(y)
    gw, gb = [None] * len(weights), [None] * len(weights)
    delta = g * _dact(acts[-1], zs[-1])
    for l in reversed(range(len(weights))):
        gw[l] = As[l].T @ delta
        gb[l] = delta.sum(axis=0)
        if l:
            delta = (delta @ weights[l].T) * _dact(acts[l - 1], zs[l - 1])
    return value, gw, gb


def _problem(rng, sizes, loss, batch):
    X = rng.normal(size=(batch, sizes[0]))
    if loss == "cross_entropy":
        y = rng.integers(0, sizes[-1], size=batch)
    else:
        y = rng.normal(size=(batch, sizes[-1]))
    return X, y


CASES = [
    ([3, 4, 2], ["tanh", "identity"], "mse"),
    ([2, 5, 5, 3], ["sigmoid", "relu", "identity"], "cross_entropy"),
    ([4, 3, 3, 1], ["softplus", "tanh", "sigmoid"], "half_sse"),
    ([3, 6, 2], ["relu", "softplus"], "output"),
    ([5, 2], ["identity"], "cross_entropy"),
    ([2, 3, 4, 3, 2], ["tanh", "sigmoid", "tanh", "identity"], "mse"),
]


@pytest.mark.parametrize("sizes,acts,loss", CASES)
def test_backward_matches_hand_written_numpy(sizes, acts, loss):
    rng = np.random.default_rng(len(sizes))
    net = Network.from_sizes(sizes, acts, loss, "he", seed=3)
    net.biases = [rng.normal(size=b.shape) for b in net.biases]
    X, y = _problem(rng, sizes, loss, 7)
    g = net.backward(X, y)
    value, gw, gb = reference(net.weights, net.biases, acts, loss, X, y)
    assert g.loss == pytest.approx(value, rel=1e-12)
    for mine, ref in zip(g.grad_weights + g.grad_biases, gw + gb):
        np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("sizes,acts,loss", [c for c in CASES if "relu" not in c[1]])
def test_backward_matches_finite_differences(sizes, acts, loss):
    rng = np.random.default_rng(7)
    net = Network.from_sizes(sizes, acts, loss, "xavier", seed=1)
    X, y = _problem(rng, sizes, loss, 5)
    check = net.gradient_check(X, y)
    assert check.parameters == sum(w.size + b.size for w, b in zip(net.weights, net.biases))
    assert check.max_relative_error < 1e-8     # 4-point differences: typically 1e-10 and below
    assert check.max_absolute_error < 1e-10
    assert check.passed


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    net = Network.from_sizes([2, 3, 1], "tanh", "mse", seed=0)
    X, y = np.ones((2, 2)), np.zeros((2, 1))
    real = net.backward

    def broken(X, y):
        g = real(X, y)
        g.grad_weights[0][0, 0] *= 1.01
        return g

    monkeypatch.setattr(net, "backward", broken)
    check = net.gradient_check(X, y)
    assert not check.passed and check.worst == "W1[0,0]"


@settings(max_examples=25)
@given(st.lists(st.integers(1, 5), min_size=2, max_size=5), st.sampled_from(ACTIVATIONS),
       st.sampled_from(LOSSES), st.integers(1, 6), st.integers(0, 10_000))
def test_any_architecture_matches_the_reference(sizes, act, loss, batch, seed):
    rng = np.random.default_rng(seed)
    acts = [act] * (len(sizes) - 1)
    net = Network.from_sizes(sizes, acts, loss, "xavier", seed=seed)
    X, y = _problem(rng, sizes, loss, batch)
    g = net.backward(X, y)
    value, gw, gb = reference(net.weights, net.biases, acts, loss, X, y)
    assert g.loss == pytest.approx(value, rel=1e-12, abs=1e-15)
    for mine, ref in zip(g.grad_weights + g.grad_biases, gw + gb):
        np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-13)


def test_results_have_every_field():
    net = Network([[[1.0, -1.0]], [[2.0], [0.5]]], [[0.0, 0.1], [0.2]], ["tanh", "identity"], "half_sse")
    g = net.backward([[0.3]], [[1.0]])
    assert [a.shape for a in g.activations] == [(1, 1), (1, 2), (1, 1)]
    assert len(g.layer_norms) == 2
    assert g.layer_norms[1] == pytest.approx(np.linalg.norm(g.grad_weights[1]))


# ---------------------------------------------------------------------------------------------------
# Local derivatives

def test_activation_derivatives_are_derived_and_in_terms_of_the_output():
    import sympy as sp
    from gradwise.simulations.layers import A
    assert sp.simplify(activation("sigmoid").in_output - A * (1 - A)) == 0
    assert sp.simplify(activation("tanh").in_output - (1 - A ** 2)) == 0
    assert activation("relu").derivation.orders[0].tree.rule == "relu"
    assert activation("identity").backward is None
    relu = activation("relu")
    z = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(relu.backward(z, relu.forward(z)), [0, 0, 1])   # relu'(0) = 0


def test_derivative_bounds_are_derived():
    import sympy as sp
    assert derivative_bound("sigmoid")[0] == sp.Rational(1, 4)
    assert derivative_bound("tanh")[0] == 1
    assert derivative_bound("relu")[0] == 1
    bound, where = derivative_bound("mish")       # no closed form: Newton's method, checked on a grid
    z = np.linspace(1.4, 1.6, 20001)
    d = np.tanh(np.log1p(np.exp(z))) + z / (1 + np.exp(-z)) / np.cosh(np.log1p(np.exp(z))) ** 2
    assert float(bound) == pytest.approx(d.max(), rel=1e-9) and where.startswith("z = 1.49")


# ---------------------------------------------------------------------------------------------------
# Vanishing gradients

@pytest.mark.parametrize("w", [1.0, 2.5, -3.0])
def test_sigmoid_chain_matches_the_closed_form(w):
    cf = sigmoid_chain(12, w)
    assert cf["max_abs_pre_activation"] == 0
    np.testing.assert_allclose(cf["measured"], [0.25 * (w / 4) ** (12 - l) for l in range(1, 13)], rtol=1e-12)


def test_sigmoid_vanishes_and_the_explanation_uses_the_run():
    flow = gradient_flow(depth=12, width=8, activations="sigmoid,tanh", inits="xavier", batch=16)
    sig, tanh = flow.runs
    assert sig.ratio < 1e-4 < tanh.ratio
    assert all(m <= 0.25 for m in sig.mean_derivative)
    assert len(sig.layer_norms) == 12
    from gradwise.explainer import explain
    from gradwise.renderers import render
    text = render(explain(flow), "text")
    from gradwise.explainer.backprop_parts import sci
    assert sci(sig.ratio).text in text and "(1/4)^11" in text


# ---------------------------------------------------------------------------------------------------
# Bad input

def test_shape_mismatch_names_the_layer_and_both_shapes():
    with pytest.raises(GradwiseError, match=r"layer 2: weights have shape \(4, 2\) but layer 1 gives 3 outputs"):
        Network([np.ones((2, 3)), np.ones((4, 2))])
    net = Network([np.ones((2, 3))])
    with pytest.raises(GradwiseError, match=r"layer 1: the input has shape \(5, 4\) but the weights have shape \(2, 3\)"):
        net.backward(np.ones((5, 4)), np.ones((5, 3)))
    with pytest.raises(GradwiseError, match=r"targets have shape \(5, 2\) but layer 1 outputs shape \(5, 3\)"):
        net.backward(np.ones((5, 2)), np.ones((5, 2)))
    with pytest.raises(GradwiseError, match=r"layer 1: biases have shape \(2,\)"):
        Network([np.ones((2, 3))], [np.ones(2)])


def test_unknown_names_list_the_choices():
    with pytest.raises(GradwiseError, match="unknown activation 'sigmod'; choose one of sigmoid, tanh, relu"):
        Network([np.ones((2, 3))], activations="sigmod")
    with pytest.raises(GradwiseError, match="unknown loss 'mae'; choose one of mse, cross_entropy"):
        Network([np.ones((2, 3))], loss="mae")
    with pytest.raises(GradwiseError, match="unknown initialisation 'glorot'"):
        Network.from_sizes([2, 2], init="glorot")


def test_non_finite_forward_pass_names_the_layer():
    net = Network([np.full((1, 1), 1e200), np.full((1, 1), 1e200)], activations=["identity", "identity"])
    with pytest.raises(GradwiseError, match="layer 2: the forward pass gives inf"), np.errstate(over="ignore"):
        net.backward([[1e10]], [[0.0]])
    with pytest.raises(GradwiseError, match="input X contains NaN"):
        Network([np.ones((1, 1))]).backward([[np.nan]], [[0.0]])


def test_cross_entropy_labels_are_checked():
    net = Network([np.ones((2, 3))], loss="cross_entropy")
    with pytest.raises(GradwiseError, match="between 0 and 2"):
        net.backward(np.ones((2, 2)), [0, 3])


def test_network_file(tmp_path):
    f = tmp_path / "net.toml"
    f.write_text('sizes = [2, 3, 2]\nactivations = ["tanh", "identity"]\nloss = "cross_entropy"\nseed = 4\n'
                 '[data]\ninputs = [[0.5, 1.0], [1.0, -2.0]]\ntargets = [1, 0]\n')
    net, X, y = load_network(str(f))
    assert net.sizes == [2, 3, 2] and X.shape == (2, 2) and list(y) == [1, 0]
    f.write_text('[[layers]]\nweights = [[1.0, 2.0]]\nactivation = "sigmoid"\n')
    net, X, y = load_network(str(f))
    assert net.sizes == [1, 2] and X is None
    f.write_text("sizes = [2, 3\n")
    with pytest.raises(GradwiseError, match="not valid TOML"):
        load_network(str(f))
    f.write_text('sizes = [2, 3]\n[data]\ninputs = [["a", 2]]\n')
    with pytest.raises(GradwiseError, match="inputs must be numbers"):
        load_network(str(f))
    f.write_text('sizes = [2, 3]\nseed = "x"\n')
    with pytest.raises(GradwiseError, match="seed = 'x' has the wrong type"):
        load_network(str(f))
    f.write_text("sizes = [2, 3]\nlayer = 1\n")
    with pytest.raises(GradwiseError, match="unknown key 'layer'"):
        load_network(str(f))


def test_symbolic_work_does_not_grow_with_depth(monkeypatch):
    """Each activation and the loss is derived once: the network's loss is never expanded symbolically."""
    from gradwise.simulations import layers, losses
    calls = []
    real = layers.differentiate

    def counting(expr, wrt=None, **kw):
        calls.append(str(expr))
        return real(expr, wrt, **kw)

    monkeypatch.setattr(layers, "differentiate", counting)
    monkeypatch.setattr(losses, "differentiate", counting)
    counts = []
    for depth in (2, 12):
        layers._activation.cache_clear()
        losses._loss.cache_clear()
        calls.clear()
        net = Network.from_sizes([4] * (depth + 1), ["tanh"] * (depth - 1) + ["identity"], "mse", seed=0)
        net.backward(np.ones((2, 4)), np.zeros((2, 4)))
        counts.append(len(calls))
        assert max(len(c) for c in calls) < 40      # only one-unit local functions are ever differentiated
    layers._activation.cache_clear()
    losses._loss.cache_clear()
    assert counts[0] == counts[1] == 3              # tanh, identity, the loss
