"""Principal component analysis (needs the PCA engine)."""
from __future__ import annotations

from gradwise.study.registry import GuideContext, register, resolve
from gradwise.study.worked import P, example

NEEDS = "gradwise.derivations.linalg.pca:pca"


@register("pca", "Principal component analysis", 40, requires=(NEEDS,), kinds=("pca",))
def build(ctx: GuideContext) -> list:
    pca = resolve(NEEDS)
    return [
        P("PCA centres the data, forms the covariance matrix, and takes its eigenvectors, largest "
          "eigenvalue first: the directions along which the data varies most. Projecting onto the "
          "first k of them keeps as much of the variance as any k directions can."),
        example(ctx, pca([[0, 0], [0, 3], [1, 1], [3, 0]], components=1), "four points in the plane"),
    ]
