"""Partial credit from a task file: marks per correct step, for the final answer, deductions per mistake,
and error carried forward (a line that follows correctly from an earlier mistake keeps its marks).

Each student line is judged twice: against the line before it (the verdict of `gradwise check`) and
against the truth, the task's expected result. A task file (TOML):

    [problem]
    expression = "x^2 \\sin x"     # the truth is its derivative by `variable` ...
    variable = "x"
    # result = "2x \\sin x + x^2 \\cos x"   # ... or the expected result itself
    [marks]
    per_step = 1                   # each step that is right, up to `steps` of them
    steps = 3
    final_answer = 2               # the last line equals the expected result
    error_carried_forward = true
    [deductions]                   # marks off for each wrong step with this mistake id
    chain_inner_factor = 1
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import sympy as sp
from sympy.core.function import AppliedUndef

from gradwise.errors import GradwiseError

MISTAKE_IDS = ("chain_inner_factor", "product_rule", "quotient_rule_sign", "quotient_rule_order",
               "quotient_rule_denominator", "trig_sign", "power_rule_variable_exponent", "exponent_off_by_one",
               "dropped_constant", "constant_factor", "sign", "derivative_order")


@dataclass(frozen=True)
class Task:
    """A marked problem: the truth every line should equal, and how marks are given."""

    truth_text: str
    truth: sp.Basic
    per_step: float = 1.0
    steps: int = 0
    final_answer: float = 0.0
    error_carried_forward: bool = True
    deductions: tuple = field(default_factory=tuple)   # ((mistake id, marks), ...)
    title: str = ""
    id_column: str = "id"                   # the grades CSV's names of its first two columns
    marks_column: str = "marks"

    @property
    def out_of(self) -> float:
        return self.per_step * self.steps + self.final_answer

    @property
    def fingerprint(self) -> str:
        """What identifies the task in the verdict cache."""
        fields = (self.truth_text, sp.srepr(self.truth), self.per_step, self.steps, self.final_answer,
                  self.error_carried_forward, self.deductions)
        return hashlib.sha256(repr(fields).encode()).hexdigest()


def load_task(path: str) -> Task:
    """Read and check a task file; anything it does not understand is refused by name."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise GradwiseError(f"no such task file: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise GradwiseError(f"{path} is not valid TOML: {exc}") from None
    return task_from(data, path)


def task_from(data: dict, path: str = "the task file") -> Task:
    _known(data, ("problem", "marks", "deductions", "gradebook"), path, "")
    problem, marks = data.get("problem", {}), data.get("marks", {})
    deductions = data.get("deductions", {})
    _known(problem, ("title", "expression", "variable", "result"), path, "problem.")
    _known(marks, ("per_step", "steps", "final_answer", "error_carried_forward"), path, "marks.")
    gradebook = data.get("gradebook", {})
    _known(gradebook, ("id_column", "marks_column"), path, "gradebook.")
    columns = {k: v for k, v in gradebook.items()}
    if not all(isinstance(v, str) and v.strip() and "\n" not in v for v in columns.values()):
        raise GradwiseError(f"{path}: gradebook.id_column and gradebook.marks_column are column names (text)")
    if ("result" in problem) == ("expression" in problem):
        raise GradwiseError(f"{path}: [problem] needs either result = \"...\" (the expected result) or "
                            "expression = \"...\" and variable = \"x\" (the truth is its derivative)")
    if "result" in problem:
        truth_text = _text(problem, "result", path)
        truth = _read(truth_text, path, "result")
    else:
        truth_text = _text(problem, "expression", path)
        variable = _read(_text(problem, "variable", path), path, "variable")
        if not isinstance(variable, sp.Symbol):
            raise GradwiseError(f"{path}: problem.variable must be one name, such as \"x\"")
        truth = sp.Derivative(_read(truth_text, path, "expression"), variable)
    for mistake, value in deductions.items():
        if mistake not in MISTAKE_IDS:
            raise GradwiseError(f"{path}: [deductions] has an unknown mistake id {mistake!r}; the ids are "
                                + ", ".join(MISTAKE_IDS))
        _number(value, path, f"deductions.{mistake}")
    task = Task(truth_text, truth,
                per_step=_number(marks.get("per_step", 1), path, "marks.per_step"),
                steps=int(_number(marks.get("steps", 0), path, "marks.steps")),
                final_answer=_number(marks.get("final_answer", 0), path, "marks.final_answer"),
                error_carried_forward=bool(marks.get("error_carried_forward", True)),
                deductions=tuple(sorted((k, float(v)) for k, v in deductions.items())),
                title=str(problem.get("title", "")), **columns)
    if task.out_of <= 0:
        raise GradwiseError(f"{path}: the task gives no marks: set marks.steps and marks.per_step, or "
                            "marks.final_answer")
    return task


