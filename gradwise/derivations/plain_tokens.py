"""The tokens of plain math: numbers, names, operators (Unicode ones mapped to ASCII), superscripts."""
from __future__ import annotations

import re
from dataclasses import dataclass

from gradwise.errors import InputError


@dataclass(frozen=True)
class Token:
    kind: str   # "num", "name", "op", "end"
    text: str
    column: int  # 1-based


_TOKEN = re.compile(r"""
    (?P<num>(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)
  | (?P<name>[A-Za-z][A-Za-z0-9_]*|[α-ωΑ-Ω]|∂[A-Za-zα-ω][A-Za-z0-9_]*|∂)
  | (?P<op>\*\*|[-+*/^()\[\],;|_·⋅×−'√ᵀ])
  | (?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻ˣʸⁿⁱ]+)
  | (?P<space>\s+)
""", re.VERBOSE)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻ˣʸⁿⁱ", "0123456789-xyni")
_OPS = {"·": "*", "⋅": "*", "×": "*", "−": "-", "**": "^"}


def tokenize(text: str) -> list[Token]:
    """Split plain math into tokens; an unknown character is an error at its column."""
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise InputError(f"unexpected character '{text[pos]}'", text, pos + 1)
        kind = m.lastgroup
        if kind == "sup":
            sup = m.group().translate(_SUPERSCRIPT)
            tokens.append(Token("op", "^", pos + 1))
            if re.fullmatch(r"-?\d+", sup):
                if sup.startswith("-"):
                    tokens.append(Token("op", "-", pos + 1))
                tokens.append(Token("num", sup.lstrip("-"), pos + 1))
            elif len(sup) == 1:
                tokens.append(Token("name", sup, pos + 1))
            else:
                raise InputError(f"cannot read the superscript '{m.group()}'", text, pos + 1)
        elif kind != "space":
            tokens.append(Token(kind, _OPS.get(m.group(), m.group()), pos + 1))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens
