"""The chain rule: the rule backpropagation applies at every node of a network."""
from __future__ import annotations

from gradwise.derivations.derivation import differentiate
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, checked_line, derivative_figure, example, unshuffled


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
        _squared_error(ctx),
    ]


def _squared_error(ctx: GuideContext):
    """The loss of one sigmoid neuron, ending in the form backpropagation computes: error × slope × input."""
    import sympy as sp

    from gradwise.derivations import functions as fn
    from gradwise.explainer.givens import N

    d = unshuffled(differentiate("(sigmoid(w*x + b) - y)^2 / 2", "w"))
    named = {v.name: v for v in d.expr.free_symbols}        # the reader's symbols (with their assumptions)
    w, x, b, y = (named[k] for k in "wxby")
    s = fn.sigmoid(w * x + b)
    textbook = (s - y) * s * (1 - s) * x
    return example(ctx, d, "a squared-error loss through a sigmoid neuron", after=(
        P("Call the loss ", N("L", "L"), ". Read with ", N("z = wx + b", "z = wx + b"), ", the factors are the three a network multiplies on "
          "the way back: the error ", N(r"\sigma(z) - y", "σ(z) − y"), ", the sigmoid's slope ",
          N(r"\sigma(z)(1 - \sigma(z))", "σ(z)(1 − σ(z))"), " and the input ", N("x", "x"), ":"),
        checked_line(r"\frac{\partial L}{\partial w} = (\sigma(z) - y)\,\sigma(z)\,(1 - \sigma(z))\,x",
                     "∂L/∂w = (σ(z) − y)·σ(z)·(1 − σ(z))·x", d.result, textbook),
    ))
