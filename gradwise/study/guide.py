"""The study guide for the whole syllabus: every registered topic that can be built, in order.

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


def build_guide(ctx: GuideContext | None = None, only: tuple[str, ...] = ()) -> tuple[Document, list[str]]:
    """The guide as a Document, and the notes on topics that were skipped (engine not there yet)."""
    ctx = ctx or GuideContext()
    sections: list[Section] = []
    skipped: list[str] = []
    titles: list[str] = []
    for topic in discover():
        if only and topic.key not in only:
            continue
        missing = topic.missing()
        if missing:
            skipped.append(f"{topic.title} (needs {', '.join(missing)})")
            titles.append(topic.title)
            continue
        try:
            blocks = tuple(topic.build(ctx))
        except Exception as exc:  # another engine's failure must not take the whole guide down
            if not topic.requires:
                raise  # the guide's own topics must always build
            skipped.append(f"{topic.title} (its engine failed: {type(exc).__name__}: {exc})")
            titles.append(topic.title)
            continue
        sections.append(Section(topic.title, blocks))
    about = [Paragraph.of(
        "Each topic gives a short explanation and worked examples. Every step of every example was "
        "derived by gradwise and checked, symbolically and at random points, before it was printed; "
        "the figures are drawn from the same checked results."),
        Paragraph.of(
        "How to read an example: each step names the rule it uses and states it in symbols; its "
        "sub-steps (1.1, 1.2, ...) work out the pieces the rule needs, and \u201cSo\u201d puts them "
        "back together; the answer closes the example. To check yourself, cover the steps, work the "
        "problem, then compare line by line. The last page gathers interview questions with short answers.")]
    if skipped:
        about.append(Paragraph.of("Not in this edition yet (their engines are still being built): "
                                  + "; ".join(titles) + "."))
    blocks = tuple(about) + tuple(sections)
    return Document(TITLE, blocks, data={"kind": "study_guide", "topics": [s.title for s in sections],
                                         "skipped": skipped}), skipped
