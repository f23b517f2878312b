"""Functions of several variables: partial derivatives, gradients and Hessians."""
from __future__ import annotations

import random

import sympy as sp

from gradwise.derivations.multivariable import gradient, hessian
from gradwise.derivations.parsing import symbol
from gradwise.practice.generators import topic
from gradwise.practice.generators.calculus import derivative_problem
from gradwise.practice.generators.common import nonzero, require, small, tex, text, typed, worked
from gradwise.practice.problems import Problem, Trap

x, y = symbol("x"), symbol("y")


def _function(rng: random.Random, level: int) -> sp.Expr:
    """f(x, y) that depends on both variables: a polynomial (level 1), with exp/sin/log (2), composed (3)."""
    a, b, c = nonzero(rng, -4, 4), nonzero(rng, -4, 4), rng.randint(1, 3)
    n, m = rng.randint(1, 3), rng.randint(1, 3)
    if level == 1:
        f = rng.choice([a * x**(n + 1) * y**m + b * y**2, a * x**2 + b * x * y + c * y**(m + 1),
                        a * x**n * y + b * x + c * y**2])
    elif level == 2:
        f = rng.choice([a * x * sp.exp(c * y), a * sp.sin(x * y) + b * x**2, x**n * sp.log(y) + b * y,
                        a * x**2 * y + b * sp.exp(x) * y])
    else:
        f = rng.choice([sp.exp(a * x * y + b * y), sp.sin(a * x + b * y**2), sp.log(x**2 + c * y**2 + 1),
                        (a * x + b * y)**(n + 1) * sp.exp(y)])
    require(f.has(x) and f.has(y))
    return f


@topic("partial_derivatives", "Partial derivatives", "∂f/∂x of f(x, y), the other variable held constant",
       "multivariable calculus")
def partial_derivatives(rng: random.Random, level: int) -> Problem:
    """∂f/∂x or ∂f/∂y of f(x, y) (levels as in `_function`)."""
    f = _function(rng, level)
    var = rng.choice([x, y])
    problem = derivative_problem(f, var, "Partial derivative")
    other = y if var == x else x
    wrong = sp.diff(f, other)
    require(differ(wrong, problem.answer))
    return _with_traps(problem, Trap("wrong_variable", f"that is ∂f/∂{other.name}: differentiate in {var.name} and "
                                     f"hold {other.name} constant", wrong))


def differ(a: sp.Expr, b: sp.Expr) -> bool:
    """a and b are different functions: told apart at a point, or else not proved equal by SymPy."""
    for point in ({x: sp.Rational(3, 7), y: sp.Rational(5, 11)}, {x: sp.Rational(-6, 5), y: sp.Rational(9, 4)}):
        try:
            gap = complex(sp.N((a - b).subs(point), 30))
        except (TypeError, ValueError):
            continue
        if abs(gap) > 1e-20:   # at 30 digits: a real difference, not rounding
            return True
    return not a.equals(b)   # the slow proof only when the points cannot tell them apart


def _with_traps(problem: Problem, *traps: Trap) -> Problem:
    import dataclasses

    return dataclasses.replace(problem, traps=problem.traps + traps)


@topic("gradients", "Gradients", "∇f = (∂f/∂x, ∂f/∂y) of f(x, y), as an expression or at a point",
       "multivariable calculus")
def gradients(rng: random.Random, level: int) -> Problem:
    """Level 1-2: ∇f of f(x, y); level 3: ∇f at an integer point."""
    f = _function(rng, min(level, 2))
    g = gradient(f, [x, y])
    answer = g.result
    require(small(answer) and all(e != 0 for e in answer) and sp.count_ops(answer) < 40)
    swapped = sp.ImmutableMatrix([answer[1], answer[0]])
    if level == 3:
        point = {x: rng.randint(-2, 2), y: rng.randint(1, 2)}
        at = sp.ImmutableMatrix([sp.nsimplify(e.subs(point)) for e in answer])
        require(small(at, 200) and any(at))
        prompt = f"Compute ∇f at (x, y) = ({point[x]}, {point[y]}) for f(x, y) = {text(f)}."
        return Problem("", 0, 0, prompt, rf"\nabla f({point[x]}, {point[y]}),\ f = {tex(f)}", at, typed(at), tex(at),
                       "vector", worked(g), traps=(Trap("swapped", "the entries are swapped: ∇f = (∂f/∂x, ∂f/∂y)",
                                                        sp.ImmutableMatrix([at[1], at[0]])),),
                       note="type a vector as [1, 2]; exact values like e^2 or decimals to 3 figures",
                       tolerance=1e-3)
    prompt = f"Compute the gradient ∇f = (∂f/∂x, ∂f/∂y) of f(x, y) = {text(f)}."
    return Problem("", 0, 0, prompt, rf"\nabla f,\ f(x,y) = {tex(f)}", answer, typed(answer), tex(answer), "vector",
                   worked(g), ("x", "y"), traps=(Trap("swapped", "the entries are swapped: ∇f = (∂f/∂x, ∂f/∂y)",
                                                      swapped),),
                   note="type a vector as [2x y, x^2]")


@topic("hessians", "Hessians", "the matrix of second partial derivatives of f(x, y)", "multivariable calculus")
def hessians(rng: random.Random, level: int) -> Problem:
    """The Hessian of f(x, y) (levels as in `_function`)."""
    f = _function(rng, level)
    h = hessian(f, [x, y])
    answer = h.result
    require(small(answer) and answer[0, 1] != 0 and sp.count_ops(answer) < 60)
    first = sp.ImmutableMatrix([[sp.diff(f, x), 0], [0, sp.diff(f, y)]])
    prompt = f"Compute the Hessian [[f_xx, f_xy], [f_yx, f_yy]] of f(x, y) = {text(f)}."
    return Problem("", 0, 0, prompt, rf"H_f,\ f(x,y) = {tex(f)}", answer, typed(answer), tex(answer), "matrix",
                   worked(h), ("x", "y"),
                   traps=(Trap("no_mixed_partials", "the mixed partials ∂²f/∂x∂y are missing off the diagonal",
                               sp.ImmutableMatrix([[answer[0, 0], 0], [0, answer[1, 1]]])),
                          Trap("first_derivatives", "those are first derivatives: differentiate each once more",
                               first)),
                   note="type a matrix as [[2y, 2x], [2x, 0]]")
