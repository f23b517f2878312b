"""The explainer: turns results (derivations, simulations) into documents of words and math.

`explain(result, detail)` finds the module for the result's `kind` and calls its `explain`.
"""
from __future__ import annotations

import importlib

from gradwise.errors import GradwiseError
from gradwise.renderers.document import Document

DETAILS = ("brief", "standard", "full")

#: result kind -> the explainer module that writes its document
EXPLAINERS = {
    "derivative": "gradwise.explainer.derivative",
    "eigen": "gradwise.explainer.linalg_eigen",
    "determinant": "gradwise.explainer.linalg",
    "dot": "gradwise.explainer.linalg",
    "matmul": "gradwise.explainer.linalg",
    "pca": "gradwise.explainer.linalg_pca",
    "stability": "gradwise.explainer.linalg",
    "matrix_gradient": "gradwise.explainer.matrix_calculus",
    "gradient": "gradwise.explainer.multivariable",
    "jacobian": "gradwise.explainer.multivariable",
    "hessian": "gradwise.explainer.multivariable",
    "chain_rule": "gradwise.explainer.multivariable",
    "trajectory": "gradwise.explainer.optimize",
    "sweep": "gradwise.explainer.optimize",
    "optimization": "gradwise.explainer.optimize",
    "check": "gradwise.explainer.check",
    "backprop": "gradwise.explainer.backprop",
    "weight_gradient": "gradwise.explainer.backprop",
    "gradient_flow": "gradwise.explainer.backprop",
}


def explain(result, detail: str = "standard") -> Document:
    """The document that explains `result` at the chosen detail (brief, standard, full)."""
    if detail not in DETAILS:
        raise GradwiseError(f"unknown detail '{detail}'; choose one of {', '.join(DETAILS)}")
    kind = getattr(result, "kind", None)
    if kind not in EXPLAINERS:
        raise GradwiseError(f"nothing explains a result of kind {kind!r}")
    return importlib.import_module(EXPLAINERS[kind]).explain(result, detail)
