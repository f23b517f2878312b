"""Naming the likely mistake in a wrong derivative step.

The correct derivative comes from the engine (`derivation.differentiate`). The classic mistakes are
modelled as *mistaken differentiators*: the rules of differentiation with one rule applied wrongly at
one place (the chain rule without its inner factor, the product rule as a product of derivatives, the
quotient rule with the wrong sign or order, a trig derivative with the wrong sign, the power rule
applied to a variable exponent, the exponent not lowered by one). When the student's line equals what
one of them produces, at random points, that mistake is named; a constant factor or a sign is
recognised from the ratio; otherwise the difference is given.

A diagnosis is a mistake id and a wording key with its values (SymPy objects); the sentence is written by
the explainer (`explainer/mistake_words.py`), reached through the presenter the composition root registers.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import sympy as sp
from sympy.core.function import AppliedUndef

from gradwise.derivations.display import presenter
from gradwise.derivations.equivalence import equivalent, numerically_equal

MAX_CANDIDATES = 60


@dataclass(frozen=True)
class Wording:
    """What a diagnosis says, without the words: the key of its sentence and the values in it."""

    key: str
    values: tuple = ()          # (name, value) pairs

    @property
    def words(self) -> str:
        return presenter().mistake_words(self.key, dict(self.values))


def say(key: str, **values) -> Wording:
    """The wording of key `key` with these values."""
    return Wording(key, tuple(values.items()))


@dataclass(frozen=True)
class Diagnosis:
    """The likely mistake (`mistake` id, and what to say about it) and the correct right side."""

    mistake: str | None
    wording: Wording
    correct: sp.Expr | None
    correct_rule: str | None = None

    @property
    def words(self) -> str:
        """The sentence (written by the explainer)."""
        return self.wording.words


def correct_derivative(expr: sp.Expr, var: sp.Symbol, order: int) -> tuple[sp.Expr, str | None]:
    """The derivative by the engine (checked step by step), and the engine's top rule; SymPy's `diff`
    where the engine does not apply (abstract functions)."""
    from gradwise.derivations.derivation import differentiate
    from gradwise.errors import GradwiseError
    try:
        if expr.atoms(AppliedUndef) or isinstance(expr, sp.MatrixBase):
            raise GradwiseError("abstract function")
        d = differentiate(expr, var, order=order)
        return d.result, d.orders[0].tree.rule if order == 1 else None
    except (GradwiseError, ValueError, TypeError, NotImplementedError):
        return sp.diff(expr, (var, order)), None


def diagnose_derivative(derivative: sp.Derivative, student: sp.Expr) -> Diagnosis:
    """Why `student` is not `derivative` (a wrong step `d/dx f = student`)."""
    (var, order), = derivative.variable_count if len(derivative.variable_count) == 1 else ((None, 0),)
    if var is None:
        correct = derivative.doit()
        return Diagnosis(None, _differs(student, correct), correct)
    f = derivative.expr
    correct, rule = correct_derivative(f, var, int(order))
    if int(order) == 1 and not isinstance(student, sp.MatrixBase):
        for mistake, wording, candidate in _mistaken(f, var):
            if _same(student, candidate) and not _same(candidate, correct):
                return Diagnosis(mistake, wording, correct, rule)
    if int(order) > 1 and not isinstance(student, sp.MatrixBase):
        for k in range(int(order)):
            if _same(student, sp.diff(f, (var, k))):
                return Diagnosis("derivative_order", say("derivative_order", k=k, order=int(order)), correct, rule)
    return Diagnosis(*_by_ratio(f, student, correct), correct, rule)


def diagnose_expression(before: sp.Expr, student: sp.Expr) -> Diagnosis:
    """A wrong step from any other line: a sign, a constant factor, or the difference. A line with
    derivatives inside it has a correct next line: the derivatives evaluated."""
    if before.has(sp.Derivative):
        correct = before.doit()
        return Diagnosis(*_by_ratio(before, student, correct), correct)
    mistake, wording = _by_ratio(before, student, before)
    if wording.key == "difference":
        wording = Wording("difference_of_sides", wording.values)
    return Diagnosis(mistake, wording, None)


def _by_ratio(f: sp.Expr, student: sp.Expr, correct: sp.Expr) -> tuple[str | None, Wording]:
    """A sign or a constant factor explains the difference; else name the difference."""
    if not (student.free_symbols or correct.free_symbols):  # numbers: the difference says it best
        return None, _differs(student, correct)
    if _same(student, -correct):
        return "sign", say("sign")
    ratio = _constant_ratio(student, correct)
    if ratio is not None and ratio not in (0, 1):
        factor = 1 / ratio
        constants = {abs(c) for c in f.atoms(sp.Number)} | {c for c in f.atoms(sp.Symbol)}
        if factor in constants or -factor in constants:
            return "dropped_constant", say("dropped_constant", factor=factor)
        return "constant_factor", say("constant_factor", ratio=ratio)
    return None, _differs(student, correct)


def _differs(student: sp.Expr, correct: sp.Expr) -> Wording:
    difference = student - correct
    try:
        if sp.count_ops(difference) < 60:
            difference = sp.simplify(difference)
    except (TypeError, ValueError, NotImplementedError):
        pass
    return say("difference", difference=difference)


def _same(a: sp.Basic, b: sp.Basic) -> bool:
    return numerically_equal(a, b, points=3).equal is True


def _constant_ratio(student: sp.Expr, correct: sp.Expr) -> sp.Rational | None:
    """student / correct when it is a nonzero rational constant (checked at random points)."""
    try:
        ratio = sp.nsimplify(sp.cancel(sp.together(student / correct)), rational=True)
    except (TypeError, ValueError, ZeroDivisionError, NotImplementedError):
        return None
    if ratio.is_Rational and ratio != 0 and equivalent(student, ratio * correct, symbolic=False).equal:
        return ratio
    return None


# ----------------------------------------------------------------------------------------------------
# Mistaken differentiators

Mistake = Callable[[sp.Expr, sp.Symbol], "tuple[str, Wording, sp.Expr] | None"]


def mistaken_derivatives(f: sp.Expr, x: sp.Symbol) -> Iterator[tuple[str, str, sp.Expr]]:
    """(mistake id, words, the derivative a student making it writes), for each place it can be made."""
    for mistake_id, wording, wrong in _mistaken(f, x):
        yield mistake_id, wording.words, wrong


def _mistaken(f: sp.Expr, x: sp.Symbol) -> Iterator[tuple[str, Wording, sp.Expr]]:
    """mistaken_derivatives, with what to say still unworded."""
    count = 0
    for node in sp.preorder_traversal(f):
        if not node.has(x) or node == x:
            continue
        for mistake in _MISTAKES:
            found = mistake(node, x)
            if found is None:
                continue
            count += 1
            if count > MAX_CANDIDATES:
                return
            mistake_id, words, wrong = found
            yield mistake_id, words, _derive(f, x, node, wrong)


def _derive(e: sp.Expr, x: sp.Symbol, target: sp.Expr, wrong: sp.Expr) -> sp.Expr:
    """d e/dx by the rules, except at `target`, whose derivative is taken to be `wrong`."""
    if e == target:
        return wrong
    if not e.has(x):
        return sp.S.Zero
    if e == x:
        return sp.S.One
    if isinstance(e, sp.Add):
        return sp.Add(*[_derive(a, x, target, wrong) for a in e.args])
    if isinstance(e, sp.Mul):
        factors = e.args
        return sp.Add(*[sp.Mul(*factors[:i], _derive(a, x, target, wrong), *factors[i + 1:])
                        for i, a in enumerate(factors) if a.has(x)])
    if isinstance(e, sp.Pow):
        b, n = e.args
        if not n.has(x):
            return n * b ** (n - 1) * _derive(b, x, target, wrong)
        if not b.has(x):
            return e * sp.log(b) * _derive(n, x, target, wrong)
        return e * (_derive(n, x, target, wrong) * sp.log(b) + n * _derive(b, x, target, wrong) / b)
    if isinstance(e, sp.Function) and e.args:
        try:
            return sp.Add(*[e.fdiff(i + 1) * _derive(a, x, target, wrong)
                            for i, a in enumerate(e.args) if a.has(x)])
        except (sp.ArgumentIndexError, TypeError, NotImplementedError):
            return sp.diff(e, x)
    return sp.diff(e, x)


def _outer_and_inner(e: sp.Expr, x: sp.Symbol):
    """For a composite e = F(u) with u not just x: (F'(u), u)."""
    if isinstance(e, sp.Function) and len(e.args) == 1 and e.args[0] != x and e.args[0].has(x):
        try:
            return e.fdiff(1), e.args[0]
        except (sp.ArgumentIndexError, TypeError, NotImplementedError):
            return None
    if isinstance(e, sp.Pow):
        b, n = e.args
        if not n.has(x) and b != x and b.has(x):
            return n * b ** (n - 1), b
        if not b.has(x) and n != x and n.has(x):
            return e * sp.log(b), n
    return None


def _chain(e, x):
    found = _outer_and_inner(e, x)
    if found is None:
        return None
    outer, inner = found
    inner_d = sp.diff(inner, x)
    if inner_d == 1:
        return None
    return "chain_inner_factor", say("chain_inner_factor", inner_d=inner_d, inner=inner), outer


def _product(e, x):
    if not isinstance(e, sp.Mul):
        return None
    varying = [a for a in e.args if a.has(x)]
    if len(varying) < 2 or any(isinstance(a, sp.Pow) and a.exp.is_negative for a in varying):
        return None
    constant = sp.Mul(*[a for a in e.args if not a.has(x)])
    wrong = constant * sp.Mul(*[sp.diff(a, x) for a in varying])
    return "product_rule", say("product_rule"), wrong


def _quotient_parts(e, x):
    if not isinstance(e, sp.Mul):
        return None
    below = [a for a in e.args if isinstance(a, sp.Pow) and a.exp.is_negative and a.base.has(x)]
    if len(below) != 1:
        return None
    v = below[0].base ** (-below[0].exp)
    u = sp.Mul(*[a for a in e.args if a is not below[0]])
    if not u.has(x):
        return None
    return u, v


def _quotient_sign(e, x):
    parts = _quotient_parts(e, x)
    if parts is None:
        return None
    u, v = parts
    du, dv = sp.diff(u, x), sp.diff(v, x)
    return "quotient_rule_sign", say("quotient_rule_sign"), (du * v + u * dv) / v**2


def _quotient_order(e, x):
    parts = _quotient_parts(e, x)
    if parts is None:
        return None
    u, v = parts
    du, dv = sp.diff(u, x), sp.diff(v, x)
    return "quotient_rule_order", say("quotient_rule_order"), (u * dv - du * v) / v**2


def _quotient_square(e, x):
    parts = _quotient_parts(e, x)
    if parts is None:
        return None
    u, v = parts
    du, dv = sp.diff(u, x), sp.diff(v, x)
    return "quotient_rule_denominator", say("quotient_rule_denominator"), (du * v - u * dv) / v


_TRIG_SIGN = {sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.cot: "cot", sp.sec: "sec", sp.csc: "csc"}


def _trig(e, x):
    if type(e) not in _TRIG_SIGN:
        return None
    u = e.args[0]
    name = _TRIG_SIGN[type(e)]
    right = e.fdiff(1)
    return "trig_sign", say("trig_sign", name=name, right=right.subs(u, sp.Symbol("u"))), -right * sp.diff(u, x)


def _power_on_variable_exponent(e, x):
    if not (isinstance(e, sp.Pow) and e.base.has(x) and e.exp.has(x)):
        return None
    b, n = e.args
    return ("power_rule_variable_exponent", say("power_rule_variable_exponent", power=e, exponent=n * sp.log(b)),
            n * b ** (n - 1) * sp.diff(b, x))


def _exponential_rule_on_power(e, x):
    if not (isinstance(e, sp.Pow) and e.base.has(x) and e.exp.has(x)):
        return None
    b, n = e.args
    return ("power_rule_variable_exponent", say("exponential_rule_variable_base", power=e, exponent=n * sp.log(b)),
            e * sp.log(b) * sp.diff(n, x))


def _exponent_kept(e, x):
    if not (isinstance(e, sp.Pow) and e.exp.is_Number and e.base.has(x)):
        return None
    b, n = e.args
    return "exponent_off_by_one", say("exponent_kept", lowered=n - 1), n * b**n * sp.diff(b, x)


def _exponent_raised(e, x):
    if not (isinstance(e, sp.Pow) and e.exp.is_Number and e.base.has(x)):
        return None
    b, n = e.args
    return "exponent_off_by_one", say("exponent_off_by_one", lowered=n - 1), n * b ** (n + 1) * sp.diff(b, x)


def _exponent_lowered_twice(e, x):
    if not (isinstance(e, sp.Pow) and e.exp.is_Number and e.base.has(x)):
        return None
    b, n = e.args
    return "exponent_off_by_one", say("exponent_off_by_one", lowered=n - 1), n * b ** (n - 2) * sp.diff(b, x)


_MISTAKES: tuple[Mistake, ...] = (_chain, _product, _quotient_sign, _quotient_order, _quotient_square, _trig,
                                  _power_on_variable_exponent, _exponential_rule_on_power, _exponent_kept,
                                  _exponent_raised, _exponent_lowered_twice)
