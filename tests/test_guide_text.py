"""The study guide as a reader sees it: no raw ASCII or LaTeX mathematics, no placeholders, and every
worked example states its givens before its first step.

The guide is built once for this module (figures off: the text is what is scanned). Its text comes from
the PDF through pdftotext where that is installed, else from the Typst source's string literals.
"""
import re
import shutil
import subprocess

import pytest

from gradwise.renderers import render
from gradwise.renderers.document import DisplayMath, Paragraph, Section, Step, Table
from gradwise.study.guide import build_guide
from gradwise.study.registry import GuideContext
from document_walk import notations

#: what raw mathematics looks like in running text, with the reason each is wrong
RAW = {
    r"\^": "a caret: an exponent written as ASCII (e^(−x), W^T)",
    r"_": "an underscore: a subscript written as ASCII (W_l, proj_v, lambda_max)",
    r"\blambda\b": "a Greek letter spelled out",
    r"\[[^\]\n]*;[^\]\n]*\]": "a matrix written as [a, b; c, d]",
    r"\b(sigmoid|relu|tanh|act)'\(": "a derivative written with an ASCII prime",
    r"\be\^?\(": "an exponential written e(...) or e^(...)",
    r"<[a-z]+>": "a placeholder such as <data>",
    r"\b\d+x\d+\b": "a size written 2x2 instead of 2×2",
    r"λ(min|max)": "a subscript run into its letter (λmin)",
    r"\(1/\d+\)\^": "a power of a fraction written as ASCII",
    r"relative (error|difference) \d": "a checker's error figure, for the full detail only",
    r"\\[a-z]+\{": "LaTeX source in the text",
    r"∂\w+/∂\w": "a derivative written as text (∂f/∂x) instead of typeset",
}


@pytest.fixture(scope="module")
def guide():
    document = build_guide(GuideContext(figures=False))
    return document


@pytest.fixture(scope="module")
def guide_text(guide, tmp_path_factory):
    if shutil.which("pdftotext"):
        pdf = tmp_path_factory.mktemp("guide") / "guide.pdf"
        pdf.write_bytes(render(guide, "pdf", contents=True, section_pages=True))
        return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    source = render(guide, "typst", contents=True, section_pages=True)
    return "\n".join(re.findall(r'#"((?:[^"\\]|\\.)*)"', source))   # the words, not the markup


def test_the_guide_has_no_raw_mathematics_or_placeholders(guide_text):
    found = []
    for pattern, why in RAW.items():
        for m in re.finditer(pattern, guide_text):
            line = guide_text[guide_text.rfind("\n", 0, m.start()) + 1:guide_text.find("\n", m.end())]
            found.append(f"{why}: {line.strip()[:100]!r}")
    assert not found, "raw mathematics in the guide:\n" + "\n".join(found[:20])


def test_the_scanner_catches_what_it_looks_for():
    for bad in ("1/(1 + e^(−x))", "W_l", "2/lambda_max", "[0, 1; 1, 0]", "sigmoid'(z)", "8 samples of <data>",
                "a 2x2 matrix", "λmin", "(1/4)^9", "largest relative error 2.4e-26", r"\sin{x}",
                "∂f/∂v2 = ∂f/∂v3·∂v3/∂v2"):
        assert any(re.search(p, bad) for p in RAW), bad


def _examples(blocks):
    for b in blocks:
        if isinstance(b, Section):
            if re.match(r"Example \d+", b.title):
                yield b
            yield from _examples(b.blocks)


def _opens_with_givens(block) -> bool:
    if not isinstance(block, Paragraph) or not block.parts or not isinstance(block.parts[0], str):
        return False
    return block.parts[0].startswith(("Given", "Find", "Minimise"))


def test_every_example_states_its_givens_before_its_first_step(guide):
    examples = list(_examples(guide.blocks))
    assert len(examples) >= 25
    for ex in examples:
        first_step = next((i for i, b in enumerate(ex.blocks) if isinstance(b, (Step, Section))), len(ex.blocks))
        opening = [i for i, b in enumerate(ex.blocks[:first_step]) if _opens_with_givens(b)]
        assert opening, f"{ex.title}: no 'Given'/'Find' before its first step"
        head = ex.blocks[opening[0]]
        if head.parts[0].rstrip().endswith(":"):      # "Given:" is followed by the values, displayed
            shown = ex.blocks[opening[0] + 1] if opening[0] + 1 < len(ex.blocks) else None
            assert isinstance(shown, (DisplayMath, Table)), f"{ex.title}: 'Given:' without the values"


def test_matrices_are_given_as_matrices(guide):
    import sympy as sp
    checked = 0
    for ex in _examples(guide.blocks):
        if any(w in ex.title for w in ("2×2", "dot product", "four points")):
            givens = [b for b in ex.blocks[:4] if isinstance(b, DisplayMath)]
            assert any(isinstance(e, sp.MatrixBase) for g in givens for e in g.math.expressions), ex.title
            checked += 1
    assert checked >= 4


def test_every_hand_written_formula_reaches_the_pdf_as_mathematics(guide):
    """A Notation whose LaTeX the Typst translator cannot read would be printed as its plain text (the
    update rules once came out as 'η·g/(√s + ε)' with a broken radical): each has Typst or translatable LaTeX."""
    from gradwise.printing.typst import NotationError, notation_typst
    untranslated = []
    for n in notations(guide.blocks):
        if not n.typst:
            try:
                notation_typst(n.latex)
            except NotationError as exc:
                untranslated.append(f"{n.latex[:60]!r}: {exc}")
    assert not untranslated, "\n".join(untranslated)
