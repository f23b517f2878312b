"""Row reduction with every row operation shown and checked.

Each operation is a step whose `after` must equal E·`before` for the elementary matrix E of the
operation (a product SymPy computes independently); the reduced row echelon form is compared with
SymPy's own `rref`. Pivots that are expressions in symbols are recorded as assumptions (b ≠ 0).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from gradwise.derivations.linalg.steps import is_zero, same, simp, record
from gradwise.derivations.steps import EqualityStep


@dataclass(frozen=True)
class RowOp:
    """swap rows i, j; scale row i by factor; or add factor·(row j) to row i (0-based rows)."""

    kind: str            # "swap", "scale", "add"
    i: int
    j: int = -1
    factor: sp.Expr = sp.S.One

    @property
    def rule(self) -> str:
        return {"swap": "row_swap", "scale": "row_scale", "add": "row_add"}[self.kind]

    def elementary(self, n: int) -> sp.Matrix:
        """The elementary matrix E with E·M = the operation applied to M."""
        e = sp.eye(n)
        if self.kind == "swap":
            e[self.i, self.i] = e[self.j, self.j] = 0
            e[self.i, self.j] = e[self.j, self.i] = 1
        elif self.kind == "scale":
            e[self.i, self.i] = self.factor
        else:
            e[self.i, self.j] = self.factor
        return e

    def apply(self, m: sp.Matrix) -> sp.ImmutableMatrix:
        m = sp.Matrix(m)
        if self.kind == "swap":
            m.row_swap(self.i, self.j)
        elif self.kind == "scale":
            m[self.i, :] = m[self.i, :] * self.factor
        else:
            m[self.i, :] = m[self.i, :] + self.factor * m[self.j, :]
        return sp.ImmutableMatrix(m.applyfunc(simp))


def op_step(m: sp.ImmutableMatrix, op: RowOp) -> EqualityStep:
    """Apply one row operation as a checked step (after = E·before)."""
    step = EqualityStep(op.rule, m, op.apply(m), info={"op": op})
    reference = (op.elementary(m.rows) * m).applyfunc(simp)
    return record(step, same(reference, step.after))


def _pivot_row(m, col: int, start: int) -> int | None:
    """The row to pivot on: one whose entry is exactly ±1 if any (fewest fractions), else the first non-zero."""
    candidates = [r for r in range(start, m.rows) if not is_zero(m[r, col])]
    if not candidates:
        return None
    for r in candidates:
        if m[r, col] in (1, -1):
            return r
    numeric = [r for r in candidates if m[r, col].is_number]
    return numeric[0] if numeric else candidates[0]


def rref_steps(m: sp.ImmutableMatrix) -> EqualityStep:
    """Gauss–Jordan elimination to reduced row echelon form, one checked step per row operation.

    info: pivots (column indices), free (columns without a pivot), assumptions (symbolic pivots ≠ 0).
    """
    current = sp.ImmutableMatrix(m.applyfunc(simp))
    ops: list[EqualityStep] = []
    pivots: list[int] = []
    assumptions: list[sp.Expr] = []
    row = 0
    for col in range(m.cols):
        if row >= m.rows:
            break
        p = _pivot_row(current, col, row)
        if p is None:
            continue
        if p != row:
            ops.append(op_step(current, RowOp("swap", row, p)))
            current = ops[-1].after
        pivot = current[row, col]
        if pivot.free_symbols:
            assumptions.append(pivot)
        if pivot != 1:
            ops.append(op_step(current, RowOp("scale", row, factor=simp(1 / pivot))))
            current = ops[-1].after
        for r in range(m.rows):
            if r != row and not is_zero(current[r, col]):
                ops.append(op_step(current, RowOp("add", r, row, simp(-current[r, col]))))
                current = ops[-1].after
        pivots.append(col)
        row += 1
    current = sp.ImmutableMatrix(current.applyfunc(lambda e: sp.S.Zero if is_zero(e) else e))
    free = [c for c in range(m.cols) if c not in pivots]
    step = EqualityStep("row_reduce", m, current, tuple(ops),
                   info={"pivots": pivots, "free": free, "assumptions": assumptions})
    reference, _ = sp.Matrix(m).rref(iszerofunc=is_zero, simplify=simp)
    return record(step, same(reference.applyfunc(simp), current))


def echelon_steps(m: sp.ImmutableMatrix) -> tuple[list[EqualityStep], sp.ImmutableMatrix, int]:
    """Forward elimination to upper triangular form with row swaps and row additions only (no scaling),
    for the determinant: returns the steps, the triangular matrix and the number of swaps."""
    current = sp.ImmutableMatrix(m.applyfunc(simp))
    steps: list[EqualityStep] = []
    swaps = 0
    for col in range(min(m.rows, m.cols)):
        p = _pivot_row(current, col, col)
        if p is None:
            continue
        if p != col:
            steps.append(op_step(current, RowOp("swap", col, p)))
            current, swaps = steps[-1].after, swaps + 1
        for r in range(col + 1, m.rows):
            if not is_zero(current[r, col]):
                steps.append(op_step(current, RowOp("add", r, col, simp(-current[r, col] / current[col, col]))))
                current = steps[-1].after
    return steps, current, swaps


def null_space(r: sp.ImmutableMatrix, pivots: list[int], free: list[int]) -> list[sp.ImmutableMatrix]:
    """A basis of the null space read off a reduced row echelon form: one vector per free variable,
    scaled to clear denominators when the entries are rational."""
    basis = []
    for f in free:
        v = [sp.S.Zero] * r.cols
        v[f] = sp.S.One
        for row, p in enumerate(pivots):
            v[p] = simp(-r[row, f])
        dens = [sp.fraction(sp.together(x))[1] for x in v]
        if all(x.is_Rational for x in v):
            scale = sp.ilcm(*[int(d) for d in dens]) if len(dens) > 1 else int(dens[0])
            v = [x * scale for x in v]
        basis.append(sp.ImmutableMatrix(v))
    return basis
