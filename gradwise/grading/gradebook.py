"""Grades CSV: one row a student (id, marks, out of, first wrong line, mistake, verdict), in the form
Moodle's and Canvas's gradebook imports read (UTF-8, comma separated, a header row, '.' decimals).

The task file's [gradebook] table can name the first two columns as the gradebook knows them, such as
`id_column = "SIS User ID"` and `marks_column = "Quiz 3"` for Canvas.
"""
from __future__ import annotations

import csv
import io

from gradwise.grading.submissions import category

DETAIL_COLUMNS = ["out_of", "first_wrong_line", "mistake", "verdict"]
HEADER = ["id", "marks", *DETAIL_COLUMNS]
KINDS = {k: k for k in ("valid", "invalid", "unreadable", "error")}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def header(task=None) -> list[str]:
    """The header row: the task's names for the id and marks columns, then the details."""
    if task is None:
        return HEADER
    return [task.id_column, task.marks_column, *DETAIL_COLUMNS]


def is_header(row: list[str]) -> bool:
    """Whether a row is the header of a grades CSV of gradwise (whatever the first two are called)."""
    return len(row) == len(HEADER) and row[2:] == DETAIL_COLUMNS


def row(verdict: dict) -> list[str]:
    """The grades row of a verdict: a submission without credit (unreadable, failed) has 0 marks."""
    credit = verdict.get("credit") or {}
    first = next((s for s in verdict.get("steps", []) if s.get("index") == verdict.get("first_error")), None)
    off = next((c for c in credit.get("lines", []) if c["status"] in ("off_problem", "undecided")), None)
    if first is not None:
        where, mistake = str(first["line"]), first.get("mistake") or ""
    elif off is not None:  # every step follows, but not from the task's problem
        where, mistake = str(off["line"]), off["status"]
    else:
        where, mistake = "", ""
    return [_cell(str(verdict.get("name", ""))), str(credit.get("marks", 0)), str(credit.get("out_of", "")),
            where, mistake, category(verdict)]


def line(cells: list[str]) -> str:
    """One CSV line, quoted where needed, without its line end."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def row_line(verdict: dict) -> str:
    return line(row(verdict))


def _cell(text: str) -> str:
    # a spreadsheet would run a cell that starts like a formula (CSV injection): make it plain text
    return "'" + text if text.startswith(_FORMULA) else text
