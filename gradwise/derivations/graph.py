"""The computational graph of a scalar expression, with the local derivative of every edge.

Backpropagation is the chain rule applied on a graph. `build_graph("sigmoid(w*x + b)", {"w": 0.5, ...})`
splits the expression into nodes, one operation each (`v1 = w·x`, `v2 = v1 + b`, `v3 = σ(v2)`), derives
the local derivative of every edge (`∂v3/∂v2 = σ(v2)(1 - σ(v2))`) with the project's checked
derivative engine, runs the forward pass (values) and the backward pass (gradients), and lists every
path from the output to each input, so that `∂f/∂x = Σ over paths Π local derivatives` can be shown term
by term.

Every number is checked: the output value against the whole expression evaluated directly, and each
gradient against SymPy's derivative of the whole expression (an independent reference; a scalar
expression typed by a person is small enough for that, unlike a network's loss, see design.md).
Numeric constants are folded into the operation that uses them (`2·x` is one node, not two), a
negated term into its sum (`a - b` is one node) and a reciprocal into its product (`a/b` is one node).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import Derivation, differentiate
from gradwise.derivations.display import Displayable
from gradwise.derivations.parsing import parse, parse_variables, symbol
from gradwise.derivations.tolerances import GRAPH_TOLERANCE, WORKING_DIGITS
from gradwise.errors import EngineError, GradwiseError

MAX_NODES = 120     # a graph a person can read; also bounds the symbolic work
MAX_PATHS_SHOWN = 16
_NODE_PREFIXES = ("v", "n", "h", "t", "q")


@dataclass(frozen=True)
class Node:
    """One node: an input variable (`definition is None`) or one operation of its input nodes."""

    index: int
    name: sp.Symbol             # the variable itself, or v1, v2, ... for operations
    expr: sp.Expr               # the part of the original expression this node computes
    definition: sp.Expr | None  # the operation in terms of its input nodes' names
    op: str                     # "+", "×", "÷", "^2", "sigmoid", ... ("input" for a variable)
    inputs: tuple[int, ...]     # indices of its input nodes
    value: float = 0.0
    grad: float = 0.0           # ∂output/∂node

    @property
    def is_input(self) -> bool:
        return self.definition is None


@dataclass(frozen=True)
class Edge:
    """From an input node to the node that uses it, labelled with the local derivative."""

    source: int                 # the input node
    target: int                 # the node that uses it
    derivation: Derivation      # ∂target/∂source by the engine, every step checked
    value: float                # the local derivative at the point

    @property
    def local(self) -> sp.Expr:
        """The local derivative in terms of the target's input nodes."""
        return self.derivation.result

    @property
    def rule(self) -> str:
        return self.derivation.orders[0].tree.rule


@dataclass(frozen=True)
class Path:
    """A path from the output down to an input: its edges in order and the product of their values."""

    edges: tuple[Edge, ...]
    product: float


@dataclass
class ComputationalGraph(Displayable):
    """The graph of an expression at a point: forward values, local derivatives, gradients, paths."""

    input: str
    expr: sp.Expr
    point: dict[str, float]
    nodes: list[Node]
    edges: list[Edge]
    paths: dict[str, list[Path]]         # by input name, at most MAX_PATHS_SHOWN each
    path_counts: dict[str, int]          # by input name, how many paths there are in all
    reference: dict[str, float] = field(default_factory=dict)   # gradients of SymPy's whole derivative
    graph_file: str = ""                 # where the drawn graph was written, if it was

    kind = "backprop"

    @property
    def output(self) -> Node:
        return self.nodes[-1]

    @property
    def value(self) -> float:
        return self.output.value

    @property
    def inputs(self) -> list[Node]:
        return [n for n in self.nodes if n.is_input]

    @property
    def gradients(self) -> dict[str, float]:
        """∂output/∂x for every input variable x."""
        return {n.name.name: n.grad for n in self.inputs}

    def edges_into(self, target: int) -> list[Edge]:
        return [e for e in self.edges if e.target == target]

    def edges_from(self, source: int) -> list[Edge]:
        return [e for e in self.edges if e.source == source]


