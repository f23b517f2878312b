"""The practice loop: ask each problem, read lines (answers or hint/solution/skip), grade, sum up.

The same loop serves a person at a terminal and a script (one line per answer); `--format json` writes
one object per problem and then the summary. Ctrl-D (end of input) and Ctrl-C end the session with the
summary; `Session.run` returns 130 after Ctrl-C, else 0.
"""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, TextIO

from gradwise.practice.grading import grade
from gradwise.practice.hints import next_hint, solution_text
from gradwise.practice.problems import Problem, Response

COMMANDS = {"hint": "hint", "h": "hint", "solution": "solution", "sol": "solution", "skip": "skip",
            "s": "skip", "quit": "quit", "q": "quit", "exit": "quit", "help": "help", "?": "help"}
MAX_WRONG = 3
HELP = ("type your answer (plain math or LaTeX: 2x cos(x^2), \\frac{1}{2}, [1, 2], [[1,2],[3,4]]),\n"
        "or: hint (the next step), solution (the worked solution), skip, quit")


@dataclass
class Record:
    """One problem as it went: every response, and how it ended."""

    problem: Problem
    index: int
    responses: list[Response] = field(default_factory=list)
    outcome: str = "unanswered"       # right | wrong | skip | solution | unanswered

    @property
    def hints(self) -> int:
        return sum(r.verdict == "hint" for r in self.responses)

    def as_json(self) -> dict:
        p = self.problem
        return {"kind": "practice", "topic": p.topic, "level": p.level, "seed": p.seed, "index": self.index,
                "problem": p.prompt, "problem_latex": p.prompt_latex, "answer": _sympy_str(p.answer),
                "answer_latex": p.answer_latex, "outcome": self.outcome,
                "responses": [r.as_json() for r in self.responses]}


@dataclass
class Session:
    """A run of problems; `out` receives the text or JSON, `on_result(record)` sees each finished one."""

    problems: list[Problem]
    out: TextIO
    fmt: str = "text"
    echo: bool = False                # print each line read (scripted text mode)
    on_result: Callable[[Record], None] | None = None
    records: list[Record] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def run(self, read_line: Callable[[str], str]) -> int:
        """Ask every problem; returns the exit code (130 after Ctrl-C)."""
        code = 0
        for index, problem in enumerate(self.problems, start=1):
            record = Record(problem, index)
            self.records.append(record)
            try:
                self._ask(record, read_line)
            except (EOFError, KeyboardInterrupt) as exc:
                if record.responses:
                    self._finish(record)
                else:
                    self.records.pop()      # shown but not attempted: not part of the score
                if isinstance(exc, KeyboardInterrupt):
                    self._say("")
                    code = 130
                break
            if record.outcome == "quit":
                record.outcome = "unanswered"
                if record.responses:
                    self._finish(record)
                else:
                    self.records.pop()
                break
            self._finish(record)
        self._summary()
        return code

    def _ask(self, record: Record, read_line) -> None:
        p, n = record.problem, len(self.problems)
        self._say(f"\nProblem {record.index}/{n} · {p.topic} · level {p.level} · seed {p.seed}\n  {p.prompt}"
                  + (f"\n  ({p.note})" if p.note else ""))
        wrong = 0
        while True:
            line = read_line("> ").strip()
            if self.echo:
                self._say(f"> {line}")
            command = COMMANDS.get(line.lower())
            if not line:
                continue
            if command == "quit":
                record.outcome = "quit"
                return
            if command == "help":
                self._say(HELP)
                continue
            if command == "hint":
                hint = next_hint(p, record.hints)
                words = f"hint {hint.index}/{hint.total}: {hint.text}" if hint else "no more hints: type solution"
                record.responses.append(Response(line, "hint", words, hint=hint.text if hint else None))
                self._say(f"  {words}")
                continue
            if command in ("solution", "skip"):
                record.responses.append(Response(line, command))
                record.outcome = command
                self._say(_indent(solution_text(p)) if command == "solution" else f"  skipped; the answer: {_shown(p)}")
                return
            response = grade(p, line)
            record.responses.append(response)
            self._say(f"  {response.message}")
            if response.verdict == "right":
                record.outcome = "right"
                return
            if response.verdict == "wrong":
                wrong += 1
                if wrong >= MAX_WRONG:
                    record.outcome = "wrong"
                    self._say("  the worked solution:\n" + _indent(solution_text(p)))
                    return
                self._say("  try again, or type hint, solution or skip")

    def _finish(self, record: Record) -> None:
        if record.outcome == "unanswered" and any(r.verdict == "wrong" for r in record.responses):
            record.outcome = "wrong"
        if self.fmt == "json":
            self.out.write(json.dumps(record.as_json(), ensure_ascii=False) + "\n")
            self.out.flush()
        if self.on_result:
            self.on_result(record)

    def summary(self) -> dict:
        """Score, time, the mistakes made and the topic to practise next."""
        asked = self.records
        right = sum(r.outcome == "right" for r in asked)
        mistakes = Counter(x.mistake or "unnamed" for r in asked for x in r.responses if x.verdict == "wrong")
        missed = Counter(r.problem.topic for r in asked if r.outcome != "right")
        next_topic = missed.most_common(1)[0][0] if missed else None
        return {"kind": "practice_summary", "problems": len(asked), "right": right,
                "score": round(right / len(asked), 3) if asked else 0.0,
                "seconds": round(time.monotonic() - self.started, 1), "mistakes": dict(mistakes),
                "hints": sum(r.hints for r in asked), "practise_next": next_topic,
                "results": [{"topic": r.problem.topic, "level": r.problem.level, "seed": r.problem.seed,
                             "outcome": r.outcome} for r in asked]}

    def _summary(self) -> None:
        s = self.summary()
        if self.fmt == "json":
            self.out.write(json.dumps(s, ensure_ascii=False) + "\n")
            self.out.flush()
            return
        lines = [f"\nScore: {s['right']}/{s['problems']} right in {s['seconds']:g} s"
                 + (f", {s['hints']} hint{'s' if s['hints'] != 1 else ''}" if s["hints"] else "")]
        if s["mistakes"]:
            lines.append("Mistakes: " + ", ".join(f"{k.replace('_', ' ')} ×{v}" for k, v in s["mistakes"].items()))
        if s["practise_next"]:
            lines.append(f"Practise next: {s['practise_next']} (gradwise practice {s['practise_next']}, "
                         "or gradwise practice --review)")
        self._say("\n".join(lines))

    def _say(self, text: str) -> None:
        if self.fmt != "json":
            self.out.write(text + "\n")
            self.out.flush()


def _shown(problem: Problem) -> str:
    from gradwise.printing import unicode

    return unicode(problem.answer) if problem.answer_kind != "matrix_expression" else problem.answer_text


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else line for line in text.splitlines())


def _sympy_str(value) -> str:
    import sympy as sp

    if isinstance(value, sp.MatrixBase):
        return str(value.tolist())
    return str(value)
