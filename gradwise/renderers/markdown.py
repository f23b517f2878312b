"""Markdown with `$...$` and `$$...$$` math, as GitHub and Jupyter render it."""
from __future__ import annotations

import re
from functools import singledispatch

from gradwise.renderers.document import DisplayMath, Document, Figure, Notation, Paragraph, Section, Step, Table
from gradwise.renderers.latex import aligned, math

_MD_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def escape(text: str) -> str:
    """Plain text that Markdown shows as written."""
    return text.translate(_MD_SPECIALS)


_TEXT_GROUP = re.compile(r"\\(text|texttt|mathrm|textrm|operatorname)\{([^{}]*)\}")


def safe_math(latex: str) -> str:
    """LaTeX math without a raw `<`, `>` or `&`-entity that a Markdown viewer would take for HTML:
    `\\lt`/`\\gt` in math, and a text group split around them (the input `<img ...>` stays text)."""
    def split(m: re.Match) -> str:
        name, body = m.group(1), m.group(2)
        for ch, macro in (("<", r"\lt "), (">", r"\gt ")):
            body = body.replace(ch, "}" + macro + "\\" + name + "{")
        return f"\\{name}{{{body}}}"

    latex = _TEXT_GROUP.sub(split, latex)
    return latex.replace("<", r"\lt ").replace(">", r"\gt ")


def inline(part) -> str:
    if isinstance(part, str):
        return escape(part)
    return f"${safe_math(math(part))}$"


def paragraph(p: Paragraph) -> str:
    return "".join(inline(x) for x in p.parts)


def display(m) -> str:
    if isinstance(m, Notation):
        return f"$$\n{safe_math(m.latex)}\n$$"
    rows = aligned(m)
    if len(rows) == 1:
        return f"$$\n{safe_math(math(m))}\n$$"  # not rows[0] without '&': a matrix's own & separate its columns
    return "$$\n\\begin{aligned}\n" + " \\\\\n".join(safe_math(r) for r in rows) + "\n\\end{aligned}\n$$"


def _step(s: Step, depth: int) -> list[str]:
    head = f"{'#' * min(3 + depth, 6)} {escape(s.number)} {escape(s.title)}"
    out = [head, ""]
    if s.statement is not None:
        out += [f"Rule: ${safe_math(math(s.statement))}$", ""]
    if s.where:
        out += ["with " + ", ".join(f"${safe_math(math(w))}$" for w in s.where), ""]
    if s.explanation is not None:
        out += [paragraph(s.explanation), ""]
    for line in s.lines:
        out += [display(line), ""]
    for child in s.children:
        out += _step(child, depth + 1)
    if s.conclusion is not None:
        out += ["So", "", display(s.conclusion), ""]
    if s.check:
        out += [f"*✓ {escape(s.check)}*", ""]
    return out


@singledispatch
def _block(block, depth: int = 0) -> list[str]:
    """A block's lines, by the writer registered for its type (an `Answer` is written as its paragraph)."""
    raise TypeError(f"cannot render {type(block).__name__}")


@_block.register(Paragraph)
def _write_paragraph(block: Paragraph, depth: int = 0) -> list[str]:
    return [paragraph(block), ""]


@_block.register(DisplayMath)
def _write_display_math(block: DisplayMath, depth: int = 0) -> list[str]:
    return [display(block.math), ""]


@_block.register(Step)
def _write_step(block: Step, depth: int = 0) -> list[str]:
    return _step(block, depth)


@_block.register(Table)
def _write_table(block: Table, depth: int = 0) -> list[str]:
    out = ["| " + " | ".join(inline(c) for c in block.header) + " |",
           "|" + "---|" * len(block.header)]
    out += ["| " + " | ".join(inline(c) for c in row) + " |" for row in block.rows]
    return ([f"*{escape(block.caption)}*", ""] if block.caption else []) + out + [""]


@_block.register(Figure)
def _write_figure(block: Figure, depth: int = 0) -> list[str]:
    return [f"![{escape(block.caption)}]({block.png_path})" if block.png_path else f"*{escape(block.caption)}*", ""]


@_block.register(Section)
def _write_section(block: Section, depth: int = 0) -> list[str]:
    out = [f"{'#' * min(2 + depth, 6)} {escape(block.title)}", ""]
    for b in block.blocks:
        out += _block(b, depth + 1)
    return out


def render(document: Document, contents: bool | None = None, subtitle: str = "", **_) -> str:
    """The document as Markdown. A document of sections (a guide, a problem set) gets a level-1 title
    and, with 3+ sections (or `contents=True`), a linked table of contents."""
    title = escape(document.title) if isinstance(document.title, str) else f"${safe_math(math(document.title))}$"
    sections = [b for b in document.blocks if isinstance(b, Section)]
    if not sections:
        lines = [f"## {title}", ""]
        for block in document.blocks:
            lines += _block(block)
        return "\n".join(lines).rstrip() + "\n"
    lines = [f"# {title}", ""]
    if subtitle:
        lines += [f"*{escape(subtitle)}*", ""]
    blocks = list(document.blocks)
    while blocks and not isinstance(blocks[0], Section):  # the opening words, then the contents
        lines += _block(blocks.pop(0))
    if contents if contents is not None else len(sections) >= 3:
        lines += ["**Contents**", ""]
        lines += [f"{i}. [{escape(s.title)}](#{_anchor(s.title)})" for i, s in enumerate(sections, start=1)]
        lines.append("")
    for block in blocks:
        lines += _block(block)
    return "\n".join(lines).rstrip() + "\n"


def _anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    kept = "".join(ch for ch in title.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")
