"""Matrix products step by step: the shape check, each entry as a row·column dot product, a
matrix-vector product as a linear combination of the columns, and the transpose rule (AB)ᵀ = BᵀAᵀ.

The product shown is assembled from the entry steps (so the answer is the steps'), and checked against
SymPy's own product.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from gradwise.derivations.display import Displayable
from gradwise.derivations.limits import time_limit
from gradwise.derivations.linalg.steps import StepsAndChecks, read_matrix, same, shape, simp, record
from gradwise.derivations.steps import EqualityStep
from gradwise.derivations.linalg.vectors import dot_step
from gradwise.errors import GradwiseError


@dataclass
class MatrixProduct(StepsAndChecks, Displayable):
    """A·B derived entry by entry."""

    input: tuple[str, str]
    a: sp.ImmutableMatrix
    b: sp.ImmutableMatrix
    steps: list[EqualityStep]

    kind = "matmul"


    @property
    def value(self) -> sp.ImmutableMatrix:
        return self.step("matrix_product").after



def matmul(a, b, *, timeout: float | None = None) -> MatrixProduct:
    """A·B (text like "[[1,2],[3,4]]" and "[[5],[6]]", lists or SymPy matrices), entry by entry, checked."""
    with time_limit(timeout):
        x, y = read_matrix(a, "the first matrix"), read_matrix(b, "the second matrix")
        if x.cols != y.rows:
            raise GradwiseError(f"cannot multiply a {shape(x)} matrix by a {shape(y)} matrix: the first has "
                                f"{x.cols} column{'s' if x.cols != 1 else ''} but the second has {y.rows} "
                                f"row{'s' if y.rows != 1 else ''} (they must be equal)")
        steps = [record(EqualityStep("shape_check", sp.Integer(x.cols), sp.Integer(y.rows),
                                       info={"a": x.shape, "b": y.shape, "result": (x.rows, y.cols)}),
                               same(sp.Integer(x.cols), sp.Integer(y.rows)))]
        entries = []
        for i in range(x.rows):
            for j in range(y.cols):
                s = dot_step(list(x.row(i)), list(y.col(j)), rule="entry")
                s.info.update({"row": i, "column": j})
                entries.append(s)
        value = sp.ImmutableMatrix(x.rows, y.cols, [s.after for s in entries])
        steps.append(record(EqualityStep("matrix_product", sp.MatMul(x, y, evaluate=False), value, tuple(entries)),
                                   same((x * y).applyfunc(simp), value)))
        if y.cols == 1:
            columns = [sp.ImmutableMatrix(x.col(j)) for j in range(x.cols)]
            combination = sp.ImmutableMatrix(sp.Matrix.zeros(x.rows, 1))
            for c, col in zip(y, columns):
                combination = combination + c * col
            steps.append(record(
                EqualityStep("linear_combination", sp.ImmutableMatrix(combination.applyfunc(simp)), value,
                        info={"coefficients": list(y), "columns": columns}),
                same(sp.ImmutableMatrix(combination.applyfunc(simp)), value)))
        transposed = sp.ImmutableMatrix((y.T * x.T).applyfunc(simp))
        steps.append(record(EqualityStep("transpose_rule", sp.ImmutableMatrix(value.T), transposed,
                                           info={"bt": y.T, "at": x.T}), same(sp.ImmutableMatrix(value.T), transposed)))
        return MatrixProduct((str(a), str(b)), x, y, steps)
