"""Live preview speed: the median and 90th-percentile latency of POST /api/read per keystroke, over a real
uvicorn server on 127.0.0.1 (target: median < 100 ms), against parse() in-process for the same texts
(the floor: what the preview costs without HTTP and the worker); and /api/practice's answers (the
problem generated again each request, cached per worker). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_web.py
"""
from __future__ import annotations

import socket
import statistics
import threading
import time

import httpx
import uvicorn

from gradwise.derivations.parsing import parse
from gradwise.errors import GradwiseError
from gradwise.web.app import create_app

TYPED = ["x^2 sin(x) + e^(-x) / (1 + x^2)", "sigmoid(w*x + b) * log(1 + exp(x))",
         r"\frac{1}{1+e^{-x}} + \sqrt{x^2 + 1}"]


def keystrokes() -> list[str]:
    """Every prefix of each typed text: what the page sends as the user types."""
    return [t[:i] for t in TYPED for i in range(1, len(t) + 1)]


def in_process(texts: list[str]) -> list[float]:
    times = []
    for t in texts:
        start = time.perf_counter()
        try:
            parse(t)
        except GradwiseError:
            pass
        times.append(time.perf_counter() - start)
    return times


def over_http(url: str, texts: list[str]) -> list[float]:
    times = []
    with httpx.Client(timeout=120) as client:
        for t in texts:
            start = time.perf_counter()
            client.post(f"{url}/api/read", json={"expression": t})
            times.append(time.perf_counter() - start)
    return times


PRACTICE = {"topic": "chain_rule", "level": 2, "seed": 7}
ANSWERS = ["-cos(5x^2 + 2x)", "cos(x)", "-(10x+2) cos(5x^2+2x)", "hint", "-(10x + 2)cos(x(5x + 2))"]


def practice_over_http(url: str, rounds: int = 4) -> tuple[float, list[float]]:
    """The first /api/practice request (generates the problem) and then each answer's round trip."""
    with httpx.Client(timeout=120) as client:
        start = time.perf_counter()
        client.post(f"{url}/api/practice", json=PRACTICE)
        first = time.perf_counter() - start
        times = []
        for _ in range(rounds):
            for answer in ANSWERS:
                start = time.perf_counter()
                client.post(f"{url}/api/practice", json={**PRACTICE, "answer": answer})
                times.append(time.perf_counter() - start)
    return first, times


def main() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(create_app(jobs=1), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    texts = keystrokes()
    over_http(url, texts[:10])  # the worker's first answers load the readers
    http, local = over_http(url, texts), in_process(texts)
    first, answers = practice_over_http(url)
    server.should_exit = True
    thread.join(timeout=30)
    ms = lambda v: f"{v * 1000:.1f} ms"  # noqa: E731
    q = lambda v: statistics.quantiles(v, n=10)[-1]  # noqa: E731
    print(f"/api/read, {len(texts)} keystrokes: median {ms(statistics.median(http))}, p90 {ms(q(http))} "
          f"(target: median < 100 ms)")
    print(f"parse() in-process:      median {ms(statistics.median(local))}, p90 {ms(q(local))}")
    print(f"ratio (HTTP + worker / parse): {statistics.median(http) / statistics.median(local):.1f}x")
    print(f"/api/practice: first request (generates the problem) {ms(first)}; "
          f"{len(answers)} answers graded: median {ms(statistics.median(answers))}, p90 {ms(q(answers))}")


if __name__ == "__main__":
    main()
