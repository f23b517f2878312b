"""Benchmark of `gradwise check`: steps per second on the test corpus, the median time of a step, and a
batch of submissions with --jobs 2 against --jobs 1 (the baseline, measured in the same run).

    .venv/bin/python benchmarks/bench_check.py            # the corpus, then a batch of 500
    .venv/bin/python benchmarks/bench_check.py --batch 100

Goal: median step under 100 ms. The batch cycles through the corpus; SymPy's caches make repeated
submissions cheaper in any one process, for both runs alike.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from gradwise.grading.batch import Submission, check_many, submissions  # noqa: E402
from gradwise.derivations.verify import judging  # noqa: E402
from gradwise.derivations.verify.reading import read_derivation  # noqa: E402

CORPUS = os.path.join(os.path.dirname(__file__), "..", "tests", "corpus")


def corpus_pass(items: list[Submission]) -> tuple[list[float], list[float], int]:
    """(time of each judged step, time of reading each derivation, number of source lines)."""
    step_times: list[float] = []
    original = judging.judge_step

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            step_times.append(time.perf_counter() - start)

    judging.judge_step = timed
    read_times, lines = [], 0
    try:
        for s in items:
            start = time.perf_counter()
            try:
                chains = read_derivation(s.text)
            except Exception:
                continue
            read_times.append(time.perf_counter() - start)
            lines += sum(len(c.sides) for c in chains)
            judging.judge_chains(chains)
    finally:
        judging.judge_step = original
    return step_times, read_times, lines


def batch(items: list[Submission], jobs: int) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process and its workers)."""
    start, cpu = time.perf_counter(), os.times()
    verdicts = list(check_many(items, jobs=jobs, timeout=60))
    elapsed, after = time.perf_counter() - start, os.times()
    assert len(verdicts) == len(items)
    used = (after.user + after.system + after.children_user + after.children_system
            - cpu.user - cpu.system - cpu.children_user - cpu.children_system)
    return elapsed, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=500, help="submissions in the batch (default 500)")
    args = parser.parse_args()
    items = list(submissions(CORPUS))
    print(f"corpus: {len(items)} derivations")
    for label in ("cold (first pass, parsers warming up)", "warm (second pass)"):
        start = time.perf_counter()
        steps, reads, lines = corpus_pass(items)
        total = time.perf_counter() - start
        ms = sorted(t * 1000 for t in steps)
        print(f"  {label}: {len(steps)} steps, {lines} sides read in {total:.2f} s "
              f"= {lines / total:.1f} lines/s")
        print(f"    step time: median {statistics.median(ms):.1f} ms, 90th percentile "
              f"{ms[int(0.9 * len(ms))]:.1f} ms, max {ms[-1]:.0f} ms (goal: median < 100 ms)")
        print(f"    reading a derivation: median {statistics.median(reads) * 1000:.1f} ms")
    work = [Submission(f"{i:03d}-{items[i % len(items)].name}", items[i % len(items)].text)
            for i in range(args.batch)]
    (serial, serial_cpu), (parallel, parallel_cpu) = batch(work, 1), batch(work, 2)
    print(f"batch of {args.batch}: --jobs 1 {serial:.1f} s ({args.batch / serial:.1f}/s, CPU {serial_cpu:.1f} s), "
          f"--jobs 2 {parallel:.1f} s ({args.batch / parallel:.1f}/s, CPU {parallel_cpu:.1f} s): "
          f"speed-up {serial / parallel:.2f}x on {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} (other processes share the cores)")


if __name__ == "__main__":
    main()
