"""`gradwise grad`, `gradwise jacobian`, `gradwise hessian`: many variables, per component, checked."""
from __future__ import annotations

import argparse

from gradwise.cli._common import add_output_options, emit, read_argument
from gradwise.derivations.multivariable import chain_rule, gradient, hessian, jacobian
from gradwise.errors import GradwiseError
from gradwise.explainer import explain
from gradwise.renderers.document import Document

COMMANDS = {
    "grad": ("gradient of a function of several variables, step by step", """examples:
  gradwise grad "x^2 y + sin(x y)" --wrt x,y
  gradwise grad "x^2 y" --wrt x,y --at x=1,y=2 --direction 3,4
  gradwise grad "x^2 y" --chain "x=cos(t),y=sin(t)"       # d/dt f(x(t), y(t))"""),
    "jacobian": ("Jacobian of a vector of functions, step by step", """examples:
  gradwise jacobian "[x y, x + y^2, sin(x)]" --wrt x,y
  gradwise jacobian "[x y, x + y]" --chain "x=s t,y=s + t"  # J_{f∘g} = J_f(g)·J_g"""),
    "hessian": ("Hessian of a function of several variables, step by step", """examples:
  gradwise hessian "x^2 y + sin(x y)" --wrt x,y
  gradwise hessian "x^3 + x y^2" --wrt x,y --at x=1,y=0"""),
}


def register(subparsers) -> None:
    for name, (summary, examples) in COMMANDS.items():
        p = subparsers.add_parser(name, help=summary, description=summary.capitalize() + "; every entry is checked.",
                                  epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("expression", help="the function (a list [f1, f2, ...] for jacobian); - reads standard input")
        p.add_argument("--wrt", metavar="VARS", help="the variables in order, e.g. x,y (default: all, sorted)")
        p.add_argument("--at", metavar="POINT", help="evaluate at a point, e.g. x=1,y=2")
        if name == "grad":
            p.add_argument("--direction", metavar="V", help="directional derivative along V, e.g. 3,4")
        if name != "hessian":
            p.add_argument("--chain", metavar="SUBS", help="compose with x=g(t),...: the multivariable chain rule")
        add_output_options(p)
        p.set_defaults(run=run, which=name)


def document(args: argparse.Namespace) -> Document:
    """The explained gradient, Jacobian or Hessian the options ask for (command line and web API)."""
    text = read_argument(args.expression)
    if getattr(args, "chain", None):
        if args.wrt or getattr(args, "direction", None):
            raise GradwiseError("--chain takes the variables from the substitutions: drop --wrt and --direction")
        result = chain_rule(text, args.chain, at=args.at, timeout=args.timeout)
    elif args.which == "grad":
        result = gradient(text, args.wrt, at=args.at, direction=args.direction, timeout=args.timeout)
    elif args.which == "jacobian":
        result = jacobian(text, args.wrt, at=args.at, timeout=args.timeout)
    else:
        result = hessian(text, args.wrt, at=args.at, timeout=args.timeout)
    return explain(result, args.detail)


def run(args: argparse.Namespace) -> int:
    emit(document(args), args)
    return 0
