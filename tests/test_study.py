"""The study guide and problem sets: topics register themselves, results come from the engines,
bad files get one line naming the problem and the field."""
import re
import shutil
import subprocess

import pytest
import sympy as sp

from gradwise.cli import main
from gradwise.derivations.derivation import differentiate
from gradwise.renderers import render
from gradwise.renderers.document import Figure, Section
from gradwise.study import build_guide, load_problems
from gradwise.study.registry import TOPICS, GuideContext, discover, register

GOOD = '''title = "Week 3: the chain rule"

[[problem]]
kind = "derivative"
input = "sin(x^2)"
title = "A function inside another"

[[problem]]
kind = "derivative"
input = "sigmoid(w*x + b)"
wrt = "w"
detail = "brief"
'''


@pytest.fixture(scope="module")
def guide():
    return build_guide(GuideContext(figures=True))


def _sections(document):
    return {b.title: b for b in document.blocks if isinstance(b, Section)}


def test_guide_has_every_topic(guide):
    document = guide
    titles = list(_sections(document))
    for title in ("Derivatives and the rules", "Partial derivatives and the gradient", "The chain rule",
                  "Vanishing and exploding gradients"):
        assert title in titles
    assert titles[-1] == "Interview questions"
    assert titles == [topic.title for topic in discover()]


def test_guide_results_come_from_the_engine(guide):
    document = guide
    derivatives = _sections(document)["Derivatives and the rules"]
    text = render(type(document)("t", (derivatives,)), "text")
    assert re.search(r"Answer: d/dx\[3·?x⁴ [-−] 2·?x \+ 7\] = 12·?x³ [-−] 2", text)  # derived at build time
    figures = [b for s in derivatives.blocks if isinstance(s, Section) for b in s.blocks if isinstance(b, Figure)]
    assert figures and figures[0].svg.lstrip().startswith(("<?xml", "<svg"))


def test_a_topic_whose_engine_fails_fails_the_guide():
    """No topic is silently left out: an engine's failure reaches the caller."""
    @register("zz_failing", "A topic whose engine fails", 999)
    def build(ctx):
        raise ZeroDivisionError("the engine broke")
    try:
        with pytest.raises(ZeroDivisionError, match="the engine broke"):
            build_guide(only=("zz_failing",))
    finally:
        TOPICS.pop("zz_failing")


def test_guide_pdf_every_page_has_text(guide, tmp_path):
    document = guide
    from gradwise.study.guide import SUBTITLE
    pdf = render(document, "pdf", contents=True, section_pages=True, subtitle=SUBTITLE)
    assert pdf.startswith(b"%PDF-")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / "g.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 8 and all(p.strip() for p in pages), "a blank page"
    assert "Contents" in pages[0] and "Interview questions" in pages[-1]


