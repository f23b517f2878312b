"""Vanishing and exploding gradients: per-layer gradient norms through deep networks, measured.

`gradient_flow(depth=20, activations="sigmoid,tanh,relu", inits="xavier")` runs one backward pass per
(activation, initialisation) through a chain of `depth` layers of `width` units and records ‖∂L/∂W_l‖
for every layer, the mean activation derivative in every layer and the derived bound sup|f'|, so an
explanation can say from the run itself why the gradient shrinks or grows. `sigmoid_chain` is the
closed-form case: every pre-activation 0, so each layer multiplies the gradient by w·σ'(0) = w/4.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from gradwise.derivations.display import Displayable
from gradwise.errors import GradwiseError
from gradwise.simulations.layers import derivative_bound
from gradwise.simulations.network import Network, init_scale

MAX_DEPTH = 200
MAX_WIDTH = 512
MAX_BATCH = 4096
MAX_VALUES = 20_000_000   # depth × width × batch: about 0.5 GB of arrays kept for the backward pass
LOSS = "mse"    # against standard normal targets


@dataclass(frozen=True)
class FlowRun:
    """One network's gradient norms, layer 1 first."""

    activation: str
    init: str
    layer_norms: tuple[float, ...]        # ‖∂L/∂W_l‖
    delta_norms: tuple[float, ...]        # ‖δ_l‖ = ‖∂L/∂z_l‖
    mean_derivative: tuple[float, ...]    # mean of f'(z_l) over the batch and units
    weight_gain: tuple[float, ...]        # ‖W_l‖₂ (largest singular value) of each layer
    bound: sp.Expr                        # sup |f'| from the derivation
    bound_at: str

    @property
    def ratio(self) -> float:
        """‖∂L/∂W_1‖ / ‖∂L/∂W_L‖: below 1 the gradient vanished on the way back, above 1 it exploded."""
        return self.layer_norms[0] / self.layer_norms[-1] if self.layer_norms[-1] else float("inf")

    @property
    def factor_per_layer(self) -> float:
        """The geometric mean of the per-layer factor ‖δ_l‖/‖δ_{l+1}‖ measured in this run."""
        d = self.delta_norms
        if len(d) < 2 or d[-1] == 0 or d[0] == 0:
            return 0.0
        return float((d[0] / d[-1]) ** (1.0 / (len(d) - 1)))


@dataclass
class GradientFlow(Displayable):
    """Gradient norms per layer for several activations and initialisations."""

    depth: int
    width: int
    batch: int
    seed: int
    runs: list[FlowRun]
    closed_form: dict = field(default_factory=dict)   # the sigmoid chain with all z = 0
    plot_file: str = ""

    kind = "gradient_flow"


def _names(text, what: str) -> list[str]:
    names = [t.strip() for t in text.split(",")] if isinstance(text, str) else list(text)
    names = [n for n in names if n]
    if not names:
        raise GradwiseError(f"give at least one {what}")
    return list(dict.fromkeys(names))


def gradient_flow(depth: int = 20, width: int = 32, activations="sigmoid,tanh,relu", inits="xavier",
                  batch: int = 64, seed: int = 0) -> GradientFlow:
    """Run one backward pass per (activation, init) and record what happens to the gradient per layer."""
    if not 1 <= depth <= MAX_DEPTH:
        raise GradwiseError(f"--depth must be between 1 and {MAX_DEPTH}, not {depth}")
    if not 1 <= width <= MAX_WIDTH:
        raise GradwiseError(f"--width must be between 1 and {MAX_WIDTH}, not {width}")
    if not 1 <= batch <= MAX_BATCH:
        raise GradwiseError(f"--batch must be between 1 and {MAX_BATCH}, not {batch}")
    if depth * width * batch > MAX_VALUES:
        raise GradwiseError(f"depth × width × batch = {depth * width * batch:,} values per pass; the limit is "
                            f"{MAX_VALUES:,} (each layer keeps its pre-activations, outputs and gradients)")
    acts, init_names = _names(activations, "activation"), _names(inits, "initialisation")
    for i in init_names:
        init_scale(i, width, width)      # refuses an unknown one with the choices
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, width))
    y = rng.normal(size=(batch, width))
    runs = []
    for act in acts:
        for init in init_names:
            net = Network.from_sizes([width] * (depth + 1), act, LOSS, init, seed)
            g = net.backward(X, y)
            a = net.acts[0]
            derivs = [np.ones_like(z) if a.backward is None else np.broadcast_to(a.backward(z, out), z.shape)
                      for z, out in zip(g.pre_activations, g.activations[1:])]
            bound, where = derivative_bound(act)
            runs.append(FlowRun(act, init, tuple(g.layer_norms), tuple(float(np.linalg.norm(d)) for d in g.deltas),
                                tuple(float(np.mean(d)) for d in derivs),
                                tuple(float(np.linalg.norm(w, 2)) for w in net.weights), bound, where))
    return GradientFlow(depth, width, batch, seed, runs, sigmoid_chain(depth))


def sigmoid_chain(depth: int, w: float = 1.0) -> dict:
    """A chain of `depth` sigmoid units with weight w and biases that keep every pre-activation at 0.

    Input 0, b_1 = 0, b_l = -w/2 (a_{l-1} = σ(0) = 1/2), loss = a_L: then ∂L/∂b_l = (1/4)(w/4)^(L-l).
    Returns the measured and closed-form bias gradients, layer 1 first.
    """
    weights = [[[w]] for _ in range(depth)]
    biases = [[0.0]] + [[-w / 2]] * (depth - 1)
    net = Network(weights, biases, "sigmoid", "output")
    g = net.backward(np.zeros((1, 1)), None)
    measured = [float(b[0]) for b in g.grad_biases]
    closed = [0.25 * (w / 4) ** (depth - l) for l in range(1, depth + 1)]
    z_max = max(float(np.max(np.abs(z))) for z in g.pre_activations)
    return {"w": w, "measured": measured, "closed_form": closed, "max_abs_pre_activation": z_max}
