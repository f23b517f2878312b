"""Typst's names (Greek letters, operators, gradwise's function names, quoting) and LaTeX -> Typst for the
small hand-written rule statements (`Notation`), such as (uv)' = u'v + uv'.

A translator, not a printer (that is `typst.py`, which uses these names): it reads the LaTeX of a fixed
set of commands and writes Typst math, with every name it does not know quoted, so no statement can
inject markup or code into the document.
"""
from __future__ import annotations

import re

from gradwise.derivations.function_registry import BY_CLASS, display_name

#: Greek letter names Typst math knows (lower and upper case)
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
         "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"}
GREEK |= {g.capitalize() for g in GREEK}
#: function names that are operators in Typst math (upright, spaced)
TYPST_OPERATORS = {"arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "csch", "det",
                   "exp", "gcd", "lcm", "ln", "log", "max", "min", "sec", "sech", "sin", "sinh", "tan", "tanh"}
#: SymPy function name -> the name gradwise writes
FUNCTION_NAMES = {r.name: display_name(r.name, "typst") for r in BY_CLASS.values()
                  if display_name(r.name, "typst") != r.name}
FUNCTION_NAMES.update({"re": "Re", "im": "Im", "Trace": "tr"})


def quote(text: str) -> str:
    """A Typst string literal: shown as upright text in math, never read as code."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _name(name: str) -> str:
    """A function or operator name: a Typst operator, a Greek letter, or op("name")."""
    if name in TYPST_OPERATORS or name in GREEK or (len(name) == 1 and name.isalpha() and name.isascii()):
        return name
    return f"op({quote(name)})"


_COMMANDS = {
    "partial": "partial", "lim": "lim", "cdot": "dot", "times": "times", "le": "<=", "leq": "<=", "ge": ">=", "geq": ">=",
    "ne": "!=", "neq": "!=", "approx": "approx", "to": "arrow.r", "Rightarrow": "arrow.r.double", "rightarrow": "arrow.r",
    "infty": "infinity", "dots": "dots", "ldots": "dots", "cdots": "dots.c", "sum": "sum", "prod": "product",
    "in": "in", "odot": "dot.o", "top": "top", "nabla": "nabla", "mid": "|", "quad": "quad", "qquad": "wide",
    ",": "thin", ";": "med", "!": "", " ": " ", "lvert": 'class("opening", bar.v)', "rvert": 'class("closing", bar.v)',
    "lVert": 'class("opening", bar.v.double)', "rVert": 'class("closing", bar.v.double)', "langle": "chevron.l", "rangle": "chevron.r", "{": "{", "}": "}", "surd": "√", "ell": "ell",
    "mathsf": "", "varepsilon": "epsilon", "epsilon": "epsilon.alt", "vartheta": "theta.alt", "varphi": "phi",
    "phi": "phi.alt", "left": "", "right": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "", "big": "",
    "Big": "", "displaystyle": "", "limits": "", "star": "star", "circ": "compose", "pm": "plus.minus",
    "mp": "minus.plus", "exp": "exp", "mapsto": "arrow.r.bar", "forall": "forall",
    "exists": "exists", "sim": "tilde.op", "propto": "prop", "equiv": "equiv", "iff": "arrow.l.r.double.long",
    "implies": "arrow.r.double.long", "hat": "hat", "tilde": "tilde", "bar": "overline", "overline": "overline", "vec": "arrow",
    "dot": "dot", "lbrace": "{", "rbrace": "}",
    # arrows, by Typst's names (its shorthands such as <- would clash with a written "<" and "-")
    "leftarrow": "arrow.l", "gets": "arrow.l", "longleftarrow": "arrow.l.long", "longrightarrow": "arrow.r.long",
    "Leftarrow": "arrow.l.double", "Longleftarrow": "arrow.l.double.long", "Longrightarrow": "arrow.r.double.long",
    "leftrightarrow": "arrow.l.r", "Leftrightarrow": "arrow.l.r.double", "longmapsto": "arrow.r.long.bar",
    "uparrow": "arrow.t", "downarrow": "arrow.b", "Uparrow": "arrow.t.double", "Downarrow": "arrow.b.double",
    "nearrow": "arrow.tr", "searrow": "arrow.br", "hookrightarrow": "arrow.r.hook", "rightleftharpoons": "harpoons.rtlb",
    "leadsto": "arrow.r.squiggly",
}
#: one-argument commands: \mathbf{x} -> bold(x), \hat{x} -> hat(x)
_ACCENTS = {"mathbf": "bold", "boldsymbol": "bold", "bm": "bold", "mathsf": "sans", "mathcal": "cal",
            "mathbb": "bb", "hat": "hat", "bar": "overline", "overline": "overline", "tilde": "tilde",
            "vec": "arrow", "dot": "dot", "ddot": "dot.double", "widehat": "hat", "underline": "underline"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[A-Za-z]|\d+(?:\.\d+)?|\s+|.", re.S)


class NotationError(ValueError):
    """The LaTeX uses a construct the translator does not know."""


def notation_typst(latex: str) -> str:
    """Typst math for one of the project's hand-written LaTeX formulas (rule statements).

    Knows the constructs those formulas use (fractions, roots, scripts, Greek letters, operator names,
    cases, brackets); raises NotationError on anything else so the caller can fall back on text.
    """
    tokens = _TOKEN.findall(latex)
    # \left. and \right. are invisible delimiters: drop the dot with them
    tokens = [t for k, t in enumerate(tokens) if not (t == "." and k and tokens[k - 1] in ("\\left", "\\right"))]
    tokens = _paired_norms(tokens)
    out, rest = _convert(tokens, 0, stop=None)
    if rest != len(tokens):
        raise NotationError(f"unbalanced braces in {latex!r}")
    return re.sub(r"\s+", " ", out).strip()


def _paired_norms(tokens: list[str]) -> list[str]:
    """`\\|u\\|` as `\\lVert u \\rVert` (and `|x|` as `\\lvert x \\rvert`): the bars of a norm or an absolute
    value taken in pairs, opening then closing, so Typst sets them tight against what they enclose (‖u‖,
    not ‖ u ‖). A conditional bar is written `\\mid`."""
    out, opening = [], {"\\|": True, "|": True}
    pair_bars = tokens.count("|") % 2 == 0  # |1 − lr·λ|; a lone bar (an evaluation bar) stays as it is
    for t in tokens:
        if t == "\\|" or (t == "|" and pair_bars):
            bar = t
            t = {"\\|": ("\\lVert", "\\rVert"), "|": ("\\lvert", "\\rvert")}[bar][0 if opening[bar] else 1]
            opening[bar] = not opening[bar]
        out.append(t)
    return out


def _group(tokens: list[str], i: int) -> tuple[str, int]:
    """One argument: a {group} or a single token."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        raise NotationError("missing argument")
    if tokens[i] == "{":
        body, j = _convert(tokens, i + 1, stop="}")
        return body, j + 1
    return _convert(tokens[i:i + 1], 0, stop=None)[0], i + 1


