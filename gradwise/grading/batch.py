"""Checking many submissions, the grading pipeline's entry: a folder of .tex files or a JSONL file, in
parallel processes.

`--jobs N` runs N killable worker processes; the order of the results is the order of the submissions.
What a submission is, how one is checked and summarised, lives in `submissions.py` (re-exported here).
"""
from __future__ import annotations

from typing import Iterator

from gradwise.grading.stream import Pending, ordered
from gradwise.grading.submissions import (DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, SUFFIXES, Submission, category,
                                          check_one, error_verdict, refusal, submissions, summarise)
from gradwise.grading.workers import ProcessBackend, Settings

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "SUFFIXES", "Submission", "category", "check_many", "check_one",
           "error_verdict", "refusal", "submissions", "summarise"]


def check_many(items: list[Submission], jobs: int = 1, timeout: float = DEFAULT_TIMEOUT,
               max_bytes: int = DEFAULT_MAX_BYTES, assume_positive: bool = False,
               shapes: str | None = None) -> Iterator[dict]:
    """Verdicts in the order of `items`, computed by `jobs` killable worker processes (1: in this
    process)."""
    if jobs <= 1 or len(items) <= 1:
        for s in items:
            yield check_one(s, timeout, max_bytes, assume_positive, shapes)
        return
    backend = ProcessBackend(jobs, Settings(timeout, max_bytes, assume_positive, shapes=shapes))
    try:
        for _, verdict in ordered(items, lambda s: Pending(s, backend.submit(s)),
                                  lambda p: backend.result(p.submission, p.future), backend.window):
            yield verdict
    finally:
        backend.close(now=True)
