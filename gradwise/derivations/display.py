"""Results show themselves in Jupyter.

The explainer turns a result into a document and the renderers print it; `derivations` must not import
them at module level (the arrows run explainer -> derivations), so the lookup happens when a notebook
asks, through `gradwise.explainer.notebook`.
"""
from __future__ import annotations

import importlib


class Displayable:
    """Mixin: `_repr_latex_`, `_repr_markdown_` and `_repr_html_` through the explainer, and a short
    `repr` (the answer and how to see the steps) instead of a dataclass's dump of every field."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # @dataclass adds __repr__ only when the class's own namespace has none, so placing ours there
        # first keeps the summary (a class that writes its own __repr__ keeps that)
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = Displayable.__repr__

    def __repr__(self) -> str:
        notebook = importlib.import_module("gradwise.explainer.notebook")
        return notebook.summary(self)

    def _render(self, fmt: str) -> str:
        notebook = importlib.import_module("gradwise.explainer.notebook")
        return notebook.render(self, fmt)

    def _repr_latex_(self) -> str:
        return self._render("latex")

    def _repr_markdown_(self) -> str:
        return self._render("md")

    def _repr_html_(self) -> str:
        return self._render("html")

    def __str__(self) -> str:
        return self._render("text")
