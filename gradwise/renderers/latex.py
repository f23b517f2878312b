"""LaTeX: a worked solution as an `align*` block per step (a fragment), or a compilable document.

Every piece of user or explanatory text is escaped (`escape_text`); nothing here enables shell-escape
or reads files. Unicode math characters in explanations become LaTeX commands, so pdflatex compiles
the output without extra packages.
"""
from __future__ import annotations

import re
from functools import singledispatch

from gradwise.printing import latex as math_latex
from gradwise.renderers.document import (Answer, AsWritten, DisplayMath, Document, Figure, Math, Notation, Paragraph,
                                         Section, Step, Table)

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
             "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%", "~": r"\textasciitilde{}"}
_UNICODE_MATH = {
    "σ": r"\sigma", "δ": r"\delta", "π": r"\pi", "λ": r"\lambda", "α": r"\alpha", "β": r"\beta",
    "γ": r"\gamma", "η": r"\eta", "θ": r"\theta", "μ": r"\mu", "ε": r"\varepsilon", "Σ": r"\Sigma",
    "∂": r"\partial", "·": r"\cdot", "−": "-", "′": "'", "≤": r"\le", "≥": r"\ge", "≠": r"\ne",
    "≈": r"\approx", "⇒": r"\Rightarrow", "→": r"\to", "√": r"\surd", "∞": r"\infty", "∑": r"\sum",
    "⊙": r"\odot", "✓": r"\checkmark", "✗": r"\times", "×": r"\times", "∈": r"\in", "…": r"\dots", "ᵀ": r"^{\mathsf T}",
    "²": "^{2}", "³": "^{3}", "ⁿ": "^{n}", "ˣ": "^{x}", "⁻": "^{-}", "¹": "^{1}",
    "ₖ": "_{k}", "ⱼ": "_{j}", "ᵢ": "_{i}", "ₙ": "_{n}", "₁": "_{1}", "₂": "_{2}",
}


_TYPOGRAPHY = {"“": "``", "”": "''", "‘": "`", "’": "'", "–": "--", "—": "---", "\u00a0": "~", "é": "\\'e",
               "è": "\\`e", "à": "\\`a", "ü": '\\"u', "ö": '\\"o', "ä": '\\"a', "ç": "\\c{c}", "ñ": "\\~n"}


_SUPERSCRIPTS, _SUBSCRIPTS = "⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "₋₀₁₂₃₄₅₆₇₈₉"
_SCRIPT_DIGITS = str.maketrans(_SUPERSCRIPTS + _SUBSCRIPTS, "-0123456789" * 2)
_SCRIPT_RUNS = re.compile(f"([{_SUPERSCRIPTS}]+|[{_SUBSCRIPTS}]+)|(.)", re.S)


def escape_text(text: str) -> str:
    """Text safe to place in a LaTeX document: specials escaped, Unicode math as math commands."""
    out = []
    for run, ch in _SCRIPT_RUNS.findall(text):
        if run:  # 10⁻¹⁰ as 10^{-10}, one script, not a script per character
            script = "^" if run[0] in _SUPERSCRIPTS else "_"
            out.append(rf"\ensuremath{{{script}{{{run.translate(_SCRIPT_DIGITS)}}}}}")
            continue
        if ch in _SPECIALS:
            out.append(_SPECIALS[ch])
        elif ch in _TYPOGRAPHY:
            out.append(_TYPOGRAPHY[ch])
        elif ch in _UNICODE_MATH:
            out.append(rf"\ensuremath{{{_UNICODE_MATH[ch]}}}")
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def expr_latex(e) -> str:
    if isinstance(e, AsWritten):
        return math_latex(e.expr, literal=True)
    return math_latex(e)


def math(m) -> str:
    """Inline math (without $) for a Math or Notation."""
    if isinstance(m, Notation):
        return m.latex
    return " ".join(_relation(p) if isinstance(p, str) else expr_latex(p) for p in m.parts)


def _relation(r: str) -> str:
    return {"≈": r"\approx", "→": r"\to", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "⇒": r"\Rightarrow"}.get(r, r)


def inline(part) -> str:
    if isinstance(part, str):
        return escape_text(part)
    return f"${math(part)}$"


def paragraph(p: Paragraph) -> str:
    return "".join(inline(x) for x in p.parts)


