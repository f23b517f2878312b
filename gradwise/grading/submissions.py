"""Submissions and their verdicts: reading a folder of .tex files or a JSONL file, checking one
submission, the error verdict of one that cannot be judged, and the categories a summary counts.

Each submission gets its own verdict (the JSON contract of `gradwise check`, with its `name`); one that
is too large, fails or runs out of time gets an error verdict and the batch goes on.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Iterator

from gradwise.errors import GradwiseError

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 100_000
SUFFIXES = (".tex", ".txt", ".latex")


@dataclass(frozen=True)
class Submission:
    """One derivation to check, by name (file name or the JSONL `id`)."""

    name: str
    text: str


def submissions(path: str) -> Iterator[Submission]:
    """The submissions in a folder (its .tex/.txt files, sorted by name) or a JSONL file (one object
    a line with "text" and optionally "id"/"name")."""
    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.endswith(SUFFIXES) and not n.startswith("."))
        if not names:
            raise GradwiseError(f"the folder {path} has no .tex or .txt files")
        for n in names:
            full = os.path.join(path, n)
            yield Submission(n, _read_file(full))
        return
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Submission(f"line {number}", _Broken(f"line {number} of {path} is not JSON: {exc.msg}"))
                continue
            if not isinstance(item, dict) or not isinstance(item.get("text", item.get("derivation")), str):
                yield Submission(f"line {number}", _Broken(f'line {number} of {path} has no "text" string'))
                continue
            name = str(item.get("id", item.get("name", f"line {number}")))
            yield Submission(name, item.get("text", item.get("derivation")))


class _Broken(str):
    """A submission that could not even be read from the batch file; its text is the reason."""


def _read_file(path: str) -> str:
    with open(path, "rb") as f:
        data = f.read(DEFAULT_MAX_BYTES * 10 + 1)
    return data.decode("utf-8", errors="replace")


def check_one(submission: Submission, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
              assume_positive: bool = False, shapes: str | None = None, extend=None) -> dict:
    """The JSON verdict of one submission; any failure becomes an error verdict, never an exception.
    `extend(verdict, out)` may add to the JSON `out` from the Verdict (the credit of a task)."""
    from gradwise.derivations.verify import check
    from gradwise.explainer.check import contract
    refused = refusal(submission, max_bytes)
    if refused is not None:
        return refused
    try:
        verdict = check(submission.text, shapes=shapes, assume_positive=assume_positive, timeout=timeout,
                        step_timeout=5.0)
        verdict.name = submission.name
        out = contract(verdict)
        if extend is not None:
            extend(verdict, out)
        return out
    except Exception as exc:  # a bug of ours must not stop the batch: it is this submission's error
        return error_verdict(submission.name, f"internal error: {type(exc).__name__}: {exc}"[:300])


def refusal(submission: Submission, max_bytes: int = DEFAULT_MAX_BYTES) -> dict | None:
    """The error verdict of a submission that is not judged at all (unreadable from the batch file, or
    too large), else None."""
    if isinstance(submission.text, _Broken):
        return error_verdict(submission.name, str(submission.text))
    size = len(submission.text.encode("utf-8"))
    if size > max_bytes:
        return error_verdict(submission.name, f"the submission is too large ({size:,} bytes; the limit is "
                                              f"{max_bytes:,})")
    return None


def error_verdict(name: str, error: str) -> dict:
    return {"name": name, "kind": "check", "valid": False, "first_error": None, "steps": [],
            "readable": False, "error": error, "exit_code": 2}


def category(v: dict) -> str:
    """valid, invalid (a wrong step), unreadable (input or a side cannot be read), error (time or failure)."""
    error = v.get("error") or ""
    if any(w in error for w in ("internal error", "gave up", "worker failed")):
        return "error"
    if not v.get("readable"):
        return "unreadable"
    return "valid" if v.get("valid") else "invalid"


def summarise(verdicts: list[dict]) -> dict:
    """Counts over a batch: how many valid, invalid, unreadable, failed."""
    counts = {c: 0 for c in ("valid", "invalid", "unreadable", "error")}
    for v in verdicts:
        counts[category(v)] += 1
    return {"kind": "check_summary", "submissions": len(verdicts), **counts}
