"""Safe input: user text becomes SymPy objects through a whitelist, never through eval.

`parse(text)` accepts plain math (`x^2 sin x`, `2x + 1`, `sigmoid(w*x + b)`, `Abs(x)`, `x²·sin(x)`) and
LaTeX (anything with a backslash or a brace, read by `latex_input`). `parse_with_reading(text)` also
says how the text was read when the reading is not literal (`xy` read as x·y), so it can be shown.
Plain math is read by `plain_reader`; every error names the column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from gradwise.errors import InputError
from gradwise.derivations.input_basics import (GREEK, GREEK_LETTERS, MAX_DEPTH, MAX_INTEGER_BITS,  # noqa: F401
                                               MAX_LENGTH, bounded_pow, check_size, symbol)
from gradwise.derivations.plain_reader import PlainReader
from gradwise.derivations.plain_tokens import Token, tokenize  # noqa: F401
from gradwise.derivations import function_registry as registry

FUNCTION_NAMES = frozenset(registry.BY_NAME)
CONSTANTS = registry.CONSTANTS


@dataclass(frozen=True)
class Reading:
    """What a text was read as: the expression, and a note for each reading that was not literal."""

    text: str
    expr: sp.Basic
    notes: tuple[str, ...] = ()

    @property
    def interpreted(self) -> bool:
        return bool(self.notes)


def is_latex(text: str) -> bool:
    """Whether text is LaTeX rather than plain math."""
    return "\\" in text or "{" in text


def parse_with_reading(text: str) -> Reading:
    """Read plain math or LaTeX, and say how it was read where that was not literal."""
    check_size(text)
    if is_latex(text):
        from gradwise.derivations.latex_input import parse_latex_with_notes
        expr, notes = parse_latex_with_notes(text)
        return Reading(text, expr, tuple(notes))
    reader = PlainReader(text)
    expr = reader.parse()
    return Reading(text, expr, tuple(dict.fromkeys(reader.notes)))


def parse(text: str) -> sp.Basic:
    """Read plain math or LaTeX into a SymPy expression (or a Matrix, for `[...]`)."""
    return parse_with_reading(text).expr


def parse_variables(text: str) -> list[sp.Symbol]:
    """Read a list of variable names such as `x,y` or `w1, b`."""
    names = [t.strip() for t in text.split(",")]
    out = []
    for name in names:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*|[α-ω]", name or ""):
            raise InputError(f"'{name}' is not a variable name", text)
        out.append(symbol(GREEK_LETTERS.get(name, name)))
    return out
