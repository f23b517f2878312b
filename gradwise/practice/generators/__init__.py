"""The syllabus: every topic's generator, registered in order. Each is a function (seed, level) -> Problem.

A topic module defines `draw(rng, level) -> Problem` functions and registers them with `@topic(...)`;
the registered generator seeds its own `random.Random` from (topic, level, seed), redraws a draw its
module rejects, and hands the problem to the grader with its own answer before returning it, so a
problem whose stated answer is not judged right is never asked.
"""
from __future__ import annotations

import dataclasses
import importlib
import random
from dataclasses import dataclass
from typing import Callable

from gradwise.errors import EngineError, GradwiseError
from gradwise.practice.generators.common import Redraw
from gradwise.practice.problems import Problem

MAX_DRAWS = 1000  # learning_rate L2-3 accepts 3.5 % of its draws: with 200, seed 65 at level 3 found none
LEVELS = (1, 2, 3)
MODULES = ("linear_algebra", "eigen", "calculus", "multivariable", "matrix_calculus", "training")


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    description: str
    family: str
    generate: Callable[[int, int], Problem]
    levels: tuple[int, ...] = LEVELS


TOPICS: dict[str, Topic] = {}


def topic(key: str, title: str, description: str, family: str):
    """Register `draw(rng, level)` as the generator of topic `key`."""
    def decorate(draw: Callable[[random.Random, int], Problem]):
        def generate(seed: int, level: int) -> Problem:
            return _generate(key, draw, seed, level)
        generate.__doc__ = draw.__doc__
        TOPICS[key] = Topic(key, title, description, family, generate)
        return draw
    return decorate


def _generate(key: str, draw, seed: int, level: int) -> Problem:
    from gradwise.practice.grading import compare, grade

    if level not in LEVELS:
        raise GradwiseError(f"level {level} does not exist; choose 1, 2 or 3")
    rng = random.Random(f"{key}:{level}:{seed}")
    for _ in range(MAX_DRAWS):
        try:
            problem = draw(rng, level)
        except Redraw:
            continue
        traps = tuple(t for t in problem.traps if not _same(compare, problem, t.value))  # a "mistake" that is right
        problem = dataclasses.replace(problem, topic=key, level=level, seed=seed, traps=traps)
        verdict = grade(problem, problem.answer_text)
        if verdict.verdict != "right":
            raise EngineError(f"{key} (seed {seed}, level {level}): the stated answer {problem.answer_text!r} "
                              f"was judged {verdict.verdict}: {verdict.message}")
        return problem
    raise EngineError(f"{key} (seed {seed}, level {level}): no acceptable problem in {MAX_DRAWS} draws")


def _same(compare, problem: Problem, value) -> bool:
    try:
        return bool(compare(problem, value, problem.answer)[0])
    except GradwiseError:
        return False


def load_all() -> dict[str, Topic]:
    """Every topic, in syllabus order (importing the modules registers them)."""
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return TOPICS


def find(key: str) -> Topic:
    topics = load_all()
    if key not in topics:
        import difflib
        close = difflib.get_close_matches(key, list(topics), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else "; `gradwise practice --list` shows them"
        raise GradwiseError(f"no practice topic '{key}'{hint}")
    return topics[key]
