"""The `gradwise` command. Each subcommand is a module in this package with `register(subparsers)`.

Only the module of the command being run is imported (start-up stays close to SymPy's own import);
the others appear in `gradwise --help` from `COMMANDS`, which a test keeps in step with the modules.

Errors caused by the input print as one line (`error: ...`) with exit code 2 and no traceback;
`--debug` shows the traceback.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import sys
import traceback

from gradwise import __version__
from gradwise.derivations.limits import time_limit
from gradwise.cli._arguments import ArgumentParser
from gradwise.errors import EngineError, GradwiseError

#: command -> (module in this package that registers it, its one-line help)
COMMANDS = {
    "backprop": ("backprop", "backpropagation through a graph or a network, edge by edge"),
    "check": ("check", "check a hand derivation line by line"),
    "det": ("linalg", "a determinant, step by step"),
    "diff": ("diff", "differentiate an expression step by step"),
    "dot": ("linalg", "a dot product with lengths, angle, cosine similarity and projection"),
    "eig": ("linalg", "eigenvalues and eigenvectors, step by step"),
    "grad": ("multivariable", "gradient of a function of several variables, step by step"),
    "gradients": ("backprop", "gradient norms per layer: vanishing and exploding gradients"),
    "hessian": ("multivariable", "Hessian of a function of several variables, step by step"),
    "jacobian": ("multivariable", "Jacobian of a vector of functions, step by step"),
    "matgrad": ("matgrad", "gradient in matrix notation (x^T A x, log det X, ...)"),
    "matmul": ("linalg", "a matrix product, each entry as a row-by-column dot product"),
    "optimize": ("optimize", "run SGD, momentum, Adam, ... exactly as torch.optim does"),
    "pca": ("linalg", "principal component analysis of a CSV table"),
    "practice": ("practice", "practise: generated problems, graded answers, step hints"),
    "serve": ("serve", "a local web page: type mathematics, see it read, derived and checked"),
    "study": ("study", "a study guide for the whole syllabus, or a problem set (TOML)"),
}

EPILOG = """examples:
  gradwise diff "x^2 sin(x)"
  gradwise diff "sigmoid(w*x + b)" --wrt w --format latex
  gradwise diff "\\frac{1}{1+e^{-x}}" --format json
  gradwise diff "x^3 e^x" --order 2 --detail full

Run `gradwise COMMAND --help` for the options of each command."""


def build_parser(argv: list[str] | None = None,
                 parser_class: type = ArgumentParser) -> argparse.ArgumentParser:
    """The parser; only the command named in argv (all of them when argv is None) is fully registered.

    The web API passes a parser class that raises instead of exiting."""
    parser = parser_class(
        prog="gradwise", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="The mathematics of deep learning, derived step by step; every step is checked.")
    parser.add_argument("--version", action="version", version=f"gradwise {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = sorted({m for m, _ in COMMANDS.values()}) if argv is None else \
        [COMMANDS[a][0] for a in argv if a in COMMANDS][:1]
    for name in wanted:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    for name, (_, summary) in COMMANDS.items():
        if name not in subparsers.choices:   # listed in --help; its module is imported only when it runs
            subparsers.add_parser(name, help=summary)
    return parser


def console() -> None:
    """The `gradwise` process (the script and `python -m gradwise`): `main`, with the garbage collector
    told that the modules are there to stay.

    Importing SymPy makes some 10^5 long-lived objects and no garbage: collecting while they load, and
    once more over all of them as the interpreter exits, was a third of what `gradwise diff` added to
    SymPy's own import. The command itself runs with the collector on, as usual."""
    gc.disable()
    code = main(_loaded=_modules_stay)
    gc.freeze()  # the exit: what is left is freed with the process
    sys.exit(code)


def _modules_stay() -> None:
    gc.freeze()  # the modules' objects: later collections skip them
    gc.enable()


def main(argv: list[str] | None = None, *, _loaded=None) -> int:
    """Run one command; returns its exit code. `_loaded` (for `console`) is called once the command's
    modules are imported."""
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser(argv)  # imports the subcommand: Ctrl-C may come this early
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if _loaded is not None:
            _loaded()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    # --timeout bounds the whole command, the explanation and rendering included; a batch bounds each item
    bound = getattr(args, "timeout", None) if getattr(args, "whole_timeout", True) else None
    try:
        with time_limit(bound):
            return int(args.run(args) or 0)
    except GradwiseError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"internal error (a bug in gradwise, please report it): {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except RecursionError:
        if args.debug:
            traceback.print_exc()
        print("error: the input is nested too deeply to work on", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: the input needs more memory than there is to work on", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0  # the reader of the output (| head) has gone
    except Exception as exc:  # the last guard: a bug, reported in one line (--debug shows where)
        if args.debug:
            traceback.print_exc()
        print(f"internal error (a bug in gradwise, please report it): {type(exc).__name__}: {exc}"[:500],
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    console()
