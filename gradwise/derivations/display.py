"""Results show themselves in Jupyter and in print().

The explainer turns a result into a document and the renderers print it, but the arrows run
explainer -> derivations and explainer -> simulations, so a result cannot import them. The composition
root (`gradwise/__init__.py`, above every layer) registers a `Presenter` here; results call through it.
"""
from __future__ import annotations

from typing import Any, Protocol


class Presenter(Protocol):
    """What a result needs from the layers above it: its document, its rendering, its repr, its figure, and
    the words for a diagnosed mistake."""

    def explain(self, result: Any, detail: str) -> Any: ...

    def render(self, result: Any, fmt: str) -> str: ...

    def summary(self, result: Any) -> str: ...

    def figure(self, subject: Any, kind: str, path: str | None) -> Any: ...

    def mistake_words(self, wording: str, values: dict) -> str: ...


_presenter: Presenter | None = None


def register_presenter(presenter: Presenter) -> None:
    """Set the presenter every result calls (the composition root does this once, on `import gradwise`)."""
    global _presenter
    _presenter = presenter


def presenter() -> Presenter:
    """The registered presenter (`import gradwise` registers it before any submodule runs)."""
    if _presenter is None:
        raise RuntimeError("no presenter registered: gradwise/__init__.py registers one on import")
    return _presenter


class Displayable:
    """Mixin: `explain()`, `_repr_latex_`, `_repr_markdown_` and `_repr_html_` through the presenter, and a
    short `repr` (the answer and how to see the steps) instead of a dataclass's dump of every field."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # @dataclass adds __repr__ only when the class's own namespace has none, so placing ours there
        # first keeps the summary (a class that writes its own __repr__ keeps that)
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = Displayable.__repr__

    def __repr__(self) -> str:
        return presenter().summary(self)

    def explain(self, detail: str = "standard"):
        """The document that explains this result at the chosen detail (brief, standard, full)."""
        return presenter().explain(self, detail)

    def _render(self, fmt: str) -> str:
        return presenter().render(self, fmt)

    def _repr_latex_(self) -> str:
        return self._render("latex")

    def _repr_markdown_(self) -> str:
        return self._render("md")

    def _repr_html_(self) -> str:
        return self._render("html")

    def __str__(self) -> str:
        return self._render("text")
