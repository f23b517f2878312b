"""The optimizers against torch.optim itself, when torch is installed (it is not a dependency).

torch is given the same gradient (computed by our compiled function) so the comparison is of the update
rules alone; a second test lets torch's autograd compute the gradient, for a few short runs.
"""
from __future__ import annotations

import numpy as np
import pytest

import gradwise
from gradwise.simulations.compile import compile

torch = pytest.importorskip("torch", reason="torch is not installed (optional: compares with torch.optim)")

from tests.test_optimizers import CASES, FUNCTIONS, _relative_error  # noqa: E402

TORCH = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "adagrad": "Adagrad"}
STEPS = 100


def _torch_run(method, hp, start, steps, grad=None, loss=None):
    P = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = getattr(torch.optim, TORCH[method])([P], **hp)
    out = [P.detach().numpy().copy()]
    for _ in range(steps):
        opt.zero_grad()
        if grad is not None:
            P.grad = torch.tensor(grad(P.detach().numpy()[None])[0], dtype=torch.float64)
        else:
            loss(P).backward()
        opt.step()
        out.append(P.detach().numpy().copy())
    return np.array(out)


@pytest.mark.parametrize("fname", list(FUNCTIONS))
@pytest.mark.parametrize("method,hp", CASES, ids=[f"{m}-{'-'.join(h)}" for m, h in CASES])
def test_matches_torch_optim(fname, method, hp):
    text, _, start = FUNCTIONS[fname]
    if fname == "bowl" and method == "sgd":
        hp = {**hp, "lr": 0.01}
    run = gradwise.optimize(text, start, method=method, steps=STEPS, **hp)
    c = compile(text, hessian=False)
    want = _torch_run(method, hp, start, len(run.params) - 1, grad=c.grad)
    assert _relative_error(run.params, want) < 1e-12


@pytest.mark.parametrize("method,hp", [("sgd", {"lr": 1e-3, "momentum": 0.9}), ("adam", {"lr": 0.05}),
                                       ("rmsprop", {"lr": 0.01, "centered": True}), ("adagrad", {"lr": 0.1})])
def test_matches_torch_autograd(method, hp):
    run = gradwise.optimize("rosenbrock", method=method, steps=30, **hp)
    want = _torch_run(method, hp, [-1.2, 1.0], 30, loss=lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2)
    assert _relative_error(run.params, want) < 1e-12
