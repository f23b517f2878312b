"""Principal component analysis as a worked solution: centre the data, form the covariance matrix (with
n − 1, like numpy.cov), eigen-decompose it (through the exact eigen engine for small integer data, with
numpy.linalg.eigh otherwise), sort by eigenvalue, explained variance ratio, and project onto the first k
components. Every number is checked against an independent NumPy computation.
"""
from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass

import numpy as np
import sympy as sp

from gradwise.derivations.display import Displayable
from gradwise.derivations.limits import time_limit
from gradwise.derivations.steps import Step
from gradwise.derivations.tolerances import (EIGENVALUE_ZERO, PCA_PROJECTION_TOLERANCE, PCA_RATIO_TOLERANCE,
                                             PCA_TOLERANCE)
from gradwise.errors import EngineError, GradwiseError

MAX_CSV_BYTES = 200_000_000
MAX_COLUMNS = 1000            # the eigen-decomposition of a d×d covariance costs d³: a bound on the work
EXACT_MAX_ROWS = 200      # integer data this small (and 2-3 columns) go through the exact eigen engine
EXACT_MAX_COLUMNS = 3


@dataclass(frozen=True)
class Agreement:
    """The check of a numeric step: the independent computation it agreed with, and how far off it was."""

    against: str
    error: float
    valid: bool = True
    method = "numeric"


@dataclass(frozen=True)
class PCAStep(Step):
    """One numeric step: its rule id, what it starts from, its result and the independent check it passed."""

    rule: str
    before: object
    after: object
    check: Agreement

    @property
    def value(self):
        """The step's result (its `after`)."""
        return self.after


@dataclass
class PCA(Displayable):
    """PCA of n samples (rows) in d features (columns)."""

    source: str
    columns: list[str]
    data: np.ndarray
    mean: np.ndarray
    covariance: np.ndarray
    eigenvalues: np.ndarray           # all, descending
    components: np.ndarray            # rows, unit length, same order
    k: int
    projected: np.ndarray             # n × k
    steps: list[PCAStep]
    eigen: object | None = None       # the exact Eigen derivation, when the data allowed it
    plot: str = ""

    kind = "pca"

    @property
    def explained_variance_ratio(self) -> np.ndarray:
        total = float(np.sum(self.eigenvalues))
        return self.eigenvalues / total if total > 0 else np.zeros_like(self.eigenvalues)


def read_csv(path_or_text: str, *, is_text: bool = False) -> tuple[np.ndarray, list[str]]:
    """A numeric table from a CSV file (or its text); a first row with no numbers is a header."""
    if is_text:
        text = path_or_text
        name = "the data"
    else:
        if not os.path.isfile(path_or_text):
            what = "it is a folder, not a CSV file" if os.path.isdir(path_or_text) else "no such file"
            raise GradwiseError(f"cannot read {path_or_text}: {what}")
        if os.path.getsize(path_or_text) > MAX_CSV_BYTES:
            raise GradwiseError(f"{path_or_text} is larger than {MAX_CSV_BYTES // 1_000_000} MB")
        with open(path_or_text, encoding="utf-8", errors="replace", newline="") as f:
            text = f.read()
        name = path_or_text
    if "\0" in text:
        raise GradwiseError(f"cannot read {name}: it holds binary data, not a CSV table")
    try:
        rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise GradwiseError(f"cannot read {name} as CSV: {exc}") from None
    if rows and len(rows[0]) > MAX_COLUMNS:
        raise GradwiseError(f"{name} has {len(rows[0])} columns; PCA here takes at most {MAX_COLUMNS}")
    if not rows:
        raise GradwiseError(f"{name} is empty")
    header: list[str] = []
    if not any(_is_number(c) for c in rows[0]):
        header, rows = [c.strip() for c in rows[0]], rows[1:]
    if not rows:
        raise GradwiseError(f"{name} has a header but no data rows")
    width = len(header) if header else len(rows[0])
    values = []
    for k, r in enumerate(rows, start=2 if header else 1):
        if len(r) != width:
            raise GradwiseError(f"{name}, line {k}: {len(r)} value{'s' if len(r) != 1 else ''} but {'the header has' if header else 'the first row has'} "
                                f"{width} (ragged rows)")
        line = []
        for j, c in enumerate(r):
            if not _is_number(c):
                col = f"column {j + 1}" + (f" ({header[j]})" if header else "")
                raise GradwiseError(f"{name}, line {k}, {col}: {c.strip()[:30]!r} is not a number")
            line.append(float(c))
        values.append(line)
    return np.array(values, dtype=float), header or [f"x{j + 1}" for j in range(width)]


def _is_number(c: str) -> bool:
    try:
        return math.isfinite(float(c))
    except ValueError:
        return False


