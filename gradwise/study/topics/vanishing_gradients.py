"""Vanishing and exploding gradients, from the activation derivatives the engine derives."""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.derivation import differentiate
from gradwise.renderers.document import AsWritten, Math, Table
from gradwise.simulations.vanishing import gradient_flow
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import M, P, example, picture, value_at


@register("vanishing_gradients", "Vanishing and exploding gradients", 80)
def build(ctx: GuideContext) -> list:
    s = differentiate("sigmoid(x)", "x")
    t = differentiate("tanh(x)", "x")
    x = s.var
    s_max, t_max = value_at(s.result, x, 0), value_at(t.result, t.var, 0)
    n = sp.Symbol("n")
    rows = tuple((str(k), Math.chain(AsWritten(sp.Pow(s_max, k, evaluate=False))), Math.chain(sp.Float(s_max ** k, 3)))
                 for k in (1, 2, 5, 10, 20))
    blocks: list = [
        P("Backpropagation multiplies one factor per layer: the activation's derivative times the "
          "layer's weight. When those factors are below 1 the product shrinks geometrically with depth "
          "and the first layers stop learning (vanishing gradients); above 1 it grows geometrically "
          "and training diverges (exploding gradients)."),
        example(ctx, s, "the sigmoid's slope", detail="brief"),
        P("At x = 0 the sigmoid's slope is at its largest: ", M(sp.Subs(sp.Derivative(s.expr, x), x, 0), s_max),
          ". Through n sigmoid layers (weights of 1) the gradient is multiplied by at most ",
          M(s_max ** n), ":"),
        Table(("layers n", "factor at most", "as a decimal"), rows,
              caption="The largest factor by which n sigmoid layers can scale a gradient"),
        P("For tanh the largest slope is ", M(sp.Subs(sp.Derivative(t.expr, t.var), t.var, 0), t_max),
          ", which is why tanh trains deeper networks than the sigmoid, and ReLU's slope is exactly 1 "
          "for every positive input, which is why deep networks use it. Careful initialisation "
          "(Xavier for tanh, He for ReLU) keeps the weights' part of each factor near 1."),
    ]
    result = gradient_flow(depth=10, width=16, activations="sigmoid,relu", inits="xavier", batch=32, seed=0)
    blocks.append(example(ctx, result, "gradient norms layer by layer", detail="brief",
                          after=_norms_figure(ctx, result)))
    return blocks


def _norms_figure(ctx: GuideContext, result) -> tuple:
    from gradwise.explainer.backprop_network import flow_picture
    from gradwise.renderers.graph_plot import draw_series

    return picture(ctx, "norms", "The norm of each layer's weight gradient, log scale: through sigmoid layers "
                   "it shrinks geometrically towards the input, through ReLU layers it stays level",
                   lambda path: draw_series(path=path, **flow_picture(result)))
