"""Shapes in matrix notation: declared shapes (`--shape A=3x3,x=n`), unknown sizes unified through
products, sums and functions, and the nodes built with their shapes checked; `finish` names the sizes
that are left. The parser (`parsing.py`) reads the grammar and builds through these rules.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from gradwise.derivations import parsing as base
from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.notation import text as show
from gradwise.errors import InputError

MAX_MATRIX_POWER = 8
DIM_NAMES = "n m k p q r s t u v w".split()


def parse_shapes(text: str | dict | None) -> dict[str, tuple]:
    """`--shape A=3x3,x=n` (or `x=nx1`) as {"A": (3, 3), "x": ("n", 1)}; a dict is checked the same way."""
    out: dict[str, tuple] = {}
    if not text:
        return out
    if isinstance(text, dict):
        for name, s in text.items():
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*|[α-ω]", str(name)) or not isinstance(s, (tuple, list)) \
                    or len(s) != 2:
                raise InputError("expected {name: (rows, cols)}, as in {'A': (3, 3)}", str(text))
            out[str(name)] = tuple(_dim(str(v), str(text)) for v in s)
        return out
    for item in re.split(r"[;,]\s*(?=[^,;=]+=)", text.strip()):
        m = re.fullmatch(r"\s*([A-Za-z][A-Za-z0-9_]*|[α-ω])\s*=\s*(\d+|[A-Za-z][A-Za-z0-9_]*?)\s*"
                         r"(?:[x×*]\s*(\d+|[A-Za-z][A-Za-z0-9_]*))?\s*", item)
        if not m:
            raise InputError("expected name=RxC, as in A=3x3 or x=n", text)
        name, rows, cols = m.group(1), m.group(2), m.group(3) or "1"
        out[name] = tuple(_dim(v, text) for v in (rows, cols))
    return out


def _dim(v: str, text: str):
    if v.isdigit():
        n = int(v)
        if not 1 <= n <= 1000:
            raise InputError(f"a size must be between 1 and 1000, not {n}", text)
        return n
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", v):
        raise InputError(f"'{v}' is not a size", text)
    return v


@dataclass
class ParsedExpression:
    """The tree, with every variable's final shape."""

    text: str
    tree: e.Node
    shapes: dict[str, tuple] = field(default_factory=dict)


class _Dims:
    """Union-find over unknown sizes; a known size is an int or a declared name."""

    def __init__(self):
        self.parent: dict = {}
        self.count = 0

    def fresh(self) -> "_Unknown":
        self.count += 1
        u = _Unknown(self.count)
        self.parent[u] = u
        return u

    def find(self, d):
        while isinstance(d, _Unknown) and self.parent[d] != d:
            d = self.parent[d]
        return d

    def unify(self, a, b) -> bool:
        a, b = self.find(a), self.find(b)
        if a == b:
            return True
        if isinstance(a, _Unknown) and (isinstance(b, _Unknown) or b != 1):
            self.parent[a] = b
            return True
        if isinstance(b, _Unknown) and a != 1:
            self.parent[b] = a
            return True
        return False   # two different known sizes, or an unknown size asked to be 1


@dataclass(frozen=True)
class _Unknown:
    id: int


