"""Grading a typed answer with gradwise's own judge: right (and how it was decided), wrong (a
counterexample and the named mistake when one fits), or unreadable (why, so the student can retype).

The answer is read by `gradwise.parse` (plain math or LaTeX) or, for matrix calculus, by the matgrad
reader; it is never evaluated as code. Expressions are judged by `equivalent` (structure, symbols,
random points); derivative mistakes are named by the checker's diagnosis (`diagnose_derivative`).
"""
from __future__ import annotations

import re

import numpy as np
import sympy as sp

from gradwise.derivations.equivalence import equivalent
from gradwise.derivations.limits import time_limit
from gradwise.derivations.parsing import parse
from gradwise.derivations.verify.diagnosis import diagnose_derivative, mistaken_derivatives
from gradwise.errors import GradwiseError
from gradwise.practice.problems import Problem, Response
from gradwise.printing import unicode

GRADE_SECONDS = 20.0   # the first LaTeX answer also loads the LaTeX parser (seconds)
MAX_ANSWER = 2_000
NUMERIC_POINTS = 8
METHODS = {"structural": "the same expression", "symbolic": "proved equal by simplification",
           "numeric": f"equal at {NUMERIC_POINTS} random points", "tolerance": "equal to the exact value within the tolerance",
           "exact": "the same number", "parallel": "a nonzero multiple of the eigenvector",
           "multiset": "the same values in some order", "finite_differences": "equal at random matrices"}


class Unreadable(GradwiseError):
    """The answer could not be read as what the problem asks for."""


class WrongKind(Unreadable):
    """A matrix where a number is asked for, or the other way round."""


def grade(problem: Problem, answer_text: str) -> Response:
    """Grade one typed answer to `problem`."""
    text = answer_text.strip()
    try:
        with time_limit(GRADE_SECONDS):
            value = read_answer(problem, text)
            equal, method, counterexample = compare(problem, value, problem.answer)
            if equal is None:
                return Response(text, "unreadable", f"could not decide this answer: {method}")
            if equal:
                return _right(problem, text, value, method)
            mistake, words = name_mistake(problem, value)
    except WrongKind as exc:
        mistake, words = _trap_of(problem, value)
        if mistake is None:
            return Response(text, "unreadable", f"{exc}; type the answer again")
        return Response(text, "wrong", f"wrong: {words}", "structural", mistake)
    except GradwiseError as exc:
        return Response(text, "unreadable", f"{exc}; type the answer again")
    except RecursionError:
        return Response(text, "unreadable", "the answer is nested too deeply to read; type it again")
    message = "wrong" + (f": {words}" if words else "")
    if counterexample:
        message += f" ({describe(counterexample)})"
    return Response(text, "wrong", message, method, mistake, counterexample)


def _right(problem: Problem, text: str, value, method: str) -> Response:
    simpler = None
    if problem.answer_kind in ("expression", "number", "vector", "matrix") and not _is_plain(value, problem):
        simpler = problem.answer_text
    message = f"right ({METHODS.get(method, method)})"
    if simpler:
        message += f"; in simpler form: {unicode(problem.answer)}"
    return Response(text, "right", message, method, simpler=simpler)


def _is_plain(value, problem: Problem) -> bool:
    """Whether the answer is written as simply as the stated one (then no simpler form is shown)."""
    if value == problem.answer or problem.tolerance:
        return True
    try:
        return sp.count_ops(value) <= 1.3 * sp.count_ops(problem.answer) + 1   # clearly longer: unsimplified
    except (TypeError, AttributeError):
        return True


# ---------------------------------------------------------------------------------------------------- reading

def read_answer(problem: Problem, text: str):
    """The typed answer as a SymPy value (or a matrix-calculus node); Unreadable says why not."""
    if not text:
        raise Unreadable("the answer is empty")
    if len(text) > MAX_ANSWER:
        raise Unreadable(f"the answer is longer than {MAX_ANSWER} characters")
    if problem.answer_kind == "matrix_expression":
        return _read_matrix_expression(problem, text)
    if problem.answer_kind in ("values", "vector", "direction") and "," in text and not re.match(r"\s*[\[(\\]", text):
        text = f"[{text}]"          # 1, 3 is the list [1, 3]
    value = parse(text)
    if isinstance(value, sp.Tuple):
        value = sp.ImmutableMatrix(list(value))
    unknown = sorted({s.name for s in value.free_symbols} - set(problem.variables))
    if unknown:
        names = ", ".join(unknown)
        allowed = f"its variables are {', '.join(problem.variables)}" if problem.variables else "it asks for a number"
        raise Unreadable(f"the answer uses {names}, which the problem does not have ({allowed})")
    if value.has(sp.Derivative):
        raise Unreadable("the answer still has a derivative in it: work it out")
    return value


