"""Derived results compiled into vectorised NumPy functions: a function, its gradient and its Hessian.

`compile(expr, variables)` differentiates with `sympy.diff` (numbers never wait for prose: the
step-by-step derivation of each partial, `Compiled.derivations`, is built only when it is asked for),
takes the Hessian from the gradient, and compiles all three with `lambdify` (common subexpressions
eliminated, one function per object). The compiled functions
take points as an array whose last axis holds the coordinates, so one call evaluates many points:
`f(X)` has shape `X.shape[:-1]`, `grad(X)` has `X.shape`, `hessian(X)` has `X.shape + (n,)`.

Before it is returned, every compiled function is compared with the symbolic result at random points
(mpmath at 30 digits), and the symbolic gradient and Hessian with central finite differences of the
function (and of the gradient) at 30 digits, an oracle independent of `sympy.diff`; a disagreement is
an engine bug (`EngineError`).

Extra *data* symbols (`x_i`, `y_i` of a per-sample loss) can be passed as `data=`: they become keyword
arrays of the compiled functions and broadcast against the points.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import sympy as sp

from gradwise.derivations.derivation import Derivation, differentiate
from gradwise.derivations.differences import central_difference
from gradwise.derivations.function_registry import numpy_functions
from gradwise.derivations.limits import explodes, time_limit
from gradwise.derivations.parsing import parse, parse_variables, symbol
from gradwise.derivations.sampling import sample_value
from gradwise.derivations.tolerances import COMPILED_FD_STEP, COMPILED_FD_TOLERANCE, COMPILED_TOLERANCE
from gradwise.errors import EngineError, GradwiseError

CHECK_POINTS = 3
MAX_VARIABLES = 64


#: NumPy implementations of the project's functions and of SymPy names NumPy lacks (the registry's)
NUMPY_FUNCTIONS = numpy_functions(own_only=True)


@dataclass
class Compiled:
    """A function of n variables with its gradient and Hessian, symbolic and compiled.

    `f`, `grad`, `hessian` take an array of points (last axis = the n coordinates) and keyword data
    arrays; `derivations[i]` is the checked derivation of ∂f/∂variables[i], built on first use.
    """

    expr: sp.Expr
    variables: tuple[sp.Symbol, ...]
    gradient_exprs: tuple[sp.Expr, ...]
    data: tuple[sp.Symbol, ...] = ()
    checked_points: int = 0
    timeout: float | None = None
    with_hessian: bool = True   # the Hessian is derived, compiled and checked on first use
    _f: Callable = field(repr=False, default=None)
    _grad: Callable = field(repr=False, default=None)
    _hess: Callable = field(repr=False, default=None)
    _hessian_exprs: sp.ImmutableMatrix | None = field(repr=False, default=None)
    _derivations: tuple | None = field(repr=False, default=None)

    @property
    def n(self) -> int:
        return len(self.variables)

    @property
    def hessian_exprs(self) -> sp.ImmutableMatrix | None:
        """The symbolic Hessian (None when compiled with hessian=False), derived on first use."""
        if self.with_hessian and self._hessian_exprs is None:
            with time_limit(self.timeout):
                self._hessian_exprs = sp.ImmutableMatrix(
                    [[derivative(g, w) for w in self.variables] for g in self.gradient_exprs])
        return self._hessian_exprs

    @property
    def derivations(self) -> tuple[Derivation | None, ...]:
        """The step-by-step derivation of each partial (None where the engine has no rule for it)."""
        if self._derivations is None:
            self._derivations = tuple(_derivation(self.expr, v, self.timeout) for v in self.variables)
        return self._derivations

    def _args(self, X, data):
        X = np.asarray(X, dtype=float)
        if X.shape[-1:] != (self.n,):
            raise GradwiseError(f"expected points with {self.n} coordinates "
                                f"({', '.join(v.name for v in self.variables)}), got shape {X.shape}")
        columns = []
        for s in self.data:
            if s.name not in data:
                missing = [d.name for d in self.data if d.name not in data]
                raise GradwiseError(f"the data column{'s' if len(missing) > 1 else ''} "
                                    f"{', '.join(missing)} {'are' if len(missing) > 1 else 'is'} missing")
            columns.append(np.asarray(data[s.name], dtype=float))
        shape = X.shape[:-1]
        if columns:
            shape = np.broadcast_shapes(shape, *[c.shape for c in columns])
        return [X[..., i] for i in range(self.n)] + columns, shape

    def f(self, X, **data) -> np.ndarray:
        """f at each point: shape X.shape[:-1] (broadcast with the data)."""
        args, shape = self._args(X, data)
        out = np.empty(shape)
        with np.errstate(all="ignore"):
            out[...] = self._f(*args)
        return out

    def grad(self, X, **data) -> np.ndarray:
        """∇f at each point: shape (..., n)."""
        args, shape = self._args(X, data)
        out = np.empty(shape + (self.n,))
        with np.errstate(all="ignore"):
            for i, p in enumerate(self._grad(*args)):
                out[..., i] = p
        return out

    def hessian(self, X, **data) -> np.ndarray:
        """The Hessian at each point: shape (..., n, n)."""
        if not self.with_hessian:
            raise GradwiseError("this function was compiled without its Hessian (hessian=False)")
        if self._hess is None:
            with time_limit(self.timeout):
                self._hess = _lambdify(list(self.variables) + list(self.data), list(self.hessian_exprs))
                check_compiled(self, hessian=True)
        args, shape = self._args(X, data)
        out = np.empty(shape + (self.n * self.n,))
        with np.errstate(all="ignore"):
            for i, p in enumerate(self._hess(*args)):
                out[..., i] = p
        return out.reshape(shape + (self.n, self.n))

    def __getstate__(self) -> dict:
        # compiled NumPy functions do not pickle: send the expressions, compile again on arrival
        return {**self.__dict__, "_f": None, "_grad": None, "_hess": None, "_derivations": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        symbols = list(self.variables) + list(self.data)
        self._f, self._grad = _lambdify(symbols, self.expr), _lambdify(symbols, list(self.gradient_exprs))

    @property
    def is_quadratic(self) -> bool:
        """A polynomial of degree <= 2 in the variables (so its Hessian is constant)."""
        try:
            return sp.Poly(self.expr, *self.variables).total_degree() <= 2 and not (
                self.expr.free_symbols - set(self.variables))
        except (sp.PolynomialError, sp.GeneratorsNeeded):
            return False


def derivative(expr: sp.Expr, var: sp.Symbol) -> sp.Expr:
    """`sympy.diff`, term by term: on a long sum of real terms SymPy's question whether the whole
    derivative is zero costs far more than the derivative itself."""
    return sp.Add(*[sp.diff(t, var) for t in sp.Add.make_args(expr)])


def _lambdify(symbols, exprs):
    from sympy.printing.numpy import NumPyPrinter
    # terms in the order they are stored: sorting them for print costs more than the rest on long sums
    printer = NumPyPrinter({"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True,
                            "user_functions": {name: name for name in NUMPY_FUNCTIONS}, "order": "none"})
    return sp.lambdify(symbols, exprs, modules=[NUMPY_FUNCTIONS, "numpy"], cse=True, printer=printer)


def read_variables(expr: sp.Expr, variables, data: Sequence[sp.Symbol] = ()) -> tuple[sp.Symbol, ...]:
    """The parameters in a fixed order: as given, else the free symbols (data excluded) sorted by name."""
    free = expr.free_symbols - set(data)
    if variables is None:
        out = sorted(free, key=lambda s: s.name)
    else:
        if isinstance(variables, str):
            out = parse_variables(variables)
        else:
            out = [v if isinstance(v, sp.Symbol) else parse_variables(str(v))[0] for v in variables]
        out = [symbol(v.name) for v in out]
        if len(set(out)) != len(out):
            raise GradwiseError("a variable is named twice in the list of variables")
        extra = sorted(s.name for s in free - set(out))
        if extra:
            raise GradwiseError(f"the function has symbols that are not in the variables: {', '.join(extra)}")
    if not out:
        raise GradwiseError("the function has no variables to optimise")
    if len(out) > MAX_VARIABLES:
        raise GradwiseError(f"too many variables ({len(out)}; the limit is {MAX_VARIABLES})")
    return tuple(out)


def as_expression(expr) -> sp.Expr:
    """A scalar SymPy expression from text or SymPy."""
    if isinstance(expr, str):
        e = parse(expr)
    elif isinstance(expr, (int, float)):
        e = sp.Float(expr) if isinstance(expr, float) else sp.Integer(expr)
    elif isinstance(expr, sp.Basic):
        e = expr
    else:
        raise GradwiseError(f"cannot optimise a {type(expr).__name__}: give text or a SymPy expression")
    if isinstance(e, sp.MatrixBase) or not isinstance(e, sp.Expr) or isinstance(e, sp.Equality):
        raise GradwiseError(f'"{expr}" is not one expression to optimise')
    return e


def compile(expr, variables=None, *, data: Sequence = (), hessian: bool = True, check: bool = True,
            timeout: float | None = None) -> Compiled:
    """Compile f, ∇f (derived step by step, every step checked) and the Hessian into NumPy functions.

    `variables` fixes the order of the parameters ("x,y" or symbols); without it the symbols are sorted
    by name. `data` names symbols that are inputs rather than parameters (per-sample losses).
    """
    e = as_expression(expr)
    data_symbols = tuple(symbol(d) if isinstance(d, str) else symbol(d.name) for d in data)
    e = e.xreplace({s: symbol(s.name) for s in e.free_symbols if isinstance(s, sp.Symbol)})
    variables = read_variables(e, variables, data_symbols)
    with time_limit(timeout):
        grads = [derivative(e, v) for v in variables]
        symbols = list(variables) + list(data_symbols)
        c = Compiled(e, variables, tuple(grads), data_symbols, timeout=timeout, with_hessian=hessian,
                     _f=_lambdify(symbols, e), _grad=_lambdify(symbols, list(grads)))
        if check:
            c.checked_points = check_compiled(c)
    return c


def _derivation(expr: sp.Expr, var: sp.Symbol, timeout: float | None) -> Derivation | None:
    """The engine's derivation of ∂expr/∂var, or None when it has no rule (SymPy's derivative stands)."""
    try:
        d = differentiate(expr, var, timeout=timeout)
    except EngineError:
        return None
    return None if d.result.has(sp.Derivative) else d


def check_compiled(c: Compiled, points: int = CHECK_POINTS, seed: int = 0, hessian: bool = False) -> int:
    """Compare the compiled f and ∇f (or the Hessian) with their symbolic forms at random points (mpmath),
    and the symbolic derivatives with finite differences there; returns how many points agreed."""
    rng = random.Random(seed)
    symbols = list(c.variables) + list(c.data)
    if hessian:
        pairs = [(h, (lambda i: lambda X, d: c.hessian(X, **d).reshape(-1)[i])(i))
                 for i, h in enumerate(c.hessian_exprs)]
    else:
        pairs = [(c.expr, lambda X, d: c.f(X, **d)[()])]
        pairs += [(g, (lambda i: lambda X, d: c.grad(X, **d)[i])(i)) for i, g in enumerate(c.gradient_exprs)]
    agreed, tries, kinks = 0, 0, 0
    while agreed < points and tries < 40:
        tries += 1
        point = {s: sample_value(rng, tries) for s in symbols}
        X = np.array([float(point[v]) for v in c.variables])
        d = {s.name: float(point[s]) for s in c.data}
        ok = True
        for expr, compiled in pairs:
            exact = _precise(expr, point)
            if exact is None:
                ok = False
                break
            exact = float(exact)
            got = float(compiled(X, d))
            if not abs(got - exact) <= COMPILED_TOLERANCE * max(1.0, abs(exact)):
                if not math.isfinite(got) and abs(exact) > 1e300:
                    continue
                raise EngineError(f"the compiled form of {expr} gives {got} at "
                                  f"{ {s.name: float(v) for s, v in point.items()} }, not {exact}")
        if ok and not _derivatives_match_differences(c, point, hessian):
            kinks += 1  # a point next to a kink (relu, abs) can disagree once; a wrong derivative everywhere
            if kinks > 1:
                raise EngineError(f"the derivatives of {c.expr} disagree with finite differences")
            continue
        agreed += ok
    return agreed


def _derivatives_match_differences(c: Compiled, point: dict, hessian: bool) -> bool:
    """Whether each partial (each Hessian entry) is the central difference of f (of the partial)."""
    if hessian:
        layers = [(g, [c.hessian_exprs[i, j] for j in range(c.n)]) for i, g in enumerate(c.gradient_exprs)]
    else:
        layers = [(c.expr, list(c.gradient_exprs))]
    for function, partials in layers:
        for v, partial in zip(c.variables, partials):
            difference = central_difference(lambda t: _precise(function, {**point, v: t}), point[v], COMPILED_FD_STEP)
            exact = _precise(partial, point)
            if difference is None or exact is None:
                continue
            if abs(difference - exact) > COMPILED_FD_TOLERANCE * max(1, abs(exact)):
                return False
    return True


def _precise(expr: sp.Expr, point: dict) -> sp.Float | None:
    """expr at the point to 40 digits (finite differences need more than double precision), or None
    where it is not a finite real number. evalf(subs=) evaluates without rebuilding the expression."""
    if explodes(expr, point):   # a tower too large to evaluate
        return None
    try:
        v = expr.evalf(40, subs=point)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError, RecursionError):
        return None
    return v if v.is_Float and v.is_finite else None
