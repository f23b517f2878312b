"""Results show themselves in Jupyter.

The explainer turns a result into a document and the renderers print it; `derivations` must not import
them at module level (the arrows run explainer -> derivations), so the lookup happens when a notebook
asks, through `gradwise.explainer.notebook`.
"""
from __future__ import annotations

import importlib


class Displayable:
    """Mixin: `_repr_latex_`, `_repr_markdown_` and `_repr_html_` through the explainer."""

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
