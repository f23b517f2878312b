"""The linear-algebra worked solutions: the determinant (the eigen explainer reuses it for det(A − λI)),
the dot product, the matrix product and the stable learning rates. Their shared wording is `linalg_labels`.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.linalg.determinant import Determinant
from gradwise.derivations.linalg.products import MatrixProduct
from gradwise.derivations.linalg.stability import StabilityAnalysis
from gradwise.derivations.linalg.steps import Label
from gradwise.derivations.linalg.vectors import DotProduct
from gradwise.derivations.steps import EqualityStep
from gradwise.explainer.numbers import readable_text
from gradwise.printing import latex, unicode
from gradwise.explainer.givens import N, givens
from gradwise.explainer.registry import explains
from gradwise.renderers.document import Answer, Document, Math, Notation, Paragraph, Step
from gradwise.explainer.linalg_labels import (chain, check_words, exprs_json, factor_piece, matrix_json, op_label, para,
                                              poly_label, short_title, signed_sum, step_json, sub, written)


# ----------------------------------------------------------------------------------------------------
# Determinant

def determinant_lines(step: EqualityStep, var: sp.Symbol | None = None) -> list[Math]:
    """The lines that show one determinant step: det[...] = expansion = value (a polynomial in `var`
    is written in descending powers)."""
    lines = _determinant_lines(step, var)
    if var is not None and step.after.has(var):
        last = lines[-1]
        lines[-1] = Math(last.parts[:-1] + (poly_label(step.after, var),))
    return lines


def _determinant_lines(step: EqualityStep, var: sp.Symbol | None = None) -> list[Math]:
    if step.rule == "det_2x2":
        a, b, c, d = step.before.arg
        literal = written(factor_piece(a), "·", factor_piece(d), " - ", factor_piece(b), "·", factor_piece(c))
        return [Math.chain(step.before, literal, step.after)]
    if step.rule == "cofactor_expansion":
        info = step.info
        terms = info["terms"]
        with_minors = signed_sum([(t["sign"] * t["entry"], t["step"].before) for t in terms])
        with_values = signed_sum([(t["sign"] * t["entry"], t["step"].after) for t in terms], var)
        return [Math.chain(step.before, with_minors, with_values, step.after)]
    if step.rule == "row_reduction_det":
        info = step.info
        sign = "-" if info["sign"] < 0 else ""
        product = written(sign, *[x for k, d in enumerate(info["diagonal"])
                                  for x in ((("·", r" \cdot ") if k else ("", "")), factor_piece(d))])
        return [Math.chain(step.before, written(("det", r"\det "), info["upper"]), product, step.after)]
    return [Math.chain(step.before, step.after)]


def determinant_step(step: EqualityStep, number: str, detail: str, top: bool = True,
                     var: sp.Symbol | None = None) -> Step:
    """A determinant step with its minors (standard: the first level; full: every level and check)."""
    info = step.info
    explanation = None
    children: tuple = ()
    if step.rule == "cofactor_expansion":
        where = f"{info['line']} {info['index'] + 1}"
        zeros = info["zeros"]
        why = (f" (it has {zeros} zero{'s' if zeros != 1 else ''}, so {zeros} term{'s drop' if zeros != 1 else ' drops'} "
               "out)") if zeros else " (no row or column has a zero, so any will do)"
        explanation = para(f"Expand along {where}{why}: each entry times its cofactor, the sign ",
                           written(("(−1)^(i+j)", "(-1)^{i+j}")),
                           " times the determinant of the minor left when its row and column are deleted.") \
            if top else para(f"Expand along {where}{why}.")
        if detail == "full" or (detail == "standard" and top):
            kids = [s for s in step.substeps if s.rule != "det_1x1"]
            children = tuple(determinant_step(s, f"{number}.{k}", detail, top=False, var=var)
                             for k, s in enumerate(kids, start=1))
    elif step.rule == "row_reduction_det":
        explanation = Paragraph.of(
            "Row reduce to an upper triangular matrix: adding a multiple of one row to another leaves the "
            "determinant unchanged and each swap changes its sign "
            f"({info['swaps']} swap{'s' if info['swaps'] != 1 else ''} here); then multiply the diagonal.")
        if detail != "brief":
            children = tuple(Step(f"{number}.{k}", "Row operation", s.rule, None,
                                  lines=(Math((op_label(s.info["op"]), "⇒", s.after)),),
                                  check=check_words(s.check) if detail == "full" else "")
                             for k, s in enumerate(step.substeps, start=1))
    elif step.rule == "det_2x2":
        explanation = para("For a 2×2 matrix, ", written(("det[a, b; c, d] = ad − bc", r"\det\begin{bmatrix}a&b\\c&d\end{bmatrix} = ad - bc")), ".") if top else None
    title = {"det_2x2": "2×2 determinant", "cofactor_expansion": "Cofactor expansion", "det_1x1": "1×1 determinant",
             "det_direct": "Determinant of a minor", "row_reduction_det": "Row reduction"}[step.rule]
    lines = determinant_lines(step, var)
    conclusion = None
    if children and step.rule == "cofactor_expansion":
        # the expansion first, then each minor, then the minors' values put back (as a textbook does)
        parts = lines[0].parts
        lines, conclusion = [Math(parts[:3])], Math((parts[0],) + parts[3:])
    return Step(number, title, step.rule, None, explanation=explanation if detail != "brief" else None,
                lines=tuple(lines), children=children, conclusion=conclusion,
                check=check_words(step.check) if detail == "full" else "", collapsed=not top)


@explains(Determinant)
def explain_determinant(d: Determinant, detail: str) -> Document:
    title = short_title("Determinant of A = " + unicode(d.matrix), "Determinant of A")
    blocks = [Paragraph.of("Find the determinant of ", Math.chain(Label("A", "A"), d.matrix), ".")]
    blocks.append(determinant_step(d.tree, "1", detail))
    answer = Math.chain(Label("det A", r"\det A"), d.value)
    meaning = (" A is singular: its columns are linearly dependent and it has no inverse." if d.value == 0
               else "" if d.value.free_symbols else " A is invertible (its determinant is not zero).")
    blocks.append(Answer.of(answer, "." + meaning))
    data = {"kind": "determinant", "input": d.input, "matrix": matrix_json(d.matrix), "result": str(d.value),
            "result_latex": latex(d.value), "method": d.tree.rule,
            "steps": [step_json(d.tree)]}
    return Document(title, tuple(blocks), data=data, answer=answer)


def products_label(pairs) -> Label:
    """1·4 + 2·5 + 3·6, negative factors bracketed."""
    return written(*[x for k, (a, b) in enumerate(pairs)
                     for x in ((" + " if k else ""), factor_piece(a), ("·", r" \cdot "), factor_piece(b))])


# ----------------------------------------------------------------------------------------------------
# Dot product

@explains(DotProduct)
def explain_dot(d: DotProduct, detail: str) -> Document:
    u, v = Label("u", r"\mathbf{u}"), Label("v", r"\mathbf{v}")
    title = short_title(f"Dot product of u = {unicode(d.u)} and v = {unicode(d.v)}", "Dot product of u and v")
    blocks: list = givens((u, d.u), (v, d.v))
    blocks += [para("Multiply the vectors entry by entry and add the products: ",
                         Notation(r"\mathbf{u} \cdot \mathbf{v} = \sum_i u_i v_i", "u·v = Σ uᵢvᵢ"), ".")]
    chk = (lambda s: check_words(d.check_of(s)) if detail == "full" else "")
    s = d.step("dot_product")
    blocks.append(Step("1", "Dot product", s.rule, None,
                       lines=(chain(written("u·v"), products_label(s.info["pairs"]), s.after),), check=chk(s)))
    number = 1
    if detail != "brief":
        for s in [x for x in d.steps if x.rule == "norm"]:
            number += 1
            x = s.info["vector"]
            squares = written(("√(", r"\sqrt{"), *[p for k, e in enumerate(x) for p in
                                                   ((" + " if k else ""), factor_piece(e, before_power=True), ("²", "^{2}"))], (")", "}"))
            name = s.info["name"]
            blocks.append(Step(str(number), f"Length of {name}", s.rule,
                               Notation(rf"\|\mathbf{{{name}}}\| = \sqrt{{\mathbf{{{name}}} \cdot \mathbf{{{name}}}}}",
                                        f"‖{name}‖ = √({name}·{name})"),
                               lines=(chain(written(f"‖{name}‖"), squares, s.after),), check=chk(s)))
    cos, angle = d.step("cosine_similarity"), d.step("angle")
    if cos is not None:
        number += 1
        n1, n2 = cos.info["norms"]
        ratio = written(factor_piece(cos.info["dot"]), ("/(", r" \big/ \left("), factor_piece(n1), ("·", r" \cdot "),
                        factor_piece(n2), (")", r"\right)"))
        blocks.append(Step(str(number), "Cosine similarity", cos.rule,
                           Notation(r"\cos\theta = \frac{\mathbf{u} \cdot \mathbf{v}}{\|\mathbf{u}\| \|\mathbf{v}\|}",
                                    "cos θ = u·v / (‖u‖·‖v‖)"),
                           explanation=para("Dividing by both lengths leaves only the direction: 1 for the same "
                                            "direction, 0 for perpendicular, −1 for opposite. This is why embeddings "
                                            "are compared by cosine similarity: it ignores how long the vectors are.")
                           if detail != "brief" else None,
                           lines=(chain(written(("cos θ", r"\cos\theta")), ratio, cos.after),)
                           + ((Math.chain(cos.after, sp.Float(float(cos.after), 6), relation="≈"),)
                              if not cos.after.free_symbols and not cos.after.is_Rational else ()),
                           check=chk(cos)))
        number += 1
        lines = [Math.chain(written("θ"), angle.after)]
        if not angle.after.free_symbols:
            rad = float(angle.after)
            lines.append(Math.chain(written("θ"), sp.Float(rad, 6), relation="≈"))
            lines.append(Math((written(f"θ ≈ {rad * 180 / 3.141592653589793:.4g}°"),)))
        blocks.append(Step(str(number), "Angle", angle.rule, Notation(r"\theta = \arccos(\cos\theta)", "θ = arccos(cos θ)"),
                           lines=tuple(lines), check=chk(angle)))
    proj = d.step("projection")
    if proj is not None and detail != "brief":
        number += 1
        rest = d.step("orthogonal_remainder")
        blocks.append(Step(str(number), "Projection of u on v", proj.rule,
                           Notation(r"\operatorname{proj}_{\mathbf{v}} \mathbf{u} = \frac{\mathbf{u} \cdot \mathbf{v}}"
                                    r"{\mathbf{v} \cdot \mathbf{v}} \mathbf{v}", "proj_v u = (u·v / v·v)·v"),
                           explanation=para("The part of u that points along v; what is left, ",
                                            N(r"\mathbf{u} - \operatorname{proj}_{\mathbf{v}} \mathbf{u}", "u − projᵥ u"),
                                            ", is perpendicular to v (its dot product with v is 0)."),
                           lines=(Math.chain(written("proj_v u"), written(factor_piece(proj.info["coefficient"]), ("·", r" \cdot "), d.v),
                                             proj.after),
                                  Math.chain(written("(u − proj_v u)·v"), products_label(zip(rest.info["remainder"], d.v)), rest.after)),
                           check=chk(proj)))
    answer = Math.chain(written("u·v"), d.value)
    blocks.append(Answer.of(answer, "."))
    data = {"kind": "dot", "input": list(d.input), "u": exprs_json(d.u), "v": exprs_json(d.v),
            "result": str(d.value), "result_latex": latex(d.value),
            "norm_u": str(d.steps[1].after), "norm_v": str(d.steps[2].after),
            "cosine_similarity": str(d.cosine) if d.cosine is not None else None,
            "angle": str(d.angle) if d.angle is not None else None,
            "angle_degrees": float(d.angle * 180 / sp.pi) if d.angle is not None and not d.angle.free_symbols else None,
            "projection": exprs_json(d.projection) if d.projection is not None else None,
            "steps": [step_json(s) for s in d.steps]}
    return Document(title, tuple(blocks), data=data, answer=answer)


# ----------------------------------------------------------------------------------------------------
# Matrix product

@explains(MatrixProduct)
def explain_matmul(m: MatrixProduct, detail: str) -> Document:
    a, b = m.a, m.b
    title = short_title(f"Matrix product {unicode(a)}·{unicode(b)}", "Matrix product A·B")
    chk = (lambda s: check_words(m.check_of(s)) if detail == "full" else "")
    shp = m.step("shape_check").info
    blocks: list = givens((Label("A", "A"), a), (Label("B", "B"), b))
    blocks += [para(f"A is {a.rows}×{a.cols} and B is {b.rows}×{b.cols}: the columns of A ({a.cols}) match the "
                         f"rows of B ({b.rows}), so A·B exists and is {shp['result'][0]}×{shp['result'][1]}. "
                         "Entry (i, j) of A·B is the dot product of row i of A with column j of B.")]
    prod = m.step("matrix_product")
    entries = prod.substeps
    if detail == "brief":
        lines = (Math.chain(written("A·B"), prod.after),)
        children = ()
    else:
        lines = ()
        children = tuple(Step(f"1.{k}", f"Entry ({s.info['row'] + 1}, {s.info['column'] + 1})", s.rule, None,
                              lines=(Math.chain(written((f"(AB){sub(s.info['row'] + 1)}{sub(s.info['column'] + 1)}",
                                                         f"(AB)_{{{s.info['row'] + 1},{s.info['column'] + 1}}}")),
                                                products_label(s.info["pairs"]), s.after),), check=chk(s))
                         for k, s in enumerate(entries, start=1))
        if detail == "standard" and len(entries) > 16:
            children = children[:4]
            lines = (Math.chain(written("A·B"), prod.after),)
    blocks.append(Step("1", "Row by column", prod.rule, Notation(r"(AB)_{ij} = \sum_k a_{ik} b_{kj}", "(AB)ᵢⱼ = Σₖ aᵢₖbₖⱼ"),
                       lines=lines, children=children,
                       conclusion=Math.chain(written("A·B"), prod.after) if children else None, check=chk(prod)))
    number = 1
    lc = m.step("linear_combination")
    if lc is not None and detail != "brief":
        number += 1
        combo = written(*[p for k, (c, col) in enumerate(zip(lc.info["coefficients"], lc.info["columns"]))
                          for p in ((" + " if k else ""), factor_piece(c), ("·", r" \cdot "), col)])
        blocks.append(Step(str(number), "As a combination of columns", lc.rule, None,
                           explanation=para("A matrix times a vector mixes the columns of the matrix, weighted by the "
                                            "vector's entries: this is what a linear layer does to its input."),
                           lines=(Math.chain(written("A·x"), combo, lc.after),), check=chk(lc)))
    tr = m.step("transpose_rule")
    if detail != "brief":
        number += 1
        blocks.append(Step(str(number), "Transpose of a product", tr.rule,
                           Notation(r"(AB)^{\mathsf T} = B^{\mathsf T} A^{\mathsf T}", "(AB)ᵀ = BᵀAᵀ"),
                           explanation=para("Transposing reverses the order of the factors."),
                           lines=(Math.chain(written("(AB)ᵀ"), tr.before), Math.chain(written("BᵀAᵀ"), written(tr.info["bt"], ("·", r" \cdot "), tr.info["at"]), tr.after)),
                           check=chk(tr)))
    answer = Math.chain(written("A·B"), m.value)
    blocks.append(Answer.of(answer, "."))
    data = {"kind": "matmul", "input": list(m.input), "a": matrix_json(a), "b": matrix_json(b),
            "shape": list(shp["result"]), "result": matrix_json(m.value), "result_latex": latex(m.value),
            "steps": [step_json(s) for s in m.steps]}
    return Document(title, tuple(blocks), data=data, answer=answer)


# ----------------------------------------------------------------------------------------------------
# Hessian eigenvalues and the learning rate of gradient descent

@explains(StabilityAnalysis)
def explain_stability(a: StabilityAnalysis, detail: str) -> Document:
    """Why lr < 2/λ_max, with this Hessian's numbers (the link from eigenvalues to optimizers)."""
    def f(v: float) -> str:
        return readable_text(v)
    values = ", ".join(f(v) for v in a.eigenvalues)
    blocks: list = [para(
        "On a quadratic f(x) = ½·xᵀHx − bᵀx, gradient descent x ← x − lr·∇f(x) multiplies the error along "
        "each eigenvector of H by (1 − lr·λ) at every step. It converges when every |1 − lr·λ| < 1, that is "
        "when all λ > 0 and lr < 2/λ_max.")]
    blocks.append(Step("1", "Eigenvalues of the Hessian", "hessian_eigenvalues", None,
                       explanation=para(f"In ascending order: {values}."),
                       lines=(Math.chain(written("λ_min"), written(f(a.lambda_min))),
                              Math.chain(written("λ_max"), written(f(a.lambda_max))))))
    if a.lambda_max > 0:
        lines = [Math.chain(written("lr_max"), written(("2/λ_max", r"2/\lambda_{\max}")), written(f(a.lr_max)))]
    else:
        lines = []
    why = ("" if a.lambda_max > 0 else "No eigenvalue is positive: no curvature limits the step, but there is "
           "no minimum to converge to either.")
    blocks.append(Step("2", "Largest stable learning rate", "lr_max", Notation(r"\text{lr} < 2/\lambda_{\max}", "lr < 2/λ_max"),
                       explanation=para(why) if why else None, lines=tuple(lines)))
    if a.optimal_lr is not None:
        blocks.append(Step("3", "Best constant learning rate", "optimal_lr",
                           Notation(r"\text{lr}^* = 2/(\lambda_{\min} + \lambda_{\max})", "lr_opt = 2/(λ_min + λ_max)"),
                           explanation=para("It balances the slowest and the fastest direction; the error then "
                                            "shrinks by (κ − 1)/(κ + 1) per step, κ = λ_max/λ_min the condition number."),
                           lines=(Math.chain(written("lr_opt"), written(f(a.optimal_lr))),
                                  Math.chain(written("κ"), written(f(a.condition_number))),
                                  Math.chain(written("max|1 − lr_opt·λ|"), written(f(a.contraction(a.optimal_lr)))))))
    else:
        blocks.append(para("λ_min ≤ 0: the quadratic is not bounded below along some direction (or is flat), so "
                           "gradient descent has no minimum to converge to; no learning rate fixes that."))
    data = {"kind": "stability", "eigenvalues": list(a.eigenvalues), "lr_max": a.lr_max if a.lr_max != float("inf") else None,
            "optimal_lr": a.optimal_lr, "condition_number": a.condition_number if a.condition_number != float("inf") else None,
            "contraction_at_optimal_lr": a.contraction(a.optimal_lr) if a.optimal_lr is not None else None}
    return Document("Stable learning rates from the Hessian's eigenvalues", tuple(blocks), data=data)

