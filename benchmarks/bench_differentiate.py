"""Time `differentiate` on a fixed corpus: median ms per expression, steps per expression, and where the
time goes (building the rule tree, checking the steps, simplifying). Prints figures; asserts nothing."""
from __future__ import annotations

import statistics
import time

import sympy as sp

from gradwise.derivations.derivation import _check_tree, differentiate
from gradwise.derivations.differentiate import derivative_steps
from gradwise.derivations.parsing import parse, symbol
from gradwise.derivations.simplification import simplification_steps

SEED = [("x^2 sin(x)", "x"), ("1/(1+e^(-x))", "x"), ("(w x + b - y)^2", "w")]
CORPUS = SEED + [
    ("e^(3x^2)", "x"), ("ln(x^2+1)", "x"), ("x^x", "x"), ("tanh(x)", "x"), ("sigmoid(w x + b)", "w"),
    ("x/(x+1)", "x"), ("x^3 e^x", "x"), ("sqrt(1 + x^2)", "x"), ("sin(x) cos(x)", "x"),
    ("log(x, 2)", "x"), ("2^x", "x"), ("atan(x^2)", "x"), ("relu(w x + b)", "w"), ("softplus(x)", "x"),
    ("gelu(x)", "x"), ("x e^x sin(x)", "x"), ("(x^2 + 1)/(x - 1)", "x"), ("tan(x)^2", "x"),
    ("sec(x) + csc(x)", "x"), ("asin(x) + acos(x)", "x"), ("max(x, 0) + abs(x)", "x"),
    ("logsumexp(x, 2x)", "x"), ("-(y log(sigmoid(w x)) + (1 - y) log(1 - sigmoid(w x)))", "w"),
    ("(sigmoid(w2 tanh(w1 x + b1) + b2) - y)^2", "w1"),
]
REPEATS = 5


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def median_ms(expr: str, var: str) -> float:
    times = []
    for _ in range(REPEATS):
        sp.core.cache.clear_cache()
        _, dt = timed(differentiate, expr, var)
        times.append(dt)
    return statistics.median(times) * 1000


def main() -> None:
    differentiate("x^2", "x")  # import and warm up
    print(f"{'expression':52} {'median ms':>10} {'steps':>6}")
    medians = {}
    for text, var in CORPUS:
        d = differentiate(text, var)
        steps = sum(1 for _ in d.all_steps())
        medians[text] = median_ms(text, var)
        print(f"{text[:52]:52} {medians[text]:10.1f} {steps:6d}")
    print()
    print(f"corpus median: {statistics.median(medians.values()):.1f} ms per expression")
    seed = statistics.median(medians[t] for t, _ in SEED)
    print(f"seed-level median (x^2 sin x, the sigmoid, (wx+b-y)^2 in w): {seed:.1f} ms (target < 150 ms)")
    # where the time goes, summed over the corpus
    parts = {"parse": 0.0, "rule tree": 0.0, "checks": 0.0, "simplification": 0.0}
    for text, var in CORPUS:
        sp.core.cache.clear_cache()
        expr, dt = timed(parse, text)
        parts["parse"] += dt
        x = symbol(var)
        tree, dt = timed(derivative_steps, expr, x)
        parts["rule tree"] += dt
        _, dt = timed(_check_tree, tree, {})
        parts["checks"] += dt
        _, dt = timed(simplification_steps, tree.after, x, expr)
        parts["simplification"] += dt
    total = sum(parts.values())
    print("share of time: " + ", ".join(f"{k} {v / total:.0%}" for k, v in parts.items()))


if __name__ == "__main__":
    main()
