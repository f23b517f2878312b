"""Matrix calculus: gradients of a linear layer, least squares and softmax cross-entropy (`matrix_gradient`).

Each template states f in matgrad's notation, the answer as a person types it and the classic wrong
answers; the engine derives the gradient (checked by finite differences) and the generator's own
self-check grades the typed answer against the engine's result at random matrices.
"""
from __future__ import annotations

import random

from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.checking import samples
from gradwise.derivations.matrix_calculus.derivation import matrix_gradient
from gradwise.derivations.matrix_calculus.parsing import parse_matrix
from gradwise.practice.generators import topic
from gradwise.practice.generators.common import worked
from gradwise.practice.problems import Problem, Trap

# level -> [(f, wrt, answer, [(mistake, words, wrong answer)])]; {k} a coefficient, {A} {x} {y} letters
TEMPLATES = {
    1: [("{k} {a}^T {x}", "{x}", "{k} {a}", [("transpose", "the gradient of aᵀx is a column like x: a, not aᵀ",
                                                "{k} {a}^T")]),
        ("{k} {x}^T {A} {x}", "{x}", "{k} ({A} + {A}^T) {x}",
         [("missing_transpose", "xᵀAx has gradient (A + Aᵀ)x; 2Ax only when A is symmetric", "{k2} {A} {x}"),
          ("transpose", "the gradient has the shape of x: (A + Aᵀ)x, not xᵀ(A + Aᵀ)", "{k} {x}^T ({A} + {A}^T)")]),
        ("{k} {y}^T {A} {x}", "{x}", "{k} {A}^T {y}", [("transpose", "Aᵀy, not Ay: the gradient has the shape of x",
                                                          "{k} {A} {y}")])],
    2: [("{k} ({A} {x} - {b})^T ({A} {x} - {b})", "{x}", "{k2} {A}^T ({A} {x} - {b})",
         [("missing_factor", "the square brings a factor 2", "{k} {A}^T ({A} {x} - {b})"),
          ("missing_chain_factor", "the chain rule's inner factor (the matrix, transposed, in front) is missing", "{k2} ({A} {x} - {b})")]),
        ("{k} {c}^T ({W} {x} + {b})", "{W}", "{k} {c} {x}^T",
         [("transpose", "∂(cᵀWx)/∂W = c xᵀ has the shape of W; x cᵀ is its transpose", "{k} {x} {c}^T")]),
        ("{k} {c}^T ({W} {x} + {b})", "{x}", "{k} {W}^T {c}",
         [("transpose", "Wᵀc, not Wc... the gradient has the shape of x", "{k} {c}^T {W}")])],
    3: [("-{y}^T log(softmax({W} {x}))", "{W}", "(softmax({W} {x}) - {y}) {x}^T",
         [("transpose", "the gradient has the shape of W: (p − y)xᵀ", "{x} (softmax({W} {x}) - {y})^T"),
          ("sign", "the sign is wrong: the gradient of cross-entropy is p − y", "({y} - softmax({W} {x})) {x}^T")]),
        ("{k} ({W} {x} - {y})^T ({W} {x} - {y})", "{W}", "{k2} ({W} {x} - {y}) {x}^T",
         [("missing_factor", "the square brings a factor 2", "{k} ({W} {x} - {y}) {x}^T"),
          ("transpose", "the gradient has the shape of W: (Wx − y)xᵀ", "{k2} {x} ({W} {x} - {y})^T")])],
}
LETTERS = {"A": "ABM", "W": "WV", "x": "xvz", "a": "auc", "y": "yt", "b": "bd", "c": "cg"}


def _fill(template: str, names: dict) -> str:
    return template.format(**names)


@topic("matrix_calculus", "Matrix calculus", "∂f/∂X of a linear layer, least squares, softmax cross-entropy",
       "multivariable calculus")
def matrix_calculus(rng: random.Random, level: int) -> Problem:
    """Level 1: aᵀx, xᵀAx, yᵀAx; 2: least squares and a linear layer; 3: softmax cross-entropy, ‖Wx − y‖²."""
    f_t, wrt_t, answer_t, mistakes = rng.choice(TEMPLATES[level])
    names = {key: rng.choice(options) for key, options in LETTERS.items()}
    names["k"] = rng.choice(["", "", "3", "5", "7"]) if "softmax" not in f_t else ""
    names["k2"] = str(2 * int(names["k"] or 1))
    if len(set(names[k] for k in ("x", "a", "y", "b", "c"))) < 5:
        names.update(x="x", a="a", y="y", b="b", c="c")
    f, wrt, answer = (" ".join(_fill(t, names).split()) for t in (f_t, wrt_t, answer_t))
    result = matrix_gradient(f, wrt)
    shapes = dict(result.shapes)
    variables = tuple(sorted(v.name for v in e.variables(result.expression)))
    points = tuple(s.values for s in samples(result.expression, result.variable, result.sizes, seed=7, points=3,
                                             directions=1))
    given = ""
    if "softmax" in f:     # y is a probability vector (one-hot in classification): then ∂f/∂W = (p − y)xᵀ
        points = tuple(dict(v, **{names["y"]: v[names["y"]] / v[names["y"]].sum()}) for v in points)
        given = f"; {names['y']} is a probability vector (its entries sum to 1), e.g. one-hot"
    traps = tuple(_trap(m, words, " ".join(_fill(w, names).split()), shapes) for m, words, w in mistakes)
    traps = tuple(t for t in traps if t is not None)
    kind = "matrix" if e.kind_of(result.variable.shape) == "matrix" else "vector"
    prompt = f"Compute the gradient ∂f/∂{wrt} of f = {f} ({_shape_words(shapes)}{given}; the answer has the shape of {wrt})."
    from gradwise.printing import latex

    return Problem("", 0, 0, prompt, rf"\frac{{\partial}}{{\partial {wrt}}}\left({f}\right)", result.result, answer,
                   latex(result.result), "matrix_expression", worked(result), variables, traps, shapes=shapes,
                   samples=points, sizes=dict(result.sizes),
                   note=f"matrix notation: A^T for a transpose, A x for a product, softmax(W x); {kind} answer")


def _trap(mistake: str, words: str, wrong: str, shapes: dict) -> Trap | None:
    """The wrong answer as a trap, when it can be typed at all (a product whose shapes do not fit cannot)."""
    from gradwise.errors import GradwiseError

    try:
        return Trap(mistake, words, parse_matrix(wrong, shapes).tree, wrong)
    except GradwiseError:
        return None


def _shape_words(shapes: dict) -> str:
    parts = []
    for name, shape in sorted(shapes.items()):
        parts.append(f"{name}: {shape[0]}×{shape[1]}")
    return ", ".join(parts)
