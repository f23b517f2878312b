"""`gradwise check` as a user meets it: text, JSON, exit codes, standard input, batches."""
import io
import shutil
import subprocess
import json
import os

import pytest

from gradwise.grading.batch import Submission, check_many, submissions, summarise
from gradwise.cli import main

CORPUS = os.path.join(os.path.dirname(__file__), "corpus")


def run(capsys, *args, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(["check", *args, "--timeout", "120"])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_marks_steps_and_names_the_mistake(capsys):
    code, out, err = run(capsys, os.path.join(CORPUS, "wrong_chain_exp.tex"))
    assert code == 1 and err == ""
    assert "✗" in out and "At x = " in out and "inner factor 6x is missing" in out
    assert "The correct line (by the\n   chain rule)" in out or "The correct line (by the chain rule)" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_valid_derivation_exits_0_and_marks_every_step(capsys):
    code, out, _ = run(capsys, os.path.join(CORPUS, "right_product_align.tex"))
    assert code == 0 and "✗" not in out
    overview = [line for line in out.splitlines() if line.rstrip().endswith(("✓ 1", "✓ 2", "✓ 3"))]
    assert len(overview) == 3 and len({line.index(" = ") for line in overview}) == 1  # aligned on '='
    assert out.count("✓") == 6  # in the margin of the overview and on each step


def test_standard_input(capsys, monkeypatch):
    code, out, _ = run(capsys, "-", "--format", "json", stdin=r"\frac{d}{dx} e^{3x^2} = e^{3x^2}",
                       monkeypatch=monkeypatch)
    data = json.loads(out)
    assert code == 1 and data["kind"] == "check" and data["first_error"] == 1
    assert data["steps"][0]["counterexample"] == {"x": 2.07}


def test_json_contract(capsys):
    code, out, _ = run(capsys, os.path.join(CORPUS, "wrong_then_right.tex"), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert (data["valid"], data["first_error"]) == (False, 2)
    assert [s["index"] for s in data["steps"]] == [1, 2, 3]
    assert [s["valid"] for s in data["steps"]] == [True, False, True]
    for s in data["steps"]:
        assert {"index", "lhs", "rhs", "valid", "method", "counterexample", "diagnosis"} <= set(s)
        assert s["method"] in ("structural", "symbolic", "numeric")


def test_unreadable_input_exits_2_with_one_line(capsys):
    code, out, err = run(capsys, os.path.join(CORPUS, "unreadable_write18.tex"))
    assert code == 2 and "not allowed" in out


def test_missing_file_and_size_limit_are_one_line_errors(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "nope.tex"))
    assert code == 2 and err.startswith("error: no such file") and err.count("\n") == 1
    big = tmp_path / "big.tex"
    big.write_text("x = x\n" * 100)
    code, _, err = run(capsys, str(big), "--max-size", "100")
    assert code == 2 and "larger than 100 bytes" in err


def test_assume_positive(capsys, tmp_path):
    f = tmp_path / "d.tex"
    f.write_text(r"\sqrt{x^2} = x")
    assert run(capsys, str(f))[0] == 1
    assert run(capsys, str(f), "--assume-positive")[0] == 0


def test_latex_output_annotates_the_margin_and_escapes_unreadable_text(capsys):
    code, out, _ = run(capsys, os.path.join(CORPUS, "wrong_quotient_order.tex"), "--format", "latex")
    assert code == 1 and r"& \qquad & \times\ \text{1}" in out
    code, out, _ = run(capsys, os.path.join(CORPUS, "unreadable_middle_line.tex"), "--format", "latex")
    assert code == 2 and r"\texttt{\textbackslash{}frac\{(x-1)(x+1\}\{1\}}" in out


# ----------------------------------------------------------------------------------------------------
# Batches

def test_folder_batch_one_verdict_a_line_then_a_summary(capsys, tmp_path):
    for name in ("right_chain_exp", "wrong_product_rule", "unreadable_input"):
        (tmp_path / f"{name}.tex").write_text(open(os.path.join(CORPUS, f"{name}.tex")).read())
    (tmp_path / "notes.md").write_text("not a submission")
    code, out, _ = run(capsys, str(tmp_path), "--format", "json", "--jobs", "2")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [v.get("name") for v in lines[:-1]] == ["right_chain_exp.tex", "unreadable_input.tex",
                                                   "wrong_product_rule.tex"]
    assert [v["exit_code"] for v in lines[:-1]] == [0, 2, 1]
    assert lines[-1] == {"kind": "check_summary", "submissions": 3, "valid": 1, "invalid": 1,
                         "unreadable": 1, "error": 0}
    assert code == 2


def test_jsonl_batch_keeps_going_after_broken_lines(capsys, tmp_path):
    f = tmp_path / "class.jsonl"
    f.write_text('{"id": "ann", "text": "x + x = 2x"}\nnot json\n{"id": "bob"}\n'
                 '{"id": "cy", "text": "\\\\frac{d}{dx} x^2 = x"}\n')
    code, out, _ = run(capsys, str(f))
    assert out.splitlines()[0] == "ann: valid"
    assert out.splitlines()[1].startswith("line 2: unreadable")
    assert out.splitlines()[2].startswith("line 3: unreadable")
    assert out.splitlines()[3] == "cy: invalid, first error at step 1 (line 1): the constant factor 2 was dropped"
    assert "4 submissions: 1 valid, 1 with a wrong step, 2 unreadable, 0 failed" in out


def test_a_submission_that_times_out_or_is_too_large_gets_its_own_error_verdict():
    items = [Submission("slow", r"\frac{d^{12}}{dx^{12}} e^{x^2}\sin(x^3)\cos(e^x) = 0"),
             Submission("big", "x = x\n" * 50),
             Submission("fine", r"\frac{d}{dx} x^3 = 3x^2")]
    verdicts = list(check_many(items, jobs=2, timeout=0.5, max_bytes=200))
    assert [v["name"] for v in verdicts] == ["slow", "big", "fine"]
    assert "gave up" in verdicts[0]["error"] and "too large" in verdicts[1]["error"]
    assert verdicts[2]["valid"] is True
    assert summarise(verdicts)["error"] == 1


def test_parallel_and_serial_batches_agree():
    items = [s for s in submissions(CORPUS)][:12]
    serial = list(check_many(items, jobs=1, timeout=120))
    parallel = list(check_many(items, jobs=2, timeout=120))
    assert serial == parallel


def test_empty_folder_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "no .tex or .txt files" in err


def test_long_lines_fit_80_columns(capsys, tmp_path):
    f = tmp_path / "long.tex"
    f.write_text(r"""\begin{align*}
\frac{\partial}{\partial w}\left(-y\ln\sigma(wx+b) - (1-y)\ln(1-\sigma(wx+b))\right)
 &= -y\frac{\sigma(wx+b)(1-\sigma(wx+b))x}{\sigma(wx+b)} + (1-y)\frac{\sigma(wx+b)(1-\sigma(wx+b))x}{1-\sigma(wx+b)} \\
 &= (\sigma(wx+b) - y)x^2
\end{align*}""")
    code, out, _ = run(capsys, str(f))
    assert code == 1 and max(len(line) for line in out.splitlines()) <= 80


def test_input_without_a_step_cannot_be_checked(capsys, monkeypatch):
    code, out, _ = run(capsys, "-", stdin="x^2 + 1", monkeypatch=monkeypatch)
    assert code == 2 and "no step A = B" in out


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("name", ["wrong_slip_last_line", "unreadable_middle_line", "domain_log_product",
                                  "right_gradient"])
def test_annotated_latex_compiles(capsys, tmp_path, name):
    target = tmp_path / "check.tex"
    run(capsys, os.path.join(CORPUS, f"{name}.tex"), "--format", "latex", "--standalone", "-o", str(target))
    done = subprocess.run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                           target.name], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-800:]
    assert (tmp_path / "check.pdf").stat().st_size > 1000


