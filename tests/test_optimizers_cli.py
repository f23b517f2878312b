"""`gradwise optimize`: the commands of the issue, the JSON contract, plots, and bad input."""
from __future__ import annotations

import json

import numpy as np
import pytest

import gradwise
from gradwise.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_contract(capsys):
    code, out, _ = _run(capsys, "optimize", "x^2 + 10 y^2", "--start", "3,1", "--method", "adam", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "optimization" and data["variables"] == ["x", "y"]
    assert data["gradient"] == ["2*x", "20*y"]
    run = data["runs"][0]
    assert run["method"] == "adam" and run["hyperparameters"]["lr"] == 1e-3 and run["hyperparameters"]["betas"] == [0.9, 0.999]
    assert len(run["params"]) == 101 and len(run["loss"]) == 101 and len(run["grads"]) == 100
    api = gradwise.optimize("x^2 + 10 y^2", [3, 1], method="adam", steps=100)
    assert np.array_equal(np.array(run["params"]), api.params)
    assert data["analysis"]["eigenvalues"] == [2.0, 20.0] and data["analysis"]["lr_max"] == 0.1


def test_rosenbrock_plot_png_and_negative_start(capsys, tmp_path):
    png = tmp_path / "rosen.png"
    code, out, err = _run(capsys, "optimize", "(1-x)^2 + 100(y-x^2)^2", "--start", "-1.2,1", "--method", "sgd",
                          "--lr", "1e-3", "--steps", "500", "--plot", str(png))
    assert code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "After 500 steps" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_compare_with_nesterov_and_svg(capsys, tmp_path):
    svg = tmp_path / "cmp.svg"
    code, out, _ = _run(capsys, "optimize", "x^2 + 10 y^2", "--start", "3,1", "--method", "sgd", "--lr", "0.02",
                        "--momentum", "0.9", "--nesterov", "--compare", "adam:lr=0.1,rmsprop", "--plot", str(svg),
                        "--format", "json")
    data = json.loads(out)
    assert [r["method"] for r in data["runs"]] == ["sgd", "adam", "rmsprop"]
    assert data["runs"][0]["hyperparameters"]["nesterov"] is True
    assert data["runs"][1]["hyperparameters"]["lr"] == 0.1 and data["runs"][2]["hyperparameters"]["lr"] == 0.02
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "adam lr=0.1" in text


def test_vectorised_sweep(capsys, tmp_path):
    png = tmp_path / "sweep.png"
    code, out, _ = _run(capsys, "optimize", "x^2 + 10 y^2", "--start", "3,1", "--method", "sgd",
                        "--sweep", "lr=1e-3:0.2:40", "--plot", str(png), "--format", "json")
    assert code == 0 and png.stat().st_size > 1000
    sw = json.loads(out)["sweep"]
    assert sw["parameter"] == "lr" and len(sw["values"]) == 40 and len(sw["final_loss"]) == 40
    assert 0.08 < sw["best"]["value"] < 0.1


def test_data_with_minibatches(capsys, tmp_path):
    csv = tmp_path / "points.csv"
    csv.write_text("x,y\n0,0\n1,0\n2,1\n3,1\n0.5,0\n2.5,1\n1.5,1\n1.2,0\n")
    code, out, _ = _run(capsys, "optimize", "logistic", "--data", str(csv), "--method", "sgd", "--batch-size", "4",
                        "--seed", "0", "--lr", "0.5", "--steps", "200", "--format", "json")
    data = json.loads(out)
    assert data["data"]["rows"] == 8 and data["data"]["loss"] == "logistic"
    run = data["runs"][0]
    assert len(run["batches"]) == 200 and all(len(b) == 4 for b in run["batches"])
    batches = tmp_path / "b.json"
    batches.write_text(json.dumps(run["batches"]))
    code, out2, _ = _run(capsys, "optimize", "logistic", "--data", str(csv), "--method", "sgd", "--batches",
                         str(batches), "--lr", "0.5", "--steps", "200", "--format", "json")
    assert json.loads(out2)["runs"][0]["params"] == run["params"]


def test_explain_shows_the_update_with_the_gradient(capsys):
    code, out, _ = _run(capsys, "optimize", "x^2 + 10 y^2", "--start", "3,1", "--lr", "0.01", "--explain")
    assert "θ_t ← θ_{t-1} − γ g_t" in out
    assert "x_t = -0.01·g_x + x_{t-1} = 0.98·x_{t-1}" in out or "0.98·x_{t-1}" in out
    assert "0.8·y_{t-1}" in out
    code, out, _ = _run(capsys, "optimize", "x^2 + 10 y^2", "--start", "3,1", "--method", "adam", "--explain",
                        "--format", "latex")
    assert r"\frac{\gamma}{1-\beta_1^t}" in out


def test_overflow_is_a_warning_with_the_step(capsys):
    code, out, err = _run(capsys, "optimize", "x^4 + y^2", "--start", "10,1", "--lr", "0.5", "--steps", "50")
    assert code == 0
    assert "warning: sgd stopped at step 4: " in err and "overflowed" in err
    assert "The run stopped at step 4" in out


@pytest.mark.parametrize("argv,words", [
    (["x^2", "--start", "1", "--method", "adma"], "unknown method 'adma' (did you mean adam?)"),
    (["x^2", "--start", "1", "--method", "adam", "--momentum", "0.9"], "adam has no hyperparameter 'momentum'"),
    (["x^2", "--start", "1", "--nesterov"], "nesterov needs a momentum > 0"),
    (["x^2", "--start", "1", "--lr", "-0.1"], "lr must be >= 0"),
    (["x^2 + y^2", "--start", "1"], "the start has 1 coordinate but the function has 2 variables"),
    (["x^2 + y^2", "--start", "1,a"], "--start is numbers separated by commas"),
    (["x^2", "--start", "1", "--sweep", "lr=1:2"], "--sweep is KEY=FROM:TO:COUNT"),
    (["x^2", "--start", "1", "--sweep", "betas=0:1:3"], "cannot sweep betas"),
    (["x^2", "--start", "1", "--plot", "out.gif"], "a plot is written as .png or .svg"),
    (["x^2 + y^2 + z^2", "--start", "1,1,1", "--plot", "/tmp/never.png", "--plot-kind",
      "contour"], "a contour plot needs 2 parameters"),
    (["logistic", "--start", "1"], "'logistic' is a loss on data: add --data FILE"),
    (["x^2 +", "--start", "1"], "unexpected end of input at column 6"),
    (["x^2", "--start", "1", "--compare", "sgd:lr=abc"], "'abc' is not a number"),
    (["__import__('os')", "--start", "1"], "unexpected"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, words):
    code, out, err = _run(capsys, "optimize", *argv)
    assert code == 2, err
    assert words in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_documents_carry_the_picture(capsys, tmp_path):
    html = tmp_path / "o.html"
    code, _, _ = _run(capsys, "optimize", "bowl", "--lr", "0.05", "--compare", "adam:lr=0.3", "--format", "html",
                      "-o", str(html))
    page = html.read_text()
    assert code == 0 and "<figure><svg" in page and "adam lr=0.3" in page
    png = tmp_path / "b.png"
    code, out, _ = _run(capsys, "optimize", "bowl", "--lr", "0.05", "--plot", str(png), "--format", "latex")
    assert rf"\includegraphics[width=0.7\linewidth]{{{png}}}" in out


def test_several_starts_run_as_one_array(capsys, tmp_path):
    code, out, _ = _run(capsys, "optimize", "himmelblau", "--start", "0,0;-1,1;1,-3;-4,-1", "--lr", "0.01",
                        "--steps", "200", "--format", "json")
    sw = json.loads(out)["sweep"]
    assert sw["parameter"] == "start" and sw["starts"] == [[0, 0], [-1, 1], [1, -3], [-4, -1]]
    ends = np.array(sw["final"])
    minima = np.array([[3, 2], [-2.805118, 3.131312], [3.584428, -1.848126], [-3.779310, -3.283186]])
    assert np.allclose(ends, minima, atol=1e-5)      # four starts, four different minima
    one = gradwise.optimize("himmelblau", [1, -3], lr=0.01, steps=200)
    assert np.array_equal(ends[2], one.final)
    code, _, err = _run(capsys, "optimize", "himmelblau", "--start", "0,0;1", "--lr", "0.01")
    assert code == 2 and "same number of coordinates" in err
