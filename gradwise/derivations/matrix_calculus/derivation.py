"""`matrix_gradient("x^T A x", "x")`: ∂f/∂X in matrix notation, derived by the differential method, checked.

Every line of the derivation (each rule applied inside df, each term brought to tr(Gᵀ dX), and the
result) is compared with central finite differences along random directions at random matrices of the
declared shapes before it is returned; a line that fails is an engine bug (`EngineError`).
"""
from __future__ import annotations

from dataclasses import dataclass

from gradwise.derivations.display import Displayable
from gradwise.derivations.limits import time_limit
from gradwise.derivations.matrix_calculus import checking, expressions as e
from gradwise.derivations.matrix_calculus.checking import FiniteDifferenceCheck
from gradwise.derivations.matrix_calculus.differentials import (DifferentialStep, TermStep, differentiate_steps,
                                                                expand, gradient_form, written_form)
from gradwise.derivations.matrix_calculus.expressions import SCALAR, shape
from gradwise.derivations.matrix_calculus.numpy_code import compile_module, module_code
from gradwise.derivations.matrix_calculus.parsing import parse_matrix
from gradwise.derivations.matrix_calculus.shapes import parse_shapes
from gradwise.derivations.steps import EqualityStep
from gradwise.errors import EngineError, GradwiseError

LAYOUT = "denominator"


@dataclass
class MatrixGradient(Displayable):
    """∂f/∂X of a scalar function of vectors and matrices, with its differential-method derivation."""

    input: str
    expression: e.Node
    variable: e.Var
    shapes: dict
    differential_steps: list[DifferentialStep]
    df: e.Node
    term_steps: list[TermStep]
    collected: e.Node                 # the sum of the terms' gradients, as they came
    result: e.Node                    # G, simplified: ∂f/∂X
    sizes: dict                       # the sizes the check used
    collect_step: EqualityStep        # df = tr(Gᵀ dX): the result read off; its check is the result's
    expand_step: EqualityStep | None = None   # df multiplied out, when that changes it

    kind = "matrix_gradient"
    layout = LAYOUT

    @property
    def steps(self) -> tuple:
        expand = (self.expand_step,) if self.expand_step else ()
        return (*self.differential_steps, *expand, *self.term_steps, self.collect_step)

    @property
    def result_check(self) -> FiniteDifferenceCheck:
        """The check of the result: the gradient against finite differences of f."""
        return self.collect_step.check

    def check_of(self, step) -> FiniteDifferenceCheck | None:
        """How this step was checked: the check stored on the step."""
        return step.check

    @property
    def variable_kind(self) -> str:
        return e.kind_of(self.variable.shape)

    @property
    def notes(self) -> list[str]:
        """Where f is not differentiable or not defined, and the conventions used there."""
        return domain_notes(self.expression)

    def numpy_code(self) -> str:
        """A Python module computing f (`value`) and the gradient (`grad_<X>`) with NumPy."""
        return module_code(self.expression, self.result, self.variable, "; ".join(self.notes))

    def compile(self):
        """The gradient as a NumPy function of the variables (in order of appearance); `.value` is f."""
        return compile_module(self.numpy_code(), self.variable, "; ".join(self.notes))


def matrix_gradient(expression: str, wrt: str | None = None, *, shapes: dict | str | None = None,
                    timeout: float | None = None, seed: int = 0) -> MatrixGradient:
    """∂f/∂X for a scalar f written in matrix notation ("x^T A x", "log(det(X))", or LaTeX as
    "\\|Xw - y\\|^2"), checked numerically."""
    with time_limit(timeout):
        declared = parse_shapes(shapes)
        if "\\" in expression:   # LaTeX: the reader `check` uses, translated to this notation
            from gradwise.derivations.matrix_calculus.latex_reading import to_plain
            parsed = parse_matrix(to_plain(expression), declared)
        else:
            parsed = parse_matrix(expression, declared)
        f = parsed.tree
        if shape(f) != SCALAR:
            raise GradwiseError(f'matgrad differentiates a scalar function, but "{expression}" is '
                                f"{e.shape_text(shape(f))}; for a vector function use gradwise jacobian")
        X = _variable(f, wrt, expression, parsed.shapes)
        return gradient_of(f, X, parsed.shapes, expression, seed)


def gradient_of(f: e.Node, X: e.Var, shapes: dict, expression: str, seed: int = 0) -> MatrixGradient:
    """∂f/∂X of a tree already read (by `parse_matrix` or the LaTeX reader), derived and checked."""
    df, dsteps = differentiate_steps(f, X)
    if isinstance(df, e.Zero):
        raise GradwiseError(f'"{expression}" does not depend on {X.name}')
    expanded = expand(df)
    expand_step = EqualityStep("expand", df, expanded) if expanded != df else None
    G, tsteps = gradient_form(expanded, X)
    collected = e.add(*[t.gradient for t in tsteps])
    collect_step = EqualityStep("collect", df, written_form(G, X))
    sizes = _check_all(f, X, dsteps + ([expand_step] if expand_step else []), tsteps, G, collect_step,
                       seed, expression)
    return MatrixGradient(expression, f, X, shapes, dsteps, df, tsteps, collected, G, sizes, collect_step,
                          expand_step)


