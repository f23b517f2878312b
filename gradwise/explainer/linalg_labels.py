"""Shared wording for the linear-algebra worked solutions (dot, matmul, det, eig, pca): notes, labels and
the JSON of steps.

Lines a textbook writes in a particular order (2·det[...] − 1·det[...]) are built here as `Label`s:
SymPy atoms that print exactly as written in text and in LaTeX.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.equivalence import Judgement
from gradwise.derivations.linalg.rowreduce import RowOp
from gradwise.derivations.linalg.steps import Label, matrix_str
from gradwise.derivations.steps import EqualityStep
from gradwise.explainer import json_steps
from gradwise.printing import latex, unicode
from gradwise.renderers.document import Math, Paragraph

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

NOTES = {
    "det_1x1": "the determinant of a 1×1 matrix is its entry",
    "det_2x2": "det(A) = ad − bc for a 2×2 matrix with rows (a, b) and (c, d)",
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
    "diagonalise": "A = P D P⁻¹",
}


def sub(k: int) -> str:
    """A 1-based index as a Unicode subscript."""
    return str(k).translate(_SUB)


def W(text: str, tex: str) -> Label:
    """A label printed exactly as written (text form, LaTeX form)."""
    return Label(text, tex)


_LATEX_TEXT = {"·": r" \cdot ", "−": "-", "λ": r"\lambda ", "ᵀ": r"^{\mathsf T}", "‖": r"\|", "θ": r"\theta ",
               "°": r"^\circ", "…": r"\dots ", "x̄": r"\bar{x}", "≈": r"\approx ", "√": r"\surd ", "²": "^{2}",
               "⁻¹": "^{-1}", "proj_v": r"\operatorname{proj}_{v}", "λ_min": r"\lambda_{\min}",
               "λ_max": r"\lambda_{\max}", "lr_max": r"\mathrm{lr}_{\max}", "lr_opt": r"\mathrm{lr}_{\mathrm{opt}}",
               "κ": r"\kappa ", "max|": r"\max|"}
_LATEX_TEXT.update({d: f"_{{{k}}}" for k, d in enumerate("₀₁₂₃₄₅₆₇₈₉")})


def _latex_text(text: str) -> str:
    """The LaTeX for a short piece of label text (Unicode math characters as commands)."""
    for key in sorted(_LATEX_TEXT, key=len, reverse=True):
        text = text.replace(key, _LATEX_TEXT[key])
    return text


def written(*pieces) -> Label:
    """Pieces (str, or SymPy objects printed by gradwise's printers) joined into one label.
    A str piece is used as is in text and, with `·` → `\\cdot` and `−` → `-`, in LaTeX."""
    text, tex = [], []
    for p in pieces:
        if isinstance(p, str):
            text.append(p)
            tex.append(_latex_text(p))
        elif isinstance(p, tuple):      # (text, latex)
            text.append(p[0])
            tex.append(p[1])
        else:
            text.append(unicode(p))
            tex.append(latex(p))
    return Label("".join(text), "".join(tex))


def factor_piece(c, before_power: bool = False) -> tuple[str, str]:
    """A factor inside a product: sums and negative numbers bracketed, (2 - λ)·(-1), bare otherwise
    (√14·√77); `before_power` also brackets a root or a power, (√2)², which would otherwise read √(2²)."""
    if isinstance(c, sp.Add) or (before_power and c.is_number and not c.is_Rational and not c.is_Atom) \
            or c.could_extract_minus_sign() or isinstance(c, sp.Rational) and not c.is_Integer \
            or (isinstance(c, sp.Mul) and any(x.is_Pow and x.exp.is_negative for x in c.args)) \
            or (c.is_Pow and c.exp.is_negative):
        return f"({unicode(c)})", rf"\left({latex(c)}\right)"
    return unicode(c), latex(c)


def signed_sum(terms, var: sp.Symbol | None = None) -> Label:
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
            if var is not None and x.has(var) and x.is_polynomial(var):
                label = poly_label(x, var)
                xt, xl = label.name, label._latex_form
            if isinstance(x, sp.Determinant):  # keep det[...] on one line when the text wraps
                xt = xt.replace(" ", "\u00a0")
            if isinstance(x, sp.Add):
                xt, xl = f"({xt})", rf"\left({xl}\right)"
        if c == 1 and not x.is_number:
            text.append(sign_t + xt)
            tex.append(sign_l + xl)
        else:
            ct, cl = factor_piece(c)
            ct = ct.replace(" ", "\u00a0") if len(ct) < 20 else ct  # (1 - λ) stays on one line
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
            neg = c.could_extract_minus_sign()
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


def short_title(full: str, short: str) -> str:
    """The full title when it fits on a terminal line, else the short one (the body names the operands)."""
    return full if len(full) <= 80 else short


def chain(*items, relation: str = "=") -> Math:
    """Math.chain without repeats: a = b = b reads a = b."""
    kept: list = []
    for x in items:
        if not kept or unicode(x) != unicode(kept[-1]):
            kept.append(x)
    return Math.chain(*kept, relation=relation)


def para(*parts) -> Paragraph:
    """A paragraph whose SymPy pieces (labels, expressions) become inline math."""
    return Paragraph.of(*[Math.chain(p) if isinstance(p, sp.Basic) else p for p in parts])


def check_words(j: Judgement | None) -> str:
    """How a step was checked, in words."""
    if j is None:
        return ""
    if j.equal is None:
        return f"not checked: {j.reason}"
    if j.method == "exact":
        return "checked exactly (exact arithmetic, confirmed to 30 digits)"
    if j.method == "numeric" and j.reason:
        return f"checked numerically ({j.reason})"
    points = f" and at {j.points} random point{'s' if j.points != 1 else ''}" if j.points and j.method != "numeric" else ""
    how = "symbolically" if j.method in ("symbolic", "structural") else "numerically"
    return f"checked {how}{points}"


def step_json(step: EqualityStep) -> dict:
    """A step of any linear-algebra result as JSON (rule, before, after, latex, note, check, substeps)."""
    return json_steps.step_json(step, lambda s: NOTES.get(s.rule, s.rule), show=matrix_str, extra=_operation)


def _operation(step: EqualityStep) -> dict:
    """A row operation's name, and its LaTeX written as an arrow."""
    op = step.info.get("op")
    if op is None:
        return {}
    return {"operation": op_label(op).name,
            "latex": f"{latex(step.before)} \\xrightarrow{{{op_label(op)._latex_form}}} {latex(step.after)}"}


def exprs_json(values) -> list[str]:
    return [str(v) for v in values]


def matrix_json(m) -> list[list[str]]:
    return [[str(e) for e in m.row(i)] for i in range(m.rows)]
