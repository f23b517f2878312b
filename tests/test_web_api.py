"""The web API answers exactly as the CLI's --format json does, refuses hostile requests with 400/413,
bounds each request's time in a killable worker, and answers concurrent requests each with its own work."""
from __future__ import annotations

import contextlib
import io
import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install 'gradwise[web]'")
pytest.importorskip("pebble", reason="the web extra is not installed: pip install 'gradwise[web]'")

import httpx  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from gradwise.cli import main  # noqa: E402
from gradwise.derivations.parsing import parse  # noqa: E402
from gradwise.errors import InputError  # noqa: E402
from gradwise.web.app import create_app  # noqa: E402
from web_server import running_server  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(jobs=2, limit=120.0), base_url="http://127.0.0.1") as c:  # generous: the machine may be busy
        yield c


def cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


CASES = [
    ("diff", {"expression": "x^2 sin(x)"}, ["diff", "x^2 sin(x)"]),
    ("diff", {"expression": "sigmoid(w*x + b)", "wrt": "w", "detail": "full"},
     ["diff", "sigmoid(w*x + b)", "--wrt", "w", "--detail", "full"]),
    ("diff", {"expression": "x^3 e^x", "order": 2}, ["diff", "x^3 e^x", "--order", "2"]),
    ("diff", {"expression": r"\frac{1}{1+e^{-x}}"}, ["diff", r"\frac{1}{1+e^{-x}}"]),
    ("diff", {"expression": "-x^2"}, ["diff", "--", "-x^2"]),
    ("grad", {"expression": "x^2 y + sin(x y)", "wrt": "x,y", "at": "x=1,y=2"},
     ["grad", "x^2 y + sin(x y)", "--wrt", "x,y", "--at", "x=1,y=2"]),
    ("hessian", {"expression": "x^3 + x y^2", "wrt": "x,y"}, ["hessian", "x^3 + x y^2", "--wrt", "x,y"]),
    ("matgrad", {"expression": "x^T A x", "wrt": "x"}, ["matgrad", "x^T A x", "--wrt", "x"]),
    ("matgrad", {"expression": "a^T X b", "wrt": "X", "shape": ["X=3x4"]},
     ["matgrad", "a^T X b", "--wrt", "X", "--shape", "X=3x4"]),
    ("eig", {"matrix": "[[2,1],[1,2]]", "stability": True}, ["eig", "[[2,1],[1,2]]", "--stability"]),
    ("eig", {"matrix": "[[a,b],[b,a]]"}, ["eig", "[[a,b],[b,a]]"]),
    ("jacobian", {"expression": "[x y, x + y^2, sin(x)]", "wrt": "x,y"},
     ["jacobian", "[x y, x + y^2, sin(x)]", "--wrt", "x,y"]),
    ("jacobian", {"expression": "[x y, x + y]", "chain": "x=s t,y=s + t"},
     ["jacobian", "[x y, x + y]", "--chain", "x=s t,y=s + t"]),
    ("dot", {"u": "[1,2,3]", "v": "[4,5,6]"}, ["dot", "[1,2,3]", "[4,5,6]"]),
    ("dot", {"u": "[a,b]", "v": "[c,d]", "detail": "full"}, ["dot", "[a,b]", "[c,d]", "--detail", "full"]),
    ("matmul", {"a": "[[1,2],[3,4]]", "b": "[[5],[6]]"}, ["matmul", "[[1,2],[3,4]]", "[[5],[6]]"]),
    ("det", {"matrix": "[[2,0,1],[1,3,2],[1,1,1]]"}, ["det", "[[2,0,1],[1,3,2],[1,1,1]]"]),
    ("det", {"matrix": "[[a,b],[c,d]]", "method": "cofactor"}, ["det", "[[a,b],[c,d]]", "--method", "cofactor"]),
]


