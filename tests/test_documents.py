"""PDF, HTML, Markdown, LaTeX and Jupyter output for every derivation kind that exists."""
import os
import re
import shutil
import subprocess

import pytest

from gradwise.cli import main
from gradwise.derivations.derivation import differentiate
from gradwise.explainer import explain
from gradwise.renderers import render
from gradwise.renderers.document import Document, Paragraph, Section, Step
from gradwise.renderers.pdf import INSTALL_HINT, compile_latex, latex_command

KINDS = {  # one derivation of each kind of derivative result: plain, partial, higher order
    "plain": ("x^2 sin(x)", None, 1),
    "partial": ("sigmoid(w*x + b)", "w", 1),
    "order2": ("x^3 e^x", None, 2),
}


@pytest.fixture(scope="module", params=sorted(KINDS))
def document(request):
    text, wrt, order = KINDS[request.param]
    return explain(differentiate(text, wrt, order=order), "full")


def _pdf_text(pdf: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "d.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout


def test_pdf(document, tmp_path):
    pdf = render(document, "pdf")
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf, tmp_path)
    assert "Answer" in text and "checked" in text


def test_html_is_self_contained(document):
    page = render(document, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page), "the page must not load anything"
    assert "<script" not in page
    # mathematics is MathML text (selectable, copyable), each formula with its Unicode text as alttext
    assert page.count("<math ") >= 3 and 'alttext="' in page and "<svg" not in page
    assert 'class="math-text"' not in page.split("</style>", 1)[1], "every formula converts to MathML"
    assert "<details" in page


def test_html_ids_are_unique_and_mathml_is_well_formed(document):
    from xml.etree import ElementTree

    page = render(document, "html")
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for m in re.findall(r"<math .*?</math>", page, re.S):
        ElementTree.fromstring(m.replace("&", "&amp;").replace("&amp;#", "&#"))


def test_html_folds_collapsed_steps():
    child = Step("1.1", "Inner", "inner", None)
    doc = Document("t", (Step("1", "Outer", "outer", None, children=(Step("1.2", "Kid", "k", None, children=(child,),
                                                                          collapsed=True),)),))
    page = render(doc, "html")
    assert '<details class="substeps" open>' in page          # the top step shows its sub-steps
    assert '<details class="substeps">' in page               # the collapsed one starts folded


def test_markdown(document):
    md = render(document, "md")
    assert md.startswith("## $") and "$$" in md and "Answer: $" in md


def test_text_in_documents_is_escaped():
    hostile = 'a <script>alert(1)</script> \\input{/etc/passwd} #import "x" $x$ *b*'
    doc = Document(hostile, (Section(hostile, (Paragraph.of(hostile),)),))
    page = render(doc, "html")
    assert "<script>" not in page and "&lt;script&gt;" in page
    latex = render(doc, "latex", standalone=True)
    assert "\\input{" not in latex and "\\textbackslash{}input" in latex
    src = render(doc, "typst")
    assert '#"a <script>' in src
    assert render(doc, "pdf").startswith(b"%PDF-")


def test_jupyter_shows_derivations_and_documents():
    d = differentiate("x^2 sin(x)", "x")
    assert d._repr_html_().startswith('<div class="gradwise">')
    assert "$$" in d._repr_latex_() and "Product rule" in d._repr_markdown_()
    doc = explain(d)
    assert doc._repr_html_().startswith('<div class="gradwise">') and doc._repr_markdown_().startswith("## ")


