"""Practice: generators, grading with named mistakes, hints, the scripted session and its JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from gradwise.practice import generate, grade, next_hint, topics
from gradwise.practice.generators.common import typed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = int(os.environ.get("GRADWISE_PRACTICE_SEEDS", "2"))
ALL = list(topics())


@pytest.mark.parametrize("key", ALL)
def test_every_topic_generates_distinct_problems_whose_answer_is_graded_right(key):
    for level in (1, 2, 3):
        problems = [generate(key, seed, level) for seed in range(SEEDS)]
        for p in problems:
            assert (p.topic, p.level) == (key, level)
            assert grade(p, p.answer_text).verdict == "right"
            if p.answer_kind != "matrix_expression":
                assert grade(p, p.answer_latex).verdict == "right", p.answer_latex
            assert next_hint(p, 0) is not None
        if SEEDS > 1:
            assert len({p.prompt for p in problems}) >= 0.8 * len(problems)


@pytest.mark.parametrize("key", ALL)
def test_the_same_seed_gives_the_same_problem(key):
    a, b = generate(key, 11, 2), generate(key, 11, 2)
    assert (a.prompt, a.answer_text) == (b.prompt, b.answer_text)
