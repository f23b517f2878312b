"""Speed of the many-variable engines, against baselines measured in the same run. Prints figures;
asserts nothing.

- Hessian of a 10-variable polynomial (target: under 1 s), against SymPy's own `hessian` (no checks, no
  steps); and the same Hessian explained at standard detail (every entry derived rule by rule).
- Every Matrix Cookbook identity of the test suite through `matrix_gradient` (target: each under
  300 ms), derivation plus finite-difference checks, against evaluating the identity's closed form with
  NumPy once.

    .venv/bin/python benchmarks/bench_multivariable.py
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import sympy as sp

from gradwise.derivations.matrix_calculus.cookbook import IDENTITIES
from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
from gradwise.derivations.multivariable import hessian
from gradwise.derivations.parsing import symbol
from gradwise.explainer import explain

N = 10


def polynomial(n: int = N) -> sp.Expr:
    """A dense-ish polynomial: a ring of cubic couplings plus the cube of the sum."""
    x = [symbol(f"x{i}") for i in range(n)]
    return sum(x[i] ** 2 * x[(i + 1) % n] for i in range(n)) + sum(x) ** 3 + x[0] * x[5] ** 4


def best_of(fn, rounds: int = 3) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    f = polynomial()
    variables = sorted(f.free_symbols, key=lambda s: int(s.name[1:]))
    baseline = best_of(lambda: sp.hessian(f, variables))
    ours = best_of(lambda: hessian(f, variables))
    print(f"Hessian of a {N}-variable polynomial")
    print(f"  sympy.hessian (baseline)          {baseline * 1e3:8.1f} ms")
    print(f"  gradwise.hessian (checked)        {ours * 1e3:8.1f} ms   {ours / baseline:5.1f}x baseline"
          f"   target < 1000 ms: {'ok' if ours < 1 else 'MISSED'}")
    H = hessian(f, variables)
    explained = best_of(lambda: explain(hessian(f, variables), "standard"), rounds=1)
    print(f"  ... explained, standard detail    {explained * 1e3:8.1f} ms   (derives all {N + N * (N + 1) // 2} "
          f"entries rule by rule; symmetric: {H.symmetric})")
    print()
    print("Matrix Cookbook identities through matrix_gradient (derive + check every line)")
    times, cold = [], []
    for equation, text, wrt, shapes, expected in IDENTITIES:
        cold.append(best_of(lambda: matrix_gradient(text, wrt, shapes=shapes, seed=1), rounds=1))
        t = best_of(lambda: matrix_gradient(text, wrt, shapes=shapes), rounds=2)
        times.append((t, equation, text))
    rng = np.random.default_rng(0)
    values = {k: rng.standard_normal((3, 3)) + 6 * np.eye(3) for k in "ABCDX"}
    values.update({k: rng.standard_normal((3, 1)) for k in "abcdx"})
    numpy_time = statistics.median(best_of(lambda: expected(values), rounds=5) for *_, expected in IDENTITIES)
    for t, equation, text in sorted(times, reverse=True)[:5]:
        print(f"  ({equation:>4}) {text:<34} {t * 1e3:7.1f} ms")
    worst = max(t for t, *_ in times)
    median = statistics.median(t for t, *_ in times)
    print(f"  {len(times)} identities: median {median * 1e3:.1f} ms, slowest {worst * 1e3:.1f} ms")
    print(f"  first calls (cold caches): median {statistics.median(cold) * 1e3:.1f} ms, slowest "
          f"{max(cold) * 1e3:.1f} ms   target < 300 ms each: {'ok' if max(worst, max(cold)) < 0.3 else 'MISSED'}")
    print(f"  NumPy closed form (baseline)      {numpy_time * 1e6:7.1f} µs   median derivation is "
          f"{median / numpy_time:,.0f}x that")


if __name__ == "__main__":
    main()
