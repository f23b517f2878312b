"""The checker of hand derivations: the corpus, reading LaTeX into steps, judging, diagnosis."""
import json
import os
import re

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import gradwise
from gradwise.derivations.equivalence import equivalent, random_function
from gradwise.derivations.parsing import symbol
from gradwise.derivations.verify import check as _check
from gradwise.derivations.verify.diagnosis import mistaken_derivatives
from gradwise.derivations.verify.reading import hand_conventions, split_chains
from gradwise.printing import latex

def check(text, **options):
    """The checker with time limits generous enough for a loaded machine (the limits have their own test)."""
    options.setdefault("timeout", 120)
    options.setdefault("step_timeout", 60)
    return _check(text, **options)


CORPUS = os.path.join(os.path.dirname(__file__), "corpus")
x, y, a, b = symbol("x"), symbol("y"), symbol("a"), symbol("b")


def corpus():
    """(name, text, expectation) for every derivation of the corpus; the expectation is the JSON on
    its first line, `% expect: {...}`."""
    for name in sorted(os.listdir(CORPUS)):
        if name.endswith(".tex"):
            with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
                text = f.read()
            expect = json.loads(re.match(r"% expect: (.*)", text).group(1))
            yield name[:-4], text, expect


def test_corpus_is_large_and_varied():
    items = list(corpus())
    assert len(items) >= 60
    kinds = {name.split("_")[0] for name, _, _ in items}
    assert kinds == {"right", "wrong", "domain", "unreadable"}
    mistakes = {e.get("mistake") for _, _, e in items} - {None}
    assert {"chain_inner_factor", "product_rule", "quotient_rule_order", "quotient_rule_sign", "trig_sign",
            "power_rule_variable_exponent", "dropped_constant", "exponent_off_by_one"} <= mistakes


@pytest.mark.parametrize("name, text, expect", list(corpus()), ids=[n for n, _, _ in corpus()])
def test_corpus(name, text, expect):
    v = check(text, assume_positive=expect.get("assume_positive", False))
    assert v.exit_code == expect["exit_code"], (v.error, [(s.index, s.method, s.reason) for s in v.steps])
    if "first_error" in expect:
        assert v.first_error == expect["first_error"]
    first = next((s for s in v.steps if s.index == v.first_error), None)
    if "mistake" in expect:
        assert first.mistake == expect["mistake"], first.diagnosis
    if "domain" in expect:
        assert first.domain == expect["domain"]
    if "error" in expect:
        assert expect["error"] in v.error and "\n" not in v.error
    if "reason" in expect:
        assert expect["reason"] in first.reason
    if "valid_steps" in expect:
        assert [s.index for s in v.steps if s.valid] == expect["valid_steps"]
    if v.exit_code == 0:
        assert v.valid and v.first_error is None and v.steps
    for s in v.steps:  # a wrong step that was evaluated carries its proof: a point where the sides differ
        if not s.valid and s.method == "numeric":
            assert s.counterexample is not None and s.left_value != s.right_value


# ----------------------------------------------------------------------------------------------------
# Reading

def test_align_rows_continue_the_chain_and_keep_their_lines():
    text = "\\begin{align*}\n  f &= (x+1)^2 \\\\\n  &= x^2 + 2x + 1 \\label{a}\\\\\n  &= 1 \\nonumber\n\\end{align*}"
    assert split_chains(text) == [[("f", 2), ("(x+1)^2", 2), ("x^2 + 2x + 1", 3), ("1", 4)]]


def test_lines_outside_a_display_are_rows_and_new_chains():
    text = "a = b\n= c\nd = e\n  + f"
    assert split_chains(text) == [[("a", 1), ("b", 1), ("c", 2)], [("d", 3), ("e + f", 3)]]


