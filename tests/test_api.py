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
