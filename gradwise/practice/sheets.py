"""Worksheets: the problems, each with room to work (a page each in PDF), then the answer key with the
worked solutions, written through the document renderers (.pdf via Typst, .tex, .html, .md)."""
from __future__ import annotations

import os

from gradwise.errors import GradwiseError
from gradwise.practice.problems import Problem
from gradwise.renderers import render
from gradwise.renderers.document import Answer, Document, Math, Paragraph, Section

FORMATS = {".pdf": "pdf", ".tex": "latex", ".html": "html", ".htm": "html", ".md": "md"}


def sheet_document(problems: list[Problem], title: str = "Practice") -> Document:
    """The worksheet: one section a problem, then the answer key."""
    blocks: list = [Paragraph.of(f"{len(problems)} problems made by gradwise practice; every answer was derived and "
                                 "checked before it was set. The answer key with worked solutions is at the end.")]
    for i, p in enumerate(problems, start=1):
        body = [Paragraph.of(p.prompt)]
        if p.note:
            body.append(Paragraph.of(f"({p.note})"))
        body.append(Paragraph.of(f"Topic {p.topic}, level {p.level}, seed {p.seed}. Work:"))
        blocks.append(Section(f"Problem {i}", tuple(body)))
    key = []
    for i, p in enumerate(problems, start=1):
        answer = Answer.of(p.answer_text) if p.answer_kind == "matrix_expression" else Answer.of(Math((p.answer,)))
        key.append(Section(f"Problem {i}: {p.prompt}", (answer,) + tuple(p.worked)))
    blocks.append(Section("Answer key", tuple(key)))
    return Document(title, tuple(blocks), data={"kind": "practice_sheet", "problems": [p.key for p in problems]})


def write_sheet(path: str, problems: list[Problem], title: str | None = None) -> str:
    """Write the worksheet to `path`; the format follows the extension."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise GradwiseError(f"cannot tell the sheet's format from '{path}': use .pdf, .tex, .html or .md")
    fmt = FORMATS[ext]
    document = sheet_document(problems, title or _title(problems))
    options = {"section_pages": True} if fmt == "pdf" else ({"standalone": True} if fmt == "latex" else {})
    out = render(document, fmt, **options)
    from gradwise.renderers.output import write
    write(out, path)
    return path


def _title(problems: list[Problem]) -> str:
    topics = sorted({p.topic for p in problems})
    return "Practice: " + (topics[0].replace("_", " ") if len(topics) == 1 else "mixed drill")
