"""Handouts: a problem sheet without solutions and the answer key, for problem sets and the guide;
and the notebook views (every kind's LaTeX repr carries its steps, the plain repr is one short line)."""
import pytest

from gradwise.cli import main
from gradwise.renderers.document import Paragraph, Section, Step
from gradwise.study.handouts import handout
from gradwise.study.problems import build_problem_set
from test_documents_kinds import KINDS, make_result

SET = """title = "Week 3"
[[problem]]
kind = "derivative"
input = "x^2 sin(x)"
[[problem]]
kind = "check"
input = '\\\\frac{d}{dx} e^{3x^2} = e^{3x^2}'
"""


def _walk(blocks):
    for b in blocks:
        yield b
        if isinstance(b, Section):
            yield from _walk(b.blocks)


def _words(document) -> str:
    from gradwise.renderers import render
    return render(document, "text")


@pytest.fixture
def problems(tmp_path):
    path = tmp_path / "week3.toml"
    path.write_text(SET)
    return str(path)


def test_problem_sheet_has_questions_and_no_solutions(problems):
    sheet = build_problem_set(problems, mode="problems")
    blocks = list(_walk(sheet.blocks))
    assert not any(isinstance(b, Step) for b in blocks)
    text = _words(sheet)
    assert "Find d/dx[x²·sin(x)]" in text and "Answer" not in text and "2x·sin(x)" not in text
    assert "✗" not in text and "not valid" not in text          # the check problem does not give itself away
    assert "e^{3x^2}" not in text and "e³ˣ²" in text.replace(" ", "") or "3x²" in text


def test_answer_key_has_every_answer_and_no_steps(problems):
    key = build_problem_set(problems, mode="answers")
    text = _words(key)
    assert "2x·sin(x) + x²·cos(x)" in text and "Not valid: the first error is step 1" in text
    assert not any(isinstance(b, Step) for b in _walk(key.blocks))


def test_cli_handouts(problems, tmp_path, capsys):
    for flag in ("--no-solutions", "--answers-only"):
        assert main(["study", problems, flag, "-o", str(tmp_path / f"{flag}.pdf")]) == 0
        assert (tmp_path / f"{flag}.pdf").read_bytes().startswith(b"%PDF-")
    with pytest.raises(SystemExit):
        main(["study", problems, "--no-solutions", "--answers-only"])


def test_guide_handouts_keep_each_example_statement_or_answer():
    from gradwise.renderers.document import Answer, Document
    worked = Section("Example 1: x", (Paragraph.of("Find it."), Step("1", "Rule", "r", None), Answer.of("42")))
    doc = Document("Guide", (Paragraph.of("intro"), Section("Topic", (Paragraph.of("teaching"), worked))))
    sheet, key = handout(doc, "problems"), handout(doc, "answers")
    assert _words(sheet).count("Find it.") == 1 and "teaching" not in _words(sheet) and "42" not in _words(sheet)
    assert "42" in _words(key) and "Find it." not in _words(key)


@pytest.mark.parametrize("kind", KINDS)
def test_notebook_views_carry_the_worked_solution(kind):
    result = make_result(kind)
    latex = result._repr_latex_()
    assert latex.startswith("$$\\begin{aligned}") and latex.count("\\\\") >= 1, kind
    assert "<math" in result._repr_html_()
    short = repr(result)
    assert len(short) < 400 and "\n" not in short, short


def test_a_key_never_gives_a_given_as_the_answer():
    """An example without an Answer line: the key shows its result (a named table, where each run ended,
    its last line), never the matrix it was given; a sheet never shows a result table."""
    import sympy as sp

    from gradwise.renderers.document import DisplayMath, Document, Math, Table
    given = DisplayMath(Math.chain(sp.Symbol("A"), sp.Matrix([[2, 1], [1, 2]])))
    summary = Table(("λ", "eigenvectors"), (("1", "(-1, 1)"), ("3", "(1, 1)")), caption="Summary")
    eigen = Section("Example 1: eigen", (Paragraph.of("Given:"), given, Step("1", "Rule", "r", None), summary))
    runs = Section("Example 2: runs", (Paragraph.of("Minimise it."), Section("sgd", (
        Paragraph.of("SGD (lr = 0.1)"), Table(("step", "x"), (("0", "1"),)),
        Paragraph.of("After 30 steps: x = 0.01.")))))
    flow = Section("Example 3: norms", (Paragraph.of("Given: 10 layers."), Table(("layer", "norm"), (("1", "2"),),
                                                                                 caption="Norms"),
                                        Paragraph.of("It vanished.")))
    doc = Document("Guide", (Section("Topic", (eigen, runs, flow)),))
    key, sheet = _words(handout(doc, "answers")), _words(handout(doc, "problems"))
    assert "Summary" in key and "(1, 1)" in key and "After 30 steps: x = 0.01." in key and "Norms" in key
    assert "SGD (lr = 0.1)" not in key and "Minimise it." not in key
    assert "Norms" not in sheet and "It vanished." not in sheet and "Given: 10 layers." in sheet
    assert "Summary" not in sheet
