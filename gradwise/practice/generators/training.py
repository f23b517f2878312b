"""Training by hand: one optimizer step, backprop through a small graph, vanishing-gradient bounds.

Exact answers are computed with SymPy and checked against independent numbers: torch's update rules in
`simulations.optimizers`, the graph engine's backward pass, and a sigmoid chain run by the network code.
"""
from __future__ import annotations

import random

import numpy as np
import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.derivation import differentiate
from gradwise.derivations.graph import backprop as backprop_graph
from gradwise.derivations.parsing import symbol
from gradwise.practice.generators import topic
from gradwise.practice.generators.common import nonzero, require, small, tex, text, typed, worked
from gradwise.practice.problems import Problem, Trap
from gradwise.renderers.document import Math, Step
from gradwise.simulations.optimizers import SGD, Adam
from gradwise.simulations.vanishing import sigmoid_chain

w1, w2 = symbol("w1"), symbol("w2")


def _step(n: int, title: str, *exprs, relation: str = "=") -> Step:
    return Step(str(n), title, title.lower().replace(" ", "_"), None, lines=(Math.chain(*exprs, relation=relation),))


def _vec(values) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(list(values))


@topic("optimizer_step", "One optimizer step by hand", "a gradient-descent, momentum or Adam update (torch's rules)",
       "training")
def optimizer_step(rng: random.Random, level: int) -> Problem:
    """Level 1: gradient descent; 2: SGD with momentum from a given buffer; 3: Adam's first step."""
    a, c = rng.randint(1, 5), rng.randint(1, 5)
    f = sp.Rational(a, 2) * w1**2 + sp.Rational(c, 2) * w2**2 + nonzero(rng, -3, 3) * w1 * w2
    w = _vec([nonzero(rng, -3, 3), nonzero(rng, -3, 3)])
    lr = sp.Rational(rng.choice([1, 2, 5]), 10) if level < 3 else sp.Rational(1, 100)
    grad = _vec([sp.diff(f, v).subs({w1: w[0], w2: w[1]}) for v in (w1, w2)])
    require(all(grad) and small(grad, 40))
    params = np.array([[float(v) for v in w]])
    g = np.array([[float(v) for v in grad]])
    blocks = [_step(1, "Gradient at w", sp.Symbol("∇f(w)"), grad)]
    given = {"f": f, "w": w, "lr": lr, "method": ("sgd", "momentum", "adam")[level - 1]}
    where = f"f(w1, w2) = {text(f)} at w = {text(w.T)}ᵀ, learning rate {text(lr)}"
    if level == 1:
        answer = _vec(w - lr * grad)
        reference = SGD(lr=float(lr)).step(params, g, SGD().init(params), 1)
        traps = (Trap("sign", "gradient descent steps against the gradient: w − lr·∇f", _vec(w + lr * grad)),)
        blocks.append(_step(2, "Gradient descent step", sp.Symbol("w − lr·∇f"), answer))
        prompt = f"One step of gradient descent on {where}: what is the new w?"
        tolerance = None
    elif level == 2:
        mu = sp.Rational(9, 10)
        buf = _vec([nonzero(rng, -2, 2), nonzero(rng, -2, 2)])
        new_buf = _vec(mu * buf + grad)
        given.update(momentum=mu, buffer=buf)
        answer = _vec(w - lr * new_buf)
        opt = SGD(lr=float(lr), momentum=0.9)
        reference = opt.step(params, g, {"momentum_buffer": np.array([[float(v) for v in buf]])}, 2)
        traps = (Trap("no_momentum", "the momentum buffer is missing: b ← μb + ∇f, then w − lr·b", _vec(w - lr * grad)),
                 Trap("old_buffer", "update the buffer first: b ← μb + ∇f, then step with the new b",
                      _vec(w - lr * buf)),
                 Trap("sign", "the step goes against the buffer: w − lr·b", _vec(w + lr * new_buf)))
        blocks += [_step(2, "Momentum buffer", sp.Symbol("b ← μb + ∇f"), new_buf),
                   _step(3, "Step with the buffer", sp.Symbol("w − lr·b"), answer)]
        prompt = (f"One step of SGD with momentum μ = 0.9 (torch: b ← μb + ∇f, w ← w − lr·b) on {where}; "
                  f"the momentum buffer is b = {text(buf.T)}ᵀ. What is the new w?")
        tolerance = None
    else:
        eps = sp.Rational(1, 10**8)
        answer = _vec([wi - lr * gi / (abs(gi) + eps) for wi, gi in zip(w, grad)])
        reference = Adam(lr=float(lr)).step(params, g, Adam().init(params), 1)
        no_correction = _vec([wi - lr * sp.Rational(1, 10) * gi / (sp.sqrt(sp.Rational(1, 1000)) * abs(gi))
                              for wi, gi in zip(w, grad)])
        traps = (Trap("no_bias_correction", "Adam divides m and v by 1 − βᵗ: at t = 1, m̂ = g and v̂ = g²",
                      no_correction), Trap("sign", "the step goes against the gradient", _vec(2 * w - answer)))
        blocks += [_step(2, "Moments after one step", sp.Symbol("m̂ = g, v̂ = g²"), grad, relation="⇒"),
                   _step(3, "Adam step", sp.Symbol("w − lr·m̂/(√v̂ + ε)"), answer)]
        prompt = (f"The first Adam step (torch defaults β1 = 0.9, β2 = 0.999, ε = 1e-8) on {where}: "
                  "what is the new w?")
        tolerance = 1e-6
    require(np.allclose(np.array(answer, dtype=float).ravel(), reference.ravel(), rtol=1e-12, atol=1e-12))
    shown = answer if tolerance is None else _vec([sp.Float(v, 10) for v in answer])
    return Problem("", 0, 0, prompt, rf"f = {tex(f)},\ w = {tex(w)},\ \eta = {tex(lr)}", answer, typed(shown),
                   tex(shown), "vector", tuple(blocks), traps=traps, tolerance=tolerance,
                   note="type the vector as [1.2, -0.4]", given=given)


