"""The opening of a worked example: what is given, displayed (matrices as matrices) before the first step."""
from __future__ import annotations

from gradwise.renderers.document import DisplayMath, Math, Notation, Paragraph

GIVEN = "Given:"


def givens(*pairs, words: str = GIVEN) -> list:
    """A 'Given:' paragraph and one display per (name, value) pair: u = (1, 2, 3)ᵀ, A = [...]."""
    blocks: list = [Paragraph.of(words)]
    blocks += [DisplayMath(Math.chain(name, value)) for name, value in pairs]
    return blocks


def N(latex: str, text: str) -> Notation:
    """An inline formula written by hand: LaTeX (Typst is translated from it) and its text form."""
    return Notation(latex, text)
