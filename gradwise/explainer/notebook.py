"""How results show themselves in Jupyter and in print(): explain, then render.

Jupyter's LaTeX display is math only (MathJax), so `latex` gives the whole worked solution as one
`aligned` display: each step's number and rule as `\\text{...}`, its lines aligned on `=`, the answer
last. HTML and Markdown give the full document; `summary` is the short plain-text repr.
"""
from __future__ import annotations

from gradwise import renderers
from gradwise.explainer import explain
from gradwise.renderers.document import DisplayMath, Math, Notation, Paragraph, Section, Step, Table
from gradwise.renderers.latex import aligned, math

SUMMARY_WIDTH = 160


def render(result, fmt: str, detail: str = "standard") -> str:
    """The result explained and rendered in `fmt` (text, latex, md, html): what Displayable calls."""
    document = explain(result, detail)
    if fmt == "latex":
        return worked_latex(document)
    if fmt == "html":  # a <div> for the notebook, not a whole page
        return renderers.render(document, fmt, fragment=True)
    return renderers.render(document, fmt)


def worked_latex(document) -> str:
    """The worked solution as one MathJax display: steps as text rows, their lines aligned on =."""
    rows: list[str] = []
    _rows(document.blocks, rows)
    if document.answer is not None:
        rows.append(r"\textbf{Answer:}\quad & " + math(document.answer))
    else:   # a check or an optimizer run: its opening sentence says how it came out
        first = next((b for b in document.blocks if isinstance(b, Paragraph)), None)
        if first is not None:
            rows.insert(0, "& " + _inline(first))
    if not rows:
        return ""
    return "$$\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}$$"


def _text(s: str) -> str:
    """Words inside \\text{}: only characters MathJax's text mode shows as written."""
    safe = "".join(ch if ch.isalnum() or ch in " .,:;()-+=/'?!" or ord(ch) > 127 else " " for ch in s)
    return r"\text{" + safe + "}"


def _rows(blocks, rows: list[str]) -> None:
    for b in blocks:
        if isinstance(b, Step):
            head = _text(f"{b.number}. {b.title}")
            if isinstance(b.statement, (Notation, Math)):
                head += r"\quad " + math(b.statement)
            rows.append("& " + head)
            for line in b.lines:
                rows += _aligned_rows(line)
            _rows(b.children, rows)
            if b.conclusion is not None:
                rows.append("& " + _text("So"))
                rows += _aligned_rows(b.conclusion)
        elif isinstance(b, DisplayMath):
            if isinstance(b.math, Notation):
                if "\\begin{" not in b.math.latex:
                    rows.append("& " + b.math.latex)
            else:
                rows += _aligned_rows(b.math)
        elif isinstance(b, Section):
            rows.append("& " + r"\textbf{" + _text(b.title)[len(r"\text{"):])
            _rows(b.blocks, rows)
        elif isinstance(b, Paragraph) and b.parts and isinstance(b.parts[0], str) \
                and (b.parts[0].startswith("Given") or b.parts[0].startswith("Find")) and len(b.parts) <= 6:
            rows.append("& " + _inline(b))
        elif isinstance(b, Table):
            rows.append("& " + r"\quad ".join(_cell(c) for c in b.header))
            rows += ["& " + r"\quad ".join(_cell(c) for c in row) for row in b.rows[:12]]


def _inline(p: Paragraph) -> str:
    return "".join(_text(x) if isinstance(x, str) else math(x) for x in p.parts)


def _cell(c) -> str:
    return _text(c) if isinstance(c, str) else math(c)


def _aligned_rows(m: Math) -> list[str]:
    return [r if "&" in r else "& " + r for r in aligned(m)]


def summary(result) -> str:
    """The plain-text repr: the answer in one line and how to see the steps (not a dump of the fields)."""
    from gradwise.renderers import text as text_renderer

    name = type(result).__name__
    try:
        document = explain(result, "brief")
    except Exception:  # a repr must never raise
        return f"<gradwise {name}: print() it for the worked solution>"
    if document.answer is not None:
        said = text_renderer.inline(document.answer)
    else:
        first = next((b for b in document.blocks if isinstance(b, Paragraph)), None)
        title = document.title if isinstance(document.title, str) else text_renderer.inline(document.title)
        said = "".join(text_renderer.inline(p) for p in first.parts) if first is not None else title
    said = " ".join(said.split())
    if len(said) > SUMMARY_WIDTH:
        said = said[:SUMMARY_WIDTH - 1] + "…"
    return f"<gradwise {name}: {said} — print() it, or display it in Jupyter, for the worked steps>"
