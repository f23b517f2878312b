"""What every generator shares: the typed form of an answer, the worked steps, the rejection of draws."""
from __future__ import annotations

import random
import re

import sympy as sp

from gradwise.printing import latex, unicode
from gradwise.renderers.document import Section, Step


class Redraw(Exception):
    """The draw is ugly or degenerate (a zero derivative, a huge number): draw again."""


def typed(value) -> str:
    """A value as a person types it, in the plain math `gradwise.parse` reads back."""
    if isinstance(value, sp.MatrixBase):
        if value.cols == 1:
            return "[" + ", ".join(typed(v) for v in value) + "]"
        return "[" + ", ".join("[" + ", ".join(typed(v) for v in value.row(i)) + "]" for i in range(value.rows)) + "]"
    if isinstance(value, sp.Float):
        return f"{float(value):.8g}"
    # SymPy spells Euler's number E, which the reader takes for a variable
    return re.sub(r"\bE\b", "exp(1)", sp.sstr(value)).replace("**", "^")


def tex(value) -> str:
    return latex(value)


def text(value) -> str:
    return unicode(value)


def require(condition: bool) -> None:
    """Redraw unless `condition` holds."""
    if not condition:
        raise Redraw()


def small(value, limit: int = 500) -> bool:
    """Every number in the value is a modest rational (no huge or many-digit numbers)."""
    values = list(value) if isinstance(value, sp.MatrixBase) else [value]
    for v in values:
        for n in sp.sympify(v).atoms(sp.Rational):  # safe: an engine value, never user text
            if abs(n.p) > limit or n.q > 100:
                return False
    return True


def nonzero(rng: random.Random, low: int, high: int) -> int:
    """A random integer in [low, high] other than 0."""
    while True:
        n = rng.randint(low, high)
        if n:
            return n


def integer_matrix(rng: random.Random, rows: int, cols: int, low: int = -4, high: int = 5) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(rows, cols, [rng.randint(low, high) for _ in range(rows * cols)])


def steps(blocks, keep: int | None = None) -> tuple:
    """The Step (and Section) blocks of an explainer document (the first `keep` top-level ones), the worked solution."""
    found = tuple(b for b in blocks if isinstance(b, (Step, Section)))
    return found[:keep] if keep else found


def worked(result, keep: int | None = None):
    """The engine result's worked solution, at full detail (every sub-step is a hint), written when asked."""
    from gradwise.explainer import explain

    return lambda: steps(explain(result, "full").blocks, keep)
