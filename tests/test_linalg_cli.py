"""The linear-algebra commands as a user runs them: text at 80 columns, every format, JSON contracts,
one-line errors with exit code 2."""
import json

import pytest

from gradwise.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", [
    ("eig", "[[2,1],[1,2]]"), ("eig", "[[5,4,2],[4,5,2],[2,2,2]]"), ("eig", "[[2,1,0],[0,2,1],[0,0,2]]"),
    ("eig", "[[a,b],[b,a]]"), ("eig", "[[0,-1],[1,0]]"), ("det", "[[2,0,1],[1,3,2],[1,1,1]]"),
    ("dot", "[1,2,3]", "[4,5,6]"), ("matmul", "[[1,2],[3,4]]", "[[5],[6]]"),
])
def test_text_fits_80_columns_and_other_formats_work(capsys, argv):
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    for fmt in ("latex", "md", "json"):
        code, out, _ = run(capsys, *argv, "--format", fmt)
        assert code == 0 and out.strip()


def test_eig_json_contract(capsys):
    code, out, _ = run(capsys, "eig", "[[2,1],[1,2]]", "--format", "json")
    data = json.loads(out)
    assert data["kind"] == "eigen" and data["variable"] == "lambda"
    assert data["characteristic_polynomial"] == "lambda**2 - 4*lambda + 3"
    values = {e["value"]: e for e in data["eigenvalues"]}
    assert set(values) == {"1", "3"}
    assert values["3"]["eigenvectors"] == [["1", "1"]]
    assert values["1"]["algebraic_multiplicity"] == 1 and values["1"]["geometric_multiplicity"] == 1
    rules = [s["rule"] for s in data["steps"]]
    assert rules[:3] == ["characteristic_matrix", "characteristic_polynomial", "factor"]
    assert all(s["check"]["valid"] for s in data["steps"])


def test_defective_is_said(capsys):
    code, out, _ = run(capsys, "eig", "[[1,1],[0,1]]")
    out = " ".join(out.split())
    assert "defective" in out and "geometric multiplicity 1 is less than the algebraic multiplicity 2" in out
    data = json.loads(run(capsys, "eig", "[[1,1],[0,1]]", "-f", "json")[1])
    assert data["defective"] and not data["diagonalisable"]


def test_worked_2x2_reads_like_a_textbook(capsys):
    out = run(capsys, "eig", "[[2,1],[1,2]]")[1]
    for line in ["A − λI = [2 - λ, 1; 1, 2 - λ]", "det[2 - λ, 1; 1, 2 - λ] = (2 - λ)·(2 - λ) - 1·1",
                 "= λ² - 4λ + 3", "λ - 3 = 0 ⇒ λ = 3", "R₂ → R₂ - R₁ ⇒ [1, 1; 0, 0]", "v₂ = (1, 1)ᵀ",
                 "= tr A", "= det A", "v₁·v₂ = (-1)·1 + 1·1"]:
        assert line in out, line


def test_dot_matmul_det_pca_json(capsys, tmp_path):
    data = json.loads(run(capsys, "dot", "[1,2,3]", "[4,5,6]", "-f", "json")[1])
    assert data["kind"] == "dot" and data["result"] == "32" and data["steps"][0]["before"] == "1*4 + 2*5 + 3*6"
    data = json.loads(run(capsys, "matmul", "[[1,2],[3,4]]", "[[5],[6]]", "-f", "json")[1])
    assert data["result"] == [["17"], ["39"]]
    data = json.loads(run(capsys, "det", "[[2,0,1],[1,3,2],[1,1,1]]", "-f", "json")[1])
    assert data["result"] == "0" and data["steps"][0]["rule"] == "cofactor_expansion"
    csv = tmp_path / "d.csv"
    csv.write_text("x,y\n1,2\n2,4.1\n3,6.2\n4,7.9\n")
    code, out, err = run(capsys, "pca", str(csv), "--components", "1", "--plot", str(tmp_path / "p.png"), "-f", "json")
    data = json.loads(out)
    assert code == 0 and data["eigenvalues"][0] > data["eigenvalues"][1] and data["plot"].endswith("p.png")


@pytest.mark.parametrize("argv,message", [
    (("eig", "[[1,2],[3,4],[5,6]]"), "square"),
    (("eig", "[[1,2],[3"), "end of the input"),
    (("eig", "[[1,2],[3,4]]; import os"), ""),
    (("matmul", "[[1,2,3]]", "[[1,2]]"), "1×3 matrix by a 1×2 matrix"),
    (("dot", "[1,2]", "[1]"), "different lengths"),
    (("det", "[[1,2],[3,4]]", "--method", "rows", "--timeout", "0.0001"), ""),
    (("pca", "/no/such.csv"), "no such file"),
    (("eig", "[" * 200), ""),
])
def test_errors_are_one_line_exit_2(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err


@pytest.mark.skipif(__import__("shutil").which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("argv", [("eig", "[[0,-1],[1,0]]", "--stability"), ("matmul", "[[1,2],[3,4]]", "[[5],[6]]"),
                                  ("dot", "[1,2,3]", "[4,5,6]")])
def test_latex_compiles(capsys, tmp_path, argv):
    import subprocess
    if argv[-1] == "--stability":
        argv = ("eig", "[[2,1],[1,2]]", "--stability")
    tex = tmp_path / "doc.tex"
    assert main([*argv, "--format", "latex", "--standalone", "--detail", "full", "-o", str(tex)]) == 0
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", tex.name],
                          cwd=tmp_path, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]


def test_markdown_keeps_matrix_columns(capsys):
    """A one-line display with a matrix keeps the matrix's & (the renderer once stripped them)."""
    out = run(capsys, "eig", "[[2,1],[1,2]]", "--format", "md")[1]
    assert r"A - \lambda I = \left[\begin{matrix}2 - \lambda & 1\\1 & 2 - \lambda\end{matrix}\right]" in out
