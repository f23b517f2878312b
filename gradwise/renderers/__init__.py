"""Renderers: a `Document` in, text/LaTeX/Markdown/JSON/HTML/Typst/PDF out.

Renderers import nothing from `derivations`, `simulations` or `explainer`: they render a document.
Each format is a module with `render(document, **options) -> str | bytes`.
"""
from __future__ import annotations

import importlib

from gradwise.errors import GradwiseError
from gradwise.renderers.document import Document

FORMATS = {
    "text": "gradwise.renderers.text",
    "latex": "gradwise.renderers.latex",
    "md": "gradwise.renderers.markdown",
    "json": "gradwise.renderers.json",
    "html": "gradwise.renderers.html",
    "typst": "gradwise.renderers.typst",
    "pdf": "gradwise.renderers.pdf",
}
BINARY_FORMATS = {"pdf"}


def render(document: Document, fmt: str, **options) -> str | bytes:
    """The document in format `fmt` (one of FORMATS)."""
    if fmt not in FORMATS:
        raise GradwiseError(f"unknown format '{fmt}'; choose one of {', '.join(FORMATS)}")
    try:
        module = importlib.import_module(FORMATS[fmt])
    except ModuleNotFoundError as exc:
        if exc.name == FORMATS[fmt]:
            raise GradwiseError(f"the {fmt} format is not available yet") from None
        raise
    return module.render(document, **options)
