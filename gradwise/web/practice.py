"""POST /api/practice, stateless: the client sends the problem's topic, level, seed and index and the lines
typed so far; the problem is generated again (the same seed gives the same problem) and the lines are
replayed through the CLI's own practice session, so the JSON is what `gradwise practice --format json`
prints for that problem and those lines. `format: "html"` gives the same record for the page, its
mathematics as MathML and the worked solution once the problem has ended."""
from __future__ import annotations

import html
import io
import json
import re
from functools import lru_cache

from gradwise.errors import GradwiseError

FIELDS = ("topic", "level", "seed", "index", "answer", "history", "format", "list")
MAX_LINES = 40          # a problem ends after 3 wrong answers; hints are at most a few dozen
MAX_LINE = 2000         # the grader's own limit on an answer's length
MAX_SEED = 10 ** 9
REFUSED_COMMANDS = {"quit", "help"}   # a page has buttons for what these do at a terminal


def topics_json() -> str:
    """`gradwise practice --list --format json`: the topics with their description and levels."""
    from gradwise.practice import topic_list

    return json.dumps(topic_list(), ensure_ascii=False) + "\n"


def _integer(request: dict, key: str, default: int | None, low: int, high: int) -> int:
    value = request.get(key, default)
    if value is None:
        raise GradwiseError(f"send the problem's {key} in the field \"{key}\"")
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise GradwiseError(f"field '{key}' is a whole number from {low} to {high}")
    return value


def _lines(request: dict) -> list[str]:
    history = request.get("history", [])
    if not isinstance(history, list) or not all(isinstance(x, str) for x in history):
        raise GradwiseError("field 'history' is a list of the lines sent before, as strings")
    answer = request.get("answer")
    if answer is not None and not isinstance(answer, str):
        raise GradwiseError("field 'answer' is a string: an answer, or hint, solution or skip")
    lines = history + ([answer] if answer is not None else [])
    if len(lines) > MAX_LINES:
        raise GradwiseError(f"at most {MAX_LINES} lines a problem")
    from gradwise.practice.session import COMMANDS
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            raise GradwiseError(f"line {n} is empty: send an answer, or hint, solution or skip")
        if len(line) > MAX_LINE:
            raise GradwiseError(f"line {n} is longer than {MAX_LINE} characters")
        if COMMANDS.get(line.strip().lower()) in REFUSED_COMMANDS:
            raise GradwiseError(f"line {n}: send an answer, or hint, solution or skip")
    return lines


@lru_cache(maxsize=64)
def _problem(topic: str, seed: int, level: int):
    """The problem, generated once per worker: the page asks for it again with every line."""
    from gradwise.practice import generate

    return generate(topic, seed, level)


def record(request: dict):
    """(the problem's Record after the request's lines, whether the problem has ended); raises
    GradwiseError on a bad request."""
    from gradwise.practice.session import Record, Session

    unknown = sorted(set(request) - set(FIELDS))
    if unknown:
        raise GradwiseError(f"unknown field '{unknown[0]}' for /api/practice; the fields are {', '.join(FIELDS)}")
    topic = request.get("topic")
    if not isinstance(topic, str):
        raise GradwiseError('send the topic as a string in the field "topic" (list: true names them)')
    level = _integer(request, "level", 1, 1, 3)
    seed = _integer(request, "seed", None, 0, MAX_SEED)
    index = _integer(request, "index", 1, 1, 10_000)
    lines = _lines(request)
    problem = _problem(topic, seed, level)
    pending = iter(lines)
    used, waiting = 0, False

    def read_line(prompt: str) -> str:
        nonlocal used, waiting
        line = next(pending, None)
        if line is None:
            waiting = True   # the session asks for more: the problem is still open
            raise EOFError
        used += 1
        return line

    session = Session([problem], io.StringIO(), "json")
    session.run(read_line)
    if used < len(lines):
        raise GradwiseError(f"the problem ended at line {used}; lines after it belong to the next problem")
    done = session.records[0] if session.records else Record(problem, index)
    done.index = index
    return done, not waiting


