"""gradwise: the mathematics of deep learning, derived step by step, with every step checked.

The public API is re-exported here and imported on first use, so `import gradwise` stays fast. This
module is the composition root, above every layer: it registers the explainer as the presenter that
results (in `derivations` and `simulations`, which may not import it) call to explain and draw themselves.
"""
from __future__ import annotations

import importlib

from gradwise.derivations import display as _display

__version__ = "0.1.0"

#: public name -> module that defines it
_API = {
    "differentiate": "gradwise.derivations.derivation",
    "matrix_gradient": "gradwise.derivations.matrix_calculus.derivation",
    "gradient": "gradwise.derivations.multivariable",
    "jacobian": "gradwise.derivations.multivariable",
    "hessian": "gradwise.derivations.multivariable",
    "chain_rule": "gradwise.derivations.multivariable",
    "Derivation": "gradwise.derivations.derivation",
    "check": "gradwise.derivations.verify",
    "Verdict": "gradwise.derivations.verify",
    "parse": "gradwise.derivations.parsing",
    "explain": "gradwise.explainer",
    "Network": "gradwise.simulations.network",
    "load_network": "gradwise.simulations.network",
    "backprop": "gradwise.derivations.graph",
    "build_graph": "gradwise.derivations.graph",
    "gradient_flow": "gradwise.simulations.vanishing",
    "explain_parameter": "gradwise.simulations.weight_paths",
    "GradwiseError": "gradwise.errors",
    "dot": "gradwise.derivations.linalg.vectors",
    "matmul": "gradwise.derivations.linalg.products",
    "determinant": "gradwise.derivations.linalg.determinant",
    "eigen": "gradwise.derivations.linalg.eigen",
    "pca": "gradwise.derivations.linalg.pca",
    "stable_learning_rates": "gradwise.derivations.linalg.stability",
    "compile": "gradwise.simulations.compile",
    "optimize": "gradwise.simulations.trajectory",
    "Trajectory": "gradwise.simulations.trajectory",
    "InputError": "gradwise.errors",
}

__all__ = sorted([*_API, "render"]) + ["__version__"]


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gradwise' has no attribute '{name}'")


def __dir__():
    return __all__


def render(result, fmt: str = "text", detail: str = "standard", **options):
    """Any result (explained at `detail` first) or a Document, in format `fmt` (text, latex, md, json, ...)."""
    from gradwise.renderers import render as render_document
    from gradwise.renderers.document import Document

    if not isinstance(result, Document):
        from gradwise.explainer import explain
        result = explain(result, detail)
    return render_document(result, fmt, **options)


class _Presenter:
    """The explainer, the notebook renderings and the figures, each imported on its first use."""

    def explain(self, result, detail: str):
        from gradwise.explainer import explain
        return explain(result, detail)

    def render(self, result, fmt: str) -> str:
        from gradwise.explainer import notebook
        return notebook.render(result, fmt)

    def summary(self, result) -> str:
        from gradwise.explainer import notebook
        return notebook.summary(result)

    def figure(self, subject, kind: str, path: str | None):
        from gradwise.explainer.figures import figure
        return figure(subject, kind, path)

    def mistake_words(self, wording: str, values: dict) -> str:
        from gradwise.explainer.mistake_words import mistake_words
        return mistake_words(wording, values)


_display.register_presenter(_Presenter())
