"""Every kind of step follows one protocol (rule, before, after, substeps, check, walk), with its check on it."""
from __future__ import annotations

import json

import numpy as np
import pytest

import gradwise
from gradwise.derivations.steps import Step

PROTOCOL = ("rule", "before", "after", "substeps", "check", "walk")


def _results():
    yield gradwise.differentiate("x^2 sin(x)", "x")
    yield gradwise.differentiate("sigmoid(w*x + b)", "w", order=2)
    yield gradwise.matrix_gradient("x^T A x", "x")
    yield gradwise.matrix_gradient("log(det(X)) + tr(A X)", "X")
    yield gradwise.eigen("[[2,1],[1,2]]")
    yield gradwise.eigen("[[1,1],[0,1]]")
    yield gradwise.determinant("[[1,2,3],[4,5,6],[7,8,10]]")
    yield gradwise.determinant("[[1,2,3,4],[2,3,4,1],[3,4,1,2],[4,1,2,3]]", method="rows")
    yield gradwise.matmul("[[1,2],[3,4]]", "[[5],[6]]")
    yield gradwise.dot("[1,2,3]", "[4,5,6]")
    rng = np.random.default_rng(1)
    yield gradwise.pca(rng.normal(size=(30, 3)).round(3).tolist())


@pytest.mark.parametrize("result", list(_results()), ids=lambda r: r.kind)
def test_every_step_follows_the_protocol_and_carries_its_check(result):
    steps = [s for top in result.steps for s in top.walk()]
    assert steps
    for s in steps:
        assert isinstance(s, Step)
        for name in PROTOCOL:
            assert hasattr(s, name), (type(s).__name__, name)
        assert isinstance(s.rule, str) and s.rule
        assert s.check is not None, f"the {s.rule} step of {result.kind} lost its check"
        valid = getattr(s.check, "equal", getattr(s.check, "valid", None))
        assert valid is not False


def test_the_intermediate_line_carries_its_own_check():
    d = gradwise.differentiate("x^2 sin(x)", "x")
    product = d.orders[0].tree
    assert product.intermediate is not None and product.intermediate_check.equal is True
    assert d.check_of(product) is product.check


@pytest.mark.parametrize("make", [lambda: gradwise.matrix_gradient("x^T A x", "x"),
                                  lambda: gradwise.matrix_gradient("tr(X^T X)", "X")])
def test_the_collected_gradient_keeps_its_check_in_the_json(make):
    """It was lost: the collect step was a property built anew on every read, so its check (kept in a
    dictionary under an earlier copy) was never found; the JSON's last step had no "check"."""
    g = make()
    assert g.check_of(g.collect_step) is g.result_check is not None
    steps = json.loads(gradwise.render(g, "json"))["steps"]
    assert steps[-1]["rule"] == "collect"
    assert steps[-1]["check"] == {"method": "finite differences", "points": g.result_check.samples, "valid": True}
    assert all("check" in s for s in steps)


def test_pca_checks_the_explained_variance_it_reports():
    """The explained-variance step was reported valid without being checked."""
    p = gradwise.pca([[1.0, 2.0], [2.0, 1.5], [3.0, 4.0], [4.0, 3.5]])
    ratio = next(s for s in p.steps if s.rule == "explained_variance")
    assert ratio.check.valid and ratio.check.error <= 1e-9
    assert ratio.before is not None and np.allclose(ratio.after, p.explained_variance_ratio)
