"""The Typst printer, construct by construct, and every derivation of the corpus compiling to PDF."""
import pytest
import sympy as sp
import typst

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import differentiate
from gradwise.derivations.parsing import symbol
from gradwise.derivations.rules import Rule
from gradwise.explainer import explain, wording
from gradwise.printing.typst import symbol_typst, typst as T
from gradwise.printing.typst_notation import NotationError, notation_typst
from gradwise.renderers import render
from gradwise.renderers import typst as typst_renderer
from gradwise.renderers.pdf import compile_typst

x, y, w, b = (symbol(n) for n in "xywb")
f = sp.Function("f")

CONSTRUCTS = [
    (x**2 * sp.sin(x), "x^(2) sin(x)"),
    (sp.Rational(-3, 4), "-frac(3, 4)"),
    (1 / (1 + sp.exp(-x)), "frac(1, 1 + e^(-x))"),
    (sp.sqrt(x + 1), "sqrt(x + 1)"),
    (x ** sp.Rational(1, 3), "root(3, x)"),
    (x ** sp.Rational(2, 3), "x^(2 slash 3)"),
    (sp.Derivative(x**2, x), "frac(dif, dif x) (x^(2))"),
    (sp.Derivative(w * x + b, w), "frac(partial, partial w) (b + w x)"),
    (sp.Derivative(sp.sin(x), (x, 2)), "frac(dif^(2), dif x^(2)) (sin(x))"),
    (sp.Derivative(x * y, x, y), "frac(partial^(2), partial x partial y) (x y)"),
    (fn.sigmoid(x), "sigma(x)"),
    (fn.relu(x), 'op("ReLU")(x)'),
    (fn.softplus(x), 'op("softplus")(x)'),
    (fn.softmax(2, x, y), 'op("softmax")(x, y)_(2)'),
    (fn.logsumexp(x, y), 'op("logsumexp")(x, y)'),
    (sp.log(x), "ln(x)"),
    (sp.sin(x) ** 2, "sin^(2)(x)"),
    (sp.asinh(x), 'op("arsinh")(x)'),
    (sp.Heaviside(x, 0), "H(x)"),
    (sp.DiracDelta(x), "delta(x)"),
    (sp.Abs(x - 1), "abs(x - 1)"),
    (sp.Max(x, 1), "max(1, x)"),
    (sp.Min(0, x), "min(0, x)"),
    (sp.ImmutableMatrix([[1, x], [2, 3]]), 'mat(delim: "[", 1, x; 2, 3)'),
    (sp.ImmutableMatrix([x, y]), 'mat(delim: "[", x; y)'),
    (sp.Piecewise((1, x > 0), (0, True)), 'cases(1 & "if " x > 0, 0 & "otherwise")'),
    (sp.Sum(x ** symbol("i"), (symbol("i"), 1, symbol("n"))), "sum_(i = 1)^(n) x^(i)"),
    (sp.Eq(x, y), "x = y"),
    (sp.Le(x, 1), "x <= 1"),
    (sp.Ne(x, 2), "x != 2"),
    (symbol("alpha"), "alpha"),
    (symbol("w_1"), "w_(1)"),
    (symbol("theta_ij"), "theta_(i j)"),
    (symbol("loss"), 'italic("loss")'),
    (x * (1 - x), "x (1 - x)"),
    (-x * sp.cos(x) + sp.sin(x), "sin(x) - x cos(x)"),  # as LaTeX and text order it
    (sp.pi * x, "pi x"),
    (f(x), "f(x)"),
]


@pytest.mark.parametrize("expr, expected", CONSTRUCTS, ids=[str(e) for e, _ in CONSTRUCTS])
def test_construct(expr, expected):
    assert T(expr) == expected


def test_every_construct_compiles():
    src = "".join(f"$ {T(e)} $\n" for e, _ in CONSTRUCTS)
    assert compile_typst(src)[:5] == b"%PDF-"


@pytest.mark.parametrize("name", ['a"b', "x\\y", "#import", "$x$"])
def test_hostile_symbol_names_stay_text(name):
    # a symbol name can never break out of the math or run code
    shown = symbol_typst(name)
    assert shown.startswith(('"', 'italic("'))
    compile_typst(f"$ {shown} $")


def test_user_text_is_a_string_literal():
    assert typst_renderer.words('#eval("x") $a$ [b] \\') == '#"#eval(\\"x\\") $a$ [b] \\\\"'


