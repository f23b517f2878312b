"""Golden outputs: a handful of derivations in each format, compared with files in tests/golden.

After an intended change of wording or layout, regenerate them with
    GRADWISE_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
and read the diff before committing it.
"""
import os
from pathlib import Path

import pytest

from gradwise.derivations.derivation import differentiate
from gradwise.explainer import explain
from gradwise.renderers import render

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "product": ("x^2 sin(x)", None, 1, "standard"),
    "sigmoid_w": ("sigmoid(w*x + b)", "w", 1, "standard"),
    "logistic_latex_input": (r"\frac{1}{1+e^{-x}}", None, 1, "standard"),
    "x_to_the_x": ("x^x", None, 1, "full"),
    "second_order": ("x^3 e^x", None, 2, "brief"),
    "chain_brief": ("e^(3x^2)", None, 1, "brief"),
}
FORMATS = {"text": "txt", "latex": "tex", "md": "md", "json": "json"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", CASES)
def test_golden(name, fmt):
    expr, wrt, order, detail = CASES[name]
    out = render(explain(differentiate(expr, wrt, order=order), detail), fmt)
    path = GOLDEN / f"{name}.{FORMATS[fmt]}"
    if os.environ.get("GRADWISE_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"missing {path}: run with GRADWISE_UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8"), (
        f"{name} in {fmt} differs from {path}; if the change is intended, regenerate with "
        "GRADWISE_UPDATE_GOLDEN=1 and review the diff")
