"""Backpropagation explained: a computational graph node by node, one weight's gradient path by path,
and gradient norms through deep networks (vanishing and exploding gradients).

Three kinds of result come here: `backprop` (a `ComputationalGraph`), `weight_gradient` (a
`WeightGradient`) and `gradient_flow` (a `GradientFlow`). Every number written is one the result
computed; every formula is one the engine derived and checked.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.rules import Rule
from gradwise.explainer.json_steps import step_json
from gradwise.explainer.wording import describe
from gradwise.printing import latex, unicode
from gradwise.renderers.document import Document, Figure, Math, Paragraph, Section, Step, Table


def explain(result, detail: str = "standard") -> Document:
    """The document for any of the three kinds."""
    if result.kind == "backprop":
        return explain_graph(result, detail)
    if result.kind == "weight_gradient":
        from gradwise.explainer.backprop_network import explain_weight
        return explain_weight(result, detail)
    from gradwise.explainer.backprop_network import explain_flow
    return explain_flow(result, detail)


def op_cell(op: str):
    """An operation for a table cell: a power typeset (u², not ^2), any other name as it is."""
    if op.startswith("^"):
        from gradwise.renderers.document import Notation
        return Notation(f"u^{{{op[1:]}}}", f"u^{op[1:]}" if op[1:] not in "23" else "u" + "²³"[int(op[1:]) - 2])
    return op


def num(v: float) -> str:
    """A number as a person reads it: 6 significant digits."""
    if v == 0:
        return "0"
    return f"{v:.6g}"


def number(v: float) -> sp.Number:
    """A number for a formula, printed with the 6 significant digits `num` writes."""
    if float(v).is_integer() and abs(v) < 1e15:
        return sp.Integer(int(v))
    text = f"{v:.6g}"
    digits = len(text.lstrip("-").split("e")[0].replace(".", "").lstrip("0")) or 1
    return sp.Float(text, digits)


def _figure(path: str, caption: str) -> Figure:
    svg = ""
    if path.lower().endswith(".svg"):
        with open(path, encoding="utf-8") as f:
            svg = f.read()
    return Figure(caption, svg=svg, png_path=path if path.lower().endswith(".png") else "")


# ----------------------------------------------------------------------------------------------------
# A scalar expression's graph

def explain_graph(g, detail: str = "standard") -> Document:
    f = sp.Symbol("f")
    at = ", ".join(f"{k} = {num(v)}" for k, v in g.point.items())
    ops = [n for n in g.nodes if not n.is_input]
    blocks: list = [Paragraph.of(
        "Backpropagation is the chain rule applied on a graph. Split ", Math.chain(f, g.expr),
        f" into {len(ops)} operation{'s' if len(ops) != 1 else ''}, one node each; compute every node's "
        f"value at {at} (forward pass), the derivative of every node with respect to each of its inputs "
        "(its local derivative, one small rule), then pass gradients back from the output (backward pass).")]
    blocks.append(Section("1. Forward pass: the graph and its values", (
        Table(("node", "computes", "operation", "value"),
              tuple((n.name.name, "input" if n.is_input else Math.chain(n.name, n.definition),
                     op_cell(n.op), num(n.value)) for n in g.nodes)),
        Paragraph.of(f"The output {g.output.name.name} = {num(g.value)} is f at the point."))))
    if detail != "brief":
        blocks.append(Section("2. Local derivatives, one per edge", tuple(_edge_step(g, e, i, detail)
                                                                          for i, e in enumerate(g.edges, start=1))))
    n = 3 if detail != "brief" else 2
    blocks.append(Section(f"{n}. Backward pass", _backward_blocks(g, detail)))
    blocks.append(Section(f"{n + 1}. The chain rule as a sum over paths", _path_blocks(g)))
    if g.graph_file:
        blocks.append(_figure(g.graph_file, "The computational graph; each edge is labelled with its local "
                                            "derivative, each node with its value and gradient"))
    blocks.append(Paragraph.of(
        "Checked: the output equals f evaluated directly at the point, every gradient equals SymPy's "
        "derivative of the whole expression at the point, and every local derivative's steps were checked "
        "symbolically and at random points."))
    grads = ", ".join(f"∂f/∂{k} = {num(v)}" for k, v in g.gradients.items())
    answer = Math.chain(sp.Symbol("f"), number(g.value))
    blocks.append(Paragraph.of(f"Answer: f = {num(g.value)}; {grads}."))
    title = f"Backpropagation through f = {unicode(g.expr)}"
    return Document(title if len(title) <= 78 else "Backpropagation through f", tuple(blocks), data=graph_contract(g),
                    answer=answer)


def _edge_step(g, e, i: int, detail: str) -> Step:
    target, source = g.nodes[e.target], g.nodes[e.source]
    desc = describe(e.derivation.orders[0].tree)
    line = Math.chain(sp.Derivative(target.definition, source.name), e.local,
                      *(() if e.local.is_number else (number(e.value),)))
    children: tuple = ()
    if detail == "full":
        from gradwise.explainer.derivative import explain as explain_derivative
        children = tuple(b for b in explain_derivative(e.derivation, "standard").blocks if isinstance(b, Step))
    return Step(str(i), f"∂{target.name}/∂{source.name}: {desc.title.lower()}", e.rule, None,
                lines=(line,), children=children, collapsed=True,
                check="checked symbolically and at random points" if detail == "full" else "")


def _backward_blocks(g, detail: str) -> tuple:
    out: list = [Paragraph.of(
        f"Start with ∂f/∂{g.output.name} = 1. Going back through the nodes in reverse order, each node's "
        "gradient is the sum, over the nodes that use it, of their gradient times the local derivative.")]
    if detail != "brief":
        for n in reversed(g.nodes[:-1]):
            users = g.edges_from(n.index)
            terms = " + ".join(f"{num(g.nodes[e.target].grad)}·{num(e.value)}" for e in users)
            names = " + ".join(f"∂f/∂{g.nodes[e.target].name}·∂{g.nodes[e.target].name}/∂{n.name}" for e in users)
            out.append(Paragraph.of(f"∂f/∂{n.name} = {names} = {terms} = {num(n.grad)}"))
    out.append(Table(("node", "op", "value", "grad"),
                     tuple((n.name.name, op_cell(n.op), num(n.value), num(n.grad)) for n in g.nodes),
                     caption="The trace, as micrograd prints it: grad is ∂f/∂node."))
    return tuple(out)


def _path_blocks(g) -> tuple:
    out: list = [Paragraph.of("Each path from the output down to an input contributes the product of the local "
                              "derivatives on its edges; the gradient is the sum over the paths.")]
    for k, leaf in enumerate(g.inputs, start=1):
        name = leaf.name.name
        paths, count = g.paths[name], g.path_counts[name]
        children = []
        for i, p in enumerate(paths, start=1):
            factors = " · ".join(f"∂{g.nodes[e.target].name}/∂{g.nodes[e.source].name}" for e in p.edges)
            values = " · ".join(num(e.value) for e in p.edges)
            symbolic: list = []
            for e in p.edges:
                wrap = ("(", ")") if e.local.is_Add else ("", "")
                symbolic += [" · " if symbolic else "", wrap[0], Math.chain(e.local), wrap[1]]
            short = len(factors) <= 60
            children.append(Step(f"{k}.{i}", factors if short else f"a path of {len(p.edges)} edges", "path", None,
                                 explanation=Paragraph.of("" if short else f"{factors} ", "= ", *symbolic,
                                                          f" = {values} = {num(p.product)}")))
        if count > len(paths):
            children.append(Step(f"{k}.{len(paths) + 1}", f"… {count - len(paths):,} more paths", "path", None,
                                 explanation=Paragraph.of("backpropagation adds them all without listing them")))
        total = (" + ".join(num(p.product) for p in paths) + " = ") if 1 < count == len(paths) <= 4 else ""
        out.append(Step(str(k), f"∂f/∂{name}: {count} path{'s' if count != 1 else ''}", "chain_paths", None,
                        children=tuple(children),
                        explanation=None,
                        check=f"sum of the {count} products: ∂f/∂{name} = {total}{num(leaf.grad)}" if count > 1
                        else f"∂f/∂{name} = {num(leaf.grad)}"))
    return tuple(out)


def graph_contract(g) -> dict:
    """The JSON contract of `gradwise backprop EXPR --format json`."""
    return {
        "kind": "backprop", "input": g.input, "expression": str(g.expr), "expression_latex": latex(g.expr),
        "at": dict(g.point), "value": g.value,
        "nodes": [{"id": n.index, "name": n.name.name, "op": n.op,
                   "definition": None if n.is_input else str(n.definition),
                   "definition_latex": None if n.is_input else latex(n.definition),
                   "inputs": list(n.inputs), "value": n.value, "grad": n.grad} for n in g.nodes],
        "edges": [{"from": e.source, "to": e.target, "local_derivative": str(e.local),
                   "local_derivative_latex": latex(e.local), "rule": e.rule, "value": e.value,
                   "steps": [step_json(s, _note, e.derivation.check_of) for s in e.derivation.orders[0].steps]}
                  for e in g.edges],
        "gradients": g.gradients,
        "reference_gradients": g.reference,
        "paths": {k: {"count": g.path_counts[k],
                      "shown": [{"edges": [[e.source, e.target] for e in p.edges],
                                 "factors": [e.value for e in p.edges], "product": p.product} for p in v]}
                  for k, v in g.paths.items()},
        "graph_file": g.graph_file or None,
    }


def _note(step) -> str:
    return describe(step).title if isinstance(step, Rule) else step.rule


def graph_picture(g) -> tuple[list, list, str]:
    """Plain node and edge data for the renderer's `draw_graph`."""
    from gradwise.renderers.graph_plot import GraphEdge, GraphNode
    nodes = [GraphNode(n.index, n.name.name if n.is_input else f"{n.name} = {unicode(n.definition)}",
                       (f"value {num(n.value)}", f"grad {num(n.grad)}"),
                       "input" if n.is_input else ("output" if n is g.output else "op"),
                       latex(n.name) if n.is_input else f"{latex(n.name)} = {latex(n.definition)}") for n in g.nodes]
    edges = [GraphEdge(e.source, e.target,
                       num(e.value) if e.local.is_number else f"{unicode(e.local)} = {num(e.value)}",
                       latex(number(e.value)) if e.local.is_number else f"{latex(e.local)} = {latex(number(e.value))}")
             for e in g.edges]
    return nodes, edges, f"f = {unicode(g.expr)}"