def test_notations_of_every_rule_translate():
    formulas = [n.latex for _, n, _ in wording.FUNCTION_RULES.values()]
    src = "".join(f"$ {notation_typst(t)} $\n" for t in formulas)
    compile_typst(src)
    assert notation_typst(r"\frac{\mathrm{d}}{\mathrm{d}x} x^{n} = n\,x^{n-1}") == \
        "frac(dif, dif x) x^(n) = n thin x^(n - 1)"


ARROWS = {r"\leftarrow": "arrow.l", r"\gets": "arrow.l", r"\rightarrow": "arrow.r", r"\to": "arrow.r",
          r"\mapsto": "arrow.r.bar", r"\Rightarrow": "arrow.r.double", r"\Leftarrow": "arrow.l.double",
          r"\leftrightarrow": "arrow.l.r", r"\Leftrightarrow": "arrow.l.r.double", r"\iff": "arrow.l.r.double.long",
          r"\implies": "arrow.r.double.long", r"\longrightarrow": "arrow.r.long", r"\uparrow": "arrow.t"}


@pytest.mark.parametrize("command", sorted(ARROWS))
def test_arrows_translate_by_name(command):
    assert notation_typst(rf"x {command} y") == f"x {ARROWS[command]} y"


def test_arrows_compile_and_no_shorthand_meets_a_written_sign():
    src = "".join(f"$ a {notation_typst(c)} b $\n" for c in ARROWS)
    assert compile_typst(src)[:5] == b"%PDF-"
    # "x < -1" stays a comparison with a negative number, "\\gets" never becomes the shorthand <-
    assert notation_typst(r"x < -1, \theta \gets 0") == "x < - 1 , theta arrow.l 0"


def test_update_rules_go_through_the_translator():
    from gradwise.explainer.optimize_rules import RULES as TORCH_RULES
    from gradwise.study.topics.gradient_descent import RULES as GUIDE_RULES
    formulas = [tex for _, tex, _ in GUIDE_RULES] + [tex for lines in TORCH_RULES.values() for _, tex in lines]
    translated = [notation_typst(tex) for tex in formulas]
    assert all("arrow.l" in t for t in translated)
    assert compile_typst("".join(f"$ {t} $\n" for t in translated))[:5] == b"%PDF-"
    assert notation_typst(r"s_0 = \text{initial\_accumulator\_value}") == 's_(0) = "initial_accumulator_value"'


def test_unknown_latex_is_reported():
    with pytest.raises(NotationError):
        notation_typst(r"\weird{x}")


# -----------------------------------------------------------------------------------------------
# The corpus: one input per rule of the engine (the test below proves the coverage), in several
# shapes (partials, higher orders, the project's functions). Every one must compile at every detail.

CORPUS = [
    ("7 + y", "x", 1), ("x", "x", 1), ("5x^3", "x", 1), ("x^2 - sin(x)", "x", 1), ("x^(-2)", "x", 1),
    ("sqrt(x)", "x", 1), ("x^(1/3)", "x", 1), ("x^pi", "x", 1), ("x e^x sin(x)", "x", 1),
    ("sin(x)/x", "x", 1), ("sin(x^2)", "x", 1), ("e^x", "x", 1), ("2^x", "x", 1), ("ln(x)", "x", 1),
    ("log(x, 2)", "x", 1), ("x^x", "x", 1), ("tan(x) + sec(x) + csc(x) + cot(x)", "x", 1),
    ("asin(x) + acos(x) + atan(x) + acot(x)", "x", 1), ("sinh(x) + cosh(x) + tanh(x) + coth(x)", "x", 1),
    ("asinh(x) + acosh(x) + atanh(x)", "x", 1), ("abs(x)", "x", 1), ("sign(x)", "x", 1),
    ("relu(x)", "x", 1), ("sigmoid(w*x + b)", "w", 1), ("softplus(x)", "x", 1), ("erf(x)", "x", 1),
    ("gelu(x)", "x", 1), ("max(x, 1)", "x", 1), ("min(x, 0)", "x", 1), ("logsumexp(x, 2x)", "x", 1),
    ("softmax(x, 2x)[1]", "x", 1), ("x^3 e^x", "x", 2), ("(sigmoid(w*x + b) - y)^2 / 2", "w", 1),
    ("x^2 y + sin(y)", "y", 1), ("e^(-x^2/2)", "x", 1), ("ln(1 + e^(w*x))", "w", 1), ("f(x)^2", "x", 1),
    ("\\frac{1}{1+e^{-x}}", "x", 1), ("theta_1 * alpha^2", "alpha", 1), ("tanh(x)", "x", 3),
    ("relu(x)", "x", 2), (sp.Heaviside(x), "x", 1),
]


