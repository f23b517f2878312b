"""Backpropagation through a computation graph (needs the backprop engine)."""
from __future__ import annotations

from gradwise.study.registry import GuideContext, register, resolve
from gradwise.study.worked import P, example

NEEDS = "gradwise.derivations.graph:build_graph"


@register("backpropagation", "Backpropagation", 75, requires=(NEEDS,), kinds=("backprop",))
def build(ctx: GuideContext) -> list:
    build_graph = resolve(NEEDS)
    return [
        P("Backpropagation computes every partial derivative of the loss in one backward sweep: a "
          "forward pass stores each node's value, then each node multiplies the gradient arriving "
          "from above by its local derivative (the chain rule) and passes it on. Each local "
          "derivative is small and is derived once; the sweep reuses it."),
        example(ctx, build_graph("sigmoid(w*x + b)", "w=0.5,x=2,b=-1"), "one sigmoid neuron"),
    ]
