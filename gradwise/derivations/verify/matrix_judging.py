"""Judging a derivation in matrix notation: each line against the line before it, numerically.

Every side is read by the LaTeX reader of matgrad (`matrix_calculus.latex_reading`), with one table of
shapes for the whole derivation (declared with `shapes`, else by matgrad's conventions). A step is
judged at random matrices of those shapes, a different size for each dimension, at several samples,
with matgrad's checker and tolerances: a gradient side `∇_X f` against central finite differences of f
along random directions, any other pair of sides entry by entry. A wrong step gets its counterexample
(the matrices where the sides differ), the correct gradient from matgrad's derivation, and a diagnosis.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from gradwise.derivations.matrix_calculus import checking, expressions as e
from gradwise.derivations.matrix_calculus.derivation import gradient_of
from gradwise.derivations.matrix_calculus.latex_reading import MatrixSide, read_side
from gradwise.derivations.matrix_calculus.notation import GREEK, latex as matrix_latex, text as matrix_text
from gradwise.derivations.verify.matrix_diagnosis import diagnose
from gradwise.derivations.verify.verdict import StepVerdict
from gradwise.errors import GradwiseError, InputError, TimeLimitExceeded

SHAPE_ERRORS = ("shapes do not fit", "needs equal shapes", "needs a square matrix", "a power of a vector")
_DEFINITION = re.compile(r"\s*([A-Za-z](?:_\{?\d+\}?)?|\\[A-Za-z]+)\s*(?:\(([A-Za-z,;\s]*)\))?\s*$")
_DIFFERENTIAL = re.compile(r"\s*(?:\\mathrm\s*\{\s*d\s*\}|\\operatorname\s*\{\s*d\s*\}|d)\s*(?:\\left\s*)?[(A-Za-z{\\]")


class GradientOf:
    """∇_X f as a side is written; printed by gradwise's printers (it has SymPy's print hooks)."""

    def __init__(self, f: e.Node, wrt: str):
        self.f, self.wrt = f, wrt

    def _latex(self, printer=None) -> str:
        return rf"\nabla_{{{self.wrt}}} \left({matrix_latex(self.f)}\right)"

    def _sympystr(self, printer=None) -> str:
        return f"∇_{self.wrt}({matrix_text(self.f)})"

    __str__ = _sympystr
    __repr__ = _sympystr


class Written:
    """A side that was not read (its shapes do not fit), shown as the user wrote it."""

    def __init__(self, text: str):
        self.text = text

    def _latex(self, printer=None) -> str:
        return r"\text{" + re.sub(r"[\\{}$&#^_%~]", " ", self.text) + "}"

    def _sympystr(self, printer=None) -> str:
        return self.text

    __str__ = _sympystr
    __repr__ = _sympystr


@dataclass
class MatrixContext:
    """What the lines of a derivation have fixed so far: shapes and the names defined (f = ...)."""

    shapes: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)
    declared: frozenset = frozenset()


@dataclass(frozen=True)
class _Read:
    side: MatrixSide | None
    error: str | None = None
    shape_error: bool = False


def judge_matrix_chain(sides: list[tuple[str, int]], context: MatrixContext, first_index: int,
                       chain: int) -> list[StepVerdict]:
    """The verdicts on the steps of one chain A = B = C written in matrix notation."""
    differentials = bool(_DIFFERENTIAL.match(sides[0][0])) and not sides[0][0].lstrip().startswith(r"\det")
    verdicts: list[StepVerdict] = []
    start = 0
    name = _definition_name(sides[0][0], context) if len(sides) > 1 and not differentials else None
    if name is not None:
        read = _read(sides[1][0], context, differentials)
        if read.side is not None and not read.side.is_gradient:
            context.names[name] = read.side.tree
            context.shapes.update(read.side.shapes or {})
            verdicts.append(StepVerdict(first_index, sides[1][1], sides[0][0], sides[1][0], Written(sides[0][0]),
                                        read.side.tree,
                                        True, "definition", chain=chain))
            start = 1
    reads = {start: _read(sides[start][0], context, differentials)}
    for k in range(start, len(sides) - 1):
        reads[k + 1] = _read(sides[k + 1][0], context, differentials, _expected_shape(reads[k], context))
        index = first_index + len(verdicts)
        verdicts.append(judge_matrix_step(index, sides[k], sides[k + 1], reads[k], reads[k + 1], context, chain))
    return verdicts


def _definition_name(text: str, context: MatrixContext) -> str | None:
    m = _DEFINITION.match(text)
    if not m:
        return None
    name = m.group(1).lstrip("\\").replace("_", "").replace("{", "").replace("}", "")
    if name in context.names or name in context.declared or name in ("I",):
        return None
    return name


def _expected_shape(read: _Read, context: MatrixContext) -> tuple | None:
    """The shape the next side should have: the variable's for a gradient, else this side's."""
    side = read.side
    if side is None:
        return None
    if side.is_gradient:
        return next((v.shape for v in e.variables(side.tree) if v.name == side.wrt), None)
    return e.shape(side.tree)


def _read(text: str, context: MatrixContext, differentials: bool, like: tuple | None = None) -> _Read:
    try:
        side = read_side(text, context.shapes, differentials=differentials, names=context.names, like=like)
    except TimeLimitExceeded:
        raise
    except InputError as exc:
        return _Read(None, exc.problem, exc.problem.startswith(SHAPE_ERRORS))
    except GradwiseError as exc:
        return _Read(None, str(exc))
    except RecursionError:
        return _Read(None, "nested too deeply to read")
    for name, s in (side.shapes or {}).items():
        context.shapes.setdefault(name, s)
    return _Read(side)


def judge_matrix_step(index: int, a: tuple[str, int], b: tuple[str, int], ra: _Read, rb: _Read,
                      context: MatrixContext, chain: int) -> StepVerdict:
    """The verdict on the step a = b (texts with their lines, and how each was read)."""
    base = dict(index=index, line=b[1], lhs_text=a[0], rhs_text=b[0], chain=chain,
                lhs=_shown(ra.side), rhs=_shown(rb.side))
    bad = next(((r, t) for r, t in ((ra, a), (rb, b)) if r.side is None), None)
    if bad is not None:
        read, (text, line) = bad
        if read.shape_error:
            base.update(lhs=base["lhs"] or Written(a[0]), rhs=base["rhs"] or Written(b[0]))
            return StepVerdict(**base, valid=False, method="shapes", mistake="shape_mismatch",
                               diagnosis_text=read.error, reason=f"line {line}: {read.error}")
        return StepVerdict(**base, valid=False, method="unreadable", reason=f"line {line}: {read.error}: {text}")
    try:
        problem = _Problem.of(ra.side, rb.side, context)
    except GradwiseError as exc:
        return StepVerdict(**base, valid=False, method="undecided", reason=str(exc))
    if problem.shape_words:
        finding = diagnose(problem)
        where = _counterexample(problem, None) if problem.samples else {"values": None, "left": None, "right": None}
        return StepVerdict(**base, valid=False, method="shapes", reason=problem.shape_words,
                           counterexample=where["values"], left_value=where["left"], right_value=where["right"],
                           wording=finding.wording if finding else None,
                           diagnosis_text=None if finding else problem.shape_words,
                           mistake=finding.mistake if finding else "shape_mismatch",
                           correct=problem.correct)
    result = problem.judge(problem.samples)
    if result.valid:
        return StepVerdict(**base, valid=True, method="numeric", points=result.samples)
    if result.samples == 0:
        return StepVerdict(**base, valid=False, method="undecided",
                           reason="found no point where both sides are defined, to compare them at")
    finding = diagnose(problem)
    where = _counterexample(problem, result)
    return StepVerdict(**base, valid=False, method="numeric", counterexample=where["values"],
                       left_value=where["left"], right_value=where["right"],
                       wording=finding.wording if finding else None, mistake=finding.mistake if finding else None,
                       correct=problem.correct, reason=where["words"])


def _shown(side: MatrixSide | None):
    if side is None:
        return None
    return GradientOf(side.tree, side.wrt) if side.is_gradient else side.tree


@dataclass
class _Problem:
    """One step made numeric: `target` is what the left side means (the gradient, derived and checked by
    matgrad, for a gradient side), `answer` the right side; the samples are shared by every test."""

    left: MatrixSide
    right: MatrixSide
    X: e.Var
    f: e.Node | None               # the function, when a side is a gradient
    answer: e.Node
    target: e.Node | None          # the correct value of the left side, as an expression
    sizes: dict
    samples: list
    correct: e.Node | None = None
    shape_words: str = ""

    @classmethod
    def of(cls, left: MatrixSide, right: MatrixSide, context: MatrixContext) -> "_Problem":
        if right.is_gradient and not left.is_gradient:
            left, right = right, left
        if right.is_gradient:
            raise GradwiseError("both sides are gradients: write the gradient on one side only")
        answer = right.tree
        if left.is_gradient:
            f = left.tree
            if e.shape(f) != e.SCALAR:
                raise GradwiseError(f"∇_{left.wrt} of {matrix_text(f)}, which is not a scalar "
                                    f"({e.shape_text(e.shape(f))}): the gradient is of a scalar function")
            X = next(v for v in e.variables(f) if v.name == left.wrt)
            try:
                correct = gradient_of(f, X, context.shapes, left.text).result
            except GradwiseError:
                correct = None
            trees = (f, answer) + ((correct,) if correct is not None else ())
        else:
            f, correct = None, None
            X = _differential_variable(left.tree, answer)
            trees = (left.tree, answer)
        sizes = _sizes(trees, context)
        samples = checking.samples(trees[0], X, sizes, others=trees[1:])
        target = correct if left.is_gradient else left.tree
        problem = cls(left, right, X, f, answer, target, sizes, samples, correct)
        problem.shape_words = problem.shape_problem()
        return problem

    def concrete(self, node: e.Node) -> tuple:
        return checking.concrete(e.shape(node), self.sizes)

    def shape_problem(self) -> str:
        want = self.concrete(self.target) if self.target is not None else self.concrete(self.X)
        got = self.concrete(self.answer)
        if got == want or (self.target is None and self.f is not None and got == self.concrete(self.X)):
            return ""
        right = f"the right side {matrix_text(self.answer)} is {e.shape_text(e.shape(self.answer))}"
        if self.f is None:
            return f"the left side {matrix_text(self.left.tree)} is {e.shape_text(e.shape(self.left.tree))}, but {right}"
        return (f"∇_{self.X.name} {matrix_text(self.f)} has the shape of {self.X.name} "
                f"({e.shape_text(self.X.shape)}), but {right}")

    def judge(self, samples: list, answer: e.Node | None = None):
        """The verdict on `answer` (default the right side) at `samples`: against finite differences of f
        for a gradient, entry by entry otherwise."""
        answer = self.answer if answer is None else answer
        if self.f is not None:
            if checking.concrete(e.shape(answer), self.sizes) != self.concrete(self.X):
                return checking.FiniteDifferenceCheck(False, len(samples), float("inf"))
            return checking.check_gradient(answer, self.f, self.X, samples, self.sizes)
        return checking.compare(self.left.tree, answer, self.X, samples, self.sizes)

    def values(self, node: e.Node, sample: checking.Sample) -> np.ndarray:
        return np.asarray(checking.evaluate(node, sample.values, self.X, sample.direction, self.sizes), dtype=float)


def _differential_variable(*trees: e.Node) -> e.Var:
    """The variable whose differential appears (dx), else any variable (no direction is needed)."""
    found = {n.arg for t in trees for n in e.walk(t) if isinstance(n, e.Differential) and isinstance(n.arg, e.Var)}
    if len(found) > 1:
        raise GradwiseError("differentials of several variables ("
                            + ", ".join(sorted("d" + v.name for v in found)) + "): take one variable at a time")
    if found:
        return found.pop()
    names = [v for t in trees for v in e.variables(t)]
    if not names:
        return e.var("_", e.SCALAR)
    return names[0]


def _sizes(trees: tuple, context: MatrixContext) -> dict:
    """One number for each named size: declared numbers stay, others get 3, 4, 2, 5, ... (all different)."""
    out: dict = {}
    used = set()
    for tree in trees:
        for d in e.dims(tree):
            if d not in out:
                out[d] = next(n for n in checking.SIZES + tuple(range(10, 40)) if n not in used)
                used.add(out[d])
    return out


def _counterexample(problem: _Problem, result) -> dict:
    """The small matrices where the sides differ, both values there and the entry that differs most."""
    sample = getattr(result, "worst", None) or problem.samples[0]
    values = {GREEK.get(name, name): np.round(np.asarray(v, dtype=float), 6).tolist()
              for name, v in sample.values.items()}
    try:
        left = problem.values(problem.target, sample) if problem.target is not None else None
        right = problem.values(problem.answer, sample)
    except (checking.NotDefined, ValueError):
        left = right = None
    sizes = ", ".join(f"{d} = {n}" for d, n in problem.sizes.items())
    words = f"at {sizes}" if sizes else "at the values below"
    if left is not None and right is not None and left.shape == right.shape:
        k = int(np.argmax(np.abs(left - right)))
        i, j = np.unravel_index(k, left.shape)
        entry = f"entry {i + 1}" if left.shape[1] == 1 else f"entry ({i + 1}, {j + 1})"
        words += f", left ≠ right in {entry}: {left[i, j]:.6g} against {right[i, j]:.6g}"
    elif problem.f is not None:
        words += ": ⟨right side, V⟩ differs from the finite difference of f along V"
    return {"values": values, "words": words,
            "left": np.round(left, 6).tolist() if left is not None else None,
            "right": np.round(right, 6).tolist() if right is not None else None}
