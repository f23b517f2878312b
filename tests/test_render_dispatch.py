"""Renderers choose a block's writer by the block's type; the answer is an `Answer` block, never found by its words."""
from __future__ import annotations

import pytest

from gradwise.renderers import html, latex, markdown, text, typst
from gradwise.renderers.document import (Answer, DisplayMath, Document, Figure, Math, Paragraph, Section, Step,
                                         Table)

BLOCKS = (Paragraph, Answer, DisplayMath, Step, Table, Figure, Section)


def test_a_paragraph_that_starts_with_answer_is_a_paragraph():
    p = Paragraph.of("Answer: ", "42")
    assert type(p) is Paragraph
    assert type(Answer.of("42")) is Answer and Answer.of("42").parts == ("Answer: ", "42")


@pytest.mark.parametrize("dispatch", [text._block, latex._block, markdown._block, typst._block],
                         ids=["text", "latex", "markdown", "typst"])
def test_every_block_class_has_a_writer(dispatch):
    for cls in BLOCKS:
        assert dispatch.dispatch(cls) is not dispatch.dispatch(object), cls.__name__


def test_html_has_a_writer_for_every_block_class():
    block = vars(html._HtmlWriter)["block"]
    for cls in BLOCKS:
        assert block.dispatcher.dispatch(cls) is not block.dispatcher.dispatch(object), cls.__name__


@pytest.mark.parametrize("render", [text.render, latex.render, markdown.render, html.render, typst.render],
                         ids=["text", "latex", "markdown", "html", "typst"])
def test_an_unknown_block_is_refused_by_name(render):
    class Sidebar:
        pass
    with pytest.raises(TypeError, match="cannot render Sidebar"):
        render(Document("t", (Sidebar(),)))


@pytest.mark.parametrize("render, boxed", [(latex.render, r"\gwanswer{"), (html.render, 'class="answer"'),
                                           (typst.render, "#gw-answer[")], ids=["latex", "html", "typst"])
def test_only_an_answer_block_is_boxed(render, boxed):
    assert boxed in render(Document("t", (Answer.of(Math(("x",))),)), standalone=True)
    assert boxed not in render(Document("t", (Paragraph.of("Answer: ", "it is not one"),)), standalone=True)
