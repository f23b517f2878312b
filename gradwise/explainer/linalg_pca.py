"""PCA as a worked solution: means, centring, covariance (n − 1), eigen-decomposition, explained
variance, projection, and the figure. Large tables are summarised (first rows shown); the JSON has all."""
from __future__ import annotations

import numpy as np
import sympy as sp

from gradwise.derivations.linalg.pca import PCA
from gradwise.explainer.registry import explains
from gradwise.explainer.givens import N, givens
from gradwise.explainer.linalg_labels import written
from gradwise.explainer.numbers import readable, readable_text
from gradwise.renderers.document import Document, Figure, Math, Paragraph, Section, Step, Table

SHOWN_ROWS = 5
SHOWN_COLUMNS = 8


SHOWN_COMPONENTS = 8
WIDTH = 80


def _num(v: float):
    """A table cell: 4 significant digits, a true minus and powers of ten typeset (explainer/numbers.py)."""
    return readable(v, 4) if abs(v) >= 1e-12 else "0"


def _fitting_columns(names: list[str], first: int) -> int:
    """How many data columns fit in 80 characters after a first column `first` wide (cells ≤ 10 wide)."""
    used, count = first + 2 if first else 0, 0
    for name in names:
        w = max(len(name), 10) + 2
        if used + w > WIDTH:
            break
        used, count = used + w, count + 1
    return max(1, count)


def _matrix(a: np.ndarray) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix([[sp.Float(float(v), 6) if abs(v) >= 1e-12 else 0 for v in row] for row in np.atleast_2d(a)])


