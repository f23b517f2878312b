"""Backpropagation explained: a computational graph node by node, one weight's gradient path by path,
and gradient norms through deep networks (vanishing and exploding gradients).

Three kinds of result come here: `backprop` (a `ComputationalGraph`), `weight_gradient` (a
`WeightGradient`) and `gradient_flow` (a `GradientFlow`). Every number written is one the result
computed; every formula is one the engine derived and checked.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.graph import ComputationalGraph
from gradwise.derivations.linalg.steps import Label
from gradwise.derivations.rules import Rule
from gradwise.explainer.backprop_parts import (factor_latex, factor_text, figure, name_latex, num, num_latex, number,
                                               op_cell, partial)
from gradwise.explainer.numbers import readable
from gradwise.explainer.json_steps import step_json
from gradwise.explainer.registry import explains
from gradwise.explainer.wording import describe
from gradwise.printing import latex, unicode
from gradwise.printing.numbers import written
from gradwise.renderers.document import Answer, Document, Math, Notation, Paragraph, Section, Step, Table


# ----------------------------------------------------------------------------------------------------
# A scalar expression's graph

@explains(ComputationalGraph)
def explain_graph(g: ComputationalGraph, detail: str = "standard") -> Document:
    f = sp.Symbol("f")
    at = [p for k, (name, v) in enumerate(g.point.items())  # b = −1, w = 0.5: each value typeset with its name
          for p in ((", ",) if k else ()) + (Notation(f"{name_latex(name)} = {written(v).latex}",
                                                      f"{name} = {written(v).text}"),)]
    ops = [n for n in g.nodes if not n.is_input]
    blocks: list = [Paragraph.of(
        "Backpropagation is the chain rule applied on a graph. Split ", Math.chain(f, g.expr),
        f" into {len(ops)} operation{'s' if len(ops) != 1 else ''}, one node each; compute every node's "
        "value at ", *at, " (forward pass), the derivative of every node with respect to each of its inputs "
        "(its local derivative, one small rule), then pass gradients back from the output (backward pass).")]
    blocks.append(Section("1. Forward pass: the graph and its values", (
        Table(("node", "computes", "operation", "value"),
              tuple((n.name.name, "input" if n.is_input else Math.chain(n.name, n.definition),
                     op_cell(n.op), readable(n.value)) for n in g.nodes)),
        Paragraph.of("The output ", Notation(f"{latex(g.output.name)} = {num_latex(g.value)}",
                                             f"{g.output.name.name} = {num(g.value)}"), " is f at the point."))))
    if detail != "brief":
        blocks.append(Section("2. Local derivatives, one per edge", tuple(_edge_step(g, e, i, detail)
                                                                          for i, e in enumerate(g.edges, start=1))))
    n = 3 if detail != "brief" else 2
    blocks.append(Section(f"{n}. Backward pass", _backward_blocks(g, detail)))
    blocks.append(Section(f"{n + 1}. The chain rule as a sum over paths", _path_blocks(g)))
    if g.graph_file:
        blocks.append(figure(g.graph_file, "The computational graph; each edge is labelled with its local "
                                            "derivative, each node with its value and gradient"))
    blocks.append(Paragraph.of(
        "Checked: the output equals f evaluated directly at the point, every gradient equals SymPy's "
        "derivative of the whole expression at the point, and every local derivative's steps were checked "
        "symbolically and at random points."))
    answer = Math.chain(sp.Symbol("f"), number(g.value))
    grads: list = []
    for k, v in g.gradients.items():
        tex, text = partial("f", k)
        grads += [", " if grads else "; ", Notation(f"{tex} = {num_latex(v)}", f"{text} = {num(v)}")]
    blocks.append(Answer.of(Notation(f"f = {num_latex(g.value)}", f"f = {num(g.value)}"), *grads, "."))
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
    return Step(str(i), f"Edge {source.name} → {target.name}: {desc.title.lower()}", e.rule, None,
                lines=(line,), children=children, collapsed=True,
                check="checked symbolically and at random points" if detail == "full" else "")


def _backward_blocks(g, detail: str) -> tuple:
    start_tex, start_text = partial("f", g.output.name.name)
    out: list = [Paragraph.of(
        "Start with ", Notation(f"{start_tex} = 1", f"{start_text} = 1"), ". Going back through the nodes in "
        "reverse order, each node's gradient is the sum, over the nodes that use it, of their gradient times "
        "the local derivative.")]
    if detail != "brief":
        for n in reversed(g.nodes[:-1]):
            out.append(Paragraph.of(_backward_line(g, n)))
    out.append(Table(("node", "op", "value", "grad"),
                     tuple((n.name.name, op_cell(n.op), readable(n.value), readable(n.grad)) for n in g.nodes),
                     caption="The trace, as micrograd prints it; grad is the derivative of f in that node."))
    return tuple(out)


def _backward_line(g, n) -> Notation:
    """∂f/∂n = Σ over its users u of ∂f/∂u · ∂u/∂n, in symbols, in numbers, and its value."""
    users = g.edges_from(n.index)
    left_tex, left_text = partial("f", n.name.name)
    names_tex, names_text, terms_tex, terms_text = [], [], [], []
    for e in users:
        u = g.nodes[e.target].name.name
        a_tex, a_text = partial("f", u)
        b_tex, b_text = partial(u, n.name.name)
        names_tex.append(f"{a_tex} \\cdot {b_tex}")
        names_text.append(f"{a_text}·{b_text}")
        terms_tex.append(f"{factor_latex(g.nodes[e.target].grad)} \\cdot {factor_latex(e.value)}")
        terms_text.append(f"{factor_text(g.nodes[e.target].grad)}·{factor_text(e.value)}")
    tex = " = ".join([left_tex, " + ".join(names_tex), " + ".join(terms_tex), num_latex(n.grad)])
    text = " = ".join([left_text, " + ".join(names_text), " + ".join(terms_text), num(n.grad)])
    return Notation(tex, text)


def _path_blocks(g) -> tuple:
    out: list = [Paragraph.of("Each path from the output down to an input contributes the product of the local "
                              "derivatives on its edges; the gradient is the sum over the paths.")]
    for k, leaf in enumerate(g.inputs, start=1):
        name = leaf.name.name
        paths, count = g.paths[name], g.path_counts[name]
        children = []
        for i, p in enumerate(paths, start=1):
            children.append(Step(f"{k}.{i}", f"path {i}: {_route(g, p)}", "path", None,
                                 explanation=Paragraph.of(_path_product(g, p))))
        if count > len(paths):
            children.append(Step(f"{k}.{len(paths) + 1}", f"… {count - len(paths):,} more paths", "path", None,
                                 explanation=Paragraph.of("backpropagation adds them all without listing them")))
        tex, text = partial("f", name)
        if 1 < count == len(paths) <= 4:
            tex += " = " + " + ".join(factor_latex(p.product) for p in paths)
            text += " = " + " + ".join(factor_text(p.product) for p in paths)
        total = Label(f"{text} = {num(leaf.grad)}", f"{tex} = {num_latex(leaf.grad)}")
        out.append(Step(str(k), f"The gradient in {name}: {count} path{'s' if count != 1 else ''}", "chain_paths",
                        None, children=tuple(children), conclusion=Math.chain(total),
                        check=f"the sum of the {count} products" if count > 1 else ""))
    return tuple(out)


def _route(g, p) -> str:
    """The nodes a path visits, from the output down to the input: f ← v3 ← v2 ← w."""
    names = [g.nodes[p.edges[0].target].name.name] if p.edges else []
    names += [g.nodes[e.source].name.name for e in p.edges]
    return " → ".join(names)


def _path_product(g, p) -> Notation:
    """One path's product of local derivatives: by name, in symbols, in numbers, and its value."""
    names_tex, names_text, sym_tex, sym_text = [], [], [], []
    for e in p.edges:
        tex, text = partial(g.nodes[e.target].name.name, g.nodes[e.source].name.name)
        names_tex.append(tex)
        names_text.append(text)
        wrap = e.local.is_Add or e.local.could_extract_minus_sign()
        sym_tex.append(f"\\left({latex(e.local)}\\right)" if wrap else latex(e.local))
        sym_text.append(f"({unicode(e.local)})" if wrap else unicode(e.local))
    values_tex = " \\cdot ".join(factor_latex(e.value) for e in p.edges)
    values_text = " · ".join(factor_text(e.value) for e in p.edges)
    parts_tex = [" \\cdot ".join(names_tex), " \\cdot ".join(sym_tex), values_tex, num_latex(p.product)]
    parts_text = [" · ".join(names_text), " · ".join(sym_text), values_text, num(p.product)]
    if " \\cdot ".join(sym_tex) == values_tex:          # every local derivative a number: say it once
        del parts_tex[1], parts_text[1]
    return Notation(" = ".join(parts_tex), " = ".join(parts_text))


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
                   "steps": [step_json(s, _note) for s in e.derivation.orders[0].steps]}
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