def credit(verdict, task: Task, assume_positive: bool = False, step_timeout: float | None = 5.0) -> dict:
    """The marks of a checked derivation (a Verdict): each step right, carried forward (right from a
    wrong line before it), wrong (with its mistake), off the problem (no mistake before, not the truth)
    or undecided (its comparison with the truth could not be decided in time: no marks)."""
    lines, earned, deducted, mistaken = [], 0.0, 0.0, False
    steps_marked = 0
    definitions: dict = {}
    last_true = False
    for s in verdict.steps:
        if s.method == "definition":
            _record_definition(s, definitions)
            continue
        true = _is_truth(s.rhs, definitions, task, assume_positive, step_timeout)
        if not s.valid:
            status, mistaken = "wrong", True
            deducted += dict(task.deductions).get(s.mistake or "", 0.0)
        elif true is None:  # the comparison with the truth ran out of time: no marks, said so
            status = "undecided"
        elif true:
            status = "right"
        elif mistaken:
            status = "carried"
        else:
            status = "off_problem"
        gained = 0.0
        if status == "right" or (status == "carried" and task.error_carried_forward):
            if steps_marked < task.steps:
                gained, steps_marked = task.per_step, steps_marked + 1
        earned += gained
        last_true = true is True
        lines.append({"index": s.index, "line": s.line, "status": status, "marks": _tidy(gained), "truth": true})
    final = task.final_answer if (lines and last_true and verdict.error is None) else 0.0
    marks = max(earned + final - deducted, 0.0)
    return {"marks": _tidy(marks), "out_of": _tidy(task.out_of), "final_answer": _tidy(final),
            "deducted": _tidy(deducted), "lines": lines}


def _is_truth(expr, definitions: dict, task: Task, assume_positive: bool, step_timeout) -> bool | None:
    """Whether a line equals the truth; None when the judge cannot decide (or runs out of time)."""
    from gradwise.derivations.equivalence import equivalent
    from gradwise.derivations.limits import time_limit
    from gradwise.derivations.verify.judging import substitute
    from gradwise.errors import TimeLimitExceeded
    if expr is None or isinstance(expr, sp.MatrixBase):
        return False
    try:
        with time_limit(step_timeout):
            return equivalent(substitute(expr, definitions), task.truth, positive=assume_positive,
                              domain=not assume_positive).equal
    except TimeLimitExceeded:
        return None


def _record_definition(s, definitions: dict) -> None:
    """The same names the judge defines: `y = ...` and `f(x) = ...` (see verify.judging)."""
    from gradwise.derivations.verify.judging import substitute
    if isinstance(s.lhs, sp.Symbol):
        definitions[s.lhs] = substitute(s.rhs, definitions)
    elif isinstance(s.lhs, AppliedUndef):
        definitions[type(s.lhs)] = sp.Lambda(s.lhs.args, substitute(s.rhs, definitions))


def _read(text: str, path: str, what: str) -> sp.Basic:
    from gradwise.derivations.verify.reading import read_derivation
    try:
        chains = read_derivation(text)
    except GradwiseError as exc:
        raise GradwiseError(f"{path}: cannot read problem.{what}: {exc}") from None
    if len(chains) != 1 or len(chains[0].sides) != 1 or not chains[0].sides[0].readable:
        why = chains[0].sides[0].error if chains and chains[0].sides and chains[0].sides[0].error else "one expression, no '='"
        raise GradwiseError(f"{path}: cannot read problem.{what} {text!r}: {why}")
    return chains[0].sides[0].expr


def _known(table, names: tuple, path: str, prefix: str) -> None:
    if not isinstance(table, dict):
        raise GradwiseError(f"{path}: {prefix.rstrip('.')} must be a table")
    for key in table:
        if key not in names:
            raise GradwiseError(f"{path}: unknown key {prefix}{key}; the keys are " + ", ".join(prefix + n for n in names))


def _text(table: dict, key: str, path: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GradwiseError(f"{path}: problem.{key} must be a string of LaTeX")
    return value


def _number(value, path: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise GradwiseError(f"{path}: {where} must be a number, 0 or more")
    return float(value)


def _tidy(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 4)
