"""`gradwise check` on derivations in matrix notation: the corpus of right and wrong derivations, the
counterexamples, the hook between the two checkers, and matgrad's identities read back as LaTeX."""
from __future__ import annotations

import pathlib
import tomllib

import numpy as np
import pytest

from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.cookbook import IDENTITIES
from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
from gradwise.derivations.matrix_calculus.latex_reading import read_side
from gradwise.derivations.matrix_calculus.notation import latex
from gradwise.derivations.verify import check
from gradwise.derivations.verify.matrix_check import uses_matrix_notation
from gradwise.derivations.verify.matrix_diagnosis import MISTAKES
from gradwise.explainer.check import contract
from gradwise.errors import InputError

CASES = tomllib.loads((pathlib.Path(__file__).parent / "corpus" / "matrix" / "cases.toml").read_text())["case"]


def _values(counterexample: dict) -> dict:
    return {name: np.array(v, dtype=float) for name, v in counterexample.items()}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_corpus(case):
    v = check(case["text"], shapes=case.get("shape"))
    assert v.error is None, v.error
    assert v.readable, [s.reason for s in v.steps]
    assert v.valid == case["valid"], [(s.index, s.valid, s.mistake, s.reason) for s in v.steps]
    if case["valid"]:
        assert all(s.method in ("numeric", "definition") for s in v.steps)
        return
    assert v.first_error == case["first_error"]
    wrong = v.steps[v.first_error - 1]
    assert wrong.mistake == case["mistake"], (wrong.mistake, wrong.diagnosis)
    assert wrong.mistake in MISTAKES
    if wrong.rhs is not None and wrong.left_value is not None:     # refuted with matrices where the sides differ
        left, right = np.array(wrong.left_value), np.array(wrong.right_value)
        assert left.shape != right.shape or np.max(np.abs(left - right)) > 1e-3
        for name, value in _values(wrong.counterexample).items():
            assert value.ndim == 2 and value.size >= 1
    else:     # only a side whose own product or sum does not fit, or an undefined gradient, has none
        assert wrong.mistake == "shape_mismatch" and "do not fit" in wrong.reason or wrong.correct is None, wrong


def test_corpus_size():
    assert len(CASES) >= 40
    assert sum(not c["valid"] for c in CASES) >= 20
    assert {c["mistake"] for c in CASES if not c["valid"]} >= set(MISTAKES)


def test_counterexample_is_independent_of_the_checker():
    """The left value of the counterexample is (A + Aᵀ)x and the right 2Ax, computed here with NumPy."""
    v = check(r"\nabla_x (x^T A x) = 2 A x")
    s = v.steps[0]
    values = _values(s.counterexample)
    A, x = values["A"], values["x"]
    assert np.allclose(s.left_value, (A + A.T) @ x, atol=1e-4)
    assert np.allclose(s.right_value, 2 * A @ x, atol=1e-4)
    assert not np.allclose((A + A.T) @ x, 2 * A @ x)
    assert "A = Aᵀ" in s.diagnosis
    assert e.shape(s.correct) == ("n", 1)


def test_sizes_differ_per_dimension():
    s = check(r"\nabla_w \|Xw - y\|^2 = X^T(Xw - y)").steps[0]
    X = np.array(s.counterexample["X"])
    assert X.shape[0] != X.shape[1]


def test_json_fields_are_the_scalar_ones():
    scalar = contract(check(r"\frac{d}{dx} x^2 = 2x"))["steps"][0]
    matrix = contract(check(r"\nabla_x (x^T A x) = 2 A x"))["steps"][0]
    assert set(scalar) == set(matrix)
    assert matrix["mistake"] == "symmetric_assumption" and matrix["correct_latex"]


def test_declared_shape_is_used():
    v = check(r"\nabla_W (y^T W x) = y x^T", shapes="W=3x4,x=4,y=3")
    assert v.valid
    wrong = check(r"\nabla_W (y^T W x) = y x^T", shapes="W=3x4,x=5")
    assert not wrong.valid


@pytest.mark.parametrize("text, matrix", [
    (r"\nabla_x (x^T A x) = (A + A^T) x", True),
    (r"\frac{\partial L}{\partial W} = \delta x^T", True),
    (r"\nabla_w \|w\|^2 = 2w", True),
    (r"\frac{d}{dx} x^2 = 2x", False),
    (r"\nabla_w E = 2w", False),
    (r"\begin{pmatrix} 1 & 2 \end{pmatrix}^T = \begin{pmatrix} 1 \\ 2 \end{pmatrix}", False),
])
def test_dispatch(text, matrix):
    assert uses_matrix_notation(text) is matrix


def test_scalar_chain_in_a_matrix_derivation():
    v = check("\\nabla_x (x^T x) = 2x\n\\frac{d}{dy} y^3 = 3y^2")
    assert [s.method for s in v.steps] == ["numeric", "numeric"] or v.valid
    assert v.valid and len(v.steps) == 2


