"""Gradient descent: batch, stochastic, mini-batch, momentum (needs the optimizer simulations)."""
from __future__ import annotations

from gradwise.study.registry import GuideContext, register, resolve
from gradwise.study.worked import P, example

NEEDS = "gradwise.simulations.trajectory:optimize"


@register("gradient_descent", "Gradient descent and its variants", 65, requires=(NEEDS,), kinds=("trajectory",))
def build(ctx: GuideContext) -> list:
    optimize = resolve(NEEDS)
    plain = optimize("x^2 + 10*y^2", [2, 1], method="sgd", lr=0.02, steps=30)
    momentum = optimize("x^2 + 10*y^2", [2, 1], method="sgd", lr=0.02, momentum=0.7, steps=30)
    return [
        P("Gradient descent moves the parameters a small step against the gradient: θ ← θ − η∇L(θ). "
          "Batch gradient descent uses the gradient of the loss over all the data; stochastic "
          "gradient descent uses one example at a time (noisy, cheap); mini-batch uses a few dozen "
          "(the usual choice). Momentum keeps a running sum of past gradients, which damps the "
          "zig-zag across narrow valleys."),
        example(ctx, plain, "plain steps"),
        example(ctx, _both(plain, momentum), "plain steps against momentum", detail="brief"),
    ] + _batches(ctx, optimize)


#: eight points on the line y = 2x + 1, for the batch-size comparison
LINE = "x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(8))


def _batches(ctx: GuideContext, optimize) -> list:
    """Batch, stochastic and mini-batch gradient descent fitting a line, when the data module exists."""
    from gradwise.explainer import EXPLAINERS
    study, read_csv = resolve("gradwise.simulations.trajectory:Study"), resolve("gradwise.simulations.data:read_csv")
    if study is None or read_csv is None or "optimization" not in EXPLAINERS:
        return []
    data = read_csv(LINE, text=True)
    runs = [optimize("least_squares", data=data, method="sgd", lr=0.01, steps=40, batch_size=b, seed=0)
            for b in (None, 1, 4)]
    return [example(ctx, study(runs), "batch, stochastic (1 sample) and mini-batch (4) fitting a line",
                    detail="brief")]


def _both(plain, momentum):
    """Both runs in one comparison when the optimizer study exists, else the momentum run alone."""
    from gradwise.explainer import EXPLAINERS
    study = resolve("gradwise.simulations.trajectory:Study")
    if study is None or "optimization" not in EXPLAINERS:
        return momentum
    return study([plain, momentum])
