"""A LaTeX matrix read cell by cell: `\\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}` (and SymPy's
`\\left[\\begin{matrix}...\\end{matrix}\\right]`) split into its cells, each read on its own by the LaTeX
reader (both parsers, cross-checked). latex2sympy reading a whole matrix of expressions took seconds
(its grammar predicts its way through every cell at once: 9.7 s for a 2x2 Hessian, 1.5 s cell by cell).
"""
from __future__ import annotations

import re

import sympy as sp

from gradwise.errors import InputError

_WHOLE_MATRIX = re.compile(r"\s*\$?\s*(?:\\left\s*[\[(]\s*)?\\begin\s*\{(matrix|pmatrix|bmatrix)\}(?P<body>.*)"
                           r"\\end\s*\{\1\}\s*(?:\\right\s*[\])]\s*)?\$?\s*", re.S)


def matrix_cells(text: str) -> list[list[str]] | None:
    """The cells, row by row, of a text that is one matrix environment (`\\begin{bmatrix} a & b \\\\ c & d
    \\end{bmatrix}`, SymPy's `\\left[\\begin{matrix}...\\end{matrix}\\right]`); None for anything else."""
    m = _WHOLE_MATRIX.fullmatch(text)
    if m is None or "\\begin" in m.group("body"):
        return None
    rows = [[_unbraced(cell.strip()) for cell in _split_at_depth_zero(row, "&")]
            for row in _split_at_depth_zero(m.group("body"), "\\\\")]
    return [row for row in rows if any(row)]


def _unbraced(cell: str) -> str:
    """{x + 1} -> x + 1 (the prepass braces every cell; a cell on its own would read as a set)."""
    while cell.startswith("{") and cell.endswith("}") and _balanced(cell[1:-1]):
        cell = cell[1:-1].strip()
    return cell


def _balanced(text: str) -> bool:
    depth = 0
    for part in re.finditer(r"\\.|[{}]", text):
        depth += {"{": 1, "}": -1}.get(part.group(), 0)
        if depth < 0:
            return False
    return depth == 0


def _split_at_depth_zero(text: str, separator: str) -> list[str]:
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        if text.startswith(separator, i) and depth == 0:
            parts.append(text[start:i])
            i += len(separator)
            start = i
            continue
        if text[i] == "\\":   # a command or an escape: \{ and \} are not braces
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    parts.append(text[start:])
    return parts


def read_matrix(rows: list[list[str]], text: str, read) -> tuple[sp.Basic, list[str]]:
    """A matrix read cell by cell: each cell by both parsers, cross-checked (a whole matrix goes to
    latex2sympy alone, whose grammar takes seconds to predict its way through one)."""
    values, notes = [], []
    for row in rows:
        values.append([])
        for cell in row:
            if not cell:
                raise InputError("an empty cell in a matrix", text)
            value, more = read(cell)
            if isinstance(value, sp.MatrixBase):
                raise InputError("a matrix inside a matrix is not supported", text)
            values[-1].append(value)
            notes.extend(more)
    if len({len(r) for r in values}) != 1:
        raise InputError("the rows of this matrix have different lengths", text)
    return sp.ImmutableMatrix(values), list(dict.fromkeys(notes))