@pytest.mark.parametrize("text, words", [
    (r"\nabla_X \foo(X) = X", "\\foo"),
    (r"\nabla_x \operatorname{tr} X^T A x = x", "brackets"),
    (r"\nabla_x (x_i^T x) = x", "subscript"),
    (r"\nabla_x |x^T x| = x", "ambiguous"),
])
def test_refused_with_the_reason(text, words):
    v = check(text)
    assert v.exit_code == 2
    assert words in v.steps[0].reason


def test_shape_mismatch_names_the_product():
    s = check(r"\nabla_W (y^T W x) = x W y").steps[0]
    assert "x · W" in s.reason and s.mistake == "shape_mismatch"


@pytest.mark.parametrize("text, plain", [
    (r"x^{\mathsf T} A x", "x^T A x"), (r"X^{-\top}", "X^-T"), (r"\log\det X", "logdet (X)"),
    (r"\|X\|_{F}", "‖X‖_F"), (r"\frac12 \|x\|^2", "(1/2) ‖x‖^2"), (r"W_1 x", "W1 x"),
])
def test_translation(text, plain):
    assert read_side(text).plain == plain


IDS = [i[0] for i in IDENTITIES]


@pytest.mark.parametrize("equation, f, wrt, shapes, expected", IDENTITIES, ids=IDS)
def test_matgrad_identities_read_back(equation, f, wrt, shapes, expected):
    """Every identity matgrad derives, printed as LaTeX, reads back in `check` and is judged valid."""
    g = matrix_gradient(f, wrt, shapes=shapes)
    text = rf"\nabla_{{{wrt}}} \left({latex(g.expression)}\right) = {latex(g.result)}"
    v = check(text, shapes=shapes)
    assert v.valid, (text, [(s.reason, s.mistake) for s in v.steps], v.error)


def test_latex_reader_refuses_hostile_input():
    with pytest.raises(InputError):
        read_side(r"\input{/etc/passwd}")
    v = check(r"\nabla_x \write18{ls} = x")
    assert v.exit_code == 2


def test_batch_takes_matrix_derivations():
    from gradwise.grading.batch import Submission, check_many
    items = [Submission("right", r"\nabla_x (x^T A x) = (A + A^T) x"),
             Submission("wrong", r"\nabla_x (x^T A x) = 2 A x"),
             Submission("shaped", r"\nabla_W (y^T W x) = y x^T")]
    verdicts = list(check_many(items, jobs=2, timeout=60, shapes="W=3x4,x=4"))
    assert [v["valid"] for v in verdicts] == [True, False, True]
    assert verdicts[1]["steps"][0]["mistake"] == "symmetric_assumption"


def test_cli_shape_option(capsys, monkeypatch):
    import io
    import json
    from gradwise.cli import main
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(rb"\nabla_W (y^T W x) = x y^T")))
    code = main(["check", "-", "--shape", "W=3x4,x=4,y=3", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["steps"][0]["mistake"] == "product_order"


def test_matgrad_reads_latex():
    g = matrix_gradient(r"\|Xw - y\|_2^2 + \lambda \|w\|^2", "w")
    assert g.result_check.valid
    assert check(rf"\nabla_w \left({latex(g.expression)}\right) = {latex(g.result)}").valid


def test_transpose_or_power_undecidable_is_refused():
    v = check(r"\nabla_x (x^T x) = 2x", shapes="T=1x1")
    assert v.exit_code == 2 and "ambiguous" in v.steps[0].reason
    assert check(r"\nabla_x (x^\top x) = 2x", shapes="T=1x1").valid


def test_greek_vector_by_declaration():
    assert check(r"\frac{\partial}{\partial W} (\delta^T W x) = \delta x^T", shapes="delta=3").valid
    v = check(r"\frac{\partial}{\partial W} (\delta^T W x) = x \delta^T", shapes="delta=3")
    assert v.steps[0].mistake == "product_order"


@pytest.mark.parametrize("equation, f, wrt, shapes, expected", IDENTITIES, ids=IDS)
def test_matgrad_identities_doubled_are_refuted(equation, f, wrt, shapes, expected):
    """Twice the right gradient is wrong for every identity, refuted with matrices and named."""
    g = matrix_gradient(f, wrt, shapes=shapes)
    text = rf"\nabla_{{{wrt}}} \left({latex(g.expression)}\right) = 2 \left({latex(g.result)}\right)"
    s = check(text, shapes=shapes).steps[0]
    assert not s.valid and s.mistake == "constant_factor", (text, s.mistake, s.reason)
    left, right = np.array(s.left_value), np.array(s.right_value)
    assert np.allclose(right, 2 * left, rtol=1e-4, atol=1e-6) and not np.allclose(left, right)