def _convert(tokens: list[str], i: int, stop: str | None) -> tuple[str, int]:
    out: list[str] = []
    while i < len(tokens):
        t = tokens[i]
        if t == stop:
            return " ".join(out), i
        i += 1
        if t.isspace():
            continue
        if t == "{":
            body, j = _convert(tokens, i, stop="}")
            out.append(body)
            i = j + 1
        elif t == "}":
            raise NotationError("unbalanced braces")
        elif t in ("^", "_"):
            arg, i = _group(tokens, i)
            if out:
                out[-1] = out[-1] + f"{t}({arg})"
            else:
                out.append(f'""{t}({arg})')
        elif t in ("\\frac", "\\tfrac", "\\dfrac"):
            a, i = _group(tokens, i)
            b, i = _group(tokens, i)
            out.append(f"frac({a}, {b})")
        elif t == "\\sqrt":
            a, i = _group(tokens, i)
            out.append(f"sqrt({a})")
        elif t[1:] in _ACCENTS:
            a, i = _group(tokens, i)
            out.append(f"{_ACCENTS[t[1:]]}({a})")
        elif t in ("\\operatorname", "\\mathrm", "\\text", "\\textrm", "\\mathit"):
            raw, i = _raw_group(tokens, i)
            if t == "\\mathrm" and raw == "d":
                out.append("dif")
            elif t == "\\operatorname":
                out.append(_name(raw) if raw in TYPST_OPERATORS else f"op({quote(raw)})")
            else:
                out.append(quote(raw))
        elif t == "\\begin":
            env, i = _raw_group(tokens, i)
            if env in _MATRICES:
                delim = _MATRICES[env]
                if out and out[-1] in ("[", "(") and env == "matrix":   # \left[\begin{matrix}...\right]
                    delim = out.pop()
                    cell_text, i = _matrix(tokens, i)
                    i = _skip_right(tokens, i, "]" if delim == "[" else ")")
                else:
                    cell_text, i = _matrix(tokens, i)
                out.append(f"mat(delim: {quote(delim) if delim else '#none'}, {cell_text})")
                continue
            if env != "cases":
                raise NotationError(f"unknown environment {env}")
            body, j = _convert(tokens, i, stop="\\end")
            _, i = _raw_group(tokens, j + 1)
            out.append(f"cases({body.replace('&', '& quad')})")   # a gap between value and condition
        elif t == "\\\\":
            out.append(",")
        elif t == "&":
            out.append("&")
        elif t.startswith("\\"):
            name = t[1:]
            if name in GREEK:
                out.append(name if name not in ("epsilon", "phi") else _COMMANDS[name])
            elif name in _COMMANDS:
                out.append(_COMMANDS[name])
            elif name in TYPST_OPERATORS:
                out.append(name)
            elif name in FUNCTION_NAMES.values() or name in ("arccot", "arsinh", "arcosh", "artanh"):
                out.append(f"op({quote(name)})")
            else:
                raise NotationError(f"unknown command \\{name}")
        elif t.isalpha():
            out.append(t)
        elif t.replace(".", "").isdigit():
            out.append(t)
        elif t == "'":
            if out:  # a_i' is the derivative of a_i: the prime sits on the letter, a'_(i), not after the index
                sub = _TRAILING_SUBSCRIPT.search(out[-1])
                out[-1] = out[-1][:sub.start()] + "'" + sub.group(0) if sub else out[-1] + "'"
        elif t in "+-=<>()[]|,./!*:;?":
            out.append({"/": "slash", "*": "ast", ";": ";", ":": ":"}.get(t, t))
        elif t in '"#$@~`\\':
            out.append(quote(t))
        else:
            out.append(quote(t))
    if stop is not None:
        raise NotationError(f"missing {stop}")
    return " ".join(out), i


