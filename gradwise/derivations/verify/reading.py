"""Reading a hand derivation: LaTeX text -> chains of sides, each side parsed on its own.

A derivation is written as one chain `A = B = C`, as several lines, or as an `align`/`align*`
environment with `&=` and `\\\\`. The pre-pass here finds the rows (a `\\\\` inside a display, a line
break outside one), drops alignment marks, labels and text annotations, and splits each row on its
top-level `=`. A row that starts with `=` continues the chain above it; a row that starts with `+` or
`-` continues the side above it; any other row starts a new chain. Each side is then read by
`latex_input.parse_latex` (two parsers, cross-checked); a side that cannot be read keeps its reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from gradwise.derivations.latex_input import _FORBIDDEN, FUNCTION_LETTERS, parse_latex, parse_latex_with_notes
from gradwise.derivations.parsing import is_latex, parse_with_reading
from gradwise.errors import GradwiseError, InputError, TimeLimitExceeded

DISPLAY_ENVIRONMENTS = ("align", "align*", "aligned", "alignat", "alignat*", "equation", "equation*",
                        "gather", "gather*", "gathered", "multline", "multline*", "split", "eqnarray",
                        "eqnarray*", "flalign", "flalign*", "displaymath", "math", "document")
MATRIX_ENVIRONMENTS = ("matrix", "pmatrix", "bmatrix", "vmatrix", "Bmatrix", "Vmatrix", "array", "cases",
                       "smallmatrix")
CHAIN_BREAKS = (r"\implies", r"\Rightarrow", r"\Longrightarrow", r"\iff", r"\therefore", r"\Leftrightarrow")
OTHER_RELATIONS = (r"\approx", r"\leq", r"\geq", r"\le", r"\ge", r"\neq", r"\ne", r"\equiv", r"\sim",
                   r"\propto", "<", ">")
_ANNOTATION = re.compile(r"\\(?:text|textrm|mbox|intertext|textbf|textit|mathrm)\s*\{([^{}]*)\}")
_DROP = re.compile(r"\\(?:nonumber|notag|displaystyle|label\s*\{[^{}]*\}|tag\*?\s*\{[^{}]*\})")


@dataclass(frozen=True)
class Side:
    """One side of a chain as written, where it was written, and how it reads (or why it does not)."""

    text: str
    line: int                     # 1-based line of the source where the side starts
    expr: sp.Basic | None = None
    error: str | None = None      # why the side could not be read
    notes: tuple[str, ...] = ()   # how it was read, where that was not literal ("d x read as d·x")

    @property
    def readable(self) -> bool:
        return self.expr is not None


@dataclass(frozen=True)
class Chain:
    """A = B = C: consecutive sides are the steps."""

    sides: tuple[Side, ...]


@dataclass(frozen=True)
class _Row:
    text: str
    line: int


def read_derivation(text: str) -> list[Chain]:
    """The chains of a derivation, every side parsed. Raises InputError for input rejected as a whole
    (a forbidden command, nothing to read)."""
    m = _FORBIDDEN.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise InputError(f"the LaTeX command \\{m.group(1)} is not allowed (line {line})", _excerpt(text, m.start()))
    chains = [Chain(tuple(_parse_side(t, line) for t, line in sides)) for sides in split_chains(text)]
    if not chains:
        raise GradwiseError("nothing to check: the input has no derivation")
    return chains


def split_chains(text: str) -> list[list[tuple[str, int]]]:
    """The chains as lists of (side text, line) before parsing."""
    chains: list[list[list]] = []
    for row in _rows(text):
        body = _clean(row.text)
        if not body:
            continue
        breaks = _split_top_level(body, CHAIN_BREAKS)
        for k, piece in enumerate(breaks):
            piece = piece.strip()
            if not piece:
                continue
            parts = _split_top_level(piece, ("=",))
            parts = [p.strip() for p in parts]
            if k == 0 and parts[0] == "" and len(parts) > 1 and chains:
                chains[-1].extend([p, row.line] for p in parts[1:])
            elif k == 0 and len(parts) == 1 and _continues(parts[0]) and chains and chains[-1]:
                chains[-1][-1][0] += " " + parts[0]
            else:
                chains.append([[p, row.line] for p in parts])
    return [[(t, line) for t, line in chain] for chain in chains]


def _continues(text: str) -> bool:
    """A row that starts with an operator continues the expression above it."""
    return bool(re.match(r"(?:[+\-*/]|\\cdot|\\times)", text))


def _parse_side(text: str, line: int) -> Side:
    if not text:
        return Side(text, line, None, "empty side (two = in a row)")
    relation = next((r for r in OTHER_RELATIONS if _split_top_level(text, (r,))[1:]), None)
    if relation is not None:
        return Side(text, line, None, f"the relation {relation} is not checked (only = is)")
    notes: list[str] = []
    try:
        prepared = hand_conventions(text)
        gradient = re.match(r"\s*\\nabla(?!\s*_)", prepared)
        expr = _read_nabla(prepared) if gradient else _read_plain(text, notes) or _read_latex(prepared, notes)
    except TimeLimitExceeded:
        raise
    except InputError as exc:
        return Side(text, line, None, exc.problem)
    except GradwiseError as exc:
        return Side(text, line, None, str(exc))
    except (RecursionError, ValueError, TypeError) as exc:  # a parser's own failure
        return Side(text, line, None, f"cannot read this LaTeX ({type(exc).__name__})")
    if isinstance(expr, sp.Equality) or not isinstance(expr, (sp.Expr, sp.MatrixBase)):
        return Side(text, line, None, "not an expression")
    return Side(text, line, expr, None, tuple(dict.fromkeys(notes)))


def _read_latex(text: str, notes: list[str]) -> sp.Basic:
    expr, more = parse_latex_with_notes(text)
    notes.extend(more)
    return expr


def _read_plain(text: str, notes: list[str]) -> sp.Basic | None:
    """A side that starts with the plain `d/dx` (or `∂/∂x`), read as `diff` reads it; None otherwise (the
    LaTeX reader, which would read d/dx x^2 as d/(dx·x²), is asked then)."""
    if is_latex(text) or not re.match(r"\s*(d/d|∂/∂)[A-Za-zα-ω]", text):
        return None
    try:
        read = parse_with_reading(text)
    except InputError:
        return None
    notes.extend(read.notes)
    return read.expr


def _read_nabla(text: str) -> sp.Basic:
    """`\\nabla E`: the column of partial derivatives of E in its variables, in alphabetical order."""
    body = parse_latex(text.lstrip()[len(r"\nabla"):])
    if isinstance(body, sp.MatrixBase):
        raise InputError("the gradient of a vector: write the Jacobian entries out", text)
    variables = sorted(body.free_symbols, key=lambda s: s.name)
    if not variables:
        raise InputError("the gradient of a constant", text)
    return sp.ImmutableMatrix([sp.Derivative(body, v) for v in variables])


# ----------------------------------------------------------------------------------------------------
# Rows

def _rows(text: str) -> list[_Row]:
    """Split the source into rows: `\\\\` ends a row in a display, a line break ends one outside."""
    rows: list[_Row] = []
    current: list[str] = []
    start_line, line = 1, 1
    display = 0      # inside align, \[ ... \], $$ ... $$
    inline = False   # inside $ ... $
    matrix = 0
    braces = 0
    i, n = 0, len(text)

    def end_row():
        nonlocal current, start_line
        row = "".join(current)
        if row.strip():
            rows.append(_Row(row, start_line))
        current = []
        start_line = line

    while i < n:
        ch = text[i]
        if not "".join(current).strip():
            start_line = line
        if ch == "%" and (i == 0 or text[i - 1] != "\\"):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if ch == "\n":
            line += 1
            if display == 0 and not inline and matrix == 0 and braces == 0:
                end_row()
            else:
                current.append(" ")
            i += 1
            continue
        note = _TEXT_COMMAND.match(text, i)
        if note:
            end = _matching_brace(text, note.end() - 1)
            inside = text[note.end():end - 1]
            if re.fullmatch(r"\s*[A-Za-z]+\s*", inside) and text[end:end + 1] == "(":
                current.append(text[i:end])  # \text{ReLU}(x) is a function
            elif not _is_remark(inside):
                current.append(text[i:end])  # \text{1} is math: read by _clean, or refused by name
            else:
                current.append(" ")
                line += inside.count("\n")
            i = end
            continue
        env = re.match(r"\\(begin|end)\s*\{([A-Za-z]+\*?)\}", text[i:i + 40])
        if env:
            name = env.group(2)
            if name in MATRIX_ENVIRONMENTS:
                matrix += 1 if env.group(1) == "begin" else -1
                current.append(env.group(0))
            elif name in DISPLAY_ENVIRONMENTS:
                end_row()
                display += 1 if env.group(1) == "begin" else -1
                if env.group(1) == "begin" and name.startswith("alignat"):
                    m = re.match(r"\s*\{\d+\}", text[i + env.end():])
                    i += m.end() if m else 0
            else:
                raise GradwiseError(f"the environment {name} is not a derivation (line {line})")
            i += env.end()
            continue
        two = text[i:i + 2]
        if two in (r"\[", r"\]", r"\(", r"\)", "$$"):
            end_row()
            if two == "$$":
                display = 0 if display else 1
            else:
                display += 1 if two in (r"\[", r"\(") else -1
            i += 2
            continue
        if two == "\\\\":
            if matrix:
                current.append(two)
            else:
                end_row()
                m = re.match(r"\s*\[[^\]]*\]", text[i + 2:])  # \\[2pt]
                i += m.end() if m else 0
            i += 2
            continue
        if ch == "$":
            inline = not inline
            end_row()
            i += 1
            continue
        if ch == "\\" and i + 1 < n:  # keep escaped characters with their backslash
            current.append(two)
            i += 2
            continue
        if ch == "&" and not matrix:
            i += 1
            continue
        braces += {"{": 1, "}": -1}.get(ch, 0)
        braces = max(braces, 0)
        current.append(ch)
        i += 1
    end_row()
    return rows


_TEXT_COMMAND = re.compile(r"\\(?:text|textrm|mbox|intertext|textbf|textit|hbox)\s*\{")


def _matching_brace(text: str, start: int) -> int:
    """The index after the brace that closes the one at `start` (the end of the text if none does)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "\\":
            continue
        if text[i] == "{" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _is_remark(inside: str) -> bool:
    """Whether the body of a \\text{...} is words to drop ("by the chain rule"); a lone symbol or a
    number (`\\mathrm{1}`, `\\text{x}`) is math, never dropped without a word."""
    return inside.strip() == "" or bool(re.search(r"[A-Za-z]{2}|\s", inside.strip()))


