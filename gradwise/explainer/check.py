"""A checked hand derivation as a document: each step with ✓ or ✗, how it was decided, and for a
wrong step the counterexample, the likely mistake and the correct line. `contract` is the JSON."""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.verify.verdict import StepVerdict, Verdict
from gradwise.explainer.derivative import read_as
from gradwise.explainer.mistake_words import mistake_words
from gradwise.explainer.registry import explains
from gradwise.explainer.numbers import readable_text
from gradwise.printing import latex, unicode
from gradwise.printing.typst import quote, typst
from gradwise.renderers.document import AsWritten, DisplayMath, Document, Math, Notation, Paragraph, Step
from gradwise.renderers.latex import escape_text

OVERVIEW_WIDTH = 76

METHOD_WORDS = {"structural": "the same expression", "symbolic": "checked symbolically",
                "numeric": "checked numerically", "definition": "a definition",
                "unreadable": "cannot be read", "undecided": "could not be decided",
                "shapes": "decided by the shapes"}


@explains(Verdict)
def explain(v: Verdict, detail: str = "standard") -> Document:
    """The document for a verdict; `brief` shows only the wrong steps."""
    blocks: list = [read_as(side.expr, side.notes, f"line {side.line}") for side in v.reading]
    blocks.append(Paragraph.of(summary(v)))
    if v.error:
        blocks.append(Paragraph.of(f"Cannot read the input: {v.error}"))
    if v.steps:
        blocks.append(DisplayMath(annotated(v)))
    for s in v.steps:
        if detail == "brief" and s.valid:
            continue
        blocks.append(_step(s, detail))
    return Document(f"Check of {v.name}" if v.name else "Check of a derivation", tuple(blocks), data=contract(v))


def annotated(v: Verdict, marks: bool = True) -> Notation:
    """The derivation as it was read, one step a row, with ✓ or ✗ and the step number in the margin
    (`marks=False`: as the student wrote it, for a problem sheet)."""
    latex_rows, text_rows, typst_rows = [], [], []
    for k, s in enumerate(v.steps):
        mark = "✓" if s.valid else "✗"
        new_chain = k == 0 or v.steps[k - 1].chain != s.chain
        lhs_l, rhs_l = (_side_latex(s.lhs, s.lhs_text), _side_latex(s.rhs, s.rhs_text))
        lhs_t, rhs_t = (_side_text(s.lhs, s.lhs_text), _side_text(s.rhs, s.rhs_text))
        margin = (r"\checkmark" if s.valid else r"\times") + rf"\ \text{{{s.index}}}"
        if not marks:
            mark, margin = "", rf"\text{{{s.index}}}"
        lone = s.rhs is None and not s.rhs_text  # a row without '=' that cannot be read
        relation = "&" if lone else "&="
        latex_rows.append(f"{lhs_l if new_chain else ''} {relation} {'' if lone else rhs_l} & \\qquad & {margin}")
        text_rows.append((lhs_t if new_chain else "", None if lone else rhs_t, f"{mark} {s.index}".strip()))
        lhs_y = _side_typst(s.lhs, s.lhs_text) if new_chain else ""
        typst_rows.append(f"{lhs_y} {relation} {'' if lone else _side_typst(s.rhs, s.rhs_text)} & wide & "
                          f"{quote(f'{mark} {s.index}'.strip())}")
    body = r" \\ ".join(latex_rows)
    return Notation(latex=rf"\begin{{alignedat}}{{2}} {body} \end{{alignedat}}", text=_text_rows(text_rows),
                    typst=r" \ ".join(typst_rows))


def _side_latex(expr, text: str) -> str:
    return latex(expr, literal=True) if expr is not None else rf"\texttt{{{escape_text(text)}}}"


def _side_typst(expr, text: str) -> str:
    return typst(expr, literal=True) if expr is not None else quote(f"[unreadable: {text}]")


def _side_text(expr, text: str) -> str:
    return unicode(expr, literal=True) if expr is not None else f"[unreadable: {text}]"


