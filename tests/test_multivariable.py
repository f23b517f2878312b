"""grad, jacobian, hessian, directional derivatives and the multivariable chain rule."""
from __future__ import annotations

import json

import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

from gradwise.cli import main
from gradwise.derivations.multivariable import chain_rule, gradient, hessian, jacobian
from gradwise.derivations.parsing import symbol
from gradwise.errors import EngineError, GradwiseError
from gradwise.explainer import explain
from gradwise.renderers import render

x, y, t, s = (symbol(n) for n in "xyts")


def test_gradient_entries_are_partial_derivatives_with_their_derivations():
    g = gradient("x^2 y + sin(x y)", "x,y")
    assert list(g.result) == [2 * x * y + y * sp.cos(x * y), x ** 2 + x * sp.cos(x * y)]
    assert g.check.valid and g.check.max_error < 1e-12
    d = g.entries[0].derivation
    assert d.var == x and d.is_partial and sp.simplify(d.result - g.result[0]) == 0


def test_value_at_a_point_and_directional_derivative():
    g = gradient("x^2 y", "x,y", at="x=1,y=2", direction="3,4")
    assert list(g.at.values) == [4, 1]
    assert g.directional.value == sp.Rational(16, 5)
    assert list(g.directional.unit) == [sp.Rational(3, 5), sp.Rational(4, 5)]


def test_jacobian_shape_and_entries():
    J = jacobian("[x y, x + y^2, sin(x)]", "x,y")
    assert J.shape == (3, 2)
    assert J.result == sp.ImmutableMatrix([[y, x], [1, 2 * y], [sp.cos(x), 0]])


def test_hessian_is_symmetric_and_checked():
    H = hessian("x^2 y + sin(x y)", "x,y")
    assert H.symmetric and H.result == H.result.T
    assert H.result[0, 1] == sp.diff(x ** 2 * y + sp.sin(x * y), x, y)
    assert H.check.valid


def test_second_partials_continue_from_the_first_partials_as_derived():
    H = hessian("x^2 y + sin(x y)", "x,y")
    second = H.second(0, 1)
    assert second.expr == H.gradient[0].derivation.result      # y·(2x + cos(x·y)), the factored form
    assert sp.simplify(second.derivation.result - H.result[0, 1]) == 0


def test_chain_rule_scalar_and_jacobian_product():
    c = chain_rule("x^2 y", "x=cos(t), y=sin(t)")
    direct = sp.diff(sp.cos(t) ** 2 * sp.sin(t), t)
    assert sp.simplify(c.result[0] - direct) == 0
    assert c.shapes == ((1, 2), (2, 1), (1, 1))
    assert chain_rule("x^2 y", "x=cos(t), y=sin(t)", at="t=pi/3").at.values[0] == sp.Rational(-5, 8)
    c2 = chain_rule("[x y, x + y]", "x=s t, y=s + t")
    assert c2.shapes == ((2, 2), (2, 2), (2, 2))
    assert sp.simplify(c2.result[0, 0] - sp.diff(s * t * (s + t), s)) == 0


def test_not_differentiable_points():
    g = gradient("relu(x) + y", "x,y", at="x=0,y=1")
    assert any("relu is not differentiable" in n for n in g.at.notes)
    with pytest.raises(GradwiseError, match="not defined at x = 0, y = 0"):
        gradient("sqrt(x^2 + y^2)", "x,y", at="x=0,y=0")


@pytest.mark.parametrize("call, message", [
    (lambda: gradient("[x, y]", "x,y"), "jacobian"),
    (lambda: gradient("x y", "x,y", at="x=1"), "no value for y"),
    (lambda: gradient("x y", "x,y", at="x=1,y=2", direction="1,2,3"), "3 components"),
    (lambda: gradient("x y", "x,y", direction="0,0"), "zero vector"),
    (lambda: gradient("x y", "x,x"), "twice"),
    (lambda: chain_rule("x y", "x=1, y=2"), "no variable"),
])
def test_request_errors(call, message):
    with pytest.raises(GradwiseError, match=message):
        call()


def test_python_callers_values_never_reach_eval():
    g = gradient("x^2 y", "x,y", at={"x": 1, "y": 0.5}, direction=[3, "4"])
    assert list(g.at.values) == [1, 1] and g.directional.value == sp.Rational(7, 5)
    with pytest.raises(GradwiseError):
        gradient("x^2 y", "x,y", direction=['__import__("os")', 1])
    assert jacobian(["x y", "x + y"], "x,y").result == sp.ImmutableMatrix([[y, x], [1, 1]])
    with pytest.raises(GradwiseError):
        jacobian(['__import__("os")', "x"], "x")
    c = chain_rule("x^2 y", {"x": "cos(t)", "y": "sin(t)"})
    assert c.result.shape == (1, 1)


def test_a_wrong_entry_is_an_engine_error():
    g = gradient("x^2 y", "x,y")
    g.entries[0].result = x * y          # tamper: the derivation must refuse to back it
    with pytest.raises(EngineError):
        _ = g.entries[0].derivation


polynomials = st.lists(st.tuples(st.integers(-3, 3), st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=4)


@settings(max_examples=20, deadline=None)
@given(polynomials)
def test_hessian_of_random_polynomials_matches_sympy(terms):
    f = sum((c * x ** a * y ** b for c, a, b in terms), sp.Integer(0))
    if not f.free_symbols:
        f = f + x * y
    H = hessian(f, [x, y])
    assert H.result == sp.hessian(f, [x, y])
    assert H.symmetric


def test_explanations_render_at_80_columns_and_brief_collapses():
    H = hessian("x^2 y + sin(x y)", "x,y")
    full = render(explain(H, "standard"), "text")
    brief = render(explain(H, "brief"), "text")
    assert "symmetric" in full and "Chain rule" in full and "Chain rule" not in brief
    assert max(len(line) for line in brief.splitlines()) <= 80


def test_cli_commands_and_json(capsys):
    assert main(["grad", "x^2 y", "--wrt", "x,y", "--at", "x=1,y=2", "--direction", "3,4", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "gradient" and data["result"] == ["2*x*y", "x**2"]
    assert data["value"] == ["4", "1"] and data["directional_derivative"] == "16/5"
    assert data["entries"][0]["steps"][0]["rule"] == "constant_multiple"
    assert main(["jacobian", "[x y, x + y^2, sin(x)]", "--wrt", "x,y", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "jacobian" and data["shape"] == [3, 2] and data["result"][2] == ["cos(x)", "0"]
    assert main(["hessian", "x^2 y + sin(x y)", "--wrt", "x,y", "-f", "json", "--detail", "brief"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "hessian" and data["symmetric"] is True
    assert main(["grad", "x^2 y", "--chain", "x=cos(t),y=sin(t)", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "chain_rule" and data["shapes"]["result"] == [1, 1]
    assert main(["grad", "x^2 y", "--wrt", "x,y", "--at", "x=1"]) == 2
    assert "no value for y" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["gradient", "hessian", "jacobian"])
def test_a_negative_base_to_a_variable_power_is_refused_by_name_in_every_engine(engine):
    """As `diff` does: not "found no point where the function is defined", but what is wrong and what to write."""
    import gradwise.derivations.multivariable as mv
    from gradwise.errors import GradwiseError
    with pytest.raises(GradwiseError, match=r"\(-1\)\*\*x is not a real function of x.*write cos\(pi\*x\)"):
        getattr(mv, engine)("(-1)^x*y", "x,y")
