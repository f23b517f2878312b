"""The `gradwise` command. Each subcommand is a module in this package with `register(subparsers)`.

Errors caused by the input print as one line (`error: ...`) with exit code 2 and no traceback;
`--debug` shows the traceback.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback

from gradwise import __version__
from gradwise.cli._arguments import ArgumentParser
from gradwise.errors import EngineError, GradwiseError

EPILOG = """examples:
  gradwise diff "x^2 sin(x)"
  gradwise diff "sigmoid(w*x + b)" --wrt w --format latex
  gradwise diff "\\frac{1}{1+e^{-x}}" --format json
  gradwise diff "x^3 e^x" --order 2 --detail full

Run `gradwise COMMAND --help` for the options of each command."""


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="gradwise", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="The mathematics of deep learning, derived step by step; every step is checked.")
    parser.add_argument("--version", action="version", version=f"gradwise {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = importlib.import_module(__name__)
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
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


if __name__ == "__main__":
    sys.exit(main())
