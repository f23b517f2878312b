"""Grading a course as a teacher runs it: streamed batches in input order, resume after an interruption,
hard time limits on workers, and the verdict cache."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future

import pytest
from hypothesis import given, strategies as st

from gradwise.grading.batch import Submission
from gradwise.errors import GradwiseError
from gradwise.grading.cache import VerdictCache, normalise
from gradwise.grading.resume import check_continues, resume_point
from gradwise.grading.stream import Pending, ordered

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_class(path, n: int, bad_every: int = 97) -> list[tuple[str, bool | None]]:
    """A JSONL class of n tiny algebra submissions, every `bad_every`-th line broken; returns what each
    should get by construction: (name, valid) with None for an unreadable line."""
    expected = []
    with open(path, "w") as f:
        for i in range(n):
            if i % bad_every == 5:
                f.write("this is not json\n" if i % 2 else '{"id": "no text"}\n')
                expected.append((f"line {i + 1}", None))
                continue
            k, right = i % 37 + 2, i % 3 != 0
            text = f"{k} x +   x = {k + 1 if right else k + 2} x" + ("\n\n" if i % 5 == 0 else "")
            f.write(json.dumps({"id": f"s{i:05d}", "text": text}) + "\n")
            expected.append((f"s{i:05d}", right))
    return expected


def gradwise(*args, env: dict | None = None, **kwargs) -> subprocess.Popen | subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": ROOT, **(env or {})}
    command = [sys.executable, "-m", "gradwise", "check", *args]
    if kwargs.pop("background", False):
        return subprocess.Popen(command, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=full, capture_output=True, text=True, timeout=300, **kwargs)


def verdict_lines(path) -> list[dict]:
    with open(path) as f:
        return [json.loads(line) for line in f]


# ----------------------------------------------------------------------------------------------------
# The ordered window

class _Later:
    """Futures completed in a shuffled order, only when the window waits for one."""

    def __init__(self, order: list[int]):
        self.order, self.in_flight, self.most = order, 0, 0

    def submit(self, s: Submission) -> Pending:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        f: Future = Future()
        return Pending(s, future=f)

    def resolve(self, p: Pending) -> dict:
        self.in_flight -= 1
        p.future.set_result({"name": p.submission.name})
        return p.future.result()


@given(st.integers(0, 60), st.integers(1, 9))
def test_ordered_keeps_input_order_and_bounds_the_window(n, window):
    items = [Submission(f"s{i}", "x = x") for i in range(n)]
    backend = _Later(list(range(n)))
    got = [v["name"] for _, v in ordered(iter(items), backend.submit, backend.resolve, window)]
    assert got == [s.name for s in items]
    assert backend.most <= max(window, 1)


def test_normalise_keeps_line_numbers_and_folds_spaces():
    assert normalise("a  +\tb =  c  \r\n\n  = d\n\n\n") == "a + b = c\n\n= d"
    assert normalise("x = x") == "x = x"


# ----------------------------------------------------------------------------------------------------
# Resume

def test_resume_cuts_a_partial_line_and_the_summary(tmp_path):
    out = tmp_path / "v.jsonl"
    good = {"name": "a", "kind": "check", "valid": True, "readable": True, "exit_code": 0}
    out.write_text(json.dumps(good) + "\n" + json.dumps({"kind": "check_summary"}) + "\n")
    tally = resume_point(str(out), "json")
    assert tally.submissions == 1 and out.read_text() == json.dumps(good) + "\n"
    out.write_text(json.dumps(good) + "\n" + '{"name": "b", "ki')
    assert resume_point(str(out), "json").submissions == 1
    assert out.read_text() == json.dumps(good) + "\n"


def test_resume_refuses_a_file_of_another_input(tmp_path):
    out = tmp_path / "v.jsonl"
    out.write_text(json.dumps({"name": "zed", "kind": "check", "exit_code": 0}) + "\n")
    with pytest.raises(GradwiseError, match="does not continue this input"):
        list(check_continues(iter([Submission("ann", "x = x")]), str(out), "json", 1))
    out.write_text("a line of something else\n")
    with pytest.raises(GradwiseError, match="not a verdict"):
        resume_point(str(out), "json")


# ----------------------------------------------------------------------------------------------------
# Whole runs, as a teacher types them

@pytest.fixture
def course(tmp_path):
    path = tmp_path / "class.jsonl"
    return path, make_class(path, 2000)


def test_two_thousand_submissions_stream_in_order_one_verdict_each(course, tmp_path):
    path, expected = course
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"v{jobs}.jsonl"
        done = gradwise(str(path), "-o", str(out), "--jobs", jobs, "--timeout", "60",
                        env={"GRADWISE_CACHE_DIR": str(tmp_path / jobs)})
        assert done.returncode == 2, done.stderr  # the broken lines are unreadable
        runs[jobs] = out.read_text()
    assert runs["1"] == runs["2"]
    lines = [json.loads(line) for line in runs["2"].splitlines()]
    *verdicts, summary = lines
    assert [v["name"] for v in verdicts] == [name for name, _ in expected]
    assert [v["valid"] if v["readable"] else None for v in verdicts] == [ok for _, ok in expected]
    bad = sum(ok is None for _, ok in expected)
    assert summary == {"kind": "check_summary", "submissions": 2000, "valid": sum(ok is True for _, ok in expected),
                       "invalid": sum(ok is False for _, ok in expected), "unreadable": bad, "error": 0}


def test_no_cache_gives_the_same_verdicts_as_the_cache(tmp_path):
    path = tmp_path / "class.jsonl"
    make_class(path, 30)
    env = {"GRADWISE_CACHE_DIR": str(tmp_path / "c")}
    first, second, third = (tmp_path / f"{n}.jsonl" for n in "abc")
    gradwise(str(path), "-o", str(first), "--jobs", "2", "--timeout", "60", env=env)
    gradwise(str(path), "-o", str(second), "--jobs", "2", "--timeout", "60", env=env)  # all from the cache
    gradwise(str(path), "-o", str(third), "--jobs", "2", "--no-cache", "--timeout", "60", env=env)
    assert first.read_text() == second.read_text() == third.read_text()
    assert os.path.exists(tmp_path / "c" / "verdicts.sqlite3")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_resumed_gives_the_same_file(tmp_path, how):
    path = tmp_path / "class.jsonl"
    make_class(path, 40)
    env = {"GRADWISE_CACHE_DIR": str(tmp_path / "c")}
    whole = tmp_path / "whole.jsonl"
    gradwise(str(path), "-o", str(whole), "--jobs", "2", "--timeout", "60", env=env)
    cut = tmp_path / "cut.jsonl"
    run = gradwise(str(path), "-o", str(cut), "--jobs", "2", "--no-cache", "--timeout", "60", background=True,
                   env={**env, "GRADWISE_TEST_SLOW": "0.2"})
    for _ in range(600):  # until some verdicts are written, at most a minute
        if cut.exists() and cut.read_text().count("\n") >= 5:
            break
        time.sleep(0.1)
    run.send_signal(how)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert "--resume" in err
    written = cut.read_text()
    assert written.endswith("\n") and 5 <= written.count("\n") < 41
    done = gradwise(str(path), "-o", str(cut), "--jobs", "2", "--resume", "--no-cache", "--timeout", "60", env=env)
    assert done.returncode == 2, done.stderr
    assert cut.read_text() == whole.read_text()


def test_a_submission_that_never_returns_is_killed_and_the_batch_goes_on(tmp_path):
    path = tmp_path / "class.jsonl"
    make_class(path, 8)
    out = tmp_path / "v.jsonl"
    done = gradwise(str(path), "-o", str(out), "--jobs", "2", "--timeout", "3", "--no-cache",
                    env={"GRADWISE_TEST_HANG": "s00002"})
    assert done.returncode == 2, done.stderr
    *verdicts, summary = verdict_lines(out)
    assert [v["name"] for v in verdicts][:4] == ["s00000", "s00001", "s00002", "s00003"]
    assert "gave up after 3 s (the worker was stopped)" in verdicts[2]["error"]
    assert all(v["readable"] for k, v in enumerate(verdicts) if k not in (2, 5))
    assert summary["error"] == 1


def test_batch_options_are_refused_for_one_derivation_and_text_cannot_resume(tmp_path):
    tex = tmp_path / "d.tex"
    tex.write_text("x + x = 2x")
    done = gradwise(str(tex), "--resume")
    assert done.returncode == 2 and "--resume is for a batch" in done.stderr
    path = tmp_path / "class.jsonl"
    make_class(path, 3)
    done = gradwise(str(path), "-o", str(tmp_path / "v.txt"), "--resume")
    assert done.returncode == 2 and "--resume needs --format json or csv" in done.stderr
    assert "Traceback" not in done.stderr


def test_cache_round_trip(tmp_path):
    cache = VerdictCache(str(tmp_path))
    cache.put("k", {"kind": "check", "steps": [{"counterexample": {"x": 0.5}}]})
    cache.close()
    assert VerdictCache(str(tmp_path)).get("k") == {"kind": "check", "steps": [{"counterexample": {"x": 0.5}}]}


def test_without_dask_the_scheduler_option_says_how_to_install_it(monkeypatch):
    from gradwise.grading import dask_backend
    from gradwise.grading.workers import Settings
    monkeypatch.setattr(dask_backend, "available", lambda: False)
    with pytest.raises(GradwiseError, match=r"pip install 'gradwise\[dask\]'"):
        dask_backend.DaskBackend("local:2", Settings())
