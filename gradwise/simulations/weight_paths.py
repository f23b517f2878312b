"""One parameter's gradient in a network, as the chain rule writes it: a sum over paths.

`explain_parameter(net, X, y, "W1[0,1]")` computes ∂L/∂W1[0,1] three ways and checks they agree:
the backward pass; Σ_n a_0[n,0]·δ_1[n,1] (the vectorised form ∂L/∂W_l = a_{l-1}^T δ_l); and, for every
example, the sum over every path from z_1[1] through one unit of each later layer to the loss of the
product of the local derivatives on it (act'(z), a weight, act'(z), ..., ∂L/∂a_L).

The scalar facts the vectorised form rests on, ∂z_k/∂W[i,j] = a_i·[k = j] and ∂z_k/∂a_j = W[j,k], are
derived by the engine on a symbolic 2×2 layer, so the explanation derives δ_l = (δ_{l+1} W_{l+1}^T) ⊙
act'(z_l) and ∂L/∂W_l = a_{l-1}^T δ_l rather than stating them.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from gradwise.derivations.derivation import Derivation, differentiate
from gradwise.derivations.display import Displayable
from gradwise.derivations.parsing import symbol
from gradwise.errors import EngineError, GradwiseError
from gradwise.simulations.network import GradientCheck, Gradients, Network

MAX_PATHS = 20_000      # paths summed explicitly; more are left to the backward pass (said so)
PATHS_SHOWN = 8
MAX_CHECKED_PARAMETERS = 2_000   # the finite-difference check of every parameter costs 4 passes each
EXAMPLES_SHOWN = 8


@dataclass(frozen=True)
class PathTerm:
    """One path for one example: the units it passes (one per later layer) and its named factors."""

    units: tuple[int, ...]                       # unit index in layers l, l+1, ..., L
    factors: tuple[tuple[str, float], ...]       # (name, value), from the weight outwards to the loss
    product: float


@dataclass
class WeightGradient(Displayable):
    """∂L/∂(one parameter), with the per-example terms, the paths and the symbolic facts used."""

    network: Network
    parameter: str               # "W1[0,1]" or "b2[0]"
    kind_of: str                 # "W" or "b"
    layer: int                   # from 1
    row: int                     # i (W only; -1 for a bias)
    column: int                  # j
    gradients: Gradients
    value: float                 # from the backward pass
    example_terms: list[tuple[float, float]]   # per example n: (a_{l-1}[n,i] or 1, δ_l[n,j])
    paths: list[PathTerm]        # the first PATHS_SHOWN paths of example 0
    path_count: int              # paths per example
    path_sum: float | None       # Σ over examples and all paths (None when too many to list)
    facts: dict[str, Derivation]     # ∂z_k/∂W_ij, ∂z_k/∂a_j on a symbolic layer
    finite_differences: GradientCheck | None = None   # every parameter against finite differences
    identity_checked: int = 0    # parameters of the symbolic 2-2-2 network the recursion was checked on

    kind = "weight_gradient"


_PARAMETER = re.compile(r"\s*([Wb])\s*_?(\d+)\s*\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]\s*")


def read_parameter(net: Network, text: str) -> tuple[str, int, int, int]:
    """("W" or "b", layer from 1, row, column) from `W1[0,1]` or `b2[3]`, checked against the shapes."""
    m = _PARAMETER.fullmatch(text)
    if not m:
        raise GradwiseError(f"'{text}' is not a parameter; write W1[0,1] (layer 1 weight, row 0, column 1) "
                            "or b2[0]")
    kind, layer = m.group(1), int(m.group(2))
    if not 1 <= layer <= len(net.weights):
        raise GradwiseError(f"'{text}': the network has layers 1 to {len(net.weights)}")
    shape = net.weights[layer - 1].shape
    if kind == "W":
        if m.group(4) is None:
            raise GradwiseError(f"'{text}': a weight needs two indices, e.g. W{layer}[0,1] (shape {shape})")
        i, j = int(m.group(3)), int(m.group(4))
        if i >= shape[0] or j >= shape[1]:
            raise GradwiseError(f"'{text}': W{layer} has shape {shape}, so indices go up to "
                                f"[{shape[0] - 1},{shape[1] - 1}]")
        return kind, layer, i, j
    if m.group(4) is not None:
        raise GradwiseError(f"'{text}': a bias has one index, e.g. b{layer}[0]")
    j = int(m.group(3))
    if j >= shape[1]:
        raise GradwiseError(f"'{text}': b{layer} has {shape[1]} entries, so the index goes up to {shape[1] - 1}")
    return kind, layer, -1, j


def explain_parameter(net: Network, X, y, parameter: str) -> WeightGradient:
    """The gradient of one parameter, as paths and as the vectorised form, all checked against backward."""
    if X is None:
        raise GradwiseError("the network file needs [data] inputs = [[...]] (and targets) to explain a gradient")
    if y is None and net.loss_name != "output":
        raise GradwiseError(f"the network file needs [data] targets for the {net.loss_name} loss")
    kind, layer, i, j = read_parameter(net, parameter)
    g = net.backward(X, y)
    l = layer - 1
    value = float(g.grad_weights[l][i, j] if kind == "W" else g.grad_biases[l][j])
    inputs = g.activations[l][:, i] if kind == "W" else np.ones(len(g.deltas[l]))
    terms = [(float(a), float(d)) for a, d in zip(inputs, g.deltas[l][:, j])]
    vectorised = sum(a * d for a, d in terms)
    _agree(vectorised, value, f"Σ_n a[n,i]·δ[n,j] for {parameter}")

    widths = [w.shape[1] for w in net.weights[layer:]]
    count = int(np.prod(widths)) if widths else 1
    shown, path_sum = _paths(net, g, layer, j, inputs, count)
    if path_sum is not None:
        _agree(path_sum, value, f"the sum over paths for {parameter}")
    parameters = sum(w.size + b.size for w, b in zip(net.weights, net.biases))
    small = parameters <= MAX_CHECKED_PARAMETERS and parameters * len(g.activations[0]) <= 2_000_000
    check = net.gradient_check(X, y) if small else None
    return WeightGradient(net, parameter.strip(), kind, layer, i, j, g, value, terms, shown, count, path_sum,
                          layer_facts(), check, vectorised_form_identity())


def _derivatives(net: Network, g: Gradients) -> list[np.ndarray]:
    """act_l'(z_l) for every layer, from the compiled local derivatives."""
    out = []
    for act, z, a in zip(net.acts, g.pre_activations, g.activations[1:]):
        out.append(np.ones_like(z) if act.backward is None else np.broadcast_to(act.backward(z, a), z.shape))
    return out


