"""Matrix multiplication."""
from __future__ import annotations

from gradwise.derivations.linalg.products import matmul
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example


@register("matrix_multiplication", "Matrix multiplication", 20)
def build(ctx: GuideContext) -> list:
    return [
        P("Entry (i, j) of AB is the dot product of row i of A with column j of B, so A's number of "
          "columns must equal B's number of rows. A dense layer computes Wx + b for a whole batch at "
          "once as one matrix product."),
        example(ctx, matmul("[[1, 2], [3, 4]]", "[[0, 1], [1, 0]]"), "a 2×2 product"),
    ]
