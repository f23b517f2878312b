"""Derivatives of one variable: the rules (power, product, quotient, chain, exp/log) and activations."""
from __future__ import annotations

import random

import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import differentiate
from gradwise.derivations.parsing import symbol
from gradwise.practice.generators import topic
from gradwise.practice.generators.common import nonzero, require, small, tex, text, typed, worked
from gradwise.practice.problems import Problem

x = symbol("x")
MAX_OPS = 40


def derivative_problem(f: sp.Expr, var: sp.Symbol = x, what: str = "") -> Problem:
    """d f / d var, derived by the engine; rejected when zero, huge or long."""
    # a draw whose derivative is zero or out of range is rejected before the (checked, slower) engine runs;
    # the same tests are made again on the engine's own result
    quick = sp.diff(f, var)
    require(quick != 0 and moderate(quick, var))
    d = differentiate(f, var)
    answer = d.result
    require(answer != 0 and small(answer) and sp.count_ops(answer) <= MAX_OPS and moderate(answer, var))
    others = sorted(s.name for s in f.free_symbols if s != var)
    partial = bool(others)
    op_text = f"∂/∂{var.name}" if partial else f"d/d{var.name}"
    op_tex = rf"\frac{{\partial}}{{\partial {var.name}}}" if partial else rf"\frac{{d}}{{d{var.name}}}"
    held = f" ({', '.join(others)} held constant)" if partial else ""
    prompt = f"{what or 'Differentiate'}: {op_text} [{text(f)}]{held}"
    return Problem("", 0, 0, prompt, rf"{op_tex}\left({tex(f)}\right)", answer, typed(answer), tex(answer),
                   "expression", worked(d), tuple(sorted(s.name for s in f.free_symbols)),
                   derivative=(f, var))


def moderate(expr: sp.Expr, var: sp.Symbol) -> bool:
    """The derivative is neither vanishingly small nor huge where a student (or a counterexample) looks."""
    others = {s: sp.Rational(1, 2) for s in expr.free_symbols if s != var}
    for point in (sp.Rational(3, 2), sp.Rational(-13, 10), sp.Rational(7, 10)):
        try:
            value = abs(complex(expr.subs(others).subs(var, point).evalf()))
        except (TypeError, ValueError):
            return False
        if not 1e-3 < value < 1e4 and value != 0:
            return False
    return True


def _coefficient(rng: random.Random, low: int = -5, high: int = 5) -> int:
    return nonzero(rng, low, high)


def _inner(rng: random.Random) -> sp.Expr:
    """A small inner function u(x) that is not x itself."""
    a, b = _coefficient(rng), rng.randint(-4, 4)
    return rng.choice([a * x + b, a * x**2 + b, a * x**2 + b * x, a * x**3])


@topic("derivatives", "Derivatives", "power, product, quotient and chain rules, exp and log, d/dx f(x)",
       "calculus")
def derivatives(rng: random.Random, level: int) -> Problem:
    """Level 1: power/exp/log rules; 2: product and quotient; 3: chain rule and compositions."""
    a, b, c = _coefficient(rng), _coefficient(rng), rng.randint(2, 5)
    n, m = rng.randint(2, 6), rng.randint(1, 4)
    if level == 1:
        f = rng.choice([a * x**n + b * x**m, a * x**n + b * sp.exp(x), a * sp.log(x) + b * x**n,
                        a * sp.sqrt(x) + b * x**m, a * sp.exp(c * x), a / x**m + b * x])
    elif level == 2:
        g = rng.choice([sp.sin(x), sp.cos(x), sp.exp(x), sp.log(x), sp.exp(c * x)])
        f = rng.choice([a * x**n * g, (a * x + b) / (x**2 + c), x**n / (x + c), g / (x**m + c) if g != sp.log(x) else
                        x**n * sp.log(x)])
    else:
        u = _inner(rng)
        f = rng.choice([sp.sin(u), sp.exp(u), sp.log(x**2 + c), (u)**n, x**m * sp.exp(a * x**2), sp.sqrt(x**2 + c),
                        sp.cos(u) * sp.exp(b * x)])
    require(f.has(x) and not f.is_polynomial(x) or level == 1)
    return derivative_problem(f)


@topic("chain_rule", "The chain rule", "d/dx f(g(x)) = f'(g(x))·g'(x): one, two and three nested functions",
       "calculus")
def chain_rule(rng: random.Random, level: int) -> Problem:
    """Level 1: a power or exp of a linear function; 2: of a polynomial; 3: two functions deep."""
    a, b, c = _coefficient(rng), rng.randint(-4, 4), rng.randint(1, 4)
    n = rng.randint(2, 5)
    if level == 1:
        f = rng.choice([(a * x + b)**n, sp.exp(a * x + b), sp.sin(a * x + b), sp.log(c * x + b) if b else sp.exp(a * x)])
    elif level == 2:
        u = _inner(rng)
        require(u.as_poly(x).degree() >= 2)
        f = rng.choice([sp.sin(u), sp.exp(u), sp.cos(u), u**n, sp.log(u**2 + c)])
    else:
        u = _inner(rng)
        f = rng.choice([sp.sin(u)**n, sp.exp(sp.sin(u)), sp.log(1 + sp.exp(u)), sp.sqrt(1 + u**2),
                        sp.cos(sp.exp(a * x))])
    return derivative_problem(f)


@topic("activations", "Activation functions", "derivatives of σ, tanh, softplus and their compositions",
       "calculus")
def activations(rng: random.Random, level: int) -> Problem:
    """Level 1: σ or tanh of a linear function; 2: squared, logged or multiplied; 3: σ of σ, a unit's loss."""
    a, b = _coefficient(rng, -3, 3), rng.randint(-3, 3)
    u = a * x + b
    if level == 1:
        f = rng.choice([fn.sigmoid(u), sp.tanh(u), fn.softplus(u)])
    elif level == 2:
        f = rng.choice([fn.sigmoid(u)**2, sp.log(fn.sigmoid(u)), x * fn.sigmoid(u), sp.tanh(u)**2,
                        x * sp.tanh(u)])
    else:
        t = rng.randint(0, 1)
        f = rng.choice([fn.sigmoid(fn.sigmoid(u)), (fn.sigmoid(u) - t)**2, sp.tanh(fn.softplus(u)),
                        -t * sp.log(fn.sigmoid(u)) - (1 - t) * sp.log(1 - fn.sigmoid(u))])
    return derivative_problem(f)
