"""Eigenvalues and eigenvectors as a worked solution.

The steps a textbook shows: form A − λI; expand det(A − λI) (the determinant steps) into the
characteristic polynomial; factor it; solve each factor (the quadratic formula when it is used; numeric
roots by mpmath, at a stated precision, for degree 5 or more or when the closed form is unreadable);
for each eigenvalue row-reduce A − λI to read off its null space (the eigenvectors and the geometric
multiplicity); then the checks a reader can redo: the eigenvalues add up to the trace and multiply to the
determinant, and A·v = λ·v for every eigenvector; finally A = P·D·P⁻¹ when the matrix is diagonalisable.

Each step is checked independently (SymPy's charpoly, rref and products); a failed check is an engine bug.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from gradwise.derivations.display import Displayable
from gradwise.derivations.limits import time_limit
from gradwise.derivations.linalg.determinant import determinant_steps
from gradwise.derivations.linalg.rowreduce import null_space, rref_steps
from gradwise.derivations.linalg.steps import StepsAndChecks, MAX_EIGEN_SIZE, Det, is_zero, read_matrix, same, shape, simp, record, check_equal
from gradwise.derivations.steps import EqualityStep
from gradwise.derivations.tolerances import EIGENVECTOR_RESIDUAL, IMAGINARY_ROUNDING, NULL_SPACE_RANK, ROOT_RESIDUAL
from gradwise.errors import GradwiseError

LAMBDA = sp.Symbol("lambda")
NUMERIC_DIGITS = 15          # precision stated for numeric roots
READABLE_OPS = 40            # a closed-form root longer than this is given numerically instead


@dataclass(eq=False)
class EigenValue:
    """One distinct eigenvalue with its multiplicities, eigenvectors and the steps that found them."""

    value: sp.Expr
    algebraic_multiplicity: int
    geometric_multiplicity: int
    eigenvectors: list[sp.ImmutableMatrix]
    step: EqualityStep                       # rule "eigenvectors": substitute, row reduce, null space, verify
    numeric: bool = False
    assumptions: tuple = ()             # symbolic pivots assumed non-zero


@dataclass
class Eigen(StepsAndChecks, Displayable):
    """The eigen-decomposition of a square matrix, derived step by step with every step checked."""

    input: str
    matrix: sp.ImmutableMatrix
    polynomial: sp.Expr                 # det(A − λI), expanded
    factored: sp.Expr
    eigenvalues: list[EigenValue]
    steps: list[EqualityStep]
    variable: sp.Symbol = LAMBDA
    diagonalisation: tuple | None = None  # (P, D) with A = P·D·P⁻¹

    kind = "eigen"

    @property
    def symmetric(self) -> bool:
        return self.matrix == self.matrix.T

    @property
    def defective(self) -> bool:
        return any(e.geometric_multiplicity < e.algebraic_multiplicity for e in self.eigenvalues)

    @property
    def numeric(self) -> bool:
        return any(e.numeric for e in self.eigenvalues)

    @property
    def has_complex(self) -> bool:
        return any(e.value.is_real is False for e in self.eigenvalues)



    def values(self) -> list[sp.Expr]:
        """Every eigenvalue repeated by its algebraic multiplicity."""
        return [e.value for e in self.eigenvalues for _ in range(e.algebraic_multiplicity)]


def eigen(matrix, *, timeout: float | None = None) -> Eigen:
    """Eigenvalues and eigenvectors of a square matrix (text like "[[2,1],[1,2]]", entries may be symbols;
    a SymPy matrix; nested lists), derived step by step."""
    with time_limit(timeout):
        text = matrix if isinstance(matrix, str) else str(matrix)
        a = read_matrix(matrix)
        if a.rows != a.cols:
            raise GradwiseError(f"eigenvalues need a square matrix; this one is {shape(a)}")
        if a.rows > MAX_EIGEN_SIZE:
            raise GradwiseError(f"the worked eigen-derivation goes up to {MAX_EIGEN_SIZE}x{MAX_EIGEN_SIZE}; "
                                f"this matrix is {shape(a)} (numpy.linalg.eig handles large ones)")
        if any(e.has(sp.Float) for e in a):
            a = sp.ImmutableMatrix(a.applyfunc(lambda e: sp.nsimplify(e, rational=True)))
        if any(x.name == LAMBDA.name for x in a.free_symbols):
            raise GradwiseError("λ (lambda) names the eigenvalue: use another letter in the matrix")
        return _derive(text, a)


def _derive(text: str, a: sp.ImmutableMatrix) -> Eigen:
    n = a.rows
    steps: list[EqualityStep] = []
    shifted = sp.ImmutableMatrix(a - LAMBDA * sp.eye(n))
    steps.append(record(EqualityStep("characteristic_matrix", a, shifted),
                               same(sp.ImmutableMatrix(a.as_mutable() - LAMBDA * sp.eye(n)), shifted)))
    det = determinant_steps(shifted, method="cofactor")
    polynomial = sp.expand(det.after)
    reference = sp.expand((-1) ** n * a.charpoly(LAMBDA).as_expr())
    steps.append(record(EqualityStep("characteristic_polynomial", Det(shifted), polynomial, (det,)),
                               same(reference, polynomial)))
    lead, factors = sp.factor_list(polynomial, LAMBDA)
    factored = sp.Mul(lead, *[f ** m for f, m in factors], evaluate=False) if factors else polynomial
    steps.append(check_equal(EqualityStep("factor", polynomial, sp.factor(polynomial, LAMBDA) if n <= 6 else polynomial,
                                      info={"lead": lead, "factors": factors}), polynomial))
    roots_step, roots = _solve(polynomial, lead, factors)
    steps.append(roots_step)
    values = []
    for value, multiplicity, numeric in roots:
        values.append(_eigenvectors(a, value, multiplicity, numeric))
    steps.extend(v.step for v in values)
    steps.append(_trace_check(a, values))
    steps.append(_det_check(a, values))
    if a == a.T and not any(v.numeric for v in values):
        orth = _orthogonality(values)
        if orth is not None:
            steps.append(orth)
    diag = _diagonalise(a, values)
    if diag is not None:
        steps.append(diag)
    return Eigen(text, a, polynomial, factored, values, steps,
                 diagonalisation=(diag.info["P"], diag.info["D"]) if diag is not None else None)


# ----------------------------------------------------------------------------------------------------
# Roots of the characteristic polynomial

def _solve(polynomial, lead, factors):
    """Solve factor by factor. The step's after is lead·Π(λ − r)^m, equal to the polynomial."""
    substeps, roots = [], []
    lead = lead * sp.Mul(*[sp.Poly(f, LAMBDA).LC() ** m for f, m in factors])  # factors need not be monic
    for f, m in factors:
        poly = sp.Poly(f, LAMBDA)
        d = poly.degree()
        if d == 0:
            continue
        found, rule, info = _roots_of(poly)
        lc = poly.LC()
        product = sp.Mul(lc, *[(LAMBDA - r) for r in found], evaluate=False)
        info.update({"factor": f, "multiplicity": m, "roots": found})
        sub = EqualityStep(rule, f, product, info=info)
        substeps.append(record(sub, same(f, sp.expand(sp.Mul(lc, *[(LAMBDA - r) for r in found])))
                                      if rule != "numeric_roots" else _numeric_judgement(poly, found)))
        for r in found:
            roots.append((r, m, rule == "numeric_roots"))
    merged: dict = {}
    for r, m, numeric in roots:  # a root can appear in two factors only numerically; keep them apart
        key = r
        if key in merged:
            merged[key] = (merged[key][0] + m, numeric)
        else:
            merged[key] = (m, numeric)
    ordered = sorted(merged.items(), key=lambda kv: _order_key(kv[0]))
    result = [(r, m, numeric) for r, (m, numeric) in ordered]
    product = sp.Mul(*([lead] if lead != 1 else []), *[(LAMBDA - r) ** m for r, (m, _) in ordered], evaluate=False)
    step = EqualityStep("solve_characteristic", polynomial, product, tuple(substeps),
                   info={"roots": [(r, m) for r, m, _ in result], "numeric": any(x[2] for x in result)})
    if step.info["numeric"]:
        record(step, _numeric_judgement(sp.Poly(polynomial, LAMBDA), [r for r, m, _ in result
                                                                            for _ in range(m)]))
    else:
        record(step, same(polynomial, sp.expand(sp.Mul(lead, *[(LAMBDA - r) ** m for r, (m, _) in ordered]))))
    return step, result


