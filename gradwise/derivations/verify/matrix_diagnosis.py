"""Naming the classic mistakes of matrix calculus in a wrong step, each by re-judging a repaired answer.

A mistake is named only when undoing it makes the step valid at the same random matrices: the
symmetric assumption (valid once A = Aᵀ), the transpose of the gradient (numerator layout), a product
in the wrong order, a missing or extra transpose, a dropped factor 2 (or another constant, or the sign),
a dropped term of a sum, a shape that does not fit. Ids are documented in the README. A finding carries
the mistake's wording key and values (nodes of matrix notation); the explainer writes the sentence
(`explainer/mistake_words.py`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradwise.derivations.matrix_calculus import checking, expressions as e
from gradwise.derivations.matrix_calculus.derivation import gradient_of
from gradwise.derivations.matrix_calculus.notation import text as show
from gradwise.derivations.verify.diagnosis import Wording, say
from gradwise.errors import EngineError, GradwiseError

MAX_CANDIDATES = 200
MISTAKES = ("symmetric_assumption", "numerator_layout", "product_order", "missing_transpose", "extra_transpose",
            "dropped_factor_2", "constant_factor", "sign", "dropped_term", "shape_mismatch")


@dataclass(frozen=True)
class Finding:
    """The mistake's id and what to say about it (a wording key and its values)."""

    mistake: str
    wording: Wording


def diagnose(problem) -> Finding | None:
    """The first mistake whose repair makes the step valid (`problem` is matrix_judging's _Problem)."""
    if problem.f is None and problem.shape_words:   # two sides of different shapes: nothing to repair
        return Finding("shape_mismatch", say("matrix_shapes", words=problem.shape_words))
    first = (_transposed, _single_transpose, _symmetric) if problem.f is not None else \
        (_symmetric, _transposed, _single_transpose)
    for test in (*first, _factor, _order, _dropped_term):
        try:
            found = test(problem)
        except (checking.NotDefined, ValueError, ArithmeticError, GradwiseError, EngineError):
            found = None
        if found is not None:
            return found
    if problem.shape_words:
        return Finding("shape_mismatch", say("matrix_shapes", words=problem.shape_words))
    return None


def _valid(problem, answer: e.Node, samples=None) -> bool:
    try:
        return problem.judge(problem.samples if samples is None else samples, answer).valid
    except (ValueError, checking.NotDefined, KeyError):
        return False


def _symmetric(problem) -> Finding | None:
    if problem.shape_words:
        return None
    source = problem.f if problem.f is not None else problem.left.tree
    moving = problem.f is not None or any(isinstance(n, e.Differential) for n in e.walk(source))
    square = [v for v in e.variables(source) if (v != problem.X or not moving) and v.shape[0] == v.shape[1] and v.shape != e.SCALAR]
    for group in [[v] for v in square] + ([square] if len(square) > 1 else []):
        samples = [checking.Sample({**s.values, **{v.name: (s.values[v.name] + s.values[v.name].T) / 2
                                                    for v in group}}, s.direction) for s in problem.samples]
        if _valid(problem, problem.answer, samples):
            return Finding("symmetric_assumption", say("matrix_symmetric_assumption",
                                                       names=", ".join(v.name for v in group), wrt=problem.X.name,
                                                       f=problem.f, correct=problem.correct))
    return None


def _transposed(problem) -> Finding | None:
    if (problem.f is None and problem.shape_words) or not _valid(problem, e.T(problem.answer)):
        return None
    a = problem.answer
    factors = [f for f in a.args if e.shape(f) != e.SCALAR] if isinstance(a, e.Mul) else []
    outer = len(factors) == 2 and e.shape(factors[0])[1] == 1 and e.shape(factors[1])[0] == 1
    if outer:
        return Finding("product_order", say("matrix_outer_product_order", written=a, right=e.T(a)))
    if problem.f is not None:
        return Finding("numerator_layout", say("matrix_numerator_layout", wrt=problem.X.name))
    return Finding("missing_transpose", say("matrix_transposed_sides"))


