"""Gradients, Jacobians, Hessians and the multivariable chain rule as worked solutions.

Each entry is a partial derivative whose own worked solution (the foundation's derivative explainer)
becomes the sub-steps of its entry, renumbered under it; at `brief` detail an entry shows only its
result. Then the assembled vector or matrix, its value at a point, the directional derivative, and how
everything was checked.
"""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from gradwise.derivations.multivariable import (ChainRule, Evaluation, Gradient, Hessian, Jacobian, NumericCheck,
                                                Partial)
from gradwise.explainer import derivative as derivative_explainer
from gradwise.explainer.registry import explains
from gradwise.explainer.numbers import readable_text
from gradwise.printing import latex, unicode
from gradwise.renderers.document import Answer, DisplayMath, Document, Math, Paragraph, Step, Table

P = Paragraph.of


class Label:
    """A name written by hand in each notation (∇f, D_u f, J_{f∘g}); renderers print it through the
    printers' `_sympystr` / `_latex` hooks."""

    def __init__(self, text: str, latex_: str):
        self.text, self.latex = text, latex_

    def _sympystr(self, printer) -> str:
        return self.text

    def _latex(self, printer) -> str:
        return self.latex

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other) -> bool:
        return isinstance(other, Label) and (self.text, self.latex) == (other.text, other.latex)

    def __hash__(self) -> int:
        return hash((self.text, self.latex))


@explains(Gradient, Jacobian, Hessian, ChainRule)
def explain(result, detail: str = "standard") -> Document:
    """The document of a gradient, Jacobian, Hessian or chain rule, with its "Read as" line if any."""
    document = {Gradient: _gradient, Jacobian: _jacobian, Hessian: _hessian,
                ChainRule: _chain}[type(result)](result, detail)
    return derivative_explainer.with_reading(document, _as_read(result), result.reading)


def _as_read(result) -> sp.Basic:
    """The function the input was read as: one expression, or the column of a Jacobian's functions."""
    functions = result.functions if result.kind == "jacobian" else \
        result.outer.functions if result.kind == "chain_rule" else [result.expr]
    return functions[0] if len(functions) == 1 and result.kind != "jacobian" else sp.ImmutableMatrix(functions)


def _f() -> "Label":
    return Label("f", "f")


def _partial_symbol(expr, var, order_vars=None) -> sp.Derivative:
    return sp.Derivative(expr, *(order_vars or [var]))


def _entry_step(number: str, title: str, p: Partial, detail: str, symbol=None) -> Step:
    """One entry: its derivation's steps renumbered under it (none at brief detail)."""
    target = symbol if symbol is not None else sp.Derivative(p.expr, p.var)
    children: tuple = ()
    result = p.result
    if detail != "brief":
        d = p.derivation
        result = d.result
        children = tuple(_renumber(b, number) for b in _derivation_steps(d, detail))
    return Step(number, title, "partial", None, lines=() if children else (Math.chain(target, result),),
                children=children, conclusion=Math.chain(target, result) if len(children) > 1 else None,
                collapsed=True)


def _derivation_steps(d, detail: str) -> list[Step]:
    """The worked steps of a first-order derivation, as the derivative explainer writes them (without
    building its whole document and JSON contract, which a Hessian would do dozens of times)."""
    return [s for o in d.orders for s in derivative_explainer.order_steps(d, o, detail)]


def _renumber(step: Step, prefix: str) -> Step:
    return replace(step, number=f"{prefix}.{step.number}",
                   children=tuple(_renumber(c, prefix) for c in step.children))


def _shown(p: Partial, detail: str):
    return p.derivation.result if detail != "brief" else p.result


def _check_words(c: NumericCheck, detail: str) -> str:
    point = ", ".join(f"{k} = {readable_text(v)}" for k, v in c.point.items())
    steps = " Each entry's own steps were checked by the derivative engine." if detail != "brief" else ""
    error = f"; largest relative error {readable_text(c.max_error, 2)}" if detail == "full" else ""
    return (f"Checked: every entry agrees with central finite differences of the function at a random point "
            f"({point}){error}.{steps}")