def test_equals_inside_braces_and_matrices_do_not_split():
    assert split_chains(r"\sum_{i=1}^{3} i = 6") == [[(r"\sum_{i=1}^{3} i", 1), ("6", 1)]]
    assert len(split_chains(r"\begin{pmatrix}a\\b\end{pmatrix} = \begin{pmatrix}a\\b\end{pmatrix}")[0]) == 2


def test_implies_starts_a_new_chain_and_text_annotations_vanish():
    chains = split_chains(r"$x = 2$ \implies x^2 = 4 \quad\text{(square both = sides)}")
    assert chains == [[("x", 1), ("2", 1)], [("x^2", 1), ("4", 1)]]


def test_hand_conventions():
    assert hand_conventions("n(n+1)") == r"n \cdot (n+1)"
    assert hand_conventions("f(x)") == "f(x)"
    assert hand_conventions(r"\frac{d}{dx}(x^2)\sin x") == r"{\frac{d}{dx}(x^2)}\sin x"
    assert hand_conventions(r"\frac{d}{dx}(x^2)^3") == r"\frac{d}{dx}(x^2)^3"


def test_every_step_is_numbered_from_one_across_chains():
    v = check("a + a = 2a = a \\cdot 2\n(x+1)^2 = x^2 + 1 = 1 + x^2")
    assert [s.index for s in v.steps] == [1, 2, 3, 4]
    assert [s.valid for s in v.steps] == [True, True, False, True]
    assert v.first_error == 3 and v.exit_code == 1


def test_definitions_stand_for_their_expression():
    v = check("f(x) = \\sin(x^2)\nf'(x) = 2x\\cos(x^2)")
    assert [s.method for s in v.steps] == ["definition", "symbolic"]
    v = check("L = (wx - y)^2\n\\frac{\\partial L}{\\partial w} = 2x(wx - y)")
    assert v.valid and v.steps[1].method == "symbolic"


def test_derivative_of_an_undefined_name_is_undecided_not_zero():
    v = check(r"\frac{dy}{dx} = 0")
    assert not v.valid and v.steps[0].method == "undecided" and "y is not defined" in v.steps[0].reason


def test_unreadable_side_names_line_and_reason_and_no_step_is_guessed():
    v = check("x^2 = x \\cdot x\n= \\frac{x}{")
    assert v.steps[0].valid and not v.steps[1].valid and v.steps[1].method == "unreadable"
    assert v.steps[1].reason.startswith("line 2:") and v.exit_code == 2


@pytest.mark.parametrize("command", [r"\input{a}", r"\include{b}", r"\write18{ls}", r"\openout1=x",
                                     r"\immediate\write18{id}", r"\def\a{1}", r"\catcode`\^=7",
                                     r"\directlua{os.execute('ls')}"])
def test_dangerous_commands_reject_the_whole_input(command):
    v = check(f"x = x\n{command} = 1")
    assert v.error and "not allowed" in v.error and v.steps == [] and v.exit_code == 2


def test_input_that_takes_too_long_gets_an_error_verdict():
    v = check(r"\frac{d^{12}}{dx^{12}} e^{x^2}\sin(x^3)\cos(e^x) = 0", timeout=0.3, step_timeout=None)
    assert v.exit_code == 2 and "gave up" in v.error


# ----------------------------------------------------------------------------------------------------
# The judge's extensions

def test_abstract_functions_become_the_same_smooth_function_on_both_sides():
    f, g = sp.Function("f", real=True), sp.Function("g", real=True)
    chain = sp.Derivative(f(g(x)), x)
    right = sp.Subs(sp.Derivative(f(y), y), y, g(x)) * sp.Derivative(g(x), x)
    assert equivalent(chain, right).equal is True
    assert equivalent(chain, sp.Subs(sp.Derivative(f(y), y), y, g(x))).equal is False
    assert random_function("f", 1) == random_function("f", 1) != random_function("g", 1)