def _paths(net: Network, g: Gradients, layer: int, j: int, inputs: np.ndarray, count: int):
    """The first paths of example 0 with named factors, and Σ over all examples and paths (or None)."""
    derivs = _derivatives(net, g)
    L = len(net.weights)
    top = g.output_gradient
    l = layer - 1
    shown: list[PathTerm] = []
    later = [range(w.shape[1]) for w in net.weights[layer:]]
    total = 0.0 if count <= MAX_PATHS else None
    for n_path, units in enumerate(itertools.product(*later)):
        if total is None and n_path >= PATHS_SHOWN:
            break
        chain = (j,) + units
        # vectorised over examples: act'_l(z_l[:, j]) Π W_{m+1}[k_m, k_{m+1}] act'_{m+1}(z[:, k_{m+1}]) · ∂L/∂a_L
        product = derivs[l][:, chain[0]].copy()
        factors = [(f"{net.activation_names[l]}'(z{layer}[{chain[0]}])", float(derivs[l][0, chain[0]]))]
        for m in range(layer, L):
            w = float(net.weights[m][chain[m - layer], chain[m - layer + 1]])
            d = derivs[m][:, chain[m - layer + 1]]
            product = product * w * d
            factors.append((f"W{m + 1}[{chain[m - layer]},{chain[m - layer + 1]}]", w))
            factors.append((f"{net.activation_names[m]}'(z{m + 1}[{chain[m - layer + 1]}])", float(d[0])))
        product = product * top[:, chain[-1]]
        factors.append((f"∂L/∂a{L}[{chain[-1]}]", float(top[0, chain[-1]])))
        if total is not None:
            total += float(np.sum(inputs * product))
        if len(shown) < PATHS_SHOWN:
            shown.append(PathTerm(chain, tuple(factors), float(product[0])))
    return shown, total


