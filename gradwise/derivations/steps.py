"""The step protocol every kind of step follows, and the step that is not a differentiation rule.

Every step (a differentiation `Rule`, an `EqualityStep`, a matrix-calculus `DifferentialStep`/`TermStep`,
a numeric `PCAStep`) has a stable `rule` id, a `before` and an `after`, its `substeps`, `walk()` over
itself and them, and the `check` it passed, stored on the step by the engine that checked it (None for a
step that was not checked). Simplifications of a derivative, row operations and determinant expansions,
the collected gradient of a matrix derivation: each is an `EqualityStep` with its sub-steps and the
details its explainer needs (`info`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class Step:
    """What every step is: `rule`, `before`, `after`, `substeps`, the `check` it passed, and `walk()`."""

    rule: str
    substeps: tuple = ()
    check: Any = None        # the check's verdict (a Judgement, a FiniteDifferenceCheck, ...), set by `checked`

    def walk(self):
        """This step and all its sub-steps, depth first."""
        yield self
        for s in self.substeps:
            yield from s.walk()

    def checked(self, check, attribute: str = "check"):
        """This step, with the check it passed stored on it (works on frozen dataclasses too)."""
        object.__setattr__(self, attribute, check)
        return self


@dataclass(eq=False)
class EqualityStep(Step):
    """One step `before = after` (or `before → after` for a row operation), with its sub-steps."""

    rule: str
    before: Any
    after: Any
    substeps: tuple = ()
    info: dict = field(default_factory=dict)
