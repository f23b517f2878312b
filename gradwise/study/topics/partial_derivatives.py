"""Partial derivatives and the gradient: one variable moves, the others are held constant."""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.derivation import differentiate
from gradwise.derivations.parsing import parse
from gradwise.printing import latex, unicode
from gradwise.printing.typst import typst
from gradwise.renderers.document import DisplayMath, Notation
from gradwise.study.registry import GuideContext, register, resolve
from gradwise.study.worked import M, P, example


GRADIENT = "gradwise.derivations.multivariable:gradient"


@register("partial_derivatives", "Partial derivatives and the gradient", 60)
def build(ctx: GuideContext) -> list:
    text = "x^2 y + sin(y)"
    f = parse(text)
    by_x = differentiate(text, "x")
    by_y = differentiate(text, "y")
    grad = sp.ImmutableMatrix([by_x.result, by_y.result])
    # the gradient as one display line, printed from the two checked results above
    gradient_line = Notation(r"\nabla f = " + latex(grad), "∇f = " + unicode(grad), "nabla f = " + typst(grad))
    intro = P("A loss depends on many parameters. The partial derivative ",
              Notation(r"\partial f/\partial x", "∂f/∂x"), " is the ordinary derivative in x with every other "
              "variable held constant; the gradient ", Notation(r"\nabla f", "∇f"), " collects all the partial "
              "derivatives in a vector, which points in the direction of steepest increase. Gradient "
              "descent steps the other way.")
    engine = _gradient_engine(ctx, text)
    if engine:  # the gradient engine works every partial derivative, each with its own steps
        return [intro, *engine, _neuron(ctx)]
    return [
        intro,
        example(ctx, by_x, "in x, with y held constant"),
        example(ctx, by_y, "in y, with x held constant"),
        P("Together they make the gradient of ", M(sp.Symbol("f"), f), ", the vector of its partial "
          "derivatives; a parameter's gradient in a network is found the same way, one partial "
          "derivative per weight:"),
        DisplayMath(gradient_line),
        _neuron(ctx),
    ]


def _neuron(ctx: GuideContext):
    return example(ctx, differentiate("sigmoid(w*x + b)", "w"), "a neuron's output in its weight w")


def _gradient_engine(ctx: GuideContext, text: str) -> list:
    """The gradient engine's own worked gradient, when it is installed."""
    from gradwise.explainer import EXPLAINERS
    gradient = resolve(GRADIENT)
    if gradient is None or "gradient" not in EXPLAINERS:
        return []
    return [example(ctx, gradient(text), "the whole gradient: every partial derivative at once")]
