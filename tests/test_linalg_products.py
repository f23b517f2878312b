"""Dot products, matrix products and determinants against numpy.linalg and SymPy; every step checked."""
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings, strategies as st

from gradwise.derivations.linalg.determinant import determinant
from gradwise.derivations.linalg.products import matmul
from gradwise.derivations.linalg.vectors import dot
from gradwise.errors import GradwiseError

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ints = st.integers(-9, 9)


def assert_all_checked(result, steps):
    for top in steps:
        for s in top.walk():
            j = result.check_of(s)
            assert j is not None and j.equal is True, (s.rule, j)


def square(n_min=1, n_max=5):
    return st.integers(n_min, n_max).flatmap(
        lambda n: st.lists(st.lists(ints, min_size=n, max_size=n), min_size=n, max_size=n))


@SETTINGS
@given(square(), st.sampled_from(["auto", "cofactor", "rows"]))
def test_determinant_matches_numpy(rows, method):
    d = determinant(sp.ImmutableMatrix(rows), method=method)
    assert_all_checked(d, d.steps)
    assert d.value == sp.Matrix(rows).det()
    assert abs(float(d.value) - np.linalg.det(np.array(rows, dtype=float))) <= 1e-6 * max(1.0, abs(float(d.value)))


def test_determinant_expands_along_the_line_with_most_zeros():
    d = determinant("[[2,0,1],[1,3,2],[1,1,1]]")
    assert d.tree.rule == "cofactor_expansion" and d.value == 0
    d = determinant("[[1,2,3],[0,4,5],[0,6,7]]", method="cofactor")
    assert (d.tree.info["line"], d.tree.info["index"]) == ("column", 0) and d.value == -2
    assert len(d.tree.substeps) == 1  # zeros drop out


def test_symbolic_determinant_matches_sympy():
    a, b, c, x = sp.symbols("a b c x", real=True)
    m = sp.ImmutableMatrix([[a, b, c], [c, a, b], [b, c, x]])
    d = determinant(m)
    assert_all_checked(d, d.steps)
    assert sp.expand(d.value - m.det()) == 0


def test_determinant_needs_a_square_matrix():
    with pytest.raises(GradwiseError, match="square"):
        determinant("[[1,2,3],[4,5,6]]")


@SETTINGS
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(st.lists(ints, min_size=n, max_size=n),
                                                     st.lists(ints, min_size=n, max_size=n))))
def test_dot_matches_numpy(uv):
    u, v = uv
    d = dot(u, v)
    assert_all_checked(d, d.steps)
    assert d.value == int(np.dot(u, v))
    nu, nv = np.linalg.norm(u), np.linalg.norm(v)
    if nu and nv:
        assert float(d.cosine) == pytest.approx(np.dot(u, v) / (nu * nv), abs=1e-12)
        assert float(d.angle) == pytest.approx(np.arccos(np.clip(np.dot(u, v) / (nu * nv), -1, 1)), abs=1e-6)
    else:
        assert d.cosine is None
    if nv:
        assert np.allclose([float(x) for x in d.projection], np.dot(u, v) / np.dot(v, v) * np.array(v))


def test_dot_symbolic_and_errors():
    d = dot("[a,b]", "[c,d]")
    a, b, c, e = sp.symbols("a b c d", real=True)
    assert sp.expand(d.value - (a * c + b * e)) == 0
    with pytest.raises(GradwiseError, match="different lengths"):
        dot("[1,2]", "[1,2,3]")
    with pytest.raises(GradwiseError, match="vector"):
        dot("[[1,2],[3,4]]", "[1,2]")


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.data())
def test_matmul_matches_numpy(n, k, m, data):
    a = data.draw(st.lists(st.lists(ints, min_size=k, max_size=k), min_size=n, max_size=n))
    b = data.draw(st.lists(st.lists(ints, min_size=m, max_size=m), min_size=k, max_size=k))
    p = matmul(a, b)
    assert_all_checked(p, p.steps)
    assert np.array_equal(np.array(p.value.tolist(), dtype=int), np.array(a) @ np.array(b))
    entries = p.step("matrix_product").substeps
    assert len(entries) == n * m
    assert (p.step("linear_combination") is not None) == (m == 1)


def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(GradwiseError, match=r"2×3 matrix by a 2×2 matrix"):
        matmul("[[1,2,3],[4,5,6]]", "[[1,2],[3,4]]")


def test_long_vectors_like_embeddings():
    rng = np.random.default_rng(3)
    u, v = rng.integers(-5, 6, 300).tolist(), rng.integers(-5, 6, 300).tolist()
    d = dot(u, v)
    assert d.value == int(np.dot(u, v))
    assert float(d.cosine) == pytest.approx(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))


def test_results_show_themselves():
    import gradwise
    e = gradwise.eigen("[[2,1],[1,2]]")
    assert "λ² - 4λ + 3" in str(e)
    assert e._repr_latex_().startswith("$$") and "= 1, 3" in e._repr_latex_()  # the answer
    assert "$$" in gradwise.determinant("[[1,2],[3,4]]")._repr_markdown_()


def test_cosine_ratio_has_one_pair_of_brackets():
    from gradwise.explainer import explain
    from gradwise.renderers.latex import render as latex_render
    from gradwise.renderers.text import render as text_render
    doc = explain(dot("[1,2,3]", "[4,5,6]"))
    text, tex = text_render(doc), latex_render(doc)
    assert "cos θ = 32/(√14·√77)" in text and "((" not in text
    assert r"32 \big/ \left(\sqrt{14} \cdot \sqrt{77}\right)" in tex and r"\left(\sqrt{14}\right)" not in tex


@given(st.integers(2, 99).filter(lambda n: int(n ** 0.5) ** 2 != n), st.integers(1, 9))
@settings(max_examples=40, deadline=None)
def test_a_root_times_a_letter_reads_back(n, k):
    from gradwise.derivations.parsing import parse, symbol
    from gradwise.printing.unicode import unicode
    x = symbol("x")
    for e in (sp.sqrt(n) * x, k * sp.sqrt(n) * x, sp.sqrt(n) * sp.sin(x)):
        assert sp.simplify(parse(unicode(e)) - e) == 0, unicode(e)   # √14·x, never √14x (= √(14x))
