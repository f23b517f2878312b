"""Activation functions: each derivative derived once by the engine, checked, and compiled to NumPy.

`activation("tanh")` returns an `Activation` whose `derivation` is the engine's checked derivation of
tanh'(z) = 1 - tanh²(z), whose `in_output` is that derivative written with the layer's output
a = tanh(z) (1 - a², so backward reuses the forward values as hand-written code does), and whose
`forward` and `backward` are `lambdify`-compiled vectorised NumPy functions. The compiled functions are
checked against the derivation at sample points before they are used.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
import sympy as sp

from gradwise.derivations import function_registry as registry
from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import Derivation, differentiate
from gradwise.derivations.equivalence import equivalent
from gradwise.derivations.parsing import symbol
from gradwise.errors import EngineError, GradwiseError

Z, A = symbol("z"), symbol("a")

#: name -> the activation as a SymPy function of z: the registry's activations, and the identity
DEFINITIONS: dict[str, sp.Expr] = {**{name: r.sympy(Z) for name, r in registry.ACTIVATIONS.items()}, "identity": Z}
ACTIVATIONS = tuple(DEFINITIONS)
_SAMPLES = np.array([-3.7, -1.2, -0.3, 0.0, 0.4, 1.1, 2.9])


def compile_numpy(args: list[sp.Symbol], expr: sp.Expr) -> Callable:
    """`lambdify` into vectorised NumPy, with the project's functions in their stable forms."""
    return sp.lambdify(args, expr, modules=[registry.numpy_functions(), "numpy"])


@dataclass(frozen=True)
class Activation:
    """One activation: its definition, its derivative (derived, checked) and both compiled."""

    name: str
    definition: sp.Expr          # f(z)
    derivation: Derivation       # f'(z) by the engine, every step checked
    in_output: sp.Expr           # f'(z) written with a = f(z) where the derivative allows it
    forward: Callable            # z -> f(z)
    backward: Callable | None    # (z, a) -> f'(z); None when f' = 1 (nothing to multiply)

    @property
    def derivative(self) -> sp.Expr:
        return self.derivation.result

    @property
    def convention(self) -> str:
        return "relu'(0) = 0, as in PyTorch" if self.name == "relu" else ""


def activation(name: str) -> Activation:
    """The activation called `name`; an unknown name lists the choices."""
    if name not in DEFINITIONS:
        raise GradwiseError(f"unknown activation '{name}'; choose one of {', '.join(ACTIVATIONS)}")
    return _activation(name)


@lru_cache(maxsize=None)
def _activation(name: str) -> Activation:
    f = DEFINITIONS[name]
    d = differentiate(f, Z)
    in_output = d.result.xreplace({f: A}) if f != Z else d.result
    if not equivalent(in_output.xreplace({A: f}), d.result, confirm=True):
        raise EngineError(f"{name}: the derivative in terms of the output does not match {d.result}")
    forward = compile_numpy([Z], f)
    backward = None if d.result == 1 else compile_numpy([Z, A], in_output)
    _check_compiled(name, f, d.result, forward, backward)
    return Activation(name, f, d, in_output, forward, backward)


def _check_compiled(name: str, f: sp.Expr, derivative: sp.Expr, forward, backward) -> None:
    """The compiled functions agree with the symbolic ones at sample points (relu' at 0 included)."""
    a = forward(_SAMPLES)
    d = np.ones_like(_SAMPLES) if backward is None else np.broadcast_to(backward(_SAMPLES, a), _SAMPLES.shape)
    for z, av, dv in zip(_SAMPLES, a, d):
        point = {Z: sp.Float(float(z), 30)}
        exact_a = float(sp.N(fn.rewrite_elementary(f).xreplace(point), 30))
        exact_d = float(sp.N(fn.rewrite_elementary(derivative).xreplace(point), 30))
        if abs(exact_a - av) > 1e-12 or abs(exact_d - dv) > 1e-12:
            raise EngineError(f"compiled {name} disagrees with its derivation at z = {z}")


def _critical_points(d: sp.Expr) -> list:
    """The real z with d'(z) = 0: exactly when SymPy can solve it, else by Newton's method (nsolve) from
    each local extremum of d on a grid, to 15 digits (mish's derivative has no closed-form extremum)."""
    dd = sp.diff(d, Z)
    try:
        return [c for c in sp.solve(dd, Z) if c.is_real]
    except NotImplementedError:
        pass
    grid = np.linspace(-20, 20, 4001)
    values = np.abs(sp.lambdify(Z, d, "numpy")(grid))
    starts = [grid[i] for i in range(1, len(grid) - 1) if values[i] >= values[i - 1] and values[i] >= values[i + 1]]
    found = []
    for z0 in starts:
        try:
            found.append(sp.Float(sp.nsolve(dd, Z, float(z0), prec=30), 15))
        except (ValueError, ZeroDivisionError):
            continue
    return found


@lru_cache(maxsize=None)
def derivative_bound(name: str) -> tuple[sp.Expr, str]:
    """sup |f'(z)| over the reals and where it is reached, found from the derivation, not typed in.

    The critical points of f' (f''(z) = 0) and the limits at ±∞ are the candidates; relu's derivative
    is a step (0 or 1). The bound is checked on a grid of 2001 points in [-20, 20].
    """
    act = activation(name)
    d = act.derivative
    if name == "relu":
        bound, where = sp.S.One, "z > 0"
    elif d.is_number:
        bound, where = d, "every z"
    else:
        elementary = fn.rewrite_elementary(d).rewrite(sp.exp)
        candidates = []
        for c in _critical_points(elementary):
            value = sp.simplify(elementary.subs(Z, c)) if not isinstance(c, sp.Float) else elementary.subs(Z, c).evalf(15)
            candidates.append((value, f"z = {c if not isinstance(c, sp.Float) else f'{float(c):.6g}'}"))
        for end in (sp.oo, -sp.oo):
            candidates.append((sp.limit(elementary, Z, end), "z → +∞" if end == sp.oo else "z → −∞"))
        bound, where = max(candidates, key=lambda c: float(abs(c[0])))
        bound = sp.Abs(bound)
    grid = np.linspace(-20, 20, 2001)
    values = act.backward(grid, act.forward(grid)) if act.backward is not None else np.ones_like(grid)
    if np.max(np.abs(values)) > float(bound) + 1e-12:
        raise EngineError(f"{name}: |f'| exceeds its derived bound {bound}")
    return bound, where
