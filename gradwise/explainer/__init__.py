"""The explainer: turns results (derivations, simulations) into documents of words and math.

`explain(result, detail)` finds the explainer registered for the result's type (`registry.explains`) and
calls it.
"""
from __future__ import annotations

from gradwise.errors import GradwiseError
from gradwise.explainer.registry import explainer_for
from gradwise.renderers.document import Document

DETAILS = ("brief", "standard", "full")


def explain(result, detail: str = "standard") -> Document:
    """The document that explains `result` at the chosen detail (brief, standard, full)."""
    if detail not in DETAILS:
        raise GradwiseError(f"unknown detail '{detail}'; choose one of {', '.join(DETAILS)}")
    return explainer_for(result)(result, detail)