def _text_rows(rows: list[tuple[str, str | None, str]]) -> str:
    """Rows `lhs = rhs   ✓ 1` aligned on '=', marks in a right margin; long sides are shortened."""
    width = max((len(lhs) for lhs, _, _ in rows), default=0)
    width = min(width, OVERVIEW_WIDTH // 3)
    lines = []
    for lhs, rhs, mark in rows:
        left = lhs if len(lhs) <= width else lhs[:width - 1] + "…"
        line = f"{left.rjust(width)} = {rhs}" if rhs is not None else left.rjust(width)
        room = OVERVIEW_WIDTH - len(mark) - 2
        if len(line) > room:
            line = line[:room - 1] + "…"
        lines.append(f"{line.ljust(room)}  {mark}")
    return ("\n" + " " * 2).join(lines)


def summary(v: Verdict) -> str:
    """One sentence: how many steps, whether all are valid, where the first error is."""
    if v.error:
        return "The input could not be read."
    n = len(v.steps)
    if n == 0:
        return "Nothing to check: the input has no step (write A = B)."
    plural = "s" if n != 1 else ""
    if v.valid:
        return f"All {n} step{plural} are valid." if n > 1 else "The step is valid."
    wrong = sum(not s.valid for s in v.steps)
    first = next(s for s in v.steps if not s.valid)
    what = "cannot be read" if first.method == "unreadable" else "is not valid"
    return (f"{n} step{plural}, {n - wrong} valid. The first problem is step {first.index} "
            f"(line {first.line}), which {what}.")


def _step(s: StepVerdict, detail: str) -> Step:
    mark = "✓" if s.valid else "✗"
    title = f"{mark} line {s.line}, {METHOD_WORDS.get(s.method, s.method)}"
    statement = Math.chain(AsWritten(s.lhs), AsWritten(s.rhs)) if s.readable else None
    parts: list = []
    if not s.readable:
        parts.append(f"Cannot read {s.reason}")
    elif not s.valid:
        words = diagnosis_words(s)
        if s.counterexample and _is_matrix(s.counterexample):
            parts.append(f"{s.reason[0].upper()}{s.reason[1:]}; with {counterexample_words(s.counterexample)}. ")
        elif s.counterexample is not None and s.left_value is not None:
            where = f"At {counterexample_words(s.counterexample)}: left" if s.counterexample else "Left"
            parts.append(f"{where} {_number(s.left_value)}, right {_number(s.right_value)}. ")
        if s.domain:
            parts.append(f"True only for positive values: {s.domain}. ")
        elif words and s.mistake:
            parts.append(f"Likely mistake: {words}. ")
        elif words:
            parts.append(f"{words[0].upper()}{words[1:]}. ")
        elif s.reason and not (s.counterexample and _is_matrix(s.counterexample)):
            parts.append(f"{s.reason[0].upper()}{s.reason[1:]}. ")
        if s.correct is not None:
            rule = f" (by the {s.correct_rule} rule)" if s.correct_rule and detail != "brief" else ""
            parts += [f"The correct line{rule}: ", Math.chain(AsWritten(s.lhs), s.correct), "."]
    elif s.reason:  # a valid step with decimals: "equal to 15 significant digits"
        parts.append(f"{s.reason[0].upper()}{s.reason[1:]}.")
    elif detail == "full" and s.method == "definition":
        parts.append("From here on the name stands for this expression.")
    elif detail == "full" and s.points:
        parts.append(f"Both sides agree at {s.points} random point{'s' if s.points != 1 else ''}"
                     f"{' as well' if s.method == 'symbolic' else ''}.")
    return Step(str(s.index), title, "check_step", statement,
                explanation=Paragraph.of(*parts) if parts else None)


def counterexample_words(point: dict) -> str:
    return ", ".join(f"{name} = {_value_words(value)}" for name, value in point.items())


def _is_matrix(point: dict) -> bool:
    return any(isinstance(v, list) for v in point.values())


def _value_words(value) -> str:
    """A number as %g; a matrix (a list of rows, from the matrix checker) row by row, a column as a row."""
    if not isinstance(value, list):
        return readable_text(value)
    rows = [[readable_text(x, 3) for x in row] for row in value]
    if len(rows) == 1 and len(rows[0]) == 1:
        return rows[0][0]
    if all(len(r) == 1 for r in rows):
        return "(" + ", ".join(r[0] for r in rows) + ")ᵀ"
    return "[" + "; ".join(" ".join(r) for r in rows) + "]"


def _number(value) -> str:
    if value is None:
        return "undefined"
    c = complex(value)
    if abs(c.imag) < 1e-12:
        return readable_text(c.real)
    return f"{readable_text(c.real, 4)}{'+' if c.imag >= 0 else '-'}{readable_text(abs(c.imag), 4)}i (not real)"


# ----------------------------------------------------------------------------------------------------
# The JSON contract

def contract(v: Verdict, detail: str = "standard") -> dict:
    """`{"kind": "check", "valid", "first_error", "steps": [...]}` as design.md defines it, plus
    `readable`, `error`, `exit_code` and, per step, the line, LaTeX forms and the correct line."""
    out = {"kind": "check", "valid": v.valid, "first_error": v.first_error,
           "steps": [step_contract(s) for s in v.steps],
           "readable": v.readable, "error": v.error, "exit_code": v.exit_code,
           "assume_positive": v.assume_positive}
    if v.reading:   # only when a side was interpreted, so golden files hold
        out["read_as"] = [{"line": side.line, "text": side.text, "read_as": unicode(side.expr),
                           "reading": list(side.notes)} for side in v.reading]
    if v.name:
        out = {"name": v.name, **out}
    return out


def diagnosis_words(s: StepVerdict) -> str | None:
    """What is wrong with a step, in words: a named mistake worded here from its key and values."""
    if s.wording is not None:
        return mistake_words(s.wording.key, dict(s.wording.values))
    return s.diagnosis_text


def _wording_json(s: StepVerdict) -> dict:
    """A named mistake's wording key and its values (SymPy str()), for a script that words it its own way."""
    if s.wording is None:
        return {"diagnosis_key": None, "diagnosis_values": None}
    return {"diagnosis_key": s.wording.key,
            "diagnosis_values": {k: str(v) if v is not None else None for k, v in s.wording.values}}


def step_contract(s: StepVerdict) -> dict:
    return {
        "index": s.index, "line": s.line,
        "lhs": str(s.lhs) if s.lhs is not None else s.lhs_text,
        "rhs": str(s.rhs) if s.rhs is not None else s.rhs_text,
        "lhs_latex": latex(s.lhs) if s.lhs is not None else s.lhs_text,
        "rhs_latex": latex(s.rhs) if s.rhs is not None else s.rhs_text,
        "valid": s.valid, "method": s.method,
        "counterexample": s.counterexample,
        "left_value": _json_number(s.left_value), "right_value": _json_number(s.right_value),
        "diagnosis": diagnosis_words(s), "mistake": s.mistake, **_wording_json(s), "domain": s.domain or None,
        "correct": str(s.correct) if s.correct is not None else None,
        "correct_latex": latex(s.correct) if s.correct is not None else None,
        "correct_rule": s.correct_rule, "reason": s.reason or None, "points": s.points,
    }


def _json_number(value):
    if value is None or isinstance(value, list):   # a matrix from the matrix checker is a list of rows
        return value
    c = complex(value)
    return c.real if abs(c.imag) < 1e-12 else str(sp.Float(c.real, 8) + sp.I * sp.Float(c.imag, 8))