def pca(data, components: int = 2, *, columns: list[str] | None = None, plot: str | None = None,
        timeout: float | None = None) -> PCA:
    """PCA of a table: a CSV path, an array (rows are samples) or nested lists; `components` = k."""
    with time_limit(timeout):
        source = data if isinstance(data, str) else "array"
        if isinstance(data, str):
            x, names = read_csv(data)
        else:
            try:
                x = np.asarray(data, dtype=float)
            except (TypeError, ValueError):
                raise GradwiseError("the data must be a table of numbers (rows are samples)") from None
            if x.ndim != 2:
                raise GradwiseError(f"the data must be a 2-D table (rows are samples), not of shape {x.shape}")
            if not np.all(np.isfinite(x)):
                raise GradwiseError("the data has values that are not finite numbers")
            names = columns or [f"x{j + 1}" for j in range(x.shape[1])]
        n, d = x.shape
        if d > MAX_COLUMNS:
            raise GradwiseError(f"the data has {d} columns; PCA here takes at most {MAX_COLUMNS}")
        if n < 2:
            raise GradwiseError(f"PCA needs at least 2 rows (samples) to measure variance; {source} has {n}")
        if d < 1:
            raise GradwiseError("the data has no columns")
        if not 1 <= components <= d:
            raise GradwiseError(f"--components must be between 1 and {d} (the number of columns), not {components}")
        return _derive(source, names, x, components, plot)


def _checked(rule: str, before, after, ok: bool, against: str, error: float) -> PCAStep:
    """The step with its check; a failed check is an engine bug."""
    if not ok:
        raise EngineError(f"the PCA {rule} step failed its check (error {error:.2e})")
    return PCAStep(rule, before, after, Agreement(against, error))


def _derive(source: str, names: list[str], x: np.ndarray, k: int, plot: str | None) -> PCA:
    n, d = x.shape
    scale = max(1.0, float(np.max(np.abs(x))))
    mean = x.sum(axis=0) / n
    err = float(np.max(np.abs(mean - np.mean(x, axis=0))))
    steps = [_checked("mean", x, mean, err <= PCA_TOLERANCE * scale, "numpy.mean", err)]
    centred = x - mean
    err = float(np.max(np.abs(centred.mean(axis=0))))
    steps.append(_checked("centre", x, centred, err <= PCA_TOLERANCE * scale,
                          "every column of the centred data has mean 0", err))
    cov = centred.T @ centred / (n - 1)
    reference = np.atleast_2d(np.cov(x, rowvar=False))
    err = float(np.max(np.abs(cov - reference)))
    steps.append(_checked("covariance", centred, cov, err <= PCA_TOLERANCE * max(1.0, float(np.max(np.abs(reference)))),
                          "numpy.cov (n − 1 in the denominator)", err))
    exact = None
    if n <= EXACT_MAX_ROWS and d <= EXACT_MAX_COLUMNS and d >= 2 and np.all(x == np.round(x)):
        exact = _exact_eigen(x)
    values, vectors = np.linalg.eigh(cov)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order].T
    values = np.where(np.abs(values) < EIGENVALUE_ZERO * max(1.0, float(np.max(np.abs(values)))), 0.0, values)
    for row in vectors:  # a sign convention, so results are reproducible: the largest entry is positive
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    residual = float(max(np.linalg.norm(cov @ w - lam * w) for lam, w in zip(values, vectors)))
    orth = float(np.max(np.abs(vectors @ vectors.T - np.eye(d))))
    steps.append(_checked("eigen", cov, (values, vectors),
                          residual <= PCA_TOLERANCE * max(1.0, float(np.max(np.abs(cov)))) and orth <= PCA_TOLERANCE,
                          "‖C·w − λ·w‖ and WᵀW = I", max(residual, orth)))
    ratio = values / values.sum() if values.sum() > 0 else np.zeros_like(values)
    err = float(abs(ratio.sum() - 1)) if values.sum() > 0 else 0.0
    steps.append(_checked("explained_variance", values, ratio, err <= PCA_RATIO_TOLERANCE, "ratios add up to 1", err))
    projected = centred @ vectors[:k].T
    err = float(np.max(np.abs(projected.var(axis=0, ddof=1) - values[:k]))) if n > 1 else 0.0
    steps.append(_checked("project", centred, projected, err <= PCA_PROJECTION_TOLERANCE * max(1.0, float(values[0])),
                          "the variance of each projected column is its eigenvalue", err))
    result = PCA(source, names, x, mean, cov, values, vectors, k, projected, steps, exact)
    if plot:
        from gradwise.derivations.display import presenter  # the figure is drawn above this layer
        result.plot = presenter().figure(result, "pca", plot)
    return result


def _exact_eigen(x: np.ndarray):
    """The exact eigen-derivation of the covariance matrix of small integer data (rational entries)."""
    from gradwise.derivations.linalg.eigen import eigen
    n, d = x.shape
    m = sp.Matrix(x.astype(int).tolist())
    mean = [sp.Rational(sum(m[:, j]), n) for j in range(d)]
    centred = sp.Matrix(n, d, lambda i, j: m[i, j] - mean[j])
    cov = sp.ImmutableMatrix((centred.T * centred) / (n - 1))
    try:
        return eigen(cov)
    except GradwiseError:
        return None
