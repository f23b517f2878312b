"""Study documents: the syllabus guide (`build_guide`) and teachers' problem sets (`build_problem_set`).

Each topic of the guide is one small module in `gradwise.study.topics` that imports the engines it uses
and registers itself.
"""
from gradwise.study.guide import build_guide
from gradwise.study.problems import build_problem_set, load_problems

__all__ = ["build_guide", "build_problem_set", "load_problems"]
