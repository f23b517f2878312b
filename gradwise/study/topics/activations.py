"""The derivatives of the activation functions: sigmoid, tanh, ReLU, softplus."""
from __future__ import annotations

from gradwise.derivations.derivation import differentiate
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, derivative_figure, example


@register("activations", "Derivatives of activation functions", 55)
def build(ctx: GuideContext) -> list:
    blocks: list = [P(
        "A network's nonlinearity is its activation function, and backpropagation multiplies by the "
        "activation's derivative at every layer. Their derivatives are worth knowing by heart: each "
        "is written with the function itself, so a network that stored the activation gets its "
        "derivative almost for free.")]
    sigmoid = differentiate("sigmoid(x)", "x")
    blocks.append(example(ctx, sigmoid, "the sigmoid", after=derivative_figure(ctx, sigmoid, point=0.0, span=(-6, 6))))
    blocks.append(example(ctx, differentiate("tanh(x)", "x"), "tanh"))
    blocks.append(example(ctx, differentiate("relu(x)", "x"), "ReLU"))
    blocks.append(example(ctx, differentiate("softplus(x)", "x"), "softplus, a smooth ReLU"))
    return blocks
