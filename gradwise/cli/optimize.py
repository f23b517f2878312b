"""`gradwise optimize FUNCTION`: run torch.optim's update rules on a function or a loss over data."""
from __future__ import annotations

import argparse
import json
import os
import re
import sys

import numpy as np

from gradwise.cli._common import add_output_options, emit, read_argument
from gradwise.derivations.limits import time_limit
from gradwise.errors import GradwiseError
from gradwise.explainer import explain
from gradwise.simulations import test_functions
from gradwise.simulations.optimizers import METHODS, method_names, resolve_method
from gradwise.simulations.trajectory import Study, Sweep, optimize, problem, sweep

EXAMPLES = """examples:
  gradwise optimize "(1-x)^2 + 100(y-x^2)^2" --start -1.2,1 --method sgd --lr 1e-3 --steps 500 --plot rosen.png
  gradwise optimize "x^2 + 10 y^2" --start 3,1 --method sgd --lr 0.02 --momentum 0.9 --nesterov --compare adam,rmsprop --plot cmp.png
  gradwise optimize "x^2 + 10 y^2" --start 3,1 --method sgd --sweep lr=1e-3:0.2:40 --plot sweep.png
  gradwise optimize logistic --data points.csv --method sgd --batch-size 4 --seed 0 --lr 0.5 --steps 200
  gradwise optimize "x^2 + 10 y^2" --start 3,1 --method adam --format json
  gradwise optimize rosenbrock --method adam --lr 0.05 --explain
  gradwise optimize himmelblau --start "0,0;-1,1;1,-3;-4,-1" --lr 0.01 --plot basins.png   # several starts

FUNCTION: an expression, a test function (rosenbrock, beale, himmelblau, booth, saddle, bowl,
quadratic with --matrix), or with --data a loss per sample: least_squares, logistic, softmax, or an
expression in the columns with the suffix _i, e.g. "(w*x_i + b - y_i)^2".
Methods (torch.optim's names, defaults and update rules): sgd, adam, adamw, rmsprop, adagrad;
aliases gd, momentum (sgd, momentum 0.9), nesterov (sgd, momentum 0.9, nesterov).
--compare takes methods with their own settings: --compare adam:lr=0.1,rmsprop:lr=0.01:centered"""

FLOAT_OPTIONS = ("momentum", "dampening", "weight_decay", "eps", "alpha", "lr_decay", "initial_accumulator_value")
FLAG_OPTIONS = ("nesterov", "amsgrad", "centered", "maximize")
MAX_SWEEP = 100_000
EMBEDS_FIGURES = ("html", "typst", "pdf")


