"""Streaming: submissions judged through a bounded window of futures, results yielded in input order.

Only `window` submissions are in flight or waiting at any time, so memory stays flat however long the
input is; a result that completes early waits in the window until those before it are written.
"""
from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, TextIO

from gradwise.grading.submissions import Submission
from gradwise.errors import GradwiseError


@dataclass
class Pending:
    """A submission in the window: its verdict when known, else the future that will give it."""

    submission: Submission
    future: object | None = None
    verdict: dict | None = None
    key: str = ""                           # its cache key


def ordered(items: Iterable[Submission], submit: Callable[[Submission], Pending],
            resolve: Callable[[Pending], dict], window: int) -> Iterator[tuple[Submission, dict]]:
    """(submission, verdict) in the order of `items`, with at most `window` submissions taken ahead.

    `submit` starts a submission (or answers it at once, from a cache); `resolve` waits for its verdict.
    """
    queue: deque[Pending] = deque()
    for item in items:
        queue.append(submit(item))
        while len(queue) >= window:
            head = queue.popleft()
            yield head.submission, resolve(head)
    while queue:
        head = queue.popleft()
        yield head.submission, resolve(head)


def _open(path: str, append: bool) -> TextIO:
    """The output file, or a GradwiseError that names it and says why it cannot be written."""
    try:
        return open(path, "a" if append else "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise GradwiseError(f"cannot write {path}: {exc.strerror}") from None


class LineWriter:
    """Appends whole lines to a file (or writes them to a stream), flushed one by one, so an interrupted
    run leaves only whole lines behind."""

    def __init__(self, path: str | None, stream: TextIO, append: bool = False):
        self.path = path
        self.file = _open(path, append) if path else stream

    def write(self, line: str) -> None:
        self.file.write(line + "\n")
        self.file.flush()

    def close(self) -> None:
        if self.path:
            self.file.close()


def count_submissions(path: str) -> int:
    """How many submissions the input holds (for the progress bar): files of a folder, non-blank lines of
    a JSONL file, read in blocks."""
    from gradwise.grading.submissions import SUFFIXES
    if os.path.isdir(path):
        return sum(1 for n in os.listdir(path) if n.endswith(SUFFIXES) and not n.startswith("."))
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())
