"""PCA against numpy (mean, cov, eigh), the CSV reader's errors, and the plot."""
import json
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from gradwise.derivations.linalg.pca import pca, read_csv
from gradwise.errors import GradwiseError
from gradwise.explainer import explain
from gradwise.renderers import render


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 30), st.integers(1, 6), st.data())
def test_matches_numpy(n, d, data):
    x = data.draw(arrays(np.float64, (n, d), elements=st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 2))))
    k = data.draw(st.integers(1, d))
    p = pca(x, k)
    assert np.allclose(p.mean, x.mean(axis=0))
    assert np.allclose(p.covariance, np.atleast_2d(np.cov(x, rowvar=False)))
    ref = np.sort(np.linalg.eigvalsh(np.atleast_2d(np.cov(x, rowvar=False))))[::-1]
    assert np.allclose(p.eigenvalues, ref, atol=1e-8 * max(1, ref.max()))
    assert np.all(np.diff(p.eigenvalues) <= 1e-12)
    assert np.allclose(np.linalg.norm(p.components, axis=1), 1)
    assert np.allclose(p.projected, (x - x.mean(axis=0)) @ p.components[:k].T)
    if ref.sum() > 0:
        assert np.isclose(p.explained_variance_ratio.sum(), 1)


def test_small_integer_data_goes_through_the_exact_engine(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("height,weight\n170,65\n180,80\n160,55\n175,72\n")
    p = pca(str(path), 1, plot=str(tmp_path / "pca.png"))
    assert p.columns == ["height", "weight"]
    assert p.eigen is not None
    exact = sorted(float(v) for v in p.eigen.values())[::-1]
    assert np.allclose(exact, p.eigenvalues)
    assert os.path.getsize(tmp_path / "pca.png") > 1000
    data = json.loads(render(explain(p), "json"))
    assert set(data) >= {"kind", "mean", "covariance", "eigenvalues", "components", "explained_variance_ratio",
                         "projected", "steps"}
    assert data["kind"] == "pca" and len(data["projected"]) == 4 and len(data["projected"][0]) == 1


@pytest.mark.parametrize("text,message", [
    ("1,2,3\n4,5\n", "line 2: 2 values but the first row has 3"),
    ("a,b\n1,2\n3,x\n", r"line 3, column 2 \(b\): 'x' is not a number"),
    ("1,2\n", "at least 2 rows"),
    ("", "empty"),
    ("a,b\n", "no data rows"),
    ("1,nan\n2,3\n", "not a number"),
])
def test_bad_csv(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(GradwiseError, match=message):
        pca(str(path))


def test_headerless_and_components_range():
    x, names = read_csv("1,2\n3,4\n5,7\n", is_text=True)
    assert names == ["x1", "x2"] and x.shape == (3, 2)
    with pytest.raises(GradwiseError, match="between 1 and 2"):
        pca(x, 3)


def test_wide_data_fits_80_columns():
    x = np.random.default_rng(0).normal(size=(40, 30))
    text = render(explain(pca(x, 3)), "text")
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "first 8 of 30 components" in text
