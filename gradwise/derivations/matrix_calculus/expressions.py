"""The matrix expression tree: nodes for vectors, matrices and scalars, each with a shape.

Vectors are columns (n×1); a scalar is 1×1. A dimension is an int or a name ("n", "m"). Nodes are
frozen dataclasses, so equal expressions compare and hash equal (the simplifier relies on it).
`shape(node)` computes a node's shape from its variables; the parser has already checked that every
product fits, so here a mismatch is an engine bug.

Nodes print themselves through the project's printers: `_sympystr` (SymPy's str style, `(A + A.T)*x`,
or Unicode for gradwise's text printer) and `_latex`, both written in `notation.py`, which imports this
module and registers them in `PRINTERS` (the package's `__init__` imports it, so they are always there).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Union

import sympy as sp

from gradwise.derivations.function_registry import MATRIX_ELEMENTWISE
from gradwise.errors import EngineError

Dim = Union[int, str]
Shape = tuple  # (rows, cols) of Dim
SCALAR: Shape = (1, 1)

#: the elementwise functions (the registry's records with matrix-notation names), by node name
ELEMENTWISE = tuple(dict.fromkeys(r.name for r in MATRIX_ELEMENTWISE.values()))
# functions that appear only in derivatives: H (the unit step, relu's derivative) and 1/u
INTERNAL_ELEMENTWISE = ("step", "recip")


#: "text", "latex", "sympy_str" -> the printer of a node, registered by `notation`
PRINTERS: dict[str, Callable[["Node"], str]] = {}


@dataclass(frozen=True)
class Node:
    """A matrix expression; `args` are its sub-expressions."""

    args: tuple = ()

    def rebuild(self, args) -> "Node":
        return replace(self, args=tuple(args))

    @property
    def arg(self) -> "Node":
        return self.args[0]

    def _sympystr(self, printer) -> str:
        # gradwise's Unicode printer (a StrPrinter with the `literal` switch) gets matrix notation;
        # SymPy's plain str gets SymPy's spelling of matrix expressions
        return PRINTERS["text" if hasattr(printer, "literal") else "sympy_str"](self)

    def _latex(self, printer) -> str:
        return PRINTERS["latex"](self)

    def __str__(self) -> str:
        return PRINTERS["sympy_str"](self)

    __repr__ = __str__


# ---------------------------------------------------------------------------------------------------- leaves

@dataclass(frozen=True, repr=False)
class Var(Node):
    """A variable: a matrix (uppercase), a vector (lowercase) or a scalar (Greek), with its shape."""

    name: str = ""
    shape: Shape = SCALAR


@dataclass(frozen=True, repr=False)
class Const(Node):
    """A number (a scalar)."""

    value: sp.Rational = sp.S.One


@dataclass(frozen=True, repr=False)
class Identity(Node):
    """The n×n identity I."""

    n: Dim = "n"


@dataclass(frozen=True, repr=False)
class Ones(Node):
    """The all-ones matrix or vector 1 (rows×cols)."""

    rows: Dim = "n"
    cols: Dim = 1


@dataclass(frozen=True, repr=False)
class Zero(Node):
    """The zero matrix of a shape."""

    rows: Dim = 1
    cols: Dim = 1


# ---------------------------------------------------------------------------------------------------- operations

@dataclass(frozen=True, repr=False)
class Add(Node):
    """A sum of terms of one shape."""


@dataclass(frozen=True, repr=False)
class Mul(Node):
    """A product: matrix products, where a 1×1 factor multiplies like a scalar."""


@dataclass(frozen=True, repr=False)
class Hadamard(Node):
    """The elementwise product a ⊙ b, or the elementwise quotient a ⊘ b when `divide`."""

    divide: bool = False


@dataclass(frozen=True, repr=False)
class Transpose(Node):
    """Xᵀ."""


@dataclass(frozen=True, repr=False)
class Inverse(Node):
    """X⁻¹ of a square matrix (or 1/α of a scalar)."""


@dataclass(frozen=True, repr=False)
class Trace(Node):
    """tr(X), the sum of the diagonal of a square matrix."""


@dataclass(frozen=True, repr=False)
class Det(Node):
    """det(X)."""


@dataclass(frozen=True, repr=False)
class LogDet(Node):
    """log det(X), for det(X) > 0."""


@dataclass(frozen=True, repr=False)
class Norm(Node):
    """‖x‖₂ of a vector (kind "2") or ‖X‖_F of a matrix (kind "F")."""

    kind: str = "2"


@dataclass(frozen=True, repr=False)
class Power(Node):
    """αⁿ of a scalar α (a rational exponent)."""

    exponent: sp.Rational = sp.S.One


@dataclass(frozen=True, repr=False)
class Func(Node):
    """An elementwise function of ELEMENTWISE (exp, log, tanh, sigmoid, ...; step, recip in derivatives)."""

    name: str = "exp"


@dataclass(frozen=True, repr=False)
class Sum(Node):
    """sum(X): the sum of all entries."""


@dataclass(frozen=True, repr=False)
class Softmax(Node):
    """softmax(u) of a vector: exp(u) / sum(exp(u))."""


@dataclass(frozen=True, repr=False)
class LogSumExp(Node):
    """logsumexp(u) = log sum(exp(u)) of a vector."""


@dataclass(frozen=True, repr=False)
class Diag(Node):
    """diag(u): the square matrix with the vector u on its diagonal."""


@dataclass(frozen=True, repr=False)
class Differential(Node):
    """d(U): the differential of an expression."""


SCALAR_VALUED = (Trace, Det, LogDet, Norm, Power, Sum, LogSumExp, Const)


# ---------------------------------------------------------------------------------------------------- constructors

def var(name: str, shape: Shape) -> Var:
    return Var(name=name, shape=tuple(shape))


def const(value) -> Const:
    return Const(value=sp.Rational(value))


def zeros(s: Shape) -> Zero:
    return Zero(rows=s[0], cols=s[1])


def ones(s: Shape) -> Ones:
    return Ones(rows=s[0], cols=s[1])


def T(a: Node) -> Node:
    return Transpose((a,))


def inv(a: Node) -> Node:
    return Inverse((a,))


def d(a: Node) -> Node:
    return Differential((a,))


def func(name: str, a: Node) -> Node:
    return Func((a,), name=name)


def power(a: Node, exponent) -> Node:
    return Power((a,), exponent=sp.Rational(exponent))


def mul(*factors: Node) -> Node:
    """A product, flattened where that keeps its meaning; one factor is returned as itself.

    A product in first place always flattens (products group from the left); a later one flattens
    unless it is a 1×1 product standing as a scalar: A (xᵀy) is not A xᵀ y.
    """
    flat: list[Node] = []
    for f in factors:
        if isinstance(f, Mul) and flattens_into(f, flat):
            flat.extend(f.args)
        else:
            flat.append(f)
    return flat[0] if len(flat) == 1 else Mul(tuple(flat))


def flattens_into(inner: "Mul", before: list) -> bool:
    """Whether the product `inner` can join the factors `before` it without brackets.

    Products group from the left, where a 1×1 result multiplies like a scalar; so inner may join unless
    some of its leading factors make a 1×1 that would then multiply what stands before it as a matrix:
    A (xᵀy) is not A xᵀ y, and A (aᵀ X b I) is not A aᵀ X b I.
    """
    if not before or all(shape(g) == SCALAR for g in before):
        return True
    if shape(inner) == SCALAR:
        return False
    current = SCALAR
    for f in inner.args[:-1]:
        current = product_shape(current, shape(f))
        if current is None:
            return False
        if shape(f) != SCALAR and current == SCALAR:
            return False
    return True


def add(*terms: Node) -> Node:
    """A sum, flattened; one term is returned as itself."""
    flat: list[Node] = []
    for t in terms:
        flat.extend(t.args if isinstance(t, Add) else (t,))
    return flat[0] if len(flat) == 1 else Add(tuple(flat))


def neg(a: Node) -> Node:
    return mul(const(-1), a)


def hadamard(a: Node, b: Node, divide: bool = False) -> Node:
    return Hadamard((a, b), divide=divide)


# ---------------------------------------------------------------------------------------------------- shapes

def product_shape(a: Shape, b: Shape) -> Shape | None:
    """The shape of a·b, where a 1×1 factor multiplies like a scalar; None when they do not fit."""
    if a == SCALAR:
        return b
    if b == SCALAR:
        return a
    if a[1] != b[0]:
        return None
    return (a[0], b[1])


@lru_cache(maxsize=65536)
def shape(node: Node) -> Shape:
    """The shape of an expression whose products are known to fit."""
    if isinstance(node, Var):
        return node.shape
    if isinstance(node, Identity):
        return (node.n, node.n)
    if isinstance(node, (Ones, Zero)):
        return (node.rows, node.cols)
    if isinstance(node, SCALAR_VALUED):
        return SCALAR
    if isinstance(node, Mul):
        current = shape(node.args[0])
        for f in node.args[1:]:
            s = product_shape(current, shape(f))
            if s is None:
                raise EngineError(f"the product {node} does not fit")
            current = s
        return current
    if isinstance(node, Transpose):
        r, c = shape(node.arg)
        return (c, r)
    if isinstance(node, Diag):
        n = shape(node.arg)[0]
        return (n, n)
    if isinstance(node, Hadamard):  # a scalar times a matrix elementwise is the matrix's shape
        a, b = shape(node.args[0]), shape(node.args[1])
        return b if a == SCALAR else a
    if isinstance(node, Add):
        for t in node.args:
            s = shape(t)
            if s != SCALAR:
                return s
        return SCALAR
    return shape(node.arg)   # Inverse, Func, Softmax, Differential keep their argument's shape


def is_scalar(node: Node) -> bool:
    return shape(node) == SCALAR


def is_vector(node: Node) -> bool:
    r, c = shape(node)
    return c == 1 and r != 1


def contains(node: Node, target: Node) -> bool:
    """Whether `target` occurs in `node`."""
    if node == target:
        return True
    return any(contains(a, target) for a in node.args)


def has_differential(node: Node) -> bool:
    return isinstance(node, Differential) or any(has_differential(a) for a in node.args)


def variables(node: Node) -> list[Var]:
    """The variables of an expression, in order of first appearance."""
    out: list[Var] = []
    for v in _walk(node):
        if isinstance(v, Var) and v not in out:
            out.append(v)
    return out


def _walk(node: Node):
    yield node
    for a in node.args:
        yield from _walk(a)


def walk(node: Node):
    """Every sub-expression, the node first, depth first."""
    return _walk(node)


def substitute(node: Node, old: Node, new: Node) -> Node:
    """The expression with every occurrence of `old` replaced by `new`."""
    if node == old:
        return new
    if not node.args:
        return node
    return node.rebuild(substitute(a, old, new) for a in node.args)


def dims(node: Node) -> list[Dim]:
    """The named dimensions the expression's shapes use, in order of appearance."""
    out: list[Dim] = []
    for v in _walk(node):
        for dim in _node_dims(v):
            if isinstance(dim, str) and dim not in out:
                out.append(dim)
    return out


def _node_dims(v: Node) -> tuple:
    if isinstance(v, Var):
        return v.shape
    if isinstance(v, Identity):
        return (v.n,)
    if isinstance(v, (Ones, Zero)):
        return (v.rows, v.cols)
    return ()


def shape_text(s: Shape) -> str:
    """'n×n', 'n×1', '1×1'."""
    return f"{s[0]}×{s[1]}"


def kind_of(s: Shape) -> str:
    """'scalar', 'vector' (a column), 'row vector' or 'matrix'."""
    if s == SCALAR:
        return "scalar"
    if s[1] == 1:
        return "vector"
    if s[0] == 1:
        return "row vector"
    return "matrix"