def register(subparsers) -> None:
    p = subparsers.add_parser("optimize", help="run SGD, momentum, Adam, ... exactly as torch.optim does",
                              description="Run torch.optim's update rules on a function (or a loss over "
                                          "data) with its gradient derived and checked; plot, compare, sweep.",
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("function", help='an expression ("x^2 + 10 y^2"), a test function, or a loss with --data; '
                                    "- reads it from standard input")
    p.add_argument("--start", metavar="X,Y", help="the start point, one number per variable; "
                                                  "several starts (one array of runs): \"X,Y;X,Y;...\"")
    p.add_argument("--variables", metavar="x,y", help="the order of the variables (default: sorted by name)")
    p.add_argument("--method", default="sgd", metavar="NAME", help=f"one of {', '.join(method_names())} (default sgd)")
    p.add_argument("--lr", type=float, metavar="LR", help="learning rate (default: torch's for the method)")
    p.add_argument("--steps", type=int, default=100, metavar="N", help="number of steps (default 100)")
    p.add_argument("--momentum", type=float)
    p.add_argument("--dampening", type=float)
    p.add_argument("--weight-decay", type=float, dest="weight_decay")
    p.add_argument("--betas", metavar="B1,B2", help="Adam's betas, e.g. 0.9,0.999")
    p.add_argument("--eps", type=float)
    p.add_argument("--alpha", type=float, help="RMSprop's smoothing constant")
    p.add_argument("--lr-decay", type=float, dest="lr_decay", help="Adagrad's learning-rate decay")
    p.add_argument("--initial-accumulator-value", type=float, dest="initial_accumulator_value")
    for flag in FLAG_OPTIONS:
        p.add_argument(f"--{flag}", action="store_true", default=None)
    p.add_argument("--compare", metavar="METHODS", help="also run these methods, e.g. adam,rmsprop:lr=0.01")
    p.add_argument("--sweep", metavar="KEY=FROM:TO:COUNT",
                   help="run COUNT values of a hyperparameter at once (vectorised), e.g. lr=1e-3:0.2:40; "
                        "add 'log' for log spacing: lr=1e-4:1:50:log")
    p.add_argument("--keep", default="all", metavar="WHAT",
                   help="what a sweep stores: all (default), final, or K (every K-th step); "
                        "final lets 10^5 runs of long sweeps fit in memory")
    p.add_argument("--matrix", metavar="[[a,b],[c,d]]", help="the matrix A of the quadratic bowl ½xᵀAx")
    p.add_argument("--data", metavar="FILE.csv", help="samples: feature columns, then y (optional header)")
    p.add_argument("--batch-size", type=int, dest="batch_size", help="mini-batch size (default: all samples)")
    p.add_argument("--seed", type=int, default=0, help="seed of the per-epoch shuffle (default 0)")
    p.add_argument("--batches", metavar="FILE.json", help="explicit batches: a JSON list of lists of row indices")
    p.add_argument("--plot", metavar="FILE", help="draw a picture (.png or .svg)")
    p.add_argument("--plot-kind", choices=("contour", "loss", "sweep"), dest="plot_kind",
                   help="contour (default for 2 variables), loss (against step), sweep (final loss against the value)")
    p.add_argument("--explain", action="store_true",
                   help="show each method's update rule, as torch writes it and with this gradient in it")
    add_output_options(p)
    # `--start -1.2,1` and `--sweep` values are numbers, not options (argparse only knows -1.2 alone)
    p._negative_number_matcher = re.compile(r"^-\.?\d[\d.,eE+:-]*$")
    p.set_defaults(run=run)


def _floats(text: str, what: str) -> list[float]:
    try:
        values = [float(v) for v in text.replace(" ", "").split(",") if v != ""]
    except ValueError:
        raise GradwiseError(f"{what} is numbers separated by commas, not '{text}'") from None
    if not values:
        raise GradwiseError(f"{what} is empty")
    return values


def _hyperparameters(args) -> dict:
    out = {k: getattr(args, k) for k in FLOAT_OPTIONS if getattr(args, k) is not None}
    out.update({k: True for k in FLAG_OPTIONS if getattr(args, k)})
    if args.betas:
        betas = _floats(args.betas, "--betas")
        if len(betas) != 2:
            raise GradwiseError(f"--betas takes two numbers such as 0.9,0.999, not '{args.betas}'")
        out["betas"] = tuple(betas)
    return out


def _compare_specs(text: str) -> list[tuple[str, dict]]:
    """'adam,rmsprop:lr=0.01:centered' -> [("adam", {}), ("rmsprop", {"lr": 0.01, "centered": True})]."""
    specs = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        name, *settings = item.split(":")
        hp: dict = {}
        for s in settings:
            if "=" in s:
                k, v = s.split("=", 1)
                k = k.strip().replace("-", "_")
                if k == "betas":
                    raise GradwiseError("set betas of a compared method with --betas (they apply to every Adam run)")
                try:
                    hp[k] = float(v)
                except ValueError:
                    raise GradwiseError(f"--compare {item}: '{v}' is not a number") from None
            else:
                hp[s.strip().replace("-", "_")] = True
        resolve_method(name)
        specs.append((name.strip(), hp))
    if len(specs) > 8:
        raise GradwiseError("compare at most 8 methods")
    return specs


def _keep(text: str):
    """--keep: "all", "final" or a whole number of steps."""
    return int(text) if text.isdigit() else text


def _sweep_spec(text: str):
    try:
        key, rng = text.split("=", 1)
        parts = rng.split(":")
        log = parts[-1].strip().lower() == "log"
        if log:
            parts = parts[:-1]
        lo, hi, count = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        raise GradwiseError(f"--sweep is KEY=FROM:TO:COUNT such as lr=1e-3:0.2:40, not '{text}'") from None
    if not 1 <= count <= MAX_SWEEP:
        raise GradwiseError(f"--sweep COUNT must be between 1 and {MAX_SWEEP:,}")
    if log and (lo <= 0 or hi <= 0):
        raise GradwiseError("a log sweep needs FROM and TO above 0")
    values = np.geomspace(lo, hi, count) if log else np.linspace(lo, hi, count)
    return key.strip().replace("-", "_"), values


def _function(args):
    text = read_argument(args.function)
    if text.strip().lower() in ("quadratic", "bowl") and args.matrix:
        from gradwise.derivations.parsing import parse
        return test_functions.quadratic(parse(args.matrix))
    if args.matrix:
        raise GradwiseError("--matrix goes with the function 'quadratic'")
    return text


def _batches_file(path: str | None):
    if path is None:
        return None
    try:
        if os.path.getsize(path) > 5_000_000:
            raise GradwiseError(f"{path} is too large for a list of batches")
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as exc:
        raise GradwiseError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise GradwiseError(f"{path} is not JSON (line {exc.lineno}): give a list of lists of row indices") from None


def run(args: argparse.Namespace) -> int:
    with time_limit(args.timeout):
        return _run(args)


def _run(args) -> int:
    f = _function(args)
    objective, tf = problem(f, args.variables, data=args.data, timeout=args.timeout)
    if args.compare and args.sweep:
        raise GradwiseError("use --compare or --sweep, not both")
    starts = None
    if args.start and ";" in args.start:  # several starts: one run each, advanced as one array
        starts = [_floats(part, "--start") for part in args.start.split(";") if part.strip()]
        if len({len(p) for p in starts}) != 1:
            raise GradwiseError("every start in --start A;B;... needs the same number of coordinates")
        if args.sweep or args.compare:
            raise GradwiseError("several starts go with one method: drop --sweep and --compare")
    start = _floats(args.start, "--start") if args.start and starts is None else None
    if start is None and tf is not None and len(tf.start) == len(objective.variables):
        start = list(tf.start)
    shared = dict(steps=args.steps, data=None, batch_size=args.batch_size, seed=args.seed)
    explicit = _batches_file(args.batches)
    hp = _hyperparameters(args)
    runs, sw = [], None
    if starts is not None:
        sw = optimize(objective, starts if len(starts) > 1 else starts[0], method=args.method, lr=args.lr,
                      batches=explicit, **shared, **hp)
        if not isinstance(sw, Sweep):
            runs, sw = [sw], None
        else:
            sw.test_function = tf
    elif args.sweep:
        key, values = _sweep_spec(args.sweep)
        if key == "lr":
            hp_lr = hp
        else:
            hp_lr = {**hp, "lr": args.lr} if args.lr is not None else hp
        sw = sweep(objective, start, key=key, values=values, method=args.method, steps=args.steps,
                   batch_size=args.batch_size, seed=args.seed, keep=_keep(args.keep), **hp_lr)
        sw.test_function = tf
    else:
        main = optimize(objective, start, method=args.method, lr=args.lr, batches=explicit, **shared, **hp)
        main.label, main.test_function = args.method, tf
        runs.append(main)
        for name, extra in _compare_specs(args.compare or ""):
            target = resolve_method(name)[0]
            keep = {"betas": hp["betas"]} if "betas" in hp and "betas" in _names(target) else {}
            label = name + "".join(f" {k}={v:g}" if not isinstance(v, bool) else f" {k}" for k, v in extra.items())
            lr = extra.pop("lr", args.lr)
            r = optimize(objective, start, method=name, lr=lr, batches=explicit, **shared, **{**keep, **extra})
            r.label, r.test_function = label, tf
            runs.append(r)
    study = Study(runs, sweep=sw, explain_rules=args.explain)
    for r in runs:
        if r.stopped:
            print(f"warning: {r.label or r.method} stopped at {r.stopped}", file=sys.stderr)
    two = len(objective.variables) == 2
    kind = args.plot_kind or ("sweep" if sw is not None and sw.key != "start" else "contour" if two else "loss")
    if args.plot or args.format in EMBEDS_FIGURES:
        from gradwise.explainer.optimize import CAPTIONS, figure
        if args.plot:
            figure(study, kind, args.plot)
            print(f"wrote {args.plot}", file=sys.stderr)
        if args.format in EMBEDS_FIGURES:  # the picture goes inside the document
            study.figures.append((CAPTIONS[kind], figure(study, kind, None, fmt="svg"), ""))
        elif args.plot and args.plot.lower().endswith(".png") and args.format in ("latex", "md"):
            study.figures.append((CAPTIONS[kind], "", os.path.abspath(args.plot)))
    emit(explain(study, args.detail), args)
    return 0


def _names(method: str) -> list[str]:
    from dataclasses import fields
    return [f.name for f in fields(METHODS[method])]
