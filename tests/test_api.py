"""The Python API as a notebook user meets it."""
import sympy as sp

import gradwise
from gradwise.derivations.parsing import symbol


def test_differentiate_returns_checked_derivation():
    d = gradwise.differentiate("x^2*sin(x)", "x")
    x = symbol("x")
    assert isinstance(d, gradwise.Derivation)
    assert sp.simplify(d.result - sp.diff(x**2 * sp.sin(x), x)) == 0
    assert d.steps[0].rule == "product"
    assert [s.rule for s in d.steps[0].substeps] == ["power", "trig"]


def test_derivation_shows_itself():
    d = gradwise.differentiate("x^2*sin(x)", "x")
    assert d._repr_latex_().startswith("$$") and r"\cos" in d._repr_latex_()
    assert "$$" in d._repr_markdown_()
    assert "Product rule" in str(d)


def test_sympy_input_is_accepted():
    x = symbol("x")
    d = gradwise.differentiate(sp.exp(3 * x**2), x)
    assert d.result == 6 * x * sp.exp(3 * x**2)


def test_import_is_lazy_and_listed():
    assert "differentiate" in dir(gradwise)


def test_render_takes_any_result_or_a_document():
    d = gradwise.differentiate("x^2 sin(x)", "x")
    assert gradwise.render(d, "text") == gradwise.render(gradwise.explain(d), "text")
    assert "2" in gradwise.render(d, "latex") and gradwise.render(d, "json").lstrip().startswith("{")
    assert gradwise.render(gradwise.matrix_gradient("x^T A x", "x"), "md")


def test_a_compiled_function_pickles_and_still_computes():
    import pickle

    import numpy as np

    c = gradwise.compile("sigmoid(w*x + b) + w^2")
    again = pickle.loads(pickle.dumps(c))
    X = np.array([[0.3, -1.2, 0.5], [2.0, 0.1, -0.7]])
    h = 1e-6
    fd = np.stack([(c.f(X + h * e) - c.f(X - h * e)) / (2 * h) for e in np.eye(3)], axis=-1)
    assert np.allclose(again.f(X), c.f(X)) and np.allclose(again.grad(X), fd, rtol=1e-6, atol=1e-8)
    assert np.allclose(again.hessian(X), c.hessian(X))


def test_every_result_explains_itself():
    for result in (gradwise.differentiate("x^3", "x"), gradwise.matrix_gradient("x^T x", "x"),
                   gradwise.optimize("x^2 + y^2", [1, 1], steps=2), gradwise.determinant("[[1, 2], [3, 4]]")):
        assert result.explain().blocks
