"""Matrix calculus: gradients of scalar functions of vectors and matrices."""
from __future__ import annotations

from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example


@register("matrix_calculus", "Matrix calculus", 62)
def build(ctx: GuideContext) -> list:
    return [
        P("A loss written with vectors and matrices has a gradient of the same shape as the variable. "
          "The reliable way to find it is with differentials: write df, move the dX to the right with "
          "the trace identities, and read the gradient off df = ⟨G, dX⟩. Layers are written this way: "
          "the gradient of a least-squares loss in the weights is the whole batch's error times its inputs."),
        example(ctx, matrix_gradient("x^T A x", "x"), "a quadratic form"),
        example(ctx, matrix_gradient("norm(A x - b)^2", "x"), "least squares"),
    ]
