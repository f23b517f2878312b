"""Numbers for prose and tables as a person writes them: 0.345409, and 2.21 × 10⁻⁷ (typeset) where a
computer writes 2.21074e-07. Every explainer's decimals come here (the notation is `printing.numbers`)."""
from __future__ import annotations

from typing import Iterable

from gradwise.printing.numbers import written
from gradwise.renderers.document import Notation


def readable(v: float, digits: int = 6, scientific_digits: int = 3) -> str | Notation:
    """A number for running text or a table cell: plain digits, or a Notation when it has a power of ten
    or a minus sign."""
    w = written(v, digits, scientific_digits)
    # a power of ten, or a minus sign (a true minus in print, not a hyphen), is typeset
    return Notation(w.latex, w.text, w.typst) if w.scientific or w.text.startswith("-") else w.text


def readable_tuple(values: Iterable[float], digits: int = 6) -> str | Notation:
    """A point such as (0.587715, 2.21 × 10⁻⁷): one piece of text, or one Notation when a coordinate
    has a power of ten or a minus sign."""
    ws = [written(v, digits) for v in values]
    text = "(" + ", ".join(w.text for w in ws) + ")"
    if not any(w.scientific or w.text.startswith("-") for w in ws):
        return text
    return Notation("(" + ", ".join(w.latex for w in ws) + ")", text, "(" + ", ".join(w.typst for w in ws) + ")")


def readable_text(v: float, digits: int = 6, scientific_digits: int = 3) -> str:
    """The same number as one piece of Unicode text, for titles, captions and words built as strings
    (renderers typeset its superscripts: LaTeX's `escape_text` writes 10⁻¹⁰ as 10^{-10})."""
    return written(v, digits, scientific_digits).text
