"""Computational graphs of expressions, one weight's gradient by paths, and the backprop/gradients CLI."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gradwise.cli import main
from gradwise.derivations.graph import build_graph, read_point
from gradwise.derivations.parsing import parse, symbol
from gradwise.errors import GradwiseError
from gradwise.simulations.network import Network
from gradwise.simulations.weight_paths import explain_parameter
from document_walk import notations


def _sig(x):
    return 1 / (1 + math.exp(-x))


def test_sigmoid_neuron_by_hand():
    g = build_graph("sigmoid(w*x + b)", "w=0.5,x=2,b=-1")
    s = _sig(0.5 * 2 - 1)
    assert g.value == pytest.approx(s)
    d = s * (1 - s)
    assert g.gradients == pytest.approx({"b": d, "w": d * 2, "x": d * 0.5}, rel=1e-12)
    ops = [n.op for n in g.nodes if not n.is_input]
    assert ops == ["×", "+", "sigmoid"]
    sigmoid_edge = g.edges_into(g.output.index)[0]
    assert sigmoid_edge.rule == "sigmoid"
    assert str(sigmoid_edge.local) in ("(1 - sigmoid(v2))*sigmoid(v2)", "sigmoid(v2)*(1 - sigmoid(v2))")


def test_shared_node_gives_several_paths_that_add_up():
    g = build_graph("x*sigmoid(x) + x^2", {"x": 1.0})
    assert g.path_counts["x"] == 3
    s = _sig(1.0)
    exact = s + s * (1 - s) + 2
    assert g.gradients["x"] == pytest.approx(exact, rel=1e-12)
    assert sum(p.product for p in g.paths["x"]) == pytest.approx(exact, rel=1e-12)
    assert sorted(round(p.product, 9) for p in g.paths["x"]) == sorted(round(v, 9) for v in (s, s * (1 - s), 2.0))


def test_two_layer_expression_from_the_issue():
    text = "(sigmoid(w2*tanh(w1*x + b1) + b2) - y)^2"
    at = {"w1": 0.5, "x": 2.0, "b1": -0.3, "w2": 1.5, "b2": 0.1, "y": 1.0}
    g = build_graph(text, at)
    h = math.tanh(0.5 * 2 - 0.3)
    s = _sig(1.5 * h + 0.1)
    dL_dw1 = 2 * (s - 1) * s * (1 - s) * 1.5 * (1 - h * h) * 2
    assert g.gradients["w1"] == pytest.approx(dL_dw1, rel=1e-12)
    assert g.reference["w1"] == pytest.approx(dL_dw1, rel=1e-12)


EXPRESSIONS = ["x*y + sin(x)", "exp(x)/(1 + y^2)", "log(1 + exp(x*y)) - x", "sqrt(x^2 + y^2)",
               "tanh(x)*relu(y) + softplus(x - y)", "max(x, y) + x^3", "x^y", "logsumexp(x, y, 0)"]


@pytest.mark.parametrize("text", EXPRESSIONS)
@settings(max_examples=8)
@given(x=st.floats(0.2, 2.5), y=st.floats(0.2, 2.5))
def test_gradients_equal_sympy_at_random_points(text, x, y):
    expr = parse(text)
    point = {"x": x, "y": y}
    g = build_graph(text, point)
    at = {symbol("x"): x, symbol("y"): y}
    for name, value in g.gradients.items():
        exact = complex(sp.N(sp.diff(expr, symbol(name)).subs(at).rewrite(sp.exp)))
        assert abs(exact.imag) < 1e-12  # rewriting sin in exponentials leaves a rounding residue
        exact = exact.real
        assert value == pytest.approx(exact, rel=1e-9, abs=1e-12)
    assert g.value == pytest.approx(float(sp.N(expr.subs(at).rewrite(sp.exp))), rel=1e-12)


def test_every_local_derivative_is_checked_by_the_engine():
    g = build_graph("x*sigmoid(x*y)", "x=1,y=2")
    for e in g.edges:
        steps = list(e.derivation.all_steps())
        assert steps and all(s.check is not None for s in steps), "every local derivative carries its step checks"
        assert all(s.check.equal is not False for s in steps)


def test_bad_points():
    with pytest.raises(GradwiseError, match="give a value for y"):
        build_graph("x*y", "x=1")
    with pytest.raises(GradwiseError, match="not NAME=VALUE"):
        read_point("x:1")
    with pytest.raises(GradwiseError, match="must be a real number"):
        read_point("x=y")
    with pytest.raises(GradwiseError, match="undefined at this point"):
        build_graph("log(x)", "x=-1")
    with pytest.raises(GradwiseError, match="too large for a float"):
        build_graph("exp(exp(exp(x)))", "x=3")
    with pytest.raises(GradwiseError, match="no variables"):
        build_graph("2 + 3", "x=1")
    with pytest.raises(GradwiseError, match="given twice"):
        read_point("x=1,x=2")
    with pytest.raises(GradwiseError, match="too large"):
        read_point("x=1e400")
    with pytest.raises(GradwiseError, match="single input"):
        build_graph("x", "x=1")
    assert read_point("x=1/2, y=pi") == pytest.approx({"x": 0.5, "y": math.pi})


def test_graph_is_bounded():
    big = " + ".join(f"sin(x{i})" for i in range(80))
    with pytest.raises(GradwiseError, match="too large"):
        build_graph(big, ",".join(f"x{i}=1" for i in range(80)))


# ---------------------------------------------------------------------------------------------------
# One parameter of a network

def test_weight_gradient_paths_add_up_to_backward():
    net = Network.from_sizes([3, 4, 3, 2], ["tanh", "sigmoid", "identity"], "cross_entropy", seed=2)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(5, 3)), rng.integers(0, 2, 5)
    w = explain_parameter(net, X, y, "W1[2,3]")
    g = net.backward(X, y)
    assert w.value == g.grad_weights[0][2, 3]
    assert w.path_count == 3 * 2
    assert w.path_sum == pytest.approx(w.value, rel=1e-10)
    assert sum(p.product for p in w.paths) == pytest.approx(g.deltas[0][0, 3], rel=1e-10)
    b = explain_parameter(net, X, y, "b3[1]")
    assert b.value == pytest.approx(g.grad_biases[2][1]) and b.path_count == 1
    assert str(w.facts["dz1/da2"].result) == "W21" and str(w.facts["dz1/dW11"].result) == "a1"
    assert w.identity_checked == 12


@pytest.mark.parametrize("text,message", [("W3[0,0]", "layers 1 to 2"), ("W1[5,0]", r"shape \(3, 4\)"),
                                          ("W1[0]", "two indices"), ("V1[0,0]", "not a parameter"),
                                          ("b2[9]", "up to 1")])
def test_bad_parameters(text, message):
    net = Network.from_sizes([3, 4, 2], "tanh", "mse", seed=0)
    with pytest.raises(GradwiseError, match=message):
        explain_parameter(net, np.ones((1, 3)), np.ones((1, 2)), text)


# ---------------------------------------------------------------------------------------------------
# The command line

def test_cli_backprop_text_and_json(capsys, tmp_path):
    assert main(["backprop", "sigmoid(w*x + b)", "--at", "w=0.5,x=2,b=-1"]) == 0
    out = capsys.readouterr().out
    assert "∂v3/∂v2" in out and "σ(v2)·(1 - σ(v2))" in out and "grad" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert main(["backprop", "sigmoid(w*x + b)", "--at", "w=0.5,x=2,b=-1", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "backprop" and data["gradients"]["w"] == pytest.approx(0.5)
    assert {e["rule"] for e in data["edges"]} >= {"sigmoid", "sum"}
    assert data["paths"]["w"]["count"] == 1


def test_cli_draws_the_graph(tmp_path, capsys):
    svg = tmp_path / "graph.svg"
    assert main(["backprop", "(sigmoid(w*x) - y)^2", "--at", "w=1,x=2,y=0", "--graph", str(svg)]) == 0
    text = svg.read_text()
    assert text.startswith("<?xml") and "<svg" in text
    png = tmp_path / "graph.png"
    assert main(["backprop", "x*y", "--at", "x=1,y=2", "--graph", str(png)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert main(["backprop", "x*y", "--at", "x=1,y=2", "--graph", str(tmp_path / "g.gif")]) == 2
    assert "use a file ending in .svg" in capsys.readouterr().err


def test_cli_network_file(tmp_path, capsys):
    f = tmp_path / "net.toml"
    f.write_text('sizes = [3, 4, 3]\nactivations = ["tanh", "identity"]\nloss = "cross_entropy"\n'
                 '[data]\ninputs = [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]]\ntargets = [2, 0]\n')
    assert main(["backprop", str(f), "--explain", "W1[0,1]"]) == 0
    out = capsys.readouterr().out
    assert "sum over the 3 paths" in out and "tanh'(z1[1])" in out and "(δ_(l+1) W_(l+1)ᵀ)" in out
    assert main(["backprop", str(f), "--explain", "W1[0,1]", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["paths"]["sum"] == pytest.approx(data["value"], rel=1e-10)
    assert data["gradient_check"]["parameters"] == 3 * 4 + 4 + 4 * 3 + 3
    assert data["gradient_check"]["max_relative_error"] < 1e-8
    assert main(["backprop", str(f)]) == 2
    assert "needs --explain" in capsys.readouterr().err


def test_cli_gradients(tmp_path, capsys):
    plot = tmp_path / "vanishing.png"
    assert main(["gradients", "--depth", "8", "--width", "6", "--activation", "sigmoid,relu",
                 "--init", "xavier,he", "--plot", str(plot), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["runs"]) == 4 and plot.read_bytes()[:4] == b"\x89PNG"
    assert data["runs"][0]["derivative_bound"] == "1/4"
    assert main(["gradients", "--activation", "sigmod"]) == 2
    assert "choose one of sigmoid" in capsys.readouterr().err
    assert main(["gradients", "--depth", "100000"]) == 2


def test_cli_typos_are_one_line_errors(capsys):
    assert main(["backprop", "sigmoid(w*x", "--at", "w=1,x=1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and len(err.strip().splitlines()) == 1
    assert main(["backprop", "x*y"]) == 2
    assert "--at" in capsys.readouterr().err


def test_graph_as_tikz_compiles(tmp_path, capsys):
    import shutil
    import subprocess
    tex = tmp_path / "graph.tex"
    assert main(["backprop", "(sigmoid(w*x + b) - y)^2", "--at", "w=0.5,x=2,b=-1,y=1", "--graph", str(tex)]) == 0
    body = tex.read_text()
    assert body.startswith(r"\begin{tikzpicture}") and r"\sigma" in body and body.count(r"\draw[->]") == 8
    if not (shutil.which("pdflatex") and shutil.which("kpsewhich")) or not subprocess.run(
            ["kpsewhich", "tikz.sty"], capture_output=True, text=True).stdout.strip():
        pytest.skip("pdflatex with TikZ (Debian: texlive-pictures) is not installed")
    doc = tmp_path / "doc.tex"
    doc.write_text("\\documentclass{article}\n\\usepackage{tikz}\n\\begin{document}\n"
                   f"\\input{{{tex}}}\n\\end{{document}}\n")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-no-shell-escape", doc.name],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-2000:]


# Random expressions: smooth, defined everywhere, so any point works
_LEAVES = st.sampled_from(["x", "y", "z", "2", "0.5"])
_UNARY = st.sampled_from(["sin", "tanh", "sigmoid", "softplus", "exp", "cos"])
_BINARY = st.sampled_from(["+", "-", "*"])


def _expressions():
    return st.recursive(_LEAVES, lambda inner: st.one_of(
        st.tuples(_UNARY, inner).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(inner, _BINARY, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"({e})^2")), max_leaves=6)


@settings(max_examples=20)
@given(_expressions(), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_random_graphs_backpropagate_like_sympy(text, x, y, z):
    expr = parse(text)
    if isinstance(expr, sp.Symbol) or not expr.free_symbols or expr.is_number:
        return
    point = {s.name: v for s, v in zip(sorted(expr.free_symbols, key=lambda s: s.name), (x, y, z))}
    point = {k: {"x": x, "y": y, "z": z}[k] for k in point}
    g = build_graph(expr, point)
    at = {symbol(k): v for k, v in point.items()}
    for name, value in g.gradients.items():
        exact = complex(sp.N(sp.diff(expr, symbol(name)).subs(at).rewrite(sp.exp)))
        assert abs(exact.imag) < 1e-12  # rewriting sin in exponentials leaves a rounding residue
        exact = exact.real
        assert value == pytest.approx(exact, rel=1e-9, abs=1e-12)
        if g.path_counts[name] == len(g.paths[name]):
            assert sum(p.product for p in g.paths[name]) == pytest.approx(value, rel=1e-9, abs=1e-12)
    # topological order: every node's inputs come before it
    assert all(i < n.index for n in g.nodes for i in n.inputs)


def test_text_fits_80_columns_for_a_graph_with_many_paths(capsys):
    text = "sigmoid(x + x^2)*tanh(x*sigmoid(x + x^2)) + exp(x*tanh(x))*x^3 + x*sigmoid(x)*tanh(x*sigmoid(x))"
    assert main(["backprop", text, "--at", "x=0.3"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "paths" in out


def test_backprop_prose_is_typeset_in_every_format(tmp_path):
    """The backward pass, the paths, the network prose and the matrix-calculus method are formulas, each
    of which Typst can read (no fallback to plain text), with no ASCII ^T or _( left in their LaTeX."""
    from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
    from gradwise.explainer import explain
    from gradwise.printing.typst import notation_typst
    from gradwise.simulations.network import load_network
    from gradwise.simulations.weight_paths import explain_parameter

    f = tmp_path / "net.toml"
    f.write_text('sizes = [3, 4, 3]\nactivations = ["tanh", "identity"]\nloss = "cross_entropy"\n'
                 '[data]\ninputs = [[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]]\ntargets = [2, 0]\n')
    results = [build_graph("(w*x - y)^2/2 + w^2/2", "w=1,x=2,y=1"), matrix_gradient("tr(A X B)", "X"),
               matrix_gradient("x^T A x", "x")]
    net, X, y = load_network(str(f))
    results.append(explain_parameter(net, X, y, "W1[0,1]"))
    for r in results:
        found = list(notations(explain(r, "standard").blocks))
        assert len(found) >= 3
        for n in found:
            notation_typst(n.latex)             # raises on anything Typst would get as plain text
            assert "^T" not in n.latex and "_(" not in n.latex and "^T" not in n.text, n
    lines = [p for p in explain(results[0]).blocks]
    assert any("∂f/∂w = ∂f/∂v1·∂v1/∂w + ∂f/∂v2·∂v2/∂w" in n.text for n in notations(lines))


def test_sci_writes_powers_of_ten_as_a_textbook_does():
    from gradwise.explainer.backprop_parts import sci
    assert sci(0.0104) == "0.0104"
    n = sci(1.2247e-7)
    assert n.text == "1.22 × 10⁻⁷" and n.latex == r"1.22 \times 10^{-7}"
    assert float(n.text.split("×")[0]) * 10 ** -7 == pytest.approx(1.22e-7)
    assert sci(3.5e12).text == "3.5 × 10¹²"