@topic("backprop", "Backpropagation", "∂f/∂w through a small computational graph at a point", "training")
def backprop(rng: random.Random, level: int) -> Problem:
    """Level 1: a squared error of a linear unit; 2: through a ReLU; 3: the logistic loss of a σ unit."""
    w, x, b, y, v = (symbol(n) for n in ("w", "x", "b", "y", "v"))
    point = {w: nonzero(rng, -3, 3), x: nonzero(rng, -3, 3), b: rng.randint(-2, 2), y: rng.randint(-2, 2),
             v: nonzero(rng, -2, 2)}
    if level == 1:
        f = (w * x + b - y)**2
    elif level == 2:
        f = (v * fn.relu(w * x + b) - y)**2
        require((point[w] * point[x] + point[b]) != 0)
    else:
        f = -sp.log(fn.sigmoid(w * x + b))
    point = {s: point[s] for s in f.free_symbols}
    wrt = rng.choice([w, b] if level < 3 else [w, x])
    exact = sp.simplify(sp.diff(f, wrt).subs(point))
    require(exact != 0 and small(exact, 300))
    graph = backprop_graph(f, {s.name: float(val) for s, val in point.items()})
    require(abs(graph.gradients[wrt.name] - float(exact)) < 1e-9 * max(1.0, abs(float(exact))))
    where = ", ".join(f"{s.name} = {point[s]}" for s in sorted(point, key=lambda s: s.name))
    prompt = f"Backpropagate through f = {text(f)} at {where}: what is ∂f/∂{wrt.name}?"
    others = [s for s in sorted(point, key=lambda s: s.name) if s != wrt]
    traps = tuple(Trap("wrong_variable", f"that is ∂f/∂{s.name}, not ∂f/∂{wrt.name}", sp.diff(f, s).subs(point))
                  for s in others if sp.diff(f, s).subs(point) != exact)
    return Problem("", 0, 0, prompt, rf"\frac{{\partial f}}{{\partial {wrt.name}}},\ f = {tex(f)}", exact,
                   typed(exact), tex(exact), "number", _graph_steps(graph, wrt.name), traps=traps,
                   derivative=(f, wrt), point=point, tolerance=1e-4 if level == 3 else None,
                   given={"f": f, "wrt": wrt, "at": point},
                   note="an exact value (e.g. 1 - sigmoid(2)) or a decimal to 4 figures" if level == 3 else "")


def _graph_steps(graph, leaf: str):
    """The graph engine's worked solution, with a last step on the requested input (written when asked)."""
    def write() -> tuple:
        blocks = worked(graph)()
        return blocks + (_step(len(blocks) + 1, f"Read off ∂f/∂{leaf}", sp.Symbol(f"∂f/∂{leaf}"),
                               sp.Float(graph.gradients[leaf], 6)),)
    return write


