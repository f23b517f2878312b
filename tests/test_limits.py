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


def test_a_spent_budget_is_its_own_error_and_restores_the_outer_limit():
    import signal

    class Spent(Exception):
        pass

    with time_limit(30):
        with pytest.raises(Spent):
            with time_limit(0.05, error=Spent):
                while True:
                    pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < remaining <= 30  # the outer limit is back, less the time used


def test_slow_simplify_falls_back_to_numbers(monkeypatch):
    import sympy as sp

    from gradwise.derivations import equivalence

    def slow(expr, *args, **kwargs):
        while True:
            pass

    from gradwise.derivations import symbolic_proof
    monkeypatch.setattr(symbolic_proof, "GUARD_SECONDS", 0.1)
    monkeypatch.setattr(equivalence.sp, "simplify", slow)
    x = sp.Symbol("x", real=True)
    judgement = equivalence.equivalent(sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.Integer(1))
    assert judgement.equal is True and judgement.method == "numeric"
    assert "wall-clock guard" in judgement.reason   # the last guard says that it fired


def test_timeout_bounds_the_explanation_too(capsys):
    # the derivation of this Hessian is quick; explaining it took a minute outside the limit
    from gradwise.cli import main
    code = main(["hessian", "exp(x y z) tan(x^y) sigmoid(z^x)", "--wrt", "x,y,z", "--timeout", "1"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.startswith("error: gave up after 1 s") and err.count("\n") == 1
