"""The study guide for the whole syllabus: every registered topic, in order.

Every example in it is made by the engines while the guide is built, and every step is checked there;
nothing shown as a result is typed in by hand.
"""
from __future__ import annotations

import gradwise
from gradwise.renderers.document import Document, Paragraph, Section
from gradwise.study.registry import GuideContext, discover

TITLE = "The mathematics of deep learning"
SUBTITLE = (f"A study guide with worked, checked examples, made by gradwise {gradwise.__version__}: "
            "every example was derived and checked by the engine while this guide was built.")


def build_guide(ctx: GuideContext | None = None, only: tuple[str, ...] = ()) -> Document:
    """The guide as a Document: every registered topic (or those in `only`), in syllabus order."""
    ctx = ctx or GuideContext()
    sections = [Section(topic.title, tuple(topic.build(ctx))) for topic in discover()
                if not only or topic.key in only]
    about = [Paragraph.of(
        "Each topic gives a short explanation and worked examples. Every step of every example was "
        "derived by gradwise and checked, symbolically and at random points, before it was printed; "
        "the figures are drawn from the same checked results."),
        Paragraph.of(
        "How to read an example: each step names the rule it uses and states it in symbols; its "
        "sub-steps (1.1, 1.2, ...) work out the pieces the rule needs, and \u201cSo\u201d puts them "
        "back together; the answer closes the example. To check yourself, cover the steps, work the "
        "problem, then compare line by line. The last page gathers interview questions with short answers.")]
    blocks = tuple(about) + tuple(sections)
    return Document(TITLE, blocks, data={"kind": "study_guide", "topics": [s.title for s in sections]})
