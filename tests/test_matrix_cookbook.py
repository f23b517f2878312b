"""matgrad against The Matrix Cookbook (Petersen & Pedersen, version of 15 November 2012), by equation.

Each identity's right-hand side is evaluated with NumPy on random matrices and compared with the
gradient gradwise derives (which was itself checked by finite differences before it was returned).
"""
from __future__ import annotations

import numpy as np
import pytest

from gradwise.derivations.matrix_calculus.cookbook import IDENTITIES
from gradwise.derivations.matrix_calculus.derivation import matrix_gradient


def _random_values(g, seed=1):
    rng = np.random.default_rng(seed)
    values = {}
    for name, (r, c) in g.shapes.items():
        r, c = (g.sizes.get(d, d) if isinstance(d, str) else d for d in (r, c))
        a = rng.standard_normal((r, c))
        values[name] = a + (3 * r * np.eye(r) if r == c and r > 1 else 0)
    return values


@pytest.mark.parametrize("equation, f, wrt, shapes, expected", IDENTITIES, ids=[i[0] for i in IDENTITIES])
def test_cookbook_identity(equation, f, wrt, shapes, expected):
    g = matrix_gradient(f, wrt, shapes=shapes)
    assert g.result_check.valid
    values = _random_values(g)
    grad = g.compile()
    names = list(g.shapes)
    got = grad(*[values[n] for n in names])
    want = expected(values)
    assert got.shape == values[wrt].shape          # denominator layout: the shape of the variable
    assert np.allclose(got, want, rtol=1e-8, atol=1e-10), f"Cookbook ({equation}): {g.result}"


def test_at_least_25_identities():
    assert len({i[0] for i in IDENTITIES}) >= 25


def test_the_constant_factor_rule_cites_the_equations_it_comes_from():
    """The Matrix Cookbook (2012) numbers ∂A = 0 as (33), ∂(αX) = α∂X as (34), the product rule as (37):
    d(AXB) = A dX B is (33) with (37), not (34)."""
    from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
    from gradwise.explainer.matrix_calculus import explain
    from gradwise.renderers import render

    text = render(explain(matrix_gradient("tr(A X B)", "X")), "text")
    assert "Constant factors stay (Cookbook 33 and 37)" in text and "Cookbook 34" not in text
    assert "Trace (Cookbook 36)" in text


def test_citations_have_one_home_and_every_rule_shows_its_own():
    """The rule table (differentials.COOKBOOK) is the only place a Cookbook equation number is written; each
    rule's step title in the document shows the citation of that rule."""
    import inspect
    import re

    from gradwise.derivations.matrix_calculus.differentials import COOKBOOK, cookbook_citation
    from gradwise.explainer import matrix_calculus as explainer

    assert not re.search(r"Cookbook \d", inspect.getsource(explainer))
    assert cookbook_citation("constant_factor") == "Cookbook 33 and 37"
    assert cookbook_citation("trace") == "Cookbook 36" and cookbook_citation("norm") is None
    for rule in COOKBOOK:
        if rule in explainer.RULES:
            assert explainer._rule_title(rule)[0].endswith(f"({cookbook_citation(rule)})")


def test_identities_cite_the_cookbook_for_a_matrix_only():
    from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
    from gradwise.explainer.matrix_calculus import explain
    from gradwise.renderers import render

    assert "tr(A B C) = tr(C A B) (Cookbook 16)" in render(explain(matrix_gradient("tr(A X B)", "X")), "text")
    vector = render(explain(matrix_gradient("a^T x", "x")), "text")
    assert "Cookbook 16" not in vector
