"""Judging each step of a derivation against the line before it, with the one judge `equivalent`.

Definitions come first: a chain that starts with a bare name or `f(x)` (a name not defined yet) names
the expression on its right, and the name stands for that expression in every later line. Then each
step `A = B` is judged cheapest first (structural, symbolic with derivatives evaluated, numeric at
random points, abstract functions replaced by the same random smooth function on both sides). A
wrong step is diagnosed; an identity that holds only for positive values says where it fails.
"""
from __future__ import annotations

import dataclasses

import sympy as sp
from sympy.core.function import AppliedUndef

from gradwise.derivations.case_proof import agree_where_defined
from gradwise.derivations.equivalence import Judgement, equivalent, make_positive, proved_equal
from gradwise.derivations.limits import time_limit
from gradwise.derivations.verify.diagnosis import Diagnosis, diagnose_derivative, diagnose_expression
from gradwise.derivations.verify.reading import Chain, Side, read_derivation
from gradwise.derivations.verify.verdict import StepVerdict, Verdict
from gradwise.errors import GradwiseError, TimeLimitExceeded

STEP_TIMEOUT = 5.0


def check(text: str, *, assume_positive: bool = False, timeout: float | None = 10.0,
          step_timeout: float | None = STEP_TIMEOUT) -> Verdict:
    """Check a hand derivation (LaTeX) step by step. Input that cannot be read at all gives a verdict
    with `error` set (exit code 2), not an exception; a step that takes longer than `step_timeout`
    seconds is undecided."""
    verdict = Verdict(text, assume_positive=assume_positive)
    if timeout and step_timeout and step_timeout >= timeout:
        step_timeout = None  # the limit of the whole check is the only one

    def judge_steps() -> list[StepVerdict]:
        chains = read_derivation(text)
        verdict.reading = tuple(side for chain in chains for side in chain.sides if side.notes)
        return judge_chains(chains, assume_positive=assume_positive, step_timeout=step_timeout)
    return judged(verdict, timeout, judge_steps)


def judged(verdict: Verdict, timeout: float | None, judge_steps) -> Verdict:
    """The verdict with the steps `judge_steps()` gives within `timeout`, or with the reason it has none
    (an input error, the time limit, nesting too deep): what every checker of derivations ends with."""
    try:
        with time_limit(timeout):
            verdict.steps = judge_steps()
        if not verdict.steps:
            verdict.error = "nothing to check: the input has no step A = B"
    except GradwiseError as exc:
        verdict.error = str(exc)
        verdict.steps = []
    except RecursionError:
        verdict.error = "the input is nested too deeply to work on"
        verdict.steps = []
    return verdict


def judge_chains(chains: list[Chain], *, assume_positive: bool = False,
                 step_timeout: float | None = STEP_TIMEOUT) -> list[StepVerdict]:
    """The verdicts of every step of every chain, numbered from 1 across chains."""
    definitions: dict = {}
    verdicts: list[StepVerdict] = []
    for number, chain in enumerate(chains, start=1):
        lone = chain.sides[0]
        if len(chain.sides) == 1 and not lone.readable:  # a row without '=' that cannot be read is reported
            verdicts.append(StepVerdict(len(verdicts) + 1, lone.line, lone.text, "", None, None, False, "unreadable",
                                        reason=f"line {lone.line}: {lone.error}: {lone.text}", chain=number))
        for k in range(len(chain.sides) - 1):
            a, b = chain.sides[k], chain.sides[k + 1]
            index = len(verdicts) + 1
            if k == 0 and _define(a, b, definitions):
                verdict = StepVerdict(index, b.line, a.text, b.text, a.expr, b.expr, True, "definition")
            else:
                verdict = judge_step(index, a, b, definitions, assume_positive, step_timeout)
            verdicts.append(dataclasses.replace(verdict, chain=number))
    return verdicts


def _define(a: Side, b: Side, definitions: dict) -> bool:
    """Record `name = expr` or `f(x, y) = expr` as a definition when `a` is a new name."""
    if a.expr is None or b.expr is None:
        return False
    name, value = a.expr, b.expr
    if isinstance(name, sp.Symbol) and name not in definitions and not value.has(name) \
            and not isinstance(value, sp.MatrixBase):
        definitions[name] = substitute(value, definitions)
        return True
    if isinstance(name, AppliedUndef) and type(name) not in definitions \
            and all(isinstance(v, sp.Symbol) for v in name.args) and len(set(name.args)) == len(name.args) \
            and not value.has(type(name)):
        definitions[type(name)] = sp.Lambda(name.args, substitute(value, definitions))
        return True
    return False


def substitute(expr: sp.Basic, definitions: dict) -> sp.Basic:
    """The expression with every defined name replaced by what it stands for."""
    if not definitions:
        return expr
    try:
        return expr.subs(definitions)
    except (TypeError, ValueError, AttributeError):
        return expr


