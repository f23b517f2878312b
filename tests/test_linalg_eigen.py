"""Eigen-derivations compared with numpy.linalg (eig/eigh) and SymPy, over generated matrices; every
shown step must carry a passing check."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings, strategies as st

from gradwise.derivations.linalg.eigen import LAMBDA, eigen
from gradwise.errors import GradwiseError

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_all_checked(e):
    for top in e.steps:
        for s in top.walk():
            j = e.check_of(s)
            assert j is not None, f"step {s.rule} was not checked"
            assert j.equal is True, f"step {s.rule} failed: {j}"


def assert_matches_numpy(e, a):
    arr = np.array(a.tolist(), dtype=float)
    # sorted by the real part rounded, then the imaginary part: a conjugate pair and a real eigenvalue with
    # the same real part (2 ± 4.36i and 2) would otherwise sort by rounding noise in the real part
    def _sorted(values):
        return np.array(sorted(values, key=lambda c: (round(c.real, 6), round(c.imag, 6))))
    ours = _sorted([complex(sp.N(v)) for v in e.values()])
    ref = _sorted(np.linalg.eigvals(arr))
    assert len(ours) == arr.shape[0]
    # repeated eigenvalues are ill-conditioned numerically (error ~ eps^(1/m)): compare loosely there
    tol = 1e-6 if len(set(np.round(ours, 6))) == len(ours) else 1e-3
    assert np.allclose(ours, ref, atol=tol * max(1.0, np.abs(ref).max())), (ours, ref)
    for v in e.eigenvalues:
        lam = complex(sp.N(v.value))
        for vec in v.eigenvectors:
            x = np.array([complex(sp.N(c)) for c in vec])
            assert np.linalg.norm(x) > 0
            assert np.allclose(arr @ x, lam * x, atol=1e-6 * max(1.0, np.abs(arr).max()) * np.linalg.norm(x))
        if not v.numeric:  # geometric multiplicity = dim null(A − λI), by SymPy
            assert v.geometric_multiplicity == len((sp.Matrix(a) - v.value * sp.eye(a.rows)).nullspace(simplify=True))
    assert sum(v.algebraic_multiplicity for v in e.eigenvalues) == a.rows


def unimodular(draw, n):
    """An integer matrix with an integer inverse (unit lower times unit upper triangular)."""
    lower = sp.eye(n)
    upper = sp.eye(n)
    for i in range(n):
        for j in range(i):
            lower[i, j] = draw(st.integers(-2, 2))
            upper[j, i] = draw(st.integers(-2, 2))
    return lower * upper


@st.composite
def similar_to_jordan(draw, n_min=2, n_max=4):
    """P J P⁻¹ with J in Jordan form: repeated eigenvalues and (when a block is > 1) defective matrices."""
    n = draw(st.integers(n_min, n_max))
    values = draw(st.lists(st.integers(-3, 3), min_size=n, max_size=n))
    j = sp.diag(*values)
    for i in range(n - 1):
        if values[i] == values[i + 1] and draw(st.booleans()):
            j[i, i + 1] = 1
    p = unimodular(draw, n)
    return sp.ImmutableMatrix(p * j * p.inv())


ints = st.integers(-6, 6)


@SETTINGS
@given(st.integers(2, 3).flatmap(lambda n: st.lists(st.lists(ints, min_size=n, max_size=n), min_size=n, max_size=n)))
def test_integer_matrices_match_numpy(rows):
    a = sp.ImmutableMatrix(rows)
    e = eigen(a)
    assert_all_checked(e)
    assert_matches_numpy(e, a)
    assert sp.expand(e.polynomial - (-1) ** a.rows * a.charpoly(LAMBDA).as_expr()) == 0


@SETTINGS
@given(similar_to_jordan())
def test_repeated_and_defective(a):
    e = eigen(a)
    assert_all_checked(e)
    assert_matches_numpy(e, a)
    ref = sp.Matrix(a).eigenvects()
    assert {(v, m, len(vs)) for v, m, vs in ref} == {(v.value, v.algebraic_multiplicity, v.geometric_multiplicity)
                                                     for v in e.eigenvalues}
    assert e.defective == (not sp.Matrix(a).is_diagonalizable())
    assert (e.diagonalisation is not None) == sp.Matrix(a).is_diagonalizable()


@SETTINGS
@given(st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=4), min_size=4, max_size=4))
def test_rational_2x2(entries):
    a = sp.ImmutableMatrix(2, 2, [sp.Rational(f.numerator, f.denominator) for f in entries])
    e = eigen(a)
    assert_all_checked(e)
    assert_matches_numpy(e, a)


@SETTINGS
@given(st.lists(ints, min_size=6, max_size=6))
def test_symmetric_matches_eigh(entries):
    a, b, c, d, f, g = entries
    m = sp.ImmutableMatrix([[a, b, c], [b, d, f], [c, f, g]])
    e = eigen(m)
    assert_all_checked(e)
    assert e.symmetric and not e.has_complex
    ours = np.sort([float(sp.re(sp.N(v))) for v in e.values()])
    assert np.allclose(ours, np.linalg.eigvalsh(np.array(m.tolist(), dtype=float)), atol=1e-6)


@pytest.mark.parametrize("a,b", [(1, 2), (0, 1), (3, -4)])
def test_complex_pair(a, b):
    m = sp.ImmutableMatrix([[a, -b], [b, a]])
    e = eigen(m)
    assert_all_checked(e)
    assert e.has_complex
    assert {v.value for v in e.eigenvalues} == {a + b * sp.I, a - b * sp.I}
    solve = e.step("solve_characteristic")
    assert solve.substeps[0].rule == "quadratic_formula" and solve.substeps[0].info["complex"]


def test_singular_matrix_has_eigenvalue_zero():
    m = sp.ImmutableMatrix([[1, 2, 3], [2, 4, 6], [1, 0, 1]])
    e = eigen(m)
    assert_all_checked(e)
    assert 0 in [v.value for v in e.eigenvalues]
    assert_matches_numpy(e, m)


@pytest.mark.parametrize("n,seed", [(5, 1), (6, 2)])
def test_large_matrices_are_numeric_with_residuals(n, seed):
    rng = np.random.default_rng(seed)
    m = sp.ImmutableMatrix(rng.integers(-4, 5, (n, n)).tolist())
    e = eigen(m)
    assert_all_checked(e)
    assert_matches_numpy(e, m)
    if e.numeric:
        rules = [s.rule for s in e.step("solve_characteristic").substeps]
        assert "numeric_roots" in rules


def test_symbolic_entries_match_sympy():
    a, b = sp.symbols("a b", real=True)
    for m in (sp.ImmutableMatrix([[a, b], [b, a]]), sp.ImmutableMatrix([[a, 1], [0, b]]),
              sp.ImmutableMatrix([[a, b, 0], [b, a, 0], [0, 0, a]])):
        e = eigen(m)
        assert_all_checked(e)
        ours = {v.value: v.algebraic_multiplicity for v in e.eigenvalues}
        ref = sp.Matrix(m).eigenvals()
        assert {sp.expand(k): v for k, v in ours.items()} == {sp.expand(k): v for k, v in ref.items()}
        for v in e.eigenvalues:
            for vec in v.eigenvectors:
                assert sp.simplify(m * vec - v.value * vec) == sp.zeros(m.rows, 1)


def test_symbolic_text_input():
    e = eigen("[[a,b],[b,a]]")
    assert sorted(str(v.value) for v in e.eigenvalues) == ["a + b", "a - b"]


@pytest.mark.parametrize("text,message", [("[[1,2],[3,4],[5,6]]", "square"), ("[[1,2],[3]]", "different lengths"),
                                          ("[[lambda,1],[1,2]]", "λ"), ("[[1,2],[3,4", "end"),
                                          ("[[__import__('os')]]", None)])
def test_bad_input(text, message):
    with pytest.raises(GradwiseError, match=message):
        eigen(text)


def test_trace_and_determinant_checks_are_shown():
    e = eigen("[[4,1],[2,3]]")
    assert e.step("trace_check").after == 7 and e.step("determinant_check").after == 10


A_, B_, C_ = sp.symbols("a b c", real=True)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([A_, B_, C_, 0, 1, 2, -1, A_ + 1, 2 * B_]), min_size=3, max_size=3),
       st.booleans())
def test_generated_symbolic_matrices_match_sympy(entries, upper):
    """Symbolic 2x2 (symmetric) and 3x3 triangular matrices: eigenvalues as SymPy's, A·v = λ·v exactly."""
    x, y, z = entries
    m = sp.ImmutableMatrix([[x, y], [y, z]]) if not upper else sp.ImmutableMatrix([[x, y, 1], [0, z, y], [0, 0, x]])
    try:
        e = eigen(m)
    except GradwiseError as exc:  # an eigenvalue with no eigenvector for general symbol values is refused
        assert "no eigenvector" in str(exc) or "closed form" in str(exc)
        return
    assert_all_checked(e)
    lam = sp.Symbol("t")
    ours = sp.Mul(*[(lam - v.value) ** v.algebraic_multiplicity for v in e.eigenvalues])
    ref = sp.Mul(*[(lam - k) ** m_ for k, m_ in sp.Matrix(m).eigenvals().items()])
    assert sp.simplify(sp.expand(ours) - sp.expand(ref)) == 0  # the same roots (√(a²) may read |a|)
    for v in e.eigenvalues:
        for vec in v.eigenvectors:
            assert sp.simplify(m * vec - v.value * vec) == sp.zeros(m.rows, 1)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(4, 6).flatmap(lambda n: st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n),
                                                    min_size=n, max_size=n)))
def test_generated_4x4_to_6x6_match_numpy(rows):
    a = sp.ImmutableMatrix(rows)
    e = eigen(a)
    assert_all_checked(e)
    assert_matches_numpy(e, a)


def test_diagonal_form_is_written_without_dots():
    from gradwise.explainer import explain
    from gradwise.renderers.latex import render as latex_render
    from gradwise.renderers.text import render as text_render
    doc = explain(eigen("[[2,1],[1,2]]"))
    text, tex = text_render(doc), latex_render(doc)
    assert "A = P D P⁻¹" in text and "P·D" not in text
    assert "diagonalisable: $A = P D P^{-1}$." in tex and r"P\ensuremath{\cdot}D" not in tex