def _order_key(r):
    if r.free_symbols:
        return (1, 0.0, 0.0, str(r))
    c = complex(sp.N(r))
    return (0, round(c.real, 12), round(c.imag, 12), "")


def _roots_of(poly: sp.Poly):
    """Roots of one irreducible factor: linear, quadratic formula, closed form (degree 3-4), or numeric."""
    d = poly.degree()
    coeffs = poly.all_coeffs()
    if d == 1:
        b, c = coeffs
        return [simp(-c / b)], "linear_root", {"a": b, "b": c}
    if d == 2:
        a2, b, c = coeffs
        disc = simp(b ** 2 - 4 * a2 * c)
        root = sp.sqrt(disc)
        found = [simp((-b - root) / (2 * a2)), simp((-b + root) / (2 * a2))]
        found = [sp.radsimp(r) if not r.free_symbols else sp.simplify(r) for r in found]
        return found, "quadratic_formula", {"a": a2, "b": b, "c": c, "discriminant": disc,
                                            "complex": bool(disc.is_negative)}
    if d <= 4 and poly.free_symbols - {LAMBDA}:
        closed = sp.roots(poly, multiple=True)
        if len(closed) == d and sum(sp.count_ops(r) for r in closed) <= READABLE_OPS * d:
            return closed, "closed_form_roots", {"degree": d}
    if poly.free_symbols - {LAMBDA}:
        raise GradwiseError(f"the factor {poly.as_expr()} of the characteristic polynomial has degree {d} "
                            "and no readable closed form in its symbols; give the symbols values")
    found = [sp.Float(r, NUMERIC_DIGITS) if r.is_real else
             sp.Float(sp.re(r), NUMERIC_DIGITS) + sp.I * sp.Float(sp.im(r), NUMERIC_DIGITS)
             for r in poly.nroots(n=NUMERIC_DIGITS + 15, maxsteps=200)]
    residual = max(abs(complex(poly.eval(r))) for r in found)  # safe: Poly.eval evaluates a polynomial
    return found, "numeric_roots", {"degree": d, "digits": NUMERIC_DIGITS, "residual": residual}


