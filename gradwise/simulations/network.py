"""A feed-forward network trained by backpropagation with compiled local derivatives.

Layer l computes a_l = act_l(a_{l-1} @ W_l + b_l), with `weights[l]` of shape (fan_in, fan_out)
(torch's `nn.Linear.weight` transposed) and a_0 = X. Each activation's and the loss's local derivative
is derived once by the engine and compiled (`layers.py`, `losses.py`); `backward` runs the chain rule
over the layers with those compiled functions:

    δ_L = ∂L/∂a_L ⊙ act_L'(z_L),   δ_l = (δ_{l+1} W_{l+1}^T) ⊙ act_l'(z_l),
    ∂L/∂W_l = a_{l-1}^T δ_l,       ∂L/∂b_l = Σ_n δ_l[n].

The whole network's loss is never expanded into one SymPy expression (design.md, Numerics).
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from gradwise.derivations.tolerances import NETWORK_FD_STEP, NETWORK_GRADIENT_FLOOR, NETWORK_GRADIENT_TOLERANCE
from gradwise.errors import GradwiseError
from gradwise.simulations.layers import ACTIVATIONS, Activation, activation  # noqa: F401 (re-exported)
from gradwise.simulations.losses import LOSSES, Loss, loss as get_loss  # noqa: F401 (re-exported)

INITS = ("xavier", "he", "normal:STD")
MAX_PARAMETERS = 10_000_000
MAX_FILE_BYTES = 5_000_000


@dataclass
class Gradients:
    """What one backward pass computed. Lists are per layer; `activations[0]` is the input X."""

    loss: float
    grad_weights: list[np.ndarray]
    grad_biases: list[np.ndarray]
    activations: list[np.ndarray]
    pre_activations: list[np.ndarray]
    deltas: list[np.ndarray]         # δ_l = ∂L/∂z_l
    output_gradient: np.ndarray      # ∂L/∂a_L

    @property
    def layer_norms(self) -> list[float]:
        """‖∂L/∂W_l‖ (Frobenius) per layer, the first layer first."""
        return [float(np.linalg.norm(g)) for g in self.grad_weights]


@dataclass(frozen=True)
class GradientCheck:
    """Backpropagation against central finite differences for every parameter."""

    max_relative_error: float
    max_absolute_error: float
    worst: str                      # the parameter with the largest relative error, e.g. "W1[0,2]"
    parameters: int
    step: float

    @property
    def passed(self) -> bool:
        return self.max_relative_error < NETWORK_GRADIENT_TOLERANCE


class Network:
    """A feed-forward network: weights[l] (fan_in, fan_out), biases[l] (fan_out,), one activation a layer."""

    def __init__(self, weights: Sequence, biases: Sequence | None = None,
                 activations: str | Sequence[str] = "tanh", loss: str = "mse"):
        self.weights = [_matrix(w, f"layer {l}: weights", 2) for l, w in enumerate(weights, start=1)]
        if not self.weights:
            raise GradwiseError("a network needs at least one layer of weights")
        if sum(w.size for w in self.weights) > MAX_PARAMETERS:
            raise GradwiseError(f"the network has more than {MAX_PARAMETERS:,} weights")
        biases = [None] * len(self.weights) if biases is None else list(biases)
        if len(biases) != len(self.weights):
            raise GradwiseError(f"{len(self.weights)} weight matrices but {len(biases)} bias vectors")
        self.biases = [np.zeros(w.shape[1]) if b is None else _matrix(b, f"layer {l}: biases", 1)
                       for l, (b, w) in enumerate(zip(biases, self.weights), start=1)]
        if not isinstance(activations, (str, list, tuple)):
            raise GradwiseError("activations must be a name or a list of names, one per layer")
        names = [activations] * len(self.weights) if isinstance(activations, str) else list(activations)
        if len(names) != len(self.weights):
            raise GradwiseError(f"{len(self.weights)} layers but {len(names)} activations")
        self.activation_names = names
        self.acts: list[Activation] = [activation(n) for n in names]
        self.loss_name = loss
        self.loss_fn: Loss = get_loss(loss)
        for l, (w, b) in enumerate(zip(self.weights, self.biases), start=1):
            if b.shape != (w.shape[1],):
                raise GradwiseError(f"layer {l}: biases have shape {b.shape} but the weights {w.shape} "
                                    f"need ({w.shape[1]},)")
            if l > 1 and w.shape[0] != self.weights[l - 2].shape[1]:
                raise GradwiseError(f"layer {l}: weights have shape {w.shape} but layer {l - 1} gives "
                                    f"{self.weights[l - 2].shape[1]} outputs (weights {self.weights[l - 2].shape})")

    @classmethod
    def from_sizes(cls, sizes: Sequence[int], activations: str | Sequence[str] = "tanh", loss: str = "mse",
                   init: str = "xavier", seed: int = 0) -> "Network":
        """Random weights for layer sizes [n_in, n_1, ..., n_out] (biases zero)."""
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise GradwiseError(f"sizes must be at least two positive numbers, not {sizes}")
        if sum(a * b for a, b in zip(sizes, sizes[1:])) > MAX_PARAMETERS:
            raise GradwiseError(f"the network has more than {MAX_PARAMETERS:,} weights")
        rng = np.random.default_rng(seed)
        weights = [rng.normal(0.0, init_scale(init, a, b), size=(a, b)) for a, b in zip(sizes, sizes[1:])]
        return cls(weights, None, activations, loss)

    @property
    def sizes(self) -> list[int]:
        return [self.weights[0].shape[0]] + [w.shape[1] for w in self.weights]

    def __repr__(self) -> str:
        return (f"Network(sizes={self.sizes}, activations={self.activation_names}, loss={self.loss_name!r})")

    # ------------------------------------------------------------------------------------------------
    def forward(self, X) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pre-activations z_1..z_L and activations a_0 = X, a_1..a_L."""
        X = self._input(X)
        zs, acts = [], [X]
        a = X
        for W, b, act in zip(self.weights, self.biases, self.acts):
            z = a @ W + b
            a = act.forward(z)
            zs.append(z)
            acts.append(a)
        return zs, acts

    def predict(self, X) -> np.ndarray:
        return self.forward(X)[1][-1]

    def loss(self, X, y) -> float:
        zs, acts = self.forward(X)
        y = self._targets(y, acts[-1])
        value = self.loss_fn.value(acts[-1], y)
        if not math.isfinite(value):
            self._name_bad_layer(zs, acts, value)
        return value

    def backward(self, X, y) -> Gradients:
        """The loss and its gradient with respect to every weight and bias (the chain rule over layers)."""
        zs, acts = self.forward(X)
        y = self._targets(y, acts[-1])
        value, top = self.loss_fn.value_and_gradient(acts[-1], y)
        if not math.isfinite(value):
            self._name_bad_layer(zs, acts, value)
        L = len(self.weights)
        deltas: list = [None] * L
        gw: list = [None] * L
        gb: list = [None] * L
        delta = top
        for l in range(L - 1, -1, -1):
            act = self.acts[l]
            if act.backward is not None:
                delta = delta * act.backward(zs[l], acts[l + 1])
            deltas[l] = delta
            gw[l] = acts[l].T @ delta
            gb[l] = delta.sum(axis=0)
            if l:
                delta = delta @ self.weights[l].T
        return Gradients(value, gw, gb, acts, zs, deltas, top)

    def gradient_check(self, X, y, step: float = NETWORK_FD_STEP) -> GradientCheck:
        """Every parameter's gradient against the 4-point central difference (error O(h⁴)).

        (-L(θ+2h) + 8L(θ+h) - 8L(θ-h) + L(θ-2h)) / 12h; the relative error is
        |backprop - numeric| / max(|backprop|, |numeric|, 1e-6): below 1e-6 a gradient is judged by its
        absolute error (finite differences cannot resolve its relative error).
        """
        g = self.backward(X, y)
        worst, max_rel, max_abs, count = "", 0.0, 0.0, 0
        for kind, params, grads in (("W", self.weights, g.grad_weights), ("b", self.biases, g.grad_biases)):
            for l, (p, gp) in enumerate(zip(params, grads), start=1):
                for index in np.ndindex(p.shape):
                    original = p[index]
                    values = []
                    for k in (2, 1, -1, -2):
                        p[index] = original + k * step
                        values.append(self.loss(X, y))
                    p[index] = original
                    numeric = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * step)
                    error = abs(gp[index] - numeric)
                    rel = float(error / max(abs(gp[index]), abs(numeric), NETWORK_GRADIENT_FLOOR))
                    count += 1
                    max_abs = max(max_abs, float(error))
                    if rel >= max_rel:
                        max_rel, worst = rel, f"{kind}{l}[{','.join(map(str, index))}]"
        return GradientCheck(max_rel, max_abs, worst, count, step)

    # ------------------------------------------------------------------------------------------------
    def _input(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            X = X.reshape(1, -1)
        if X.ndim != 2:
            raise GradwiseError(f"the input X must be a matrix (examples × features), not shape {X.shape}")
        if X.shape[1] != self.weights[0].shape[0]:
            raise GradwiseError(f"layer 1: the input has shape {X.shape} but the weights have shape "
                                f"{self.weights[0].shape}: {X.shape[1]} features for {self.weights[0].shape[0]} inputs")
        return X

    def _targets(self, y, out: np.ndarray) -> np.ndarray:
        if self.loss_name == "output":
            return np.zeros_like(out) if y is None else np.asarray(y, dtype=float)
        if self.loss_name == "cross_entropy":
            labels = np.asarray(y)
            if labels.shape != (out.shape[0],):
                raise GradwiseError(f"cross_entropy needs one integer label per example: shape "
                                    f"({out.shape[0]},), not {labels.shape}")
            if labels.dtype.kind == "f":
                if not np.all(labels == np.round(labels)):
                    raise GradwiseError("cross_entropy labels must be integer class indices")
                labels = labels.astype(int)
            if labels.size and (labels.min() < 0 or labels.max() >= out.shape[1]):
                raise GradwiseError(f"cross_entropy labels must be between 0 and {out.shape[1] - 1} "
                                    f"(layer {len(self.weights)} has {out.shape[1]} outputs)")
            return labels
        y = np.asarray(y, dtype=float)
        if y.ndim == 1 and out.shape[1] == 1 and y.shape[0] == out.shape[0]:
            y = y.reshape(-1, 1)
        elif y.ndim == 1 and out.shape[0] == 1:
            y = y.reshape(1, -1)
        if y.shape != out.shape:
            raise GradwiseError(f"the targets have shape {y.shape} but layer {len(self.weights)} outputs "
                                f"shape {out.shape}")
        return y

    def _name_bad_layer(self, zs, acts, value: float) -> None:
        if not np.all(np.isfinite(acts[0])):
            raise GradwiseError("the input X contains NaN or inf")
        for l, (z, a) in enumerate(zip(zs, acts[1:]), start=1):
            if not np.all(np.isfinite(z)) or not np.all(np.isfinite(a)):
                where = "pre-activations" if not np.all(np.isfinite(z)) else f"{self.activation_names[l - 1]} outputs"
                bad = "NaN" if np.any(np.isnan(z)) or np.any(np.isnan(a)) else "inf"
                raise GradwiseError(f"layer {l}: the forward pass gives {bad} in the {where} "
                                    f"(largest weight {np.max(np.abs(self.weights[l - 1])):.3g})")
        raise GradwiseError(f"the {self.loss_name} loss is {value} (check the targets for NaN or inf)")


def init_scale(init: str, fan_in: int, fan_out: int) -> float:
    """The standard deviation of an initialisation: xavier (Glorot), he (Kaiming), or normal:STD."""
    if init == "xavier":
        return math.sqrt(2.0 / (fan_in + fan_out))
    if init == "he":
        return math.sqrt(2.0 / fan_in)
    if init.startswith("normal:"):
        try:
            std = float(init.split(":", 1)[1])
        except ValueError:
            std = float("nan")
        if not (math.isfinite(std) and std >= 0):
            raise GradwiseError(f"'{init}': the standard deviation must be a number ≥ 0, e.g. normal:0.5")
        return std
    raise GradwiseError(f"unknown initialisation '{init}'; choose one of {', '.join(INITS)}")


def _matrix(value, what: str, ndim: int) -> np.ndarray:
    try:
        m = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise GradwiseError(f"{what} are not numbers") from None
    if m.ndim != ndim:
        shape = "(fan_in, fan_out)" if ndim == 2 else "(fan_out,)"
        raise GradwiseError(f"{what} must have shape {shape}, not {m.shape}")
    if not np.all(np.isfinite(m)):
        raise GradwiseError(f"{what} contain NaN or inf")
    return m


# ----------------------------------------------------------------------------------------------------
# Network files

def load_network(path: str) -> tuple[Network, np.ndarray | None, np.ndarray | None]:
    """A network and its data from a TOML file.

    ```
    sizes = [2, 3, 2]              # or [[layers]] tables with weights = [[...]] and biases = [...]
    activations = ["tanh", "identity"]
    loss = "cross_entropy"
    init = "xavier"                # xavier, he or normal:STD
    seed = 0
    [data]
    inputs = [[0.5, -1.0]]
    targets = [1]
    ```
    """
    try:
        import tomllib
    except ModuleNotFoundError:      # Python 3.10
        import tomli as tomllib
    if not os.path.isfile(path):
        raise GradwiseError(f"no network file {path}")
    if os.path.getsize(path) > MAX_FILE_BYTES:
        raise GradwiseError(f"{path} is larger than {MAX_FILE_BYTES:,} bytes")
    try:
        with open(path, "rb") as f:
            spec = tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise GradwiseError(f"{path}: not valid TOML ({exc})") from None
    known = {"sizes", "activations", "activation", "loss", "init", "seed", "layers", "data"}
    unknown = sorted(set(spec) - known)
    if unknown:
        raise GradwiseError(f"{path}: unknown key {unknown[0]!r}; the keys are {', '.join(sorted(known))}")
    loss = spec.get("loss", "mse")
    for key, kind in (("loss", str), ("init", str), ("seed", int), ("activation", str), ("activations", (str, list))):
        if key in spec and not isinstance(spec[key], kind) or isinstance(spec.get(key), bool):
            raise GradwiseError(f"{path}: {key} = {spec[key]!r} has the wrong type (see examples/net.toml)")
    if isinstance(spec.get("activations"), list) and not all(isinstance(a, str) for a in spec["activations"]):
        raise GradwiseError(f"{path}: activations must be names, e.g. [\"tanh\", \"identity\"]")
    if "layers" in spec:
        layers = spec["layers"]
        if not isinstance(layers, list) or not all(isinstance(t, dict) for t in layers):
            raise GradwiseError(f"{path}: layers must be [[layers]] tables with weights, biases, activation")
        weights = [t.get("weights") for t in layers]
        if any(w is None for w in weights):
            raise GradwiseError(f"{path}: every [[layers]] table needs weights = [[...]]")
        biases = [t.get("biases") for t in layers]
        acts = [t.get("activation", spec.get("activation", "tanh")) for t in layers]
        net = Network(weights, biases, acts, loss)
    elif "sizes" in spec:
        sizes = spec["sizes"]
        acts = spec.get("activations", spec.get("activation", "tanh"))
        if not isinstance(sizes, list) or not all(isinstance(s, int) for s in sizes):
            raise GradwiseError(f"{path}: sizes must be a list of integers, e.g. sizes = [2, 3, 1]")
        net = Network.from_sizes(sizes, acts, loss, str(spec.get("init", "xavier")), int(spec.get("seed", 0)))
    else:
        raise GradwiseError(f"{path}: give sizes = [...] (with init and seed) or [[layers]] with weights")
    data = spec.get("data", {})
    if not isinstance(data, dict):
        raise GradwiseError(f"{path}: [data] must be a table with inputs and targets")
    X = _numbers(data["inputs"], path, "inputs") if "inputs" in data else None
    y = _numbers(data["targets"], path, "targets") if "targets" in data else None
    return net, X, y


def _numbers(value, path: str, what: str) -> np.ndarray:
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise GradwiseError(f"{path}: [data] {what} must be numbers, in rows of equal length") from None
    if not np.all(np.isfinite(out)):
        raise GradwiseError(f"{path}: [data] {what} contain NaN or inf")
    return out
