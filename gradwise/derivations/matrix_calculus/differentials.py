"""The rules of the differential method, and the two moves of a matrix-calculus derivation.

1. `differentiate_steps(f, X)`: write df = d(f) and apply one differential rule at a time (the product
   rule for differentials, d(X⁻¹) = −X⁻¹ dX X⁻¹, d log det X = tr(X⁻¹ dX), ...) until only dX is left.
2. `gradient_form(df, X)`: bring each term of df, a scalar linear in dX, to the form tr(Gᵀ dX) with the
   trace identities (a scalar is its own trace, tr(AB) = tr(BA), tr(Aᵀ) = tr(A),
   tr(Aᵀ(B ⊙ C)) = tr((A ⊙ B)ᵀ C)); then ∂f/∂X = G (denominator layout: G has the shape of X).

Rule ids are stable (the explainer, the JSON output and the tests use them); `COOKBOOK` gives the
equation of The Matrix Cookbook (Petersen & Pedersen, version of 15 November 2012) each rule is.
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from gradwise.derivations.function_registry import BY_CLASS, BY_NAME
from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.expressions import SCALAR, shape
from gradwise.derivations.matrix_calculus.simplify import simplify, tidy
from gradwise.derivations.steps import Step
from gradwise.errors import EngineError, GradwiseError

MAX_STEPS = 200
MAX_NODES = 20_000

#: rule or identity id -> the equations of The Matrix Cookbook (2012) it is, or follows from: the one home
#: of the citations every document shows. Checked against the 2012 text: (33) ∂A = 0, (34) ∂(αX) = α∂X,
#: (35) sum, (36) trace, (37) product, (38) Hadamard, (40) inverse, (42) determinant, (43) log-determinant,
#: (44) transpose; (13) Tr(A) = Tr(Aᵀ), (16) Tr(ABC) = Tr(BCA) = Tr(CAB). d(AUB) = A dU B is not in the
#: list: it is ∂A = 0 (33) with the product rule (37) applied twice.
COOKBOOK: dict[str, tuple[str, ...]] = {
    "constant": ("33",), "constant_factor": ("33", "37"), "sum": ("35",), "trace": ("36",), "product": ("37",),
    "hadamard": ("38",), "inverse": ("40",), "determinant": ("42",), "log_determinant": ("43",),
    "transpose": ("44",), "trace_cyclic": ("16",), "trace_transpose": ("13",)}


def cookbook_citation(rule: str) -> str | None:
    """The citation a document shows for a rule or identity: "Cookbook 37", "Cookbook 33 and 37"; None if
    the rule is not from the Cookbook."""
    equations = COOKBOOK.get(rule)
    if not equations:
        return None
    return "Cookbook " + (equations[0] if len(equations) == 1 else ", ".join(equations[:-1]) + " and " + equations[-1])


@dataclass(frozen=True)
class DifferentialStep(Step):
    """One rule applied inside df: `before` = `after`, both linear in dX; `target` is the d(·) rewritten."""

    rule: str
    before: e.Node
    after: e.Node
    target: e.Node            # the d(U) the rule rewrote
    replacement: e.Node       # what d(U) became
    substeps: tuple = ()


@dataclass(frozen=True)
class TermStep(Step):
    """One term of df brought to the gradient form: term = tr(Gᵀ dX) (gᵀ dx for a vector)."""

    rule: str                 # "gradient_form"
    before: e.Node            # the term
    after: e.Node             # the term written as tr(Gᵀ dX), gᵀ dx or g dα
    gradient: e.Node          # G, simplified
    identities: tuple         # the trace identities used, in order
    substeps: tuple = ()


# ---------------------------------------------------------------------------------------------------- 1. df

def differentiate_steps(f: e.Node, X: e.Var) -> tuple[e.Node, list[DifferentialStep]]:
    """df, and the steps from d(f) to an expression whose only differential is dX."""
    current = e.d(f)
    steps: list[DifferentialStep] = []
    while True:
        target = _next_differential(current, X)
        if target is None:
            return current, steps
        if len(steps) >= MAX_STEPS:
            raise GradwiseError("the expression is too large to differentiate step by step "
                                f"(more than {MAX_STEPS} rules)")
        rule, replacement = differential_rule(target.arg, X)
        after = tidy(e.substitute(current, target, replacement))
        if _size(after) > MAX_NODES:
            raise GradwiseError(f"the differential grows too large to show step by step (more than {MAX_NODES:,} "
                                "symbols); try a smaller expression")
        steps.append(DifferentialStep(rule, current, after, target, replacement))
        current = after


def _size(node: e.Node) -> int:
    return 1 + sum(_size(a) for a in node.args)


def _next_differential(node: e.Node, X: e.Var) -> e.Node | None:
    """The leftmost outermost d(U) with U other than X."""
    if isinstance(node, e.Differential):
        return None if node.arg == X else node
    for a in node.args:
        found = _next_differential(a, X)
        if found is not None:
            return found
    return None


def differential_rule(u: e.Node, X: e.Var) -> tuple[str, e.Node]:
    """The rule for d(u) and what d(u) becomes."""
    if not e.contains(u, X):
        return "constant", e.zeros(shape(u))
    if isinstance(u, e.Add):
        varying = [t for t in u.args if e.contains(t, X)]
        return "sum", e.add(*[e.d(t) for t in varying])
    if isinstance(u, e.Mul):
        return _product_rule(u, X)
    if isinstance(u, e.Transpose):
        return "transpose", e.T(e.d(u.arg))
    if isinstance(u, e.Inverse):
        return "inverse", e.mul(e.const(-1), u, e.d(u.arg), u)
    if isinstance(u, e.Trace):
        return "trace", e.Trace((e.d(u.arg),))
    if isinstance(u, e.Det):
        return "determinant", e.mul(u, e.Trace((e.mul(e.inv(u.arg), e.d(u.arg)),)))
    if isinstance(u, e.LogDet):
        return "log_determinant", e.Trace((e.mul(e.inv(u.arg), e.d(u.arg)),))
    if isinstance(u, e.Power):
        if isinstance(u.arg, e.Norm) and u.exponent == 2:
            return "squared_norm", e.mul(e.const(2), _inner(u.arg.arg, e.d(u.arg.arg)))
        n = u.exponent
        return "power", e.mul(e.const(n), e.power(u.arg, n - 1), e.d(u.arg)) if n != 1 else e.d(u.arg)
    if isinstance(u, e.Norm):
        return "norm", e.mul(e.power(u, -1), _inner(u.arg, e.d(u.arg)))
    if isinstance(u, e.Hadamard):
        a, b = u.args
        terms = []
        if e.contains(a, X):
            terms.append(e.hadamard(e.d(a), b))
        if e.contains(b, X):
            terms.append(e.hadamard(a, e.d(b)))
        return "hadamard", e.add(*terms)
    if isinstance(u, e.Func):
        if u.name == "log" and isinstance(u.arg, e.Softmax):
            v = u.arg.arg
            n = shape(v)[0]
            return "log_softmax", e.add(e.d(v), e.neg(e.mul(e.Ones(rows=n, cols=1), e.T(u.arg), e.d(v))))
        return u.name, _elementwise(u.name, u.arg, e.d(u.arg))
    if isinstance(u, e.Sum):
        return "sum_entries", e.Sum((e.d(u.arg),))
    if isinstance(u, e.LogSumExp):
        return "logsumexp", e.mul(e.T(e.Softmax((u.arg,))), e.d(u.arg))
    if isinstance(u, e.Softmax):
        s = u
        return "softmax", e.mul(e.add(e.Diag((s,)), e.neg(e.mul(s, e.T(s)))), e.d(u.arg))
    raise EngineError(f"no differential rule for {u}")


def _inner(a: e.Node, b: e.Node) -> e.Node:
    """⟨a, b⟩ written as aᵀ b for vectors and tr(aᵀ b) for matrices."""
    r, c = shape(a)
    if c == 1:
        return e.mul(e.T(a), b)
    if r == 1:
        return e.mul(a, e.T(b))
    return e.Trace((e.mul(e.T(a), b),))


def _product_rule(u: e.Mul, X: e.Var) -> tuple[str, e.Node]:
    factors = list(u.args)
    varying = [i for i, f in enumerate(factors) if e.contains(f, X)]
    terms = [e.mul(*[e.d(f) if j == i else f for j, f in enumerate(factors)]) for i in varying]
    return ("product" if len(varying) > 1 else "constant_factor"), e.add(*terms)


def derivative_factor(name: str, u: e.Node) -> e.Node:
    """f'(u) for an elementwise function f, as an expression of u's shape: the registry's derivative of
    f, a SymPy expression of one variable, applied entrywise."""
    record = BY_NAME.get(name)
    if record is None or record.derivative is None:
        raise EngineError(f"no derivative for the elementwise function {name}")
    t = sp.Dummy("t")
    return entrywise(record.derivative(t), t, u)


def entrywise(expr: sp.Expr, t: sp.Symbol, u: e.Node) -> e.Node:
    """The SymPy expression `expr` of the scalar t, applied to each entry of u, as a tree of u's shape
    (products become ⊙, 1 the all-ones matrix, 1/v the entrywise reciprocal)."""
    scalar = shape(u) == SCALAR
    if expr == t:
        return u
    if expr.is_Number:
        return e.const(expr) if scalar else (e.ones(shape(u)) if expr == 1 else e.mul(e.const(expr), e.ones(shape(u))))
    if expr.is_Add:
        return e.add(*(entrywise(a, t, u) for a in expr.args))
    if expr.is_Mul:
        coefficient, rest = expr.as_coeff_mul()
        # a sum last, as in f ⊙ (1 − f)
        factors = [entrywise(a, t, u) for a in sorted(rest, key=lambda a: a.is_Add)]
        body = factors[0]
        for f in factors[1:]:
            body = e.mul(body, f) if scalar else e.hadamard(body, f)
        return body if coefficient == 1 else (e.neg(body) if coefficient == -1 else e.mul(e.const(coefficient), body))
    if expr.is_Pow and expr.exp.is_Integer:
        base, n = entrywise(expr.base, t, u), int(expr.exp)
        if scalar:
            return e.power(base, n)
        power = base
        for _ in range(abs(n) - 1):
            power = e.hadamard(power, base)
        return power if n > 0 else e.func("recip", power)
    if isinstance(expr, sp.Heaviside):
        return e.func("step", entrywise(expr.args[0], t, u))
    record = BY_CLASS.get(type(expr))
    if record is not None and record.matrix and len(expr.args) == 1:
        return e.func(record.name, entrywise(expr.args[0], t, u))
    raise EngineError(f"matrix notation has no entrywise form of {expr}")


def _elementwise(name: str, u: e.Node, du: e.Node) -> e.Node:
    factor = derivative_factor(name, u)
    if shape(u) == SCALAR:
        return e.mul(factor, du)
    if name == "log":
        return e.hadamard(du, u, divide=True)
    return e.hadamard(factor, du)


# ---------------------------------------------------------------------------------------------------- 2. tr(Gᵀ dX)

def expand(df: e.Node) -> e.Node:
    """df with products multiplied out over the sums that hold a differential, so each term of the
    result holds one chain: −yᵀ (dW x − 1 sᵀ dW x) = −yᵀ dW x + yᵀ 1 sᵀ dW x."""
    return tidy(e.add(*_expanded_terms(df)))


def _expanded_terms(node: e.Node) -> list[e.Node]:
    if isinstance(node, e.Add):
        return [t for a in node.args for t in _expanded_terms(a)]
    if isinstance(node, e.Mul):
        for i, f in enumerate(node.args):
            if isinstance(f, e.Add) and e.has_differential(f):
                left, right = node.args[:i], node.args[i + 1:]
                return [t for term in f.args for t in _expanded_terms(_distributed(left, term, right))]
    return [node]


def _distributed(left: tuple, term: e.Node, right: tuple) -> e.Node:
    """left · term · right as one product, a 1×1 term staying grouped where it must."""
    return e.mul(*left, term, *right) if left or right else term


def gradient_form(df: e.Node, X: e.Var) -> tuple[e.Node, list[TermStep]]:
    """G with df = tr(Gᵀ dX), and one step per term of df."""
    terms = list(df.args) if isinstance(df, e.Add) else [df]
    steps: list[TermStep] = []
    contributions: list[e.Node] = []
    for term in terms:
        identities: list[str] = []
        parts = _adjoint(term, e.const(1), X, identities)
        g = simplify(e.add(*parts)) if parts else e.zeros(X.shape)
        contributions.append(g)
        if shape(X) != SCALAR and shape(X)[1] != 1 and not _is_trace(term):
            identities.insert(0, "scalar_trace")
        steps.append(TermStep("gradient_form", term, written_form(g, X), g, tuple(dict.fromkeys(identities))))
    return simplify(e.add(*contributions)), steps


def _is_trace(term: e.Node) -> bool:
    """tr(M), or a number times it: already a trace."""
    if isinstance(term, e.Mul):
        rest = [f for f in term.args if not isinstance(f, e.Const)]
        return len(rest) == 1 and isinstance(rest[0], e.Trace)
    return isinstance(term, e.Trace)


def written_form(g: e.Node, X: e.Var) -> e.Node:
    """tr(Gᵀ dX) for a matrix, gᵀ dx for a vector, g dα for a scalar."""
    if shape(X) == SCALAR:
        return e.mul(g, e.d(X))
    if shape(X)[1] == 1:
        return e.mul(_transposed(g), e.d(X))
    return e.Trace((e.mul(_transposed(g), e.d(X)),))


def _transposed(g: e.Node) -> e.Node:
    """gᵀ as written in tr(Gᵀ dX): (A x)ᵀ, (X⁻ᵀ)ᵀ; a transposed g loses its transpose."""
    return g.arg if isinstance(g, e.Transpose) and not isinstance(g.arg, e.Inverse) else e.T(g)


def _adjoint(E: e.Node, g: e.Node, X: e.Var, used: list[str]) -> list[e.Node]:
    """The G's with ⟨g, E⟩ = tr(gᵀ E) = Σ tr(Gᵀ dX), for E linear in dX."""
    if isinstance(E, e.Differential):
        if E.arg != X:
            raise EngineError(f"d({E.arg}) left in df")
        return [g]
    if not e.has_differential(E):
        return []
    if isinstance(E, e.Add):
        return [p for t in E.args for p in _adjoint(t, g, X, used)]
    if isinstance(E, e.Transpose):
        used.append("trace_transpose")
        return _adjoint(E.arg, e.T(g), X, used)
    if isinstance(E, e.Mul):
        factors = list(E.args)
        i = next(k for k, f in enumerate(factors) if e.has_differential(f))
        F, L, R = factors[i], factors[:i], factors[i + 1:]
        if any(e.has_differential(f) for f in R):
            raise EngineError(f"{E} is not linear in d{X.name}")
        if shape(F) == SCALAR and (L or R):
            # a scalar factor: tr(gᵀ (φ M)) = φ ⟨g, M⟩, with M the product of the other factors
            rest = e.mul(*L, *R)
            used.append("scalar_factor")
            return _adjoint(F, _inner(g, rest), X, used)
        if R:
            used.append("trace_cyclic")
        elif L:
            used.append("transpose_product" if len([f for f in L if shape(f) != SCALAR]) > 1 else "double_transpose")
        new = [e.T(e.mul(*L))] if L else []
        new.append(g)
        if R:
            new.append(e.T(e.mul(*R)))
        return _adjoint(F, e.mul(*new), X, used)
    if isinstance(E, e.Hadamard):
        a, b = E.args
        if E.divide:
            if e.has_differential(b):
                raise EngineError(f"{E} is not linear in d{X.name}")
            used.append("hadamard_trace")
            return _adjoint(a, e.hadamard(g, b, divide=True), X, used)
        inside, other = (a, b) if e.has_differential(a) else (b, a)
        used.append("hadamard_trace")
        return _adjoint(inside, e.hadamard(g, other), X, used)
    if isinstance(E, e.Trace):
        if not (isinstance(g, e.Const) and g.value == 1):
            used.append("trace_identity")
        return _adjoint(E.arg, e.mul(g, e.Identity(n=shape(E.arg)[0])), X, used)
    if isinstance(E, e.Sum):
        used.append("sum_ones")
        return _adjoint(E.arg, e.mul(g, e.ones(shape(E.arg))), X, used)
    raise EngineError(f"cannot bring {E} to the form tr(Gᵀ dX)")
