"""The words for a wrong step's likely mistake: `derivations.verify.diagnosis` names the mistake (a stable
id and its values, SymPy objects); this module writes the sentence, printing the values in Unicode."""
from __future__ import annotations

from typing import Callable

import sympy as sp

from gradwise.derivations.matrix_calculus.notation import text as matrix_text
from gradwise.printing import unicode

_QUOTIENT = "it is (u/v)' = (u'v − uv')/v²"

#: wording key -> the sentence for its values
WORDS: dict[str, Callable[..., str]] = {
    "chain_inner_factor": lambda inner_d, inner: (f"the chain rule's inner factor {unicode(inner_d)} is missing "
                                                  f"(the derivative of {unicode(inner)})"),
    "product_rule": lambda: "the product rule was applied as (uv)' = u'v'; it is (uv)' = u'v + uv'",
    "quotient_rule_sign": lambda: f"the quotient rule's minus sign became a plus: {_QUOTIENT}",
    "quotient_rule_order": lambda: f"the quotient rule's terms are in the wrong order: {_QUOTIENT}",
    "quotient_rule_denominator": lambda: "the quotient rule's denominator is v², not v",
    "trig_sign": lambda name, right: (f"the sign of the derivative of {name} is wrong: (d/du) {name} u = "
                                      f"{unicode(right)}"),
    "power_rule_variable_exponent": lambda power, exponent: (
        f"the power rule n·uⁿ⁻¹ needs a constant exponent; here write {unicode(power)} = e^({unicode(exponent)})"),
    "exponential_rule_variable_base": lambda power, exponent: (
        f"the exponential rule (aᵘ)' = aᵘ ln a · u' needs a constant base; here write {unicode(power)} = "
        f"e^({unicode(exponent)})"),
    "exponent_kept": lambda lowered: (f"the power rule lowers the exponent by one: (uⁿ)' = n uⁿ⁻¹ u', here "
                                      f"{unicode(lowered)}"),
    "exponent_off_by_one": lambda lowered: f"the power rule lowers the exponent by one, to {unicode(lowered)}",
    "derivative_order": lambda k, order: f"this is the derivative of order {k}, not {order}",
    "sign": lambda: "the sign is wrong",
    "dropped_constant": lambda factor: f"the constant factor {unicode(factor)} was dropped",
    "constant_factor": lambda ratio: f"off by a constant factor: the line is {unicode(ratio)} times the correct one",
    "difference": lambda difference: f"the line differs from the correct one by {unicode(difference)}",
    "difference_of_sides": lambda difference: f"the right side minus the left side is {unicode(difference)}",
    # matrix calculus (the values are nodes of matrix notation)
    "matrix_shapes": lambda words: words,
    "matrix_symmetric_assumption": lambda names, wrt, f, correct: _symmetric(names, wrt, f, correct),
    "matrix_outer_product_order": lambda written, right: (f"the product is in the wrong order: {matrix_text(written)} "
                                                          f"for {matrix_text(right)} (it is the transpose of the "
                                                          "right answer)"),
    "matrix_numerator_layout": lambda wrt: ("this is the transpose of the gradient: numerator layout, where the "
                                            f"denominator layout (the shape of {wrt}) was asked"),
    "matrix_transposed_sides": lambda: "the right side is the transpose of the left side",
    "matrix_dropped_factor_2": lambda: "a factor 2 is missing (the derivative of a square gives 2·…)",
    "matrix_constant_factor": lambda times: f"a constant factor is off: the right side is {times} times the left side",
    "matrix_missing_transpose": lambda written, right: (f"a transpose is missing: {matrix_text(written)} should be "
                                                        f"{matrix_text(right)}"),
    "matrix_extra_transpose": lambda written, right: (f"a transpose is one too many: {matrix_text(written)} should "
                                                      f"be {matrix_text(right)}"),
    "matrix_product_order": lambda written, right: (f"the product is in the wrong order: {matrix_text(written)} for "
                                                    f"{matrix_text(right)}"),
    "matrix_dropped_term": lambda term, gradient: (f"the gradient of the term {matrix_text(term)} is missing "
                                                   f"({matrix_text(gradient)})"),
}


def _symmetric(names: str, wrt: str, f, correct) -> str:
    """True only for symmetric matrices; with the general gradient when there is one."""
    group = names.split(", ")
    both = " and ".join(f"{v} = {v}ᵀ" for v in group)
    general = ""
    if correct is not None:
        shown = f"∇_{wrt} {matrix_text(f)} = {matrix_text(correct)}" if f is not None else matrix_text(correct)
        general = f" For a general {names}: {shown}"
    return f"true only when {names} {'is' if len(group) == 1 else 'are'} symmetric ({both}).{general}"


def mistake_words(wording: str, values: dict[str, sp.Basic | str | int]) -> str:
    """The sentence for a diagnosis (its wording key and values)."""
    return WORDS[wording](**values)
