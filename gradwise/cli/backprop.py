"""`gradwise backprop` (a computational graph, or one weight of a network) and `gradwise gradients`
(gradient norms through deep networks: vanishing and exploding gradients)."""
from __future__ import annotations

import argparse

import numpy as np

from gradwise.cli._common import add_output_options, emit, read_argument
from gradwise.derivations.limits import time_limit
from gradwise.errors import GradwiseError
from gradwise.explainer import explain
from gradwise.explainer.derivative import with_reading

BACKPROP_EXAMPLES = """examples:
  gradwise backprop "sigmoid(w*x + b)" --at w=0.5,x=2,b=-1
  gradwise backprop "(sigmoid(w2*tanh(w1*x + b1) + b2) - y)^2" \\
      --at w1=0.5,x=2,b1=-1,w2=1.5,b2=0.1,y=1 --graph graph.svg
  gradwise backprop "x*sigmoid(x)" --at x=1 --format json
  gradwise backprop net.toml --explain "W1[0,1]"

A network file (TOML, see examples/net.toml) gives sizes, activations, loss,
and seed/init or the weights, and [data] inputs and targets. W1 is the first
layer's weight matrix, of shape (fan_in, fan_out); indices start at 0."""

GRADIENTS_EXAMPLES = """examples:
  gradwise gradients --depth 20 --activation sigmoid,tanh --plot vanishing.png
  gradwise gradients --depth 30 --activation relu --init he,xavier,normal:1.5
  gradwise gradients --depth 10 --width 16 --format json"""


def register(subparsers) -> None:
    p = subparsers.add_parser("backprop", help="backpropagation through a graph or a network, edge by edge",
                              description="Backpropagation: the computational graph of an expression with the\n"
                                          "local derivative of every edge, or one weight's gradient in a network.",
                              epilog=BACKPROP_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("expression", help='an expression, e.g. "sigmoid(w*x + b)", or a network file net.toml')
    p.add_argument("--at", metavar="NAME=VALUE,...", help="the point, e.g. w=0.5,x=2,b=-1 (expressions)")
    p.add_argument("--graph", metavar="FILE", help="draw the graph to FILE (.svg, .png, .pdf, or .tex for a TikZ picture)")
    p.add_argument("--explain", metavar="PARAM", help='a network parameter, e.g. "W1[0,1]" or "b2[0]"')
    add_output_options(p)
    p.set_defaults(run=run_backprop)

    q = subparsers.add_parser("gradients", help="gradient norms per layer: vanishing and exploding gradients",
                              description="Per-layer gradient norms of deep networks for several activations\n"
                                          "and initialisations, with why they vanish or explode.",
                              epilog=GRADIENTS_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    q.add_argument("--depth", type=int, default=20, metavar="N", help="number of layers (default 20)")
    q.add_argument("--width", type=int, default=32, metavar="N", help="units per layer (default 32)")
    q.add_argument("--activation", default="sigmoid,tanh,relu", metavar="LIST",
                   help="activations to compare (default sigmoid,tanh,relu)")
    q.add_argument("--init", default="xavier", metavar="LIST",
                   help="initialisations: xavier, he, normal:STD (default xavier)")
    q.add_argument("--batch", type=int, default=64, metavar="N", help="examples in the batch (default 64)")
    q.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    q.add_argument("--plot", metavar="FILE", help="draw the norms on a log scale to FILE (.png, .svg, .pdf)")
    add_output_options(q)
    q.set_defaults(run=run_gradients)


def run_backprop(args: argparse.Namespace) -> int:
    text = read_argument(args.expression)
    read = None
    with time_limit(args.timeout), np.errstate(all="ignore"):   # non-finite values are reported by name
        if text.strip().lower().endswith(".toml"):
            if not args.explain:
                raise GradwiseError("a network file needs --explain PARAM, e.g. --explain \"W1[0,1]\"")
            from gradwise.simulations.network import load_network
            from gradwise.simulations.weight_paths import explain_parameter
            net, X, y = load_network(text.strip())
            result = explain_parameter(net, X, y, args.explain)
        else:
            if args.explain:
                raise GradwiseError("--explain is for a network file (net.toml); for an expression use --at")
            if not args.at:
                raise GradwiseError("give the point with --at, e.g. --at w=0.5,x=2,b=-1")
            from gradwise.derivations.graph import build_graph
            from gradwise.derivations.parsing import parse_with_reading
            read = parse_with_reading(text)   # how it was read, for the "Read as" line
            result = build_graph(text, args.at)
            if args.graph:
                from gradwise.explainer.backprop import graph_picture
                from gradwise.renderers.graph_plot import draw_graph
                nodes, edges, title = graph_picture(result)
                result.graph_file = draw_graph(nodes, edges, args.graph, title)
    document = explain(result, args.detail)
    emit(with_reading(document, read.expr, read.notes) if read else document, args)
    return 0


def run_gradients(args: argparse.Namespace) -> int:
    from gradwise.simulations.vanishing import gradient_flow
    with time_limit(args.timeout), np.errstate(all="ignore"):
        result = gradient_flow(depth=args.depth, width=args.width, activations=args.activation,
                               inits=args.init, batch=args.batch, seed=args.seed)
        if args.plot:
            from gradwise.explainer.backprop_network import flow_picture
            from gradwise.renderers.graph_plot import draw_series
            result.plot_file = draw_series(path=args.plot, **flow_picture(result))
    emit(explain(result, args.detail), args)
    return 0
