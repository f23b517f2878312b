"""Problem sets: a teacher's TOML file of problems, worked by the engines, with an answers appendix.

    title = "Week 3: the chain rule"

    [[problem]]
    kind = "derivative"          # derivative | gradient | jacobian | hessian | matrix_gradient | eigen | check
    input = "sin(x^2)"
    title = "A function inside another"   # optional
    detail = "full"                         # optional: brief | standard | full
    wrt = "x"                               # optional, derivative only
    order = 1                               # optional, derivative only

A bad file gets one line naming the problem and the field at fault.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import gradwise
from gradwise.errors import GradwiseError
from gradwise.explainer import DETAILS, explain
from gradwise.renderers.document import Document, Paragraph, Section
from gradwise.study.registry import GuideContext

MAX_FILE_BYTES = 1_000_000
MAX_PROBLEMS = 200
MAX_INPUT = 10_000

#: problem kind -> (how its engine works a problem, within a timeout; the extra fields it accepts)
KINDS = {
    "derivative": (lambda p, timeout: gradwise.differentiate(p.input, p.wrt, order=p.order, timeout=timeout),
                   ("wrt", "order")),
    "gradient": (lambda p, timeout: gradwise.gradient(p.input, p.wrt), ("wrt",)),
    "jacobian": (lambda p, timeout: gradwise.jacobian(p.input, p.wrt), ("wrt",)),
    "hessian": (lambda p, timeout: gradwise.hessian(p.input, p.wrt), ("wrt",)),
    "matrix_gradient": (lambda p, timeout: gradwise.matrix_gradient(p.input, p.wrt), ("wrt",)),
    "eigen": (lambda p, timeout: gradwise.eigen(p.input), ()),
    "check": (lambda p, timeout: gradwise.check(p.input), ()),
}
COMMON_FIELDS = ("kind", "input", "title", "detail")


@dataclass(frozen=True)
class Problem:
    number: int
    kind: str
    input: str
    title: str = ""
    detail: str = "standard"
    wrt: str | None = None
    order: int = 1

    @property
    def label(self) -> str:
        return f"problem {self.number}" + (f" ({self.title!r})" if self.title else "")


@dataclass(frozen=True)
class ProblemSet:
    title: str
    problems: tuple[Problem, ...]
    source: str


def load_problems(path: str) -> ProblemSet:
    """Read and validate a problem-set file; every error names the problem and the field."""
    import tomllib

    name = os.path.basename(path)
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            raise GradwiseError(f"{name}: the file is larger than {MAX_FILE_BYTES // 1000} kB")
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise GradwiseError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise GradwiseError(f"{path}: is a folder, not a problem-set file") from None
    except tomllib.TOMLDecodeError as exc:
        raise GradwiseError(f"{name}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise GradwiseError(f"{name}: not a text file (TOML must be UTF-8)") from None
    except OSError as exc:   # a name too long for the file system, a file that cannot be read
        raise GradwiseError(f"{name[:60]}: cannot read it ({exc.strerror or exc})") from None
    unknown = set(data) - {"title", "problem"}
    if unknown:
        raise GradwiseError(f"{name}: unknown top-level field '{sorted(unknown)[0]}' (use title and [[problem]])")
    title = data.get("title", "Problem set")
    if not isinstance(title, str):
        raise GradwiseError(f"{name}: field 'title' must be a string")
    raw = data.get("problem")
    if not isinstance(raw, list) or not raw:
        raise GradwiseError(f"{name}: no problems: add at least one [[problem]] table with kind and input")
    if len(raw) > MAX_PROBLEMS:
        raise GradwiseError(f"{name}: {len(raw)} problems; at most {MAX_PROBLEMS} in one file")
    kinds = list(KINDS)
    problems = tuple(_problem(name, i, entry, kinds) for i, entry in enumerate(raw, start=1))
    return ProblemSet(title[:200], problems, path)


def _problem(name: str, number: int, entry, kinds: list[str]) -> Problem:
    where = f"{name}: problem {number}"
    if not isinstance(entry, dict):
        raise GradwiseError(f"{where}: must be a [[problem]] table")
    title = entry.get("title", "")
    if not isinstance(title, str):
        raise GradwiseError(f"{where}: field 'title' must be a string")
    if title:
        where += f" ({title[:60]!r})"
    kind = entry.get("kind")
    if kind is None:
        raise GradwiseError(f"{where}: field 'kind' is missing; choose one of {', '.join(kinds)}")
    if kind not in KINDS:
        raise GradwiseError(f"{where}: field 'kind': unknown kind {kind!r}; choose one of {', '.join(kinds)}")
    allowed = COMMON_FIELDS + KINDS[kind][1]
    for key in entry:
        if key not in allowed:
            raise GradwiseError(f"{where}: unknown field {key!r} for a {kind} problem; allowed: {', '.join(allowed)}")
    text = entry.get("input")
    if text is None:
        raise GradwiseError(f"{where}: field 'input' is missing")
    if not isinstance(text, str) or not text.strip():
        raise GradwiseError(f"{where}: field 'input' must be a non-empty string")
    if len(text) > MAX_INPUT:
        raise GradwiseError(f"{where}: field 'input' is longer than {MAX_INPUT} characters")
    detail = entry.get("detail", "standard")
    if detail not in DETAILS:
        raise GradwiseError(f"{where}: field 'detail': {detail!r}; choose one of {', '.join(DETAILS)}")
    wrt = entry.get("wrt")
    if wrt is not None and (not isinstance(wrt, str) or not wrt.strip()):
        raise GradwiseError(f"{where}: field 'wrt' must be a variable name such as \"x\"")
    order = entry.get("order", 1)
    if isinstance(order, bool) or not isinstance(order, int) or not 1 <= order <= 10:
        raise GradwiseError(f"{where}: field 'order' must be a whole number from 1 to 10")
    return Problem(number, kind, text, title, detail, wrt, order)


def solve(problem: Problem, timeout: float = 30.0, source: str = "problems"):
    """The engine's (checked) result for one problem; an engine's complaint names the problem."""
    work, _ = KINDS[problem.kind]
    try:
        return work(problem, timeout)
    except GradwiseError as exc:
        raise GradwiseError(f"{os.path.basename(source)}: {problem.label}: field 'input': {exc}") from None


def build_problem_set(path: str, ctx: GuideContext | None = None, timeout: float = 30.0,
                      mode: str = "full") -> Document:
    """The problem set as a document: one section per problem, then the answers appendix.

    mode "problems": each problem's statement alone (a sheet to hand out); "answers": the appendix alone."""
    ctx = ctx or GuideContext()
    problem_set = load_problems(path)
    sections = []
    answers = []
    for p in problem_set.problems:
        result = solve(p, timeout, path)
        document = explain(result, p.detail)
        heading = f"Problem {p.number}" + (f": {p.title}" if p.title else "")
        blocks = _question(result, document) if mode == "problems" else document.blocks
        sections.append(Section(heading, blocks))
        answers.append(_answer(p.number, document))
    data = {"kind": "problem_set", "title": problem_set.title, "problems": len(problem_set.problems)}
    if mode == "problems":
        return Document(f"{problem_set.title}: problems", tuple(sections), data={**data, "handout": mode})
    if mode == "answers":
        return Document(f"{problem_set.title}: answers", tuple(answers), data={**data, "handout": mode})
    blocks = tuple(sections) + (Section("Answers", tuple(answers)),)
    return Document(problem_set.title, blocks, data=data)


def _question(result, document: Document) -> tuple:
    """What a problem sheet shows of a worked solution: its givens and question, never its verdict."""
    from gradwise.renderers.document import DisplayMath
    from gradwise.study.handouts import statement

    if document.data.get("kind") == "check":
        from gradwise.explainer.check import annotated
        shown = (DisplayMath(annotated(result, marks=False)),) if result.steps else ()
        return (Paragraph.of("Is every step of this derivation right? If not, find the first wrong step "
                             "and say what went wrong."), *shown)
    return statement(document.blocks)


def _answer(number: int, document: Document) -> Paragraph:
    """One line of the answers appendix: the result's answer, or a check's verdict."""
    if document.answer is not None:
        return Paragraph.of(f"{number}. ", document.answer)
    data = document.data
    if data.get("kind") == "check" and "valid" in data:
        if data["valid"]:
            return Paragraph.of(f"{number}. Every step is valid.")
        return Paragraph.of(f"{number}. Not valid: the first error is step {data.get('first_error')}.")
    return Paragraph.of(f"{number}. See the worked solution.")