def test_domain_is_reported_and_positive_symbols_are_an_option():
    j = equivalent(sp.sqrt(x**2), x, domain=True)
    assert j.equal is False and j.domain == "false for x < 0" and j.counterexample["x"] < 0
    assert equivalent(sp.sqrt(x**2), x, positive=True).equal is True
    assert equivalent(sp.log(a * b), sp.log(a) + sp.log(b), domain=True).domain == "false for a < 0 and b < 0"
    assert equivalent(sp.Abs(x), sp.sqrt(x**2), domain=True).equal is True


def test_a_correct_step_after_a_wrong_one_stays_correct():
    v = check(r"\frac{d}{dx}x^3 = 3x^3 = x^3 \cdot 3")
    assert [s.valid for s in v.steps] == [False, True]


# ----------------------------------------------------------------------------------------------------
# Diagnosis, as properties over generated functions

OUTER = [sp.sin, sp.cos, sp.exp, sp.tanh, lambda u: u**3, lambda u: sp.log(u**2 + 1)]
INNER = st.builds(lambda k, m, c: k * x**m + c, st.integers(2, 5), st.integers(2, 3), st.sampled_from([-3, -1, 1, 2]))


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(OUTER), INNER)
def test_forgotten_inner_factor_is_named_and_the_correct_line_is_the_engines(outer, inner):
    f = outer(inner)
    wrong = sp.diff(outer(y), y).subs(y, inner)   # the outer derivative alone
    v = check(rf"\frac{{d}}{{dx}}\left({latex(f)}\right) = {latex(wrong)}")
    step = v.steps[0]
    assert not step.valid and step.mistake == "chain_inner_factor", step.diagnosis
    assert equivalent(step.correct, sp.diff(f, x)).equal is True


@settings(max_examples=12, deadline=None)
@given(st.sampled_from([sp.sin, sp.cos, sp.exp, sp.log]), st.integers(2, 4))
def test_product_as_product_of_derivatives_is_named(g, n):
    f = x**n * g(x)
    wrong = sp.diff(x**n, x) * sp.diff(g(x), x)
    step = check(rf"\frac{{d}}{{dx}}\left({latex(f)}\right) = {latex(wrong)}").steps[0]
    assert step.mistake == "product_rule", step.diagnosis


@settings(max_examples=10, deadline=None)
@given(st.sampled_from([sp.sin(x), sp.exp(x), x**2 + 1, sp.cos(x) + 2]), st.integers(2, 9))
def test_dropped_constant_is_named(g, k):
    step = check(rf"\frac{{d}}{{dx}}\left({k}\left({latex(g)}\right)\right) = {latex(sp.diff(g, x))}").steps[0]
    assert step.mistake == "dropped_constant" and str(k) in step.diagnosis


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 9))
def test_right_derivatives_of_generated_powers_are_valid(n):
    v = check(rf"\frac{{d}}{{dx}} x^{{{n}}} \sin x = {n}x^{{{n - 1}}}\sin x + x^{{{n}}}\cos x")
    assert v.valid and v.exit_code == 0


def test_mistaken_derivatives_are_all_wrong_derivatives():
    f = sp.sin(x**2) * sp.exp(3 * x) / (x**2 + 1)
    candidates = list(mistaken_derivatives(f, x))
    assert len(candidates) > 5
    for _, _, wrong in candidates:
        assert equivalent(wrong, sp.diff(f, x)).equal is False


def test_unexplained_difference_is_given():
    step = check(r"\frac{d}{dx}x^2 = 2x + 1").steps[0]
    assert step.mistake is None and step.diagnosis.endswith("by 1")


# ----------------------------------------------------------------------------------------------------
# The public API and the JSON contract

