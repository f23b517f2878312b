"""Backpropagation speed: gradwise's Network (compiled local derivatives) against a hand-written NumPy
backward pass and torch.autograd (when installed), measured in the same run; and how the time to build a
network (deriving and compiling the local derivatives) grows with depth. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_backprop.py
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import sympy as sp

from gradwise.simulations import layers, losses
from gradwise.simulations.network import Network

SIZES = [32, 32, 32, 10]
ACTIVATIONS = ["tanh", "tanh", "identity"]     # tanh hidden layers, logits out
BATCH = 64
ROUNDS, NUMBER = 15, 200


def hand_written(weights, biases, X, y):
    """The reference: forward and backward for tanh layers, identity logits and softmax cross-entropy."""
    a1 = np.tanh(X @ weights[0] + biases[0])
    a2 = np.tanh(a1 @ weights[1] + biases[1])
    z3 = a2 @ weights[2] + biases[2]
    shifted = z3 - z3.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(s[:, 0]) - shifted[np.arange(len(y)), y]))
    d3 = e / s
    d3[np.arange(len(y)), y] -= 1.0
    d3 /= len(y)
    g3, gb3 = a2.T @ d3, d3.sum(axis=0)
    d2 = (d3 @ weights[2].T) * (1 - a2 * a2)
    g2, gb2 = a1.T @ d2, d2.sum(axis=0)
    d1 = (d2 @ weights[1].T) * (1 - a1 * a1)
    g1, gb1 = X.T @ d1, d1.sum(axis=0)
    return loss, [g1, g2, g3], [gb1, gb2, gb3]


def best_seconds(fn) -> float:
    """The best of ROUNDS rounds of NUMBER calls, per call (the least disturbed by other work)."""
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(NUMBER):
            fn()
        times.append((time.perf_counter() - start) / NUMBER)
    return min(times)


def speed() -> None:
    rng = np.random.default_rng(0)
    net = Network.from_sizes(SIZES, ACTIVATIONS, "cross_entropy", "xavier", seed=0)
    net.biases = [rng.normal(0, 0.1, size=b.shape) for b in net.biases]
    X = rng.normal(size=(BATCH, SIZES[0]))
    y = rng.integers(0, SIZES[-1], size=BATCH)
    mine = net.backward(X, y)
    ref = hand_written(net.weights, net.biases, X, y)
    error = max(float(np.max(np.abs(a - b))) for a, b in zip(mine.grad_weights, ref[1]))
    t_mine = best_seconds(lambda: net.backward(X, y))
    t_ref = best_seconds(lambda: hand_written(net.weights, net.biases, X, y))
    print(f"gradient of a {'-'.join(map(str, SIZES))} tanh network, cross-entropy, batch {BATCH} "
          f"(loss and all gradients; max |difference| from the reference {error:.1e})")
    print(f"  hand-written NumPy     {t_ref * 1e6:8.1f} µs")
    print(f"  gradwise Network       {t_mine * 1e6:8.1f} µs   ratio {t_mine / t_ref:.2f}x  (target < 1.5x, goal 1.2x)")
    try:
        import torch
    except ImportError:
        print("  torch.autograd         not installed")
        return
    torch.set_num_threads(1)
    Wt = [torch.tensor(w, requires_grad=True) for w in net.weights]
    bt = [torch.tensor(b, requires_grad=True) for b in net.biases]
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def torch_step():
        for p in Wt + bt:
            p.grad = None
        a = torch.tanh(Xt @ Wt[0] + bt[0])
        a = torch.tanh(a @ Wt[1] + bt[1])
        torch.nn.functional.cross_entropy(a @ Wt[2] + bt[2], yt).backward()

    t_torch = best_seconds(torch_step)
    print(f"  torch.autograd (CPU)   {t_torch * 1e6:8.1f} µs   gradwise is {t_torch / t_mine:.2f}x faster")


def _build(acts: list[str]) -> float:
    """Seconds to build a 16-unit-wide network with these activations, every cache cleared first."""
    times = []
    for _ in range(3):
        layers._activation.cache_clear()
        losses._loss.cache_clear()
        sp.core.cache.clear_cache()
        start = time.perf_counter()
        Network.from_sizes([16] * (len(acts) + 1), acts, "cross_entropy", seed=0)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_times() -> None:
    print("building a network: deriving, checking and compiling its local derivatives (every cache cleared)")
    base = None
    for depth in (2, 4, 8, 16):
        t = _build(["tanh"] * (depth - 1) + ["identity"])
        base = base or t
        print(f"  {depth:2d} layers (tanh, identity logits)   {t * 1000:7.1f} ms   ({t / base:.2f}x the 2-layer time)")
    mixed = ["sigmoid", "tanh", "relu", "softplus"] * 4
    t = _build(mixed[:15] + ["identity"])
    print(f"  16 layers, all five activations     {t * 1000:7.1f} ms")
    print("  each activation and loss is derived once whatever the depth, so the symbolic work grows with the "
          "number of distinct functions, and the rest with the number of weights")


if __name__ == "__main__":
    speed()
    build_times()
