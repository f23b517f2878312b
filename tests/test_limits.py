"""Hostile inputs end with an answer or a clear error, never a hang (each run has a time limit)."""
import pytest

from gradwise.derivations.derivation import differentiate
from gradwise.derivations.limits import time_limit
from gradwise.errors import InputError, TimeLimitExceeded


@pytest.mark.parametrize("text", [
    "x^x^x^x^x^x",              # power towers: numeric checks must not build astronomic numbers
    "(x+1)^100000",             # huge exponents: no expansion
    "x^(10^100)",
    "(x^2+1)^(x^x^x^x)",
    "e^(e^(e^(e^(e^x))))",
])
def test_hostile_expressions_get_answers_in_bounded_time(text):
    d = differentiate(text, "x", timeout=20)  # raises TimeLimitExceeded instead of hanging
    assert d.result is not None


@pytest.mark.parametrize("text", ["9^9^9", "(" * 3000 + "x" + ")" * 3000, "x+" * 50_000 + "x"])
def test_hostile_inputs_get_clear_errors(text):
    with pytest.raises(InputError):
        differentiate(text, "x", timeout=20)


def test_time_limit_raises():
    with pytest.raises(TimeLimitExceeded, match="gave up after"):
        with time_limit(0.05):
            while True:
                pass