def _clean(row: str) -> str:
    """A row without labels, tags and text annotations (`\\text{ReLU}(x)` is kept: it is a function)."""
    row = _DROP.sub(" ", row)

    def annotation(m: re.Match) -> str:
        after, inside = row[m.end():m.end() + 1], m.group(1).strip()
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", inside):
            return f" {inside} "  # \mathrm{1} is the number 1, not a remark to drop
        return m.group(0) if after == "(" or inside in ("e", "d") or not _is_remark(inside) else " "
    row = _ANNOTATION.sub(annotation, row)
    row = re.sub(r"\\(?:quad|qquad)(?![A-Za-z])", " ", row)
    row = row.strip()
    row = re.sub(r"[.,;]+$", "", row).strip()
    return row


def _split_top_level(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split on separators that are outside braces, brackets and matrix environments."""
    parts, depth, current, i = [], 0, [], 0
    ordered = sorted(separators, key=len, reverse=True)
    while i < len(text):
        if text.startswith(r"\begin", i):
            depth += 1
        elif text.startswith(r"\end", i) and not text.startswith(r"\endgroup", i):
            depth -= 1
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and not text[i + 1].isalpha():
            current.append(text[i:i + 2])
            i += 2
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
        if depth == 0:
            sep = next((s for s in ordered if text.startswith(s, i) and
                        not (s[-1].isalpha() and text[i + len(s):i + len(s) + 1].isalpha())), None)
            if sep is not None:
                parts.append("".join(current))
                current = []
                i += len(sep)
                continue
        if ch == "\\":
            m = re.match(r"\\[A-Za-z]+", text[i:])
            current.append(m.group(0))
            i += m.end()
            continue
        current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _excerpt(text: str, position: int) -> str:
    return text[max(0, position - 10):position + 30].replace("\n", " ")


# ----------------------------------------------------------------------------------------------------
# Conventions of hand derivations, applied to a side before the parsers read it

_LETTER_BRACKET = re.compile(r"(?<![\\A-Za-z])([A-Za-z])(\s*)(?=\()")
_OPERATOR_GROUP = re.compile(r"\\frac\s*\{\s*(?:d|\\partial)\s*\}\s*\{\s*(?:d|\\partial)\s*[A-Za-z](?:_\{?\w+\}?)?\s*\}\s*"
                             r"(?=\()")


def hand_conventions(text: str) -> str:
    """`n(n+1)` is a product (f, g, h, F, G, H, L, J stay functions); `\\frac{d}{dx}(u) v` applies the
    derivative to the bracket only, as a reader of a hand derivation does."""
    text = re.sub(r"\\(?:left|right|middle|[bB]igg?[lrm]?)(?![A-Za-z])\s*", "", text)
    text = re.sub(r"\\(?:mathcal|mathbf|boldsymbol|bm|mathit|vec)\s*\{\s*([A-Za-z])\s*\}", r"\1", text)  # 𝓛, 𝐰: names
    text = _bracket_primes(text)
    text = re.sub(r"\\[,;:!]|\\quad|\\qquad|~", " ", text)
    text = _LETTER_BRACKET.sub(lambda m: m.group(0) if m.group(1) in FUNCTION_LETTERS or m.group(1) == "d"
                               else rf"{m.group(1)} \cdot ", text)
    out, i = [], 0
    for m in _OPERATOR_GROUP.finditer(text):
        if m.start() < i:
            continue
        end = _bracket_end(text, m.end())
        if end is None or not text[end:].strip() or text[end:].lstrip()[:1] in ("^", "_", "'", "!"):
            continue
        out.append(text[i:m.start()] + "{" + text[m.start():end] + "}")
        i = end
    out.append(text[i:])
    return _strip_outer_braces("".join(out))


def _strip_outer_braces(text: str) -> str:
    """`{...}` around a whole side is a group, not a set (latex2sympy reads it as a set)."""
    text = text.strip()
    while text.startswith("{") and text.endswith("}") and _matching_brace(text, 0) == len(text):
        text = text[1:-1].strip()
    return text


def _bracket_primes(text: str) -> str:
    """`(x^2 \\sin x)'` as `\\frac{d}{dx}(x^2 \\sin x)` when the bracket has exactly one variable."""
    from gradwise.printing import latex
    while True:
        close = text.find(")'")
        if close < 0:
            return text
        depth, start = 0, None
        for i in range(close, -1, -1):
            depth += {")": 1, "(": -1}.get(text[i], 0)
            if depth == 0:
                start = i
                break
        if start is None:
            return text
        try:
            variables = parse_latex(text[start + 1:close]).free_symbols
        except GradwiseError:
            return text
        if len(variables) != 1:
            return text
        (var,) = variables
        text = rf"{text[:start]}{{\frac{{d}}{{d{latex(var)}}}{text[start:close + 1]}}}{text[close + 2:]}"


def _bracket_end(text: str, start: int) -> int | None:
    """The index after the bracket group that opens at `start`."""
    depth = 0
    i = start
    while i < len(text):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None
