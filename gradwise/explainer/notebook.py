"""How results show themselves in Jupyter and in print(): explain, then render."""
from __future__ import annotations

from gradwise import renderers
from gradwise.explainer import explain


def render(result, fmt: str, detail: str = "standard") -> str:
    """The result explained and rendered in `fmt` (text, latex, md, html): what Displayable calls."""
    return renderers.render(explain(result, detail), fmt)
