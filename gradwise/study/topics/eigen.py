"""Eigenvalues and eigenvectors."""
from __future__ import annotations

from gradwise.derivations.linalg.eigen import eigen
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example


@register("eigen", "Eigenvalues and eigenvectors", 30)
def build(ctx: GuideContext) -> list:
    return [
        P("An eigenvector v of a square matrix A is a direction that A only stretches: Av = λv, with "
          "the eigenvalue λ as the stretch. The eigenvalues are the roots of the characteristic "
          "polynomial det(A − λI); each eigenvector spans the null space of A − λI. In deep learning "
          "they appear as the principal axes of PCA, and the largest eigenvalue of a loss's Hessian "
          "bounds the learning rate that gradient descent can use."),
        example(ctx, eigen("[[2, 1], [1, 2]]"), "a symmetric 2×2 matrix"),
        example(ctx, eigen("[[4, 1], [2, 3]]"), "a matrix that is not symmetric", detail="brief"),
    ]