def _agree(a: float, b: float, what: str) -> None:
    if abs(a - b) > 1e-9 * max(1.0, abs(a), abs(b)):
        raise EngineError(f"{what} gives {a}, but backpropagation gives {b}")


def layer_facts() -> dict[str, Derivation]:
    """∂z_k/∂W_ij and ∂z_k/∂a_j for a symbolic layer z = a W + b with 2 inputs and 2 outputs."""
    a = [symbol("a1"), symbol("a2")]
    W = [[symbol("W11"), symbol("W12")], [symbol("W21"), symbol("W22")]]
    b = [symbol("b1"), symbol("b2")]
    z = [sum(a[i] * W[i][k] for i in range(2)) + b[k] for k in range(2)]
    return {
        "dz1/dW11": differentiate(z[0], W[0][0]),    # = a1: the weight's own output
        "dz2/dW11": differentiate(z[1], W[0][0]),    # = 0: another output does not use W11
        "dz1/db1": differentiate(z[0], b[0]),        # = 1
        "dz1/da2": differentiate(z[0], a[1]),        # = W21: the weight from input 2 to output 1
        "dz2/da2": differentiate(z[1], a[1]),        # = W22
    }


@lru_cache(maxsize=1)
def vectorised_form_identity() -> int:
    """Check the backward recursion symbolically on a 2-2-2 network with an arbitrary activation f and
    an arbitrary loss φ(a_2): SymPy's ∂L/∂W_l[i,j] and ∂L/∂b_l[j] equal a_{l-1}[i]·δ_l[j] and δ_l[j], with
    δ_2 = ∇φ ⊙ f'(z_2) and δ_1 = (δ_2 W_2^T) ⊙ f'(z_1). Returns how many parameters were checked.
    (Small and symbolic in f and φ, so nothing swells; a network's real loss is never expanded.)"""
    f, phi = sp.Function("f"), sp.Function("phi")
    t, u = sp.Symbol("t"), sp.symbols("u1 u2")
    a0 = sp.symbols("x1 x2")
    W = [sp.Matrix(2, 2, lambda i, j, n=n: sp.Symbol(f"W{n}_{i}{j}")) for n in (1, 2)]
    b = [sp.symbols(f"b{n}_0 b{n}_1") for n in (1, 2)]
    z1 = [sum(a0[i] * W[0][i, k] for i in range(2)) + b[0][k] for k in range(2)]
    a1 = [f(z) for z in z1]
    z2 = [sum(a1[i] * W[1][i, k] for i in range(2)) + b[1][k] for k in range(2)]
    a2 = [f(z) for z in z2]
    loss = phi(*a2)

    def fprime(z):
        return sp.diff(f(t), t).subs(t, z)

    grad_phi = [phi(*u).diff(uk).subs(dict(zip(u, a2))) for uk in u]
    d2 = [grad_phi[k] * fprime(z2[k]) for k in range(2)]
    d1 = [sum(d2[k] * W[1][j, k] for k in range(2)) * fprime(z1[j]) for j in range(2)]
    claims = []
    for a_prev, W_l, b_l, d in ((a0, W[0], b[0], d1), (a1, W[1], b[1], d2)):
        claims += [(W_l[i, j], a_prev[i] * d[j]) for i in range(2) for j in range(2)]
        claims += [(b_l[j], d[j]) for j in range(2)]
    for param, claimed in claims:
        if sp.expand(sp.diff(loss, param) - claimed) != 0:
            raise EngineError(f"the backward recursion disagrees with SymPy for ∂L/∂{param}")
    return len(claims)