def reply_body(request: dict) -> tuple[str, str]:
    """(body, format) of the reply: the CLI's JSON record, or the page's HTML of it."""
    fmt = request.get("format", "json")
    if fmt not in ("json", "html"):
        raise GradwiseError("field 'format' is json or html")
    if request.get("list") is not None:
        if request["list"] is not True or set(request) - {"list", "format"}:
            raise GradwiseError('send {"list": true} alone to list the topics')
        return topics_json(), "json"
    done, ended = record(request)
    if fmt == "json":
        return json.dumps(done.as_json(), ensure_ascii=False) + "\n", "json"
    return page_html(done, ended), "html"


def page_html(done, ended: bool) -> str:
    """The record for the page: the problem as mathematics, each response, and the worked solution."""
    from gradwise.practice.hints import next_hint, solution_document
    from gradwise.renderers import html as html_renderer
    from gradwise.renderers.mathml import formula

    p = done.problem
    e = html.escape
    parts = [f'<div class="practice" data-outcome="{e(done.outcome)}" data-ended="{str(ended).lower()}" '
             f'data-seed="{p.seed}" data-index="{done.index}">',
             f'<div class="practice-head">Problem {done.index} · {e(p.topic.replace("_", " "))} · level {p.level}'
             f' · seed {p.seed}</div>',
             f'<p class="prompt">{e(p.prompt)}</p>',
             f'<div class="prompt-math">{formula(p.prompt_latex, p.prompt, display=True)}</div>']
    if p.note:
        parts.append(f'<p class="note">{e(p.note)}</p>')
    parts.append('<ol class="responses">')
    hints = 0
    for r in done.responses:
        parts.append(f'<li class="response {e(r.verdict)}" data-verdict="{e(r.verdict)}">')
        if r.verdict not in ("hint", "solution", "skip"):   # a button's word is not worth repeating
            parts.append(f'<code class="typed">{e(r.input)}</code> ')
        if r.verdict == "hint":
            hint = next_hint(p, hints)
            hints += 1
            if hint is None:
                parts.append('<span class="message">no more hints: ask for the solution</span>')
            else:
                line = formula(hint.line_latex, hint.line) if hint.line_latex else ""
                parts.append(f'<span class="message">Hint {hint.index}/{hint.total}: {e(hint.rule)}</span>'
                             + (f'<div class="hint-line">{line}</div>' if line else ""))
        elif r.verdict in ("solution", "skip"):
            parts.append(f'<span class="message">{"the worked solution is below" if r.verdict == "solution" else "skipped"}</span>')
        else:
            badge = {"right": "✓ right", "wrong": "✗ wrong"}.get(r.verdict, r.verdict)
            words = re.sub(rf"^{r.verdict}\b:?\s*", "", r.message) if r.verdict in ("right", "wrong") else r.message
            parts.append(f'<span class="verdict">{e(badge)}</span> <span class="message">{e(words)}</span>')
            if r.mistake:
                parts.append(f'<div class="mistake">Mistake: {e(r.mistake.replace("_", " "))}</div>')
            if r.counterexample:
                parts.append(f'<div class="counterexample">{e(_counterexample(r.counterexample))}</div>')
        parts.append("</li>")
    parts.append("</ol>")
    if ended:
        parts.append(f'<div class="answer">Answer: {formula(p.answer_latex, p.answer_text)}</div>')
        parts.append('<div class="worked">' + html_renderer.render(solution_document(p), fragment=True) + "</div>")
    parts.append("</div>")
    return "".join(parts)


def _counterexample(c: dict) -> str:
    at = c.get("at")
    where = ", ".join(f"{k} = {v}" for k, v in at.items()) if isinstance(at, dict) else ""
    values = ", ".join(f"{k} {v}" for k, v in c.items() if k != "at")
    return f"Counterexample{' at ' + where if where else ''}: {values}"
