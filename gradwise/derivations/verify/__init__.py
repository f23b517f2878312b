"""Checking hand derivations: read the LaTeX into steps, judge each step, name the likely mistake.

`check(text)` is the entry point (re-exported as `gradwise.check`); it returns a `Verdict`.
"""
from gradwise.derivations.verify.judging import check
from gradwise.derivations.verify.verdict import StepVerdict, Verdict

__all__ = ["check", "StepVerdict", "Verdict"]
