"""HTML: one self-contained file that reads offline, with foldable sub-steps.

Math is MathML (renderers/mathml.py, from each formula's LaTeX), typeset by the browser as text that
can be selected and copied, with no fonts, scripts or network; each formula carries its Unicode text
as `alttext`. Sub-steps sit in `<details>`: open unless the step says
`collapsed`. `fragment=True` gives a `<div>` for Jupyter instead of a whole page.
"""
from __future__ import annotations

import base64
import html
import os
import re
from functools import singledispatchmethod

from gradwise.renderers import latex as latex_renderer
from gradwise.renderers import mathml
from gradwise.renderers import text as text_renderer
from gradwise.renderers import typst as typst_renderer
from gradwise.renderers.document import (Answer, DisplayMath, Document, Figure, Math, Notation, Paragraph, Section,
                                         Step, Table)

STYLE = """
.gradwise { font-family: "Latin Modern Roman", "Computer Modern Serif", Georgia, "Times New Roman", serif;
  font-size: 17px; line-height: 1.5; color: #1b1b1b; max-width: 46em; margin: 0 auto; padding: 1.5em 1.2em 3em; }
.gradwise h1 { color: #1d4f91; font-size: 1.75em; margin: 0.2em 0 0.3em; padding-bottom: 0.3em;
  border-bottom: 2px solid #1d4f91; font-weight: 700; }
.gradwise h2 { color: #1d4f91; font-size: 1.3em; margin: 1.4em 0 0.5em; }
.gradwise h3, .gradwise h4 { color: #1d4f91; font-size: 1.08em; margin: 1.1em 0 0.4em; }
.gradwise .subtitle { color: #5f5f5f; margin: 0 0 1em; }
.gradwise p { margin: 0.5em 0; }
.gradwise .display { text-align: center; margin: 0.55em 0; overflow-x: auto; overflow-y: hidden; }
.gradwise math { font-size: 1.05em; }
.gradwise math[display="block"] { margin: 0.2em 0; }
.gradwise .math-text { font-style: italic; }
.gradwise .step { margin: 0.9em 0 0.6em; }
.gradwise .step-head { font-weight: 700; }
.gradwise .num { display: inline-block; background: #1d4f91; color: #fff; border-radius: 4px;
  padding: 0 0.45em; font-size: 0.8em; margin-right: 0.45em; font-family: system-ui, sans-serif; }
.gradwise .substeps .num { background: #e6eef8; color: #1d4f91; }
.gradwise .statement { color: #5f5f5f; font-weight: 400; margin-left: 0.8em; }
.gradwise .note { font-size: 0.92em; margin: 0.25em 0; }
.gradwise .check { color: #2e7d32; font-style: italic; font-size: 0.85em; margin: 0.2em 0; }
.gradwise details.substeps { margin: 0.4em 0 0.4em 0.2em; padding-left: 0.9em; border-left: 1px solid #cdd4dc; }
.gradwise details.substeps > summary { cursor: pointer; color: #1d4f91; font-size: 0.88em;
  font-family: system-ui, sans-serif; margin-left: -0.9em; padding-left: 0.2em; }
.gradwise .answer { background: #eef3fa; border-left: 4px solid #1d4f91; padding: 0.6em 0.9em;
  margin: 1.2em 0; border-radius: 0 4px 4px 0; }
.gradwise table { border-collapse: collapse; margin: 0.8em auto; }
.gradwise th, .gradwise td { padding: 0.25em 0.8em; text-align: left; }
.gradwise thead tr { border-top: 1.5px solid #333; border-bottom: 1px solid #333; }
.gradwise tbody tr:last-child { border-bottom: 1.5px solid #333; }
.gradwise caption { font-style: italic; font-size: 0.9em; caption-side: top; padding-bottom: 0.3em; }
.gradwise figure { text-align: center; margin: 1em 0; }
.gradwise figure svg, .gradwise figure img { max-width: 80%; height: auto; }
.gradwise figcaption { font-size: 0.9em; color: #444; }
.gradwise nav.contents ol { columns: 2; font-size: 0.95em; }
.gradwise footer { margin-top: 3em; font-size: 0.8em; color: #777; }
"""

