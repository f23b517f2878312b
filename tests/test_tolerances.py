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
CHECKERS = ["derivations/equivalence.py", "derivations/sampling.py", "derivations/graph.py",
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
