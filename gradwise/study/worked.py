"""Helpers topics share: a worked example from an engine result, and the engine's own figures."""
from __future__ import annotations

import dataclasses
import os

import sympy as sp

from gradwise.explainer import explain
from gradwise.renderers.document import AsWritten, DisplayMath, Figure, Math, Paragraph, Section
from gradwise.study.registry import GuideContext


def example(ctx: GuideContext, result, title: str = "", detail: str | None = None,
            before: tuple = (), after: tuple = ()) -> Section:
    """A numbered worked example: the explainer's document for `result`, as a sub-section."""
    n = ctx.counter["example"] = ctx.counter.get("example", 0) + 1
    document = explain(result, detail or ctx.detail)
    heading = f"Example {n}" + (f": {title}" if title else "")
    return Section(heading, tuple(before) + tuple(document.blocks) + tuple(after))


def unshuffled(d):
    """The derivation without a last factor step that only moves minus signs between the factors
    (x·σ·(1 − σ)·(σ − y) "factored" into x·σ·(y − σ)·(σ − 1)): that step is checked but not simpler, and
    a textbook keeps the form the chain rule produced. Any other derivation is returned as it is."""
    o = d.orders[-1]
    last = o.simplifications[-1] if o.simplifications else None
    if last is None or last.rule != "factor" or not _same_up_to_signs(last.before, last.after):
        return d
    trimmed = dataclasses.replace(o, simplifications=o.simplifications[:-1])
    return dataclasses.replace(d, orders=[*d.orders[:-1], trimmed])


def _same_up_to_signs(a: sp.Expr, b: sp.Expr) -> bool:
    """Two products with the same factors, but for the sign of each."""
    def factors(e):
        return sorted(str(-f if f.could_extract_minus_sign() else f)
                      for f in sp.Mul.make_args(e) if not f.is_number)
    return isinstance(a, sp.Mul) and isinstance(b, sp.Mul) and factors(a) == factors(b) and a != b


def answer_of(result) -> Math | None:
    """The one-line answer the explainer gives for a result (its document's `answer`)."""
    return explain(result, "brief").answer


def derivative_figure(ctx: GuideContext, derivation, point: float | None = None,
                      span: tuple[float, float] = (-3.0, 3.0)) -> tuple:
    """f, f' and the tangent at `point`, drawn from a checked derivation (one variable only)."""
    if not ctx.figures or derivation.expr.free_symbols - {derivation.var}:
        return ()
    from gradwise.explainer.figures import function_figure

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


def checked(*exprs, relation: str = "=") -> DisplayMath:
    """A displayed chain a = b = c whose every link the equivalence judge has confirmed.

    The pieces are shown as written (AsWritten), so a hand-ordered line keeps its order; a link the judge
    does not confirm stops the build rather than print an unchecked step."""
    from gradwise.derivations.equivalence import equivalent

    plain = [e.expr if isinstance(e, AsWritten) else e for e in exprs]
    for a, b in zip(plain, plain[1:]):
        verdict = equivalent(sp.sympify(a).doit(), sp.sympify(b).doit())  # safe: engine expressions
        if verdict.equal is not True:
            raise AssertionError(f"guide step not confirmed: {a} = {b} ({verdict.method})")
    return DisplayMath(Math.chain(*exprs, relation=relation))


def picture(ctx: GuideContext, stem: str, caption: str, draw, width: float = 0.66) -> tuple:
    """A figure drawn by `draw(path)` (an engine's own plotting function): PNG when the guide has a figure
    folder (LaTeX, Markdown), else SVG embedded in the document (PDF, HTML)."""
    if not ctx.figures:
        return ()
    import tempfile

    n = ctx.counter["figure"] = ctx.counter.get("figure", 0) + 1
    if ctx.png_dir:
        os.makedirs(ctx.png_dir, exist_ok=True)
        path = draw(os.path.join(ctx.png_dir, f"figure-{n}-{stem}.png")) or ""
        if path and ctx.link_base:
            path = os.path.relpath(os.path.abspath(path), ctx.link_base)
        return (Figure(caption, png_path=path, width=width),)
    with tempfile.TemporaryDirectory(prefix="gradwise-guide-") as scratch:
        path = draw(os.path.join(scratch, f"{stem}.svg"))
        with open(path, encoding="utf-8") as f:
            return (Figure(caption, svg=f.read(), width=width),)


def given(*pairs, words: str = "Given:") -> tuple:
    """The givens of an example, displayed before its first step."""
    from gradwise.explainer.givens import givens
    return tuple(givens(*pairs, words=words))


def checked_line(latex: str, text: str, *exprs) -> DisplayMath:
    """A hand-typeset display line whose SymPy forms (`exprs`, in order) the equivalence judge confirms equal."""
    from gradwise.derivations.equivalence import equivalent
    from gradwise.renderers.document import Notation

    for a, b in zip(exprs, exprs[1:]):
        verdict = equivalent(sp.sympify(a).doit(), sp.sympify(b).doit())  # safe: engine expressions
        if verdict.equal is not True:
            raise AssertionError(f"guide step not confirmed: {a} = {b} ({verdict.method})")
    return DisplayMath(Notation(latex, text))