def aligned(m: Math) -> list[str]:
    """A chain a = b = c as align* rows: `a &= b`, `&= c`."""
    exprs = [expr_latex(e) for e in m.parts[::2]]
    rels = [_relation(r) for r in m.parts[1::2]]
    if not rels:
        return [exprs[0]]
    rows = [f"{exprs[0]} &{rels[0]} {exprs[1]}"]
    rows += [f"&{r} {e}" for r, e in zip(rels[1:], exprs[2:])]
    return rows


def _step(s: Step, depth: int, styled: bool = False) -> list[str]:
    if styled:  # the standalone document's look: a coloured step badge, the rule in grey
        head = rf"\gwstep{{{escape_text(s.number)}}}{{{escape_text(s.title)}}}{{{depth}}}"
        if s.statement is not None:
            head += rf"\quad{{\color{{gwmuted}}${math(s.statement)}$}}"
    else:
        head = rf"\textbf{{{escape_text(s.number)}\quad {escape_text(s.title)}}}"
        if s.statement is not None:
            head += rf"\quad ${math(s.statement)}$"
    indent = ("\\hspace*{%.1fem}" % (1.5 * depth) if depth else "") if styled else ""
    out = [(r"\par\medskip\noindent" + indent if styled else "\n\\medskip\\noindent ") + head]
    notes = []
    if s.where:
        notes.append("with " + ", ".join(f"${math(w)}$" for w in s.where))
    if s.explanation is not None:
        notes.append(paragraph(s.explanation))
    if notes and styled:
        out.append(r"\par\noindent" + indent +
                   r"\begin{minipage}[t]{\dimexpr\linewidth-%.1fem\relax}\small %s\end{minipage}"
                   % (1.5 * depth, r"\\ ".join(notes)))
    elif notes:     # a fragment: plain paragraphs, nothing that fixes the layout of the document it joins
        out += ["", "\n\n".join(notes), ""]
    if s.lines:
        out.append(_align([row for line in s.lines for row in aligned(line)]))
    for child in s.children:
        out += _step(child, depth + 1, styled)
    if s.conclusion is not None:
        out.append((r"\par\noindent" + indent if styled else "\n\\noindent") + " So")
        out.append(_align(aligned(s.conclusion)))
    if s.check:
        out.append((r"\par\noindent" + indent if styled else "\n\\noindent") +
                   rf"{{\small\itshape{_CHECK_COLOUR if styled else ''} $\checkmark$ {escape_text(s.check)}}}")
    return out


_CHECK_COLOUR = r"\color{gwcheck}"


def _align(rows: list[str]) -> str:
    return "\\begin{align*}\n  " + " \\\\\n  ".join(rows) + "\n\\end{align*}"


def _table(t: Table) -> list[str]:
    cols = "l" * len(t.header)
    out = [r"\begin{center}", rf"\begin{{tabular}}{{{cols}}}", r"\hline",
           " & ".join(inline(c) for c in t.header) + r" \\", r"\hline"]
    out += [" & ".join(inline(c) for c in row) + r" \\" for row in t.rows]
    out += [r"\hline", r"\end{tabular}", r"\end{center}"]
    if t.caption:
        out.insert(0, rf"\noindent\textit{{{escape_text(t.caption)}}}")
    return out


_HEADINGS = ("section", "subsection", "subsubsection", "paragraph")


@singledispatch
def _block(block, depth: int = 0, level: int = 0, section_pages: bool = False, styled: bool = False) -> list[str]:
    """A block's lines, by the writer registered for its type."""
    raise TypeError(f"cannot render {type(block).__name__}")


@_block.register(Paragraph)
def _write_paragraph(block: Paragraph, depth: int = 0, level: int = 0, section_pages: bool = False,
                     styled: bool = False) -> list[str]:
    return [(r"\par\noindent " if styled else "\n") + paragraph(block), ""]


@_block.register(Answer)
def _write_answer(block: Answer, depth: int = 0, level: int = 0, section_pages: bool = False,
                  styled: bool = False) -> list[str]:
    if not styled:     # a bare fragment has no \gwanswer macro: the answer is its paragraph
        return _write_paragraph(block, depth, level, section_pages, styled)
    return [rf"\gwanswer{{{paragraph(block.body)}}}", ""]


@_block.register(DisplayMath)
def _write_display_math(block: DisplayMath, depth: int = 0, level: int = 0, section_pages: bool = False,
                        styled: bool = False) -> list[str]:
    if isinstance(block.math, Notation):
        return [rf"\[ {block.math.latex} \]"]
    return [_align(aligned(block.math))]


@_block.register(Step)
def _write_step(block: Step, depth: int = 0, level: int = 0, section_pages: bool = False,
                styled: bool = False) -> list[str]:
    return _step(block, depth, styled) + [""]


