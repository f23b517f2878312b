"""compile() of a logistic-regression loss written out over 64 samples and 3 weights, against
sympy.diff + lambdify of the same loss in the same run, and a 100-step optimize of it.

Targets (issue 18): compile < 2 s and <= 5x the baseline; the 100-step optimize < 3 s; a 10^6-run,
100-step, 2-parameter sweep keeping the final values < 30 s and < 1 GB.
"""
from __future__ import annotations

import random
import resource
import time

import numpy as np
import sympy as sp

import gradwise
from gradwise.derivations.parsing import symbol


def logistic_loss(samples: int = 64, weights: int = 3) -> tuple[sp.Expr, list[sp.Symbol]]:
    """Σ log(1 + e^{z_i}) - y_i z_i with z_i = a_i · w, fixed random data."""
    rng = random.Random(0)
    w = [symbol(f"w{i}") for i in range(weights)]
    terms = []
    for _ in range(samples):
        z = sum(sp.Rational(rng.randint(-20, 20), 10) * wi for wi in w)
        terms.append(sp.log(1 + sp.exp(z)) - rng.randint(0, 1) * z)
    return sp.Add(*terms), w


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> None:
    loss, w = logistic_loss()
    base, _ = timed(lambda: sp.lambdify(w, [sp.diff(loss, v) for v in w], cse=True))
    ours, c = timed(lambda: gradwise.compile(loss, w))
    print(f"compile, logistic loss of 64 samples x 3 weights: {ours:6.2f} s  "
          f"(sympy.diff + lambdify {base:.2f} s, ratio {ours / base:.2f}x; target < 2 s and <= 5x)")
    run, _ = timed(lambda: gradwise.optimize(loss, [0.0] * 3, variables=w, method="adam", lr=0.05, steps=100))
    print(f"optimize, 100 Adam steps of it (compile included): {run:6.2f} s  (target < 3 s)")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lrs = np.geomspace(1e-4, 0.5, 1_000_000)
    sweep, sw = timed(lambda: gradwise.optimize("(1-x)^2 + 100(y-x^2)^2", [-1.2, 1.0], method="sgd", lr=lrs,
                                                steps=100, keep="final"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sweep, 10^6 runs x 100 steps x 2 parameters, keep='final': {sweep:6.2f} s, peak memory "
          f"{peak:.0f} MB (before {before:.0f} MB; target < 30 s and < 1 GB); {int(sw.diverged.sum()):,} diverged")


if __name__ == "__main__":
    main()
