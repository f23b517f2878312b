"""Safe input: user text becomes SymPy objects through a whitelist, never through eval.

`parse(text)` accepts plain math (`x^2 sin x`, `2x + 1`, `sigmoid(w*x + b)`) and LaTeX (anything with a
backslash or a brace, read by `latex_input`). Plain math is read by the small recursive-descent parser
below, which builds SymPy objects from a fixed table of names; every error names the column.

Bounds keep any input fast: its length, its bracket depth, and the size of exact numbers it would
create (`9^9^9` is refused, not computed).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import sympy as sp

from gradwise.errors import InputError
from gradwise.derivations import functions as fn

MAX_LENGTH = 10_000
MAX_DEPTH = 100
MAX_INTEGER_BITS = 20_000  # exact numbers larger than this (about 6,000 digits) are refused

GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma "
         "tau upsilon phi chi psi omega").split()
GREEK_LETTERS = dict(zip("αβγδεζηθικλμνξοπρστυφχψω", GREEK))

ONE_ARG = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "sec": sp.sec, "csc": sp.csc, "cot": sp.cot,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "acot": sp.acot, "asec": sp.asec, "acsc": sp.acsc,
    "arcsin": sp.asin, "arccos": sp.acos, "arctan": sp.atan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "asinh": sp.asinh, "acosh": sp.acosh,
    "atanh": sp.atanh, "arsinh": sp.asinh, "arcosh": sp.acosh, "artanh": sp.atanh,
    "exp": sp.exp, "ln": sp.log, "sqrt": sp.sqrt, "abs": sp.Abs,
    "log2": lambda u: sp.log(u, 2), "log10": lambda u: sp.log(u, 10),
    "sigmoid": fn.sigmoid, "σ": fn.sigmoid, "relu": fn.relu, "ReLU": fn.relu, "softplus": fn.softplus,
    "erf": sp.erf, "gelu": fn.gelu, "GELU": fn.gelu, "sign": sp.sign, "sgn": sp.sign,
}
MANY_ARGS = {"max": sp.Max, "min": sp.Min, "logsumexp": fn.logsumexp}
FUNCTION_NAMES = set(ONE_ARG) | set(MANY_ARGS) | {"log", "softmax"}
CONSTANTS = {"pi": sp.pi, "π": sp.pi, "e": sp.E}


def symbol(name: str) -> sp.Symbol:
    """The one way gradwise makes a variable: real-valued, so |x|' = sign(x) and √(x²) = |x|."""
    return sp.Symbol(name, real=True)


def is_latex(text: str) -> bool:
    """Whether text is LaTeX rather than plain math."""
    return "\\" in text or "{" in text


def parse(text: str) -> sp.Basic:
    """Read plain math or LaTeX into a SymPy expression (or a Matrix, for `[...]`)."""
    check_size(text)
    if is_latex(text):
        from gradwise.derivations.latex_input import parse_latex
        return parse_latex(text)
    return _Parser(text).parse()


def parse_variables(text: str) -> list[sp.Symbol]:
    """Read a list of variable names such as `x,y` or `w1, b`."""
    names = [t.strip() for t in text.split(",")]
    out = []
    for name in names:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*|[α-ω]", name or ""):
            raise InputError(f"'{name}' is not a variable name", text)
        out.append(symbol(GREEK_LETTERS.get(name, name)))
    return out


def check_size(text: str) -> None:
    """Refuse input too long to read in bounded time."""
    if len(text) > MAX_LENGTH:
        raise InputError(f"input is too long ({len(text):,} characters; the limit is {MAX_LENGTH:,})",
                         text)
    if not text.strip():
        raise InputError("empty input", text)


def exact_number(literal: str, text: str = "", column: int | None = None) -> sp.Rational:
    """The exact value of a numeral such as 1.5e-3, refusing one too large to hold (1e999999)."""
    mantissa, _, exponent = literal.lower().partition("e")
    digits = len(mantissa.replace(".", "").lstrip("0")) + abs(int(exponent or 0)) if exponent.lstrip("+-").isdigit() \
        else len(mantissa)
    if digits * 3.33 > MAX_INTEGER_BITS:
        raise InputError("number too large to compute exactly", text, column)
    return sp.Rational(literal)