@topic("vanishing_gradients", "Vanishing gradients", "bounds on products of σ′ through a deep sigmoid chain",
       "training")
def vanishing_gradients(rng: random.Random, level: int) -> Problem:
    """Level 1: the bound (|w|/4)ⁿ through n sigmoid layers of weight w; 2: with different weights;
    3: how many layers until the bound falls below 10⁻ᵏ."""
    z = symbol("z")
    d = differentiate(fn.sigmoid(z), z)
    peak = d.result.subs(z, 0)
    require(peak == sp.Rational(1, 4))
    n = rng.randint(2, 12)
    blocks = [Step("1", "Derivative of the sigmoid", "sigmoid", None,
                   lines=(Math.chain(sp.Derivative(fn.sigmoid(z), z), d.result),)),
              _step(2, "Its largest value, at z = 0", sp.Symbol("σ′(0)"), peak)]
    if level == 1:
        wv = rng.choice([sp.Rational(1, 2), 1, sp.Rational(3, 2), 2, sp.Rational(5, 2), 3, sp.Rational(7, 2)])
        weights = [wv] * n
        about = f"each with weight w = {text(wv)}"
    else:
        weights = [rng.choice([1, 2, 3, sp.Rational(1, 2), -1, -2]) for _ in range(n)]
        about = f"with weights {', '.join(text(v) for v in weights)}"
    bound = sp.Mul(*[abs(v) * peak for v in weights])
    chain = sigmoid_chain(n, float(weights[0])) if level == 1 else None
    require(chain is None or abs(chain["measured"][0] * float(weights[0]) - float(bound)) < 1e-12)
    blocks.append(_step(3, "Chain rule through the layers", sp.Symbol("|∂aₙ/∂a₀| = Π|wₗ σ′(zₗ)|"),
                        sp.Symbol("≤ Π |wₗ|/4"), bound, relation="≤"))
    if level == 3:
        k = rng.randint(2, 9)
        wv = rng.choice([sp.Rational(1, 2), 1, sp.Rational(3, 2), 2, sp.Rational(5, 2), 3])
        answer = next(m for m in range(1, 200) if (sp.Rational(wv, 4))**m < sp.Rational(1, 10**k))
        measured = sigmoid_chain(answer, float(wv))["measured"][0] * wv     # (w/4)^n, run through a network
        require(measured < 10**-k <= (wv / 4) ** (answer - 1))
        prompt = (f"A chain of sigmoid units, each with weight w = {text(wv)}: after how many layers does the bound "
                  f"(|w|/4)ⁿ on |∂aₙ/∂a₀| first fall below 10^-{k}?")
        blocks = blocks[:2] + [_step(3, "Solve (|w|/4)ⁿ < 10^-k", sp.Symbol("n"), answer)]
        traps = ()
        if wv == 1:
            half = next(m for m in range(1, 400) if sp.Rational(1, 2)**m < sp.Rational(1, 10**k))
            traps = (Trap("half", "σ′(0) = σ(0)(1 − σ(0)) = 1/4, not 1/2", sp.Integer(half)),)
        return Problem("", 0, 0, prompt, rf"\min n:\ ({tex(wv)}/4)^n < 10^{{-{k}}}", sp.Integer(answer), str(answer),
                       str(answer), "number", tuple(blocks), traps=traps)
    prompt = (f"Backpropagating through {n} sigmoid layers {about}: what is the upper bound on |∂aₙ/∂a₀| "
              "(the product of |w|·max σ′)?")
    traps = (Trap("half", "max σ′ = σ′(0) = σ(0)(1 − σ(0)) = 1/4, not 1/2", sp.Mul(*[abs(v) / 2 for v in weights])),
             Trap("sum_not_product", "the chain rule multiplies the layers' factors; it does not add them",
                  sum(abs(v) * peak for v in weights)),
             Trap("no_weights", "each layer also multiplies by its weight w", peak**n))
    return Problem("", 0, 0, prompt, rf"\prod_l |w_l|\,\max\sigma'", bound, typed(bound), tex(bound), "number",
                   tuple(blocks), traps=tuple(t for t in traps if t.value != bound), tolerance=1e-6,
                   note="an exact value such as (3/4)^5 or a decimal")
