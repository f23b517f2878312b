"""How the checked derivative's cost grows: sums of k softplus-of-linear terms (k = 1..64) and
compositions of depth d = 1..8, with the growth exponent fitted on log-log scale.

Targets (issue 18): at most linear in k (exponent <= 1.2) and under 2 s at k = 64, in-process.
The baseline is sympy.diff of the same expression, measured in the same run.
"""
from __future__ import annotations

import math
import time

import sympy as sp
from sympy.core.cache import clear_cache

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import differentiate
from gradwise.derivations.parsing import symbol

x = symbol("x")


def softplus_sum(k: int) -> sp.Expr:
    return sp.Add(*[fn.softplus(sp.Rational(i + 1, 7) * x + sp.Rational(i, 3)) for i in range(k)])


def composition(d: int) -> sp.Expr:
    layers = [sp.sin, fn.sigmoid, sp.tanh, sp.exp, lambda u: sp.log(u ** 2 + 1), fn.softplus]
    e = x
    for i in range(d):
        e = layers[i % len(layers)](e) * (x + i) if i % 2 else layers[i % len(layers)](e + i)
    return e


def timed(fn_) -> float:
    clear_cache()   # each measurement from a cold SymPy cache, so neither profits from the other
    t = time.perf_counter()
    fn_()
    return time.perf_counter() - t


def exponent(sizes, times) -> float:
    """The least-squares slope of log time against log size."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(t, 1e-6)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((a - mx) * (b - my) for a, b in zip(xs, ys)) / sum((a - mx) ** 2 for a in xs)


def series(label: str, sizes: list[int], make) -> list[float]:
    """Time the checked derivative (and sympy.diff) of make(size) for each size."""
    times = []
    for n in sizes:
        e = make(n)
        base, ours = timed(lambda: sp.diff(e, x)), timed(lambda: differentiate(e, x))
        times.append(ours)
        print(f"{label} = {n:2d}: {ours:6.3f} s  (sympy.diff {base:.4f} s, ratio {ours / base:6.0f}x)")
    return times


def main() -> None:
    ks = [1, 2, 4, 8, 16, 32, 64]
    kt = series("k softplus terms", ks, softplus_sum)
    print(f"growth exponent in k: {exponent(ks[2:], kt[2:]):.2f} (target <= 1.2; k = 64 in {kt[-1]:.2f} s, "
          "target < 2 s)")
    ds = list(range(1, 9))
    dt = series("depth d", ds, composition)
    print(f"growth exponent in d: {exponent(ds[2:], dt[2:]):.2f}")


if __name__ == "__main__":
    main()
