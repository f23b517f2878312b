"""The data of practice: a generated `Problem`, the `Response` to one typed line, and a `Hint`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import sympy as sp

from gradwise.renderers.document import Block

#: how an answer is compared with the correct one
ANSWER_KINDS = ("expression", "number", "vector", "matrix", "values", "direction", "matrix_expression")


@dataclass(frozen=True)
class Trap:
    """A classic wrong answer to this problem: the value a student making `mistake` writes."""

    mistake: str          # id: "sign", "transpose", "chain_inner_factor", ...
    words: str            # the mistake, explained
    value: Any            # SymPy value (or matrix-calculus node) of the wrong answer
    text: str = ""        # the wrong answer as typed (when it is not simply the value printed)


@dataclass(frozen=True)
class Problem:
    """One generated problem: what is asked, its checked answer and its worked solution.

    `answer` is a SymPy object (expression, number or Matrix); for `matrix_expression` problems it is
    the matrix-calculus node and `shapes` the declared shapes. `solution` holds the blocks of the
    worked solution, or a function that writes them (`worked` gives them; its Steps are the hints); `derivative` is (f, x) when the answer is df/dx, which
    lets the grader name the classic differentiation mistakes."""

    topic: str
    level: int
    seed: int
    prompt: str                       # plain text (Unicode)
    prompt_latex: str
    answer: Any
    answer_text: str                  # the answer as a person types it
    answer_latex: str
    answer_kind: str = "expression"
    solution: tuple[Block, ...] | Callable[[], tuple] = field(default=(), compare=False, repr=False)
    variables: tuple[str, ...] = ()
    traps: tuple[Trap, ...] = ()
    derivative: tuple[sp.Expr, sp.Symbol] | None = None
    point: dict | None = None         # where a derivative is evaluated, for diagnosis
    tolerance: float | None = None    # relative error accepted for a decimal answer
    shapes: dict = field(default_factory=dict)   # matrix calculus: the declared shapes
    samples: tuple = ()               # matrix calculus: {name: array} points where answers are compared
    sizes: dict = field(default_factory=dict)    # matrix calculus: the sizes of those points
    note: str = ""                    # how to type the answer, shown under the prompt
    given: dict = field(default_factory=dict, compare=False)   # the problem's data (matrices, w, lr, ...)

    @property
    def worked(self) -> tuple[Block, ...]:
        """The worked solution's blocks (written on first use: most problems are answered without it)."""
        if callable(self.solution):
            object.__setattr__(self, "solution", tuple(self.solution()))
        return self.solution

    @property
    def key(self) -> str:
        """The problem's identity: the same key gives the same problem on every machine."""
        return f"{self.topic}:{self.level}:{self.seed}"


@dataclass(frozen=True)
class Hint:
    """Step `index` (from 1) of `total` of the worked solution: its rule and the line it leads to."""

    index: int
    total: int
    rule: str
    line: str
    line_latex: str

    @property
    def text(self) -> str:
        return f"{self.rule}: {self.line}" if self.line else self.rule


@dataclass(frozen=True)
class Response:
    """What one typed line did: a verdict (right, wrong, unreadable, hint, solution, skip) and why."""

    input: str
    verdict: str
    message: str = ""                 # the verdict in words, for a person
    method: str = ""                  # how "right" or "wrong" was decided
    mistake: str | None = None        # the named mistake's id
    counterexample: dict | None = None
    hint: str | None = None
    simpler: str | None = None        # the simpler form of an unsimplified right answer

    def as_json(self) -> dict:
        return {"input": self.input, "verdict": self.verdict, "mistake": self.mistake,
                "counterexample": self.counterexample, "hint": self.hint, "message": self.message,
                "method": self.method or None}