def test_cli_pdf_and_html(tmp_path, capsys):
    out = tmp_path / "p.pdf"
    assert main(["diff", "x^2 sin(x)", "--format", "pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert main(["diff", "x^2 sin(x)", "--format", "pdf"]) == 2
    assert "add -o FILE" in capsys.readouterr().err
    page = tmp_path / "p.html"
    assert main(["diff", "x^2 sin(x)", "--format", "html", "-o", str(page)]) == 0
    assert "Product rule" in page.read_text()


# -----------------------------------------------------------------------------------------------
# LaTeX through pdflatex (skipped when TeX is not installed)

needs_tex = pytest.mark.skipif(latex_command() is None, reason="pdflatex is not installed "
                               "(Debian: texlive-latex-base texlive-latex-recommended lmodern latexmk)")


@needs_tex
def test_latex_standalone_compiles(document):
    pdf = compile_latex(render(document, "latex", standalone=True))
    assert pdf.startswith(b"%PDF-")


@needs_tex
def test_latex_engine_from_the_cli(tmp_path):
    out = tmp_path / "p.pdf"
    assert main(["diff", "sigmoid(w*x+b)", "--wrt", "w", "--format", "pdf", "--engine", "latex", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")


@needs_tex
def test_hostile_text_compiles_with_pdflatex():
    hostile = 'a <b> \\input{/etc/passwd} \\write18{ls} # $ % & _ ^ ~ { } é “q” — 漢'
    doc = Document(hostile, (Paragraph.of(hostile),))
    assert compile_latex(render(doc, "latex", standalone=True)).startswith(b"%PDF-")


def test_latex_engine_missing_says_how_to_install(monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["diff", "x^2", "--format", "pdf", "--engine", "latex", "-o", os.devnull]) == 2
    err = capsys.readouterr().err
    assert "texlive-latex-base" in err and err.count("\n") == 1
    assert "latexmk" in INSTALL_HINT


# -----------------------------------------------------------------------------------------------
# A real browser (skipped without Debian's chromium)

def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(not _chromium(), reason="chromium is not installed (Debian: apt-get install chromium)")
def test_html_screenshot_in_chromium(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(render(explain(differentiate("x^2 sin(x)", "x")), "html"), encoding="utf-8")
    shot = tmp_path / "shot.png"
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=900,1000", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=False)
    assert shot.exists(), "chromium wrote no screenshot"
    import numpy as np
    from PIL import Image
    rgb = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert rgb.shape[:2] == (1000, 900)
    dark = (rgb.sum(axis=2) < 3 * 128).sum()
    assert dark > 5000, "the page looks blank: the math did not draw"
    # the accent colour of the step numbers and the answer box is on the page
    accent = np.abs(rgb - np.array([0x1d, 0x4f, 0x91])).max(axis=2) < 12
    assert accent.sum() > 50


def test_html_inline_formulas_are_inline_mathml_in_the_sentence():
    import sympy as sp
    from gradwise.renderers.document import Math
    x = sp.Symbol("x")
    doc = Document("t", (Paragraph.of("a ", Math.chain(x), " b ", Math.chain(sp.Derivative(x**2, x) / 7), " c"),))
    p = re.search(r"<p>(.*?)</p>", render(doc, "html"), re.S).group(1)
    assert p.startswith("a <math") and p.count('display="inline"') == 2 and p.endswith(" c")
    assert "<mfrac>" in p                                  # the fraction is a fraction, not "d/dx"


def test_markdown_of_a_sectioned_document_has_linked_contents():
    doc = Document("Week *3*", tuple(Section(f"Part {i}: go", (Paragraph.of("text"),)) for i in range(3)))
    md = render(doc, "md")
    assert md.startswith("# Week \\*3\\*\n")                    # user text is escaped
    assert "1. [Part 0: go](#part-0-go)" in md and "## Part 2: go" in md


def test_the_answer_is_a_block_of_its_own_that_renderers_set_apart():
    from gradwise.derivations.derivation import differentiate
    from gradwise.explainer import explain
    from gradwise.renderers import render
    from gradwise.renderers.document import Answer, Document, Paragraph

    doc = explain(differentiate("x^2", "x"))
    answers = [b for b in doc.blocks if isinstance(b, Answer)]
    assert len(answers) == 1 and answers[0].body.parts[0] == ""
    assert '<div class="answer">' in render(doc, "html")
    # a paragraph built as plain text is not an answer, whatever its words
    plain = Document("t", (Paragraph(("Answer: not one",)),))
    assert '<div class="answer">' not in render(plain, "html")
