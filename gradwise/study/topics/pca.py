"""Principal component analysis."""
from __future__ import annotations

from gradwise.derivations.linalg.pca import pca
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example, picture


@register("pca", "Principal component analysis", 40)
def build(ctx: GuideContext) -> list:
    return [
        P("PCA centres the data, forms the covariance matrix, and takes its eigenvectors, largest "
          "eigenvalue first: the directions along which the data varies most. Projecting onto the "
          "first k of them keeps as much of the variance as any k directions can."),
        example(ctx, pca([[0, 0], [0, 3], [1, 1], [3, 0]], components=1), "four points in the plane"),
        P("With more data the picture is the point: the first component follows the long axis of the cloud, "
          "the second is perpendicular to it."),
        *_scatter(ctx, pca),
    ]


def _scatter(ctx: GuideContext, pca) -> tuple:
    """Forty points drawn from a tilted ellipse, with their principal axes (PC1, PC2) drawn as arrows."""
    import numpy as np

    from gradwise.explainer.figures import pca_plot as save_plot

    rng = np.random.default_rng(0)
    t = rng.normal(size=(40, 2)) * [2.0, 0.6]
    angle = np.pi / 6
    rotation = np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
    result = pca((t @ rotation).round(2).tolist(), components=2)
    return picture(ctx, "pca", "The centred data with PC1 and PC2 (arrows two standard deviations long), "
                   "and the share of the variance each component explains", lambda path: save_plot(result, path),
                   width=0.95)   # two panels side by side: at two thirds of the page their labels are too small
