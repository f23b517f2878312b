"""How plain input is read: the corpus of typos and notations, glued names, and the "Read as" line."""
import json
import os
import subprocess
import sys
import tomllib

import pytest
import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations import function_registry as registry
from gradwise.derivations.parsing import parse, parse_with_reading, symbol
from gradwise.errors import InputError

CORPUS = os.path.join(os.path.dirname(__file__), "corpus", "readings.toml")
with open(CORPUS, "rb") as f:
    CASES = tomllib.load(f)["case"]
_SYMPY_NAMES = {"sigmoid": fn.sigmoid, "relu": fn.relu, "softplus": fn.softplus, "logsumexp": fn.logsumexp,
                "softmax": fn.softmax, "E": sp.E}


def oracle(text: str) -> sp.Expr:
    """The expected expression, written by hand in SymPy's syntax (our own text, not user input)."""
    expr = sp.sympify(text, locals=dict(_SYMPY_NAMES, Function=sp.Function))
    return expr.subs({s: symbol(s.name) for s in expr.free_symbols})


@pytest.mark.parametrize("case", CASES, ids=[c["input"] for c in CASES])
def test_corpus(case):
    if "refuse" in case:
        with pytest.raises(InputError) as err:
            parse(case["input"])
        assert case["refuse"] in str(err.value)
        return
    reading = parse_with_reading(case["input"])
    assert reading.expr == oracle(case["expect"])
    if "note" in case:
        assert any(case["note"] in n for n in reading.notes), reading.notes
    else:
        assert reading.notes == ()


def test_corpus_covers_the_kinds():
    assert len(CASES) >= 50
    assert sum("refuse" in c for c in CASES) >= 10 and sum("note" in c for c in CASES) >= 5


def test_every_registry_name_is_read():
    """Each name in the registry reads as its function (the registry is what the parser reads)."""
    x = symbol("x")
    for record in registry.FUNCTIONS:
        if record.arity != "one":
            continue
        for name in record.names:
            assert parse(f"{name}(x)") == record.sympy(x), name


def test_suggestions_come_from_the_registry():
    assert registry.suggestions("sinn") == ["sin"]
    assert registry.suggestions("Sigmoid") == ["sigmoid"]
    assert registry.suggestions("zzzzqq") == []