def _read_matrix_expression(problem: Problem, text: str):
    from gradwise.derivations.matrix_calculus import expressions as e
    from gradwise.derivations.matrix_calculus.parsing import parse_matrix

    tree = parse_matrix(text, problem.shapes).tree
    unknown = sorted({v.name for v in e.variables(tree)} - set(problem.variables))
    if unknown:
        raise Unreadable(f"the answer uses {', '.join(unknown)}, which the problem does not have "
                         f"(its symbols are {', '.join(problem.variables)})")
    return tree


# ---------------------------------------------------------------------------------------------------- comparing

def compare(problem: Problem, value, answer) -> tuple[bool | None, str, dict | None]:
    """(equal, how it was decided, a counterexample when not equal)."""
    kind = problem.answer_kind
    if kind == "matrix_expression":
        return _compare_nodes(problem, value, answer)
    if kind == "values":
        return _compare_values(problem, value, answer)
    if isinstance(answer, sp.MatrixBase) != isinstance(value, sp.MatrixBase):
        want = f"a {answer.rows}×{answer.cols} " + ("vector" if answer.cols == 1 else "matrix") \
            if isinstance(answer, sp.MatrixBase) else "a single number or expression"
        raise WrongKind(f"the answer should be {want}")
    if kind == "direction":
        return _compare_direction(value, answer)
    if isinstance(answer, sp.MatrixBase):
        if value.shape != answer.shape:
            return False, "structural", {"shape": f"{value.rows}×{value.cols}, not {answer.rows}×{answer.cols}"}
        methods = []
        for k, (v, a) in enumerate(zip(value, answer)):
            equal, method, counterexample = _compare_scalar(problem, v, a)
            if not equal:
                where = {"entry": [k // answer.cols + 1, k % answer.cols + 1]}
                return equal, method, dict(where, **(counterexample or {}))
            methods.append(method)
        return True, max(methods, key=list(METHODS).index) if methods else "structural", None
    return _compare_scalar(problem, value, answer)


def _compare_scalar(problem: Problem, value, answer) -> tuple[bool | None, str, dict | None]:
    if not value.free_symbols and not answer.free_symbols:
        try:
            v, a = complex(sp.N(value, 30)), complex(sp.N(answer, 30))
        except (TypeError, ValueError):
            return None, "the answer is not a number", None
        if problem.tolerance:
            ok = abs(v - a) <= problem.tolerance * max(1.0, abs(a))
            return ok, "tolerance", None
        ok = abs(v - a) <= 1e-12 * max(1.0, abs(a))
        return ok, "exact", None
    if value == answer:
        return True, "structural", None
    if _expands_equal(value, answer):   # exact, and far cheaper than certifying 8 points numerically
        return True, "symbolic", None
    # numbers decide (8 random points at 30 digits): a simplify() proof would take seconds per entry
    judgement = equivalent(value, answer, symbolic=False, points=NUMERIC_POINTS)
    if judgement.equal is None:
        return None, judgement.reason or "undecided", None
    counterexample = None
    if judgement.equal is False and judgement.counterexample:
        counterexample = {"at": {k: _number(v) for k, v in judgement.counterexample.items()},
                          "yours": _number(judgement.left_value), "correct": _number(judgement.right_value)}
    return judgement.equal, judgement.method, counterexample


MAX_EXPAND_POWER = 8


def _expands_equal(value, answer) -> bool:
    """value − answer expands to 0 (an algebraic proof); not tried where expanding could blow up."""
    for e in (value, answer):
        if any(p.exp.is_Integer and abs(p.exp) > MAX_EXPAND_POWER and p.base.is_Add for p in e.atoms(sp.Pow)):
            return False
        if sp.count_ops(e) > 150:
            return False
    try:
        return sp.expand(value - answer) == 0
    except (TypeError, ValueError, RecursionError):
        return False


def _compare_values(problem: Problem, value, answer) -> tuple[bool, str, dict | None]:
    given = list(value) if isinstance(value, sp.MatrixBase) else [value]
    wanted = list(answer)
    if len(given) != len(wanted):
        return False, "multiset", {"count": f"{len(given)} values, not {len(wanted)}"}
    try:
        g = sorted(complex(sp.N(v)).real for v in given)
    except (TypeError, ValueError):
        raise Unreadable("the eigenvalues should be numbers") from None
    w = sorted(complex(sp.N(v)).real for v in wanted)
    tol = problem.tolerance or 1e-12
    return all(abs(a - b) <= tol * max(1.0, abs(b)) for a, b in zip(g, w)), "multiset", None


def _compare_direction(value, answer) -> tuple[bool, str, dict | None]:
    if value.shape != answer.shape:
        return False, "structural", {"shape": f"{value.rows}×{value.cols}, not {answer.rows}×{answer.cols}"}
    if all(v == 0 for v in value):
        return False, "parallel", {"reason": "the zero vector is never an eigenvector"}
    stacked = sp.Matrix.hstack(sp.Matrix(value), sp.Matrix(answer))
    return stacked.rank(simplify=True) == 1, "parallel", None


def _compare_nodes(problem: Problem, value, answer) -> tuple[bool, str, dict | None]:
    from gradwise.derivations.matrix_calculus.checking import NotDefined, evaluate

    for values in problem.samples:
        try:
            a = np.asarray(evaluate(answer, values, sizes=problem.sizes), dtype=float)
            v = np.asarray(evaluate(value, values, sizes=problem.sizes), dtype=float)
        except NotDefined:
            continue
        except (ValueError, KeyError) as exc:
            raise Unreadable(f"the answer's shapes do not fit: {exc}") from None
        if a.shape != v.shape:
            return False, "finite_differences", {"shape": f"{v.shape[0]}×{v.shape[1]}, not {a.shape[0]}×{a.shape[1]}"}
        if not np.allclose(a, v, rtol=1e-8, atol=1e-10):
            return False, "finite_differences", None
    return True, "finite_differences", None


# ---------------------------------------------------------------------------------------------------- mistakes

def name_mistake(problem: Problem, value) -> tuple[str | None, str]:
    """The named mistake (id, words) that explains the wrong answer, or (None, "") when none fits."""
    mistake, words = _trap_of(problem, value)
    if mistake:
        return mistake, words
    if problem.derivative is not None and problem.answer_kind == "expression":
        f, var = problem.derivative
        diagnosis = diagnose_derivative(sp.Derivative(f, var), value)
        if diagnosis.mistake:
            return diagnosis.mistake, diagnosis.words
    if problem.derivative is not None and problem.point:
        f, var = problem.derivative
        for mistake, words, wrong in mistaken_derivatives(f, var):
            if compare(problem, value, wrong.subs(problem.point))[0]:
                return mistake, words
    if problem.answer_kind not in ("matrix_expression", "values", "direction"):
        answer = problem.answer
        if compare(problem, value, -answer)[0]:
            return "sign", "the sign is wrong"
        if isinstance(answer, sp.MatrixBase) and answer.rows == answer.cols and value.shape == answer.shape \
                and answer != answer.T and compare(problem, value, answer.T)[0]:
            return "transpose", "this is the transpose of the answer"
    return None, ""


def _trap_of(problem: Problem, value) -> tuple[str | None, str]:
    """The problem's classic wrong answer that `value` is, if any."""
    for trap in problem.traps:
        try:
            if compare(problem, value, trap.value)[0]:
                return trap.mistake, trap.words
        except GradwiseError:
            continue
    return None, ""


def describe(counterexample: dict) -> str:
    """A counterexample in words."""
    if "at" in counterexample:
        at = ", ".join(f"{k} = {v:g}" for k, v in counterexample["at"].items())
        return f"at {at} your answer is {counterexample['yours']:.6g}, the correct one {counterexample['correct']:.6g}"
    if "entry" in counterexample:
        i, j = counterexample["entry"]
        rest = {k: v for k, v in counterexample.items() if k != "entry"}
        return f"entry ({i}, {j}) is wrong" + (f": {describe(rest)}" if rest else "")
    return "; ".join(f"{v}" for v in counterexample.values())


def _number(v) -> float:
    c = complex(v)
    return round(c.real, 10) + 0.0
