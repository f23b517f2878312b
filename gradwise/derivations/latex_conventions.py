"""LaTeX conventions the pre-pass settles before either parser reads: commands refused by name, decimal
commas, the letter d before a variable, and subscripted variables of differentiation."""
from __future__ import annotations

import re

from gradwise.errors import InputError
from gradwise.derivations.input_basics import GREEK, symbol


def symbol_name(name: str) -> str:
    name = name.replace("\\", "").replace("{", "").replace("}", "").replace(" ", "")
    return name


def rename_subscripted_variables(s: str, calls: dict) -> str:
    """\\partial z_1, d w_{ij}: neither parser differentiates in a subscripted variable, so each such
    variable is written as a fresh capital letter and named back when the reading is rebuilt."""
    found = dict.fromkeys(m.group(1) for m in _SUBSCRIPTED_VARIABLE.finditer(s))
    free = [c for c in "QRUVWKMTPYXABCDGZ" if c not in s and c not in calls]
    for variable, letter in zip(found, free):
        base, sub = variable.split("_", 1)
        pattern = re.escape(base) + r"\s*_\s*(?:\{\s*%s\s*\}|%s)" % (re.escape(sub.strip("{}")), re.escape(sub.strip("{}")))
        s = re.sub(r"(?:(?<![\\A-Za-z])|(?<=\{d))" + pattern + r"(?!\w)", letter, s)
        calls[letter] = symbol(symbol_name(variable))
    return s


_SUBSCRIPTED_VARIABLE = re.compile(r"(?:\\partial|\{\s*d)\s*([A-Za-z]_(?:\{[A-Za-z0-9]+\}|[A-Za-z0-9]))")


def refuse_unknown_commands(s: str, text: str) -> None:
    """A command that is neither mathematics gradwise reads nor layout is refused by name, never guessed."""
    if re.search(r"\\\s*$", s):
        raise InputError("a backslash at the end, with no command after it", text)
    for m in re.finditer(r"\\([A-Za-z]+)", s):
        if m.group(1) not in KNOWN_COMMANDS:
            raise InputError(f"cannot read \\{m.group(1)}", text, m.start() + 1)


def refuse_decimal_comma(s: str, text: str) -> None:
    """0,111 or 1000,99 outside a function's brackets: a decimal comma or a thousands separator? Refused."""
    depth = 0
    for i, ch in enumerate(s):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(ch, 0)
        if ch == "," and depth <= 0 and i and s[i - 1].isdigit() and s[i + 1:i + 2].isdigit():
            raise InputError("a comma between digits: write 0.111 for a decimal, 14{,}916 for thousands", text)


def differential_letters(s: str, notes: list) -> str:
    """`d x` or `dx` outside \\frac{d}{dx} is the variable d times x, and is said to be (never a differential)."""
    def product(m: re.Match) -> str:
        notes.append(f"d{m.group(1)}{m.group(2)} read as d·{m.group(2)}")
        return r"{d} \cdot " + m.group(2)
    return _LONE_D.sub(product, s)


_LONE_D = re.compile(r"(?<![\\A-Za-z{_^])d(\s*)([A-Za-z])(?![A-Za-z])")


#: every command the pre-pass or the parsers read; any other is refused by name
KNOWN_COMMANDS = frozenset(GREEK) | {g.capitalize() for g in GREEK} | frozenset("""
    frac dfrac tfrac cfrac sqrt left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr
    cdot times div ast partial nabla operatorname mathrm text textrm mathop mathbf mathit mathsf mathcal boldsymbol
    bm vec hat bar tilde infty sum prod lim int ln log lg exp sin cos tan sec csc cot arcsin arccos arctan arccot
    sinh cosh tanh coth sech csch arsinh arcosh artanh max min sgn det begin end matrix pmatrix bmatrix vmatrix
    Bmatrix Vmatrix top intercal prime dots ldots cdots quad qquad displaystyle textstyle limits nolimits
    lVert rVert Vert vert lvert rvert lbrace rbrace varepsilon varphi vartheta ell binom to le ge leq geq ne neq
    approx equiv lt gt Rightarrow implies iff mid in sim propto cdotp odot otimes circ pm mp tag notag nonumber
    label mathbb""".split())


_DANGLING = re.compile(r"(?:[+\-*/^_]|\\cdot|\\times|\\div)\s*$")
_DOUBLED = re.compile(r"\^\s*\^|_\s*_|[+*/]\s*[*/^]|\^\s*[*/+=]")


def refuse_dangling(text: str) -> None:
    """Both parsers drop an operator with nothing after it (`2x +`, `2x ^^ 17` read as 2x): refuse it."""
    body = text.strip().strip("$").strip()
    m = _DANGLING.search(body)
    if m:
        raise InputError(f"nothing after '{m.group(0).strip()}'", text, len(text.rstrip()))
    m = _DOUBLED.search(body)
    if m:
        raise InputError(f"unexpected '{m.group(0)[-1]}' after '{m.group(0)[0]}'", text, m.end())