@_block.register(Table)
def _write_table(block: Table, depth: int = 0, level: int = 0, section_pages: bool = False,
                 styled: bool = False) -> list[str]:
    return _table(block) + [""]


@_block.register(Figure)
def _write_figure(block: Figure, depth: int = 0, level: int = 0, section_pages: bool = False,
                  styled: bool = False) -> list[str]:
    if block.png_path:
        return [r"\begin{center}", rf"\includegraphics[width=0.7\linewidth]{{{block.png_path}}}",
                rf"\\ \small {escape_text(block.caption)}", r"\end{center}"]
    return [rf"\par\noindent [{escape_text(block.caption)}]" if styled else f"\n[{escape_text(block.caption)}]"]


@_block.register(Section)
def _write_section(block: Section, depth: int = 0, level: int = 0, section_pages: bool = False,
                   styled: bool = False) -> list[str]:
    heading = _HEADINGS[min(level, len(_HEADINGS) - 1)]
    title = escape_text(block.title)
    out = [r"\clearpage"] if section_pages and level == 0 else []
    out.append(rf"\{heading}*{{{title}}}")
    if level == 0:
        out.append(rf"\addcontentsline{{toc}}{{section}}{{{title}}}")
    for b in block.blocks:
        out += _block(b, depth, level + 1, styled=styled)
    return out


def title_latex(document: Document) -> str:
    t = document.title
    return escape_text(t) if isinstance(t, str) else f"${math(t)}$"


def body(document: Document, contents: bool = False, section_pages: bool = False, styled: bool = False) -> str:
    """The document's blocks as LaTeX (needs amsmath and amssymb); `contents` adds a table of contents
    after the opening paragraphs, `section_pages` starts each top-level section on a new page."""
    # user text is escaped even in this comment; a math title is our own LaTeX
    title = escape_text(document.title) if isinstance(document.title, str) else math(document.title)
    title = re.sub(r"[\r\n]", " ", title)[:200]
    lines = [f"% gradwise: {title}"]
    blocks = list(document.blocks)
    if contents:
        while blocks and not isinstance(blocks[0], Section):
            lines += _block(blocks.pop(0), styled=styled)
        lines += [r"\tableofcontents"]
    for block in blocks:
        lines += _block(block, section_pages=section_pages, styled=styled)
    return "\n".join(lines).rstrip() + "\n"


PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb,mathtools}
\usepackage[margin=2.2cm]{geometry}
\usepackage{graphicx}
\usepackage{xcolor}
\setlength{\parindent}{0pt}
\definecolor{gwaccent}{HTML}{1D4F91}
\definecolor{gwsoft}{HTML}{EEF3FA}
\definecolor{gwmuted}{gray}{0.4}
\definecolor{gwcheck}{HTML}{2E7D32}
% a step: its number on a coloured badge (filled at the top level), then its rule's name
\newcommand{\gwstep}[3]{\ifnum#3=0\colorbox{gwaccent}{\textcolor{white}{\small\bfseries #1}}%
  \else\colorbox{gwsoft}{\textcolor{gwaccent}{\small\bfseries #1}}\fi\enspace\textbf{#2}}
% the answer, in a tinted box across the page
\newcommand{\gwanswer}[1]{\par\bigskip\noindent\colorbox{gwsoft}{\parbox{\dimexpr\linewidth-2\fboxsep\relax}{%
  \strut\textcolor{gwaccent}{\textbf{Answer}}\quad #1\strut}}\par\medskip}
"""


def render(document: Document, standalone: bool = False, contents: bool | None = None,
           section_pages: bool = False, subtitle: str = "", **_) -> str:
    """A LaTeX fragment (amsmath), or with `standalone=True` a complete document for pdflatex."""
    if contents is None:
        contents = sum(isinstance(b, Section) for b in document.blocks) >= 3
    if not standalone:   # amsmath alone: amssymb's \checkmark becomes the plain-TeX \surd
        return body(document).replace(r"\checkmark", r"\surd")
    sub = rf"{{\small {escape_text(subtitle)}}}\par\smallskip" + "\n" if subtitle else ""
    return (PREAMBLE + "\\begin{document}\n"
            + rf"{{\LARGE\bfseries\color{{gwaccent}} {title_latex(document)}}}\par\medskip" + "\n" + sub
            + r"\noindent{\color{gwaccent}\rule{\linewidth}{0.8pt}}\par\bigskip" + "\n"
            + body(document, contents, section_pages, styled=True) + "\\end{document}\n")