def _evaluation_step(number: str, name: str, ev: Evaluation, symbolic) -> Step:
    where = ", ".join(f"{k} = {unicode(v)}" for k, v in ev.point.items())
    values = ev.values[0] if ev.values.shape == (1, 1) else ev.values
    args = ", ".join(unicode(v) for v in ev.point.values())
    lines = [Math.chain(Label(f"{name}({args})", f"{_latex_name(name)}({', '.join(latex(v) for v in ev.point.values())})"),
                        values)]
    if any(not v.is_Rational for v in ev.values):
        approx = ev.values.applyfunc(lambda v: sp.Float(float(v), 6))
        lines.append(Math.chain(values, approx[0] if approx.shape == (1, 1) else approx, relation="≈"))
    return Step(number, f"Evaluate at {where}", "evaluate", None, lines=tuple(lines),
                explanation=P(*(f"Note: {n}. " for n in ev.notes)) if ev.notes else None)


# ---------------------------------------------------------------------------------------------------- gradient

def _gradient(g: Gradient, detail: str) -> Document:
    names = ", ".join(v.name for v in g.variables)
    nabla = Label("∇f", r"\nabla f")
    blocks: list = [P("Find the gradient of ", Math.chain(_f(), g.expr), f" with respect to ({names}): the "
                      "vector of its partial derivatives. Each partial derivative holds the other variables "
                      "constant.")]
    for i, p in enumerate(g.entries, start=1):
        blocks.append(_entry_step(str(i), f"∂f/∂{p.var.name}", p, detail))
    vector = sp.ImmutableMatrix([_shown(p, detail) for p in g.entries])
    n = len(g.entries) + 1
    blocks.append(Step(str(n), "Assemble the gradient", "assemble", None,
                       lines=(Math.chain(nabla, vector),)))
    if g.at:
        n += 1
        blocks.append(_evaluation_step(str(n), "∇f", g.at, None))
    if g.directional:
        n += 1
        d = g.directional
        lines = [Math.chain(Label("u", "u"), Label("v/‖v‖", r"\frac{v}{\lVert v \rVert}"), d.unit),
                 Math.chain(Label("D_u f", r"D_{u} f"), Label("∇f·u", r"\nabla f \cdot u"), d.expression)]
        if d.value is not None:
            args = ", ".join(unicode(v) for v in g.at.point.values())
            at = Label(f"D_u f({args})", rf"D_{{u}} f({', '.join(latex(v) for v in g.at.point.values())})")
            lines.append(Math.chain(at, d.value) if d.value.is_Integer else
                         Math((at, "=", d.value, "≈", sp.Float(float(d.value), 6))))
        blocks.append(Step(str(n), f"Directional derivative along v = ({', '.join(unicode(c) for c in d.direction)})",
                           "directional", None,
                           explanation=P("The rate of change of f per unit step in the direction of v: normalise "
                                         "v to the unit vector u, then take the dot product with the gradient."),
                           lines=tuple(lines)))
    answer = Math.chain(nabla, vector)
    blocks.append(Answer.of(answer))
    blocks.append(P(_check_words(g.check, detail)))
    return Document(f"∇f for f = {unicode(g.expr)}", tuple(blocks), data=_gradient_json(g, detail), answer=answer)


# ---------------------------------------------------------------------------------------------------- Jacobian

def _jacobian(J: Jacobian, detail: str) -> Document:
    m, n = J.shape
    names = ", ".join(v.name for v in J.variables)
    blocks: list = [P(f"Find the Jacobian of f = ", Math.chain(sp.ImmutableMatrix(J.functions)),
                      f" with respect to ({names}): row i holds the partial derivatives of fᵢ, column j the "
                      f"derivatives in {J.variables[0].name if n == 1 else 'the j-th variable'}. "
                      f"It is {m}×{n} ({m} functions, {n} variables).")]
    for i, row in enumerate(J.entries, start=1):
        children = tuple(_entry_step(f"{i}.{j}", f"∂f{_sub(i)}/∂{p.var.name}", p, detail)
                         for j, p in enumerate(row, start=1))
        blocks.append(Step(str(i), f"Row {i}: f{_sub(i)} = {unicode(J.functions[i - 1])}", "jacobian_row", None,
                           children=children))
    matrix = sp.ImmutableMatrix([[_shown(p, detail) for p in row] for row in J.entries])
    k = m + 1
    blocks.append(Step(str(k), "Assemble the Jacobian", "assemble", None, lines=(Math.chain(Label("J", "J"), matrix),)))
    blocks += _table(matrix, [f"f{_sub(i)}" for i in range(1, m + 1)], [f"∂/∂{v.name}" for v in J.variables],
                     "Row i is fᵢ, column j the derivative in the j-th variable:")
    if J.at:
        blocks.append(_evaluation_step(str(k + 1), "J", J.at, None))
    answer = Math.chain(Label("J", "J"), matrix)
    blocks.append(Answer.of(answer))
    blocks.append(P(_check_words(J.check, detail)))
    return Document(f"Jacobian of {unicode(sp.ImmutableMatrix(J.functions))}", tuple(blocks),
                    data=_jacobian_json(J, detail), answer=answer)


