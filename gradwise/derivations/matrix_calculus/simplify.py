"""Tidying matrix expressions the way a person would, one identity at a time.

Each rewrite is an identity that holds for all matrices of the shapes involved (every result is
checked numerically anyway): (AB)ᵀ = BᵀAᵀ, (Xᵀ)ᵀ = X, a scalar equals its transpose and its trace,
I·A = A, like terms add up (A x + A x = 2 A x), a factor common to every term comes out
(A x + Aᵀ x = (A + Aᵀ) x), and scalars move to the front of a product.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.expressions import SCALAR, shape

MAX_PASSES = 8


def simplify(node: e.Node) -> e.Node:
    """The expression tidied until nothing changes (a few passes at most)."""
    for _ in range(MAX_PASSES):
        new = _simplify(node)
        if new == node:
            return new
        node = new
    return node


def tidy(node: e.Node) -> e.Node:
    """Light tidying for the lines of a derivation: flatten sums and products, gather constants."""
    if not node.args:
        return node
    node = node.rebuild(tidy(a) for a in node.args)
    if isinstance(node, e.Mul):
        return _product(list(node.args), light=True)
    if isinstance(node, e.Add):
        terms = [t for t in _flatten_add(node.args) if not isinstance(t, e.Zero)]
        return e.add(*terms) if terms else e.zeros(shape(node))
    return node


def _simplify(node: e.Node) -> e.Node:
    if node.args:
        node = node.rebuild(_simplify(a) for a in node.args)
    handler = _HANDLERS.get(type(node))
    return handler(node) if handler else node


def _transpose(n: e.Transpose) -> e.Node:
    a = n.arg
    if isinstance(a, e.Transpose):
        return a.arg
    if shape(a) == SCALAR or isinstance(a, (e.Identity, e.Diag, e.Zero)):
        return a if not isinstance(a, e.Zero) else e.zeros((a.cols, a.rows))
    if isinstance(a, e.Ones):
        return e.Ones(rows=a.cols, cols=a.rows)
    if isinstance(a, e.Mul):   # (AB)ᵀ = BᵀAᵀ; scalar factors commute and keep their order
        scalars = [f for f in a.args if shape(f) == SCALAR]
        others = [_transpose(e.T(f)) for f in reversed(a.args) if shape(f) != SCALAR]
        return _product(scalars + others)
    if isinstance(a, e.Add) and all(_transpose(e.T(t)) == t for t in a.args):
        return a                      # a sum of symmetric terms is symmetric
    if isinstance(a, e.Inverse) and isinstance(a.arg, e.Transpose):
        return e.inv(a.arg.arg)
    return n


def _inverse(n: e.Inverse) -> e.Node:
    a = n.arg
    if isinstance(a, e.Inverse):
        return a.arg
    if isinstance(a, e.Identity):
        return a
    if isinstance(a, e.Transpose):
        return e.T(e.inv(a.arg))      # (Xᵀ)⁻¹ is written X⁻ᵀ
    if shape(a) == SCALAR:
        return _power(e.power(a, -1))
    return n


def _power(n: e.Power) -> e.Node:
    a, x = n.arg, n.exponent
    if x == 1:
        return a
    if x == 0:
        return e.const(1)
    if isinstance(a, e.Const):
        return e.const(a.value ** x)
    if isinstance(a, e.Power):
        return _power(e.power(a.arg, a.exponent * x))
    return n


def _trace(n: e.Trace) -> e.Node:
    a = n.arg
    if shape(a) == SCALAR:
        return a                      # a scalar is its own trace
    if isinstance(a, e.Transpose):
        return e.Trace((a.arg,))
    if isinstance(a, e.Zero):
        return e.zeros(SCALAR)
    return n


def _hadamard(n: e.Hadamard) -> e.Node:
    a, b = n.args
    if n.divide:
        if shape(b) == SCALAR:
            return _product([a, _power(e.power(b, -1))])
        c, rest = _split(a)
        if c != 1 and rest:             # (−P) ⊘ U = −(P ⊘ U)
            return _product([e.const(c), e.hadamard(rest[0] if len(rest) == 1 else e.Mul(rest), b, divide=True)])
        return n
    if shape(a) == SCALAR or shape(b) == SCALAR:
        return _product([a, b])
    if isinstance(a, e.Ones):
        return b
    if isinstance(b, e.Ones):
        return a
    if isinstance(a, e.Zero) or isinstance(b, e.Zero):
        return e.zeros(shape(n))
    if isinstance(b, e.Func) and b.name == "recip":
        return e.hadamard(a, b.arg, divide=True)
    if isinstance(a, e.Func) and a.name == "recip":
        return e.hadamard(b, a.arg, divide=True)
    for p, q in ((a, b), (b, a)):      # (P ⊘ U) ⊙ Q = (P ⊙ Q) ⊘ U
        if isinstance(p, e.Hadamard) and p.divide:
            top = q if isinstance(p.args[0], e.Ones) else _hadamard(e.hadamard(p.args[0], q))
            return e.hadamard(top, p.args[1], divide=True)
    ca, ra = _split(a)
    cb, rb = _split(b)
    if (ca != 1 or cb != 1) and ra and rb:  # numbers come out: P ⊙ (−Q) = −(P ⊙ Q)
        plain = lambda rest: rest[0] if len(rest) == 1 else e.Mul(rest)
        return _product([e.const(ca * cb), _hadamard(e.hadamard(plain(ra), plain(rb)))])
    return n


def _func(n: e.Func) -> e.Node:
    if n.name == "recip" and shape(n.arg) == SCALAR:
        return _power(e.power(n.arg, -1))
    return n


# ---------------------------------------------------------------------------------------------------- products

def _mul(n: e.Mul) -> e.Node:
    return _product(list(n.args))


def _product(factors: list[e.Node], light: bool = False) -> e.Node:
    """A product with constants gathered in front; unless `light`, also identities dropped, scalars in
    front and equal scalar bases merged."""
    whole = shape(e.Mul(tuple(factors))) if len(factors) > 1 else shape(factors[0])
    flat: list[e.Node] = []
    for f in factors:
        if isinstance(f, e.Mul) and e.flattens_into(f, flat):
            flat.extend(f.args)
        else:
            flat.append(f)
    coefficient = sp.S.One
    rest: list[e.Node] = []
    for f in flat:
        if isinstance(f, e.Const):
            coefficient *= f.value
        elif isinstance(f, e.Zero):
            return e.zeros(whole)
        else:
            rest.append(f)
    if coefficient == 0:
        return e.zeros(whole)
    if not light:
        rest = _drop_identities(rest, whole)
        rest = _scalars_first(rest, whole)
    lead = [e.const(coefficient)] if coefficient != 1 or not rest else []
    out = lead + rest
    return out[0] if len(out) == 1 else e.Mul(tuple(out))


def _drop_identities(rest: list[e.Node], whole) -> list[e.Node]:
    kept = [f for f in rest if not isinstance(f, e.Identity)]
    if not kept or shape(e.Mul(tuple(kept)) if len(kept) > 1 else kept[0]) != whole:
        return rest
    return kept


def _scalars_first(rest: list[e.Node], whole) -> list[e.Node]:
    """Scalar factors (and 1×1 runs such as 1ᵀ y inside s 1ᵀ y xᵀ) move to the front, grouped."""
    if whole == SCALAR or len(rest) < 2:
        return _merge_powers(rest) if whole == SCALAR else rest
    scalars, matrices = [], []
    i = 0
    while i < len(rest):
        f = rest[i]
        if shape(f) == SCALAR:
            scalars.append(f)
            i += 1
            continue
        if shape(f)[0] == 1:   # a row vector: does a run from here close to 1×1?
            run, current = [f], shape(f)
            j = i + 1
            while j < len(rest) and current != SCALAR:
                nxt = e.product_shape(current, shape(rest[j]))
                if nxt is None:
                    break
                current = nxt
                run.append(rest[j])
                j += 1
            if current == SCALAR and j < len(rest) + 1 and len(run) < len(rest):
                scalars.append(e.Mul(tuple(run)))
                i = j
                continue
        matrices.append(f)
        i += 1
    if not matrices:
        return rest
    return _merge_powers(scalars) + matrices


def _merge_powers(factors: list[e.Node]) -> list[e.Node]:
    """α·α⁻¹ = 1, α·α = α² for scalar factors with the same base."""
    bases: dict[e.Node, sp.Rational] = {}
    order: list[e.Node] = []
    others: list[e.Node] = []
    for f in factors:
        if shape(f) != SCALAR:
            others.append(f)
            continue
        base, x = (f.arg, f.exponent) if isinstance(f, e.Power) else (f, sp.S.One)
        if base not in bases:
            bases[base] = sp.S.Zero
            order.append(base)
        bases[base] += x
    merged = [b if bases[b] == 1 else e.power(b, bases[b]) for b in order if bases[b] != 0]
    if others:   # keep scalars before the matrices in the order they came
        return merged + others
    return merged


# ---------------------------------------------------------------------------------------------------- sums

def _flatten_add(terms) -> list[e.Node]:
    out: list[e.Node] = []
    for t in terms:
        out.extend(_flatten_add(t.args) if isinstance(t, e.Add) else [t])
    return out


def _split(term: e.Node) -> tuple[sp.Rational, tuple]:
    """coefficient, other factors."""
    if isinstance(term, e.Const):
        return term.value, ()
    if isinstance(term, e.Mul):
        c, rest = sp.S.One, []
        for f in term.args:
            if isinstance(f, e.Const):
                c *= f.value
            else:
                rest.append(f)
        return c, tuple(rest)
    return sp.S.One, (term,)


def _join(c: sp.Rational, rest: tuple) -> e.Node:
    if c == 0:
        return None
    if not rest:
        return e.const(c)
    return _product([e.const(c), *rest]) if c != 1 else (rest[0] if len(rest) == 1 else e.Mul(rest))


def _add(n: e.Add) -> e.Node:
    whole = shape(n)
    terms = [t for t in _flatten_add(n.args) if not isinstance(t, e.Zero)]
    coefficients: dict[tuple, sp.Rational] = {}
    for t in terms:
        c, rest = _split(t)
        coefficients[rest] = coefficients.get(rest, sp.S.Zero) + c
    joined = [_join(c, rest) for rest, c in coefficients.items() if c != 0]
    joined = [t for t in joined if t is not None]
    if not joined:
        return e.zeros(whole)
    if len(joined) == 1:
        return joined[0]
    factored = _factor(joined)
    if factored is not None:
        return factored
    joined.sort(key=lambda t: bool(_split(t)[0] < 0))   # positive terms first, otherwise as they came
    return e.Add(tuple(joined))


def _factor(terms: list[e.Node]) -> e.Node | None:
    """A non-scalar factor on the right (or left) of every term comes out: A x + B x = (A + B) x."""
    split = [_split(t) for t in terms]
    if any(len(rest) < 2 for _, rest in split):
        return None
    last = split[0][1][-1]
    if shape(last) != SCALAR and all(rest[-1] == last for _, rest in split):
        prefixes = [_join(c, rest[:-1]) for c, rest in split]
        if len({shape(p) for p in prefixes}) == 1:   # c·x + A x is not (c + A) x
            return _product([_add(e.Add(tuple(prefixes))), last])
    first = split[0][1][0]
    if shape(first) != SCALAR and all(rest[0] == first for _, rest in split):
        suffixes = [_join(c, rest[1:]) for c, rest in split]
        if len({shape(p) for p in suffixes}) == 1:
            return _product([first, _add(e.Add(tuple(suffixes)))])
    return None


_HANDLERS = {
    e.Transpose: _transpose, e.Inverse: _inverse, e.Power: _power, e.Trace: _trace, e.Hadamard: _hadamard,
    e.Func: _func, e.Mul: _mul, e.Add: _add,
}
