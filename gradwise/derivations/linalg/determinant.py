"""Determinants step by step: the 2x2 formula; larger matrices by cofactor expansion along the row or
column with the most zeros (each minor shown), or by row reduction to a triangular matrix when the matrix
is numeric, 4x4 or larger and has few zeros (then the determinant is ± the product of the diagonal).

Every expansion is checked against SymPy's own determinant (Berkowitz's algorithm), computed apart.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from gradwise.derivations.display import Displayable
from gradwise.derivations.limits import time_limit
from gradwise.derivations.linalg.rowreduce import echelon_steps
from gradwise.derivations.linalg.steps import StepsAndChecks, Det, is_zero, read_matrix, shape, simp, check_equal
from gradwise.derivations.steps import EqualityStep

MAX_SYMBOLIC = 5   # a symbolic n x n determinant has up to n! terms
EXPAND_LIMIT = 4   # cofactor expansion shown down to 2x2 up to this size; above it minors are computed


def reference_det(m: sp.MatrixBase) -> sp.Expr:
    """SymPy's determinant, by a different algorithm than the one the steps show."""
    return sp.expand(sp.Matrix(m).det(method="berkowitz"))


def best_line(m: sp.MatrixBase) -> tuple[str, int, int]:
    """The row or column with the most zeros: ("row" | "column", index, zero count); rows win ties."""
    best = ("row", 0, -1)
    for i in range(m.rows):
        zeros = sum(1 for e in m.row(i) if is_zero(e))
        if zeros > best[2]:
            best = ("row", i, zeros)
    for j in range(m.cols):
        zeros = sum(1 for e in m.col(j) if is_zero(e))
        if zeros > best[2]:
            best = ("column", j, zeros)
    return best


def determinant_steps(m: sp.ImmutableMatrix, *, method: str = "auto", depth: int = 0) -> EqualityStep:
    """The determinant of a square matrix as a checked step tree (rule ids: det_1x1, det_2x2,
    cofactor_expansion, det_direct, row_reduction_det)."""
    n = m.rows
    if n == 1:
        return check_equal(EqualityStep("det_1x1", Det(m), simp(m[0, 0])))
    if n == 2:
        a, b, c, d = m
        literal = sp.Add(sp.Mul(a, d, evaluate=False), sp.Mul(-1, sp.Mul(b, c, evaluate=False), evaluate=False),
                         evaluate=False)
        step = EqualityStep("det_2x2", Det(m), simp(a * d - b * c), info={"expansion": literal})
        return check_equal(step, reference_det(m))
    if method == "auto":
        _, _, zeros = best_line(m)
        method = "rows" if not m.free_symbols and n >= 4 and zeros < n - 2 else "cofactor"
    if method == "rows":
        return _by_row_reduction(m)
    if _too_big(m, depth):
        return check_equal(EqualityStep("det_direct", Det(m), reference_det(m)))
    return _cofactor(m, depth)


def _too_big(m, depth: int) -> bool:
    """Minors of a 5x5 or larger expansion are computed directly, not expanded again (thousands of lines)."""
    return depth >= 1 and m.rows >= 4 and (m.rows + depth) > EXPAND_LIMIT


def _cofactor(m: sp.ImmutableMatrix, depth: int) -> EqualityStep:
    kind, index, zeros = best_line(m)
    terms = []
    for k in range(m.rows):
        i, j = (index, k) if kind == "row" else (k, index)
        entry = m[i, j]
        if is_zero(entry):
            continue
        sign = 1 if (i + j) % 2 == 0 else -1
        minor = sp.ImmutableMatrix(m.minor_submatrix(i, j))
        sub = determinant_steps(minor, depth=depth + 1)
        terms.append({"row": i, "column": j, "sign": sign, "entry": entry, "minor": minor, "step": sub})
    value = simp(sum((t["sign"] * t["entry"] * t["step"].after for t in terms), sp.S.Zero))
    with_minors = _literal([(t["sign"] * t["entry"], Det(t["minor"])) for t in terms])
    with_values = _literal([(t["sign"] * t["entry"], t["step"].after) for t in terms])
    step = EqualityStep("cofactor_expansion", Det(m), value, tuple(t["step"] for t in terms),
                   info={"line": kind, "index": index, "zeros": zeros, "terms": terms,
                         "with_minors": with_minors, "with_values": with_values})
    return check_equal(step, reference_det(m))


def _literal(pairs) -> sp.Expr:
    """c₁·D₁ + c₂·D₂ + ... in the order written, unevaluated."""
    if not pairs:
        return sp.S.Zero
    parts = [sp.Mul(c, d, evaluate=False) if c not in (1,) else d for c, d in pairs]
    return parts[0] if len(parts) == 1 else sp.Add(*parts, evaluate=False)


def _by_row_reduction(m: sp.ImmutableMatrix) -> EqualityStep:
    ops, upper, swaps = echelon_steps(m)
    diagonal = [upper[i, i] for i in range(m.rows)]
    sign = -1 if swaps % 2 else 1
    value = simp(sign * sp.Mul(*diagonal))
    literal = sp.Mul(*diagonal, evaluate=False) if len(diagonal) > 1 else diagonal[0]
    step = EqualityStep("row_reduction_det", Det(m), value, tuple(ops),
                   info={"upper": upper, "swaps": swaps, "sign": sign, "diagonal": diagonal, "product": literal})
    return check_equal(step, reference_det(m))


@dataclass
class Determinant(StepsAndChecks, Displayable):
    """det(A), derived step by step; `steps` is the tree, `value` the answer the steps produce."""

    input: str
    matrix: sp.ImmutableMatrix
    tree: EqualityStep

    kind = "determinant"

    @property
    def value(self) -> sp.Expr:
        return self.tree.after

    @property
    def steps(self) -> tuple:
        """The top-level step: the whole tree."""
        return (self.tree,)


def determinant(matrix, *, method: str = "auto", timeout: float | None = None) -> Determinant:
    """det of a square matrix (text like "[[2,0,1],[1,3,2],[1,1,1]]", a SymPy matrix or lists), step by
    step: method "auto" (fewest lines), "cofactor" or "rows" (row reduction)."""
    from gradwise.errors import GradwiseError
    if method not in ("auto", "cofactor", "rows"):
        raise GradwiseError(f"unknown method '{method}'; choose auto, cofactor or rows")
    with time_limit(timeout):
        text = matrix if isinstance(matrix, str) else str(matrix)
        m = read_matrix(matrix)
        if m.rows != m.cols:
            raise GradwiseError(f"a determinant needs a square matrix; this one is {shape(m)}")
        if m.free_symbols and m.rows > MAX_SYMBOLIC:
            raise GradwiseError(f"a {shape(m)} determinant with symbols has up to {math.factorial(m.rows):,} terms; "
                                f"worked symbolic determinants go up to {MAX_SYMBOLIC}x{MAX_SYMBOLIC}")
        tree = determinant_steps(m, method=method)
        return Determinant(text, m, tree)
