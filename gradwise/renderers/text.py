"""Plain Unicode text for the terminal, wrapped to 80 columns, equations aligned on their '='."""
from __future__ import annotations

import textwrap
from functools import singledispatch

from gradwise.printing import unicode
from gradwise.renderers.document import (AsWritten, DisplayMath, Document, Figure, Math, Notation, Paragraph, Section,
                                         Step, Table)

WIDTH = 80
INDENT = 3


def render(document: Document, width: int = WIDTH, **_) -> str:
    """The document as terminal text."""
    out: list[str] = []
    title = inline(document.title) if not isinstance(document.title, str) else document.title
    out += [title, "─" * min(len(title), width), ""]
    for block in document.blocks:
        out += _block(block, 0, width)
    return "\n".join(out).rstrip() + "\n"


def inline(part) -> str:
    """One inline piece (text, math or notation) as text."""
    if isinstance(part, str):
        return part
    if isinstance(part, Notation):
        return part.text
    if isinstance(part, Math):
        return " ".join(p if isinstance(p, str) else _expr(p) for p in part.parts)
    raise TypeError(f"cannot print {type(part).__name__} inline")


def _expr(e) -> str:
    return unicode(e.expr, literal=True) if isinstance(e, AsWritten) else unicode(e)


def _paragraph(p: Paragraph, indent: int, width: int) -> list[str]:
    text = "".join(inline(x) for x in p.parts)
    pad = " " * indent
    return textwrap.wrap(text, width=width, initial_indent=pad, subsequent_indent=pad,
                         break_long_words=False, break_on_hyphens=False) or [pad]


def equation(m: Math, indent: int, width: int) -> list[str]:
    """A chain a = b = c with each later relation under the first, breaking long lines at relations."""
    pad = " " * indent
    exprs = [p if isinstance(p, str) else _expr(p) for p in m.parts[::2]]
    rels = list(m.parts[1::2])
    first = f"{pad}{exprs[0]} {rels[0]} {exprs[1]}" if rels else pad + exprs[0]
    lines = [first]
    align = " " * (indent + len(exprs[0]) + 1)
    if len(first) > width and rels:
        lines = [pad + exprs[0], f"{pad}    {rels[0]} {exprs[1]}"]
        align = pad + "    "
    for rel, e in zip(rels[1:], exprs[2:]):
        line = f"{align}{rel} {e}"
        if len(line) > width and len(align) > indent + 4:
            align = pad + "    "
            line = f"{align}{rel} {e}"
        lines.append(line)
    return [_fold(line, width, " " * (indent + 6)) for line in lines]


def _fold(line: str, width: int, pad: str) -> str:
    """Break an over-long equation line at spaces; continuation lines are indented."""
    if len(line) <= width:
        return line
    parts = textwrap.wrap(line.strip(), width=width - len(pad), break_long_words=True,
                          break_on_hyphens=False)
    lead = line[:len(line) - len(line.lstrip())]
    return "\n".join([lead + parts[0]] + [pad + p for p in parts[1:]])


def _step(s: Step, indent: int, width: int) -> list[str]:
    pad = " " * indent
    head = f"{pad}{s.number}{'.' if '.' not in s.number else ''} {s.title}"
    if s.statement is not None:
        statement = inline(s.statement)
        head = f"{head}: {statement}" if len(head) + len(statement) + 2 <= width else head
        out = [head] if head.endswith(statement) else \
            [head, _fold(f"{pad}{' ' * INDENT}{statement}", width, " " * (indent + INDENT + 4))]
    else:
        out = [head]
    inner = indent + INDENT
    if s.where:
        out += _paragraph(Paragraph.of("with " + ", ".join(inline(w) for w in s.where)), inner, width)
    if s.explanation is not None:
        out += _paragraph(s.explanation, inner, width)
    for line in s.lines:
        out += equation(line, inner + 2, width)
    for child in s.children:
        out += _step(child, inner, width)
    if s.conclusion is not None:
        out += [f"{' ' * inner}So:"] + equation(s.conclusion, inner + 2, width)
    if s.check:
        out.append(f"{' ' * inner}✓ {s.check}")
    return out


def _table(t: Table, indent: int, width: int) -> list[str]:
    rows = [[inline(c) for c in t.header]] + [[inline(c) for c in r] for r in t.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(t.header))]
    pad = " " * indent
    lines = [pad + "  ".join(c.ljust(w) for c, w in zip(rows[0], widths)).rstrip(),
             pad + "  ".join("─" * w for w in widths)]
    lines += [pad + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows[1:]]
    if t.caption:
        lines = [pad + t.caption] + lines
    return lines


@singledispatch
def _block(block, indent: int, width: int) -> list[str]:
    """A block's lines, by the writer registered for its type (an `Answer` is written as its paragraph)."""
    raise TypeError(f"cannot render {type(block).__name__}")


@_block.register(Paragraph)
def _write_paragraph(block: Paragraph, indent: int, width: int) -> list[str]:
    return _paragraph(block, indent, width) + [""]


@_block.register(DisplayMath)
def _write_display_math(block: DisplayMath, indent: int, width: int) -> list[str]:
    m = block.math
    lines = equation(m, indent + 2, width) if isinstance(m, Math) else [" " * (indent + 2) + m.text]
    return lines + [""]


@_block.register(Step)
def _write_step(block: Step, indent: int, width: int) -> list[str]:
    return _step(block, indent, width) + [""]


@_block.register(Table)
def _write_table(block: Table, indent: int, width: int) -> list[str]:
    return _table(block, indent, width) + [""]


@_block.register(Figure)
def _write_figure(block: Figure, indent: int, width: int) -> list[str]:
    where = f" ({block.png_path})" if block.png_path else ""
    return [f"{' ' * indent}[figure: {block.caption}{where}]", ""]


@_block.register(Section)
def _write_section(block: Section, indent: int, width: int) -> list[str]:
    out = [" " * indent + block.title, " " * indent + "═" * min(len(block.title), width - indent), ""]
    for b in block.blocks:
        out += _block(b, indent, width)
    return out
