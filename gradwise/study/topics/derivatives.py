"""Derivatives and the rules: power, product, quotient, with a figure of f, f' and a tangent line."""
from __future__ import annotations

from gradwise.derivations.derivation import differentiate
from gradwise.renderers.document import Notation, Table
from gradwise.study.registry import GuideContext, register
from gradwise.explainer.givens import N
from gradwise.study.worked import P, derivative_figure, example


@register("derivatives", "Derivatives and the rules", 50)
def build(ctx: GuideContext) -> list:
    blocks: list = [
        P("The derivative f′(x) is the slope of f at x: ",
          N(r"f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}", "f′(x) = lim_{h→0} (f(x + h) − f(x))/h"),
          ". The tangent line at a point has that slope. Training a network is following slopes downhill, so every gradient a framework computes is "
          "built from a handful of rules applied over and over."),
        Table(("Rule", "In symbols"), (
            ("Power", Notation(r"\frac{\mathrm{d}}{\mathrm{d}x} x^{n} = n\,x^{n-1}", "d/dx[xⁿ] = n·xⁿ⁻¹")),
            ("Sum", Notation(r"(f + g)' = f' + g'", "(f + g)′ = f′ + g′")),
            ("Product", Notation(r"(uv)' = u'v + uv'", "(u·v)′ = u′·v + u·v′")),
            ("Quotient", Notation(r"\left(\frac{f}{g}\right)' = \frac{f'g - fg'}{g^{2}}", "(f/g)′ = (f′·g − f·g′)/g²")),
            ("Chain", Notation(r"\frac{\mathrm{d}}{\mathrm{d}x} f\bigl(u(x)\bigr) = f'(u)\,u'(x)",
                               "d/dx[f(u(x))] = f′(u)·u′(x)")),
        ), caption="The rules every derivative below is built from"),
    ]
    power = differentiate("3x^4 - 2x + 7", "x")
    blocks.append(example(ctx, power, "the power and sum rules, and a constant's zero",
                          after=derivative_figure(ctx, power, point=1.0, span=(-1.5, 1.5))))
    product = differentiate("x^2 sin(x)", "x")
    blocks.append(example(ctx, product, "the product rule",
                          after=derivative_figure(ctx, product, point=1.0)))
    quotient = differentiate("sin(x)/x", "x")
    blocks.append(example(ctx, quotient, "the quotient rule"))
    return blocks
