"""Benchmark of grading a course with `gradwise check FILE.jsonl -o ...`: submissions per second for
--jobs 1, --jobs 2 and --scheduler local:2 on the same 2,000 submissions (no cache), the cache's second
run against its first, and the peak memory of the parent process on 100,000 submissions.

    .venv/bin/python benchmarks/bench_grading.py                 # 2,000 and 100,000 submissions
    .venv/bin/python benchmarks/bench_grading.py --small 500 --large 20000

Each run is a fresh `gradwise` process; the figures are ratios within this run (other processes share
the cores). Targets: the cache's second run >= 10x faster; peak memory flat and under 300 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def write_class(path: str, n: int, distinct: int) -> None:
    """n tiny algebra submissions (a wrong one every third), `distinct` different texts, a broken line
    every 97th."""
    with open(path, "w") as f:
        for i in range(n):
            if i % 97 == 5:
                f.write("not json\n")
                continue
            k = i % distinct + 2
            f.write(json.dumps({"id": f"s{i:06d}", "text": f"{k} x + x = {k + 1 if i % 3 else k + 2} x"}) + "\n")


def run(source: str, out: str, *options: str, cache: str) -> tuple[float, int]:
    """(wall seconds, peak resident memory of the gradwise process in MB)."""
    env = {**os.environ, "PYTHONPATH": ROOT, "GRADWISE_CACHE_DIR": cache}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gradwise", "check", source, "-o", out, *options], env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1, 2):
        sys.exit(f"gradwise failed: {done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=2000, help="submissions for the speed runs")
    parser.add_argument("--large", type=int, default=100_000, help="submissions for the memory run")
    parser.add_argument("--skip-speed", action="store_true", help="only the cache and memory figures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = os.path.join(tmp, "class.jsonl")
        write_class(small, args.small, distinct=args.small)  # every text different: each is judged
        outputs = {}
        print(f"{args.small} different submissions, no cache:")
        speeds = (("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"]),
                  ("--scheduler local:2", ["--scheduler", "local:2"]))
        for label, options in speeds if not args.skip_speed else ():
            out = os.path.join(tmp, label.replace(" ", "_") + ".jsonl")
            seconds, _ = run(small, out, *options, "--no-cache", cache=os.path.join(tmp, "none"))
            outputs[label] = open(out).read()
            print(f"  {label:20s} {seconds:6.1f} s  {args.small / seconds:7.1f} submissions/s")
        same = len(set(outputs.values())) <= 1
        print(f"  the three files are {'identical' if same else 'DIFFERENT'}")
        cache = os.path.join(tmp, "cache")
        first, _ = run(small, os.path.join(tmp, "c1.jsonl"), "--jobs", "2", cache=cache)
        second, _ = run(small, os.path.join(tmp, "c2.jsonl"), "--jobs", "2", cache=cache)
        print(f"cache, --jobs 2: first run {first:.1f} s, second run {second:.2f} s: {first / second:.1f}x "
              "faster (target >= 10x)")
        # peak of the parent process alone (the workers are its children: measured in a child of ours)
        for n in (args.large // 10, args.large):
            large = os.path.join(tmp, f"large{n}.jsonl")
            write_class(large, n, distinct=50)  # repeats: the cache answers most, the stream is the test
            probe = [sys.executable, "-c", _PROBE, large, os.path.join(tmp, f"probe{n}.jsonl"), os.path.join(tmp, f"cache{n}")]
            done = subprocess.run(probe, env={**os.environ, "PYTHONPATH": ROOT}, capture_output=True, text=True)
            print(f"{n:,} submissions (50 different texts): peak memory of the gradwise process {done.stdout.strip()} MB "
                  "(target: flat, < 300 MB)")


# runs the CLI in-process (its pool workers are forked children), then prints its own peak RSS in MB
_PROBE = """
import os, resource, sys
os.environ["GRADWISE_CACHE_DIR"] = sys.argv[3]
from gradwise.cli import main
main(["check", sys.argv[1], "-o", sys.argv[2], "--jobs", "2"])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""

if __name__ == "__main__":
    main()
