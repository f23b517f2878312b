"""The dot product and what follows from it: lengths, the angle, cosine similarity, projection.

u·v = Σ uᵢvᵢ; ‖u‖ = √(u·u); cos θ = u·v / (‖u‖‖v‖) (cosine similarity: the angle between embeddings,
blind to their lengths); proj_v u = (u·v / v·v)·v. Each is a checked step; the answer is the steps'.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from gradwise.derivations.display import Displayable
from gradwise.derivations.limits import time_limit
from gradwise.derivations.linalg.steps import StepsAndChecks, is_zero, read_vector, simp, record, check_equal
from gradwise.derivations.steps import EqualityStep
from gradwise.errors import GradwiseError


def products_sum(u, v) -> sp.Expr:
    """u₁v₁ + u₂v₂ + ... unevaluated (doit() evaluates it): the dot product as written."""
    terms = [sp.Mul(a, b, evaluate=False) for a, b in zip(u, v)]
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def dot_step(u, v, rule: str = "dot_product") -> EqualityStep:
    """u·v as the sum of the element-wise products, checked against SymPy's own dot product."""
    step = EqualityStep(rule, products_sum(u, v), simp(sum((a * b for a, b in zip(u, v)), sp.S.Zero)),
                   info={"pairs": list(zip(u, v))})
    return check_equal(step, sp.expand(sp.Matrix(u).dot(sp.Matrix(v))))


@dataclass
class DotProduct(StepsAndChecks, Displayable):
    """u·v step by step, with the lengths, the angle, cosine similarity and the projection of u on v."""

    input: tuple[str, str]
    u: sp.ImmutableMatrix
    v: sp.ImmutableMatrix
    steps: list[EqualityStep]

    kind = "dot"


    @property
    def value(self) -> sp.Expr:
        return self.step("dot_product").after

    @property
    def cosine(self) -> sp.Expr | None:
        s = self.step("cosine_similarity")
        return s.after if s else None

    @property
    def angle(self) -> sp.Expr | None:
        s = self.step("angle")
        return s.after if s else None

    @property
    def projection(self) -> sp.ImmutableMatrix | None:
        s = self.step("projection")
        return s.after if s else None



def dot(u, v, *, timeout: float | None = None) -> DotProduct:
    """The dot product of two vectors of the same length (text like "[1,2,3]", lists or SymPy), with norms,
    angle, cosine similarity and projection, every step checked."""
    with time_limit(timeout):
        a, b = read_vector(u, "the first vector"), read_vector(v, "the second vector")
        if a.rows != b.rows:
            raise GradwiseError(f"the vectors have different lengths ({a.rows} and {b.rows}): "
                                "a dot product pairs their entries one to one")
        steps = [dot_step(a, b)]
        value = steps[0].after
        norms = []
        for name, x in (("u", a), ("v", b)):
            squares = [sp.Pow(e, 2, evaluate=False) for e in x]
            before = sp.sqrt(sp.Add(*squares, evaluate=False) if len(squares) > 1 else squares[0], evaluate=False)
            s = EqualityStep("norm", before, simp(sp.sqrt(simp(sum((e ** 2 for e in x), sp.S.Zero)))),
                        info={"name": name, "vector": x})
            steps.append(check_equal(s, sp.sqrt(sp.Matrix(x).dot(sp.Matrix(x)))))
            norms.append(s.after)
        if not any(is_zero(n) for n in norms):
            cos = simp(sp.radsimp(value / (norms[0] * norms[1]))) if not value.free_symbols else value / (norms[0] * norms[1])
            s = EqualityStep("cosine_similarity", sp.Mul(value, sp.Pow(sp.Mul(*norms, evaluate=False), -1, evaluate=False),
                                                    evaluate=False), cos, info={"norms": norms, "dot": value})
            steps.append(check_equal(s, value / (norms[0] * norms[1])))
            theta = sp.acos(cos)
            s = EqualityStep("angle", sp.Function("arccos")(cos), theta,
                        info={"cosine": cos})
            steps.append(record(s, checks_same(sp.cos(theta), cos)))
        if not is_zero(norms[1]):
            vv = simp(sum((e ** 2 for e in b), sp.S.Zero))
            coefficient = simp(value / vv)
            proj = sp.ImmutableMatrix(b.applyfunc(lambda e: simp(coefficient * e)))
            s = EqualityStep("projection", sp.MatMul(coefficient, b, evaluate=False), proj,
                        info={"dot": value, "vv": vv, "coefficient": coefficient})
            steps.append(check_equal(s, sp.ImmutableMatrix(sp.Matrix(a).project(sp.Matrix(b)))))
            # the remainder u − proj is orthogonal to v
            rest = sp.ImmutableMatrix((a - proj).applyfunc(simp))
            s = EqualityStep("orthogonal_remainder", products_sum(rest, b), sp.S.Zero, info={"remainder": rest})
            steps.append(check_equal(s))
        return DotProduct((str(u), str(v)), a, b, steps)


def checks_same(left, right):
    from gradwise.derivations.linalg.steps import same
    return same(left, right)
