"""Helpers topics share: a worked example from an engine result, and the engine's own figures."""
from __future__ import annotations

import dataclasses
import os

import sympy as sp

from gradwise.explainer import explain
from gradwise.renderers.document import Figure, Math, Paragraph, Section
from gradwise.study.registry import GuideContext


def example(ctx: GuideContext, result, title: str = "", detail: str | None = None,
            before: tuple = (), after: tuple = ()) -> Section:
    """A numbered worked example: the explainer's document for `result`, as a sub-section."""
    n = ctx.counter["example"] = ctx.counter.get("example", 0) + 1
    document = explain(result, detail or ctx.detail)
    heading = f"Example {n}" + (f": {title}" if title else "")
    return Section(heading, tuple(before) + tuple(document.blocks) + tuple(after))


def answer_of(result) -> Math | None:
    """The one-line answer the explainer gives for a result (its document's `answer`)."""
    return explain(result, "brief").answer


def derivative_figure(ctx: GuideContext, derivation, point: float | None = None,
                      span: tuple[float, float] = (-3.0, 3.0)) -> tuple:
    """f, f' and the tangent at `point`, drawn from a checked derivation (one variable only)."""
    if not ctx.figures or derivation.expr.free_symbols - {derivation.var}:
        return ()
    from gradwise.renderers.figures import function_figure

    n = ctx.counter["figure"] = ctx.counter.get("figure", 0) + 1
    fig: Figure = function_figure(derivation.expr, derivation.result, derivation.var, point=point, span=span,
                                  name=f"figure-{n}-{derivation.var.name}", png_dir=ctx.png_dir)
    if fig.png_path and ctx.link_base:
        fig = dataclasses.replace(fig, png_path=os.path.relpath(os.path.abspath(fig.png_path), ctx.link_base))
    return (fig,)


def P(*parts) -> Paragraph:
    return Paragraph.of(*parts)


def M(*exprs, relation: str = "=") -> Math:
    return Math.chain(*exprs, relation=relation)


def value_at(expr: sp.Expr, var: sp.Symbol, point) -> sp.Expr:
    """expr at var = point, simplified (an engine result evaluated, not a number typed in)."""
    return sp.nsimplify(sp.simplify(expr.subs(var, point)))
