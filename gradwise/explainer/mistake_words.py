"""The words for a wrong step's likely mistake: `derivations.verify.diagnosis` names the mistake (a stable
id and its values, SymPy objects); this module writes the sentence, printing the values in Unicode."""
from __future__ import annotations

from typing import Callable

import sympy as sp

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
}


def mistake_words(wording: str, values: dict[str, sp.Basic | str | int]) -> str:
    """The sentence for a diagnosis (its wording key and values)."""
    return WORDS[wording](**values)
