"""Practice speed: the time to generate (derive, check and self-grade) one problem of each topic, and the
time to grade a typed answer, against the derivative engine on the same expression measured in the same
run. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_practice.py
"""
from __future__ import annotations

import time

from gradwise.derivations.derivation import differentiate
from gradwise.practice import generate, grade, topics

SEEDS = range(5)


def per_call(fn, rounds) -> float:
    start = time.perf_counter()
    for r in rounds:
        fn(r)
    return (time.perf_counter() - start) / len(rounds)


def main() -> None:
    baseline = per_call(lambda s: differentiate("sin(3x^2 + 1)", "x"), SEEDS)
    print(f"baseline: differentiate(sin(3x^2 + 1)) {baseline * 1000:.0f} ms")
    print(f"{'topic':<22}{'generate ms':>12}{'× baseline':>12}{'grade ms':>10}")
    for key in topics():
        for level in (1, 2, 3):
            gen = per_call(lambda s: generate(key, s, level), SEEDS)
            problems = [generate(key, s, level) for s in SEEDS]
            graded = per_call(lambda i: grade(problems[i], problems[i].answer_text), range(len(problems)))
            print(f"{key + ' L' + str(level):<22}{gen * 1000:>12.0f}{gen / baseline:>12.1f}{graded * 1000:>10.0f}")


if __name__ == "__main__":
    main()
