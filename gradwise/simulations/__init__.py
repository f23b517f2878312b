"""Compiled NumPy: optimizers, backpropagation through networks, gradient checks (imports derivations, never explainer or renderers)."""
