"""`gradwise diff EXPR`: a derivative, step by step."""
from __future__ import annotations

import argparse

from gradwise.cli._common import add_output_options, emit, read_argument
from gradwise.derivations.derivation import differentiate
from gradwise.explainer import explain
from gradwise.renderers.document import Document

EXAMPLES = """examples:
  gradwise diff "x^2 sin(x)"
  gradwise diff "sigmoid(w*x + b)" --wrt w --format latex
  gradwise diff "\\frac{1}{1+e^{-x}}" --format json
  gradwise diff "x^3 e^x" --order 2 --detail full
  gradwise diff "x^2 sin(x)" --format latex --standalone -o product.tex

input: plain math (x^2 sin x, 2x + 1, e^(-x), sqrt(x), ln, log(x, b), sigmoid/σ, relu, softplus,
tanh, erf, gelu, max, abs, softmax(a, b)[k], logsumexp) or LaTeX (\\frac, \\sin, \\sigma, ...)."""


def register(subparsers) -> None:
    p = subparsers.add_parser("diff", help="differentiate an expression step by step",
                              description="Differentiate an expression step by step; every step is checked.",
                              epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("expression", help='the expression, e.g. "x^2 sin(x)"; - reads it from standard input')
    p.add_argument("--wrt", metavar="VAR", help="the variable (needed when there are several)")
    p.add_argument("--order", type=int, default=1, metavar="N", help="differentiate N times (default 1)")
    add_output_options(p)
    p.set_defaults(run=run)


def document(args: argparse.Namespace) -> Document:
    """The explained derivative the options ask for (shared by the command line and the web API)."""
    d = differentiate(read_argument(args.expression), args.wrt, order=args.order, timeout=args.timeout)
    return explain(d, args.detail)


def run(args: argparse.Namespace) -> int:
    emit(document(args), args)
    return 0
