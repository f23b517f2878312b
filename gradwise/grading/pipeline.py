"""A batch from input to output file: read one submission at a time, answer it from the cache or send it
to a backend (worker processes or Dask), write the verdicts in input order, keep the tally."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable, Iterator

from gradwise.grading.submissions import Submission, category, refusal, submissions
from gradwise.grading.cache import VerdictCache, cache_key, normalise
from gradwise.grading.resume import Tally, check_continues, resume_point
from gradwise.grading.stream import LineWriter, Pending, count_submissions, ordered
from gradwise.grading.workers import Settings


@dataclass
class Batch:
    """What to check and where the verdicts go. `fmt` is json or csv for a resumable file."""

    source: str
    output: str | None
    fmt: str
    settings: Settings
    format_line: Callable[[dict], str]
    header: str | None = None               # a first line (the CSV header) when the file starts empty
    resume: bool = False
    cache: VerdictCache | None = None
    progress: bool = False


def run_batch(batch: Batch, backend, stdout=None) -> Tally:
    """Check every submission of the batch through `backend`; returns the tally. On KeyboardInterrupt
    the backend is stopped and the output keeps the whole lines written so far."""
    stdout = stdout or sys.stdout
    tally = resume_point(batch.output, batch.fmt) if batch.resume and batch.output else Tally()
    items: Iterator[Submission] = submissions(batch.source)
    if tally.submissions:
        items = check_continues(items, batch.output, batch.fmt, tally.submissions)
    fresh = not (batch.resume and tally.submissions) and not _has_content(batch.output, batch.resume)
    writer = LineWriter(batch.output, stdout, append=batch.resume)
    bar = _progress_bar(batch, tally.submissions) if batch.progress else None
    judged = _Judged(batch, backend)
    try:
        if batch.header and fresh:
            writer.write(batch.header)
        for submission, verdict in ordered(items, judged.submit, judged.resolve, backend.window):
            writer.write(batch.format_line(verdict))
            tally.add_verdict(verdict)
            if bar is not None:
                bar.update()
        backend.close()
    except BaseException:
        backend.close(now=True)
        raise
    finally:
        writer.close()
        if bar is not None:
            bar.close()
    return tally


class _Judged:
    """Submit and resolve for `ordered`: refusals and cache hits at once, the same text once in flight."""

    def __init__(self, batch: Batch, backend):
        self.batch, self.backend, self.in_flight = batch, backend, {}

    def submit(self, submission: Submission) -> Pending:
        settings = self.batch.settings
        refused = refusal(submission, settings.max_bytes)
        if refused is not None:
            return Pending(submission, verdict=refused)
        submission = Submission(submission.name, normalise(submission.text))
        key = cache_key(submission.text, settings)
        cache = self.batch.cache
        if cache is not None:
            hit = cache.get(key)
            if hit is not None:
                return Pending(submission, verdict={"name": submission.name, **hit})
            if key in self.in_flight:
                return Pending(submission, future=self.in_flight[key], key=key)
        future = self.backend.submit(submission)
        if cache is not None:
            self.in_flight[key] = future
        return Pending(submission, future=future, key=key)

    def resolve(self, pending: Pending) -> dict:
        if pending.verdict is not None:
            return pending.verdict
        verdict = dict(self.backend.result(pending.submission, pending.future))
        verdict["name"] = pending.submission.name
        key = pending.key
        if self.batch.cache is not None and self.in_flight.pop(key, None) is not None \
                and category(verdict) != "error":  # a time-out depends on the machine's load: judge it again
            self.batch.cache.put(key, {k: v for k, v in verdict.items() if k != "name"})
        return verdict


def _has_content(path: str | None, resume: bool) -> bool:
    import os
    return bool(resume and path and os.path.exists(path) and os.path.getsize(path) > 0)


def _progress_bar(batch: Batch, done: int):
    from tqdm import tqdm
    return tqdm(total=count_submissions(batch.source), initial=done, unit="submission", file=sys.stderr,
                dynamic_ncols=True, smoothing=0.1)
