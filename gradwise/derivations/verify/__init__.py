"""Checking hand derivations: read the LaTeX into steps, judge each step, name the likely mistake.

`check(text)` is the entry point (re-exported as `gradwise.check`); it returns a `Verdict`.
"""
from gradwise.derivations.verify.judging import check as check_scalar
from gradwise.derivations.verify.verdict import StepVerdict, Verdict

__all__ = ["check", "StepVerdict", "Verdict"]


def check(text: str, *, shapes: str | dict | None = None, **options) -> Verdict:
    """Check a hand derivation. The hook between the two checkers: a derivation with a chain in matrix
    notation (`x^T A x`, `\\nabla_W`, `\\|x\\|`, or any `shapes` given, as `"W=3x4,x=4"`) goes to the matrix
    checker, which sends its other chains to the scalar one; anything else to the scalar checker."""
    from gradwise.derivations.verify.matrix_check import check_matrix, uses_matrix_notation
    if uses_matrix_notation(text, shapes):
        return check_matrix(text, shapes=shapes, **options)
    return check_scalar(text, **options)
