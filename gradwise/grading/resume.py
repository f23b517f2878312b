"""Resuming an interrupted batch: what the output file already holds, and where to go on from.

The file keeps only whole lines (a line cut short by a kill is dropped, as is a final summary line), and
its verdicts must be those of the first submissions of the same input, by name.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass, field
from typing import Iterator

from gradwise.grading.submissions import Submission, category
from gradwise.errors import GradwiseError

EXIT_CODES = {"valid": 0, "invalid": 1, "unreadable": 2, "error": 2}


@dataclass
class Tally:
    """Counts over the verdicts written so far: the batch's summary and its exit code."""

    submissions: int = 0
    counts: dict = field(default_factory=lambda: {c: 0 for c in EXIT_CODES})
    exit_code: int = 0

    def add(self, kind: str, exit_code: int) -> None:
        self.submissions += 1
        self.counts[kind] += 1
        self.exit_code = max(self.exit_code, exit_code)

    def add_verdict(self, verdict: dict) -> None:
        self.add(category(verdict), verdict.get("exit_code", 2))

    def summary(self) -> dict:
        return {"kind": "check_summary", "submissions": self.submissions, **self.counts}


def resume_point(path: str, fmt: str) -> Tally:
    """The tally of the verdicts already in `path` (json or csv), after cutting it back to whole lines."""
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return Tally()
    _cut_to_whole_lines(path)
    tally = Tally()
    for number, name, kind, code in _records(path, fmt):
        if kind == "summary":
            _truncate_from_line(path, number)
            break
        tally.add(kind, code)
    return tally


def done_names(path: str, fmt: str) -> Iterator[str]:
    """The names of the verdicts in `path`, in order."""
    if os.path.exists(path):
        for _, name, kind, _ in _records(path, fmt):
            if kind != "summary":
                yield name


def check_continues(items: Iterator[Submission], path: str, fmt: str, done: int) -> Iterator[Submission]:
    """`items` without its first `done` submissions, which must be the ones `path` holds, by name."""
    names = done_names(path, fmt)
    for number in range(1, done + 1):
        item = next(items, None)
        written = next(names, None)
        if item is None or item.name != written:
            theirs = "nothing" if item is None else repr(item.name)
            raise GradwiseError(f"{path} does not continue this input: its verdict {number} is for {written!r}, "
                                f"the input's submission {number} is {theirs} (drop --resume to start again)")
    yield from items


def _records(path: str, fmt: str) -> Iterator[tuple[int, str, str, int]]:
    """(line number, name, category or "summary", exit code) for each line of a verdict file."""
    with open(path, encoding="utf-8", newline="") as f:
        if fmt == "csv":
            from gradwise.grading.gradebook import KINDS, is_header
            rows = csv.reader(f)
            if not is_header(next(rows, [])):
                raise GradwiseError(f"{path} is not a grades CSV of gradwise (its first row is not "
                                    "id,marks,out_of,first_wrong_line,mistake,verdict): cannot resume from it")
            for number, row in enumerate(rows, start=2):
                kind = KINDS.get(row[-1]) if row else None
                if kind is None:
                    raise GradwiseError(f"row {number} of {path} is not a grade of gradwise: cannot resume from it")
                yield number, row[0], kind, EXIT_CODES[kind]
            return
        for number, line in enumerate(f, start=1):
            try:
                verdict = json.loads(line)
            except json.JSONDecodeError:
                verdict = None
            if isinstance(verdict, dict) and verdict.get("kind") == "check_summary":
                yield number, "", "summary", 0
            elif isinstance(verdict, dict) and verdict.get("kind") == "check" and "name" in verdict:
                yield number, verdict["name"], category(verdict), verdict.get("exit_code", 2)
            else:
                raise GradwiseError(f"line {number} of {path} is not a verdict of gradwise check: "
                                    "cannot resume from it")


def _cut_to_whole_lines(path: str) -> None:
    with open(path, "rb+") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        position = size
        while position > 0:
            step = min(65536, position)
            f.seek(position - step)
            block = f.read(step)
            end = block.rfind(b"\n")
            if end >= 0:
                position = position - step + end + 1
                break
            position -= step
        if position != size:
            f.truncate(position)


def _truncate_from_line(path: str, number: int) -> None:
    with open(path, "rb+") as f:
        for _ in range(number - 1):
            f.readline()
        f.truncate(f.tell())