def build_graph(expression: str | sp.Expr, at: dict[str, float] | str) -> ComputationalGraph:
    """The computational graph of `expression`, evaluated forward and backward at the point `at`."""
    text = expression if isinstance(expression, str) else str(expression)
    expr = parse(expression) if isinstance(expression, str) else _real_symbols(expression)
    if isinstance(expr, sp.MatrixBase) or not isinstance(expr, sp.Expr) or isinstance(expr, sp.Derivative):
        raise GradwiseError(f'"{text}" is not a scalar expression to build a graph of')
    if isinstance(expr, sp.Symbol):
        raise GradwiseError(f'"{text}" is a single input, f = {expr}: there is no operation to backpropagate through')
    if not expr.free_symbols:
        raise GradwiseError(f'"{text}" has no variables: there is nothing to differentiate')
    point = read_point(at) if isinstance(at, str) else {str(k): float(v) for k, v in at.items()}
    missing = sorted(s.name for s in expr.free_symbols if s.name not in point)
    if missing:
        raise GradwiseError(f"give a value for {', '.join(missing)} with --at, e.g. --at "
                            + ",".join(f"{m}=1" for m in missing))
    point = {s.name: point[s.name] for s in sorted(expr.free_symbols, key=lambda s: s.name)}
    builder = _Builder(expr)
    for s in sorted(expr.free_symbols, key=lambda s: s.name):   # inputs first, by name
        builder.node(s)
    builder.node(expr)
    nodes, edges = builder.forward_and_local(point)
    nodes = _backward(nodes, edges)
    graph = ComputationalGraph(text, expr, point, nodes, edges, {}, {})
    for leaf in graph.inputs:
        count, shown = _paths(graph, leaf.index)
        graph.path_counts[leaf.name.name] = count
        graph.paths[leaf.name.name] = shown
    graph.reference = _check(graph)
    return graph


def read_point(text: str) -> dict[str, float]:
    """`w=0.5,x=2,b=-1` as {name: value}; values may be any constant the parser reads (`1/2`, `pi`)."""
    point: dict[str, float] = {}
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        if "=" not in item:
            raise GradwiseError(f"'{item}' in --at is not NAME=VALUE (e.g. --at w=0.5,x=2)")
        name, value = (s.strip() for s in item.split("=", 1))
        (var,) = parse_variables(name)
        number = parse(value) if value else None
        if not isinstance(number, sp.Expr) or number.free_symbols or not number.is_real:
            raise GradwiseError(f"the value of {name} in --at must be a real number, not '{value}'")
        if var.name in point:
            raise GradwiseError(f"{var.name} is given twice in --at")
        v = float(sp.N(number, WORKING_DIGITS))
        if not math.isfinite(v):
            raise GradwiseError(f"the value of {name} in --at is too large for a float: '{value}'")
        point[var.name] = v
    if not point:
        raise GradwiseError("--at needs values, e.g. --at w=0.5,x=2,b=-1")
    return point


def _real_symbols(expr: sp.Expr) -> sp.Expr:
    return expr.xreplace({s: symbol(s.name) for s in expr.free_symbols})


class _Builder:
    """Splits an expression into nodes, children first (a topological order), sharing equal subterms."""

    def __init__(self, expr: sp.Expr):
        taken = {s.name for s in expr.free_symbols}
        self.prefix = next((p for p in _NODE_PREFIXES
                            if not any(n.startswith(p) and n[len(p):].isdigit() for n in taken)), "v_")
        self.nodes: list[Node] = []
        self.memo: dict[sp.Expr, int] = {}

    def node(self, e: sp.Expr) -> int:
        if e in self.memo:
            return self.memo[e]
        if len(self.nodes) >= MAX_NODES:
            raise GradwiseError(f"the expression has more than {MAX_NODES} operations: too large to show as a graph")
        if isinstance(e, sp.Symbol):
            node = Node(len(self.nodes), e, e, None, "input", ())
        else:
            children = _operands(e)
            if not children:
                raise GradwiseError(f"cannot build a graph node for {e}")
            indices = tuple(dict.fromkeys(self.node(c) for c in children))
            names = {self.nodes[i].expr: self.nodes[i].name for i in indices}
            definition = e.xreplace(names)
            k = sum(1 for n in self.nodes if not n.is_input) + 1
            node = Node(len(self.nodes), symbol(f"{self.prefix}{k}"), e, definition, _op(e), indices)
        self.nodes.append(node)
        self.memo[e] = node.index
        return node.index

    def forward_and_local(self, point: dict[str, float]) -> tuple[list[Node], list[Edge]]:
        """Node values in order, then every edge's local derivative derived and evaluated."""
        values: dict[sp.Symbol, sp.Float] = {}
        nodes, edges = [], []
        for n in self.nodes:
            if n.is_input:
                v = sp.Float(point[n.name.name], WORKING_DIGITS)
            else:
                v = _number(n.definition.xreplace(values), f"the value of {n.name} = {n.definition}")
            values[n.name] = v
            nodes.append(Node(n.index, n.name, n.expr, n.definition, n.op, n.inputs, float(v)))
        for n in self.nodes:
            for i in n.inputs:
                source = self.nodes[i].name
                d = differentiate(n.definition, source)
                local_value = _number(d.result.xreplace(values), f"the local derivative ∂{n.name}/∂{source}")
                edges.append(Edge(i, n.index, d, float(local_value)))
        return nodes, edges