def judge_step(index: int, a: Side, b: Side, definitions: dict, assume_positive: bool = False,
               step_timeout: float | None = STEP_TIMEOUT) -> StepVerdict:
    """The verdict on `a = b`."""
    base = dict(index=index, line=b.line, lhs_text=a.text, rhs_text=b.text, lhs=a.expr, rhs=b.expr)
    unreadable = next((s for s in (a, b) if not s.readable), None)
    if unreadable is not None:
        return StepVerdict(**base, valid=False, method="unreadable",
                           reason=f"line {unreadable.line}: {unreadable.error}: {unreadable.text}")
    left, right = substitute(a.expr, definitions), substitute(b.expr, definitions)
    undefined = _undefined_derivative(left) or _undefined_derivative(right)
    if undefined is not None:
        return StepVerdict(**base, valid=False, method="undecided",
                           reason=f"{undefined} is not defined: write {undefined} = ... on a line before")
    try:
        with time_limit(step_timeout):
            judgement = _judge(left, right, assume_positive)
            if judgement.equal is True and judgement.method == "numeric" and judgement.digits is None:
                judgement = _exactly(left, right, judgement, assume_positive)
            if judgement.equal is True:
                return StepVerdict(**base, valid=True, method=judgement.method, points=judgement.points,
                                   reason=judgement.reason)
            if judgement.equal is None:
                return StepVerdict(**base, valid=False, method="undecided", points=judgement.points,
                                   reason=judgement.reason)
            diagnosis = _diagnose(left, right, judgement)
    except TimeLimitExceeded as exc:
        if step_timeout is None or not str(exc).startswith(f"gave up after {step_timeout:g} s"):
            raise  # the limit of the whole check, not of this step
        return StepVerdict(**base, valid=False, method="undecided",
                           reason=f"gave up on this step after {step_timeout:g} s of wall-clock time (the last "
                                  "guard: the judging itself is bounded by sizes, not by time)")
    return StepVerdict(**base, valid=False, method=judgement.method,
                       counterexample=judgement.counterexample, left_value=judgement.left_value,
                       right_value=judgement.right_value,
                       wording=diagnosis.wording if diagnosis else None,
                       diagnosis_text=None if diagnosis else (judgement.reason or None),
                       mistake=diagnosis.mistake if diagnosis else None,
                       correct=diagnosis.correct if diagnosis else None,
                       correct_rule=diagnosis.correct_rule if diagnosis else None,
                       domain=judgement.domain, reason=judgement.reason)


def _judge(left: sp.Basic, right: sp.Basic, assume_positive: bool) -> Judgement:
    """The one judge, entry by entry for matrices."""
    left_matrix, right_matrix = isinstance(left, sp.MatrixBase), isinstance(right, sp.MatrixBase)
    if left_matrix != right_matrix:
        return Judgement(False, "structural", reason="one side is a matrix, the other a number")
    if not left_matrix:
        return equivalent(left, right, positive=assume_positive, domain=not assume_positive)
    if left.shape != right.shape:
        return Judgement(False, "structural",
                         reason=f"the shapes differ: {left.rows}×{left.cols} and {right.rows}×{right.cols}")
    methods = []
    for (i, j), (p, q) in zip(((i, j) for i in range(left.rows) for j in range(left.cols)), zip(left, right)):
        judgement = equivalent(p, q, positive=assume_positive, domain=not assume_positive)
        if judgement.equal is not True:
            where = f"in entry ({i + 1}, {j + 1})"
            return Judgement(judgement.equal, judgement.method, judgement.counterexample, judgement.left_value,
                             judgement.right_value, judgement.points,
                             f"{where}: {judgement.reason}" if judgement.reason else where, judgement.domain)
        methods.append(judgement.method)
    order = ("numeric", "symbolic", "structural")
    return Judgement(True, next(m for m in order if m in methods) if methods else "structural")


def _exactly(left: sp.Basic, right: sp.Basic, judgement: Judgement, assume_positive: bool) -> Judgement:
    """Exact sides that agreed at every point: proved equal, or undecided (agreement at points is
    evidence, not proof)."""
    if assume_positive:
        left, right = make_positive(left), make_positive(right)
    proof = proved_equal(left, right)
    if proof.proved:
        return dataclasses.replace(judgement, method="symbolic")
    cases = agree_where_defined(left, right)   # d/dx|x| = x/|x|: equal except where a side is undefined
    if cases.equal is True:
        return dataclasses.replace(judgement, method="symbolic", reason=cases.words)
    if cases.equal is False:
        return Judgement(False, "symbolic", cases.counterexample, cases.left_value, cases.right_value,
                         judgement.points, cases.words)
    words = (f"the sides agree at {judgement.points} random points (their differences certified), but no "
             "symbolic proof was found: agreement at points is evidence, not proof")
    return dataclasses.replace(judgement, equal=None, method="undecided",
                               reason="; ".join(filter(None, (words, judgement.reason, proof.note))))


def _undefined_derivative(expr: sp.Basic) -> str | None:
    """`dy/dx` of a bare name y that was never defined: its value is unknown (not 0)."""
    for d in expr.atoms(sp.Derivative):
        if isinstance(d.expr, sp.Symbol) and d.expr not in d.variables:
            return d.expr.name
    return None


def _diagnose(left: sp.Basic, right: sp.Basic, judgement: Judgement) -> Diagnosis | None:
    """The likely mistake of a wrong step: derivative steps by the mistaken differentiators."""
    if judgement.domain or isinstance(left, sp.MatrixBase) or isinstance(right, sp.MatrixBase):
        return None
    if right.has(sp.Derivative):
        return None
    try:
        if isinstance(left, sp.Derivative):
            return diagnose_derivative(left, right)
        return diagnose_expression(left, right)
    except (TypeError, ValueError, NotImplementedError, AttributeError, ZeroDivisionError):
        return None
    return None
