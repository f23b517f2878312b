"""Anki decks (genanki, the optional extra `anki`): generated problems with their worked answers, and the
study guide's interview questions. Mathematics is written as MathJax `\\(...\\)`, which Anki renders
offline."""
from __future__ import annotations

import html
import zlib

from gradwise.errors import GradwiseError
from gradwise.practice.hints import hint_steps
from gradwise.practice.problems import Problem
from gradwise.renderers import latex as latex_renderer
from gradwise.renderers.document import Math, Notation, Paragraph, Section

DECK_NAME = "gradwise: the mathematics of deep learning"
#: fixed ids, so re-importing an updated deck updates the cards instead of duplicating them
MODEL_ID = 1_607_392_014
DECK_ID = 2_059_400_114


def _math(m) -> str:
    return r"\(" + html.escape(latex_renderer.math(m)) + r"\)"


def paragraph_html(p: Paragraph) -> str:
    """A paragraph with its math as MathJax."""
    return "".join(_math(x) if isinstance(x, (Math, Notation)) else html.escape(x) for x in p.parts)


def problem_card(p: Problem) -> tuple[str, str]:
    """(front, back) of a problem's card: the question; the answer and the worked steps."""
    front = f"<div>{html.escape(p.prompt)}</div><div>\\({html.escape(p.prompt_latex)}\\)</div>"
    answer = html.escape(p.answer_text) if p.answer_kind == "matrix_expression" else \
        r"\(" + html.escape(p.answer_latex) + r"\)"
    steps = "".join(f"<li>{html.escape(rule)}" + (f": {_math(line)}" if line is not None else "") + "</li>"
                    for rule, line in hint_steps(p))
    return front, f"<div><b>Answer:</b> {answer}</div><ol>{steps}</ol>"


def interview_cards() -> list[tuple[str, str]]:
    """The study guide's interview questions (their formulas derived while they are built)."""
    from gradwise.study.registry import GuideContext
    from gradwise.study.topics.interview import build

    cards = []
    for block in build(GuideContext(figures=False)):
        if isinstance(block, Section):
            question = block.title.split(". ", 1)[-1]
            answer = "".join(paragraph_html(b) for b in block.blocks if isinstance(b, Paragraph))
            cards.append((html.escape(question), answer))
    return cards


def build_deck(problems: list[Problem], interview: bool = True):
    """The genanki deck of the problems (and the interview questions)."""
    try:
        import genanki
    except ImportError:
        raise GradwiseError("writing an Anki deck needs genanki: pip install 'gradwise[anki]'") from None
    model = genanki.Model(MODEL_ID, "gradwise practice", fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Key"}],
                          templates=[{"name": "Card", "qfmt": "{{Front}}",
                                      "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}])
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    cards = [(*problem_card(p), p.key) for p in problems]
    if interview:
        cards += [(q, a, f"interview:{zlib.crc32(q.encode())}") for q, a in interview_cards()]
    for front, back, key in cards:
        deck.add_note(genanki.Note(model=model, fields=[front, back, key], guid=genanki.guid_for(key)))
    return deck


def write_deck(path: str, problems: list[Problem], interview: bool = True) -> str:
    """Write the deck as an .apkg file."""
    import os
    import sys

    if not path.lower().endswith(".apkg"):
        raise GradwiseError(f"an Anki deck is an .apkg file, not '{path}'")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise GradwiseError(f"cannot write {path}: the folder {directory} does not exist")
    import genanki

    genanki.Package(build_deck(problems, interview)).write_to_file(path)
    print(f"wrote {path}", file=sys.stderr)
    return path