def _numeric_judgement(poly: sp.Poly, roots) -> "Judgement":
    from gradwise.derivations.equivalence import Judgement
    coeffs = np.array([complex(c) for c in poly.all_coeffs()])
    scale = max(1.0, float(np.max(np.abs(coeffs))))
    worst = max(abs(complex(np.polyval(coeffs, complex(r)))) for r in roots)
    bound = ROOT_RESIDUAL * scale * max(1.0, max(abs(complex(r)) for r in roots)) ** poly.degree()
    return Judgement(worst <= bound, "numeric", points=len(roots), reason=f"largest |p(r)| = {worst:.1e}")


# ----------------------------------------------------------------------------------------------------
# Eigenvectors

def _eigenvectors(a, value, multiplicity: int, numeric: bool) -> EigenValue:
    n = a.rows
    shifted = sp.ImmutableMatrix(a - LAMBDA * sp.eye(n))
    if numeric:
        return _numeric_eigenvectors(a, value, multiplicity)
    m = sp.ImmutableMatrix((a - value * sp.eye(n)).applyfunc(simp))
    substitute = record(EqualityStep("substitute", shifted, m, info={"value": value}),
                               same(shifted.subs(LAMBDA, value).applyfunc(simp), m))
    reduce = rref_steps(m)
    pivots, free = reduce.info["pivots"], reduce.info["free"]
    basis = null_space(reduce.after, pivots, free)
    if not basis:
        raise GradwiseError(f"A − ({value})I reduced to the identity: the eigenvalue {value} has no eigenvector "
                            "for general values of the symbols (it may for special values)")
    zero = sp.zeros(n, 1)
    nulls = [record(EqualityStep("null_space", sp.MatMul(m, v, evaluate=False), sp.ImmutableMatrix(zero),
                                   info={"vector": v}), same((m * v).applyfunc(simp), sp.ImmutableMatrix(zero)))
             for v in basis]
    verifies = []
    for v in basis:
        left = (a * v).applyfunc(simp)
        verifies.append(record(EqualityStep("verify_eigenvector", left, (value * v).applyfunc(simp),
                                              info={"vector": v, "value": value}), same(left, (value * v).applyfunc(simp))))
    geometric = len(basis)
    step = EqualityStep("eigenvectors", shifted, sp.ImmutableMatrix(sp.Matrix.hstack(*basis)),
                   (substitute, reduce, *nulls, *verifies),
                   info={"value": value, "algebraic": multiplicity, "geometric": geometric,
                         "free": free, "pivots": pivots, "assumptions": tuple(reduce.info["assumptions"])})
    record(step, same(sp.Integer(geometric), sp.Integer(n - _rank(m))))
    return EigenValue(value, multiplicity, geometric, basis, step, False, tuple(reduce.info["assumptions"]))


def _rank(m) -> int:
    """Rank by SymPy (independent of our row reduction)."""
    return sp.Matrix(m).rank(iszerofunc=is_zero, simplify=simp)


