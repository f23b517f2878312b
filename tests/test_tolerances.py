"""Every checker's tolerances live in derivations/tolerances.py, each named once with its reason, and the
finite-difference steps there can meet the tolerances they are judged by."""
from __future__ import annotations

import ast
import io
import pathlib
import sys
import tokenize

import gradwise
from gradwise.derivations import tolerances as t

ROOT = pathlib.Path(gradwise.__file__).parent
CHECKERS = ["derivations/equivalence.py", "derivations/sampling.py", "derivations/real_domain.py", "derivations/graph.py",
            "derivations/multivariable_checks.py", "derivations/matrix_calculus/checking.py",
            "derivations/linalg/pca.py", "derivations/linalg/stability.py", "derivations/linalg/steps.py",
            "derivations/linalg/eigen.py", "simulations/compile.py", "simulations/network.py"]
SOURCE = pathlib.Path(t.__file__).read_text()
NAMES = [n.targets[0].id for n in ast.parse(SOURCE).body
         if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)]


def test_no_checker_writes_a_tolerance_of_its_own():
    """A small float literal (below 1e-3) in a checker is a tolerance or a step without a home."""
    found = []
    for name in CHECKERS:
        for node in ast.walk(ast.parse((ROOT / name).read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, float) and 0 < abs(node.value) < 1e-3:
                found.append(f"{name}:{node.lineno} {node.value}")
    assert not found


def test_every_tolerance_has_its_reason_on_its_line():
    lines = SOURCE.splitlines()
    comments = {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(SOURCE).readline)
                if tok.type == tokenize.COMMENT}
    assigned = {n.targets[0].id: n.lineno for n in ast.parse(SOURCE).body if isinstance(n, ast.Assign)}
    assert NAMES and all(assigned[name] in comments for name in NAMES), [
        lines[assigned[n] - 1] for n in NAMES if assigned[n] not in comments]


def test_every_tolerance_is_used_by_a_checker():
    text = "\n".join((ROOT / name).read_text() for name in CHECKERS)
    assert [n for n in NAMES if text.count(n) < 2] == []   # imported and used


def test_the_finite_difference_steps_can_meet_their_tolerances():
    """Truncation (h² for central differences, h⁴ for the network's 4-point one) and rounding (precision
    over h, over h² for second differences) are both well below the tolerance each check applies."""
    eps = sys.float_info.epsilon
    assert t.MATRIX_FD_STEP ** 2 < t.MATRIX_FD_TOLERANCE / 100 and eps / t.MATRIX_FD_STEP < t.MATRIX_FD_TOLERANCE / 100
    assert t.NETWORK_FD_STEP ** 4 < t.NETWORK_GRADIENT_TOLERANCE / 100
    assert eps / t.NETWORK_FD_STEP < t.NETWORK_GRADIENT_TOLERANCE / 100
    h = float(t.COMPILED_FD_STEP)
    assert h ** 2 < t.COMPILED_FD_TOLERANCE / 100 and 10.0 ** -t.WORKING_DIGITS / h < t.COMPILED_FD_TOLERANCE / 100
    first, second = float(t.FIRST_DIFFERENCE_STEP), float(t.SECOND_DIFFERENCE_STEP)
    assert first ** 2 < t.MULTIVARIABLE_TOLERANCE / 100 and 1e-40 / first < t.MULTIVARIABLE_TOLERANCE / 100
    assert second ** 2 < t.MULTIVARIABLE_TOLERANCE / 100 and 1e-40 / second ** 2 < t.MULTIVARIABLE_TOLERANCE / 100


def test_decimals_are_asked_for_no_more_digits_than_a_double_holds():
    assert t.FLOAT_DIGITS <= 15 and 10.0 ** -t.FLOAT_DIGITS > sys.float_info.epsilon


# --- the shared central difference (derivations/differences.py) ------------------------------------------
from fractions import Fraction  # noqa: E402

import numpy as np  # noqa: E402
from hypothesis import given, strategies as st  # noqa: E402

from gradwise.derivations.differences import central_difference  # noqa: E402

fractions = st.fractions(min_value=-100, max_value=100, max_denominator=50)


@given(fractions, fractions, fractions, fractions, fractions.filter(lambda h: h != 0))
def test_the_central_difference_of_a_quadratic_is_its_derivative_exactly(a, b, c, x, h):
    """In exact arithmetic the h² error term of a quadratic vanishes: (g(x+h) − g(x−h)) / 2h = 2ax + b."""
    assert central_difference(lambda t: a * t * t + b * t + c, x, h) == 2 * a * x + b


def test_a_point_where_the_function_is_undefined_gives_no_difference():
    assert central_difference(lambda t: None if t > 1 else Fraction(t), Fraction(1), Fraction(1, 10)) is None
    assert central_difference(lambda t: None if t < 1 else Fraction(t), Fraction(1), Fraction(1, 10)) is None


@given(st.lists(st.floats(-1e6, 1e6), min_size=4, max_size=4), st.lists(st.floats(-10, 10), min_size=4, max_size=4),
       st.floats(1e-9, 1e-3))
def test_a_step_along_minus_h_is_bit_for_bit_a_step_back(x, v, h):
    """The matrix check steps to X + tV with t = ±h: X + (−h)V is exactly X − hV, so its results are those of
    the formula it replaced."""
    x, v = np.array(x), np.array(v)
    assert np.array_equal(x + (0.0 - h) * v, x - h * v) and np.array_equal(x + (0.0 + h) * v, x + h * v)
