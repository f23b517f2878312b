"""The step that is not a differentiation rule: `before = after` by a named rewriting.

Simplifications of a derivative, row operations and determinant expansions, the collected gradient of a
matrix derivation: each is an `EqualityStep` with a stable rule id, its sub-steps and the details its
explainer needs (`info`). Steps are hashable by identity, so checks can be keyed on them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class EqualityStep:
    """One step `before = after` (or `before → after` for a row operation), with its sub-steps."""

    rule: str
    before: Any
    after: Any
    substeps: tuple = ()
    info: dict = field(default_factory=dict)

    def walk(self):
        """This step and all its sub-steps, depth first."""
        yield self
        for s in self.substeps:
            yield from s.walk()