@explains(PCA)
def explain(p: PCA, detail: str = "standard") -> Document:
    n, d = p.data.shape
    chk = (lambda s: f"checked against {s.check.against} (largest difference {readable_text(s.check.error, 2)})" if detail == "full" else "")
    blocks: list = _given(p) + [Paragraph.of(
        f"{n} samples (rows) of {d} features (columns). PCA finds the orthogonal directions along which the "
        "data varies most: the eigenvectors of its covariance matrix, ordered by their eigenvalues (the "
        "variance along each).")]
    mean, centre, cov, eig, ratio_step, project = p.steps
    blocks.append(Step("1", "Column means", "mean", None,
                       explanation=Paragraph.of(
                           "The mean of each column, ", N(r"\bar{x}_j = \frac{1}{n} \sum_i x_{ij}", "x̄ⱼ = (1/n) Σᵢ xᵢⱼ"), ".") if detail != "brief" else None,
                       lines=(Math.chain(written("x̄"), _matrix(p.mean[None, :]).T),) if d <= 4 else (), check=chk(mean)))
    if d > 4:
        fit = _fitting_columns(p.columns, 0)
        blocks.append(Table(tuple(p.columns[:fit]), ((tuple(_num(v) for v in p.mean[:fit])),),
                            caption=f"x̄ (first {fit} of {d} columns)" if d > fit else "x̄"))
    if detail != "brief":
        fit = _fitting_columns(p.columns, 0)
        rows = tuple(tuple(_num(v) for v in r[:fit]) for r in centre.value[:SHOWN_ROWS])
        blocks.append(Step("2", "Centre the data", "centre", None,
                           explanation=Paragraph.of("Subtract each column's mean, so every column has mean 0"
                                                    + (f"; the first {SHOWN_ROWS} rows:" if n > SHOWN_ROWS else ":")),
                           check=chk(centre)))
        blocks.append(Table(tuple(p.columns[:fit]), rows,
                            caption=f"first {fit} of {d} columns" if d > fit else ""))
    blocks.append(Step("3", "Covariance matrix", "covariance", None,
                       explanation=Paragraph.of(
                           N(r"C = \frac{X_c^{\mathsf T} X_c}{n - 1}", "C = XcᵀXc / (n − 1)"), f" with n = {n}: the unbiased sample covariance, "
                                                "the same convention as numpy.cov (divide by n − 1, not n).")
                       if detail != "brief" else None,
                       lines=(Math.chain(written("C"), _matrix(p.covariance)),) if d <= 3 else (), check=chk(cov)))
    if d > 3:
        fit = _fitting_columns(p.columns, max(len(c) for c in p.columns))
        blocks.append(Table(("",) + tuple(p.columns[:fit]),
                            tuple((p.columns[i],) + tuple(_num(v) for v in p.covariance[i, :fit]) for i in range(min(d, fit))),
                            caption=f"C (first {fit} of {d} rows and columns)" if d > fit else "C"))
    how = ("exactly, through the eigen-derivation below (C has rational entries)" if p.eigen is not None else
           "numerically with numpy.linalg.eigh (C is symmetric, so its eigenvalues are real and its eigenvectors "
           "orthogonal)")
    comp_lines = tuple(Math.chain(written(f"λ{_sub(k)}"), sp.Float(float(v), 6) if v else sp.S.Zero)
                       for k, v in enumerate(p.eigenvalues[:SHOWN_COLUMNS], start=1))
    blocks.append(Step("4", "Eigen-decomposition of C", "eigen", None,
                       explanation=Paragraph.of(f"Eigenvalues and unit eigenvectors of C, computed {how}; sorted from "
                                                "largest to smallest eigenvalue. The eigenvectors are the principal "
                                                "components (each flipped so its largest entry is positive).")
                       if detail != "brief" else None,
                       lines=comp_lines, check=chk(eig)))
    cum = np.cumsum(p.explained_variance_ratio)
    shown_k = min(d, SHOWN_COMPONENTS)
    variance = Table(("component", "eigenvalue", "explained", "cumulative"),
                     tuple((f"PC{k + 1}", _num(p.eigenvalues[k]), f"{p.explained_variance_ratio[k]:.2%}", f"{cum[k]:.2%}")
                           for k in range(shown_k)),
                     caption="Explained variance" + (f" (first {shown_k} of {d} components)" if d > shown_k else ""))
    fit = _fitting_columns(p.columns, 5)
    loadings = Table(("",) + tuple(p.columns[:fit]),
                     tuple((f"PC{k + 1}",) + tuple(_num(v) for v in p.components[k][:fit]) for k in range(shown_k)),
                     caption="Principal components (rows, unit length)"
                     + (f"; first {fit} of {d} features" if d > fit else ""))
    blocks.append(Step("5", "Explained variance ratio", "explained_variance", None,
                       explanation=Paragraph.of("Each eigenvalue divided by their sum (the total variance): the "
                                                f"share of the variance each component carries. "
                                                + (f"The first {p.k} keep" if p.k > 1 else "The first keeps")
                                                + f" {cum[p.k - 1]:.1%} of it.") if detail != "brief" else None,
                       check=chk(ratio_step)))
    blocks += [variance, loadings]
    if detail != "brief":
        rows = tuple(tuple(_num(v) for v in r) for r in p.projected[:SHOWN_ROWS])
        blocks.append(Step("6", f"Project onto the first {p.k} component{'s' if p.k > 1 else ''}", "project", None,
                           explanation=Paragraph.of(N(r"Z = X_c W_k^{\mathsf T}", "Z = Xc·Wₖᵀ"), ", where the rows of ",
                                                    N("W_k", "Wₖ"), " are the first k components: each sample's coordinates along the principal axes"
                                                    + (f"; the first {SHOWN_ROWS} of {n} rows:" if n > SHOWN_ROWS else ":")),
                           check=chk(project)))
        blocks.append(Table(tuple(f"PC{k + 1}" for k in range(p.k)), rows))
    if p.plot:
        blocks.append(Figure("the centred data with the principal axes, and the scree plot", png_path=p.plot))
    if p.eigen is not None and detail != "brief":
        from gradwise.explainer.linalg_eigen import explain as explain_eigen
        inner = explain_eigen(p.eigen, detail)
        blocks.append(Section("The eigen-decomposition of C, step by step", inner.blocks))
    data = {"kind": "pca", "source": p.source, "columns": p.columns, "n": n,
            "mean": p.mean.tolist(), "covariance": p.covariance.tolist(),
            "eigenvalues": p.eigenvalues.tolist(), "components": p.components.tolist(),
            "explained_variance_ratio": p.explained_variance_ratio.tolist(), "components_kept": p.k,
            "projected": p.projected.tolist(), "plot": p.plot or None,
            "steps": [{"rule": s.rule, "check": {"against": s.check.against, "max_error": s.check.error, "valid": s.check.valid},
                       "note": {"mean": "column means", "centre": "subtract the means",
                                "covariance": "C = XcᵀXc/(n − 1), as numpy.cov",
                                "eigen": "eigenvalues (descending) and unit eigenvectors of C",
                                "explained_variance": "eigenvalue / sum of eigenvalues",
                                "project": "Z = Xc·Wₖᵀ"}[s.rule]} for s in p.steps]}
    if p.eigen is not None:
        from gradwise.explainer.linalg_eigen import contract
        data["steps"].insert(3, {"rule": "exact_eigen", "note": "the exact eigen-derivation of C",
                                 "substeps": contract(p.eigen)["steps"]})
    said = f"{p.k} component{'s keep' if p.k > 1 else ' keeps'} {cum[p.k - 1]:.1%} of the variance"
    answer = Math((written((said, r"\text{" + said.replace("%", r"\%") + "}")),))
    return Document(f"PCA of {p.source} ({n}×{d}), {p.k} component{'s' if p.k > 1 else ''}", tuple(blocks),
                    data=data, answer=answer)


def _given(p: PCA) -> list:
    """The data as given: a matrix when it is small, else its first rows as a table."""
    n, d = p.data.shape
    if n <= SHOWN_ROWS and d <= 6:
        return givens((written("X"), sp.ImmutableMatrix([[sp.Integer(int(v)) if float(v).is_integer()
                                                          else sp.Float(float(v), 6) for v in row] for row in p.data])),
                      words=f"Given: the data matrix X, one row per sample, columns {', '.join(p.columns)}:")
    return [Paragraph.of(f"Given: the data X ({p.source}, {n} rows); its first {SHOWN_ROWS} rows:"),
            Table(tuple(p.columns[:_fitting_columns(p.columns, 0)]),
                  tuple(tuple(_num(v) for v in r[:_fitting_columns(p.columns, 0)]) for r in p.data[:SHOWN_ROWS]))]


def _sub(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