def test_cli_guide(tmp_path, capsys):
    out = tmp_path / "guide.pdf"
    figs = tmp_path / "figs"
    assert main(["study", "-o", str(out), "--figures", str(figs), "--topic", "derivatives"]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert {p.suffix for p in figs.iterdir()} == {".png"}
    assert main(["study", "-o", str(tmp_path / "guide.xyz")]) == 2
    assert "cannot tell the format" in capsys.readouterr().err


def test_problem_set_formats(tmp_path):
    toml = tmp_path / "week3.toml"
    toml.write_text(GOOD)
    for name in ("week3.pdf", "week3.html", "week3.md", "week3.typ"):
        assert main(["study", str(toml), "-o", str(tmp_path / name)]) == 0
    assert main(["study", str(toml), "--format", "latex", "-o", str(tmp_path / "w.tex")]) == 0
    tex = (tmp_path / "w.tex").read_text()
    assert "\\tableofcontents" in tex and "\\section*{Answers}" in tex
    md = (tmp_path / "week3.md").read_text()
    assert "Problem 1: A function inside another" in md and "## Answers" in md
    answers = md.split("## Answers")[1]
    d = differentiate("sin(x^2)", "x")
    assert d.result == 2 * d.var * sp.cos(d.var**2)
    assert "1\\. $" in answers or "1. $" in answers


BAD = [
    ('[[problem]]\nkind = "derivatve"\ninput = "x"\n', "problem 1: field 'kind': unknown kind 'derivatve'"),
    ('[[problem]]\nkind = "derivative"\n', "problem 1: field 'input' is missing"),
    ('[[problem]]\nkind = "derivative"\ninput = "x"\n[[problem]]\ntitle = "Two"\ninput = "x"\n',
     "problem 2 ('Two'): field 'kind' is missing"),
    ('[[problem]]\nkind = "derivative"\ninput = "x"\ndetail = "huge"\n', "field 'detail'"),
    ('[[problem]]\nkind = "derivative"\ninput = "x"\norder = 0\n', "field 'order'"),
    ('[[problem]]\nkind = "derivative"\ninput = "x"\ncolour = "red"\n', "unknown field 'colour'"),
    ('[[problem]]\nkind = "derivative"\ninput = "x^^2"\n', "problem 1: field 'input':"),
    ('title = 3\n', "field 'title' must be a string"),
    ('title = "x"\n', "no problems"),
    ('[[problem\n', "not valid TOML"),
]


@pytest.mark.parametrize("content, message", BAD)
def test_bad_problem_files_name_the_problem_and_field(tmp_path, capsys, content, message):
    toml = tmp_path / "bad.toml"
    toml.write_text(content)
    assert main(["study", str(toml), "-o", str(tmp_path / "out.md")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


def test_missing_problem_file(capsys):
    assert main(["study", "/nonexistent/p.toml"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_load_problems_reads_fields(tmp_path):
    toml = tmp_path / "p.toml"
    toml.write_text(GOOD)
    ps = load_problems(str(toml))
    assert ps.title == "Week 3: the chain rule"
    assert [p.wrt for p in ps.problems] == [None, "w"] and ps.problems[1].detail == "brief"


def test_cli_refuses_early_and_plainly(tmp_path, capsys):
    assert main(["study", "-o", str(tmp_path / "missing" / "g.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["study", "--topic", "nosuch"]) == 2
    err = capsys.readouterr().err
    assert "unknown topic 'nosuch'" in err and "derivatives" in err


def test_markdown_and_latex_link_figures_beside_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["study", "--topic", "derivatives", "-o", "g.md"]) == 0
    md = (tmp_path / "g.md").read_text()
    assert "](g-figures/figure-1-x.png)" in md and (tmp_path / "g-figures" / "figure-1-x.png").exists()
    assert main(["study", "--topic", "derivatives", "-o", "g.tex"]) == 0
    assert "{g-figures/figure-1-x.png}" in (tmp_path / "g.tex").read_text()


def test_terminal_text_has_no_dangling_figures(capsys):
    assert main(["study", "--topic", "derivatives"]) == 0
    assert "[figure:" not in capsys.readouterr().out


def test_partial_derivatives_show_the_gradient_engines_worked_gradient():
    from gradwise.study.topics import partial_derivatives as topic
    blocks = topic.build(GuideContext(figures=False))
    from gradwise.renderers.document import Document
    text = render(Document("t", tuple(blocks)), "text", width=300)
    assert "the whole gradient: every partial derivative at once" in text and "∇f" in text


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_guide_through_pdflatex_with_its_figure(tmp_path):
    out = tmp_path / "g.pdf"
    assert main(["study", "--topic", "derivatives", "--engine", "latex", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob("*-figures"))   # the PNGs for LaTeX lived in a temporary folder


def test_a_sign_shuffling_factor_step_is_not_the_answer():
    """Example 12: x·σ·(1 − σ)·(σ − y), not the 'factored' x·σ·(y − σ)·(σ − 1); same value at any point."""
    import random

    import sympy as sp

    from gradwise.derivations.derivation import differentiate
    from gradwise.study.worked import unshuffled

    d = differentiate("(sigmoid(w*x + b) - y)^2 / 2", "w")
    kept = unshuffled(d)
    named = {v.name: v for v in d.expr.free_symbols}
    sig = lambda z: 1 / (1 + sp.exp(-z))  # noqa: E731
    rng = random.Random(0)
    for _ in range(5):
        at = {named[k]: rng.uniform(-2, 2) for k in "wxby"}
        z = at[named["w"]] * at[named["x"]] + at[named["b"]]
        by_hand = float((sig(z) - at[named["y"]]) * sig(z) * (1 - sig(z)) * at[named["x"]])
        assert abs(float(kept.result.subs(at)) - by_hand) < 1e-12
    text = str(kept.result)
    assert "y - sigmoid" not in text and "sigmoid(b + w*x) - 1" not in text
    assert "-y + sigmoid(b + w*x)" in text or "sigmoid(b + w*x) - y" in text
    plain = differentiate("x^2 sin(x)", "x")
    assert unshuffled(plain) is plain
