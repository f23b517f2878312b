"""Figures: f, f' and the tangent line, as deterministic SVG and as PNG on request."""
import math

import sympy as sp

from gradwise.derivations.derivation import differentiate
from gradwise.renderers import render
from gradwise.renderers.document import Document
from gradwise.explainer.figures import function_figure


def test_tangent_slope_is_the_derivative_at_the_point(tmp_path):
    d = differentiate("x^2 sin(x)", "x")
    fig = function_figure(d.expr, d.result, d.var, point=1.0, png_dir=str(tmp_path), name="Product rule")
    slope = 2 * math.sin(1) + math.cos(1)
    assert f"slope f′(1) = {slope:.4g}" in fig.caption
    assert fig.png_path.endswith("product-rule.png") and open(fig.png_path, "rb").read(4) == b"\x89PNG"
    again = function_figure(d.expr, d.result, d.var, point=1.0)
    assert again.svg == fig.svg and "<dc:date>" not in fig.svg and again.png_path == ""


def test_figures_embed_in_pdf_and_html(tmp_path):
    d = differentiate("sigmoid(x)", "x")
    fig = function_figure(d.expr, d.result, d.var, point=0.0, span=(-6, 6))
    doc = Document("figure", (fig,))
    assert render(doc, "pdf").startswith(b"%PDF-")
    page = render(doc, "html")
    assert page.count("<svg") >= 1 and "<figcaption>" in page


def test_a_function_undefined_somewhere_still_plots():
    x = sp.Symbol("x", real=True)
    fig = function_figure(sp.log(x), 1 / x, x, point=1.0, span=(-2, 3))
    assert fig.svg and "tangent" in fig.caption


def test_a_figure_leaves_the_callers_backend_and_rcparams_alone():
    import matplotlib

    before_backend, before_size = matplotlib.get_backend(), matplotlib.rcParams["font.size"]
    d = differentiate("sigmoid(x)", "x")
    function_figure(d.expr, d.result, d.var, point=0.0)
    assert matplotlib.get_backend() == before_backend and matplotlib.rcParams["font.size"] == before_size
