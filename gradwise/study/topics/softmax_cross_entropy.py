"""Softmax with cross-entropy: the gradient p − y, derived in general and checked for three classes."""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.derivation import differentiate
from gradwise.derivations.equivalence import equivalent
from gradwise.explainer.givens import N
from gradwise.renderers.document import DisplayMath, Notation, Section
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, example


def _three_class_check() -> None:
    """∂L/∂z_i = p_i − y_i for three classes, any label distribution y (y₁ + y₂ + y₃ = 1)."""
    z = sp.symbols("z1:4", real=True)
    y1, y2 = sp.symbols("y1 y2", real=True)
    y = (y1, y2, 1 - y1 - y2)
    total = sum(sp.exp(v) for v in z)
    p = [sp.exp(v) / total for v in z]
    loss = -sum(yk * sp.log(pk) for yk, pk in zip(y, p))
    for i in range(3):
        verdict = equivalent(sp.diff(loss, z[i]), p[i] - y[i])
        if verdict.equal is not True:
            raise AssertionError(f"softmax cross-entropy gradient not confirmed for z{i + 1}")


@register("softmax_cross_entropy", "Softmax and cross-entropy", 58)
def build(ctx: GuideContext) -> list:
    _three_class_check()
    n = ctx.counter["example"] = ctx.counter.get("example", 0) + 1
    D = lambda latex, text: DisplayMath(Notation(latex, text))
    derivation = Section(f"Example {n}: the gradient of cross-entropy through softmax", (
        P("Given: scores ", N("z_1, \\dots, z_K", "z₁, …, z_K"), ", a label distribution y (one-hot, or any ",
          N(r"y_k \ge 0", "y_k ≥ 0"), " with ", N(r"\sum_k y_k = 1", "Σ y_k = 1"), "), and"),
        D(r"p_k = \frac{e^{z_k}}{\sum_j e^{z_j}}, \qquad L = -\sum_k y_k \ln p_k",
          "p_k = e^{z_k} / Σⱼ e^{z_j},   L = −Σₖ y_k ln p_k"),
        P("1. Take the logarithm of the softmax first: the fraction becomes a difference."),
        D(r"\ln p_k = z_k - \ln \sum_j e^{z_j}", "ln p_k = z_k − ln Σⱼ e^{z_j}"),
        P("2. Differentiate in ", N("z_i", "z_i"), ": the first term gives 1 when k = i and 0 otherwise (",
          N(r"\delta_{ki}", "δ_ki"), "); the second is the derivative of logsumexp, the softmax itself."),
        D(r"\frac{\partial \ln p_k}{\partial z_i} = \delta_{ki} - \frac{e^{z_i}}{\sum_j e^{z_j}} = \delta_{ki} - p_i",
          "∂ ln p_k/∂z_i = δ_ki − p_i"),
        P("3. Sum over the classes with the weights ", N("-y_k", "−y_k"), ", and use ", N(r"\sum_k y_k = 1", "Σ y_k = 1"), ":"),
        D(r"\frac{\partial L}{\partial z_i} = -\sum_k y_k (\delta_{ki} - p_i) = -y_i + p_i \sum_k y_k = p_i - y_i",
          "∂L/∂z_i = −Σₖ y_k(δ_ki − p_i) = −y_i + p_i Σₖ y_k = p_i − y_i"),
        P("So the gradient in the scores is the predicted probabilities minus the label: ",
          N(r"\nabla_{\mathbf z} L = \mathbf p - \mathbf y", "∇_z L = p − y"),
          ". It is never larger than 1 in any entry and does not vanish while the prediction is wrong, "
          "which is why classifiers pair softmax with cross-entropy. (Checked here for three classes: "
          "with SymPy's derivative, ", N(r"\frac{\partial L}{\partial z_i} - (p_i - y_i) = 0", "∂L/∂zᵢ − (pᵢ − yᵢ) = 0"),
          " for every label distribution.)"),
    ))
    return [
        P("A classifier turns its scores into probabilities with softmax and is trained on the "
          "cross-entropy between those probabilities and the label. The two fit together so well that "
          "their combined gradient is the simplest in deep learning."),
        derivation,
        example(ctx, differentiate("logsumexp(a, b)", "a"), "logsumexp, whose gradient is softmax"),
    ]
