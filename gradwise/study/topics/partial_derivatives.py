"""Partial derivatives and the gradient: one variable moves, the others are held constant."""
from __future__ import annotations

from gradwise.derivations.derivation import differentiate
from gradwise.derivations.multivariable import gradient
from gradwise.renderers.document import Notation
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example


@register("partial_derivatives", "Partial derivatives and the gradient", 60)
def build(ctx: GuideContext) -> list:
    text = "x^2 y + sin(y)"
    intro = P("A loss depends on many parameters. The partial derivative ",
              Notation(r"\partial f/\partial x", "∂f/∂x"), " is the ordinary derivative in x with every other "
              "variable held constant; the gradient ", Notation(r"\nabla f", "∇f"), " collects all the partial "
              "derivatives in a vector, which points in the direction of steepest increase. Gradient "
              "descent steps the other way.")
    # the gradient engine works every partial derivative, each with its own steps
    return [intro, example(ctx, gradient(text), "the whole gradient: every partial derivative at once"),
            _neuron(ctx)]


def _neuron(ctx: GuideContext):
    return example(ctx, differentiate("sigmoid(w*x + b)", "w"), "a neuron's output in its weight w")
