"""Gradient descent: plain, momentum, RMSprop and Adam, the learning rate, and batch sizes."""
from __future__ import annotations

import numpy as np

from gradwise.explainer.givens import N
from gradwise.renderers.document import DisplayMath, Notation, Table
from gradwise.simulations.data import read_csv
from gradwise.simulations.trajectory import Study, optimize
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example, picture

BOWL = "x^2 + 10*y^2"

#: the update rules, in torch's form (g is the gradient at the current θ): name, LaTeX, text (the Typst is
#: translated from the LaTeX)
RULES = (
    ("plain gradient descent", r"\theta \leftarrow \theta - \eta\, g", "θ ← θ − η·g"),
    ("momentum", r"v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta\, v", "v ← μv + g,  θ ← θ − η·v"),
    ("RMSprop", r"s \leftarrow \alpha s + (1 - \alpha) g^{2}, \qquad "
                r"\theta \leftarrow \theta - \frac{\eta\, g}{\sqrt{s} + \epsilon}", "s ← αs + (1 − α)g²,  θ ← θ − η·g/(√s + ε)"),
    ("Adam", r"m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad s \leftarrow \beta_2 s + (1 - \beta_2) g^{2}, \quad "
             r"\theta \leftarrow \theta - \eta\, \frac{m / (1 - \beta_1^{t})}{\sqrt{s / (1 - \beta_2^{t})} + \epsilon}",
     "m ← β₁m + (1 − β₁)g,  s ← β₂s + (1 − β₂)g²,  θ ← θ − η·m̂/(√ŝ + ε)"),
)



@register("gradient_descent", "Gradient descent and its variants", 65)
def build(ctx: GuideContext) -> list:
    plain = optimize(BOWL, [2, 1], method="sgd", lr=0.02, steps=30)
    momentum = optimize(BOWL, [2, 1], method="sgd", lr=0.02, momentum=0.7, steps=30)
    rms = optimize(BOWL, [2, 1], method="rmsprop", lr=0.1, steps=30)
    adam = optimize(BOWL, [2, 1], method="adam", lr=0.3, steps=30)
    blocks: list = [
        P("Gradient descent moves the parameters a small step against the gradient, ",
          N(r"\theta \leftarrow \theta - \eta \nabla L(\theta)", "θ ← θ − η∇L(θ)"),
          ", with the learning rate η. Batch gradient descent uses the gradient of the loss over all the data; "
          "stochastic gradient descent uses one example at a time (noisy, cheap); mini-batch uses a few dozen "
          "(the usual choice). The variants change how the step is made from the gradients seen so far:"),
        Table(("method", "update (g is the gradient at θ)"),
              tuple((name, N(tex, text)) for name, tex, text in RULES),
              caption="The update rules, as torch.optim implements them"),
        P("Momentum keeps a running sum of past gradients, which damps the zig-zag across a narrow valley "
          "and speeds travel along it. RMSprop divides each coordinate's step by the root of a running "
          "mean of its squared gradients, so steep and flat directions move at similar speeds. Adam does "
          "both, with the two running means corrected for starting at zero (the factors ",
          N(r"1 - \beta^{t}", "1 − βᵗ"), "); its defaults ", N(r"\beta_1 = 0.9,\ \beta_2 = 0.999", "β₁ = 0.9, β₂ = 0.999"),
          " work for most networks."),
        example(ctx, plain, "plain steps on a narrow bowl"),
    ]
    from gradwise.explainer.optimize import figure
    both = Study([plain, momentum])
    blocks.append(example(ctx, both, "plain steps against momentum", detail="brief",
                          after=picture(ctx, "momentum", "Plain gradient descent and momentum on the same "
                                        "bowl: momentum cuts the zig-zag across the narrow direction",
                                        lambda path: figure(both, "contour", path))))
    four = Study([plain, momentum, rms, adam])
    blocks.append(example(ctx, four, "momentum, RMSprop and Adam", detail="brief",
                          after=picture(ctx, "adaptive", "Four optimizers from the same start; the legend "
                                        "names each configuration", lambda path: figure(four, "contour", path))))
    sweep = optimize(BOWL, [2, 1], method="sgd", lr=np.linspace(0.005, 0.105, 41), steps=30)
    blocks.append(P("The learning rate decides everything: too small and the loss falls slowly, too large "
                    "and it diverges. For this bowl the Hessian's largest eigenvalue is 20, so plain "
                    "gradient descent converges only for ", N(r"\eta < 2/20 = 0.1", "η < 2/20 = 0.1"), ":"))
    blocks += list(picture(ctx, "sweep", "Final loss after 30 steps against the learning rate; runs past "
                           "the stable limit diverge", lambda path: figure(Study([], sweep=sweep), "sweep", path)))
    return blocks + _batches(ctx)


#: eight points on the line y = 2x + 1, for the batch-size comparison
POINTS = [(x, 2 * x + 1) for x in range(8)]
LINE = "x,y\n" + "".join(f"{x},{y}\n" for x, y in POINTS)


def _batches(ctx: GuideContext) -> list:
    """Batch, stochastic and mini-batch gradient descent fitting a line."""
    data = read_csv(LINE, text=True)
    runs = [optimize("least_squares", data=data, method="sgd", lr=0.01, steps=40, batch_size=b, seed=0)
            for b in (None, 1, 4)]
    given = (P("Given: eight points on the line ", N("y = 2x + 1", "y = 2x + 1"), ", fitted by ",
               N(r"\hat y = w x + b", "ŷ = wx + b"), " with the squared error:"),
             DisplayMath(Notation(r"(x_i, y_i) = " + ",\\ ".join(f"({x}, {y})" for x, y in POINTS),
                                  "(xᵢ, yᵢ) = " + ", ".join(f"({x}, {y})" for x, y in POINTS))))
    return [example(ctx, Study(runs), "batch, stochastic (1 sample) and mini-batch (4) fitting a line",
                    detail="brief", before=given)]


