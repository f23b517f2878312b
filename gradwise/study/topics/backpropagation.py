"""Backpropagation through a computation graph."""
from __future__ import annotations

from gradwise.derivations.graph import build_graph
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example, given, picture

TEXT_WIDTH_PT = 465.0      # the text width of the guide's A4 page (210 mm less 2 × 23 mm)


def _graph_figure(ctx: GuideContext, graph, stem: str, caption: str) -> tuple:
    from gradwise.explainer.backprop import graph_picture
    from gradwise.renderers.graph_plot import draw_graph, graph_layout

    nodes, edges, title = graph_picture(graph)
    # at its own size (the drawing is laid out in points, text 7.5-9 pt), or the text width if wider
    width = min(0.95, graph_layout(nodes, edges).width / TEXT_WIDTH_PT)
    return picture(ctx, stem, caption, lambda path: draw_graph(nodes, edges, path, title=title), width=width)


@register("backpropagation", "Backpropagation", 75)
def build(ctx: GuideContext) -> list:
    import sympy as sp

    neuron = build_graph("sigmoid(w*x + b)", "w=0.5,x=2,b=-1")
    decay = build_graph("(w*x - y)^2/2 + w^2/2", "w=1,x=2,y=1")
    w, x, y, b = sp.symbols("w x y b")
    return [
        P("Backpropagation computes every partial derivative of the loss in one backward sweep: a "
          "forward pass stores each node's value, then each node multiplies the gradient arriving "
          "from above by its local derivative (the chain rule) and passes it on. Each local "
          "derivative is small and is derived once; the sweep reuses it. When a value is used twice, "
          "the gradients arriving along both uses add up: the chain rule is a sum over paths."),
        example(ctx, neuron, "one sigmoid neuron",
                before=given((sp.Symbol("f"), sp.Function("sigma")(w * x + b)), (w, sp.Float(0.5, 2)), (x, 2), (b, -1)),
                after=_graph_figure(ctx, neuron, "neuron", "The neuron's graph: each node with its value (forward) "
                                    "and gradient (backward); each edge with its local derivative")),
        example(ctx, decay, "two paths meet: a squared error with weight decay",
                before=given((sp.Symbol("f"), (w * x - y) ** 2 / 2 + w ** 2 / 2), (w, 1), (x, 2), (y, 1),
                             words="Given (the weight w reaches f along two paths: through the error and "
                                   "through the penalty):"),
                after=_graph_figure(ctx, decay, "two-paths", "w feeds two nodes, so its gradient is the sum "
                                    "of the two paths' products")),
    ]
