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


def test_a_large_difference_is_judged_by_numbers_without_simplify(monkeypatch):
    """The symbolic budget is a size: a difference past it never reaches simplify (which could run for
    minutes), and the numbers decide."""
    import sympy as sp

    from gradwise.derivations import equivalence, symbolic_proof

    def never(expr, *args, **kwargs):
        raise AssertionError("simplify was called on a difference past the size budget")

    monkeypatch.setattr(equivalence.sp, "simplify", never)
    x = sp.Symbol("x", real=True)
    big = sp.Add(*[sp.cosh(k * x + 1) for k in range(1, 12)])
    small = sp.Add(*[(sp.exp(k * x + 1) + sp.exp(-k * x - 1)) / 2 for k in range(1, 12)])
    assert sp.count_ops(big - small) > symbolic_proof.OPS_LIMIT
    judgement = equivalence.equivalent(big, small)
    assert judgement.equal is True and judgement.method == "numeric"
    # a large trigonometric identity is still proved symbolically, by division (no simplify either)
    trig = sp.Add(*[sp.sin(k * x) ** 2 + sp.cos(k * x) ** 2 for k in range(1, 12)])
    assert sp.count_ops(trig - 11) > symbolic_proof.OPS_LIMIT
    assert equivalence.equivalent(trig, sp.Integer(11)).method == "symbolic"


def test_the_expansion_budget_counts_terms_before_expanding():
    import sympy as sp

    from gradwise.derivations.symbolic_proof import expansion_terms
    x, y, z = sp.symbols("x y z")
    assert expansion_terms((x + y) ** 3) == 4 and expansion_terms((x + y) * (x + z + 1)) == 6
    assert expansion_terms((x + y + z) ** 400) > 4000 and expansion_terms(sp.sin((x + 1) ** 5000)) > 4000


def test_the_trig_budget_weighs_nesting():
    import sympy as sp

    from gradwise.derivations.symbolic_proof import trig_work
    x = sp.Symbol("x")
    assert trig_work(sp.sin(x) * sp.cos(x)) == 2 and trig_work(sp.tan(sp.cos(x))) == 3
    assert trig_work(sp.tanh(sp.cos(sp.tan(sp.cos(x) - 6)))) == 10 and trig_work(x ** 2) == 0


def test_a_verdict_does_not_depend_on_the_clock(monkeypatch):
    """A heavy but correct derivation gets the same verdict when every wall-clock timer would fire at
    once (a machine slowed without limit): the judging of a step reads no clock."""
    import signal

    from gradwise.derivations.limits import signal as limits_signal
    from gradwise.derivations.verify.judging import judge_chains
    from gradwise.derivations.verify.reading import read_derivation
    text = (r"\frac{d}{dx} \frac{1}{1 + e^{-x}} = \frac{e^{-x}}{(1 + e^{-x})^2}"
            r" = \frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}}" "\n"
            r"\sin^2 x + \cos^2 x = 1" "\n"
            r"\frac{d}{dx} \left(\left|x\right| \operatorname{sgn}(x)\right) = \operatorname{sgn}(x)^2")
    calm = [(s.valid, s.method) for s in judge_chains(read_derivation(text), step_timeout=None)]
    assert len(calm) == 4 and all(valid and method in ("symbolic", "structural") for valid, method in calm)

    def fires_at_once(which, seconds, interval=0.0):
        if seconds:   # the alarm of any limit goes off as soon as it is set
            signal.getsignal(signal.SIGALRM)(signal.SIGALRM, None)
        return (0.0, 0.0)

    monkeypatch.setattr(limits_signal, "setitimer", fires_at_once)
    slowed = [(s.valid, s.method) for s in judge_chains(read_derivation(text), step_timeout=None)]
    assert slowed == calm


def test_timeout_bounds_the_explanation_too(capsys):
    # the derivation of this Hessian is quick; explaining it took a minute outside the limit
    from gradwise.cli import main
    code = main(["hessian", "exp(x y z) tan(x^y) sigmoid(z^x)", "--wrt", "x,y,z", "--timeout", "1"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.startswith("error: gave up after 1 s") and err.count("\n") == 1
