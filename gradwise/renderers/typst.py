"""Typst: a document as Typst source, on the template in `templates/gradwise.typ` (compiled by `pdf.py`).

All words go in as Typst string literals (`#"..."`), so user text can never be read as markup or code;
math goes in as `$...$` from the project's Typst printer. Hand-written rule statements (`Notation`) use
their `typst` field, else their LaTeX translated by `notation_typst`, else their text.
"""
from __future__ import annotations

import re
from functools import lru_cache, singledispatch
from importlib import resources

from gradwise.printing.typst import quote, typst
from gradwise.printing.typst_notation import NotationError, notation_typst
from gradwise.renderers import text as text_renderer
from gradwise.renderers.document import (Answer, AsWritten, DisplayMath, Document, Figure, Math, Notation, Paragraph,
                                         Section, Step, Table)

_RELATIONS = {"=": "=", "≈": "approx", "→": "->", "≤": "<=", "≥": ">=", "≠": "!=", "⇒": "=>", "<": "<",
              ">": ">", "<=": "<=", ">=": ">=", "!=": "!=", "->": "->", "=>": "=>", "~": "tilde.op",
              "∝": "prop", "≡": "equiv"}


@lru_cache(maxsize=1)
def template() -> str:
    """The Typst template every document starts with."""
    return resources.files("gradwise.renderers").joinpath("templates/gradwise.typ").read_text(encoding="utf-8")


def words(text: str) -> str:
    """Text placed in markup as a string literal: shown as written, never interpreted."""
    return "#" + quote(text) if text else ""


def relation(r: str) -> str:
    return _RELATIONS.get(r, quote(r))


def expr_typst(e) -> str:
    if isinstance(e, AsWritten):
        return typst(e.expr, literal=True)
    return typst(e)


def notation(n: Notation) -> str:
    """Typst math for a hand-written formula: its own Typst, its LaTeX translated, or its text."""
    if n.typst:
        return n.typst
    try:
        return notation_typst(n.latex)
    except NotationError:
        return quote(n.text)


def math(m: Math | Notation) -> str:
    """Math (without the $) for a Math or Notation, on one line."""
    if isinstance(m, Notation):
        return notation(m)
    return " ".join(relation(p) if isinstance(p, str) else expr_typst(p) for p in m.parts)


def inline(part, tall: bool = False) -> str:
    """Text or inline math; with `tall`, a matrix or fraction keeps its display size (an answer, a table
    cell), where inline style would shrink it to an unreadable size."""
    if isinstance(part, str):
        return words(part)
    body = math(part)
    if tall and ("mat(" in body or "frac(" in body):
        return f"$display({body})$"
    return f"${body}$"


def paragraph(p: Paragraph, tall: bool = False) -> str:
    return "".join(inline(x, tall) for x in p.parts)


def display(m: Math | Notation) -> str:
    """A display equation; a chain a = b = c puts each relation on its own line, aligned."""
    if isinstance(m, Notation):
        body = notation(m)
    else:
        exprs = [expr_typst(e) for e in m.parts[::2]]
        rels = [relation(r) for r in m.parts[1::2]]
        if not rels:
            body = exprs[0]
        else:
            rows = [f"{exprs[0]} &{rels[0]} {exprs[1]}"] + [f"&{r} {e}" for r, e in zip(rels[1:], exprs[2:])]
            body = " \\\n  ".join(rows)
    return f"#gw-fit[$ {body} $]"


_DERIVATIVE = re.compile(r"∂([A-Za-z]+)(\d*)/∂([A-Za-z]+)(\d*)")


def _name(letters: str, digits: str) -> str:
    return (letters if len(letters) == 1 else quote(letters)) + (f"_({digits})" if digits else "")


def step_title(title: str) -> str:
    """A step's title as Typst content: words, with a derivative in it (∂f/∂x) typeset."""
    parts, at = [], 0
    for m in _DERIVATIVE.finditer(title):
        parts += [words(title[at:m.start()]), f"$partial {_name(*m.group(1, 2))} \\/ partial {_name(*m.group(3, 4))}$"]
        at = m.end()
    if not parts:
        return quote(title)
    return "[" + "".join(parts + [words(title[at:])]) + "]"


def title_markup(title: str) -> str:
    """A heading or document title in markup, with a derivative in it typeset (∂L/∂W1[0,1] by ...)."""
    shown = step_title(title)
    return "#" + shown if shown.startswith("[") else words(title)


def _step(s: Step, depth: int) -> list[str]:
    statement = f"[${math(s.statement)}$]" if s.statement is not None else "none"
    out = [f"#gw-step(number: {quote(s.number)}, title: {step_title(s.title)}, statement: {statement}, "
           f"depth: {depth})["]
    if s.where:
        out.append("#gw-note[" + words("with ") + words(", ").join(f"${math(w)}$" for w in s.where) + "]")
    if s.explanation is not None:
        out.append(f"#gw-note[{paragraph(s.explanation)}]")
    out += [display(line) for line in s.lines]
    if s.children:
        out.append("#gw-children[")
        for child in s.children:
            out += _step(child, depth + 1)
        out.append("]")
    if s.conclusion is not None:
        out.append(f"#gw-note[{words('So')}]")
        out.append(display(s.conclusion))
    if s.check:
        out.append(f"#gw-check-line[{words(s.check)}]")
    out.append("]")
    return out


