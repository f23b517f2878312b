"""Every tolerance, step and working precision the checkers use, each named once with its reason.

They differ on purpose: an exact-arithmetic screen at 30 digits can be strict, a finite difference in
float64 cannot (its error is the step squared plus rounding over the step), and a value computed by
NumPy carries a few ulps of rounding. A relative tolerance `t` means |a − b| ≤ t · max(1, |a|, |b|)
unless its checker says otherwise.
"""
from __future__ import annotations

import mpmath
import sympy as sp

# --- the judge of expressions (derivations/equivalence.py) --------------------------------------------
WORKING_DIGITS = 30          # a side's value at a point is computed to 30 digits (mpmath through evalf)
SCREEN_TOLERANCE = 1e-10     # relative, at 30 digits: a smaller gap is not yet equality, it goes on to the
#                              certified evaluation (exact sides) — a screen, never a pass
FLOAT_DIGITS = 14            # sides with decimals must agree to this many significant digits (a double has 15-16)
REAL_AT_30_DIGITS = 1e-20    # relative: an imaginary part below this in a 30-digit value is rounding: the value is real
CONFIRM_AGREEMENT = 1e-6     # relative: a certified gap evaluated again at 40 digits must come out the same
#                              (evalf's bound is not rigorous for tan, sec, asin of a complex argument)

# --- the computation graph (derivations/graph.py) ----------------------------------------------------
GRAPH_TOLERANCE = 1e-7       # relative: forward values, backward gradients and the sum over paths are
#                              floats added along many paths; a wrong local derivative is off by far more

# --- linear algebra (derivations/linalg/) --------------------------------------------------------------
FLOAT_ENTRY_ZERO = 1e-12     # a decimal entry below this is zero when row-reducing (steps.is_zero)
EXACT_NUMBER_GAP = 1e-20     # relative: exact numbers evaluated to 30 digits that differ by more are different
FLOAT_STEP_TOLERANCE = 1e-9  # relative: a step on decimal entries (float arithmetic) against its result
ROOT_RESIDUAL = 1e-8         # |p(r)| of a numeric eigenvalue r, relative to the coefficients and |r|^degree
NULL_SPACE_RANK = 1e-7       # singular values of A − λI below this (relative to the largest) span the null space
IMAGINARY_ROUNDING = 1e-14   # an eigenvector entry's imaginary part below this is rounding (float64 SVD)
EIGENVECTOR_RESIDUAL = 1e-6  # ‖Av − λv‖ relative to the largest entry of A, for numeric eigenvectors
PCA_TOLERANCE = 1e-8         # relative to the data's scale: mean, centring, covariance and eigh against NumPy
PCA_RATIO_TOLERANCE = 1e-9   # explained-variance ratios add up to 1 (a sum of a few floats)
PCA_PROJECTION_TOLERANCE = 1e-6  # relative to the top eigenvalue: a projected column's variance is its eigenvalue
#                              (a variance of n numbers, so looser than the decomposition itself)
EIGENVALUE_ZERO = 1e-12      # relative: a covariance eigenvalue this small is rounding of 0, shown as 0
SYMMETRY_TOLERANCE = 1e-9    # relative to the largest entry: a numeric Hessian this close to its transpose is symmetric

# --- finite differences of matrix calculus (derivations/matrix_calculus/checking.py), float64 ---------
MATRIX_FD_STEP = 1e-6        # h relative to the variable's entries: truncation h² ≈ 1e-12, rounding ε/h ≈ 1e-10
MATRIX_FD_TOLERANCE = 1e-5   # relative error of a line against (f(X + hV) − f(X − hV)) / 2h

# --- finite differences of the many-variable engines (derivations/multivariable_checks.py), mpmath ----
FIRST_DIFFERENCE_STEP = mpmath.mpf("1e-12")   # at 40 digits: truncation h² ≈ 1e-24, rounding 1e-40/h ≈ 1e-28
SECOND_DIFFERENCE_STEP = mpmath.mpf("1e-10")  # at 40 digits: truncation h² ≈ 1e-20, rounding 1e-40/h² ≈ 1e-20
MULTIVARIABLE_TOLERANCE = 1e-9  # |result − difference| / (1 + |difference|)
REAL_AT_40_DIGITS = 1e-20    # an imaginary part below this at 40 digits is rounding: the value is real

# --- compiled NumPy code (simulations/compile.py) ------------------------------------------------------
COMPILED_TOLERANCE = 1e-9    # relative: float64 NumPy against 30-digit values (a few ulps of accumulated rounding)
COMPILED_FD_STEP = sp.Rational(1, 10**10)  # central differences at 30 digits: error ~ h², rounding ~ 1e-30/h
COMPILED_FD_TOLERANCE = 1e-8  # relative: a symbolic partial against its central difference

# --- the network's gradient check (simulations/network.py), float64 -----------------------------------
NETWORK_FD_STEP = 1e-3       # the 4-point central difference's h (error O(h⁴) ≈ 1e-12, rounding ε/h ≈ 1e-13)
NETWORK_GRADIENT_TOLERANCE = 1e-6  # largest relative error for which backprop passes the check
NETWORK_GRADIENT_FLOOR = 1e-6  # below this a gradient is judged by its absolute error (relative is unresolvable)