_TRAILING_SUBSCRIPT = re.compile(r"_\((?:[^()]|\([^()]*\))*\)$")
_ESCAPED = {"\\_", "\\%", "\\&", "\\#", "\\$", "\\{", "\\}"}
_MATRICES = {"matrix": "", "bmatrix": "[", "pmatrix": "(", "vmatrix": "|"}


def _matrix(tokens: list[str], i: int) -> tuple[str, int]:
    """The cells of a matrix environment (after its \\begin{...}) as Typst `a, b; c, d`, and the index
    after its \\end{...}."""
    depth, j, rows, cell, row = 0, i, [], [], []
    while j < len(tokens):
        t = tokens[j]
        if t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
        if depth == 0 and t in ("&", "\\\\", "\\end"):
            row.append(_convert(cell, 0, stop=None)[0] or '""')
            cell = []
            if t != "&":
                rows.append(row)
                row = []
            if t == "\\end":
                _, j = _raw_group(tokens, j + 1)
                return "; ".join(", ".join(r) for r in rows if any(c != '""' for c in r)), j
        else:
            cell.append(t)
        j += 1
    raise NotationError("missing \\end")


def _skip_right(tokens: list[str], i: int, close: str) -> int:
    """The index after `\\right]` (or `)`) that closes a `\\left[` folded into a matrix."""
    j = i
    while j < len(tokens) and tokens[j].isspace():
        j += 1
    if j < len(tokens) and tokens[j] == "\\right":
        j += 1
    if j < len(tokens) and tokens[j] == close:
        return j + 1
    raise NotationError("unmatched \\left")


def _raw_group(tokens: list[str], i: int) -> tuple[str, int]:
    """The literal text of a {group} (for \\operatorname{ReLU}, \\begin{cases})."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens) or tokens[i] != "{":
        raise NotationError("expected {")
    j = i + 1
    text = []
    while j < len(tokens) and tokens[j] != "}":
        t = tokens[j]
        text.append(t[1:] if t in _ESCAPED else t)  # \text{initial\_value}: the underscore itself
        j += 1
    if j >= len(tokens):
        raise NotationError("missing }")
    return "".join(text), j + 1