@pytest.mark.parametrize("name, request_, argv", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_every_endpoint_returns_what_the_cli_prints_with_format_json(client, name, request_, argv):
    code, out, _ = cli(argv[:1] + ["--format", "json"] + argv[1:])
    assert code == 0
    r = client.post(f"/api/{name}", json=request_)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.text == out
    assert json.loads(r.text)["kind"]  # a real document, not an error


def test_check_returns_the_cli_verdict_for_the_same_text(client, tmp_path):
    text = "\\frac{d}{dx} x^2 \\sin(x) = 2x \\sin(x) + x^2 \\cos(x)\n= 2x \\cos(x)\n"
    (tmp_path / "d.tex").write_text(text)
    code, out, _ = cli(["check", str(tmp_path / "d.tex"), "--format", "json", "--timeout", "60"])
    assert code == 1
    r = client.post("/api/check", json={"text": text, "timeout": 60})
    assert r.status_code == 200
    assert r.text == out
    steps = json.loads(r.text)["steps"]
    assert [s["valid"] for s in steps] == [True, False]


@pytest.mark.parametrize("fmt", ["latex", "text", "md", "numpy"])
def test_other_formats_are_the_cli_output_too(client, fmt):
    _, out, _ = cli(["matgrad", "x^T A x", "--wrt", "x", "--format", fmt])
    r = client.post("/api/matgrad", json={"expression": "x^T A x", "wrt": "x", "format": fmt})
    assert r.status_code == 200 and r.text == out


def test_html_is_the_html_renderers_fragment_and_pdf_is_a_pdf(client):
    r = client.post("/api/diff", json={"expression": "x^2", "format": "html"})
    assert r.status_code == 200 and r.text.startswith('<div class="gradwise">') and "<details" not in r.text[:20]
    assert "<math" in r.text and "<html" not in r.text
    r = client.post("/api/diff", json={"expression": "x^2", "format": "pdf"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"


@pytest.mark.parametrize("text", ["x^2 sin(x", "x + * 2", "2 $ x", "sin(x))"])
def test_an_unreadable_expression_is_400_with_the_parsers_message_and_column(client, text):
    with pytest.raises(InputError) as info:
        parse(text)
    code, _, err = cli(["diff", text, "--format", "json"])
    r = client.post("/api/diff", json={"expression": text})
    assert r.status_code == 400
    assert r.json() == {"error": str(info.value), "column": info.value.column}
    assert err.strip() == f"error: {r.json()['error']}" and code == 2


def test_read_shows_how_the_text_is_read_or_the_error_and_its_column(client):
    r = client.post("/api/read", json={"expression": "x^2 sin x"})
    assert r.status_code == 200 and r.json()["read_as"] == "x²·sin(x)"
    r = client.post("/api/read", json={"expression": "x^T A x", "mode": "matgrad"})
    assert r.status_code == 200 and r.json()["read_as"] == "xᵀ A x"
    r = client.post("/api/read", json={"expression": "x^2 sin(x"})
    assert r.status_code == 400 and r.json()["column"] == 10 and "expected ')'" in r.json()["error"]


HOSTILE = [
    ("100 kB", b'{"expression": "' + b"x+" * 50_000 + b'x"}', 413),
    ("binary", bytes(range(256)) * 4, 400),
    ("nested JSON", b'{"expression": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 413),
    ("nested JSON under the size limit", b"[" * 30_000 + b"]" * 30_000, 400),
    ("not an object", b'["x^2"]', 400),
    ("not JSON", b"x^2", 400),
]


@pytest.mark.parametrize("body, status", [(h[1], h[2]) for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_bodies_get_400_or_413_and_one_line_error(client, body, status):
    for name in ("diff", "read", "check"):
        r = client.post(f"/api/{name}", content=body)
        assert r.status_code == status
        assert set(r.json()) == {"error", "column"} and "Traceback" not in r.text


@pytest.mark.parametrize("request_", [
    {"expression": "(" * 5000 + "x" + ")" * 5000},
    {"expression": "9^9^9^9"},
    {"expression": ["x"]},
    {"expression": "x^2", "output": "/tmp/gradwise-web-must-not-exist.txt"},
    {"expression": "x^2", "engine": "latex"},
    {"expression": "x^2", "order": {"a": 1}},
    {"expression": "x^2", "detail": "everything"},
    {"expression": "-"},
    {"expression": "\x00\x01"},
    {"expression": "x^2", "timeout": "nan"},
    {"expression": "x^2", "timeout": -1},
], ids=["deep brackets", "huge number", "not a string", "output file", "engine", "object field",
        "bad choice", "stdin", "control characters", "timeout nan", "negative timeout"])
def test_hostile_fields_get_400_and_write_nothing(client, request_):
    r = client.post("/api/diff", json=request_)
    assert r.status_code == 400
    assert set(r.json()) == {"error", "column"} and "Traceback" not in r.text
    assert not os.path.exists("/tmp/gradwise-web-must-not-exist.txt")


def test_unknown_endpoints_practice_and_foreign_hosts(client):
    assert client.post("/api/exec", json={}).status_code == 404
    assert client.post("/api/practice", json={}).status_code == 400
    assert client.get("/", headers={"host": "attacker.example"}).status_code == 400
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]


def _practice_cli(argv: list[str], lines: str, monkeypatch, tmp_path) -> list[str]:
    import sys

    monkeypatch.setenv("GRADWISE_DATA_DIR", str(tmp_path))   # the CLI keeps progress; the API does not
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    code, out, _ = cli(["practice", *argv, "--format", "json"])
    assert code == 0
    return out.splitlines(keepends=True)


@pytest.mark.parametrize("lines", [["hint", "cos(x)", "skip"], ["-cos(5x^2 + 2x)"], ["hint", "hint"],
                                   ["solution"], ["-(10x+2) cos(5x^2+2x)"]])
def test_practice_returns_the_cli_record_for_the_same_problem_and_lines(client, monkeypatch, tmp_path, lines):
    out = _practice_cli(["chain_rule", "--seed", "7", "--level", "2", "--count", "1"], "\n".join(lines) + "\n",
                        monkeypatch, tmp_path)
    r = client.post("/api/practice", json={"topic": "chain_rule", "level": 2, "seed": 7, "index": 1,
                                           "history": lines[:-1], "answer": lines[-1]})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.text == out[0]
    assert [x["input"] for x in r.json()["responses"]] == lines


def test_practice_names_the_mistake_and_its_counterexample_holds(client):
    import math

    ask = {"topic": "chain_rule", "level": 2, "seed": 7}   # d/dx [-sin(5x² + 2x)]
    wrong = client.post("/api/practice", json={**ask, "answer": "-cos(5x^2 + 2x)"}).json()["responses"][0]
    assert wrong["verdict"] == "wrong" and wrong["mistake"] == "chain_inner_factor"
    c = client.post("/api/practice", json={**ask, "answer": "cos(x)"}).json()["responses"][0]["counterexample"]
    x = c["at"]["x"]   # the oracle: the derivative by hand, and the typed answer, at the counterexample
    assert c["correct"] == pytest.approx(-(10 * x + 2) * math.cos(5 * x * x + 2 * x), rel=1e-6)
    assert c["yours"] == pytest.approx(math.cos(x), rel=1e-6)
    right = client.post("/api/practice", json={**ask, "answer": "-(10x+2) cos(5x^2+2x)"}).json()
    assert right["outcome"] == "right" and right["responses"][0]["verdict"] == "right"


def test_practice_at_a_later_index_is_the_cli_runs_later_record(client, monkeypatch, tmp_path):
    out = _practice_cli(["determinant", "--seed", "3", "--count", "2"], "skip\n12\n", monkeypatch, tmp_path)
    second = json.loads(out[1])
    r = client.post("/api/practice", json={"topic": "determinant", "seed": second["seed"], "index": 2, "answer": "12"})
    assert r.status_code == 200 and r.text == out[1]


@pytest.mark.parametrize("name, request_", [
    ("dot", {"u": "[1,2]"}), ("dot", {"u": "[1,2]", "v": "-"}), ("matmul", {"a": "[[1,2]]", "b": "[[1,2]]"}),
    ("det", {"matrix": "[[1,2,3]]"}), ("det", {"matrix": "[[1,2],[3,4]]", "method": "magic"}),
    ("jacobian", {"expression": "[x y", "wrt": "x,y"}), ("dot", {"u": "[1,2]", "v": "[3,4]", "output": "/tmp/x"}),
], ids=["missing v", "stdin", "sizes", "not square", "bad method", "unreadable", "output file"])
def test_the_linear_algebra_endpoints_refuse_what_the_cli_refuses(client, name, request_):
    r = client.post(f"/api/{name}", json=request_)
    assert r.status_code == 400 and set(r.json()) == {"error", "column"} and "Traceback" not in r.text


def test_practice_lists_the_topics_as_the_cli_does(client, monkeypatch, tmp_path):
    out = _practice_cli(["--list"], "", monkeypatch, tmp_path)
    r = client.post("/api/practice", json={"list": True})
    assert r.status_code == 200 and r.text == out[0] and "chain_rule" in [t["topic"] for t in r.json()["topics"]]


def test_practice_html_shows_the_problem_as_mathematics_and_the_solution_once_it_has_ended(client):
    ask = {"topic": "chain_rule", "level": 2, "seed": 7, "format": "html"}
    r = client.post("/api/practice", json=ask)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<div class="prompt-math"><math' in r.text and 'data-ended="false"' in r.text and "worked" not in r.text
    r = client.post("/api/practice", json={**ask, "history": ["hint"], "answer": "<b>cos(x)</b>"})
    assert 'data-ended="false"' in r.text and "Hint 1/" in r.text and "<b>cos" not in r.text
    r = client.post("/api/practice", json={**ask, "answer": "skip"})
    assert 'data-ended="true"' in r.text and 'class="worked"' in r.text


@pytest.mark.parametrize("request_", [
    {}, {"topic": "chain"}, {"topic": ["chain_rule"], "seed": 1}, {"topic": "chain_rule"},
    {"topic": "chain_rule", "seed": True}, {"topic": "chain_rule", "seed": -1}, {"topic": "chain_rule", "seed": 1.5},
    {"topic": "chain_rule", "seed": 1, "level": 4}, {"topic": "chain_rule", "seed": 1, "answer": 3},
    {"topic": "chain_rule", "seed": 1, "answer": "quit"}, {"topic": "chain_rule", "seed": 1, "answer": "  "},
    {"topic": "chain_rule", "seed": 1, "history": ["skip"], "answer": "x"},
    {"topic": "chain_rule", "seed": 1, "history": "hint"}, {"topic": "chain_rule", "seed": 1, "history": ["hint"] * 41},
    {"topic": "chain_rule", "seed": 1, "answer": "x" * 2001}, {"topic": "chain_rule", "seed": 1, "output": "/tmp/x"},
    {"topic": "chain_rule", "seed": 1, "format": "pdf"}, {"list": True, "topic": "chain_rule"},
], ids=["empty", "unknown topic", "topic not a string", "no seed", "seed bool", "negative seed", "seed float",
        "level 4", "answer not a string", "quit", "blank answer", "after the end", "history not a list",
        "too many lines", "long answer", "unknown field", "format", "list with more"])
def test_practice_refuses_a_bad_request_with_400_and_one_line(client, request_):
    r = client.post("/api/practice", json=request_)
    assert r.status_code == 400, r.text
    assert set(r.json()) == {"error", "column"} and "\n" not in r.json()["error"] and "Traceback" not in r.text


def test_a_request_over_the_limit_is_killed_and_its_worker_replaced():
    import asyncio
    import time

    from gradwise.web.workers import Workers

    workers = Workers(jobs=1, limit=5.0)
    try:
        reply = asyncio.run(workers._run(workers.work, time.sleep, (600,), 1.0))
        assert reply.status == 400 and "gave up after 1 seconds" in json.loads(reply.body)["error"]
        after = asyncio.run(workers.answer("diff", {"expression": "x^2"}))
        assert after.status == 200 and json.loads(after.body)["result"] == "2*x"
    finally:
        workers.close()


def test_twenty_concurrent_requests_are_all_answered_each_with_its_own_work():
    with running_server(jobs=2) as url:
        def ask(k: int):
            return httpx.post(f"{url}/api/diff", json={"expression": f"x^{k + 2}"}, timeout=120)

        with ThreadPoolExecutor(20) as pool:
            replies = list(pool.map(ask, range(20)))
    assert [r.status_code for r in replies] == [200] * 20
    assert [r.json()["input"] for r in replies] == [f"x^{k + 2}" for k in range(20)]
    assert [r.json()["result"] for r in replies] == ["2*x"] + [f"{k + 2}*x**{k + 1}" for k in range(1, 20)]


def test_serve_says_when_the_port_is_taken(capsys):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        code = main(["serve", "--port", str(sock.getsockname()[1]), "--no-browser"])
    finally:
        sock.close()
    assert code == 2 and "cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_serve_without_the_web_extra_says_how_to_install_it(capsys, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "uvicorn", None)
    assert main(["serve", "--no-browser"]) == 2
    assert "pip install 'gradwise[web]'" in capsys.readouterr().err