class _HtmlWriter:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.figures = 0

    def anchor(self, title: str) -> str:
        """A section's id, unique in the page (a second "sgd" becomes s-sgd-2)."""
        base = _anchor(title)
        n = self.ids[base] = self.ids.get(base, 0) + 1
        return base if n == 1 else f"{base}-{n}"

    # inline pieces -------------------------------------------------------------------------------
    def formula(self, m: Math | Notation, display: bool = False) -> str:
        text = m.text if isinstance(m, Notation) else text_renderer.inline(m)
        if isinstance(m, Math) and display:
            return mathml.chain([latex_renderer.expr_latex(e) for e in m.parts[::2]],
                                [latex_renderer._relation(r) for r in m.parts[1::2]], text)
        return mathml.formula(latex_renderer.math(m), text, display)

    def inline(self, part) -> str:
        return html.escape(part) if isinstance(part, str) else self.formula(part)

    def paragraph(self, p: Paragraph) -> str:
        return "".join(self.inline(x) for x in p.parts)

    def display(self, m) -> str:
        return f'<div class="display">{self.formula(m, display=True)}</div>'

    # blocks -------------------------------------------------------------------------------------
    def step(self, s: Step, depth: int) -> list[str]:
        head = f'<span class="num">{html.escape(s.number)}</span>{html.escape(s.title)}'
        if s.statement is not None:
            head += f'<span class="statement">{self.formula(s.statement)}</span>'
        out = [f'<div class="step" data-rule="{html.escape(s.rule)}">', f'<div class="step-head">{head}</div>']
        if s.where:
            out.append('<div class="note">with ' + ", ".join(self.formula(w) for w in s.where) + "</div>")
        if s.explanation is not None:
            out.append(f'<div class="note">{self.paragraph(s.explanation)}</div>')
        out += [self.display(line) for line in s.lines]
        if s.children:
            n = len(s.children)
            out.append(f'<details class="substeps"{"" if s.collapsed else " open"}>'
                       f"<summary>{n} sub-step{'s' if n != 1 else ''}</summary>")
            for child in s.children:
                out += self.step(child, depth + 1)
            out.append("</details>")
        if s.conclusion is not None:
            out += ['<div class="note">So</div>', self.display(s.conclusion)]
        if s.check:
            out.append(f'<div class="check">✓ {html.escape(s.check)}</div>')
        out.append("</div>")
        return out

    def table(self, t: Table) -> list[str]:
        out = ["<table>"]
        if t.caption:
            out.append(f"<caption>{html.escape(t.caption)}</caption>")
        out.append("<thead><tr>" + "".join(f"<th>{self.inline(c)}</th>" for c in t.header) + "</tr></thead><tbody>")
        out += ["<tr>" + "".join(f"<td>{self.inline(c)}</td>" for c in row) + "</tr>" for row in t.rows]
        return out + ["</tbody></table>"]

    def figure(self, f: Figure) -> list[str]:
        if f.svg:
            picture = re.sub(r"<\?xml[^>]*>\s*|<!DOCTYPE[^>]*>\s*", "", f.svg)
            self.figures += 1     # every figure's ids prefixed, so two figures' glyphs never share an id
            prefix = f"f{self.figures}-"
            picture = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', picture)
            picture = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}{m.group(1)}"', picture)
            picture = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", picture)
        elif f.png_path and os.path.exists(f.png_path):
            with open(f.png_path, "rb") as fh:
                data = base64.b64encode(fh.read()).decode("ascii")
            picture = f'<img alt="{html.escape(f.caption)}" src="data:image/png;base64,{data}">'
        else:
            picture = ""
        return [f"<figure>{picture}<figcaption>{html.escape(f.caption)}</figcaption></figure>"]

    @singledispatchmethod
    def block(self, block, depth: int) -> list[str]:
        """A block's lines, by the writer registered for its type."""
        raise TypeError(f"cannot render {type(block).__name__}")

    @block.register(Paragraph)
    def _write_paragraph(self, block: Paragraph, depth: int) -> list[str]:
        return [f"<p>{self.paragraph(block)}</p>"]

    @block.register(Answer)
    def _write_answer(self, block: Answer, depth: int) -> list[str]:
        return [f'<div class="answer"><strong>Answer</strong>&ensp;{self.paragraph(block.body)}</div>']

    @block.register(DisplayMath)
    def _write_display_math(self, block: DisplayMath, depth: int) -> list[str]:
        return [self.display(block.math)]

    @block.register(Step)
    def _write_step(self, block: Step, depth: int) -> list[str]:
        return self.step(block, 0)

    @block.register(Table)
    def _write_table(self, block: Table, depth: int) -> list[str]:
        return self.table(block)

    @block.register(Figure)
    def _write_figure(self, block: Figure, depth: int) -> list[str]:
        return self.figure(block)

    @block.register(Section)
    def _write_section(self, block: Section, depth: int) -> list[str]:
        level = min(depth + 2, 6)
        out = [f'<section id="{self.anchor(block.title)}"><h{level}>{html.escape(block.title)}</h{level}>']
        for b in block.blocks:
            out += self.block(b, depth + 1)
        return out + ["</section>"]


def _anchor(title: str) -> str:
    return "s-" + (re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section")


def render(document: Document, fragment: bool = False, contents: bool | None = None, subtitle: str = "",
           **_) -> str:
    """The document as one HTML file (or, with `fragment=True`, a <div> for Jupyter)."""
    w = _HtmlWriter()
    title = document.title
    title_html = html.escape(title) if isinstance(title, str) else w.formula(title)
    body = [f"<h1>{title_html}</h1>"]
    if subtitle:
        body.append(f'<p class="subtitle">{html.escape(subtitle)}</p>')
    blocks = list(document.blocks)
    sections = [b for b in blocks if isinstance(b, Section)]
    show_contents = contents if contents is not None else len(sections) >= 3
    if show_contents:
        while blocks and not isinstance(blocks[0], Section):  # the opening words, then the contents
            body += w.block(blocks.pop(0), 0)
        links_at = len(body)
    for block in blocks:
        body += w.block(block, 0)
    if show_contents:   # the ids the sections were given, in order (the first of each title)
        ids = re.findall(r'<section id="([^"]+)"><h2>', "\n".join(body[links_at:]))
        body.insert(links_at, '<nav class="contents"><h2>Contents</h2><ol>' + "".join(
            f'<li><a href="#{i}">{html.escape(s.title)}</a></li>' for i, s in zip(ids, sections)) + "</ol></nav>")
    text = "\n".join(body)
    if fragment:
        return f'<div class="gradwise"><style>{STYLE}</style>\n{text}\n</div>\n'
    page_title = html.escape(typst_renderer.title_text(document))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{page_title}</title>\n<style>{STYLE}body {{ margin: 0; background: #fff; }}</style>\n"
            f"</head>\n<body>\n<main class=\"gradwise\">\n{text}\n"
            "<footer>Made by gradwise.</footer>\n"
            "</main>\n</body>\n</html>\n")
