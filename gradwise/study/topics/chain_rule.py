"""The chain rule: the rule backpropagation applies at every node of a network."""
from __future__ import annotations

from gradwise.derivations.derivation import differentiate
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, derivative_figure, example


@register("chain_rule", "The chain rule", 52)
def build(ctx: GuideContext) -> list:
    inner = differentiate("sin(x^2)", "x")
    return [
        P("A function of a function is differentiated from the outside in: the outer function's "
          "derivative, taken at the inner expression, times the inner expression's derivative. A "
          "network is a long composition of layers, and backpropagation is the chain rule applied "
          "layer by layer, from the loss back to each weight."),
        example(ctx, inner, "one function inside another", after=derivative_figure(ctx, inner, point=1.0)),
        example(ctx, differentiate("e^(-x^2/2)", "x"), "the Gaussian bell"),
        example(ctx, differentiate("ln(1 + e^(w*x))", "w"), "a softplus unit in its weight"),
        example(ctx, differentiate("(sigmoid(w*x + b) - y)^2 / 2", "w"),
                "a squared-error loss through a sigmoid neuron", detail="brief"),
    ]