def test_matrices_in_both_notations():
    a, b, c, d = (symbol(n) for n in "abcd")
    assert parse("[a, b; c, d]") == sp.ImmutableMatrix([[a, b], [c, d]]) == parse("[[a, b], [c, d]]")
    assert parse("[a, b]") == sp.ImmutableMatrix([a, b]) == parse("(a, b)ᵀ")
    with pytest.raises(InputError, match="different lengths"):
        parse("[a, b; c]")


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return subprocess.run([sys.executable, "-m", "gradwise", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_cli_refuses_an_unknown_function_in_one_line():
    out = _cli("diff", "sinn(x)", "--wrt", "x")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "error: unknown function 'sinn' at column 1 in \"sinn(x)\"; did you mean sin?"]


def test_cli_reads_an_expression_that_starts_with_minus():
    for args in (("diff", "-x^2"), ("diff", "--", "-x^2"), ("diff", "-2x", "--format", "json")):
        out = _cli(*args)
        assert out.returncode == 0, out.stderr


def test_cli_suggests_a_subcommand_and_an_option():
    out = _cli("dif", "x^2")
    assert out.returncode == 2 and "did you mean diff?" in out.stderr
    out = _cli("diff", "x^2", "--wrtt", "x")
    assert out.returncode == 2 and "did you mean --wrt?" in out.stderr


def test_read_as_is_shown_in_every_format():
    from gradwise import differentiate
    from gradwise.explainer import explain
    from gradwise.renderers import render
    d = differentiate("sinx + ab", "x")
    assert d.reading == ("sinx read as sin(x)", "ab read as a·b")
    doc = explain(d)
    for fmt in ("text", "md", "latex", "html", "typst"):
        assert "Read as" in render(doc, fmt), fmt
    data = json.loads(render(doc, "json"))
    assert data["read_as"] == "a·b + sin(x)" and data["reading"] == list(d.reading)
    assert "read_as" not in json.loads(render(explain(differentiate("x^2", "x")), "json"))


def test_an_activation_is_one_record():
    """silu is one registry record: plain and LaTeX input read it, and diff differentiates it."""
    from gradwise import differentiate
    x = symbol("x")
    assert parse("silu(x)") == parse("SiLU(x)") == parse(r"\operatorname{SiLU}(x)") == x * fn.sigmoid(x)
    d = differentiate("silu(x)", "x")
    assert sp.simplify(fn.rewrite_elementary(d.result - sp.diff(x / (1 + sp.exp(-x)), x))) == 0


@pytest.mark.parametrize("text, expected", [
    (r"\frac{\partial}{\partial z_1} \ln(e^{z_1} + e^{z_2})",
     sp.Derivative(sp.log(sp.exp(symbol("z_1")) + sp.exp(symbol("z_2"))), symbol("z_1"))),
    (r"\frac{\partial}{\partial w_{ij}} w_{ij}^2 x_1", sp.Derivative(symbol("w_ij") ** 2 * symbol("x_1"), symbol("w_ij"))),
    (r"\frac{d}{dx_1} x_1^3", sp.Derivative(symbol("x_1") ** 3, symbol("x_1"))),
])
def test_subscripted_variables_of_differentiation(text, expected):
    assert parse(text) == expected


def test_check_reads_plain_lines_subscripts_and_refuses_unknown_macros():
    from gradwise import check
    assert check("d/dx x^2 = 2x").valid
    assert check(r"\frac{\partial}{\partial z_1} \ln(e^{z_1} + e^{z_2}) = \frac{e^{z_1}}{e^{z_1} + e^{z_2}}").valid
    verdict = check("x^2 = x^2\n\\foo{x} = x")
    assert not verdict.valid
    text = json.dumps(verdict.steps[-1].__dict__, default=str) if hasattr(verdict.steps[-1], "__dict__") else str(verdict.steps[-1])
    assert "cannot read \\\\foo" in text or "cannot read \\foo" in text
    wrong = check(r"\frac{d}{dx} \left(a x^3 + d\,x\right) = 3 a x^2")
    assert not wrong.valid


# Every command that interprets its input says so: glued names in text and JSON; literal input, nothing.
COMMANDS = {
    "grad": (["grad", "xy + sinx", "--wrt", "x,y"], ["grad", "x*y + sin(x)", "--wrt", "x,y"],
             "x·y + sin(x)", ["xy read as x·y", "sinx read as sin(x)"]),
    "jacobian": (["jacobian", "[xy, 2x]", "--wrt", "x,y"], ["jacobian", "[x*y, 2x]", "--wrt", "x,y"],
                 "(x·y, 2x)ᵀ", ["xy read as x·y"]),
    "hessian": (["hessian", "xy^2", "--wrt", "x,y"], ["hessian", "x y^2", "--wrt", "x,y"],
                "x·y²", ["xy read as x·y"]),
    "chain": (["grad", "xy", "--chain", "x=cos(t),y=t"], ["grad", "x*y", "--chain", "x=cos(t),y=t"],
              "x·y", ["xy read as x·y"]),
    "backprop": (["backprop", "sigmoid(wx + b)", "--at", "w=1,x=2,b=0"],
                 ["backprop", "sigmoid(w*x + b)", "--at", "w=1,x=2,b=0"], "σ(b + w·x)", ["wx read as w·x"]),
    "matgrad": (["matgrad", "x^TAx", "--wrt", "x"], ["matgrad", "x^T A x", "--wrt", "x"],
                "xᵀ A x", ["Ax read as A·x"]),
}


def _run(argv: list[str], capsys) -> str:
    from gradwise.cli import main
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_shows_how_it_read_its_input(name, capsys):
    glued, literal, read_as, notes = COMMANDS[name]
    text = _run(glued, capsys)
    assert text.split("\n\n")[1].startswith(f"Read as: {read_as} ("), text   # first line after the title
    data = json.loads(_run(glued + ["--format", "json"], capsys))
    assert data["read_as"] == read_as and data["reading"] == notes
    assert "Read as" not in _run(literal, capsys)
    assert "read_as" not in json.loads(_run(literal + ["--format", "json"], capsys))


def test_check_shows_how_each_side_was_read(tmp_path, capsys):
    glued = tmp_path / "glued.tex"
    glued.write_text("\\frac{d}{dx} \\left(a x^3 + d\\,x\\right) = 3 a x^2 + d\nd/dx xy = y\n")
    literal = tmp_path / "literal.tex"
    literal.write_text("\\frac{d}{dx} x^2 = 2x\n")
    from gradwise.cli import main
    main(["check", str(glued)])
    text = capsys.readouterr().out
    assert "Read as (line 1): ∂/∂x[a·x³ + d·x] (d x read as d·x)." in text
    assert text.index("Read as (line 2): ∂/∂x[x·y] (xy read as x·y).") < text.index("valid")
    main(["check", str(glued), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert [(r["line"], r["read_as"], r["reading"]) for r in data["read_as"]] == [
        (1, "∂/∂x[a·x³ + d·x]", ["d x read as d·x"]), (2, "∂/∂x[x·y]", ["xy read as x·y"])]
    main(["check", str(literal)])
    assert "Read as" not in capsys.readouterr().out
    main(["check", str(literal), "--format", "json"])
    assert "read_as" not in json.loads(capsys.readouterr().out)
