"""Vectors and matrices: the dot product, the matrix product, the determinant."""
from __future__ import annotations

import random

import numpy as np
import sympy as sp

from gradwise.derivations.linalg.determinant import determinant
from gradwise.derivations.linalg.products import matmul
from gradwise.derivations.linalg.vectors import dot
from gradwise.practice.generators import topic
from gradwise.practice.generators.common import integer_matrix, require, tex, text, typed, worked
from gradwise.practice.problems import Problem, Trap


@topic("dot_product", "Dot product", "u·v = Σ uᵢvᵢ of two small integer vectors", "linear algebra")
def dot_product(rng: random.Random, level: int) -> Problem:
    """Level 1: length 3; 2: length 4 with negatives; 3: u·(v + w) or a projection coefficient."""
    n = 3 if level == 1 else 4
    low = 0 if level == 1 else -5
    u, v = integer_matrix(rng, n, 1, low, 6), integer_matrix(rng, n, 1, low, 6)
    require(any(u) and any(v) and u != v)
    if level == 3:
        w = integer_matrix(rng, n, 1, -3, 3)
        result = dot(u, v + w)
        answer = result.value
        require(int(np.dot(np.array(u, dtype=int).ravel(), np.array(v + w, dtype=int).ravel())) == answer)
        prompt = f"Compute u·(v + w) for u = {text(u.T)}ᵀ, v = {text(v.T)}ᵀ, w = {text(w.T)}ᵀ."
        latex = rf"u\cdot(v + w),\ u = {tex(u)},\ v = {tex(v)},\ w = {tex(w)}"
        return Problem("", 0, 0, prompt, latex, answer, typed(answer), tex(answer), "number", worked(result, 1),
                       traps=(Trap("elementwise", "that is the elementwise product; the dot product adds its entries",
                                   sp.ImmutableMatrix(u.multiply_elementwise(v + w))),))
    result = dot(u, v)
    answer = result.value
    require(int(np.dot(np.array(u, dtype=int).ravel(), np.array(v, dtype=int).ravel())) == answer and answer != 0)
    prompt = f"Compute the dot product u·v for u = {text(u.T)}ᵀ and v = {text(v.T)}ᵀ."
    latex = rf"u\cdot v,\ u = {tex(u)},\ v = {tex(v)}"
    traps = (Trap("elementwise", "that is the elementwise product; the dot product adds its entries",
                  sp.ImmutableMatrix(u.multiply_elementwise(v))),
             Trap("sum_not_products", "the dot product multiplies matching entries before adding",
                  sum(u) + sum(v)))
    return Problem("", 0, 0, prompt, latex, answer, typed(answer), tex(answer), "number", worked(result, 1),
                   traps=traps, given={"u": u, "v": v})


@topic("matrix_product", "Matrix product", "A·B row by column, 2×2 to 2×3 by 3×2", "linear algebra")
def matrix_product(rng: random.Random, level: int) -> Problem:
    """Level 1: 2×2 by 2×2, small entries; 2: with negatives; 3: 2×3 by 3×2 (or 3×2 by 2×3)."""
    if level == 3:
        m, k, n = rng.choice([(2, 3, 2), (3, 2, 3), (2, 3, 3)])
    else:
        m = k = n = 2
    low = 0 if level == 1 else -4
    a, b = integer_matrix(rng, m, k, low, 5), integer_matrix(rng, k, n, low, 5)
    result = matmul(a, b)
    answer = result.value
    require(answer == sp.ImmutableMatrix(np.array(a, dtype=int) @ np.array(b, dtype=int)) and any(answer))
    traps = []
    if m == k == n:
        require(a * b != b * a)
        traps.append(Trap("order", "that is B·A: the matrix product does not commute", sp.ImmutableMatrix(b * a)))
        traps.append(Trap("elementwise", "that is the elementwise product A ⊙ B; A·B takes rows times columns",
                          sp.ImmutableMatrix(a.multiply_elementwise(b))))
    if answer.rows == answer.cols:
        traps.append(Trap("transpose", "that is (AB)ᵀ = BᵀAᵀ: row i of A times column j of B goes in entry (i, j)",
                          answer.T))
    prompt = f"Compute A·B for A = {text(a)} and B = {text(b)} (rows separated by ;)."
    latex = rf"AB,\ A = {tex(a)},\ B = {tex(b)}"
    return Problem("", 0, 0, prompt, latex, answer, typed(answer), tex(answer), "matrix", worked(result, 1),
                   traps=tuple(traps), note="type a matrix as [[1, 2], [3, 4]]", given={"A": a, "B": b})


@topic("determinant", "Determinant", "det A of a 2×2 or 3×3 integer matrix", "linear algebra")
def determinant_problem(rng: random.Random, level: int) -> Problem:
    """Level 1: 2×2 small entries; 2: 2×2 with negatives or 3×3 triangular-ish; 3: 3×3."""
    n = 2 if level == 1 or (level == 2 and rng.random() < 0.5) else 3
    a = integer_matrix(rng, n, n, 0 if level == 1 else -4, 5)
    if level == 2 and n == 3:
        a = sp.ImmutableMatrix(n, n, lambda i, j: a[i, j] if j >= i or (i, j) == (2, 0) else 0)
    result = determinant(a)
    answer = result.value
    reference = round(float(np.linalg.det(np.array(a, dtype=float))))
    require(answer == reference and answer != 0 and abs(answer) < 500)
    traps = [Trap("sign", "the sign of the determinant is wrong (check the minus in ad − bc, and the cofactor signs)",
                  -answer)]
    if n == 2:
        traps.append(Trap("plus_instead_of_minus", "det [[a, b], [c, d]] = ad − bc, not ad + bc",
                          a[0, 0] * a[1, 1] + a[0, 1] * a[1, 0]))
        traps.append(Trap("diagonal_product", "det is ad − bc: the product of the diagonal alone misses − bc",
                          a[0, 0] * a[1, 1]))
    prompt = f"Compute det A for A = {text(a)}."
    return Problem("", 0, 0, prompt, rf"\det {tex(a)}", answer, typed(answer), tex(answer), "number",
                   worked(result), traps=tuple(traps), given={"A": a})
