"""Hints one step at a time: the worked solution's step tree, walked in the order it is written.

A step gives its rule (with its substitutions, "Chain rule with u = 3x²") and the line it writes; its
sub-steps follow; a step that closes with a conclusion after its sub-steps adds a "So" hint.
"""
from __future__ import annotations

from gradwise.practice.problems import Hint, Problem
from gradwise.renderers import latex as latex_renderer
from gradwise.renderers import text as text_renderer
from gradwise.renderers.document import DisplayMath, Document, Math, Section, Step


def hint_steps(problem: Problem) -> list[tuple[str, Math | None]]:
    """(rule in words, the line it leads to) for every step of the worked solution, in order."""
    out: list[tuple[str, Math | None]] = []
    for block in problem.worked:
        if isinstance(block, Step):
            _walk(block, out)
        elif isinstance(block, Section):
            _section(block, out)
    return _merge_headings(out)


def _merge_headings(found: list) -> list:
    """A heading without a line of its own ("∂f/∂x") is said with the hint that follows it."""
    merged, pending = [], []
    for rule, line in found:
        if line is None:
            pending.append(rule)
            continue
        merged.append((" — ".join(pending + [rule]), line))
        pending = []
    if pending:
        merged.append((" — ".join(pending), None))
    return merged


def _section(section: Section, out: list) -> None:
    """A section of a worked solution (backprop's passes): its title and first formula, then its steps."""
    first = next((b.math for b in section.blocks if isinstance(b, DisplayMath) and isinstance(b.math, Math)), None)
    out.append((section.title.split(". ", 1)[-1], first))
    for block in section.blocks:
        if isinstance(block, Step):
            _walk(block, out)
        elif isinstance(block, Section):
            _section(block, out)


def _walk(step: Step, out: list) -> None:
    rule = step.title
    if step.where:
        rule += " with " + ", ".join(text_renderer.inline(w) for w in step.where)
    line = step.lines[0] if step.lines else (step.conclusion if not step.children else None)
    out.append((rule, line))
    for child in step.children:
        _walk(child, out)
    if step.children and step.conclusion is not None:
        out.append(("So", step.conclusion))


def next_hint(problem: Problem, revealed: int) -> Hint | None:
    """The hint after the first `revealed` ones (None when the whole solution has been shown)."""
    found = hint_steps(problem)
    if revealed >= len(found):
        return None
    rule, line = found[revealed]
    return Hint(revealed + 1, len(found), rule, text_renderer.inline(line) if line else "",
                latex_renderer.math(line) if line else "")


def solution_document(problem: Problem) -> Document:
    """The whole worked solution, as a document any renderer prints."""
    return Document(f"Solution: {problem.prompt}", (Section("Worked solution", problem.worked),))


def solution_text(problem: Problem) -> str:
    """The worked solution as plain text (the steps, then the answer)."""
    body = text_renderer.render(Document("", problem.worked)).strip("\n")
    shown = problem.answer_text if problem.answer_kind == "matrix_expression" else text_renderer.inline(
        Math((problem.answer,)))
    return f"{body}\nAnswer: {shown}"
