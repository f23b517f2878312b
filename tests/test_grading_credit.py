"""Partial credit from a task file and the grades CSV: marks by the task's rules, worked out by hand for
each derivation (the oracle), error carried forward, deductions, and the rows a gradebook imports."""
from __future__ import annotations

import csv
import json

import pytest

from gradwise.derivations.verify import check
from gradwise.errors import GradwiseError
from gradwise.grading.credit import credit, load_task, task_from

from test_grading_stream import gradwise

TASK = {"problem": {"expression": r"x^2 \sin x", "variable": "x"},
        "marks": {"per_step": 1, "steps": 2, "final_answer": 2, "error_carried_forward": True},
        "deductions": {"product_rule": 1}}
RIGHT = "\\frac{d}{dx} x^2 \\sin x = 2x \\sin x + x^2 \\cos x\n= x(2 \\sin x + x \\cos x)"
CARRIED = "\\frac{d}{dx} x^2 \\sin x = 2x \\sin x + x \\cos x\n= x(2 \\sin x + \\cos x)"  # x^2 -> x, then right
PRODUCT = r"\frac{d}{dx} x^2 \sin x = 2x \cos x"   # the product rule as a product of derivatives
OTHER = r"\frac{d}{dx} x^3 = 3x^2"                  # right, but not this problem


def marks(text: str, **changes) -> dict:
    data = {k: dict(v) for k, v in TASK.items()}
    for key, value in changes.items():
        table, name = key.split("__")
        data[table][name] = value
    return credit(check(text, timeout=600, step_timeout=300), task_from(data), step_timeout=300)


def test_a_right_derivation_gets_every_mark():
    c = marks(RIGHT)
    assert (c["marks"], c["out_of"]) == (4, 4)  # 2 steps x 1 + final answer 2
    assert [line["status"] for line in c["lines"]] == ["right", "right"]


def test_error_carried_forward_keeps_the_marks_of_a_line_that_follows():
    on, off = marks(CARRIED), marks(CARRIED, marks__error_carried_forward=False)
    assert [line["status"] for line in on["lines"]] == ["wrong", "carried"]
    assert on["marks"] == 1 and off["marks"] == 0   # the carried step only, no final answer
    assert on["lines"][1]["truth"] is False


def test_a_named_mistake_is_deducted_and_marks_never_go_below_zero():
    c = marks(PRODUCT)
    assert c["lines"][0]["status"] == "wrong" and c["deducted"] == 1 and c["marks"] == 0
    assert marks(PRODUCT, deductions__product_rule=0.5)["deducted"] == 0.5


def test_a_derivation_of_another_problem_earns_nothing():
    c = marks(OTHER)
    assert c["marks"] == 0 and c["lines"][0]["status"] == "off_problem"


def test_step_marks_stop_at_the_task_s_number_of_steps():
    c = marks(RIGHT, marks__steps=1)
    assert (c["marks"], c["out_of"]) == (3, 3)


def test_the_truth_can_be_the_expected_result():
    c = credit(check("(a+b)^2 = a^2 + 2ab + b^2", timeout=600, step_timeout=300),
               task_from({"problem": {"result": "a^2 + 2ab + b^2"}, "marks": {"final_answer": 1}}), step_timeout=300)
    assert (c["marks"], c["out_of"]) == (1, 1)


@pytest.mark.parametrize("data, words", [
    ({"problem": {"expression": "x^2"}}, "problem.variable must be"),
    ({"problem": {"result": "x", "expression": "x"}}, "either result"),
    ({"problem": {"result": "x"}, "marks": {"per_stpe": 1}}, "unknown key marks.per_stpe"),
    ({"problem": {"result": "x"}, "marks": {"final_answer": 1}, "deductions": {"chain": 1}}, "unknown mistake id"),
    ({"problem": {"result": "x = y"}, "marks": {"final_answer": 1}}, "cannot read problem.result"),
    ({"problem": {"result": "x"}, "marks": {"final_answer": -1}}, "0 or more"),
    ({"problem": {"result": "x"}}, "gives no marks"),
])
def test_a_task_file_it_does_not_understand_is_refused_by_name(data, words):
    with pytest.raises(GradwiseError, match=words):
        task_from(data)


def test_load_task_reads_toml_and_refuses_broken_toml(tmp_path):
    good = tmp_path / "task.toml"
    good.write_text('[problem]\nexpression = "x^2 \\\\sin x"\nvariable = "x"\n[marks]\nsteps = 2\n')
    assert load_task(str(good)).out_of == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("[problem\n")
    with pytest.raises(GradwiseError, match="not valid TOML"):
        load_task(str(bad))


def test_grades_csv_one_row_a_student_and_it_resumes(tmp_path):
    task = tmp_path / "task.toml"
    task.write_text('[problem]\nexpression = "x^2 \\\\sin x"\nvariable = "x"\n'
                    '[marks]\nper_step = 1\nsteps = 2\nfinal_answer = 2\n[deductions]\nproduct_rule = 1\n'
                    '[gradebook]\nid_column = "SIS User ID"\nmarks_column = "Quiz 3"\n')
    course = tmp_path / "class.jsonl"
    rows = [("ann", RIGHT), ("bob", PRODUCT), ("cy", CARRIED), ("=HYPERLINK(1)", OTHER)]
    course.write_text("".join(json.dumps({"id": n, "text": t}) + "\n" for n, t in rows) + "broken\n")
    out = tmp_path / "grades.csv"
    env = {"GRADWISE_CACHE_DIR": str(tmp_path / "c")}
    done = gradwise(str(course), "--task", str(task), "-o", str(out), "--jobs", "2", "--timeout", "60", env=env)
    assert done.returncode == 2, done.stderr
    assert "5 submissions: 2 valid, 2 with a wrong step, 1 unreadable" in done.stderr
    table = list(csv.reader(out.open()))
    assert table == [["SIS User ID", "Quiz 3", "out_of", "first_wrong_line", "mistake", "verdict"],
                     ["ann", "4", "4", "", "", "valid"],
                     ["bob", "0", "4", "1", "product_rule", "invalid"],
                     ["cy", "1", "4", "1", "", "invalid"],
                     ["'=HYPERLINK(1)", "0", "4", "1", "off_problem", "valid"],
                     ["line 5", "0", "", "", "", "unreadable"]]
    whole = out.read_text()
    out.write_text("".join(whole.splitlines(keepends=True)[:3]) + "cy,1,")  # cut short mid-row
    done = gradwise(str(course), "--task", str(task), "-o", str(out), "--resume", "--timeout", "60", env=env)
    assert done.returncode == 2, done.stderr
    assert out.read_text() == whole


def test_csv_needs_a_task(tmp_path):
    course = tmp_path / "class.jsonl"
    course.write_text(json.dumps({"id": "a", "text": "x = x"}) + "\n")
    done = gradwise(str(course), "-o", str(tmp_path / "g.csv"))
    assert done.returncode == 2 and "--format csv writes marks: add --task" in done.stderr