def _factor(problem) -> Finding | None:
    a = problem.answer
    if _valid(problem, e.mul(e.const(2), a)):
        return Finding("dropped_factor_2", say("matrix_dropped_factor_2"))
    if _valid(problem, e.neg(a)):
        return Finding("sign", say("sign"))
    if problem.target is None:
        return None
    s = problem.samples[0]
    want, got = problem.values(problem.target, s), problem.values(a, s)
    if want.shape != got.shape or not np.any(got):
        return None
    ratio = float(np.sum(want * got) / np.sum(got * got))
    for c in (0.5, 3, 4, 1 / 3, 0.25):
        if abs(ratio - c) < 1e-6 and _valid(problem, e.mul(e.const(c), a)):
            return Finding("constant_factor", say("matrix_constant_factor", times=f"{1 / c:g}"))
    return None


def _single_transpose(problem) -> Finding | None:
    for candidate, kind, node in _toggled(problem.answer):
        if _valid(problem, candidate):
            if kind == "missing_transpose":
                return Finding(kind, say("matrix_missing_transpose", written=node, right=e.T(node)))
            return Finding(kind, say("matrix_extra_transpose", written=node, right=node.arg))
    return None


def _order(problem) -> Finding | None:
    for candidate, node, fixed in _swapped(problem.answer):
        if _valid(problem, candidate):
            return Finding("product_order", say("matrix_product_order", written=node, right=fixed))
    return None


def _dropped_term(problem) -> Finding | None:
    f = problem.f
    if f is None or problem.shape_words:
        return None
    terms = f.args if isinstance(f, e.Add) else ()
    for t in terms:
        if not any(v == problem.X for v in e.variables(t)):
            continue
        g = gradient_of(t, problem.X, {}, show(t)).result
        if _valid(problem, e.add(problem.answer, g)):
            return Finding("dropped_term", say("matrix_dropped_term", term=t, gradient=g))
    return None


# ---------------------------------------------------------------------------------------------------- candidates

def _toggled(node: e.Node):
    """Each variable (or transposed variable) of the tree with its transpose toggled, one at a time."""
    count = 0
    for path, sub in _paths(node):
        if isinstance(sub, e.Transpose) and isinstance(sub.arg, e.Var):
            yield _replace(node, path, sub.arg), "extra_transpose", sub
        elif isinstance(sub, e.Var) and sub.shape != e.SCALAR and not _under_transpose(node, path):
            yield _replace(node, path, e.T(sub)), "missing_transpose", sub
        count += 1
        if count > MAX_CANDIDATES:
            return


def _swapped(node: e.Node):
    """Each product with two of its matrix factors exchanged."""
    count = 0
    for path, sub in _paths(node):
        if not isinstance(sub, e.Mul):
            continue
        factors = list(sub.args)
        for i in range(len(factors)):
            for j in range(i + 1, len(factors)):
                if e.shape(factors[i]) == e.SCALAR or e.shape(factors[j]) == e.SCALAR:
                    continue
                swapped = factors[:]
                swapped[i], swapped[j] = factors[j], factors[i]
                count += 1
                yield _replace(node, path, e.Mul(tuple(swapped))), sub, e.Mul(tuple(swapped))
                if count > MAX_CANDIDATES:
                    return


def _paths(node: e.Node, path: tuple = ()):
    yield path, node
    for k, child in enumerate(node.args):
        yield from _paths(child, path + (k,))


def _replace(node: e.Node, path: tuple, new: e.Node) -> e.Node:
    if not path:
        return new
    k = path[0]
    args = list(node.args)
    args[k] = _replace(args[k], path[1:], new)
    return node.rebuild(args)


def _under_transpose(node: e.Node, path: tuple) -> bool:
    for depth in range(len(path)):
        parent = node
        for k in path[:depth]:
            parent = parent.args[k]
        if depth == len(path) - 1 and isinstance(parent, e.Transpose):
            return True
    return False
