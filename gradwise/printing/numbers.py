"""Numbers as a person writes them: 0.345409, and 3.83 × 10⁻¹⁰ where a computer writes 3.83e-10.

The one place that decides how a decimal is written in text, LaTeX and Typst; the printers' Floats and
the explainer's numbers in prose and tables (`explainer/numbers.py`) both come here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Written:
    """One number in each notation, and whether it has a power of ten."""

    text: str
    latex: str
    typst: str
    scientific: bool


def split(digits_text: str) -> tuple[str, int | None]:
    """A computer's decimal (`3.83e-10`, `2.5E+06`, `0.5`) as its mantissa and power of ten (None if none)."""
    mantissa, e, exponent = digits_text.lower().partition("e")
    return (mantissa, int(exponent)) if e else (mantissa, None)


def from_parts(mantissa: str, power: int | None) -> Written:
    """A mantissa and a power of ten in each notation: 3.83 × 10⁻¹⁰, 3.83 \\times 10^{-10}."""
    if power is None:
        return Written(mantissa, mantissa, mantissa, False)
    if mantissa in ("1", "1.0"):  # 10⁻⁷, not 1 × 10⁻⁷
        return Written(f"10{str(power).translate(_SUPERSCRIPT)}", f"10^{{{power}}}", f"10^({power})", True)
    if mantissa in ("-1", "-1.0"):
        return Written(f"-10{str(power).translate(_SUPERSCRIPT)}", f"-10^{{{power}}}", f"-10^({power})", True)
    return Written(f"{mantissa} × 10{str(power).translate(_SUPERSCRIPT)}", rf"{mantissa} \times 10^{{{power}}}",
                   f"{mantissa} times 10^({power})", True)


def float_written(expr) -> Written:
    """A SymPy Float as the printers write it: its shortest digits (SymPy's `full_prec=False`), 9.54 × 10⁻⁷."""
    import sympy as sp
    return from_parts(*split(sp.sstr(expr, full_prec=False)))


def written(v: float, digits: int = 6, scientific_digits: int = 3) -> Written:
    """`v` with `digits` significant digits (Python's `g` format), and a power of ten where that format
    would write one: then with `scientific_digits` digits, since 2.21074e-07 reads as 2.21 × 10⁻⁷.
    Infinities are ∞, and not-a-number a dash."""
    v = float(v)
    if math.isnan(v):
        return Written("—", "\\text{---}", '"—"', False)
    if math.isinf(v):
        sign = "-" if v < 0 else ""
        return Written(f"{sign}∞", f"{sign}\\infty", f"{sign}infinity", False)
    if v == 0:
        return from_parts("0", None)
    mantissa, power = split(f"{v:.{digits}g}")
    if power is not None:
        mantissa, power = split(f"{v:.{scientific_digits}g}" if scientific_digits < digits else f"{v:.{digits}g}")
        # (rounding to fewer digits can leave the range of powers: 9.99995e-05 -> 0.0001, plain digits)
    return from_parts(mantissa, power)
