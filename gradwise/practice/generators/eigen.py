"""Eigenvalues and eigenvectors, PCA of a small data set, and the learning-rate bound 2/λ_max."""
from __future__ import annotations

import random

import numpy as np
import sympy as sp

from gradwise.derivations.linalg.eigen import eigen
from gradwise.derivations.linalg.pca import pca
from gradwise.derivations.linalg.stability import stable_learning_rates
from gradwise.derivations.multivariable import hessian
from gradwise.derivations.parsing import symbol
from gradwise.practice.generators import topic
from gradwise.practice.generators.common import integer_matrix, require, tex, text, typed, worked
from gradwise.practice.problems import Problem, Trap

VALUES_NOTE = "type the values separated by commas, e.g. 1, 3"


def _integer_eigen_matrix(rng: random.Random, symmetric: bool, low: int = -4, high: int = 6) -> sp.ImmutableMatrix:
    """A 2×2 integer matrix with distinct integer eigenvalues (else redraw)."""
    a = integer_matrix(rng, 2, 2, low, high)
    if symmetric:
        a = sp.ImmutableMatrix([[a[0, 0], a[0, 1]], [a[0, 1], a[1, 1]]])
    require(a[0, 1] != 0 and (symmetric or a[1, 0] != 0))
    values = sp.roots(a.charpoly().as_expr(), multiple=True)
    require(len(set(values)) == 2 and all(v.is_integer for v in values))
    return a


def _eigen_traps(a: sp.ImmutableMatrix, values: list) -> tuple[Trap, ...]:
    traps = [Trap("diagonal_entries", "the diagonal entries are the eigenvalues only of a triangular matrix: "
                  "solve det(A − λI) = 0", sp.ImmutableMatrix([a[0, 0], a[1, 1]])),
             Trap("sign", "the signs are flipped: the eigenvalues are the roots of det(A − λI) = 0",
                  sp.ImmutableMatrix([-v for v in values])),
             Trap("trace_and_determinant", "those are the trace and the determinant; they are the sum and the "
                  "product of the eigenvalues", sp.ImmutableMatrix([a.trace(), a.det()]))]
    return tuple(t for t in traps if sorted(t.value) != sorted(values))


@topic("eigen", "Eigenvalues and eigenvectors", "roots of det(A − λI) of a 2×2 matrix, and an eigenvector",
       "linear algebra")
def eigen_problem(rng: random.Random, level: int) -> Problem:
    """Level 1: a symmetric 2×2 matrix's eigenvalues; 2: a non-symmetric one's; 3: an eigenvector."""
    a = _integer_eigen_matrix(rng, symmetric=level == 1)
    result = eigen(a)
    values = sorted(result.values())
    reference = sorted(np.linalg.eigvals(np.array(a, dtype=float)).real)
    require(np.allclose(values, reference))
    if level == 3:
        top = max(result.eigenvalues, key=lambda e: e.value)
        vector = top.eigenvectors[0]
        require(np.allclose(np.array(a * vector, dtype=float), float(top.value) * np.array(vector, dtype=float)))
        prompt = f"Find an eigenvector of A = {text(a)} for its largest eigenvalue λ = {text(top.value)}."
        other = min(result.eigenvalues, key=lambda e: e.value).eigenvectors[0]
        return Problem("", 0, 0, prompt, rf"A = {tex(a)},\ \lambda = {tex(top.value)}:\ v = ?", vector, typed(vector),
                       tex(vector), "direction", worked(result),
                       traps=(Trap("other_eigenvalue", "that is an eigenvector of the other eigenvalue", other),),
                       note="type a vector as [1, 2]; any nonzero multiple is right")
    answer = sp.ImmutableMatrix(values)
    prompt = f"Find the eigenvalues of A = {text(a)}."
    return Problem("", 0, 0, prompt, rf"\text{{eigenvalues of }} {tex(a)}", answer, ", ".join(typed(v) for v in values),
                   ", ".join(tex(v) for v in values), "values", worked(result, 4), traps=_eigen_traps(a, values),
                   note=VALUES_NOTE, given={"A": a})


def _data(rng: random.Random, n: int) -> np.ndarray:
    """n points in 2-D with integer coordinates, correlated, not all on a line."""
    t = [rng.randint(-3, 3) for _ in range(n)]
    slope = rng.choice([1, 2, -1, -2])
    pts = np.array([[ti + rng.randint(-1, 1), slope * ti + rng.randint(-1, 1)] for ti in t], dtype=float)
    require(abs(np.linalg.det(np.cov(pts.T))) > 1e-9 and len({tuple(p) for p in pts}) == n)
    return pts


@topic("pca", "PCA of a small data set", "covariance matrix, variance along the first component, explained ratio",
       "linear algebra")
