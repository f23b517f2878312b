"""The document model every renderer reads: words and math, with no knowledge of how they were derived.

The explainer builds a `Document` from a result; renderers turn it into text, LaTeX, Markdown, JSON,
HTML or PDF. Math is held as SymPy objects (so each renderer prints it in its own notation) or as
`Notation`, a fixed formula written once per notation (rule statements such as (uv)' = u'v + uv').
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class Math:
    """SymPy objects joined by relations: parts alternate expression, relation, expression, ..."""

    parts: tuple

    @staticmethod
    def chain(*exprs, relation: str = "=") -> "Math":
        parts: list = []
        for e in exprs:
            if parts:
                parts.append(relation)
            parts.append(e)
        return Math(tuple(parts))

    @property
    def expressions(self) -> tuple:
        return self.parts[::2]

    @property
    def relations(self) -> tuple:
        return self.parts[1::2]


@dataclass(frozen=True)
class AsWritten:
    """An expression to print in the order it was built (a rule's unevaluated line), not SymPy's order."""

    expr: Any


@dataclass(frozen=True)
class Notation:
    """A formula written by hand in each notation (Typst may be empty: renderers fall back on text)."""

    latex: str
    text: str
    typst: str = ""


Inline = Union[str, Math, Notation]


@dataclass(frozen=True)
class Paragraph:
    """Running text with inline math."""

    parts: tuple[Inline, ...]

    @staticmethod
    def of(*parts: Inline) -> "Paragraph":
        """The paragraph of these parts, empty strings dropped."""
        return Paragraph(tuple(p for p in parts if p != ""))


ANSWER_LABEL = "Answer:"


@dataclass(frozen=True)
class Answer(Paragraph):
    """The worked solution's answer, "Answer: ..." in running text, which renderers set apart (a box)."""

    @staticmethod
    def of(*parts: Inline) -> "Answer":
        """The answer paragraph "Answer: <parts>"."""
        return Answer((ANSWER_LABEL + " ",) + tuple(p for p in parts if p != ""))

    @property
    def body(self) -> Paragraph:
        """The answer without its label (for a renderer that writes the label its own way)."""
        first = self.parts[0]
        rest = first[len(ANSWER_LABEL):].lstrip() if isinstance(first, str) else first
        return Paragraph((rest,) + tuple(self.parts[1:]))


@dataclass(frozen=True)
class DisplayMath:
    """A formula on its own line(s); a chain a = b = c breaks at its relations."""

    math: Math | Notation
    label: str = ""


@dataclass(frozen=True)
class Step:
    """A numbered step of a worked solution: rule, its statement, the lines it writes, its sub-steps."""

    number: str
    title: str                          # "Product rule"
    rule: str                           # the stable rule id
    statement: Notation | Math | None   # the rule in symbols, (uv)' = u'v + uv'
    where: tuple[Math, ...] = ()        # the substitutions: u = x², v = sin x
    explanation: Paragraph | None = None
    lines: tuple[Math, ...] = ()        # equations written before the sub-steps
    children: tuple["Step", ...] = ()
    conclusion: Math | None = None      # the equation that closes the step, after its sub-steps
    check: str = ""                     # how the step was checked, in words
    collapsed: bool = False             # renderers that can fold (HTML) start with the children folded


@dataclass(frozen=True)
class Table:
    """Rows of cells (text or math), with a header row."""

    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """A picture: SVG text for formats that embed vectors, and/or a PNG file path."""

    caption: str
    svg: str = ""
    png_path: str = ""
    width: float = 0.66     # of the text width, in formats that size pictures (PDF, LaTeX)


@dataclass(frozen=True)
class Section:
    """A titled group of blocks."""

    title: str
    blocks: tuple["Block", ...]


Block = Union[Paragraph, DisplayMath, Step, Table, Figure, Section]


@dataclass(frozen=True)
class Document:
    """A whole explanation. `data` is the machine-readable result (the JSON contract)."""

    title: str | Math
    blocks: tuple[Block, ...]
    data: dict[str, Any] = field(default_factory=dict)
    answer: Math | None = None

    # Jupyter shows a document through these (the renderers are imported only when asked)
    def _repr_html_(self) -> str:
        from gradwise.renderers import render
        return render(self, "html", fragment=True)

    def _repr_markdown_(self) -> str:
        from gradwise.renderers import render
        return render(self, "md")