def _table(matrix: sp.MatrixBase, rows: list[str], cols: list[str], caption: str) -> list:
    """The matrix as a table with its rows and columns named, when it fits in 76 columns of text."""
    cells = [[unicode(v) for v in matrix.row(i)] for i in range(matrix.rows)]
    widths = [max(len(cols[j]), *(len(r[j]) for r in cells)) for j in range(matrix.cols)]
    if max(map(len, rows)) + sum(widths) + 2 * matrix.cols > 76:
        return []
    return [Table(header=("", *cols), rows=tuple((rows[i], *(Math.chain(v) for v in matrix.row(i)))
                                                 for i in range(matrix.rows)), caption=caption)]


def _latex_name(name: str) -> str:
    return {"∇f": r"\nabla f"}.get(name, name)


def _sub(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


# ---------------------------------------------------------------------------------------------------- Hessian

def _hessian(H: Hessian, detail: str) -> Document:
    n = len(H.variables)
    blocks: list = [P("Find the Hessian of ", Math.chain(_f(), H.expr), ": the matrix of second partial "
                      "derivatives, H[i, j] = ∂²f/∂xᵢ∂xⱼ, found by differentiating each first partial "
                      "derivative again.")]
    first = tuple(_entry_step(f"1.{i}", f"∂f/∂{p.var.name}", p, detail) for i, p in enumerate(H.gradient, start=1))
    blocks.append(Step("1", "First partial derivatives", "gradient", None, children=first))
    second = []
    k = 0
    for i, row in enumerate(H.entries):
        for j, p in enumerate(row):
            if j < i and H.symmetric:
                continue
            k += 1
            symbol = sp.Derivative(H.expr, H.variables[i], H.variables[j]) if i != j else \
                sp.Derivative(H.expr, (H.variables[i], 2))
            xi, xj = H.variables[i].name, H.variables[j].name
            entry = H.second(i, j) if detail != "brief" else p
            second.append(_entry_step(f"2.{k}", f"∂/∂{xj}(∂f/∂{xi})" if i != j else f"∂²f/∂{xi}²", entry, detail,
                                      symbol))
    symmetry = None
    if n > 1:
        symmetry = P("The mixed partial derivatives agree, ∂²f/∂xᵢ∂xⱼ = ∂²f/∂xⱼ∂xᵢ, so the Hessian is "
                     "symmetric and only the entries on and above the diagonal need working out "
                     "(Schwarz's theorem: it holds wherever the second partials are continuous; gradwise "
                     "compared every mixed pair)." if H.symmetric else
                     "Some mixed partial derivatives differ: the second partials are not continuous "
                     "everywhere here, so Schwarz's theorem does not apply and every entry is worked out.")
    blocks.append(Step("2", "Second partial derivatives", "second_partials", None, explanation=symmetry,
                       children=tuple(second)))
    def shown(i: int, j: int):
        if j < i and H.symmetric:
            i, j = j, i
        return _shown(H.second(i, j), detail) if detail != "brief" else H.entries[i][j].result

    matrix = sp.ImmutableMatrix([[shown(i, j) for j in range(n)] for i in range(n)])
    blocks.append(Step("3", "Assemble the Hessian", "assemble", None, lines=(Math.chain(Label("H", "H"), matrix),)))
    blocks += _table(matrix, [f"∂f/∂{v.name}" for v in H.variables], [f"∂/∂{v.name}" for v in H.variables],
                     "Row i differentiates ∂f/∂xᵢ again, column j in the j-th variable:")
    if H.at:
        blocks.append(_evaluation_step("4", "H", H.at, None))
    answer = Math.chain(Label("H", "H"), matrix)
    blocks.append(Answer.of(answer))
    blocks.append(P(_check_words(H.check, detail).replace("central finite differences", "central second differences")))
    return Document(f"Hessian of f = {unicode(H.expr)}", tuple(blocks), data=_hessian_json(H, detail), answer=answer)


# ---------------------------------------------------------------------------------------------------- chain rule

def _chain(c: ChainRule, detail: str) -> Document:
    (m, n), (_, k), (_, _) = c.shapes
    outer_names = ", ".join(v.name for v in c.outer.variables)
    inner_names = ", ".join(v.name for v in c.inner.variables)
    subs = ", ".join(f"{v.name} = {unicode(e)}" for v, e in c.substitutions.items())
    f_text = unicode(c.outer.functions[0]) if c.scalar else unicode(sp.ImmutableMatrix(c.outer.functions))
    blocks: list = [P(f"Differentiate f({outer_names}) = {f_text} with {subs}, with respect to {inner_names}, "
                      "by the multivariable chain rule: the Jacobian of a composition is the product of the "
                      "Jacobians, the outer one taken at the inner function.")]
    if c.scalar and k == 1:
        t = c.inner.variables[0].name
        terms = " + ".join(f"∂f/∂{v.name}·d{v.name}/d{t}" for v in c.outer.variables)
        blocks.append(P(f"For one function of one variable this is df/d{t} = {terms}."))
    blocks.append(DisplayMath(Math.chain(Label("J_{f∘g}", r"J_{f \mathbin{\circ} g}"), Label("J_f(g)·J_g", r"J_f(g)\, J_g"))))
    rows = ["f"] if m == 1 else [f"f{_sub(i)}" for i in range(1, m + 1)]
    blocks.append(_nested("1", f"The Jacobian of f in {outer_names} ({m}×{n})", "J_f", c.outer, detail, rows))
    blocks.append(_nested("2", f"The Jacobian of {outer_names} in {inner_names} ({n}×{k})", "J_g", c.inner, detail,
                          [v.name for v in c.outer.variables]))
    at_g = c.outer_at_inner
    blocks.append(Step("3", f"Multiply: ({m}×{n}) · ({n}×{k}) = {m}×{k}", "jacobian_product", None,
                       explanation=P(f"Put {subs} into J_f, then multiply the matrices; the inner sizes ({n}) "
                                     "agree, as they must."),
                       lines=(Math.chain(Label("J_f(g)·J_g", r"J_f(g)\, J_g"),
                                         sp.MatMul(at_g, c.inner.result, evaluate=False),
                                         c.result[0] if c.result.shape == (1, 1) else c.result),)))
    if c.at is not None:
        blocks.append(_evaluation_step("4", f"df/d{c.inner.variables[0].name}" if c.result.shape == (1, 1)
                                       else "J_{f∘g}", c.at, None))
    if c.result.shape == (1, 1):
        t = c.inner.variables[0].name
        answer = Math.chain(Label(f"df/d{t}", rf"\frac{{\mathrm{{d}}f}}{{\mathrm{{d}}{t}}}"), c.result[0])
    else:
        answer = Math.chain(Label("J_{f∘g}", r"J_{f \mathbin{\circ} g}"), c.result)
    blocks.append(Answer.of(answer))
    blocks.append(P("Checked: the product equals the derivative of the composition computed directly, entry "
                    "by entry (symbolically and at random points)."))
    return Document(f"Chain rule for f({outer_names}) with {subs}", tuple(blocks), data=_chain_json(c, detail),
                    answer=answer)


def _nested(number: str, title: str, name: str, J: Jacobian, detail: str, rows: list[str]) -> Step:
    children = []
    for row_name, row in zip(rows, J.entries):
        for p in row:
            children.append(_entry_step(f"{number}.{len(children) + 1}", f"∂{row_name}/∂{p.var.name}", p, detail))
    matrix = sp.ImmutableMatrix([[_shown(p, detail) for p in row] for row in J.entries])
    return Step(number, title, "jacobian", None, children=tuple(children) if detail != "brief" else (),
                lines=() if detail != "brief" else (Math.chain(Label(name, name), matrix),),
                conclusion=Math.chain(Label(name, name), matrix) if detail != "brief" else None)


# ---------------------------------------------------------------------------------------------------- JSON

def _entry_json(p: Partial, detail: str) -> dict:
    out = {"variable": p.var.name, "function": str(p.expr), "result": str(p.result), "result_latex": latex(p.result)}
    out["steps"] = derivative_explainer.contract(p.derivation)["steps"] if detail != "brief" else []
    return out


def _matrix_json(M: sp.MatrixBase) -> list:
    return [[str(v) for v in M.row(i)] for i in range(M.rows)]


def _at_json(ev: Evaluation | None) -> dict:
    if ev is None:
        return {"at": None}
    return {"at": {k.name: str(v) for k, v in ev.point.items()}, "value": _matrix_json(ev.values),
            "value_numeric": ev.numeric, "notes": ev.notes}


def _check_json(c: NumericCheck) -> dict:
    return {"method": c.method, "valid": c.valid, "point": c.point, "max_relative_error": c.max_error}


def _gradient_json(g: Gradient, detail: str) -> dict:
    out = {"kind": "gradient", "input": g.input, "variables": [v.name for v in g.variables],
           "result": [str(p.result) for p in g.entries], "result_latex": latex(g.result),
           "entries": [_entry_json(p, detail) for p in g.entries], **_at_json(g.at), "check": _check_json(g.check)}
    if g.at:
        out["value"] = [row[0] for row in out["value"]]
        out["value_numeric"] = [row[0] for row in out["value_numeric"]]
    if g.directional:
        d = g.directional
        out["direction"] = [str(v) for v in d.direction]
        out["unit_direction"] = [str(v) for v in d.unit]
        out["directional_derivative"] = str(d.value if d.value is not None else d.expression)
        if d.value is not None:
            out["directional_derivative_numeric"] = float(d.value)
    return out


def _jacobian_json(J: Jacobian, detail: str) -> dict:
    return {"kind": "jacobian", "input": J.input, "variables": [v.name for v in J.variables],
            "functions": [str(f) for f in J.functions], "shape": list(J.shape),
            "result": _matrix_json(J.result), "result_latex": latex(J.result),
            "entries": [[_entry_json(p, detail) for p in row] for row in J.entries], **_at_json(J.at),
            "check": _check_json(J.check)}


def _hessian_json(H: Hessian, detail: str) -> dict:
    return {"kind": "hessian", "input": H.input, "variables": [v.name for v in H.variables],
            "result": _matrix_json(H.result), "result_latex": latex(H.result), "symmetric": H.symmetric,
            "gradient": [str(p.result) for p in H.gradient],
            "entries": [[_entry_json(H.second(i, j) if detail != "brief" else p, detail) if (j >= i or not H.symmetric) else
                         {"variable": p.var.name, "function": str(p.expr), "result": str(p.result),
                          "result_latex": latex(p.result), "steps": [], "by_symmetry": True}
                         for j, p in enumerate(row)] for i, row in enumerate(H.entries)],
            **_at_json(H.at), "check": _check_json(H.check)}


def _chain_json(c: ChainRule, detail: str) -> dict:
    (m, n), (_, k), _ = c.shapes
    return {"kind": "chain_rule", "input": c.input,
            "substitutions": {v.name: str(e) for v, e in c.substitutions.items()},
            "outer_variables": [v.name for v in c.outer.variables],
            "inner_variables": [v.name for v in c.inner.variables],
            "outer_jacobian": _matrix_json(c.outer.result), "inner_jacobian": _matrix_json(c.inner.result),
            "outer_jacobian_at_inner": _matrix_json(c.outer_at_inner),
            "shapes": {"outer": [m, n], "inner": [n, k], "result": [m, k]},
            "result": _matrix_json(c.result), "result_latex": latex(c.result), **_at_json(c.at),
            "steps": {"outer": [[_entry_json(p, detail) for p in row] for row in c.outer.entries],
                      "inner": [[_entry_json(p, detail) for p in row] for row in c.inner.entries]}}