def test_api_and_json_contract():
    from gradwise.explainer.check import contract
    v = gradwise.check(r"\frac{d}{dx} e^{3x^2} = e^{3x^2}")
    assert isinstance(v, gradwise.Verdict)
    data = contract(v)
    assert {"kind", "valid", "first_error", "steps"} <= set(data)
    assert data["kind"] == "check" and data["valid"] is False and data["first_error"] == 1
    step = data["steps"][0]
    for key in ("index", "lhs", "rhs", "valid", "method", "counterexample", "diagnosis"):
        assert key in step
    assert step["lhs"] == "Derivative(exp(3*x**2), x)" and step["method"] == "numeric"
    assert step["diagnosis"].startswith("the chain rule's inner factor 6x is missing")
    assert step["correct"] == "6*x*exp(3*x**2)" and step["correct_rule"] == "chain"
    json.dumps(data)
    assert "✗" in str(v)


def test_a_row_without_equals_that_cannot_be_read_is_reported_not_ignored():
    v = check("x + x = 2x\n\\frac{1}{")
    assert [s.method for s in v.steps] == ["structural", "unreadable"] and v.exit_code == 2
    assert v.steps[1].reason.startswith("line 2:")


@pytest.mark.parametrize("text", [
    r"\frac{\mathrm{d}}{\mathrm{d}x} x^2 = 2x",
    r"\frac{\mathrm d}{\mathrm dx} x^2 = 2x",
    r"(x^2 \sin x)' = 2x\sin x + x^2\cos x",
    r"\frac{\partial^2}{\partial x \partial y} x^3 y = 3x^2",
    "\\mathcal{L} = (wx - y)^2\n\\frac{\\partial \\mathcal{L}}{\\partial w} = 2x(wx - y)",
    r"\frac{d}{d\theta}\sin\theta = \cos\theta",
])
def test_more_notations_of_hand_derivations(text):
    assert check(text).exit_code == 0


@pytest.mark.parametrize("text", [r"\frac{\partial^2 f}{\partial x \partial y} = 0", r"x^{\prime} = 1"])
def test_a_command_a_parser_does_not_know_is_not_taken_for_a_variable(text):
    v = check(text)
    assert v.exit_code == 2 and "cannot read \\" in v.steps[0].reason


_ATOMS = st.sampled_from([x, y, sp.Integer(2), sp.Rational(1, 3), sp.sin(x), sp.exp(y), sp.sqrt(x**2 + 1)])
_EXPRS = st.recursive(_ATOMS, lambda inner: st.one_of(
    st.builds(sp.Add, inner, inner), st.builds(sp.Mul, inner, inner),
    st.builds(lambda e: e**2, inner), st.builds(sp.cos, inner)), max_leaves=5)


@settings(max_examples=15, deadline=None)
@given(_EXPRS, st.integers(1, 5))
def test_printed_expressions_read_back_and_judge_right(e, k):
    """Any expression the project prints as LaTeX is read back: expanding it is a valid step, adding a
    constant is a wrong one whose difference is named."""
    left = latex(e)
    v = check(f"{left} = {latex(sp.expand(e))} = {latex(sp.expand(e))} + {k}")
    assert [s.valid for s in v.steps] == [True, False], [(s.method, s.reason) for s in v.steps]
    assert v.steps[1].counterexample is not None and v.steps[1].diagnosis.endswith(f"is {k}")


def test_a_named_mistake_carries_its_wording_key_and_values_to_the_json():
    """The engine names the mistake (a key and SymPy values); only the explainer words it."""
    import json

    import gradwise
    from gradwise.explainer.mistake_words import WORDS
    v = gradwise.check(r"\frac{d}{dx} \sin(3x^2) = \cos(3x^2)")
    step = v.steps[0]
    assert step.mistake == "chain_inner_factor" and step.wording.key == "chain_inner_factor"
    assert step.diagnosis_text is None
    assert step.diagnosis == WORDS["chain_inner_factor"](**dict(step.wording.values))
    out = json.loads(gradwise.render(v, "json"))["steps"][0]
    assert out["diagnosis_key"] == "chain_inner_factor"
    assert out["diagnosis_values"] == {"inner_d": "6*x", "inner": "3*x**2"}
    assert out["diagnosis"] == step.diagnosis
