"""Gradient descent: batch, stochastic, mini-batch, momentum (needs the optimizer simulations)."""
from __future__ import annotations

from gradwise.study.registry import GuideContext, register, resolve
from gradwise.study.worked import P, example

NEEDS = "gradwise.simulations.trajectory:optimize"


@register("gradient_descent", "Gradient descent and its variants", 65, requires=(NEEDS,), kinds=("trajectory",))
def build(ctx: GuideContext) -> list:
    optimize = resolve(NEEDS)
    return [
        P("Gradient descent moves the parameters a small step against the gradient: θ ← θ − η∇L(θ). "
          "Batch gradient descent uses the gradient of the loss over all the data; stochastic "
          "gradient descent uses one example at a time (noisy, cheap); mini-batch uses a few dozen "
          "(the usual choice). Momentum keeps a running sum of past gradients, which damps the "
          "zig-zag across narrow valleys."),
        example(ctx, optimize("x^2 + 10*y^2", [2, 1], method="sgd", lr=0.05, steps=30), "plain steps"),
        example(ctx, optimize("x^2 + 10*y^2", [2, 1], method="sgd", lr=0.05, momentum=0.9, steps=30),
                "with momentum", detail="brief"),
    ]
