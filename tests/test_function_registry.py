"""An activation is one registry record: mish is read, differentiated, checked, compiled, put in a network
and printed everywhere from its record alone; each NumPy form is the stable one."""
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import gradwise
from gradwise.derivations import function_registry as registry
from gradwise.derivations import functions as fn
from gradwise.derivations import numpy_forms
from gradwise.derivations.parsing import parse, symbol
from gradwise.printing import latex, unicode
from gradwise.printing.typst import typst

x = symbol("x")
MISH = x * sp.tanh(sp.log(1 + sp.exp(x)))           # the definition, written in elementary functions


def _mish(v: float) -> float:
    """mish at a float, from the definition (math's log1p/exp, an oracle independent of NumPy)."""
    softplus = max(v, 0.0) + math.log1p(math.exp(-abs(v)))
    return v * math.tanh(softplus)


def test_mish_is_read_by_every_reader():
    assert parse("mish(x)") == parse("Mish(x)") == parse(r"\operatorname{mish}(x)") == x * sp.tanh(fn.softplus(x))


def test_diff_of_mish_is_the_derivative_of_its_definition():
    d = gradwise.differentiate("mish(x)", "x")
    assert sp.simplify(fn.rewrite_elementary(d.result) - sp.diff(MISH, x)) == 0


def test_the_records_derivative_is_the_definitions():
    t = sp.Symbol("t", real=True)
    r = registry.record("mish")
    for v in (-3.1, -0.4, 0.0, 0.7, 2.5):
        got = float(fn.rewrite_elementary(r.derivative(t)).subs(t, v))
        h = 1e-6
        assert got == pytest.approx((_mish(v + h) - _mish(v - h)) / (2 * h), rel=1e-6, abs=1e-8)


def test_check_judges_a_mish_derivative():
    right = r"\frac{d}{dx} \operatorname{mish}(x) = \tanh(\operatorname{softplus}(x)) + x \left(1 - \tanh^2(\operatorname{softplus}(x))\right) \sigma(x)"
    wrong = r"\frac{d}{dx} \operatorname{mish}(x) = \tanh(\operatorname{softplus}(x))"
    assert gradwise.check(right).valid and not gradwise.check(wrong).valid


def test_matgrad_differentiates_mish_entrywise_and_checks_it():
    g = gradwise.matrix_gradient("sum(mish(W x))", "W")
    assert "mish" in unicode(g.expression) and r"\operatorname{mish}" in latex(g.expression)
    fn_ = g.compile()
    rng = np.random.default_rng(0)
    W, xv = rng.normal(size=(3, 4)), rng.normal(size=(4, 1))
    z = W @ xv
    h = 1e-6
    slope = (np.vectorize(_mish)(z + h) - np.vectorize(_mish)(z - h)) / (2 * h)
    assert np.allclose(fn_(W=W, x=xv), slope @ xv.T, rtol=1e-5, atol=1e-8)


def test_compile_and_a_network_layer_use_mish():
    c = gradwise.compile("mish(x) * y")
    X = np.array([[0.5, 2.0], [-1.5, 0.3]])
    assert np.allclose(c.f(X), [_mish(0.5) * 2.0, _mish(-1.5) * 0.3])
    from gradwise.simulations.layers import ACTIVATIONS, activation
    assert "mish" in ACTIVATIONS
    act = activation("mish")
    assert np.allclose(act.forward(np.array([-2.0, 1.0])), [_mish(-2.0), _mish(1.0)])


def test_every_printer_shows_mish():
    e = parse("mish(x)")
    assert unicode(e) == "x·tanh(softplus(x))"
    assert r"\operatorname{softplus}" in latex(e) and "softplus" in typst(e)
    from gradwise.derivations.matrix_calculus.parsing import parse_matrix
    from gradwise.derivations.matrix_calculus.notation import sympy_str, text
    from gradwise.derivations.matrix_calculus import notation
    node = parse_matrix("mish(x)").tree
    assert text(node) == "mish(x)" and notation.latex(node) == r"\operatorname{mish}\left(x\right)"
    assert sympy_str(node) == "mish(x)"


@settings(max_examples=60, deadline=None)
@given(st.floats(-700, 700))
def test_the_numpy_forms_are_stable_and_right(v):
    """No overflow warning and the definition's value, even where 1/(1 + e^(−x)) overflows."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = float(numpy_forms.sigmoid(v))
        m = float(numpy_forms.mish(np.array(v)))
        sp_ = float(numpy_forms.softplus(np.array(v)))
    expected = 1 / (1 + math.exp(-v)) if v > -700 else 0.0
    assert s == pytest.approx(expected, rel=1e-12, abs=1e-300)
    assert m == pytest.approx(_mish(v), rel=1e-12, abs=1e-300)
    assert sp_ == pytest.approx(max(v, 0.0) + math.log1p(math.exp(-abs(v))), rel=1e-12)


def test_one_sigmoid_serves_every_numpy_user():
    from gradwise.derivations.matrix_calculus import checking, numpy_code
    from gradwise.simulations import compile as compile_module
    assert compile_module.NUMPY_FUNCTIONS["sigmoid"] is numpy_forms.sigmoid
    assert checking.FUNCTIONS["sigmoid"] is numpy_forms.sigmoid
    assert registry.numpy_functions()["sigmoid"] is numpy_forms.sigmoid
    assert "def _sigmoid(x):" in numpy_code.HELPERS and "def _mish(x):" in numpy_code.HELPERS