def _operands(e: sp.Expr) -> list[sp.Expr]:
    """The subexpressions that become input nodes of e's node (numbers fold into the operation)."""
    if isinstance(e, sp.Add):
        out = []
        for t in e.args:
            coeff, rest = t.as_coeff_Mul()
            out.append(rest if coeff.is_Number and not rest.is_Number and not isinstance(rest, sp.Mul) else t)
        return [t for t in out if not t.is_number]
    if isinstance(e, sp.Mul):
        out = []
        for f in e.args:
            if isinstance(f, sp.Pow) and f.exp == -1 and not f.base.is_number:
                out.append(f.base)
            elif not f.is_number:
                out.append(f)
        return out
    if isinstance(e, (sp.Function, sp.Pow, sp.Abs, sp.Heaviside, sp.Max, sp.Min, sp.sign)):
        return [a for a in e.args if not a.is_number]
    raise GradwiseError(f"cannot build a graph node for {type(e).__name__}: {e}")


def _op(e: sp.Expr) -> str:
    if isinstance(e, sp.Add):
        return "+" if all(not t.could_extract_minus_sign() for t in e.args) else "−"
    if isinstance(e, sp.Mul):
        if any(isinstance(f, sp.Pow) and f.exp == -1 for f in e.args):
            return "÷"
        return "neg" if e.args[0] == -1 and len(e.args) == 2 else "×"
    if isinstance(e, sp.Pow):
        if e.exp == sp.S.Half:
            return "sqrt"
        if e.exp.is_number:
            return f"^{e.exp}"
        return "exp" if e.base == sp.E else "pow"
    if isinstance(e, fn.softmax):
        return f"softmax[{e.component}]"
    return type(e).__name__


def _number(expr: sp.Expr, what: str) -> sp.Float:
    """A real number from an expression with no symbols left; undefined values are the input's fault."""
    try:
        v = sp.N(fn.rewrite_elementary(expr) if expr.has(fn.softmax, fn.logsumexp) else expr, WORKING_DIGITS)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        v = sp.nan
    if v.free_symbols or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not v.is_real or not v.is_finite:
        raise GradwiseError(f"{what} is undefined at this point ({v}); choose another point")
    if not math.isfinite(float(v)):
        raise GradwiseError(f"{what} is {sp.Float(v, 3)}, too large for a float; choose a smaller point")
    return sp.Float(v, WORKING_DIGITS)


def _backward(nodes: list[Node], edges: list[Edge]) -> list[Node]:
    """Reverse mode: the output's gradient is 1; each node passes grad × local derivative to its inputs."""
    grads = [0.0] * len(nodes)
    grads[-1] = 1.0
    for target in reversed(range(len(nodes))):
        for e in edges:
            if e.target == target:
                grads[e.source] += grads[target] * e.value
    return [Node(n.index, n.name, n.expr, n.definition, n.op, n.inputs, n.value, g) for n, g in zip(nodes, grads)]


def _paths(graph: ComputationalGraph, leaf: int) -> tuple[int, list[Path]]:
    """How many output-to-leaf paths there are, and the first MAX_PATHS_SHOWN of them."""
    counts = [0] * len(graph.nodes)
    counts[leaf] = 1
    for n in graph.nodes:                       # children come first: count paths from each node down
        if n.index != leaf:
            counts[n.index] = sum(counts[e.source] for e in graph.edges_into(n.index))
    shown: list[Path] = []

    def walk(node: int, trail: tuple[Edge, ...]) -> None:
        if len(shown) >= MAX_PATHS_SHOWN:
            return
        if node == leaf:
            product = 1.0
            for e in trail:
                product *= e.value
            shown.append(Path(trail, product))
            return
        for e in graph.edges_into(node):
            if counts[e.source]:
                walk(e.source, trail + (e,))

    walk(graph.output.index, ())
    return counts[graph.output.index], shown


def _check(graph: ComputationalGraph) -> dict[str, float]:
    """The forward value and every gradient against the whole expression and its SymPy derivative."""
    at = {symbol(k): sp.Float(v, WORKING_DIGITS) for k, v in graph.point.items()}
    direct = float(_number(graph.expr.xreplace(at), "the expression"))
    if not _close(direct, graph.value):
        raise EngineError(f"the forward pass gives {graph.value} but the expression is {direct}")
    reference = {}
    for leaf in graph.inputs:
        exact = float(_number(sp.diff(graph.expr, leaf.name).xreplace(at), f"∂f/∂{leaf.name}"))
        if not _close(exact, leaf.grad):
            raise EngineError(f"backpropagation gives ∂f/∂{leaf.name} = {leaf.grad} but SymPy gives {exact}")
        reference[leaf.name.name] = exact
        if graph.path_counts[leaf.name.name] <= MAX_PATHS_SHOWN:
            total = sum(p.product for p in graph.paths[leaf.name.name])
            if not _close(total, leaf.grad):
                raise EngineError(f"the sum over paths for {leaf.name} is {total}, not {leaf.grad}")
    return reference


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= GRAPH_TOLERANCE * max(1.0, abs(a), abs(b))


def backprop(expression: str | sp.Expr, at: dict[str, float] | str) -> ComputationalGraph:
    """The public name: the computational graph of `expression` at `at`, forward and backward."""
    return build_graph(expression, at)