def bounded_pow(base: sp.Expr, exponent: sp.Expr, text: str = "", column: int | None = None) -> sp.Expr:
    """base**exponent, refusing exact numbers too large to compute (their size is estimated first)."""
    if base.is_number and exponent.is_number and exponent.is_real and base.is_finite:
        try:
            b = abs(float(sp.N(base, 15)))
            e = float(sp.N(exponent, 15))
        except (TypeError, ValueError, OverflowError):
            b, e = 2.0, math.inf
        if b not in (0.0, 1.0) and abs(e) * abs(math.log2(b)) > MAX_INTEGER_BITS and exponent.is_Integer:
            raise InputError("number too large to compute exactly "
                             f"(about {abs(e) * abs(math.log10(b)):.3g} digits)", text, column)
        if not math.isfinite(e):
            raise InputError("exponent too large to compute", text, column)
    return sp.Pow(base, exponent)


# ----------------------------------------------------------------------------------------------------
# Plain math

@dataclass(frozen=True)
class Token:
    kind: str   # "num", "name", "op", "end"
    text: str
    column: int  # 1-based


_TOKEN = re.compile(r"""
    (?P<num>(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)
  | (?P<name>[A-Za-z][A-Za-z0-9_]*|[α-ωΑ-Ω]|∂[A-Za-zα-ω][A-Za-z0-9_]*|∂)
  | (?P<op>\*\*|[-+*/^()\[\],·×−'])
  | (?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)
  | (?P<space>\s+)
""", re.VERBOSE)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def tokenize(text: str) -> list[Token]:
    """Split plain math into tokens; an unknown character is an error at its column."""
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise InputError(f"unexpected character '{text[pos]}'", text, pos + 1)
        kind = m.lastgroup
        if kind == "sup":
            tokens.append(Token("op", "^", pos + 1))
            tokens.append(Token("num", m.group().translate(_SUPERSCRIPT), pos + 1))
        elif kind != "space":
            value = {"·": "*", "×": "*", "−": "-", "**": "^"}.get(m.group(), m.group())
            tokens.append(Token(kind, value, pos + 1))
        pos = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    """Recursive descent over the grammar

        sum     := product (('+' | '-') product)*
        product := unary (('*' | '/' | <juxtaposition>) unary)*
        unary   := ('-' | '+') unary | power
        power   := postfix ('^' unary)?              (right-associative: 2^3^2 = 2^9)
        postfix := primary ('[' number ']')*          (a component of softmax(...))
        primary := number | name | name '(' args ')' | name argument | '(' sum ')' | '[' list ']'

    A function name without brackets takes the next factor: `sin x^2` is sin(x²), `sin x cos x` is
    sin(x)·cos(x) and `sin x e^x` is sin(x)·eˣ; a leading number takes the factors after it too, so
    `sin 2x` is sin(2x). A name of several letters that is not a known name is read as a
    product of single-letter variables (`xy` is x·y); digits and underscores keep a name whole (`w1`, `x_i`).
    """

    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def error(self, problem: str, token: Token | None = None) -> InputError:
        token = token or self.tok
        return InputError(problem, self.text, token.column)

    def expect(self, op: str) -> Token:
        if self.tok.kind == "op" and self.tok.text == op:
            return self.advance()
        found = "the end of the input" if self.tok.kind == "end" else f"'{self.tok.text}'"
        raise self.error(f"expected '{op}' but found {found}")

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"brackets nested too deeply (more than {MAX_DEPTH} levels)")

    def unnest(self):
        self.depth -= 1

    # -- grammar
    def parse(self) -> sp.Basic:
        if self.tok.kind == "end":
            raise self.error("empty input")
        value = self.sum()
        if self.tok.kind != "end":
            raise self.error(f"unexpected '{self.tok.text}'")
        return value

    def sum(self) -> sp.Basic:
        value = self.product()
        while self.at_op("+", "-"):
            op = self.advance()
            rhs = self.product()
            value = _combine(value, rhs, op.text, self, op)
        return value

    def starts_factor(self) -> bool:
        t = self.tok
        return t.kind in ("num", "name") or (t.kind == "op" and t.text in ("(", "["))

    def product(self) -> sp.Basic:
        value = self.unary()
        while True:
            if self.at_op("*", "/"):
                op = self.advance()
                if not self.starts_factor() and not self.at_op("-", "+"):
                    raise self.error(f"expected something after '{op.text}'")
                rhs = self.unary()
                value = _combine(value, rhs, op.text, self, op)
            elif self.starts_factor():
                op = self.tok
                value = _combine(value, self.power(), "*", self, op)
            else:
                return value

    def unary(self) -> sp.Basic:
        if self.at_op("-", "+"):
            op = self.advance()
            self.nested()
            operand = self.unary()
            self.unnest()
            return -operand if op.text == "-" else operand
        return self.power()

    def power(self) -> sp.Basic:
        base = self.postfix()
        if self.at_op("^"):
            op = self.advance()
            if self.tok.kind == "end":
                raise self.error("expected an exponent after '^'")
            self.nested()
            exponent = self.unary()
            self.unnest()
            if isinstance(base, sp.MatrixBase) or isinstance(exponent, sp.MatrixBase):
                raise self.error("a power of a vector or matrix is not supported", op)
            return bounded_pow(base, exponent, self.text, op.column)
        return base

    def postfix(self) -> sp.Basic:
        value = self.primary()
        while self.at_op("[") and isinstance(value, _Softmax):
            self.advance()
            t = self.advance()
            if t.kind != "num" or not t.text.isdigit():
                raise self.error("expected a component number", t)
            self.expect("]")
            value = value.component(int(t.text), self, t)
        if isinstance(value, _Softmax):
            raise self.error("softmax(...) is a vector: pick a component, as in softmax(x, y)[1]")
        return value

    def primary(self) -> sp.Basic:
        t = self.tok
        if t.kind == "num":
            self.advance()
            return exact_number(t.text, self.text, t.column)
        if t.kind == "name":
            return self.name()
        if self.at_op("("):
            self.advance()
            self.nested()
            if self.at_op(")"):
                raise self.error("empty brackets")
            value = self.sum()
            self.unnest()
            self.expect(")")
            return value
        if self.at_op("["):
            return self.matrix()
        if t.kind == "end":
            raise self.error("unexpected end of input")
        raise self.error(f"unexpected '{t.text}'")

    def matrix(self) -> sp.Basic:
        start = self.advance()
        self.nested()
        rows = [self.matrix_item()]
        while self.at_op(","):
            self.advance()
            rows.append(self.matrix_item())
        self.expect("]")
        self.unnest()
        if all(isinstance(r, list) for r in rows):
            if len({len(r) for r in rows}) != 1:
                raise self.error("the rows of this matrix have different lengths", start)
            return sp.ImmutableMatrix(rows)
        if any(isinstance(r, list) for r in rows):
            raise self.error("mix of numbers and rows in a matrix", start)
        return sp.ImmutableMatrix(rows)

    def matrix_item(self):
        if self.at_op("["):
            self.advance()
            self.nested()
            items = [self.sum()]
            while self.at_op(","):
                self.advance()
                items.append(self.sum())
            self.expect("]")
            self.unnest()
            return items
        return self.sum()

    def derivative_prefix(self) -> str | None:
        """The variable of a leading `d/dx` (or `∂/∂x`), if the next tokens are one."""
        t, slash, var = self.tokens[self.i:self.i + 3] if self.i + 3 <= len(self.tokens) else (None,) * 3
        if t is None or t.kind != "name" or t.text not in ("d", "∂") or not (slash.kind == "op" and slash.text == "/"):
            return None
        if var.kind == "name" and var.text[0] == t.text and len(var.text) > 1:
            return var.text[1:]
        return None

    def name(self) -> sp.Basic:
        var = self.derivative_prefix()
        if var is not None:  # d/dx x^2 sin x: the derivative of the rest of the product
            start = self.tok
            self.i += 3
            if not self.starts_factor() and not self.at_op("-", "+"):
                raise self.error(f"expected an expression after d/d{var}")
            self.nested()
            operand = self.product()
            self.unnest()
            if isinstance(operand, sp.MatrixBase):
                raise self.error("d/dx of a vector or matrix is not supported here", start)
            return sp.Derivative(operand, symbol(GREEK_LETTERS.get(var, var)))
        t = self.advance()
        name = t.text
        if name in FUNCTION_NAMES:
            return self.function(name, t)
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in GREEK_LETTERS:
            return symbol(GREEK_LETTERS[name])
        if name in GREEK or len(name) == 1 or re.search(r"[\d_]", name):
            return symbol(name)
        # juxtaposed single letters: xy = x*y
        letters = [CONSTANTS["e"] if c == "e" else symbol(c) for c in name]
        return sp.Mul(*letters)

    def function(self, name: str, t: Token) -> sp.Basic:
        power = None
        if self.at_op("^"):  # sin^2 x = (sin x)^2
            self.advance()
            p = self.advance()
            if p.kind != "num":
                raise self.error(f"after '{name}^' expected a number, as in {name}^2(x)", p)
            power = sp.Rational(p.text)
        if self.at_op("("):
            self.advance()
            self.nested()
            if self.at_op(")"):
                raise self.error(f"{name}() needs an argument")
            args = [self.sum()]
            while self.at_op(","):
                self.advance()
                args.append(self.sum())
            self.unnest()
            self.expect(")")
        else:
            if not self.starts_factor():
                raise self.error(f"expected an argument after '{name}'")
            self.nested()
            arg = self.power()
            if arg.is_number:  # sin 2x = sin(2x), but sin x e^x = sin(x)·e^x
                while self.starts_factor() and not (self.tok.kind == "name" and self.tok.text in FUNCTION_NAMES):
                    arg = _combine(arg, self.power(), "*", self, self.tok)
            self.unnest()
            args = [arg]
        value = self.apply(name, args, t)
        if power is not None:
            value = bounded_pow(value, power, self.text, t.column)
        return value

    def apply(self, name: str, args: list, t: Token) -> sp.Basic:
        for a in args:
            if isinstance(a, sp.MatrixBase):
                raise self.error(f"{name} of a vector or matrix is not supported here", t)
        try:
            if name in ONE_ARG:
                if len(args) != 1:
                    raise self.error(f"{name} takes one argument, not {len(args)}", t)
                return ONE_ARG[name](args[0])
            if name == "log":
                if len(args) == 1:
                    return sp.log(args[0])
                if len(args) == 2:
                    base = args[1]
                    if base.is_number and (base == 1 or base.is_nonpositive):
                        raise self.error(f"log base {base} is undefined (a base is positive and not 1)", t)
                    return sp.log(args[0], base)
                raise self.error(f"log takes one argument (natural log) or two (value, base), not {len(args)}", t)
            if name == "softmax":
                if len(args) < 2:
                    raise self.error("softmax needs at least two inputs", t)
                return _Softmax(tuple(args))
            if len(args) < 2 and name in ("max", "min"):
                raise self.error(f"{name} needs at least two arguments", t)
            return MANY_ARGS[name](*args)
        except InputError:
            raise
        except (TypeError, ValueError, ZeroDivisionError) as exc:
            raise self.error(f"cannot apply {name}: {exc}", t) from None


@dataclass(frozen=True)
class _Softmax:
    """softmax(...) before a component is chosen."""

    inputs: tuple

    def component(self, k: int, parser: _Parser, token: Token) -> sp.Expr:
        if not 1 <= k <= len(self.inputs):
            raise parser.error(f"softmax has components 1 to {len(self.inputs)}, not {k}", token)
        return fn.softmax(sp.Integer(k), *self.inputs)


def _combine(a, b, op: str, parser: _Parser, token: Token) -> sp.Basic:
    """a op b, with shape errors reported at the operator."""
    if isinstance(a, _Softmax) or isinstance(b, _Softmax):
        raise parser.error("softmax(...) is a vector: pick a component, as in softmax(x, y)[1]", token)
    try:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            raise parser.error("division by zero", token)
        return a / b
    except sp.ShapeError as exc:
        raise parser.error(f"shapes do not fit: {exc}", token) from None
    except TypeError:
        raise parser.error(f"cannot combine these with '{op}'", token) from None
