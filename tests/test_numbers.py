"""Numbers as a person writes them (printing/numbers.py, explainer/numbers.py): 3.83 × 10⁻¹⁰, never 3.83e-10.

The oracle is independent of the formatting code: the project's own parser reads the text form back, and
it must be the number rounded to the digits shown (Python's own `g` and `e` formats give those digits).
"""
import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gradwise.derivations.parsing import parse, symbol
from gradwise.explainer.numbers import readable, readable_text, readable_tuple
from gradwise.printing.latex import latex
from gradwise.printing.numbers import written
from gradwise.printing.typst import typst
from gradwise.printing.unicode import unicode
from gradwise.renderers.document import Notation
from gradwise.renderers.latex import escape_text
from gradwise.renderers.pdf import compile_typst

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


@settings(max_examples=300, deadline=None)
@given(finite, st.integers(1, 8))
def test_text_reads_back_as_the_number_rounded(v, digits):
    w = written(v, digits)
    assert "e" not in w.text and "e" not in w.latex.replace(r"\times", "") and "e" not in w.typst.replace("times", "")
    shown_digits = min(digits, 3) if w.scientific else digits
    expected = float(f"{v:.{shown_digits}g}")
    back = float(parse(w.text))
    assert math.isclose(back, expected, rel_tol=1e-12, abs_tol=0), (v, w.text)
    assert w.scientific == ("e" in f"{v:.{digits}g}" and "e" in f"{v:.{shown_digits}g}")


@settings(max_examples=40, deadline=None)
@given(st.lists(finite, min_size=1, max_size=6))
def test_every_form_compiles_in_typst(values):
    src = "".join(f"$ {written(v).typst} $ {escape_text(written(v).text)}\n" for v in values)
    assert compile_typst(src)[:5] == b"%PDF-"


@pytest.mark.parametrize("v, text, tex", [
    (3.83e-10, "3.83 × 10⁻¹⁰", r"3.83 \times 10^{-10}"),
    (2.21074e-07, "2.21 × 10⁻⁷", r"2.21 \times 10^{-7}"),
    (-2.86718e-44, "-2.87 × 10⁻⁴⁴", r"-2.87 \times 10^{-44}"),
    (1e-5, "10⁻⁵", "10^{-5}"),
    (1234567.0, "1.23 × 10⁶", r"1.23 \times 10^{6}"),
    (0.345409, "0.345409", "0.345409"),
    (9.99995e-05, "0.0001", "0.0001"),
    (0.0, "0", "0"),
    (math.inf, "∞", r"\infty"),
])
def test_as_a_textbook_writes_them(v, text, tex):
    assert written(v).text == text and written(v).latex == tex


def test_prose_gets_typeset_notation_and_strings_stay_strings():
    assert readable(0.5) == "0.5"
    n = readable(2.21074e-07)
    assert isinstance(n, Notation) and n.text == "2.21 × 10⁻⁷" and n.latex == r"2.21 \times 10^{-7}"
    assert readable_text(2.4e-26, 2) == "2.4 × 10⁻²⁶"
    point = readable_tuple([0.587715, 2.21074e-07])
    assert isinstance(point, Notation) and point.text == "(0.587715, 2.21 × 10⁻⁷)"
    assert readable_tuple([1, 2.5]) == "(1, 2.5)"


def test_latex_text_writes_a_power_as_one_superscript():
    assert escape_text("10⁻¹⁰") == r"10\ensuremath{^{-10}}"
    assert escape_text("β₁₂") == r"\ensuremath{\beta}\ensuremath{_{12}}"


def test_the_printers_write_floats_the_same_way():
    x = symbol("x")
    f = sp.Float(9.54e-7, 3)
    assert (unicode(f), latex(f), typst(f)) == ("9.54 × 10⁻⁷", r"9.54 \times 10^{-7}", "9.54 times 10^(-7)")
    assert unicode(sp.Float(0.5)) == "0.5"  # not 0.500000000000000
    square = sp.Pow(sp.Float(2.5e-5), 2, evaluate=False)  # the power of ten bracketed before a power
    assert (unicode(square), latex(square), typst(square)) == \
        ("(2.5 × 10⁻⁵)²", r"(2.5 \times 10^{-5})^{2}", "(2.5 times 10^(-5))^(2)")
    assert sp.simplify(parse(unicode(sp.Float(1.5e-5) * x)) - sp.Rational(3, 200000) * x) == 0  # reads back


def test_optimizer_prose_has_no_computer_notation():
    from gradwise.explainer.optimize import explain
    from gradwise.renderers.text import render
    from gradwise.simulations.trajectory import optimize
    run = optimize("x^2 + 10*y^2", [2, 1], method="sgd", lr=0.02, steps=30)
    text = render(explain(run))
    assert "2.21 × 10⁻⁷" in text and "e-0" not in text, text


def test_a_negative_number_is_typeset_with_a_true_minus():
    n = readable(-0.0146357)
    assert isinstance(n, Notation) and n.text == "-0.0146357" and n.latex == "-0.0146357"
    assert isinstance(readable_tuple([-0.5, 1]), Notation)


def test_contour_colour_bar_writes_powers_of_ten():
    import inspect

    from gradwise.renderers import plots
    assert 'f"1e{' not in inspect.getsource(plots) and "$10^{{{p:d}}}$" in inspect.getsource(plots)
