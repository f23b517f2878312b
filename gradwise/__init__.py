"""gradwise: the mathematics of deep learning, derived step by step, with every step checked.

The public API is re-exported here and imported on first use, so `import gradwise` stays fast.
"""
from __future__ import annotations

import importlib

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
    "render": "gradwise.renderers",
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

__all__ = sorted(_API) + ["__version__"]


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'gradwise' has no attribute '{name}'")


def __dir__():
    return __all__
