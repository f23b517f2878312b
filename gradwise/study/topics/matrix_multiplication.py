"""Matrix multiplication (needs the linear-algebra engine's matrix product)."""
from __future__ import annotations

from gradwise.study.registry import GuideContext, register, resolve
from gradwise.study.worked import P, example

NEEDS = "gradwise.derivations.linalg.products:matmul"


@register("matrix_multiplication", "Matrix multiplication", 20, requires=(NEEDS,), kinds=("matmul",))
def build(ctx: GuideContext) -> list:
    matmul = resolve(NEEDS)
    return [
        P("Entry (i, j) of AB is the dot product of row i of A with column j of B, so A's number of "
          "columns must equal B's number of rows. A dense layer computes Wx + b for a whole batch at "
          "once as one matrix product."),
        example(ctx, matmul("[[1, 2], [3, 4]]", "[[0, 1], [1, 0]]"), "a 2×2 product"),
    ]
