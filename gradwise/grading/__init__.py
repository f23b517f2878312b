"""Grading a whole course: submissions streamed through killable worker processes (or a Dask cluster),
verdicts written in input order, resumable, cached, and marked with partial credit from a task file."""
