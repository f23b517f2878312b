"""LaTeX input: the pre-pass, the two parsers, the whitelist."""
import pytest
import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.parsing import parse, symbol
from gradwise.errors import InputError

x, w, b = symbol("x"), symbol("w"), symbol("b")


@pytest.mark.parametrize("text, expected", [
    (r"\frac{1}{1+e^{-x}}", 1 / (1 + sp.exp(-x))),
    (r"x^2\sin x", x**2 * sp.sin(x)),
    (r"\ln(x^2+1)", sp.log(x**2 + 1)),
    (r"\log x", sp.log(x)),
    (r"\log_2 x", sp.log(x) / sp.log(2)),
    (r"e^{3x^2}", sp.exp(3 * x**2)),
    (r"\sigma(wx+b)", fn.sigmoid(w * x + b)),
    (r"\sigma\left(wx+b\right)", fn.sigmoid(w * x + b)),
    (r"\operatorname{ReLU}(x)", fn.relu(x)),
    (r"\operatorname{softplus}(x)", fn.softplus(x)),
    (r"\tanh x", sp.tanh(x)),
    (r"\sqrt{x}", sp.sqrt(x)),
    (r"\gamma x", symbol("gamma") * x),
    (r"\frac{d}{dx} x^2", sp.Derivative(x**2, x)),
    (r"\frac{d^2}{dx^2} x^3", sp.Derivative(x**3, (x, 2))),
    (r"\frac{\partial}{\partial w} (wx+b)^2", sp.Derivative((w * x + b) ** 2, w)),
    (r"$x^{2}$", x**2),
])
def test_latex(text, expected):
    assert parse(text) == expected


def test_latex_symbols_are_real():
    assert all(s.is_real for s in parse(r"\frac{a}{b} + x").free_symbols)


@pytest.mark.parametrize("command", [r"\input{/etc/passwd}", r"\write18{rm -rf /}", r"\include{x}",
                                     r"\def\x{1}", r"\openout1=x", r"x + \immediate\write18{ls}"])
def test_dangerous_commands_are_rejected(command):
    with pytest.raises(InputError, match="not allowed"):
        parse(command)


def test_unreadable_latex_is_one_line_error():
    with pytest.raises(InputError) as info:
        parse(r"\frac{1}{")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("text, expected", [
    (r"x \left(x + 1\right)", x * (x + 1)),
    (r"n(n+1)", symbol("n") * (symbol("n") + 1)),
    (r"\sin{\left(x \right)} \left(x + 1\right)", sp.sin(x) * (x + 1)),
    (r"\sin^{2}{\left(x \right)} \left(x + 1\right)", sp.sin(x) ** 2 * (x + 1)),
])
def test_products_after_a_bracketed_argument(text, expected):
    assert parse(text) == expected


def test_everything_we_print_reads_back():
    from gradwise.derivations.derivation import differentiate
    from gradwise.printing import latex
    for text in ("x^2 sin(x)", "sigmoid(w x + b)", "x^3 e^x", "ln(x^2 + 1) (x - 1)", "tan(sin(x)) cos(x)"):
        d = differentiate(text, "x")
        for e in (d.expr, d.result):
            assert parse(latex(e)) == e


# A matrix is read cell by cell, each cell by both parsers (a whole matrix took latex2sympy seconds).
MATRIX_CASES = [
    (r"\left[\begin{matrix}2 \ln(y) & \frac{2 x}{y}\\\frac{2 x}{y} & -\frac{x^{2}}{y^{2}}\end{matrix}\right]",
     [["2*log(y)", "2*x/y"], ["2*x/y", "-x**2/y**2"]]),
    (r"\begin{bmatrix} 6x & 2 \\ 2 & 6y \\ \end{bmatrix}", [["6*x", "2"], ["2", "6*y"]]),
    (r"\begin{pmatrix} \sigma(x) \\ e^{x} \end{pmatrix}", [["sigmoid(x)"], ["exp(x)"]]),
    (r"\begin{bmatrix} \foo{x} & 2 \end{bmatrix}", "cannot read \\foo"),
    (r"\begin{bmatrix} 1 & 2 \\ 3 \end{bmatrix}", "different lengths"),
    (r"\begin{bmatrix} 1 & \\ 3 & 4 \end{bmatrix}", "empty cell"),
]


@pytest.mark.parametrize("text, expected", MATRIX_CASES)
def test_a_matrix_is_read_cell_by_cell(text, expected):
    from gradwise.derivations import functions as fn
    from gradwise.derivations.parsing import symbol
    from gradwise.errors import InputError
    if not isinstance(expected, list):
        with pytest.raises(InputError) as err:
            parse(text)
        assert expected is None or expected in str(err.value)
        return
    names = {"sigmoid": fn.sigmoid, **{n: symbol(n) for n in "xy"}}
    oracle = sp.ImmutableMatrix([[sp.sympify(c, locals=names) for c in row] for row in expected])
    assert parse(text) == oracle


def test_matrices_gradwise_prints_read_back():
    from gradwise.derivations.parsing import symbol
    from gradwise.printing import latex
    x, y = symbol("x"), symbol("y")
    m = sp.ImmutableMatrix([[sp.exp(4 * y - 2 * x * y) * y ** 2, -sp.sin(x) / y], [sp.Abs(x - 1), sp.sqrt(x + y)]])
    for matrix in (m, m.col(0)):
        for printed in (latex(matrix), sp.latex(matrix)):
            assert parse(printed) == matrix, printed
    step = sp.ImmutableMatrix([[sp.Heaviside(x, 0), 1]])   # SymPy's latex() writes Heaviside as θ: gradwise's only
    assert parse(latex(step)) == step


def test_a_reading_that_drops_a_written_variable_is_not_a_reading():
    """SymPy's parser reads `2 x \\sin(1)` (SymPy's own latex() of 2x·sin 1) as 2·sin 1: that reading
    ignores the x the text writes, so the other parser's is the reading, not an ambiguity."""
    from gradwise.derivations.latex_input import parse_latex
    assert parse_latex(r"2 x \sin{\left(1 \right)}") == 2 * x * sp.sin(1)
    assert parse_latex(sp.latex(3 * x * sp.cos(2))) == 3 * x * sp.cos(2)


@pytest.mark.parametrize("text", [r"2^x^y", r"\log_2 8x"])
def test_readings_that_differ_with_the_same_variables_are_still_ambiguous(text):
    from gradwise.derivations.latex_input import parse_latex
    with pytest.raises(InputError, match="ambiguous"):
        parse_latex(text)


def test_a_named_function_to_any_power_reads_back():
    """SymPy's latex() writes atan(x)^y as \\operatorname{atan}^{y}{\\left(x \\right)} (found by the round trip)."""
    from gradwise.derivations.latex_input import parse_latex
    y = symbol("y")
    for expr in (sp.atan(x) ** y, sp.atan(x) ** (x + 1), sp.atan(x) ** 3):
        assert parse_latex(sp.latex(expr)) == expr
    with pytest.raises(InputError, match="inverse function or"):
        parse_latex(r"\operatorname{atan}^{-1}(x)")
