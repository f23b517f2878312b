"""Reading matrix expressions (`x^T A x`, `log(det(X))`, `-y^T log(softmax(W x))`) safely.

Built on the same principles as `gradwise.derivations.parsing`, and on its pieces: the same size
limits, the same tokenizer (extended by a few characters of matrix notation: `{ } ‖ ⊙ ᵀ _`), a
recursive-descent parser over a fixed table of names, every error one line with its column. Nothing
is ever evaluated as Python.

Shapes are inferred while parsing (the rules are in `shapes.py`): an uppercase letter is a matrix, a
lowercase letter a (column) vector, a Greek letter a scalar, unless `shapes` says otherwise
(`{"x": ("n", 1), "A": (3, 3)}`). Unknown sizes are unified through products, sums and functions; a
product that cannot fit is an error naming the product.
"""
from __future__ import annotations

import re

import sympy as sp

from gradwise.derivations import parsing as base
from gradwise.derivations.function_registry import MATRIX_ELEMENTWISE
from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.notation import GREEK
from gradwise.derivations.matrix_calculus.shapes import ParsedExpression, ShapeRules, _Dims
from gradwise.derivations.matrix_calculus.shapes import parse_shapes  # noqa: F401 (callers import it here)
from gradwise.errors import InputError

_EXTRA = re.compile(r"[{}‖⊙∘ᵀ_]")
_EXTRA_KIND = {"{": "(", "}": ")"}  # braces group like brackets: X^{-1} = X^(-1)
ELEMENTWISE = {name: r.name for name, r in MATRIX_ELEMENTWISE.items()}  # name read -> node name
MATRIX_FUNCTIONS = {"tr", "trace", "Tr", "det", "logdet", "norm", "sum", "softmax", "logsumexp", "lse", "inv",
                    "sqrt"}
FUNCTIONS = set(ELEMENTWISE) | MATRIX_FUNCTIONS