def _numeric_eigenvectors(a, value, multiplicity) -> EigenValue:
    n = a.rows
    arr = np.array(a.evalf(), dtype=complex)
    lam = complex(value)
    _, s, vh = np.linalg.svd(arr - lam * np.eye(n))
    tol = NULL_SPACE_RANK * max(1.0, float(s[0]))
    k = max(1, int(np.sum(s <= tol)))
    vectors = []
    for row in vh[-k:]:
        v = row.conj()
        v = v / v[np.argmax(np.abs(v))]  # largest entry 1
        vec = [sp.Float(x.real, NUMERIC_DIGITS) + (sp.I * sp.Float(x.imag, NUMERIC_DIGITS) if abs(x.imag) > IMAGINARY_ROUNDING else 0)
               for x in v]
        vectors.append(sp.ImmutableMatrix(vec))
    residual = max(float(np.linalg.norm(arr @ np.array([complex(x) for x in v]) - lam * np.array([complex(x) for x in v])))
                   for v in vectors)
    from gradwise.derivations.equivalence import Judgement
    verify = record(EqualityStep("numeric_null_space", sp.ImmutableMatrix(a - LAMBDA * sp.eye(n)),
                                   sp.ImmutableMatrix(sp.Matrix.hstack(*vectors)),
                                   info={"value": value, "residual": residual, "singular_values": [float(x) for x in s]}),
                           Judgement(residual < EIGENVECTOR_RESIDUAL * max(1.0, float(np.max(np.abs(arr)))), "numeric", points=len(vectors),
                                     reason=f"‖Av − λv‖ = {residual:.1e}"))
    step = EqualityStep("eigenvectors", verify.before, verify.after, (verify,),
                   info={"value": value, "algebraic": multiplicity, "geometric": k, "numeric": True,
                         "residual": residual})
    step.checked(verify.check)
    return EigenValue(value, multiplicity, k, vectors, step, True)


# ----------------------------------------------------------------------------------------------------
# Checks shown to the reader

def _trace_check(a, values: list[EigenValue]) -> EqualityStep:
    terms = [v.value for v in values for _ in range(v.algebraic_multiplicity)]
    total = simp(sum(terms, sp.S.Zero))
    step = EqualityStep("trace_check", sp.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0],
                   simp(a.trace()), info={"terms": terms, "sum": total})
    return record(step, same(total, step.after))


def _det_check(a, values: list[EigenValue]) -> EqualityStep:
    terms = [v.value for v in values for _ in range(v.algebraic_multiplicity)]
    product = simp(sp.Mul(*terms))
    step = EqualityStep("determinant_check", sp.Mul(*terms, evaluate=False) if len(terms) > 1 else terms[0],
                   simp(a.det(method="berkowitz")), info={"terms": terms, "product": product})
    return record(step, same(product, step.after))


def _orthogonality(values: list[EigenValue]) -> EqualityStep | None:
    """A symmetric matrix: eigenvectors of different eigenvalues are orthogonal (vᵢ·vⱼ = 0)."""
    pairs = []
    for i, x in enumerate(values):
        for y in values[i + 1:]:
            for u in x.eigenvectors:
                for w in y.eigenvectors:
                    pairs.append((u, w, simp((u.T * w)[0])))
    if not pairs:
        return None
    step = EqualityStep("orthogonality_check", sp.ImmutableMatrix([p[2] for p in pairs]),
                   sp.ImmutableMatrix([0] * len(pairs)), info={"pairs": pairs})
    return record(step, same(step.before, step.after))


def _diagonalise(a, values: list[EigenValue]) -> EqualityStep | None:
    """A = P·D·P⁻¹ when the eigenvectors span the space (exact eigenvalues only)."""
    if any(v.numeric or v.geometric_multiplicity < v.algebraic_multiplicity for v in values):
        return None
    columns = [vec for v in values for vec in v.eigenvectors]
    p = sp.ImmutableMatrix(sp.Matrix.hstack(*columns))
    d = sp.ImmutableMatrix(sp.diag(*[v.value for v in values for _ in v.eigenvectors]))
    try:
        p_inv = sp.ImmutableMatrix(p.inv().applyfunc(sp.simplify))
    except (ValueError, ZeroDivisionError):
        return None
    product = sp.ImmutableMatrix((p * d * p_inv).applyfunc(sp.simplify))
    step = EqualityStep("diagonalise", sp.MatMul(p, d, p_inv, evaluate=False), product,
                   info={"P": p, "D": d, "P_inv": p_inv})
    return record(step, same(product, sp.ImmutableMatrix(a)))
