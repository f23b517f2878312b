"""Pieces both backpropagation explainers use: numbers as a person reads them, partial derivatives
written by hand in each notation, and a figure read from the file an engine drew."""
from __future__ import annotations

import re

import sympy as sp

from gradwise.explainer.numbers import readable
from gradwise.renderers.document import Figure, Notation


def num(v: float) -> str:
    """A number as a person reads it: 6 significant digits."""
    if v == 0:
        return "0"
    return f"{v:.6g}"


def number(v: float) -> sp.Number:
    """A number for a formula, printed with the 6 significant digits `num` writes."""
    if float(v).is_integer() and abs(v) < 1e15:
        return sp.Integer(int(v))
    text = f"{v:.6g}"
    digits = len(text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) or 1
    return sp.Float(text, digits)


def num_latex(v: float) -> str:
    """A number as LaTeX: `num`'s digits, 1e-05 as 1 \\cdot 10^{-5}."""
    text = num(v)
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
    return text


def sci(v: float, digits: int = 3):
    """A number with `digits` significant digits as a textbook prints it: 1.5 × 10⁻⁷, not 1.5e-07
    (a Notation when it has a power of ten, else the plain digits; explainer/numbers.py)."""
    return readable(v, digits, digits)


def factor_latex(v: float) -> str:
    """A number as a factor of a product: negative ones in brackets, 2 · (−0.5)."""
    return f"({num_latex(v)})" if v < 0 else num_latex(v)


def factor_text(v: float) -> str:
    return f"({num(v)})" if v < 0 else num(v)


def op_cell(op: str):
    """An operation for a table cell: a power typeset (u², not ^2), any other name as it is."""
    if op.startswith("^"):
        return Notation(f"u^{{{op[1:]}}}", f"u^{op[1:]}" if op[1:] not in "23" else "u" + "²³"[int(op[1:]) - 2])
    return op


_INDEXED = re.compile(r"^([A-Za-z]+?)(\d+)((?:\[[\d,\s]+\])?)$")


def name_latex(name: str) -> str:
    """A node or parameter name as LaTeX: v12 as v_{12}, W1[0,1] as W_{1}[0,1], delta as \\delta."""
    m = _INDEXED.match(name)
    if m:
        base, index, bracket = m.groups()
        return f"{_letter(base)}_{{{index}}}{bracket}"
    return _letter(name)


def _letter(base: str) -> str:
    greek = {"delta": r"\delta", "sigma": r"\sigma", "alpha": r"\alpha", "lambda": r"\lambda"}
    if base in greek:
        return greek[base]
    return base if len(base) == 1 else rf"\mathrm{{{base}}}"


def partial(top: str, bottom: str) -> tuple[str, str]:
    """∂top/∂bottom as (LaTeX, text), from two names; a slash, not a fraction, since it stands in running
    text, where a stacked fraction shrinks to an unreadable size."""
    return rf"\partial {name_latex(top)}/\partial {name_latex(bottom)}", f"∂{top}/∂{bottom}"


def figure(path: str, caption: str) -> Figure:
    """A figure from a file an engine drew: SVG embedded as text, a PNG by its path."""
    svg = ""
    if path.lower().endswith(".svg"):
        with open(path, encoding="utf-8") as f:
            svg = f.read()
    return Figure(caption, svg=svg, png_path=path if path.lower().endswith(".png") else "")