class ShapeRules:
    """The parser's shape bookkeeping (`self.dims`, `self.shape_of`, `self.var_shapes`) and the nodes it
    builds with their shapes checked; a mixin for `parsing._Parser`, which sets those fields."""

    def shape(self, node: e.Node) -> tuple:
        r, c = self.shape_of[node]
        return (self.dims.find(r), self.dims.find(c))

    def made(self, node: e.Node, s: tuple) -> e.Node:
        self.shape_of[node] = s
        return node

    def dim_text(self, dim) -> str:
        dim = self.dims.find(dim)
        if isinstance(dim, _Unknown):
            return DIM_NAMES[(dim.id - 1) % len(DIM_NAMES)] if dim.id <= len(DIM_NAMES) else f"n{dim.id}"
        return str(dim)

    def shape_words(self, node: e.Node, shown: e.Node | None = None) -> str:
        r, c = self.shape(node)
        return f"{show(shown or node)} is {self.dim_text(r)}×{self.dim_text(c)}"

    def square(self, a: e.Node, what: str, t: base.Token) -> None:
        r, c = self.shape(a)
        if not self.dims.unify(r, c):
            raise self.error(f"{what} needs a square matrix, but {self.shape_words(a)}", t)

    def transpose(self, a: e.Node) -> e.Node:
        r, c = self.shape(a)
        return self.made(e.T(a), (c, r))

    def inverse(self, a: e.Node, t: base.Token) -> e.Node:
        if self.shape(a) == e.SCALAR:
            return self.made(e.power(a, -1), e.SCALAR)
        self.square(a, "the inverse", t)
        return self.made(e.inv(a), self.shape(a))

    def raise_power(self, a: e.Node, exponent: sp.Rational, t: base.Token) -> e.Node:
        if self.shape(a) == e.SCALAR:
            if isinstance(a, e.Const):
                return self.made(e.const(base.bounded_pow(a.value, exponent, self.text, t.column)), e.SCALAR)
            return self.made(e.power(a, exponent), e.SCALAR)
        r, c = self.shape(a)
        if c == 1 or r == 1:
            raise self.error(f"a power of a vector is not defined ({self.shape_words(a)}); for the squared "
                             "norm write norm(x)^2 or x^T x", t)
        if exponent.q != 1 or not 1 <= exponent <= MAX_MATRIX_POWER:
            raise self.error(f"a matrix power must be a whole number from 1 to {MAX_MATRIX_POWER}", t)
        self.square(a, "a matrix power", t)
        return self.made(e.Mul((a,) * int(exponent)), self.shape(a))

    def norm(self, a: e.Node, kind: str | None, t: base.Token) -> e.Node:
        r, c = self.shape(a)
        is_vector = c == 1 or r == 1
        if kind == "2" and not is_vector:
            raise self.error("the spectral norm ‖X‖₂ of a matrix is not supported; use the Frobenius norm "
                             "norm(X, F)", t)
        return self.made(e.Norm((a,), kind="2" if (kind or ("2" if is_vector else "F")) == "2" else "F"), e.SCALAR)

    def negate(self, a: e.Node) -> e.Node:
        if isinstance(a, e.Const):
            return self.made(e.const(-a.value), e.SCALAR)
        return self.made(self.product_node(e.const(-1), a), self.shape(a))

    def product_node(self, a: e.Node, b: e.Node) -> e.Node:
        """a·b as one product; a 1×1 product on the right stays grouped (A (xᵀy) is not A xᵀ y)."""
        factors = list(a.args) if isinstance(a, e.Mul) else [a]
        if isinstance(b, e.Mul) and (b not in self.shape_of or self.shape(b) != e.SCALAR):
            factors += b.args
        else:
            factors.append(b)
        return e.Mul(tuple(factors))

    def combine_sum(self, a: e.Node, b: e.Node, op: base.Token) -> e.Node:
        a, b = self.broadcast(a, b), self.broadcast(b, a)
        sa, sb = self.shape(a), self.shape(b)
        if not (self.dims.unify(sa[0], sb[0]) and self.dims.unify(sa[1], sb[1])):
            raise self.error(f"shapes do not fit in the sum {show(a)} {op.text} {show(_positive(b))}: "
                             f"{self.shape_words(a)} but {self.shape_words(b, _positive(b))}", op)
        return self.made(e.add(a, b), self.shape(a))

    def broadcast(self, a: e.Node, other: e.Node) -> e.Node:
        """A scalar added to a vector or matrix stands for that scalar times the ones of its shape:
        1 + exp(u) is 1 + exp(u) with 1 the vector of ones."""
        if self.shape(a) != e.SCALAR or self.shape(other) == e.SCALAR:
            return a
        ones = self.made(e.Ones(rows=self.shape(other)[0], cols=self.shape(other)[1]), self.shape(other))
        if isinstance(a, e.Const) and a.value == 1:
            return ones
        return self.made(self.product_node(a, ones), self.shape(other))

    def combine_product(self, a: e.Node, b: e.Node, op: base.Token) -> e.Node:
        sa, sb = self.shape(a), self.shape(b)
        if sa == e.SCALAR or sb == e.SCALAR:
            return self.made(self.product_node(a, b), sb if sa == e.SCALAR else sa)
        if not self.dims.unify(sa[1], sb[0]):
            hint = ""
            if self.dims.find(sa[1]) == 1 and self.dims.find(sa[0]) != 1:
                hint = f" (a column vector times a matrix: did you mean {show(e.T(a))} …?)" if isinstance(a, e.Var) else ""
            raise self.error(f"shapes do not fit in the product {show(a)} · {show(b)}: {self.shape_words(a)} "
                             f"and {self.shape_words(b)}{hint}", op)
        return self.made(self.product_node(a, b), (sa[0], sb[1]))

    def combine_hadamard(self, a: e.Node, b: e.Node, op: base.Token) -> e.Node:
        sa, sb = self.shape(a), self.shape(b)
        if not (self.dims.unify(sa[0], sb[0]) and self.dims.unify(sa[1], sb[1])):
            raise self.error(f"the elementwise product {show(a)} ⊙ {show(b)} needs equal shapes: "
                             f"{self.shape_words(a)} but {self.shape_words(b)}", op)
        return self.made(e.hadamard(a, b), self.shape(a))

    def divide(self, a: e.Node, b: e.Node, op: base.Token) -> e.Node:
        if self.shape(b) != e.SCALAR:
            raise self.error(f"division by a vector or matrix is not defined ({self.shape_words(b)}); "
                             "use inv(X) or ^-1", op)
        if isinstance(b, e.Const):
            if b.value == 0:
                raise self.error("division by zero", op)
            return self.made(self.product_node(e.const(1 / b.value), a) if not isinstance(a, e.Const)
                             else e.const(a.value / b.value), self.shape(a))
        return self.made(self.product_node(a, e.power(b, -1)), self.shape(a))

    # -- the final shapes
    def finish(self, tree: e.Node) -> ParsedExpression:
        names: dict = {}
        taken = {d for s in self.declared.values() for d in s if isinstance(d, str)}
        pool = [n for n in DIM_NAMES if n not in taken] + [f"n{i}" for i in range(1, 100)]

        def resolve(dim):
            dim = self.dims.find(dim)
            if isinstance(dim, _Unknown):
                if dim not in names:
                    names[dim] = pool[len(names)]
                return names[dim]
            return dim

        shapes = {}
        for name, (r, c) in self.var_shapes.items():
            shapes[name] = (resolve(r), resolve(c))

        bound = {d for shape in shapes.values() for d in shape} | set(self.like or ())

        def fixed(dim):
            d = resolve(dim)
            if isinstance(d, str) and d not in bound:
                column = next((c for u, c in self.identity_columns.items() if resolve(u) == d), None)
                raise InputError("the size of I cannot be inferred here (nothing it multiplies or is added to "
                                 "has a size); use it with a matrix, as in X + I", self.text, column)
            return d

        def rebuild(node: e.Node) -> e.Node:
            if isinstance(node, e.Var):
                return e.var(node.name, shapes[node.name])
            if isinstance(node, e.Identity):
                return e.Identity(n=fixed(node.n))
            if isinstance(node, e.Ones):
                return e.Ones(rows=fixed(node.rows), cols=fixed(node.cols))
            if not node.args:
                return node
            return node.rebuild(rebuild(a) for a in node.args)

        return ParsedExpression(self.text, rebuild(tree), shapes)


def _positive(node: e.Node) -> e.Node:
    if isinstance(node, e.Mul) and isinstance(node.args[0], e.Const) and node.args[0].value == -1:
        rest = node.args[1:]
        return rest[0] if len(rest) == 1 else e.Mul(rest)
    return node
