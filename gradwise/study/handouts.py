"""Handouts cut from a worked document: the problems alone (an exercise sheet) or the answers alone (the key).

A worked example is a `Section` titled "Example n..." or "Problem n...": its statement is what comes
before its first step (the givens, "Find ..."), its answer its `Answer` block.
"""
from __future__ import annotations

import re
from dataclasses import replace

from gradwise.renderers.document import Answer, DisplayMath, Document, Figure, Paragraph, Section, Step, Table

MODES = ("full", "problems", "answers")
_WORKED = re.compile(r"^(Example|Problem) \d+")


def handout(document: Document, mode: str) -> Document:
    """The document itself ("full"), its problems without solutions, or its answers alone."""
    if mode == "full":
        return document
    if mode not in MODES:
        raise ValueError(f"unknown handout mode {mode!r}")
    blocks = tuple(b for b in (_cut(block, mode, 0) for block in document.blocks) if b is not None)
    words = "problems" if mode == "problems" else "answers"
    title = document.title if not isinstance(document.title, str) else f"{document.title}: {words}"
    return replace(document, title=title, blocks=blocks, data={**document.data, "handout": mode})


def _cut(block, mode: str, depth: int):
    if not isinstance(block, Section):
        return None                                   # the teaching text stays in the full document
    if block.title == "Answers":                      # a problem set's own appendix
        return block if mode == "answers" else None
    if _WORKED.match(block.title):
        kept = statement(block.blocks) if mode == "problems" else answer(block.blocks)
        return Section(block.title, kept) if kept else None
    if re.match(r"^\d+\. ", block.title):            # an interview question: the question is its title
        return Section(block.title, ()) if mode == "problems" else block
    inner = tuple(b for b in (_cut(x, mode, depth + 1) for x in block.blocks) if b is not None)
    return Section(block.title, inner) if inner else None


def statement(blocks) -> tuple:
    """The blocks of a worked example before its first step: what is given and what is asked."""
    out: list = []
    for b in blocks:
        if isinstance(b, (Step, Section, Figure, Table)) or _is_answer(b) or _starts_work(b):
            break                                     # a table is a result (the norms of a run), not a given
        out.append(b)
    return tuple(out)


def answer(blocks) -> tuple:
    """A worked example's answer: its `Answer` block; else, after its statement, where each run ended
    (an optimizer's "After 30 steps: ..."), its result tables (eigenvalues, components), or its last
    displayed line. Never a given: the statement is skipped."""
    found = [b for b in blocks if _is_answer(b)]
    if found:
        return (found[-1],)
    work = list(blocks)[len(statement(blocks)):]
    ends = [Section(b.title, (last,)) for b in work if isinstance(b, Section)
            for last in [_last_where(b.blocks)] if last is not None]
    if ends:
        return tuple(ends)
    tables = [b for b in work if isinstance(b, Table)]
    tables = [t for t in tables if t.caption] or tables     # the named results, not the working tables
    if tables:
        return tuple(tables)
    displays = [b for b in work if isinstance(b, DisplayMath)]
    return (displays[-1],) if displays else ()


def _last_where(blocks):
    """A run's last "After N steps: ..." paragraph (where it ended), if it has one."""
    found = [b for b in blocks if isinstance(b, Paragraph) and b.parts and isinstance(b.parts[0], str)
             and b.parts[0].startswith("After ")]
    return found[-1] if found else None


def _is_answer(b) -> bool:
    return isinstance(b, Answer)


def _starts_work(b) -> bool:
    """A hand-written derivation's first move ("1. Write σ as ...") ends its statement."""
    return isinstance(b, Paragraph) and b.parts and isinstance(b.parts[0], str) and bool(re.match(r"^1\. ", b.parts[0]))
