"""The engine answers what it reads: random expressions (depth up to 5 over the supported functions)
through `differentiate`, counting the outcomes. An "internal error" (a step that failed its own check)
or any exception other than a GradwiseError is a bug; a refusal (GradwiseError) or a time-out is not.

    PYTHONPATH=. .venv/bin/python benchmarks/fuzz_engine.py [COUNT] [SEED]
"""
from __future__ import annotations

import collections
import os
import random
import statistics
import sys
import time

from gradwise.derivations.derivation import differentiate
from gradwise.errors import EngineError, GradwiseError, TimeLimitExceeded

UNARY = ["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "softplus", "asin",
         "atan", "erf", "sinh", "cosh"]
BINARY = ["+", "-", "*", "/", "^"]
LEAVES = ["x", "y", "2", "3", "1/2", "-1", "6"]


def random_expression(rng: random.Random, depth: int = 5) -> str:
    """A random plain-syntax expression of at most `depth` levels."""
    if depth <= 0 or rng.random() < 0.2:
        return rng.choice(LEAVES)
    if rng.random() < 0.5:
        return f"{rng.choice(UNARY)}({random_expression(rng, depth - 1)})"
    op = rng.choice(BINARY)
    right = rng.choice(["2", "3", "1/2", "x", "y"]) if op == "^" else random_expression(rng, depth - 1)
    return f"({random_expression(rng, depth - 1)}) {op} ({right})"


def outcome(text: str, timeout: float = 20.0) -> str:
    try:
        differentiate(text, "x", timeout=timeout)
        return "answered"
    except TimeLimitExceeded:
        return "timed out"
    except EngineError as exc:
        return f"internal error: {exc}"
    except GradwiseError:
        return "refused"
    except RecursionError:
        return "refused"
    except Exception as exc:  # noqa: BLE001 - the point is to count them
        return f"crash: {type(exc).__name__}: {exc}"


SLOWEST = 15   # the tail, printed last: where to look for the next speed-up


def main(count: int = 10_000, seed: int = 0, every: int = 250) -> None:
    rng = random.Random(seed)
    tally: collections.Counter = collections.Counter()
    bugs, seconds, texts = [], [], []
    for k in range(1, count + 1):
        text = random_expression(rng)
        texts.append(text)
        start = time.perf_counter()
        result = outcome(text)
        seconds.append(time.perf_counter() - start)
        kind = result.split(":")[0]
        tally[kind] += 1
        if kind in ("internal error", "crash"):
            bugs.append((text, result))
            print(f"  {text}\n    {result[:300]}", flush=True)
        if k % every == 0 or k == count:
            print(summary(k, seed, tally, seconds), flush=True)
    for text, result in bugs[:40]:
        print(f"  {text}\n    {result[:300]}")
    print("slowest:")
    for took, text in sorted(zip(seconds, texts), reverse=True)[:SLOWEST]:
        print(f"  {took:6.2f} s  {text}")


def summary(count: int, seed: int, tally: collections.Counter, seconds: list[float]) -> str:
    """One line: the outcomes, the median and 99th percentile time, how many ran past 20 s, the load."""
    ordered = sorted(seconds)
    median, p99 = statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (f"{count} expressions (seed {seed}): " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items()))
            + f"; median {median:.2f} s, p99 {p99:.2f} s, past 20 s {sum(t >= 20 for t in ordered)}"
            + f"; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
