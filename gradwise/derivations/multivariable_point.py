"""A many-variable result at a point: its values (with notes where the function has a kink) and the
directional derivative along a vector."""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.multivariable_input import read_number
from gradwise.errors import GradwiseError


@dataclass
class Evaluation:
    """The result at a point: exact values, numbers, and notes on non-differentiable points."""

    point: dict                       # symbol -> value
    values: sp.ImmutableMatrix
    notes: list[str] = field(default_factory=list)

    @property
    def numeric(self) -> list:
        return [[float(v) for v in self.values.row(i)] for i in range(self.values.rows)]


@dataclass
class Directional:
    """D_u f = ∇f·u along the unit vector u = v/‖v‖."""

    direction: sp.ImmutableMatrix
    unit: sp.ImmutableMatrix
    expression: sp.Expr               # ∇f·u as a function
    value: sp.Expr | None             # at the point, when there is one


_KINKS = (fn.relu, sp.Abs, sp.Heaviside, sp.sign)


def evaluate_at(result: sp.ImmutableMatrix, functions: list, point: dict) -> Evaluation:
    """The result at `point`, refused where it is undefined, with notes where a function has a kink there."""
    values = result.xreplace(point).applyfunc(lambda v: sp.nsimplify(sp.simplify(v)) if v.is_Float else sp.simplify(v))
    where = ", ".join(f"{k} = {v}" for k, v in point.items())
    for v in values:
        if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I) or not v.is_finite or v.is_real is False:
            raise GradwiseError(f"the derivative is not defined at {where}")
    notes = []
    for f in functions:
        for node in sp.preorder_traversal(f):
            if isinstance(node, _KINKS) and node.args[0].xreplace(point) == 0:
                name = {fn.relu: "relu", sp.Abs: "|·|"}.get(type(node), type(node).__name__)
                notes.append(f"{name} is not differentiable where {node.args[0]} = 0, as it is at {where}; "
                             f"the value shown uses the convention {name}'(0) = 0")
            elif isinstance(node, (sp.Max, sp.Min)):
                args = [a.xreplace(point) for a in node.args]
                if len(set(args)) < len(args):
                    notes.append(f"{type(node).__name__.lower()} is not differentiable where its arguments tie, "
                                 f"as they do at {where}")
    return Evaluation(point, sp.ImmutableMatrix(values), list(dict.fromkeys(notes)))


def directional(g, direction) -> Directional:
    """D_u f of a Gradient `g` (evaluated at its point, if it has one) along `direction`."""
    parts = direction if isinstance(direction, (list, tuple)) else str(direction).split(",")
    v = sp.ImmutableMatrix([read_number(p) for p in parts])
    if len(v) != len(g.variables):
        raise GradwiseError(f"--direction has {len(v)} components but there are {len(g.variables)} variables")
    if any(p.free_symbols or not p.is_real for p in v):
        raise GradwiseError("--direction must be numbers, as in 3,4")
    norm = sp.sqrt(sum(p ** 2 for p in v))
    if norm == 0:
        raise GradwiseError("--direction must not be the zero vector")
    u = sp.ImmutableMatrix(v / norm)
    expression = sp.simplify((g.result.T * u)[0])
    value = sp.simplify((g.at.values.T * u)[0]) if g.at else None
    return Directional(v, u, expression, value)
