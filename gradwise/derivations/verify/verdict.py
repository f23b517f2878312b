"""The result of checking a hand derivation: one verdict per step, and the verdict on the whole."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gradwise.derivations.display import Displayable, presenter


@dataclass(frozen=True)
class StepVerdict:
    """Step `index` (from 1): `lhs = rhs` as written, judged against the line before it.

    `method` is how it was decided: "structural", "symbolic", "numeric", "definition" (the step
    names an expression, as in `f(x) = x^2`), "unreadable" (a side could not be read: `reason` says
    why) or "undecided" (no method could decide: `reason` says why; exact sides that agree at every
    sampled point but that no symbolic rewrite proves equal are undecided too: points are evidence, not proof).
    """

    index: int
    line: int                               # source line of the right side
    lhs_text: str
    rhs_text: str
    lhs: sp.Basic | None
    rhs: sp.Basic | None
    valid: bool
    method: str
    counterexample: dict | None = None      # {symbol: value} where the sides differ
    left_value: complex | None = None
    right_value: complex | None = None
    diagnosis_text: str | None = None       # what is wrong, when it is not a named mistake (a reason, a shape)
    mistake: str | None = None              # its id: "chain_inner_factor", "product_rule", ...
    correct: sp.Basic | None = None         # the correct right side, derived by the engine
    correct_rule: str | None = None         # the engine's top rule for it ("chain", "product", ...)
    domain: str = ""                        # "false for x < 0" for an identity true for positive values
    reason: str = ""
    chain: int = 1                          # which chain A = B = C of the derivation (from 1)
    points: int = 0                         # random points where both sides agreed
    wording: Any = None                     # the named mistake's wording key and values (verify.diagnosis.Wording)

    @property
    def readable(self) -> bool:
        return self.method != "unreadable"

    @property
    def diagnosis(self) -> str | None:
        """The likely mistake in words: a named mistake worded by the explainer (through the presenter),
        else the plain text."""
        if self.wording is not None:
            return presenter().mistake_words(self.wording.key, dict(self.wording.values))
        return self.diagnosis_text


@dataclass
class Verdict(Displayable):
    """A derivation, checked step by step. `valid` when every step is; `first_error` is the index of
    the first step that is not valid (None when all are)."""

    source: str
    steps: list[StepVerdict] = field(default_factory=list)
    error: str | None = None                # the input as a whole could not be read
    assume_positive: bool = False
    name: str = ""                          # the submission's name in a batch
    reading: tuple = ()                     # the sides (verify.reading.Side) not read literally

    kind = "check"

    @property
    def readable(self) -> bool:
        return self.error is None and all(s.readable for s in self.steps)

    @property
    def valid(self) -> bool:
        return self.error is None and all(s.valid for s in self.steps)

    @property
    def first_error(self) -> int | None:
        return next((s.index for s in self.steps if not s.valid), None)

    @property
    def exit_code(self) -> int:
        """0 every step valid, 1 a step invalid, 2 the input (or a side) could not be read."""
        if not self.readable:
            return 2
        return 0 if self.valid else 1
