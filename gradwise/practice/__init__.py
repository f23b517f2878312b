"""Practice: generated problems across the syllabus, graded by gradwise's checker, with step hints.

    problem = generate("chain_rule", seed=7, level=2)     # d/dx [-sin(5x² + 2x)]
    grade(problem, "-cos(5x^2+2x)")         # Response(verdict="wrong", mistake="chain_inner_factor", ...)
    grade(problem, "-(10x+2) cos(5x^2+2x)") # Response(verdict="right", ...)
    next_hint(problem, revealed=0)          # Hint(rule="Constant multiple", line=...)

The same (topic, seed, level) gives the same problem on every machine; every problem is derived by the
engines and its stated answer graded right before it is returned.
"""
from __future__ import annotations

from gradwise.practice.generators import Topic, find, load_all
from gradwise.practice.grading import grade
from gradwise.practice.hints import next_hint
from gradwise.practice.problems import Hint, Problem, Response


def generate(topic: str, seed: int = 0, level: int = 1) -> Problem:
    """The problem of `topic` for this seed and level (1-3)."""
    return find(topic).generate(int(seed), int(level))


def topics() -> dict[str, Topic]:
    """Every topic of the syllabus, in order."""
    return dict(load_all())


def topic_list() -> dict:
    """The topics as `gradwise practice --list --format json` prints them."""
    return {"kind": "practice_topics",
            "topics": [{"topic": k, "title": t.title, "description": t.description, "levels": list(t.levels)}
                       for k, t in topics().items()]}


__all__ = ["generate", "grade", "next_hint", "topics", "topic_list", "Problem", "Response", "Hint", "Topic"]