def pca_problem(rng: random.Random, level: int) -> Problem:
    """Level 1: the covariance matrix; 2: the variance along the first principal component; 3: its share."""
    n = rng.choice([3, 4]) if level == 1 else 4
    x = _data(rng, n)
    exact = sp.Matrix(x.astype(int).tolist())
    centred = exact - sp.ones(n, 1) * (sp.ones(1, n) * exact) / n
    cov = sp.ImmutableMatrix(centred.T * centred / (n - 1))
    require(np.allclose(np.array(cov, dtype=float), np.cov(x.T)))
    values = sorted(cov.eigenvals(multiple=True), key=lambda v: float(v), reverse=True)
    require(level == 1 or all(v.is_rational for v in values))
    require(np.allclose(sorted((float(v) for v in values), reverse=True),
                        sorted(np.linalg.eigvalsh(np.cov(x.T)), reverse=True)))
    result = pca(x, 1) if level > 1 else None
    points = "; ".join(f"({int(a)}, {int(b)})" for a, b in x)
    biased = sp.ImmutableMatrix(centred.T * centred / n)
    if level == 1:
        prompt = f"The data points are {points}. Compute their covariance matrix (divide by n − 1)."
        return Problem("", 0, 0, prompt, rf"\operatorname{{cov}}\ \text{{of}}\ {points}", cov, typed(cov), tex(cov),
                       "matrix", lambda: worked(pca(x, 1), 3)(),
                       traps=(Trap("divide_by_n", "the sample covariance divides by n − 1, not n", biased),),
                       note="type a matrix as [[1, 2], [3, 4]]; fractions like 5/3 are fine")
    top = sp.nsimplify(sp.radsimp(values[0]))
    if level == 2:
        prompt = (f"The data points are {points}. What is the variance along the first principal component "
                  "(the largest eigenvalue of the sample covariance matrix, which divides by n − 1)?")
        return Problem("", 0, 0, prompt, rf"\lambda_1\ \text{{of}}\ \operatorname{{cov}}({points})", top, typed(top),
                       tex(top), "number", worked(result, 4), tolerance=1e-3,
                       traps=(Trap("smallest_eigenvalue", "that is the smallest eigenvalue; the first component has "
                                   "the largest", values[1]),),
                       note="an exact value or a decimal to 3 significant figures")
    share = sp.nsimplify(sp.radsimp(values[0] / (values[0] + values[1])))
    prompt = (f"The data points are {points}. What fraction of the variance does the first principal component "
              "explain?")
    return Problem("", 0, 0, prompt, rf"\lambda_1/(\lambda_1+\lambda_2)\ \text{{for}}\ {points}", share, typed(share),
                   tex(share), "number", worked(result, 5), tolerance=1e-3,
                   traps=(Trap("second_component", "that is the second component's share", 1 - share),),
                   note="an exact value or a decimal to 3 significant figures")


@topic("learning_rate", "The learning-rate bound", "gradient descent on a quadratic converges iff lr < 2/λ_max",
       "training")
def learning_rate(rng: random.Random, level: int) -> Problem:
    """Level 1: a diagonal Hessian; 2: f with a cross term (integer eigenvalues); 3: the best constant rate."""
    x, y = symbol("x"), symbol("y")
    if level == 1:
        a, c = rng.randint(1, 20), rng.randint(1, 20)
        require(a != c)
        f, h = sp.Rational(a, 2) * x**2 + sp.Rational(c, 2) * y**2, sp.ImmutableMatrix([[a, 0], [0, c]])
    else:
        h = _integer_eigen_matrix(rng, symmetric=True, low=-3, high=8)
        f = sp.expand(sp.Rational(1, 2) * (sp.Matrix([[x, y]]) * h * sp.Matrix([x, y]))[0])
    values = sorted(h.eigenvals(multiple=True))
    require(all(v > 0 for v in values))
    derived = hessian(f, [x, y])
    require(derived.result == h)
    analysis = stable_learning_rates(np.array(h, dtype=float))
    lam_min, lam_max = values[0], values[-1]
    hessian_steps, rate_steps = worked(derived), worked(analysis, 2 if level < 3 else 3)

    def blocks() -> tuple:
        return hessian_steps()[-1:] + rate_steps()
    if level == 3:
        answer = sp.Rational(2) / (lam_min + lam_max)
        require(abs(float(answer) - analysis.optimal_lr) < 1e-12)
        prompt = (f"Gradient descent on f(x, y) = {text(f)}: which constant learning rate makes it converge "
                  "fastest (the best contraction max |1 − lr·λ|)?")
        traps = (Trap("lr_bound_instead", "that is the stability bound 2/λ_max; the fastest rate is 2/(λ_min + λ_max)",
                      2 / lam_max), Trap("inverse_max", "1/λ_max is safe but not the fastest", 1 / lam_max))
    else:
        answer = sp.Rational(2) / lam_max
        require(abs(float(answer) - analysis.lr_max) < 1e-12)
        prompt = (f"Gradient descent on f(x, y) = {text(f)}: what is the largest learning rate for which it "
                  "converges (the bound on lr)?")
        traps = (Trap("one_over_lambda", "the bound is 2/λ_max, not 1/λ_max", 1 / lam_max),
                 Trap("lambda_min", "the largest eigenvalue limits the step: lr < 2/λ_max, not 2/λ_min", 2 / lam_min))
    return Problem("", 0, 0, prompt, rf"f(x,y) = {tex(f)}", answer, typed(answer), tex(answer), "number", blocks,
                   traps=tuple(t for t in traps if t.value != answer), tolerance=1e-3)
