"""Matrix calculus in matrix notation: scalar functions of vectors and matrices, differentiated by the
differential method (df = tr(Gᵀ dX), so ∂f/∂X = G) and checked by finite differences.

`expressions` is the tree (with shapes), `parsing` reads user text into it, `differentials` holds the
rules and builds the derivation, `checking` evaluates trees with NumPy and compares with central
finite differences, `numpy_code` writes a tree as NumPy code.
"""
from gradwise.derivations.matrix_calculus import notation as _notation  # noqa: F401 (registers how nodes print)
