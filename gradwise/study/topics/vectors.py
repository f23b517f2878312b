"""Vectors and the dot product."""
from __future__ import annotations

from gradwise.derivations.linalg.vectors import dot
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example


@register("vectors", "Vectors and the dot product", 10)
def build(ctx: GuideContext) -> list:
    return [
        P("A vector is a list of numbers: an input, a row of weights, a gradient. The dot product "
          "multiplies two vectors entry by entry and adds the products; a neuron's pre-activation "
          "w·x + b is one dot product, and the cosine of the angle between two vectors is their dot "
          "product divided by their lengths."),
        example(ctx, dot("[1, 2, 3]", "[4, -5, 6]"), "the dot product"),
    ]
