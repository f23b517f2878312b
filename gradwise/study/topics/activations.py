"""The derivatives of the activation functions: sigmoid (derived from its definition), tanh, ReLU, softplus."""
from __future__ import annotations

import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import differentiate
from gradwise.explainer.givens import N
from gradwise.renderers.document import Section
from gradwise.study.registry import GuideContext, register
from gradwise.study.worked import P, checked_line, derivative_figure, example


@register("activations", "Derivatives of activation functions", 55)
def build(ctx: GuideContext) -> list:
    blocks: list = [P(
        "A network's nonlinearity is its activation function, and backpropagation multiplies by the "
        "activation's derivative at every layer. Their derivatives are worth knowing by heart: each "
        "is written with the function itself, so a network that stored the activation gets its "
        "derivative almost for free.")]
    blocks.append(_sigmoid_derived(ctx))
    sigmoid = differentiate("sigmoid(x)", "x")
    blocks.append(example(ctx, sigmoid, "the sigmoid, by its rule",
                          after=derivative_figure(ctx, sigmoid, point=0.0, span=(-6, 6))))
    blocks.append(example(ctx, differentiate("tanh(x)", "x"), "tanh"))
    blocks.append(example(ctx, differentiate("relu(x)", "x"), "ReLU"))
    blocks.append(example(ctx, differentiate("softplus(x)", "x"), "softplus, a smooth ReLU"))
    return blocks


def _sigmoid_derived(ctx: GuideContext) -> Section:
    """σ′ = σ(1 − σ) from σ(x) = 1/(1 + e^(−x)), one checked line per move (the classic interview question)."""
    x = sp.Symbol("x", real=True)
    s, e = fn.sigmoid(x), sp.exp(-x)
    d = 1 + e
    ds = sp.Derivative(s, x)
    engine = differentiate("1/(1 + e^(-x))", "x")      # the engine's own derivative of the definition
    n = ctx.counter["example"] = ctx.counter.get("example", 0) + 1
    S = r"\frac{\mathrm{d}}{\mathrm{d}x}\sigma(x)"
    return Section(f"Example {n}: the sigmoid's derivative, derived", (
        P("Given:"), checked_line(r"\sigma(x) = \frac{1}{1 + e^{-x}} = (1 + e^{-x})^{-1}", "σ(x) = 1/(1 + e⁻ˣ)", s, 1 / d),
        P("1. Write σ as a power and use the chain rule: the outer function is ", N("u^{-1}", "u⁻¹"),
          " with derivative ", N("-u^{-2}", "−u⁻²"), ", the inner one ", N("u = 1 + e^{-x}", "u = 1 + e⁻ˣ"),
          " with derivative ", N("-e^{-x}", "−e⁻ˣ"), ":"),
        checked_line(S + r" = -(1 + e^{-x})^{-2} \cdot (-e^{-x})", "σ′(x) = −(1 + e⁻ˣ)⁻²·(−e⁻ˣ)", ds, -(d ** -2) * (-e)),
        P("2. The two minus signs cancel:"),
        checked_line(S + r" = \frac{e^{-x}}{(1 + e^{-x})^{2}}", "σ′(x) = e⁻ˣ/(1 + e⁻ˣ)²", ds, e / d ** 2, engine.result),
        P("3. Split the fraction into two factors, and write the numerator as ",
          N(r"e^{-x} = (1 + e^{-x}) - 1", "e⁻ˣ = (1 + e⁻ˣ) − 1"), ":"),
        checked_line(S + r" = \frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}}"
                     r" = \frac{1}{1 + e^{-x}} \cdot \frac{(1 + e^{-x}) - 1}{1 + e^{-x}}"
                     r" = \frac{1}{1 + e^{-x}} \left(1 - \frac{1}{1 + e^{-x}}\right)",
                     "σ′(x) = 1/(1 + e⁻ˣ) · (1 − 1/(1 + e⁻ˣ))", ds, (1 / d) * (e / d), (1 / d) * ((d - 1) / d),
                     (1 / d) * (1 - 1 / d)),
        P("4. The first factor is σ(x) and the bracket is 1 − σ(x):"),
        checked_line(r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)", "σ′(x) = σ(x)·(1 − σ(x))", ds, s * (1 - s)),
        P("So σ′ is written with σ itself. Its largest value is at x = 0, where σ = 1/2 and ",
          N(r"\sigma'(0) = \tfrac{1}{2} \cdot \tfrac{1}{2} = \tfrac{1}{4}", "σ′(0) = ½·½ = ¼"),
          ": every sigmoid layer scales a gradient by at most a quarter."),
    ))