def tokenize(text: str) -> list[base.Token]:
    """The plain-math tokenizer of `gradwise.derivations.parsing`, plus `{ } ‖ ⊙ ∘ ᵀ _`."""
    tokens: list[base.Token] = []
    start = 0
    for m in list(_EXTRA.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        if end > start:
            try:
                part = base.tokenize(text[start:end])
            except InputError as exc:
                raise InputError(exc.problem, text, (exc.column or 1) + start) from None
            tokens += [base.Token(t.kind, t.text, t.column + start) for t in part[:-1]]
        if m:
            char = {"∘": "⊙"}.get(m.group(), m.group())
            tokens.append(base.Token("op", _EXTRA_KIND.get(char, char), m.start() + 1))
            start = m.end()
    tokens.append(base.Token("end", "", len(text) + 1))
    return tokens


def parse_matrix(text: str, shapes: dict[str, tuple] | None = None, *, differentials: bool = False,
                 like: tuple | None = None) -> ParsedExpression:
    """Read a matrix expression; `shapes` fixes the shapes of some variables. With `differentials`,
    `diff(U)` is the differential dU (the LaTeX reader writes d(U) and dX so); `shown` is the text
    `like` is the shape the whole is expected to have, when known (it sizes a lone I)."""
    base.check_size(text)
    if "\\" in text:
        raise InputError("LaTeX is read by latex_reading.read_side, not here: write x^T A x, "
                         "log(det(X)), norm(x)^2", text, text.index("\\") + 1)
    parser = _Parser(text, shapes or {})
    parser.differentials = differentials
    parser.like = like
    return parser.parse()


class _Parser(ShapeRules):
    """Recursive descent over

        sum      := product (('+' | '-') product)*
        product  := unary (('*' | '⊙' | '/' | <juxtaposition>) unary)*
        unary    := ('-' | '+') unary | postfix
        postfix  := primary ("'" | 'ᵀ' | '^' exponent)*      exponent: T, -1, -T, a whole number
        primary  := number | name | name '(' args ')' | '(' sum ')' | '‖' sum '‖' ('_' ('F' | '2'))?
    """

    def __init__(self, text: str, declared: dict):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.norm_depth = 0
        self.dims = _Dims()
        self.declared = declared
        self.var_shapes: dict[str, tuple] = {}
        self.shape_of: dict[e.Node, tuple] = {}
        self.identity_columns: dict = {}   # the size of each I -> where it was written
        self.differentials = False
        self.like = None

    # -- helpers
    @property
    def tok(self) -> base.Token:
        return self.tokens[self.i]

    def advance(self) -> base.Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def error(self, problem: str, token: base.Token | None = None) -> InputError:
        return InputError(problem, self.text, (token or self.tok).column)

    def at_op(self, *ops) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def expect(self, op: str) -> base.Token:
        if self.at_op(op):
            return self.advance()
        found = "the end of the input" if self.tok.kind == "end" else f"'{self.tok.text}'"
        raise self.error(f"expected '{op}' but found {found}")

    def nested(self):
        self.depth += 1
        if self.depth > base.MAX_DEPTH:
            raise self.error(f"brackets nested too deeply (more than {base.MAX_DEPTH} levels)")

    # -- grammar
    def parse(self) -> ParsedExpression:
        if self.tok.kind == "end":
            raise self.error("empty input")
        tree = self.sum()
        if self.tok.kind != "end":
            raise self.error(f"unexpected '{self.tok.text}'")
        if self.like is not None and self.shape(tree) != e.SCALAR:
            for dim, want in zip(self.shape(tree), self.like):
                self.dims.unify(dim, want)
        return self.finish(tree)

    def sum(self) -> e.Node:
        value = self.product()
        while self.at_op("+", "-"):
            op = self.advance()
            rhs = self.product()
            value = self.combine_sum(value, rhs if op.text == "+" else self.negate(rhs), op)
        return value

    def starts_factor(self) -> bool:
        t = self.tok
        if t.kind in ("num", "name"):
            return True
        if self.at_op("‖"):
            return self.norm_depth == 0
        return self.at_op("(")

    def product(self) -> e.Node:
        value = self.unary()
        while True:
            if self.at_op("*", "/", "⊙"):
                op = self.advance()
                if not self.starts_factor() and not self.at_op("-", "+"):
                    raise self.error(f"expected something after '{op.text}'")
                rhs = self.unary()
                if op.text == "*":
                    value = self.combine_product(value, rhs, op)
                elif op.text == "/":
                    value = self.divide(value, rhs, op)
                else:
                    value = self.combine_hadamard(value, rhs, op)
            elif self.starts_factor():
                op = self.tok
                value = self.combine_product(value, self.postfix(), op)
            else:
                return value

    def unary(self) -> e.Node:
        if self.at_op("-", "+"):
            op = self.advance()
            self.nested()
            operand = self.unary()
            self.depth -= 1
            return self.negate(operand) if op.text == "-" else operand
        return self.postfix()

    def postfix(self) -> e.Node:
        value = self.primary()
        while True:
            if self.at_op("'", "ᵀ"):
                self.advance()
                value = self.transpose(value)
            elif self.at_op("^"):
                op = self.advance()
                value = self.exponent(value, op)
            else:
                return value

    def exponent(self, value: e.Node, op: base.Token) -> e.Node:
        if self.tok.kind == "end":
            raise self.error("expected an exponent after '^'")
        if self.tok.kind == "name" and self.tok.text.startswith("T") and len(self.tok.text) > 1 \
                and self.tok.text not in FUNCTIONS:
            # x^TAx: the T is the transpose, the rest of the name follows
            t = self.tokens[self.i]
            self.tokens[self.i:self.i + 1] = [base.Token("name", "T", t.column),
                                              base.Token("name", t.text[1:], t.column + 1)]
        if self.at_op("("):
            start = self.advance()
            words = []
            while not self.at_op(")"):
                if self.tok.kind == "end" or len(words) > 3:
                    raise self.error("expected ')' to close the exponent", start)
                words.append(self.advance().text)
            self.advance()
        else:
            words = [self.advance().text]
            if words == ["-"]:
                words.append(self.advance().text)
        word = "".join(words).replace("−", "-")
        if word in ("T", "top", "⊤"):
            return self.transpose(value)
        if word == "-1":
            return self.inverse(value, op)
        if word == "-T":
            return self.transpose(self.inverse(value, op))
        if re.fullmatch(r"\d+(\.\d+)?|\d+/\d+|-\d+", word) or re.fullmatch(r"-?\d+/\d+", word):
            return self.raise_power(value, sp.Rational(word), op)
        raise self.error(f"unsupported exponent '{word}': use ^T, ^-1, ^-T or a number", op)

    def primary(self) -> e.Node:
        t = self.tok
        if t.kind == "num":
            self.advance()
            return self.made(e.const(sp.Rational(t.text)), e.SCALAR)
        if t.kind == "name":
            return self.name()
        if self.at_op("("):
            self.advance()
            self.nested()
            if self.at_op(")"):
                raise self.error("empty brackets")
            value = self.sum()
            self.depth -= 1
            self.expect(")")
            return value
        if self.at_op("‖") and self.norm_depth == 0:
            self.advance()
            self.norm_depth += 1
            inner = self.sum()
            self.norm_depth -= 1
            self.expect("‖")
            kind = None
            if self.at_op("_"):
                self.advance()
                k = self.advance()
                if k.text not in ("F", "2", "fro"):
                    raise self.error("a norm subscript is 2 or F", k)
                kind = "F" if k.text in ("F", "fro") else "2"
            return self.norm(inner, kind, t)
        if t.kind == "end":
            raise self.error("unexpected end of input")
        raise self.error(f"unexpected '{t.text}'")

    def name(self) -> e.Node:
        t = self.advance()
        name = t.text
        if name in FUNCTIONS or (name == "diff" and self.differentials):
            return self.function(name, t)
        if self.at_op("(") and len(name) > 1 and name not in GREEK and not re.search(r"[\d_]", name):
            raise self.error(f"unknown function '{name}'", t)
        if name == "ones":   # the ones vector 1 (the LaTeX reader's \\mathbf{1}); its size comes from use
            n = self.dims.fresh()
            self.identity_columns[n] = t.column
            return self.made(e.Ones(rows=n, cols=1), (n, 1))
        if name == "I":
            n = self.dims.fresh()
            self.identity_columns[n] = t.column
            return self.made(e.Identity(n=n), (n, n))
        greek = base.GREEK_LETTERS.get(name, name)
        if greek in GREEK or len(name) == 1 or re.search(r"[\d_]", name):
            return self.variable(greek, t)
        # juxtaposed letters: Ax = A·x
        value = self.variable(name[0], t)
        for k, c in enumerate(name[1:], start=1):
            letter = base.Token("name", c, t.column + k)
            value = self.combine_product(value, self.variable(c, letter), letter)
        return value

    def variable(self, name: str, t: base.Token) -> e.Node:
        if name not in self.var_shapes:
            if name in self.declared:
                s = tuple(self.declared[name])
            elif name in GREEK:
                s = e.SCALAR
            elif name[0].isupper():
                s = (self.dims.fresh(), self.dims.fresh())
            else:
                s = (self.dims.fresh(), 1)
            self.var_shapes[name] = s
        node = e.Var(name=name, shape=("?", name))  # placeholder shape, fixed by finish()
        return self.made(node, self.var_shapes[name])

    def arguments(self, name: str, t: base.Token) -> list:
        if not self.at_op("("):
            raise self.error(f"{name} needs brackets: {name}(...)")
        self.advance()
        self.nested()
        if self.at_op(")"):
            raise self.error(f"{name}() needs an argument")
        args = [self.sum()]
        while self.at_op(","):
            self.advance()
            if name == "norm" and self.tok.kind in ("name", "num") and self.tok.text in ("2", "F", "fro"):
                args.append(self.advance().text)
            else:
                args.append(self.sum())
        self.depth -= 1
        self.expect(")")
        return args

    def function(self, name: str, t: base.Token) -> e.Node:
        args = self.arguments(name, t)
        if name == "norm":
            if len(args) > 2 or (len(args) == 2 and not isinstance(args[1], str)):
                raise self.error("norm takes a vector or matrix and optionally 2 or F: norm(x), norm(X, F)", t)
            return self.norm(args[0], ({"fro": "F"}.get(args[1], args[1]) if len(args) == 2 else None), t)
        if len(args) != 1:
            raise self.error(f"{name} takes one argument, not {len(args)}", t)
        a = args[0]
        if name in ELEMENTWISE:
            if name in ("log", "ln") and isinstance(a, e.Det):
                return self.made(e.LogDet(a.args), e.SCALAR)
            node = e.func(ELEMENTWISE[name], a)
            return self.made(node, self.shape(a))
        if name in ("tr", "trace", "Tr"):
            self.square(a, "the trace", t)
            return self.made(e.Trace((a,)), e.SCALAR)
        if name == "det":
            self.square(a, "the determinant", t)
            return self.made(e.Det((a,)), e.SCALAR)
        if name == "logdet":
            self.square(a, "the log-determinant", t)
            return self.made(e.LogDet((a,)), e.SCALAR)
        if name == "inv":
            return self.inverse(a, t)
        if name == "diff":
            return self.made(e.d(a), self.shape(a))
        if name == "sum":
            return self.made(e.Sum((a,)), e.SCALAR)
        if name == "sqrt":
            return self.raise_power(a, sp.Rational(1, 2), t)
        # softmax, logsumexp: of a column vector
        r, c = self.shape(a)
        if c != 1 or r == 1:
            raise self.error(f"{name} takes a vector, but {self.shape_words(a)}", t)
        if name == "softmax":
            return self.made(e.Softmax((a,)), (r, c))
        return self.made(e.LogSumExp((a,)), e.SCALAR)