def _table(t: Table) -> list[str]:
    cells = [f"[{inline(c)}]" for c in t.header]
    body = [f"[{_cell(c)}]" for row in t.rows for c in row]
    out = ["#block(breakable: false, width: 100%)["]  # a table and its caption stay on one page
    if t.caption:
        out.append(f"#align(center, text(size: 9pt, style: \"italic\")[{words(t.caption)}])")
    out.append(f"#align(center, table(columns: {len(t.header)}, stroke: none, align: left + horizon, inset: (x: 8pt, y: 4pt), "
               "table.hline(stroke: 0.7pt), " + ", ".join(cells) + ", table.hline(stroke: 0.4pt), "
               + "".join(c + ", " for c in body) + "table.hline(stroke: 0.7pt)))")
    return out + ["]"]


def _cell(c) -> str:
    """A table cell: a matrix (an eigenvector) or a fraction (an update rule) at display size, left-aligned
    like the rest of the column; everything else inline."""
    text = inline(c)
    if "mat(" in text or "frac(" in text or ")/(" in text:
        return f"#block(above: 2pt, below: 2pt)[#set align(left)\n#gw-fit[$ {math(c)} $]]"
    return text


def _figure(f: Figure) -> list[str]:
    width = f"width: {round(f.width * 100)}%"
    if f.svg:
        return [f"#gw-figure(bytes({quote(f.svg)}), format: \"svg\", {width}, [{words(f.caption)}])"]
    if f.png_path:
        return [f"#gw-figure({quote(f.png_path)}, {width}, [{words(f.caption)}])"]
    return [f"#gw-note[{words('[figure: ' + f.caption + ']')}]"]


@singledispatch
def _block(block, depth: int, section_pages: bool) -> list[str]:
    """A block's lines, by the writer registered for its type."""
    raise TypeError(f"cannot render {type(block).__name__}")


@_block.register(Paragraph)
def _write_paragraph(block: Paragraph, depth: int, section_pages: bool) -> list[str]:
    return [paragraph(block), ""]


@_block.register(Answer)
def _write_answer(block: Answer, depth: int, section_pages: bool) -> list[str]:
    return [f"#gw-answer[*{words('Answer')}* #h(0.6em) {paragraph(block.body, tall=True)}]", ""]


@_block.register(DisplayMath)
def _write_display_math(block: DisplayMath, depth: int, section_pages: bool) -> list[str]:
    return [display(block.math), ""]


@_block.register(Step)
def _write_step(block: Step, depth: int, section_pages: bool) -> list[str]:
    return _step(block, 0) + [""]


@_block.register(Table)
def _write_table(block: Table, depth: int, section_pages: bool) -> list[str]:
    return _table(block) + [""]


@_block.register(Figure)
def _write_figure(block: Figure, depth: int, section_pages: bool) -> list[str]:
    return _figure(block) + [""]


@_block.register(Section)
def _write_section(block: Section, depth: int, section_pages: bool) -> list[str]:
    # floating figures are placed before the next topic starts, never above its heading
    out = ["#place.flush()", "#pagebreak(weak: true)"] if section_pages and depth == 0 else []
    out += ["=" * min(depth + 1, 6) + " " + title_markup(block.title), ""]
    return out + _blocks(block.blocks, depth + 1, section_pages)


def _blocks(blocks, depth: int, section_pages: bool) -> list[str]:
    """Blocks in order; a paragraph that ends with ':' stays on the same page as the display after it."""
    out: list[str] = []
    blocks = list(blocks)
    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (isinstance(b, Paragraph) and isinstance(nxt, DisplayMath) and b.parts
                and isinstance(b.parts[-1], str) and b.parts[-1].rstrip().endswith(":")):
            out += ["#block(breakable: false, width: 100%)["] + _block(b, depth, section_pages) + \
                _block(nxt, depth, section_pages) + ["]", ""]
            i += 2
            continue
        out += _block(b, depth, section_pages)
        i += 1
    return out


def title_text(document: Document) -> str:
    """The title as plain text (for the PDF's metadata and the page header)."""
    t = document.title
    return t if isinstance(t, str) else text_renderer.inline(t)


def render(document: Document, contents: bool | None = None, section_pages: bool = False,
           subtitle: str = "", **_) -> str:
    """The document as Typst source. `contents` adds a table of contents (default: 3+ sections);
    `section_pages` starts each top-level section on a new page."""
    sections = sum(isinstance(b, Section) for b in document.blocks)
    if contents is None:
        contents = sections >= 3
    title = document.title
    shown_title = title_markup(title) if isinstance(title, str) else f"${math(title)}$"
    out = [template(), f"#show: gw-setup.with(title: {quote(title_text(document)[:200])})", ""]
    sub = f", subtitle: [{words(subtitle)}]" if subtitle else ""
    out += [f"#gw-title([{shown_title}]{sub})", ""]
    blocks = list(document.blocks)
    if contents:  # the opening words first, then the contents, then the sections
        while blocks and not isinstance(blocks[0], Section):
            out += _block(blocks.pop(0), 0, section_pages)
        out += ["#outline(title: [Contents], depth: 1, indent: auto)", ""]
    out += _blocks(blocks, 0, section_pages)
    return "\n".join(out).rstrip() + "\n"
