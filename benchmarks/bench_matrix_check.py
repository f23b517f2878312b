"""Benchmark of `gradwise check` on matrix notation: the time of a one-line matrix check in-process (goal:
under 0.5 s), for a right and a wrong line, and every derivation of tests/corpus/matrix, against the
baseline of a one-line scalar check measured in the same run.

    .venv/bin/python benchmarks/bench_matrix_check.py
"""
from __future__ import annotations

import os
import statistics
import sys
import time
import tomllib

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from gradwise.derivations.verify import check  # noqa: E402

CASES = os.path.join(os.path.dirname(__file__), "..", "tests", "corpus", "matrix", "cases.toml")
GOAL = 0.5


def timed(text: str, shapes=None, repeat: int = 5) -> float:
    """The median wall time of checking `text`, after one warm-up run."""
    check(text, shapes=shapes)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        check(text, shapes=shapes)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    scalar = timed(r"\frac{d}{dx} e^{3x^2} = 6x e^{3x^2}")
    print(f"baseline, a one-line scalar check: {scalar * 1000:.0f} ms")
    for words, text in (("right", r"\nabla_x (x^T A x) = (A + A^T) x"),
                        ("wrong, diagnosed", r"\nabla_x (x^T A x) = 2 A x"),
                        ("right, matrix variable", r"\frac{\partial}{\partial W} \|W x - y\|^2 = 2 (W x - y) x^T")):
        t = timed(text)
        print(f"one-line matrix check ({words}): {t * 1000:.0f} ms ({t / scalar:.2f}× the scalar check; "
              f"goal < {GOAL * 1000:.0f} ms: {'met' if t < GOAL else 'NOT met'})")
    with open(CASES, "rb") as f:
        cases = tomllib.load(f)["case"]
    times = [timed(c["text"], c.get("shape"), repeat=1) for c in cases]
    print(f"corpus of {len(cases)} matrix derivations: median {statistics.median(times) * 1000:.0f} ms, "
          f"slowest {max(times) * 1000:.0f} ms, total {sum(times):.1f} s")


if __name__ == "__main__":
    main()