@pytest.fixture(scope="module")
def corpus():
    return [differentiate(text, wrt, order=order) for text, wrt, order in CORPUS]


def test_corpus_covers_every_rule(corpus):
    seen = {s.rule for d in corpus for o in d.orders for s in o.tree.walk()}
    classes = {c.rule for c in _subclasses(Rule) if isinstance(getattr(c, "rule", None), str) and c.rule}
    elementary = {rid for rid, _ in _elementary_ids()}
    missing = (classes | elementary) - seen - {"unknown"}
    assert not missing, f"the corpus has no derivation that uses {sorted(missing)}"


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _elementary_ids():
    from gradwise.derivations import rules
    table = rules._d_table() if hasattr(rules, "_d_table") else {}
    return [(rid, fn_) for rid, fn_ in table.values()]


@pytest.mark.parametrize("detail", ["brief", "standard", "full"])
def test_whole_corpus_compiles(corpus, detail):
    # one Typst document per derivation; a failure names the input
    for (text, _, _), d in zip(CORPUS, corpus):
        try:
            pdf = render(explain(d, detail), "pdf")
        except Exception as exc:  # pragma: no cover - the message is the point
            raise AssertionError(f"{text!r} at detail {detail} does not compile: {exc}") from exc
        assert pdf[:5] == b"%PDF-"


def test_pdf_is_the_same_every_time(corpus):
    doc = explain(corpus[8], "full")
    assert render(doc, "pdf") == render(doc, "pdf")


def test_typst_ignores_system_fonts():
    from gradwise.renderers.pdf import _compiler
    fonts = typst.Fonts(include_system_fonts=False).families()
    assert "New Computer Modern" in fonts and "DejaVu Sans" not in fonts
    assert _compiler() is _compiler()



class _Labelled(sp.Symbol):
    """Like the linear-algebra engine's labels: a symbol that knows only its LaTeX."""

    def _latex(self, printer):
        return r"A - \lambda I"


class _Opaque(sp.Symbol):
    def _latex(self, printer):
        return r"\unheardof{x}"


def test_other_modules_objects_print_through_their_latex():
    assert T(_Labelled("A − λI")) == "A - lambda I"
    assert T(_Opaque("odd")) == '"odd"'
    compile_typst(f"$ {T(_Labelled('L'))} = {T(_Opaque('o'))} $")


def test_every_latex_command_translation_compiles():
    from gradwise.printing.typst_notation import _ACCENTS, _COMMANDS
    pieces = [v for v in _COMMANDS.values() if v.strip()] + [f"{v}(x)" for v in _ACCENTS.values()]
    for piece in pieces:  # one by one, so a failure names the symbol
        try:
            compile_typst(f"$ a {piece} b $")
        except Exception as exc:
            raise AssertionError(f"{piece!r} is not Typst math: {exc}") from exc


def test_a_derivative_in_a_step_title_is_typeset():
    """∂f/∂x in a heading is mathematics (italic f and x, a true slash), not the characters of a word."""
    from gradwise.renderers.typst import step_title
    assert step_title("∂f/∂x") == r"[$partial f \/ partial x$]"
    assert step_title("Row by column") == '"Row by column"'
    assert "partial v_(3)" in step_title("∂v3/∂v2, the local derivative")


def test_norm_and_absolute_bars_pair_up_tight():
    tight = notation_typst(r"\|u\| = \sqrt{u \cdot u}")
    assert tight.startswith('class("opening", bar.v.double) u class("closing", bar.v.double)')
    assert notation_typst(r"|1 - \lambda| < 1").startswith('class("opening", bar.v) 1')
    assert notation_typst(r"p(y \mid x)") == "p ( y | x )"           # a conditional bar stays a bar
    assert notation_typst(r"\left. f \right|_{x=0}") == "f |_(x = 0)"  # a lone bar, and \left. is invisible
    both = notation_typst(r"|x| + \|W\|_2")
    compile_typst(f"$ {tight} $ $ {both} $")


def test_a_prime_sits_on_the_letter_not_after_its_index():
    assert notation_typst(r"a_i'") == "a'_(i)"
    assert notation_typst(r"a_{i+1}'") == "a'_(i + 1)"
    assert notation_typst(r"(uv)' = u'v") == "( u v )' = u' v"
