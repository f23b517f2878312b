"""Property: Unicode text, LaTeX and Typst write the terms and factors of any expression in one order.

The order has one home (`printing/ordering.py`); this test reads each printer's output independently:
it keeps only the letters u, v, w, y, z (no command or function name of any printer contains them)
and the function calls, and asks that the three sequences be the same. So σ(b + wx) − y in LaTeX and
−y + σ(b + wx) in Typst would fail, whatever either printer does inside.
"""
import re

import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gradwise.derivations import functions as fn
from gradwise.derivations.parsing import symbol
from gradwise.printing.latex import latex
from gradwise.printing.ordering import flipped_difference, ordered_terms
from gradwise.printing.typst import typst
from gradwise.printing.unicode import unicode

LETTERS = "uvwyz"
FUNCTIONS = [sp.sin, fn.sigmoid, sp.exp]

atoms = st.one_of(st.sampled_from([symbol(n) for n in LETTERS]), st.integers(-9, 9).map(sp.Integer))


def _extend(children):
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda p: p[0] + p[1]),
        pair.map(lambda p: p[0] - p[1]),
        pair.map(lambda p: p[0] * p[1]),
        pair.map(lambda p: p[0] / p[1] if p[1] != 0 else p[0]),
        st.tuples(children, st.sampled_from([2, 3, -1, -2])).map(lambda p: p[0] ** p[1]),
        st.tuples(children, st.sampled_from(FUNCTIONS)).map(lambda p: p[1](p[0])),
    )


expressions = st.recursive(atoms, _extend, max_leaves=7)

_SUPERSCRIPT_LETTERS = str.maketrans({"ʸ": "y", "ᵛ": "v", "ʷ": "w", "ᵘ": "u", "ᶻ": "z"})


def _sequence(text: str, notation: str) -> list[str]:
    """The letters and function calls of a printed expression, in reading order (F for a function)."""
    if notation == "latex":
        text = re.sub(r"\\(sigma|sin)\b", " F ", text)
        text = re.sub(r"\\[A-Za-z]+", " ", text)
    elif notation == "typst":
        text = re.sub(r"\b(sigma|sin)\b", " F ", text)
    else:
        text = text.translate(_SUPERSCRIPT_LETTERS).replace("σ", " F ").replace("sin", " F ")
    return re.findall(rf"F|[{LETTERS}]", text)


@settings(max_examples=200, deadline=None)
@given(expressions)
def test_the_three_printers_agree_on_the_order(e):
    if e.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return
    text, tex, typ = unicode(e), latex(e), typst(e)
    seen = [_sequence(text, "text"), _sequence(tex, "latex"), _sequence(typ, "typst")]
    assert seen[0] == seen[1] == seen[2], (e, text, tex, typ)


def test_a_difference_reads_with_its_positive_term_first_everywhere():
    b, w, x, y = (symbol(n) for n in "bwxy")
    s = fn.sigmoid(b + w * x)
    assert unicode(s - y) == "σ(b + w·x) - y"
    assert latex(s - y) == r"\sigma(b + w x) - y"
    assert typst(s - y) == "sigma(b + w x) - y"
    # Example 12's answer: the sum's minus sign taken into the bracket, in every notation
    answer = x * s * (1 - s) * (s - y)
    assert typst(answer) == "x sigma(b + w x) (1 - sigma(b + w x)) (sigma(b + w x) - y)"
    assert latex(answer) == r"x \sigma(b + w x) (1 - \sigma(b + w x)) (\sigma(b + w x) - y)"
    assert typst(5 - 3 * x - 2 * y) == "5 - 3 x - 2 y"


def test_a_term_of_a_sum_keeps_its_own_minus_sign():
    x, y, z = (symbol(n) for n in "xyz")
    e = z - x * (y - sp.sin(x))
    assert ordered_terms(e)[0] == z
    assert typst(e) == "z - x (y - sin(x))"
    assert unicode(e) == "z - x·(y - sin(x))"
    assert flipped_difference(-x * (y - z)) == x * (z - y)
    assert flipped_difference(-2 * x * (y - z)) is None  # only a bare minus sign is taken in


def test_matrix_sums_in_one_order():
    A, B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
    for e, expected in [(-A + B, "B - A"), (2 * A * B - B.T, "2 A B - B^top"), (-3 * A * B, "-3 A B")]:
        assert typst(e) == expected
    assert latex(-A + B) == "B - A" and unicode(-A + B) == "B - A"
