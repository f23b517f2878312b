"""Optimizer simulations: figures measured in one run, as ratios against baselines of the same run.

1. One 2-parameter run of 1,000 steps (Rosenbrock, Adam) against torch.optim (when torch is installed).
2. A sweep of 1,000 runs advanced as one array against the same 1,000 runs one by one (target >= 20x).
3. The compiled gradient against hand-written NumPy on 100,000 points.
"""
from __future__ import annotations

import time

import numpy as np

import gradwise
from gradwise.simulations.trajectory import advance, _FunctionObjective
from gradwise.simulations.optimizers import make_optimizer


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def one_run():
    c = gradwise.compile("(1-x)^2 + 100(y-x^2)^2", hessian=False)
    ours = best_of(lambda: gradwise.optimize(c, [-1.2, 1.0], method="adam", lr=0.01, steps=1000))
    print(f"one run, 2 parameters, 1,000 Adam steps:  gradwise {ours * 1e3:7.1f} ms")
    try:
        import torch
    except ImportError:
        print("  torch is not installed: no torch.optim baseline (pip install torch to compare)")
        return

    def torch_run():
        p = torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)
        opt = torch.optim.Adam([p], lr=0.01)
        for _ in range(1000):
            opt.zero_grad()
            loss = (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
            loss.backward()
            opt.step()
        return p

    theirs = best_of(torch_run)
    print(f"  torch.optim.Adam with autograd          {theirs * 1e3:7.1f} ms   "
          f"(gradwise takes {ours / theirs:.2f}x torch's time)")


def sweep(runs=1000, steps=100):
    c = gradwise.compile("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", hessian=False)
    lrs = np.geomspace(1e-4, 1e-2, runs)
    start = np.array([[0.5, -1.3]])
    vectorised = best_of(lambda: gradwise.optimize(c, start[0], method="sgd", momentum=0.9, lr=lrs, steps=steps), 2)

    def one_by_one():
        target = _FunctionObjective(c)
        for lr in lrs:
            advance(target, make_optimizer("sgd", lr=float(lr), momentum=0.9), start, steps, stop_all=True)

    separate = best_of(one_by_one, 1)
    print(f"sweep of {runs:,} runs x {steps} steps (SGD momentum, Himmelblau):")
    print(f"  as one array {vectorised * 1e3:8.1f} ms;  one by one {separate * 1e3:8.1f} ms;  "
          f"speed-up {separate / vectorised:.0f}x (target >= 20x)")


def compiled_gradient(points=100_000):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(points, 2))
    cases = {
        "Rosenbrock": ("(1-x)^2 + 100(y-x^2)^2",
                       lambda x, y: np.stack([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], -1)),
        "Beale": ("(1.5 - x + x y)^2 + (2.25 - x + x y^2)^2 + (2.625 - x + x y^3)^2",
                  lambda x, y: _beale_grad(x, y)),
        "softplus(xy) + x²": ("softplus(x y) + x^2",
                              lambda x, y: np.stack([y / (1 + np.exp(-x * y)) + 2 * x, x / (1 + np.exp(-x * y))], -1)),
    }
    print(f"compiled gradient vs hand-written NumPy, {points:,} points:")
    for name, (text, hand) in cases.items():
        c = gradwise.compile(text, hessian=False)
        assert np.allclose(c.grad(X), hand(X[:, 0], X[:, 1]), rtol=1e-10, atol=1e-10)
        ours = best_of(lambda: c.grad(X))
        base = best_of(lambda: hand(X[:, 0], X[:, 1]))
        print(f"  {name:18s} compiled {ours * 1e3:6.2f} ms   by hand {base * 1e3:6.2f} ms   ratio {ours / base:.2f}x")


def _beale_grad(x, y):
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y * y
    c = 2.625 - x + x * y ** 3
    gx = 2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1)
    gy = 2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y
    return np.stack([gx, gy], -1)


if __name__ == "__main__":
    one_run()
    sweep()
    compiled_gradient()
