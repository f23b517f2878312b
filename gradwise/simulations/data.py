"""Losses over data: a loss per sample, averaged over a mini-batch, with reproducible batches.

A per-sample loss is an expression in the parameters and the sample's columns, written with the suffix
`_i` (`(w*x_i + b - y_i)^2`). Built-ins: `least_squares` (linear regression, squared error),
`logistic` (binary labels 0/1, the log-loss written as softplus(z) − y·z) and `softmax` (integer
class labels 0..K−1, the cross-entropy logsumexp(z) − z_y). The per-sample loss is differentiated
symbolically once, compiled, and evaluated on a whole batch as one array; the batch gradient is the
mean of the per-sample gradients (torch's `reduction="mean"`).

Batches: `make_batches` shuffles the sample indices once per epoch with NumPy's `default_rng(seed)`
and cuts them into batches of `batch_size` (the last batch of an epoch may be smaller, like
DataLoader's drop_last=False). An explicit list of batches replays a run exactly.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from gradwise.derivations import functions as fn
from gradwise.derivations.parsing import symbol
from gradwise.errors import GradwiseError
from gradwise.simulations.compile import Compiled, as_expression, compile

MAX_ROWS = 100_000
MAX_COLUMNS = 50
MAX_FILE_BYTES = 20_000_000
MAX_CLASSES = 10
BUILTINS = ("least_squares", "logistic", "softmax")
ALIASES = {"linear": "least_squares", "mse": "least_squares", "logreg": "logistic",
           "cross_entropy": "softmax", "multinomial": "softmax"}


@dataclass(frozen=True)
class Dataset:
    """Columns of numbers by name; the last column is the target y."""

    columns: dict
    source: str = ""

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    @property
    def rows(self) -> int:
        return len(next(iter(self.columns.values())))

    @property
    def features(self) -> list[str]:
        return self.names[:-1]

    @property
    def target(self) -> str:
        return self.names[-1]


def read_csv(path_or_text: str, *, text: bool = False) -> Dataset:
    """Read numbers from a CSV file (or text): an optional header row, then one sample per row.

    Without a header the columns are named x (or x1, x2, ...) and y, the last.
    """
    if text:
        content, source = path_or_text, "<data>"
    else:
        if not os.path.isfile(path_or_text):
            raise GradwiseError(f"cannot read the data: {path_or_text} is not a file")
        if os.path.getsize(path_or_text) > MAX_FILE_BYTES:
            raise GradwiseError(f"{path_or_text} is too large (limit {MAX_FILE_BYTES // 1_000_000} MB)")
        try:
            with open(path_or_text, encoding="utf-8") as f:
                content = f.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise GradwiseError(f"cannot read {path_or_text}: {exc}") from None
        source = path_or_text
    rows = [r for r in csv.reader(io.StringIO(content)) if r and any(c.strip() for c in r)]
    if not rows:
        raise GradwiseError(f"{source} has no rows")
    header = None
    if any(not _is_number(c) for c in rows[0]):
        header = [c.strip() for c in rows[0]]
        rows = rows[1:]
        for name in header:
            if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name):
                raise GradwiseError(f"column name '{name}' in {source}: use letters and digits, e.g. x1")
        if len(set(header)) != len(header):
            raise GradwiseError(f"{source} names a column twice")
    if not rows:
        raise GradwiseError(f"{source} has a header but no data rows")
    if len(rows) > MAX_ROWS:
        raise GradwiseError(f"{source} has {len(rows):,} rows; the limit is {MAX_ROWS:,}")
    width = len(rows[0])
    if width < 2 or width > MAX_COLUMNS:
        raise GradwiseError(f"{source} needs between 2 and {MAX_COLUMNS} columns (features, then y); it has {width}")
    values = np.empty((len(rows), width))
    for i, r in enumerate(rows, start=1 + (header is not None)):
        if len(r) != width:
            raise GradwiseError(f"{source} line {i} has {len(r)} columns, not {width}")
        for j, c in enumerate(r):
            if not _is_number(c):
                raise GradwiseError(f"{source} line {i} column {j + 1}: '{c.strip()[:20]}' is not a number")
            values[i - 1 - (header is not None), j] = float(c)
    if not np.all(np.isfinite(values)):
        raise GradwiseError(f"{source} has a value that is not finite")
    if header is None:
        header = (["x"] if width == 2 else [f"x{j}" for j in range(1, width)]) + ["y"]
    return Dataset({name: values[:, j] for j, name in enumerate(header)}, source)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*", text))


@dataclass
class DataProblem:
    """A per-sample loss on a dataset: mean loss and mean gradient over all samples or a batch."""

    name: str                      # "logistic", ... or "expression"
    loss: sp.Expr                  # per sample, in the parameters and the data symbols (x_i, y_i)
    compiled: Compiled
    columns: dict = field(repr=False)   # data symbol name -> array of all samples
    dataset: Dataset | None = None

    @property
    def variables(self):
        return self.compiled.variables

    @property
    def rows(self) -> int:
        return len(next(iter(self.columns.values())))

    def _data(self, idx):
        return {k: (v if idx is None else v[idx]) for k, v in self.columns.items()}

    def value(self, P: np.ndarray, idx=None) -> np.ndarray:
        """Mean loss over the samples `idx` (all when None) for each run: shape (runs,)."""
        return np.mean(self.compiled.f(np.asarray(P)[:, None, :], **self._data(idx)), axis=1)

    def grad(self, P: np.ndarray, idx=None) -> np.ndarray:
        """Mean gradient over the samples `idx` for each run: shape (runs, n)."""
        return np.mean(self.compiled.grad(np.asarray(P)[:, None, :], **self._data(idx)), axis=1)


def builtin_name(name: str) -> str | None:
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in BUILTINS else None


def _linear(weights, feats, bias):
    return sp.Add(*[w * x for w, x in zip(weights, feats)]) + bias


def builtin_loss(name: str, dataset: Dataset) -> tuple[sp.Expr, dict, list]:
    """The per-sample loss of a built-in model, its data columns {symbol name: array}, its parameters."""
    feats = dataset.features
    xs = [symbol(f"{f}_i") for f in feats]
    y = dataset.columns[dataset.target]
    columns = {f"{f}_i": dataset.columns[f] for f in feats}
    if name in ("least_squares", "logistic"):
        ws = [symbol("w")] if len(feats) == 1 else [symbol(f"w{j}") for j in range(1, len(feats) + 1)]
        b = symbol("b")
        z = _linear(ws, xs, b)
        yi = symbol("y_i")
        columns["y_i"] = y
        if name == "least_squares":
            return (z - yi) ** 2, columns, ws + [b]
        if not np.all((y == 0) | (y == 1)):
            raise GradwiseError(f"logistic regression needs labels 0 or 1 in the last column ({dataset.target})")
        return fn.softplus(z) - yi * z, columns, ws + [b]
    # softmax regression
    if not np.all(y == np.round(y)) or y.min() < 0:
        raise GradwiseError(f"softmax regression needs class labels 0, 1, 2, ... in the last column ({dataset.target})")
    k = int(y.max()) + 1
    if k < 2 or k > MAX_CLASSES:
        raise GradwiseError(f"softmax regression needs between 2 and {MAX_CLASSES} classes; the data has {k}")
    params, logits, onehot = [], [], []
    for c in range(k):
        ws = [symbol(f"w{c}_{j}") for j in range(1, len(feats) + 1)]
        b = symbol(f"b{c}")
        params += ws + [b]
        logits.append(_linear(ws, xs, b))
        yc = symbol(f"y{c}_i")
        onehot.append(yc)
        columns[f"y{c}_i"] = (y == c).astype(float)
    loss = fn.logsumexp(*logits) - sp.Add(*[yc * z for yc, z in zip(onehot, logits)])
    return loss, columns, params


def data_problem(loss: str | sp.Expr, dataset: Dataset, variables=None, *, timeout: float | None = None) -> DataProblem:
    """A DataProblem from a built-in name or a per-sample expression in `<column>_i` and the parameters."""
    name = builtin_name(loss) if isinstance(loss, str) else None
    if name is not None:
        expr, columns, params = builtin_loss(name, dataset)
        compiled = compile(expr, variables or params, data=list(columns), hessian=False, timeout=timeout)
        return DataProblem(name, expr, compiled, columns, dataset)
    expr = as_expression(loss)
    data_symbols = sorted((s for s in expr.free_symbols if s.name.endswith("_i")), key=lambda s: s.name)
    columns = {}
    for s in data_symbols:
        column = s.name[:-2]
        if column not in dataset.columns:
            raise GradwiseError(f"the loss uses {s.name} but the data has no column '{column}' "
                                f"(its columns: {', '.join(dataset.names)})")
        columns[s.name] = dataset.columns[column]
    if not columns:
        raise GradwiseError("a loss on data uses the sample's columns with the suffix _i, e.g. "
                            f"(w*x_i + b - y_i)^2; the data's columns are {', '.join(dataset.names)}")
    compiled = compile(expr, variables, data=list(columns), hessian=False, timeout=timeout)
    return DataProblem("expression", expr, compiled, columns, dataset)


def make_batches(rows: int, batch_size: int | None, steps: int, seed: int = 0) -> list[np.ndarray]:
    """The sample indices of each of `steps` batches: shuffled once per epoch with `default_rng(seed)`.

    `batch_size=None` (or >= rows) is full-batch gradient descent, in the data's order.
    """
    if batch_size is not None and batch_size < 1:
        raise GradwiseError(f"the batch size must be at least 1, not {batch_size}")
    if batch_size is None or batch_size >= rows:
        return [np.arange(rows)] * steps
    rng = np.random.default_rng(seed)
    out: list[np.ndarray] = []
    while len(out) < steps:
        order = rng.permutation(rows)
        out += [order[i:i + batch_size] for i in range(0, rows, batch_size)]
    return out[:steps]


def check_batches(batches, rows: int, steps: int) -> list[np.ndarray]:
    """Explicit batches (lists of sample indices, from 0), repeated in turn to fill `steps`."""
    try:
        out = [np.asarray(b, dtype=int).reshape(-1) for b in batches]
    except (TypeError, ValueError):
        raise GradwiseError("batches are lists of sample indices such as [[0, 1], [2, 3]]") from None
    if not out:
        raise GradwiseError("the list of batches is empty")
    for k, b in enumerate(out, start=1):
        if b.size == 0:
            raise GradwiseError(f"batch {k} is empty")
        if b.min() < 0 or b.max() >= rows:
            raise GradwiseError(f"batch {k} has index {int(b.max() if b.max() >= rows else b.min())}; "
                                f"the data has rows 0..{rows - 1}")
    return [out[i % len(out)] for i in range(steps)]
