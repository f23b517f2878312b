"""How results show themselves in Jupyter and in print(): explain, then render.

Jupyter's LaTeX display is math only, so `latex` gives the answer as one display equation; the worked
solution itself shows through Markdown (and HTML where that renderer exists).
"""
from __future__ import annotations

from gradwise import renderers
from gradwise.explainer import explain
from gradwise.renderers.latex import math


def render(result, fmt: str, detail: str = "standard") -> str:
    """The result explained and rendered in `fmt` (text, latex, md, html): what Displayable calls."""
    document = explain(result, detail)
    if fmt == "latex":
        return f"$$ {math(document.answer)} $$" if document.answer is not None else ""
    if fmt == "html":  # a <div> for the notebook, not a whole page
        return renderers.render(document, fmt, fragment=True)
    return renderers.render(document, fmt)
