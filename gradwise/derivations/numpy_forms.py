"""The stable NumPy form of each function the registry names (its `numpy` field names one of these).

One implementation each, used by compiled functions, network layers, the matrix-calculus checks, the
generated NumPy code (which copies their source) and the figures. Imported only when NumPy is needed.
"""
from __future__ import annotations

import math

import numpy as np


def sigmoid(x):
    """σ(x) without overflow: e^(−|x|) is never large."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    r = 1.0 / (1.0 + e)
    return np.where(x >= 0, r, e * r)


def softplus(x):
    """ln(1 + eˣ) without overflow."""
    return np.logaddexp(0.0, x)


def relu(x):
    return np.maximum(x, 0.0)


def mish(x):
    """x·tanh(softplus(x)); tanh saturates, so no overflow."""
    return x * np.tanh(np.logaddexp(0.0, x))


def silu(x):
    """x·σ(x), with the stable σ."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return x * np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


_erf = np.frompyfunc(math.erf, 1, 1)


def erf(x):
    return np.asarray(_erf(x), dtype=float)


def gelu(x):
    return 0.5 * x * (1.0 + erf(np.asarray(x, dtype=float) / math.sqrt(2.0)))


def logsumexp(*args):
    """ln Σ e^(aᵢ) over the arguments, elementwise, shifted by the largest (no overflow)."""
    stacked = np.stack(np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args]))
    top = np.max(stacked, axis=0)
    top = np.where(np.isfinite(top), top, 0.0)
    return top + np.log(np.sum(np.exp(stacked - top), axis=0))


def softmax(k, *args):
    """Component k (from 1) of the softmax of the arguments."""
    return np.exp(np.asarray(args[int(k) - 1], dtype=float) - logsumexp(*args))


def heaviside(x, h0=0.5):
    return np.heaviside(x, h0)


def dirac_delta(x, *k):
    return np.zeros_like(np.asarray(x, dtype=float))
