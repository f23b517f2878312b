"""Which function explains which kind of result: found by the result's type, registered with `@explains`.

Each explainer module registers its functions by result class (`@explains(Derivation)`). So that start-up
imports no explainer, `HOMES` says which explainer module registers the classes of each result module;
that module is imported the first time one of its results is explained. A result whose class (or a base)
has no explainer is refused by name.
"""
from __future__ import annotations

import importlib
from typing import Callable

from gradwise.errors import GradwiseError

#: result class -> the function that writes its document
EXPLAINERS: dict[type, Callable] = {}

#: the module that defines a result class -> the explainer module that registers its explainer
HOMES = {
    "gradwise.derivations.derivation": "gradwise.explainer.derivative",
    "gradwise.derivations.linalg.eigen": "gradwise.explainer.linalg_eigen",
    "gradwise.derivations.linalg.determinant": "gradwise.explainer.linalg",
    "gradwise.derivations.linalg.vectors": "gradwise.explainer.linalg",
    "gradwise.derivations.linalg.products": "gradwise.explainer.linalg",
    "gradwise.derivations.linalg.stability": "gradwise.explainer.linalg",
    "gradwise.derivations.linalg.pca": "gradwise.explainer.linalg_pca",
    "gradwise.derivations.matrix_calculus.derivation": "gradwise.explainer.matrix_calculus",
    "gradwise.derivations.multivariable": "gradwise.explainer.multivariable",
    "gradwise.derivations.verify.verdict": "gradwise.explainer.check",
    "gradwise.derivations.graph": "gradwise.explainer.backprop",
    "gradwise.simulations.trajectory": "gradwise.explainer.optimize",
    "gradwise.simulations.weight_paths": "gradwise.explainer.backprop_network",
    "gradwise.simulations.vanishing": "gradwise.explainer.backprop_network",
}


def explains(*classes: type):
    """Decorator: the function writes the document of results of these classes (and their subclasses)."""
    def register(function: Callable) -> Callable:
        for cls in classes:
            EXPLAINERS[cls] = function
        return function
    return register


def explainer_for(result) -> Callable:
    """The function that explains `result`, by the first class in its MRO that has one."""
    for cls in type(result).__mro__:
        if cls not in EXPLAINERS and cls.__module__ in HOMES:
            importlib.import_module(HOMES[cls.__module__])
        if cls in EXPLAINERS:
            return EXPLAINERS[cls]
    raise GradwiseError(f"nothing explains a {type(result).__name__}")