def _check_all(f, X, dsteps, tsteps, G, collect_step: EqualityStep, seed: int, expression: str) -> dict:
    """Check every line at random points and store each check on its step (the result's on `collect_step`);
    the sizes used. First with a different size for each named dimension (so a transposed answer cannot
    pass by symmetry), then, where that leaves a matrix singular, all sizes 3."""
    named = checking.sizes_for(f)
    for sizes in (named, {d: 3 for d in named}):
        samples = checking.samples(f, X, sizes, seed=seed)
        if not samples:
            continue
        checks = [(step, checking.check_line(step.after, f, X, samples, sizes)) for step in dsteps]
        checks += [(step, checking.check_equal(step.before, step.after, X, samples, sizes)) for step in tsteps]
        result_check = checking.check_gradient(G, f, X, samples, sizes)
        if result_check.samples == 0 or any(c.samples == 0 for _, c in checks):
            continue
        for step, check in checks:
            _must_pass(check, step.rule, step.after)
            step.checked(check)
        _must_pass(result_check, "result", G)
        collect_step.checked(result_check)
        return sizes
    raise GradwiseError(f'found no point where "{expression}" and its derivative are defined, to check the '
                        "result at")


def _variable(f: e.Node, wrt, text: str, shapes: dict) -> e.Var:
    names = [v.name for v in e.variables(f)]
    if not names:
        raise GradwiseError(f'"{text}" has no variables to differentiate')
    if wrt is None:
        if len(names) != 1:
            raise GradwiseError(f'"{text}" has several variables ({", ".join(names)}); say which with --wrt')
        wrt = names[0]
    from gradwise.derivations.parsing import GREEK_LETTERS
    wrt = GREEK_LETTERS.get(str(wrt).strip(), str(wrt).strip())
    if wrt not in names:
        raise GradwiseError(f'"{text}" does not contain the variable {wrt}' + (
            f" (its variables: {', '.join(names)})" if names else ""))
    return e.var(wrt, shapes[wrt])


def _must_pass(check: FiniteDifferenceCheck, rule: str, line: e.Node) -> FiniteDifferenceCheck:
    if not check.valid:
        raise EngineError(f"the {rule} line {line} failed its finite-difference check "
                          f"(relative error {check.max_error:.2g} over {check.samples} samples)")
    return check


def domain_notes(f: e.Node) -> list[str]:
    """Sentences about the points where f or its gradient is not defined."""
    notes = []
    for node in e.walk(f):
        if isinstance(node, e.Norm) and not (isinstance(node, e.Norm) and _squared(f, node)):
            notes.append(f"‖{_show(node.arg)}‖ is not differentiable where {_show(node.arg)} = 0")
        elif isinstance(node, e.Func) and node.name == "relu":
            notes.append(f"relu is not differentiable where an entry of {_show(node.arg)} is 0; "
                         "there the derivative H(0) = 0 is used, as in PyTorch")
        elif isinstance(node, e.LogDet):
            notes.append(f"log det({_show(node.arg)}) needs det({_show(node.arg)}) > 0")
        elif isinstance(node, e.Inverse):
            notes.append(f"{_show(node.arg)} must be invertible")
        elif isinstance(node, e.Func) and node.name == "log" and not _positive(node.arg):
            notes.append(f"log({_show(node.arg)}) needs positive entries")
    return list(dict.fromkeys(notes))


def _positive(node: e.Node) -> bool:
    """Whether every entry is positive whatever the variables are (so a log of it needs no note)."""
    if isinstance(node, (e.Softmax, e.Ones, e.Norm)) or (isinstance(node, e.Func) and node.name in ("exp", "sigmoid")):
        return True
    if isinstance(node, e.Const):
        return node.value > 0
    if isinstance(node, (e.Add, e.Hadamard)):
        return all(_positive(a) for a in node.args)
    if isinstance(node, e.Mul):
        return all(_positive(a) for a in node.args) and all(e.shape(a) == e.SCALAR or isinstance(a, e.Ones)
                                                         for a in node.args[:-1])
    return False


def _squared(f: e.Node, norm: e.Norm) -> bool:
    return any(isinstance(n, e.Power) and n.arg == norm and n.exponent == 2 for n in e.walk(f)) and \
        sum(1 for n in e.walk(f) if n == norm) == sum(1 for n in e.walk(f) if isinstance(n, e.Power) and n.arg == norm)


def _show(node: e.Node) -> str:
    from gradwise.derivations.matrix_calculus.notation import text
    return text(node)
