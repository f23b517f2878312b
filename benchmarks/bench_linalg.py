"""Linear-algebra speed: the checked 3x3 integer eigen-derivation (target < 0.5 s, baseline SymPy's own
eigenvects and numpy.linalg.eig in the same run), the explanation rendered as text, and PCA of
10,000 x 50 (target < 2 s, baseline numpy.cov + numpy.linalg.eigh). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_linalg.py
"""
from __future__ import annotations

import statistics
import time

import numpy as np
import sympy as sp
from sympy.core.cache import clear_cache

from gradwise.derivations.linalg.eigen import eigen
from gradwise.derivations.parsing import parse
from gradwise.derivations.linalg.pca import pca
from gradwise.explainer import explain
from gradwise.renderers import render

MATRICES = ["[[2,1,0],[1,2,1],[0,1,2]]", "[[5,4,2],[4,5,2],[2,2,2]]", "[[2,1,0],[0,2,1],[0,0,2]]",
            "[[4,1,2],[0,3,1],[1,0,2]]", "[[1,2,3],[4,5,6],[7,8,10]]", "[[0,-1,0],[1,0,0],[0,0,2]]"]


def timed(fn, rounds: int = 5) -> float:
    """Median wall time; SymPy's cache is cleared before each round, so repeats are not free."""
    times = []
    for _ in range(rounds):
        clear_cache()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    eigen(MATRICES[0])  # warm the imports and SymPy's caches once
    print("3x3 integer eigen-derivation (median of 5, SymPy cache cleared each time; target < 0.5 s)")
    print(f"{'matrix':32} {'gradwise':>9} {'+ text':>9} {'sympy eigenvects':>17} {'numpy eig':>10}")
    for m in MATRICES:
        ours = timed(lambda: eigen(m))
        with_text = timed(lambda: render(explain(eigen(m)), "text"))
        a = sp.Matrix(parse(m))
        sym = timed(lambda: a.eigenvects())
        arr = np.array(parse(m).tolist(), dtype=float)
        num = timed(lambda: np.linalg.eig(arr), rounds=50)
        print(f"{m:32} {ours:8.3f}s {with_text:8.3f}s {sym:16.3f}s {num * 1e6:8.1f}µs")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10_000, 50)) @ rng.normal(size=(50, 50))
    ours = timed(lambda: pca(x, 5), rounds=3)
    doc = timed(lambda: explain(pca(x, 5)), rounds=3)

    def baseline():
        c = np.cov(x, rowvar=False)
        w, v = np.linalg.eigh(c)
        return (x - x.mean(axis=0)) @ v[:, ::-1][:, :5]

    base = timed(baseline, rounds=3)
    print("\nPCA of 10,000 x 50, 5 components (median of 3; target < 2 s)")
    print(f"gradwise pca (checked)  {ours:.3f} s")
    print(f"+ explanation document  {doc:.3f} s")
    print(f"numpy cov + eigh        {base:.3f} s   ratio {ours / base:.1f}x")


if __name__ == "__main__":
    main()
