"""Shared wording for the linear-algebra worked solutions (dot, matmul, det, eig, pca), and the
determinant's explanation (the eigen explainer reuses it for det(A − λI)).

Lines a textbook writes in a particular order (2·det[...] − 1·det[...]) are built here as `Label`s:
SymPy atoms that print exactly as written in text and in LaTeX.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.equivalence import Judgement
from gradwise.derivations.linalg.rowreduce import RowOp
from gradwise.derivations.linalg.steps import Label, LinStep, matrix_str
from gradwise.printing import latex, unicode
from gradwise.renderers.document import Document, Math, Paragraph, Step

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

NOTES = {
    "det_1x1": "the determinant of a 1x1 matrix is its entry",
    "det_2x2": "det[a, b; c, d] = ad − bc",
    "cofactor_expansion": "Laplace (cofactor) expansion along the row or column with the most zeros",
    "det_direct": "a minor's determinant, computed directly",
    "row_reduction_det": "row reduce to a triangular matrix; the determinant is ± the product of the diagonal",
    "row_swap": "swap two rows (the determinant changes sign)",
    "row_scale": "multiply a row by a non-zero number",
    "row_add": "add a multiple of one row to another (the determinant is unchanged)",
    "row_reduce": "reduced row echelon form by Gauss–Jordan elimination",
    "characteristic_matrix": "A − λI: subtract λ from every diagonal entry",
    "characteristic_polynomial": "det(A − λI), expanded",
    "factor": "the characteristic polynomial factored over the rationals",
    "solve_characteristic": "the roots of the characteristic polynomial are the eigenvalues",
    "linear_root": "a linear factor gives one root",
    "quadratic_formula": "λ = (−b ± √(b² − 4ac)) / (2a)",
    "closed_form_roots": "roots in closed form",
    "numeric_roots": "roots computed numerically (mpmath)",
    "substitute": "A − λI at this eigenvalue",
    "null_space": "the eigenvector solves (A − λI)v = 0",
    "numeric_null_space": "the null space of A − λI, numerically (singular value decomposition)",
    "verify_eigenvector": "A·v = λ·v",
    "eigenvectors": "the eigenvectors of one eigenvalue: the null space of A − λI",
    "trace_check": "the eigenvalues add up to the trace",
    "determinant_check": "the eigenvalues multiply to the determinant",
    "orthogonality_check": "eigenvectors of a symmetric matrix for different eigenvalues are orthogonal",
    "diagonalise": "A = P·D·P⁻¹",
}


def sub(k: int) -> str:
    """A 1-based index as a Unicode subscript."""
    return str(k).translate(_SUB)


def W(text: str, tex: str) -> Label:
    """A label printed exactly as written (text form, LaTeX form)."""
    return Label(text, tex)


def written(*pieces) -> Label:
    """Pieces (str, or SymPy objects printed by gradwise's printers) joined into one label.
    A str piece is used as is in text and, with `·` → `\\cdot` and `−` → `-`, in LaTeX."""
    text, tex = [], []
    for p in pieces:
        if isinstance(p, str):
            text.append(p)
            tex.append(p.replace("·", r" \cdot ").replace("−", "-").replace("λ", r"\lambda ")
                       .replace("ᵀ", r"^{\mathsf T}"))
        elif isinstance(p, tuple):      # (text, latex)
            text.append(p[0])
            tex.append(p[1])
        else:
            text.append(unicode(p))
            tex.append(latex(p))
    return Label("".join(text), "".join(tex))


def factor_piece(c) -> tuple[str, str]:
    """A factor inside a product: sums and negative numbers bracketed, (2 - λ)·(-1), bare otherwise."""
    if isinstance(c, sp.Add) or (c.is_number and not c.is_Rational and not c.is_Atom) \
            or c.could_extract_minus_sign() or isinstance(c, sp.Rational) and not c.is_Integer \
            or (isinstance(c, sp.Mul) and any(x.is_Pow and x.exp.is_negative for x in c.args)) \
            or (c.is_Pow and c.exp.is_negative):
        return f"({unicode(c)})", rf"\left({latex(c)}\right)"
    return unicode(c), latex(c)


def signed_sum(terms) -> Label:
    """c₁·X₁ + c₂·X₂ − ... in the given order; terms are (coefficient, SymPy object) pairs."""
    text, tex = [], []
    for k, (c, x) in enumerate(terms):
        negative = c.could_extract_minus_sign() and not isinstance(c, sp.Add)
        c = -c if negative else c
        sign_t = (" - " if negative else " + ") if k else ("-" if negative else "")
        sign_l = (" - " if negative else " + ") if k else ("-" if negative else "")
        if x.is_number:
            xt, xl = factor_piece(x)
        else:
            xt, xl = unicode(x), latex(x)
            if isinstance(x, sp.Add):
                xt, xl = f"({xt})", rf"\left({xl}\right)"
        if c == 1 and not x.is_number:
            text.append(sign_t + xt)
            tex.append(sign_l + xl)
        else:
            ct, cl = factor_piece(c)
            text.append(f"{sign_t}{ct}·{xt}")
            tex.append(rf"{sign_l}{cl} \cdot {xl}")
    if not terms:
        return Label("0", "0")
    return Label("".join(text), "".join(tex))


def poly_label(p: sp.Expr, var: sp.Symbol) -> Label:
    """A polynomial in `var` written in descending powers: -λ³ + 12λ² - 21λ + 10."""
    poly = sp.Poly(p, var)
    terms = []
    for (k,), c in poly.terms():
        power = var ** k if k else sp.S.One
        terms.append((c, power) if k else (sp.S.One, c))
    text, tex = [], []
    for j, (c, x) in enumerate(terms):
        if x == 1 or not x.free_symbols:   # the constant term
            piece_t, piece_l = (f"({unicode(c * x)})", rf"\left({latex(c * x)}\right)") \
                if isinstance(c * x, sp.Add) else (unicode(c * x), latex(c * x))
            neg = not isinstance(c * x, sp.Add) and (c * x).could_extract_minus_sign()
            if neg:
                piece_t, piece_l = unicode(-(c * x)), latex(-(c * x))
        else:
            neg = not isinstance(c, sp.Add) and c.could_extract_minus_sign()
            mag = -c if neg else c
            ct, cl = ("", "") if mag == 1 else (f"({unicode(mag)})" if isinstance(mag, sp.Add) else unicode(mag),
                                                rf"\left({latex(mag)}\right)" if isinstance(mag, sp.Add) else latex(mag))
            piece_t, piece_l = ct + unicode(x), cl + latex(x)
        text.append((" - " if neg else " + ") + piece_t if j else ("-" if neg else "") + piece_t)
        tex.append((" - " if neg else " + ") + piece_l if j else ("-" if neg else "") + piece_l)
    return Label("".join(text) or "0", "".join(tex) or "0")


def op_label(op: RowOp) -> Label:
    """R₂ → R₂ − 3R₁ (text) / R_2 \\to R_2 - 3R_1 (LaTeX)."""
    i = op.i + 1
    if op.kind == "swap":
        return Label(f"R{sub(i)} ↔ R{sub(op.j + 1)}", rf"R_{{{i}}} \leftrightarrow R_{{{op.j + 1}}}")
    if op.kind == "scale" and op.factor == -1:
        return Label(f"R{sub(i)} → -R{sub(i)}", rf"R_{{{i}}} \to -R_{{{i}}}")
    if op.kind == "scale":
        ct, cl = factor_piece(op.factor)
        return Label(f"R{sub(i)} → {ct}·R{sub(i)}", rf"R_{{{i}}} \to {cl} R_{{{i}}}")
    c = op.factor
    negative = c.could_extract_minus_sign() and not isinstance(c, sp.Add)
    mag = -c if negative else c
    ct, cl = factor_piece(mag)
    ct, cl = ("", "") if mag == 1 else (ct + "·", cl + " ")
    s = "-" if negative else "+"
    return Label(f"R{sub(i)} → R{sub(i)} {s} {ct}R{sub(op.j + 1)}",
                 rf"R_{{{i}}} \to R_{{{i}}} {'-' if negative else '+'} {cl}R_{{{op.j + 1}}}")


def para(*parts) -> Paragraph:
    """A paragraph whose SymPy pieces (labels, expressions) become inline math."""
    return Paragraph.of(*[Math.chain(p) if isinstance(p, sp.Basic) else p for p in parts])


def check_words(j: Judgement | None) -> str:
    """How a step was checked, in words."""
    if j is None:
        return ""
    if j.equal is None:
        return f"not checked: {j.reason}"
    if j.method == "numeric" and j.reason:
        return f"checked numerically ({j.reason})"
    points = f" and at {j.points} random point{'s' if j.points != 1 else ''}" if j.points and j.method != "numeric" else ""
    how = "symbolically" if j.method in ("symbolic", "structural") else "numerically"
    return f"checked {how}{points}"


def step_json(step: LinStep, checks) -> dict:
    """A step of any linear-algebra result as JSON (rule, before, after, latex, note, check, substeps)."""
    out = {"rule": step.rule, "before": matrix_str(step.before), "after": matrix_str(step.after),
           "latex": f"{latex(step.before)} = {latex(step.after)}", "note": NOTES.get(step.rule, step.rule)}
    op = step.info.get("op")
    if op is not None:
        out["operation"] = op_label(op).name
        out["latex"] = f"{latex(step.before)} \\xrightarrow{{{op_label(op)._latex_form}}} {latex(step.after)}"
    j = checks.get(step)
    if j is not None:
        out["check"] = {"method": j.method, "points": j.points, "valid": j.equal}
    out["substeps"] = [step_json(s, checks) for s in step.substeps]
    return out


def exprs_json(values) -> list[str]:
    return [str(v) for v in values]


def matrix_json(m) -> list[list[str]]:
    return [[str(e) for e in m.row(i)] for i in range(m.rows)]


# ----------------------------------------------------------------------------------------------------
# Determinant

def determinant_lines(step: LinStep, var: sp.Symbol | None = None) -> list[Math]:
    """The lines that show one determinant step: det[...] = expansion = value (a polynomial in `var`
    is written in descending powers)."""
    lines = _determinant_lines(step)
    if var is not None and step.after.has(var):
        last = lines[-1]
        lines[-1] = Math(last.parts[:-1] + (poly_label(step.after, var),))
    return lines


def _determinant_lines(step: LinStep) -> list[Math]:
    if step.rule == "det_2x2":
        a, b, c, d = step.before.arg
        literal = written(factor_piece(a), "·", factor_piece(d), " - ", factor_piece(b), "·", factor_piece(c))
        return [Math.chain(step.before, literal, step.after)]
    if step.rule == "cofactor_expansion":
        info = step.info
        terms = info["terms"]
        with_minors = signed_sum([(t["sign"] * t["entry"], t["step"].before) for t in terms])
        with_values = signed_sum([(t["sign"] * t["entry"], t["step"].after) for t in terms])
        return [Math.chain(step.before, with_minors, with_values, step.after)]
    if step.rule == "row_reduction_det":
        info = step.info
        sign = "-" if info["sign"] < 0 else ""
        product = written(sign, *[x for k, d in enumerate(info["diagonal"])
                                  for x in ((("·", r" \cdot ") if k else ("", "")), factor_piece(d))])
        return [Math.chain(step.before, written(("det", r"\det "), info["upper"]), product, step.after)]
    return [Math.chain(step.before, step.after)]


def determinant_step(step: LinStep, number: str, detail: str, checks, top: bool = True) -> Step:
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
                                   " times the determinant of the minor left when its row and column are deleted.")
        if detail == "full" or (detail == "standard" and top and step.before.arg.rows > 3):
            kids = [s for s in step.substeps if s.rule != "det_1x1"]
            children = tuple(determinant_step(s, f"{number}.{k}", detail, checks, top=False)
                             for k, s in enumerate(kids, start=1))
    elif step.rule == "row_reduction_det":
        explanation = Paragraph.of(
            "Row reduce to an upper triangular matrix: adding a multiple of one row to another leaves the "
            "determinant unchanged and each swap changes its sign "
            f"({info['swaps']} swap{'s' if info['swaps'] != 1 else ''} here); then multiply the diagonal.")
        if detail != "brief":
            children = tuple(Step(f"{number}.{k}", "Row operation", s.rule, None,
                                  lines=(Math((op_label(s.info["op"]), "⇒", s.after)),),
                                  check=check_words(checks.get(s)) if detail == "full" else "")
                             for k, s in enumerate(step.substeps, start=1))
    elif step.rule == "det_2x2":
        explanation = para("For a 2x2 matrix, ", written(("det[a, b; c, d] = ad − bc", r"\det\begin{bmatrix}a&b\\c&d\end{bmatrix} = ad - bc")), ".") if top else None
    title = {"det_2x2": "2x2 determinant", "cofactor_expansion": "Cofactor expansion", "det_1x1": "1x1 determinant",
             "det_direct": "Determinant of a minor", "row_reduction_det": "Row reduction"}[step.rule]
    return Step(number, title, step.rule, None, explanation=explanation if detail != "brief" else None,
                lines=tuple(determinant_lines(step)), children=children,
                check=check_words(checks.get(step)) if detail == "full" else "", collapsed=not top)


def explain_determinant(d, detail: str) -> Document:
    title = "Determinant of A = " + unicode(d.matrix)
    blocks = [Paragraph.of("Find the determinant of ", Math.chain(Label("A", "A"), d.matrix), ".")]
    blocks.append(determinant_step(d.tree, "1", detail, d.checks))
    answer = Math.chain(Label("det A", r"\det A"), d.value)
    meaning = (" A is singular: its columns are linearly dependent and it has no inverse." if d.value == 0
               else "" if d.value.free_symbols else " A is invertible (its determinant is not zero).")
    blocks.append(Paragraph.of("Answer: ", answer, "." + meaning))
    data = {"kind": "determinant", "input": d.input, "matrix": matrix_json(d.matrix), "result": str(d.value),
            "result_latex": latex(d.value), "method": d.tree.rule,
            "steps": [step_json(d.tree, d.checks)]}
    return Document(title, tuple(blocks), data=data, answer=answer)


def explain(result, detail: str = "standard") -> Document:
    """Dispatch on the result's kind (dot, matmul, determinant, eigen, pca)."""
    if result.kind == "determinant":
        return explain_determinant(result, detail)
    raise TypeError(f"gradwise.explainer.linalg does not explain {result.kind}")