def test_hostile_text_in_an_unreadable_side_is_escaped_in_latex(capsys, tmp_path):
    f = tmp_path / "d.tex"
    f.write_text("x = x\n= #1 ^^5c $ & _ ~ \\frac{")
    target = tmp_path / "out.tex"
    code, _, _ = run(capsys, str(f), "--format", "latex", "-o", str(target))
    text = target.read_text()
    assert code == 2 and r"\#1 \textasciicircum{}\textasciicircum{}5c" in text and "\\frac{" not in text.split("texttt")[1][:40]


def test_pdf_output(capsys, tmp_path):
    pytest.importorskip("typst")
    target = tmp_path / "check.pdf"
    code, _, _ = run(capsys, os.path.join(CORPUS, "unreadable_middle_line.tex"), "--format", "pdf", "-o", str(target))
    assert code == 2 and target.read_bytes().startswith(b"%PDF")


def test_full_detail_says_how_many_points_agreed(capsys):
    code, out, _ = run(capsys, os.path.join(CORPUS, "right_quotient.tex"), "--detail", "full")
    assert code == 0 and "Both sides agree at 4 random points" in out
    code, out, _ = run(capsys, os.path.join(CORPUS, "right_quotient.tex"), "--format", "json")
    assert json.loads(out)["steps"][0]["points"] == 4
