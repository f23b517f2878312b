"""matgrad: parsing with shapes, each differential rule, the gradient form, checks, errors, CLI, JSON."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from gradwise.cli import main
from gradwise.errors import GradwiseError
from gradwise.derivations.matrix_calculus import checking, expressions as e
from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
from gradwise.derivations.matrix_calculus.differentials import differential_rule
from gradwise.derivations.matrix_calculus.notation import text
from gradwise.derivations.matrix_calculus.parsing import parse_matrix, parse_shapes
from gradwise.errors import GradwiseError, InputError


# ---------------------------------------------------------------- parsing and shapes

@pytest.mark.parametrize("source, shown", [
    ("x^T A x", "xᵀ A x"), ("x^TAx", "xᵀ A x"), ("x' A x", "xᵀ A x"), ("X^{-1}", "X⁻¹"), ("inv(X)", "X⁻¹"),
    ("log(det(X))", "log det(X)"), ("norm(x)^2", "‖x‖²"), ("‖X‖_F", "‖X‖_F"), ("X^-T", "X⁻ᵀ"),
    ("alpha x^T x", "α xᵀ x"), ("sigmoid(w^T x)", "σ(wᵀ x)"),
])
def test_parse_and_print(source, shown):
    assert text(parse_matrix(source).tree) == shown


def test_shapes_are_inferred_and_declared():
    p = parse_matrix("(A x - b)^T (A x - b)")
    assert p.shapes["A"][1] == p.shapes["x"][0] and p.shapes["b"][0] == p.shapes["A"][0]
    assert parse_matrix("x^T A x", parse_shapes("A=3x3")).shapes["x"] == (3, 1)
    assert parse_matrix("alpha", {}).shapes["alpha"] == (1, 1)


@pytest.mark.parametrize("source, words", [
    ("x A", "product x · A"), ("A x + y^T", "sum"), ("tr(x)", "square"), ("x^2", "power of a vector"),
    ("foo(x)", "unknown function"), ("x ^ Q", "unsupported exponent"), ("norm(X, 2)", "spectral"),
    ("x / y", "division by a vector"), ("(x", "expected ')'"), ("x $ y", "unexpected character"),
    ("\\frac{1}{2}", "LaTeX"), ("tr(I) x^T x", "size of I"),
])
def test_errors_are_one_line_with_a_column(source, words):
    with pytest.raises(InputError) as info:
        parse_matrix(source)
    assert words in str(info.value) and "\n" not in str(info.value) and "column" in str(info.value)


def test_declared_shape_mismatch_names_the_product():
    with pytest.raises(InputError, match="product A · x"):
        parse_matrix("A x", parse_shapes("A=3x4,x=3"))


def test_a_differential_too_large_to_show_is_refused():
    with pytest.raises(GradwiseError, match="too large"):
        matrix_gradient("tr(" + " ".join(["X"] * 300) + ")", "X")


def test_hostile_input_is_bounded():
    with pytest.raises(InputError):
        parse_matrix("(" * 500 + "x" + ")" * 500)
    with pytest.raises(InputError):
        parse_matrix("x" * 20_000)


# ---------------------------------------------------------------- rules

X = e.var("X", ("n", "n"))
x = e.var("x", ("n", 1))
A = e.var("A", ("n", "n"))


@pytest.mark.parametrize("u, rule", [
    (e.mul(A, X), "constant_factor"), (e.mul(X, X), "product"), (e.T(X), "transpose"), (e.inv(X), "inverse"),
    (e.Trace((X,)), "trace"), (e.Det((X,)), "determinant"), (e.LogDet((X,)), "log_determinant"),
    (e.add(X, A), "sum"), (e.Norm((x,)), "norm"), (e.power(e.Norm((x,)), 2), "squared_norm"),
    (e.func("exp", x), "exp"), (e.func("log", x), "log"), (e.func("tanh", x), "tanh"),
    (e.func("sigmoid", x), "sigmoid"), (e.func("relu", x), "relu"), (e.Sum((X,)), "sum_entries"),
    (e.Softmax((x,)), "softmax"), (e.LogSumExp((x,)), "logsumexp"), (e.func("log", e.Softmax((x,))), "log_softmax"),
    (e.hadamard(x, x), "hadamard"), (e.power(e.Trace((X,)), 3), "power"), (A, "constant"),
])
def test_each_rule_is_chosen_and_agrees_with_finite_differences(u, rule):
    wrt = x if e.contains(u, x) else X
    got, replacement = differential_rule(u, wrt)
    assert got == rule
    if rule == "constant":
        return
    f = e.Sum((u,))   # a scalar with the same differential structure
    sizes = checking.sizes_for(f)
    samples = checking.samples(f, wrt, sizes)
    assert checking.check_line(e.Sum((replacement,)), f, wrt, samples, sizes).valid


def test_a_wrong_rule_fails_its_check():
    f = e.LogDet((X,))
    sizes = checking.sizes_for(f)
    samples = checking.samples(f, X, sizes)
    wrong = e.Trace((e.mul(X, e.d(X)),))      # tr(X dX) instead of tr(X⁻¹ dX)
    assert not checking.check_line(wrong, f, X, samples, sizes).valid


# ---------------------------------------------------------------- the issue's examples

@pytest.mark.parametrize("f, wrt, result", [
    ("x^T A x", "x", "(A + A.T)*x"),
    ("(A x - b)^T (A x - b)", "x", "2*A.T*(A*x - b)"),
    ("log(det(X))", "X", "X.T**(-1)"),
    ("-y^T log(softmax(W x))", "W", "((y.T*OneMatrix(n, 1))*softmax(W*x) - y)*x.T"),
])
def test_issue_examples(f, wrt, result):
    g = matrix_gradient(f, wrt)
    assert str(g.result) == result
    assert g.result_check.valid and g.result_check.max_error < 1e-6
    assert all(s.check is not None and s.check.valid for s in g.steps)


def test_cross_entropy_matches_the_softmax_minus_label_formula():
    g = matrix_gradient("-y^T log(softmax(W x))", "W").compile()
    rng = np.random.default_rng(0)
    y, W, x = np.eye(3)[1], rng.standard_normal((3, 4)), rng.standard_normal(4)
    z = np.exp(W @ x)
    s = z / z.sum()
    assert np.allclose(g(y, W, x), np.outer(s - y, x))


def test_non_differentiable_points_are_named():
    assert any("not differentiable where x − a = 0" in n for n in matrix_gradient("norm(x - a)", "x").notes)
    assert any("relu" in n and "H(0) = 0" in n for n in matrix_gradient("y^T relu(W x)", "W").notes)
    grad = matrix_gradient("norm(x)", "x").compile()
    with pytest.raises(GradwiseError, match="not defined .*at this point.*‖x‖"):
        grad(np.zeros(3))
    assert np.allclose(matrix_gradient("sum(relu(x))", "x").compile()(np.array([0.0, 1.0, -1.0])), [0, 1, 0])


def test_a_scalar_added_to_a_vector_means_the_ones_vector():
    g = matrix_gradient("λ norm(w)^2 + sum(log(1 + exp(-y ⊙ (X w))))", "w")
    rng = np.random.default_rng(2)
    lam, w, y, X_ = 0.3, rng.standard_normal(3), np.sign(rng.standard_normal(4)), rng.standard_normal((4, 3))
    margin = y * (X_ @ w)
    expected = 2 * lam * w - X_.T @ (y / (1 + np.exp(margin)))      # logistic regression with L2
    assert np.allclose(g.compile()(lam, w, y, X_), expected)
    assert not any("positive entries" in n for n in g.notes)     # 1 + exp(...) is always positive
    assert any("positive entries" in n for n in matrix_gradient("sum(log(x))", "x").notes)


def test_request_errors():
    with pytest.raises(GradwiseError, match="scalar function"):
        matrix_gradient("A x", "x")
    with pytest.raises(GradwiseError, match="several variables"):
        matrix_gradient("x^T A x")
    with pytest.raises(GradwiseError, match="does not contain the variable q"):
        matrix_gradient("x^T A x", "q")
    with pytest.raises(GradwiseError, match="no variables"):
        matrix_gradient("1 + 2")


def test_shapes_from_python_are_checked_and_sizes_cannot_clobber_names():
    with pytest.raises(InputError):
        matrix_gradient("x^T x", "x", shapes={"x": ("n; import os", 1)})
    g = matrix_gradient("x^T A x", "x", shapes={"A": ("x", "x")})      # a size named like a variable
    assert np.allclose(g.compile()(np.ones(2), np.eye(2)), [2, 2])


def test_compile_and_numpy_code():
    g = matrix_gradient("x^T A x", "x")
    grad = g.compile()
    A_, x_ = np.arange(9.0).reshape(3, 3), np.array([1.0, 2.0, 3.0])
    assert np.allclose(grad(x_, A_), (A_ + A_.T) @ x_)
    assert grad.value(x_, A_) == pytest.approx(x_ @ A_ @ x_)
    assert "def grad_x(x, A):" in g.numpy_code() and "denominator layout" in g.numpy_code()


names = st.sampled_from(["x", "y"])
linear = st.sampled_from(["A x", "B x", "x", "A^T x", "A B x"])


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(linear, linear), min_size=1, max_size=3))
def test_sums_of_quadratic_forms_are_checked(pairs):
    f = " + ".join(f"({a})^T ({b})" for a, b in pairs)
    g = matrix_gradient(f, "x")
    assert g.result_check.valid
    assert e.shape(g.result) == g.variable.shape


# ---------------------------------------------------------------- CLI and JSON

@pytest.mark.parametrize("f, wrt, answer", [
    ("x^T A x", "x", "∂f/∂x = (A + Aᵀ) x"),
    ("(A x - b)^T (A x - b)", "x", "∂f/∂x = 2 Aᵀ (A x − b)"),
    ("log(det(X))", "X", "∂f/∂X = X⁻ᵀ"),
    ("-y^T log(softmax(W x))", "W", "∂f/∂W = ((yᵀ 1) softmax(W x) − y) xᵀ"),
])
@pytest.mark.parametrize("detail", ["brief", "standard", "full"])
def test_issue_examples_read_at_80_columns(capsys, f, wrt, answer, detail):
    assert main(["matgrad", f, "--wrt", wrt, "--detail", detail]) == 0
    out = capsys.readouterr().out
    assert answer in out and "denominator" in out and "Checked:" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert ("1.1 " in out) == (detail != "brief")          # brief collapses the rules


def test_cli_text_json_numpy_and_errors(capsys):
    assert main(["matgrad", "x^T A x", "--wrt", "x"]) == 0
    out = capsys.readouterr().out
    assert "denominator" in out and "(A + Aᵀ) x" in out and "Product rule for differentials" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert main(["matgrad", "log(det(X))", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "matrix_gradient" and data["layout"] == "denominator" and data["result"] == "X.T**(-1)"
    assert data["steps"][0]["rule"] == "log_determinant" and data["steps"][0]["check"]["valid"]
    assert main(["matgrad", "x^T A x", "--wrt", "x", "--format", "numpy"]) == 0
    assert "import numpy as np" in capsys.readouterr().out
    assert main(["matgrad", "x A"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "product x · A" in err


# ---------------------------------------------------------------- random expressions

def _vectors():
    leaves = st.sampled_from(["x", "A x", "A^T x", "b", "B x + b"])
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(st.sampled_from(["exp", "tanh", "sigmoid", "softmax"]), inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} + {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]}) ⊙ ({t[1]})"),
        inner.map(lambda v: f"A ({v})"),
        inner.map(lambda v: f"alpha ({v})")), max_leaves=4)


def _scalars():
    return st.one_of(
        st.tuples(_vectors(), _vectors()).map(lambda t: f"({t[0]})^T ({t[1]})"),
        _vectors().map(lambda v: f"sum({v})"), _vectors().map(lambda v: f"norm({v})^2"),
        _vectors().map(lambda v: f"logsumexp({v})"))


@settings(max_examples=25, deadline=None)
@given(st.lists(_scalars(), min_size=1, max_size=2))
def test_random_expressions_derive_with_every_line_checked(parts):
    f = " + ".join(parts)
    if not re.search(r"(?<![A-Za-z])x(?![A-Za-z])", f):
        f += " + x^T x"
    g = matrix_gradient(f, "x")          # an EngineError here is a line that failed its check
    assert g.result_check.valid and all(s.check is not None and s.check.valid for s in g.steps)
    assert e.shape(g.result) == g.variable.shape
    # the generated NumPy code, on its own: its gradient against finite differences of its value
    grad = g.compile()
    rng = np.random.default_rng(5)
    values = [0.7 if v.shape == (1, 1) else rng.uniform(0.5, 1.5, (3, 3) if v.shape[1] != 1 else 3)
              for v in e.variables(g.expression)]
    names = [v.name for v in e.variables(g.expression)]
    k = names.index("x")
    direction, h = rng.standard_normal(3), 1e-6
    plus, minus = list(values), list(values)
    plus[k], minus[k] = values[k] + h * direction, values[k] - h * direction
    try:
        numeric = (grad.value(*plus) - grad.value(*minus)) / (2 * h)
        analytic = grad(*values) @ direction
    except GradwiseError as exc:   # exp(exp(A A x)) overflows at this point: the code says so, by name
        assert "overflows" in str(exc)
        assume(False)
    assert np.isclose(analytic, numeric, rtol=1e-5, atol=1e-6)


def _matrices():
    leaves = st.sampled_from(["X", "A", "X^T", "X^-1", "A X", "X B", "I"])
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda t: f"({t[0]}) ({t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} + {t[1]})"),
        inner.map(lambda m: f"({m})^T"), inner.map(lambda m: f"tanh({m})"), inner.map(lambda m: f"({m}) ⊙ X"),
        inner.map(lambda m: f"tr({m}) X")), max_leaves=4)


@settings(max_examples=25, deadline=None)
@given(st.one_of(_matrices().map(lambda m: f"tr({m})"), _matrices().map(lambda m: f"a^T ({m}) b"),
                 _matrices().map(lambda m: f"norm({m}, F)^2"), _matrices().map(lambda m: f"sum({m})")))
def test_random_matrix_expressions_derive_with_every_line_checked(f):
    if not re.search(r"(?<![A-Za-z])X(?![A-Za-z])", f):
        f += " + tr(X)"
    try:
        g = matrix_gradient(f, "X")
    except InputError as exc:      # tr(I) alone: the size of I is not determined, said so clearly
        assert "size of I" in str(exc)
        return
    assert g.result_check.valid and e.shape(g.result) == g.variable.shape


def test_a_scalar_factor_inside_a_product_is_an_inner_product():
    # found by the random search above: aᵀ (tr(A X) X) b has the scalar tr(A X) in the middle of a chain
    g = matrix_gradient("a^T (tr(A X) X) b", "X")
    rng = np.random.default_rng(3)
    a, b, A_, X_ = rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    expected = (a @ X_ @ b) * A_.T + np.trace(A_ @ X_) * np.outer(a, b)
    assert np.allclose(g.compile()(a, A_, X_, b), expected)
