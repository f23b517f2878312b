"""Errors a person can act on: each one prints as a single line that says what is wrong and where."""
from __future__ import annotations


class GradwiseError(Exception):
    """Any error caused by the user's input or request; the CLI prints it as one line, exit code 2."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(GradwiseError):
    """Text that could not be read, with the 1-based column where reading stopped."""

    def __init__(self, problem: str, text: str, column: int | None = None, hint: str = ""):
        self.problem, self.text, self.column, self.hint = problem, text, column, hint
        shown = text if len(text) <= 60 else text[:57] + "..."
        where = f" at column {column}" if column is not None else ""
        super().__init__(f'{problem}{where} in "{shown}"' + (f"; {hint}" if hint else ""))


class TimeLimitExceeded(GradwiseError):
    """The work took longer than the time it was given."""


class EngineError(Exception):
    """A bug in gradwise itself: a derivation step failed its own check. Never shown as a valid step."""
