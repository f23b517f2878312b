"""Eigenvalues and eigenvectors as a textbook's worked example.

brief: the polynomial, the eigenvalues and a table of eigenvectors; standard: every step a textbook
shows (the row operations, the free variables, A·v = λ·v); full: also every minor of the determinant and
how each step was checked.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.linalg.eigen import LAMBDA, Eigen, EigenValue
from gradwise.derivations.linalg.steps import Label
from gradwise.derivations.steps import EqualityStep
from gradwise.explainer.registry import explains
from gradwise.explainer.givens import givens
from gradwise.explainer.linalg import determinant_step
from gradwise.explainer.linalg_labels import (check_words, factor_piece, matrix_json, op_label, poly_label, short_title,
                                              step_json, sub, written)
from gradwise.explainer.numbers import readable_text
from gradwise.printing import latex, unicode
from gradwise.renderers.document import Document, Math, Notation, Paragraph, Step, Table

A = Label("A", "A")
SHIFTED = Label("A − λI", r"A - \lambda I")
DET = Label("det(A − λI)", r"\det(A - \lambda I)")
SHOWN_DIGITS = 6


def shown(e):
    """A value as shown to a reader: floats rounded to 6 significant digits (the JSON keeps them all)."""
    if isinstance(e, sp.MatrixBase):
        return e.applyfunc(shown)
    return e.evalf(SHOWN_DIGITS) if e.has(sp.Float) else e


@explains(Eigen)
def explain(e: Eigen, detail: str = "standard") -> Document:
    """The document for an eigen-derivation."""
    title = short_title("Eigenvalues and eigenvectors of A = " + unicode(e.matrix), "Eigenvalues and eigenvectors of A")
    blocks: list = givens((A, e.matrix))
    blocks += [Paragraph.of(
        "Find every number λ and non-zero vector v with ", Notation(r"A v = \lambda v", "A·v = λ·v"),
        ": the directions that A only stretches, and by how much. ",
        "Since ", Notation(r"A v = \lambda v", "A·v = λ·v"), " means ",
        Notation(r"(A - \lambda I) v = 0", "(A − λI)·v = 0"), " with ", Notation(r"v \neq 0", "v ≠ 0"),
        ", the matrix ", Notation(r"A - \lambda I", "A − λI"), " must be singular, so ",
        Notation(r"\det(A - \lambda I) = 0", "det(A − λI) = 0"), ".")]
    number = 0

    def nxt() -> str:
        nonlocal number
        number += 1
        return str(number)

    s = e.step("characteristic_matrix")
    if detail != "brief":
        blocks.append(Step(nxt(), "Form A − λI", s.rule, None,
                           explanation=Paragraph.of("Subtract λ from each entry on the diagonal."),
                           lines=(Math.chain(SHIFTED, s.after),), check=_check(e, s, detail)))
    s = e.step("characteristic_polynomial")
    det = s.substeps[0]
    if detail == "brief":
        lines = (Math.chain(DET, poly_label(s.after, LAMBDA)),)
        children = ()
        explanation = conclusion = None
    else:
        shown_det = determinant_step(det, "", detail, top=True, var=LAMBDA)
        lines = shown_det.lines
        children = tuple(_renumber(c, f"{number + 1}.{k}") for k, c in enumerate(shown_det.children, start=1))
        explanation = shown_det.explanation
        conclusion = shown_det.conclusion
    blocks.append(Step(nxt(), "Characteristic polynomial", s.rule,
                       Notation(r"p(\lambda) = \det(A - \lambda I)", "p(λ) = det(A − λI)"),
                       explanation=explanation, lines=lines, children=children,
                       conclusion=conclusion if detail != "brief" else None,
                       check=_check(e, s, detail)))
    s = e.step("factor")
    if s.after != s.before and not (len(s.info["factors"]) == 1 and s.info["factors"][0][1] == 1):
        blocks.append(Step(nxt(), "Factor", s.rule, None, lines=(Math.chain(poly_label(e.polynomial, LAMBDA), s.after),),
                           check=_check(e, s, detail)))
    blocks.append(_solve_step(e, nxt(), detail))
    for v in e.eigenvalues:
        blocks.append(_vector_step(e, v, nxt(), detail))
    blocks.append(_checks_step(e, nxt(), detail))
    for rule in ("orthogonality_check", "diagonalise"):
        found = [x for x in e.steps if x.rule == rule]
        if found and detail != "brief":
            blocks.append((_orthogonal_step if rule == "orthogonality_check" else _diag_step)(e, found[0], nxt(), detail))
    blocks += _summary(e)
    answer = Math((written("λ = ", *[x for k, v in enumerate(e.eigenvalues)
                                     for x in ((", " if k else ""), shown(v.value))]),))
    return Document(title, tuple(blocks), data=contract(e), answer=answer)


def _renumber(step: Step, number: str) -> Step:
    from dataclasses import replace
    return replace(step, number=number,
                   children=tuple(_renumber(c, f"{number}.{k}") for k, c in enumerate(step.children, start=1)))


def shift_label(value) -> Label:
    """A − 3I, A − I, A + 2I, A − (1 + √2)I."""
    if value.has(sp.I):
        return written("A - λI")
    if value == 1:
        return written("A - I")
    if value == -1:
        return written("A + I")
    if value.is_Symbol:
        return written("A - ", value, "I")
    if value.is_Integer:
        return written("A - ", value, "I") if value > 0 else written("A + ", -value, "I")
    return written("A - ", factor_piece(value) if not isinstance(value, sp.Add) else
                   (f"({unicode(value)})", rf"\left({latex(value)}\right)"), "I")


def vector_name(e: Eigen, vec) -> Label:
    """v₁, v₂, ... numbered across all eigenvalues, in the order of the summary."""
    k = 1
    for v in e.eigenvalues:
        for x in v.eigenvectors:
            if x is vec:
                return Label(f"v{sub(k)}", rf"v_{{{k}}}")
            k += 1
    raise KeyError(vec)


def _av_chain(name: Label, step: EqualityStep, value, a) -> tuple:
    """A·v₁ = [2, 1; 1, 2]·(1, 1)ᵀ = (3, 3)ᵀ = 3·(1, 1)ᵀ = λ·v₁."""
    vec = step.info["vector"]
    left = written("A·", name)
    product = written(a, ("·", r" "), vec)
    scaled = written(factor_piece(value), ("·", r" \cdot "), vec)
    lam = written("λ·", name)
    return (left, product, step.before, lam) if value == 1 else (left, product, step.before, scaled, lam)


def _check(e: Eigen, step: EqualityStep, detail: str) -> str:
    return check_words(e.check_of(step)) if detail == "full" else ""


def _solve_step(e: Eigen, number: str, detail: str) -> Step:
    s = e.step("solve_characteristic")
    children = []
    for k, f in enumerate(s.substeps, start=1):
        info = f.info
        factor, roots = info["factor"], info["roots"]
        m = info["multiplicity"]
        power = f" (it appears {'twice' if m == 2 else f'{m} times'}, so its roots have multiplicity {m})" if m > 1 else ""
        if f.rule == "linear_root":
            lines = (Math((sp.Eq(factor, 0, evaluate=False), "⇒", sp.Eq(LAMBDA, shown(roots[0]), evaluate=False))),)
            children.append(Step(f"{number}.{k}", "Linear factor", f.rule, None,
                                 explanation=Paragraph.of(power.strip(" ()").capitalize() + ".") if power and detail != "brief" else None,
                                 lines=lines, check=_check(e, f, detail)))
        elif f.rule == "quadratic_formula":
            a, b, c, disc = info["a"], info["b"], info["c"], info["discriminant"]
            names = {x.name for x in e.matrix.free_symbols}
            na, nb, nc = ("α", "β", "γ") if names & {"a", "b", "c"} else ("a", "b", "c")
            la, lb, lc = ((r"\alpha", r"\beta", r"\gamma") if na == "α" else ("a", "b", "c"))
            sign = (" The discriminant is negative, so the two roots are complex conjugates: "
                    "A rotates as well as stretches." if info["complex"] else "")
            lines = (Math.chain(written((f"{nb}² − 4{na}{nc}", f"{lb}^2 - 4{la}{lc}")),
                                written(factor_piece(b, before_power=True), "² − 4·", factor_piece(a), "·", factor_piece(c)), disc),
                     Math.chain(LAMBDA, written(("(", r"\frac{"), factor_piece(-b), (" ± √", r" \pm \sqrt{"), factor_piece(disc),
                                                (")/", "}}{"), factor_piece(2 * a), ("", "}"))),
                     Math((LAMBDA, "=", written(*[x for j, r in enumerate(roots) for x in ((" or ", r" \text{ or } ") if j else "", r)])),))
            rational = "has no rational root" if not factor.free_symbols - {LAMBDA} else "does not factor over the rationals"
            children.append(Step(f"{number}.{k}", "Quadratic formula", f.rule,
                                 Notation(rf"\lambda = \frac{{-{lb} \pm \sqrt{{{lb}^2 - 4{la}{lc}}}}}{{2{la}}}",
                                          f"λ = (−{nb} ± √({nb}² − 4{na}{nc}))/(2{na})"),
                                 where=(Math.chain(Label(na, la), a), Math.chain(Label(nb, lb), b),
                                        Math.chain(Label(nc, lc), c)),
                                 explanation=Paragraph.of(Math.chain(poly_label(factor, LAMBDA)),
                                                          f" {rational}{power}.{sign}") if detail != "brief" else None,
                                 lines=lines, check=_check(e, f, detail)))
        elif f.rule == "closed_form_roots":
            children.append(Step(f"{number}.{k}", "Roots in closed form", f.rule, None,
                                 lines=(Math((LAMBDA, "=", written(*[x for j, r in enumerate(roots) for x in ((", ", ", ") if j else "", r)])),),),
                                 check=_check(e, f, detail)))
        else:
            d = info["degree"]
            why = ("there is no formula in radicals for degree 5 or more" if d >= 5 else
                   f"it has no rational root, and the {'cubic' if d == 3 else 'quartic'} formula would give "
                   "radicals too long to read (for a cubic with three real roots, even through complex numbers)")
            children.append(Step(f"{number}.{k}", "Numeric roots", f.rule, None,
                                 explanation=Paragraph.of(
                                     f"The factor ", Math.chain(factor), f" has degree {d}: {why}. Its roots are "
                                     f"computed numerically (mpmath polynomial roots, shown to {SHOWN_DIGITS} "
                                     f"significant digits, kept to {info['digits']}); the largest residual "
                                     f"|p(λ)| is {readable_text(info['residual'], 2)}."),
                                 lines=tuple(Math.chain(Label(f"λ{sub(j)}", rf"\lambda_{{{j}}}"), shown(r), relation="≈")
                                             for j, r in enumerate(roots, start=1)),
                                 check=_check(e, f, detail)))
    explanation = Paragraph.of("Set p(λ) = 0; each factor gives its roots.") if detail != "brief" else None
    step = Step(number, "Solve p(λ) = 0", s.rule, None, explanation=explanation,
                lines=(Math.chain(poly_label(e.polynomial, LAMBDA), s.after),) if _splits_further(e) else (),
                children=tuple(children), check=_check(e, s, detail))
    return step


def _splits_further(e: Eigen) -> bool:
    """Whether solving shows more than the factoring did (a quadratic or higher factor split into roots)."""
    s = e.step("solve_characteristic")
    return not s.info["numeric"] and any(f.rule != "linear_root" for f in s.substeps)


def _vector_step(e: Eigen, v: EigenValue, number: str, detail: str) -> Step:
    s = v.step
    value = shown(v.value)
    title = written("Eigenvectors for λ = ", value)
    title_text = title.name
    if v.numeric:
        info = s.info
        vecs = tuple(Math.chain(vector_name(e, x), shown(x), relation="≈") for x in v.eigenvectors)
        first = next(x for x in e.eigenvalues if x.numeric) is v
        why = ("With a numeric eigenvalue, exact row reduction would carry rounding errors into "
               "every pivot, so the null space of A − λI comes from its singular value "
               "decomposition (the right singular vector of the smallest singular value), scaled "
               "so its largest entry is 1. ") if first else "The null space of A − λI by SVD, as above. "
        return Step(number, title_text, s.rule, None,
                    explanation=Paragraph.of(why + f"Residual ‖A·v − λ·v‖ = {readable_text(info['residual'], 2)}.")
                    if detail != "brief" else None,
                    lines=vecs, check=_check(e, s, detail))
    substitute, reduce = s.substeps[0], s.substeps[1]
    nulls = [x for x in s.substeps if x.rule == "null_space"]
    verifies = [x for x in s.substeps if x.rule == "verify_eigenvector"]
    lines = [Math.chain(shift_label(value), substitute.after)]
    children = []
    if reduce.substeps and detail != "brief":
        op_lines = tuple(Math((op_label(op.info["op"]), "⇒", op.after)) for op in reduce.substeps)
        assumptions = reduce.info["assumptions"]
        assume = Paragraph.of("Dividing by ", *[x for k, a in enumerate(assumptions)
                                                  for x in ((", " if k else ""), Math.chain(a))],
                              " assumes ", "it is" if len(assumptions) == 1 else "they are", " not zero.") if assumptions else None
        children.append(Step(f"{number}.1", "Row reduce A − λI", reduce.rule, None,
                             explanation=assume, lines=op_lines, check=_check(e, reduce, detail)))
    elif detail != "brief" and any(x != 0 for x in reduce.after):
        children.append(Step(f"{number}.1", "Row reduce A − λI", reduce.rule, None,
                             explanation=Paragraph.of("It is already in reduced row echelon form: no row operation "
                                                      "is needed."), check=_check(e, reduce, detail)))
    n = e.matrix.rows
    xs = [Label(f"x{sub(k)}", f"x_{{{k}}}") for k in range(1, n + 1)]
    rref = reduce.after
    equations = [sp.Eq(sum((rref[i, j] * xs[j] for j in range(n)), sp.S.Zero), 0, evaluate=False)
                 for i in range(len(reduce.info["pivots"]))]
    free = reduce.info["free"]
    free_names = ", ".join(f"x{sub(f + 1)}" for f in free)
    read = Paragraph.of(
        "The reduced rows say ", *[x for k, q in enumerate(equations) for x in (("; " if k else ""), Math.chain(q))],
        f". {'Column' if len(free) == 1 else 'Columns'} {', '.join(str(f + 1) for f in free)} "
        f"{'has' if len(free) == 1 else 'have'} no pivot, so {free_names} "
        f"{'is a free variable' if len(free) == 1 else 'are free variables'}; "
        + ("setting it to 1" if len(free) == 1 else "setting one of them to 1 and the others to 0 in turn")
        + (" (then clearing fractions)" if any(not x.is_Integer for x in rref) and all(x.is_Rational for x in rref)
           else "") + " gives:") \
        if equations else Paragraph.of("A − λI is the zero matrix: every vector is an eigenvector.")
    names = [vector_name(e, vec) for vec in v.eigenvectors]
    vec_lines = tuple(Math.chain(name, x.info["vector"]) for name, x in zip(names, nulls))
    check_lines = tuple(Math.chain(*_av_chain(name, x, value, e.matrix)) for name, x in zip(names, verifies))
    g, m = v.geometric_multiplicity, v.algebraic_multiplicity
    if g < m:
        mult = (f"λ = {unicode(value)} is a root of multiplicity {m} but has only {g} independent "
                f"eigenvector{'s' if g != 1 else ''}: the geometric multiplicity {g} is less than the algebraic "
                f"multiplicity {m}, so A is defective (it cannot be diagonalised).")
    else:
        mult = (f"Geometric multiplicity {g} (free variables) = algebraic multiplicity {m}.")
    children.append(Step(f"{number}.{len(children) + 1}", "Read off the null space", "null_space", None,
                         explanation=read if detail != "brief" else None, lines=vec_lines,
                         check=_check(e, nulls[0], detail) if nulls else ""))
    children.append(Step(f"{number}.{len(children) + 1}", "Check A·v = λ·v", "verify_eigenvector", None,
                         lines=check_lines, check=_check(e, verifies[0], detail) if verifies else ""))
    if detail == "brief":
        children = [c for c in children if c.rule == "null_space"]
    return Step(number, title_text, s.rule, None,
                explanation=Paragraph.of("Solve (A − λI)·v = 0 with λ = ", Math.chain(value), ". ", mult)
                if detail != "brief" else None,
                lines=tuple(lines) if detail != "brief" else (), children=tuple(children),
                check=_check(e, s, detail))


def _checks_step(e: Eigen, number: str, detail: str) -> Step:
    tr, dt = e.step("trace_check"), e.step("determinant_check")
    terms = [shown(x) for x in tr.info["terms"]]
    joined = written(*[x for k, t in enumerate(terms) for x in ((" + ", " + ") if k else "", factor_piece(t))])
    product = written(*[x for k, t in enumerate(terms) for x in (("·", r" \cdot ") if k else "", factor_piece(t))])
    diag = written(*[x for k in range(e.matrix.rows)
                     for x in ((" + ", " + ") if k else "", factor_piece(e.matrix[k, k]))])
    lines = (Math.chain(written("λ₁ + … + λ", sub(len(terms))) if len(terms) > 2 else written("λ₁ + λ₂"),
                        joined, shown(tr.info["sum"]), diag, written(("tr A", r"\operatorname{tr} A"))),
             Math.chain(written("λ₁·…·λ", sub(len(terms))) if len(terms) > 2 else written("λ₁·λ₂"),
                        product, shown(dt.info["product"]), written(("det A", r"\det A"))))
    if len(terms) == 1:
        lines = (Math.chain(written("λ₁"), shown(tr.info["sum"]), written(("tr A", r"\operatorname{tr} A"))),
                 Math.chain(written("λ₁"), shown(dt.info["product"]), written(("det A", r"\det A"))))
    return Step(number, "Check: trace and determinant", "trace_check", None,
                explanation=Paragraph.of("Counted with their multiplicities, the eigenvalues add up to the "
                                         "trace (the sum of the diagonal) and multiply to the determinant.")
                if detail != "brief" else None,
                lines=lines, check=_check(e, tr, detail))


def _orthogonal_step(e: Eigen, s: EqualityStep, number: str, detail: str) -> Step:
    pairs = s.info["pairs"]
    lines = tuple(Math.chain(written(vector_name(e, u), "·", vector_name(e, w)), written(*[x for k in range(u.rows) for x in (
        (" + ", " + ") if k else "", factor_piece(u[k]), ("·", r" \cdot "), factor_piece(w[k]))]), value)
        for u, w, value in pairs[:6])
    return Step(number, "Symmetric: orthogonal eigenvectors", s.rule, None,
                explanation=Paragraph.of("A equals its transpose, so its eigenvalues are real and eigenvectors "
                                         "of different eigenvalues are orthogonal (their dot product is 0).")
                if detail != "brief" else None,
                lines=lines if detail != "brief" else (), check=_check(e, s, detail))


#: the diagonal form in running text: A = P D P⁻¹ (a product of matrices is written without dots)
DIAGONAL_FORM = Notation(r"A = P D P^{-1}", "A = P D P⁻¹")


def _diag_step(e: Eigen, s: EqualityStep, number: str, detail: str) -> Step:
    p, d, p_inv = s.info["P"], s.info["D"], s.info["P_inv"]
    return Step(number, "Diagonalise", s.rule, DIAGONAL_FORM,
                explanation=Paragraph.of("The eigenvectors span the whole space, so A is diagonalisable: P has "
                                         "the eigenvectors as columns and D the eigenvalues on its diagonal, "
                                         "in the same order.") if detail != "brief" else None,
                lines=(Math.chain(Label("P", "P"), p), Math.chain(Label("D", "D"), d),
                       Math.chain(Label("P⁻¹", "P^{-1}"), p_inv),
                       Math.chain(Label("P D P⁻¹", r"P D P^{-1}"), s.after, A)) if detail != "brief" else (),
                check=_check(e, s, detail))


def _summary(e: Eigen) -> list:
    rows = tuple((Math.chain(shown(v.value)), str(v.algebraic_multiplicity), str(v.geometric_multiplicity),
                  Math((written(*[x for k, vec in enumerate(v.eigenvectors) for x in ((", ", ", ") if k else "", shown(vec))]),)))
                 for v in e.eigenvalues)
    widths = [max(len(unicode(shown(v.value))) for v in e.eigenvalues), 9, 9,
              max(len(", ".join(unicode(shown(x)) for x in v.eigenvectors)) for v in e.eigenvalues)]
    if sum(widths) + 6 <= 80:
        out: list = [Table(("λ", "algebraic", "geometric", "eigenvectors"), rows, caption="Summary")]
    else:  # too wide for a table at 80 columns: one paragraph per eigenvalue
        out = [Paragraph.of("Summary:")] + [
            Paragraph.of("λ = ", Math.chain(shown(v.value)), f" (algebraic multiplicity {v.algebraic_multiplicity}, "
                         f"geometric {v.geometric_multiplicity}): ",
                         *[x for k, vec in enumerate(v.eigenvectors) for x in ((", " if k else ""), Math.chain(shown(vec)))],
                         ".")
            for v in e.eigenvalues]
    notes: list[tuple] = []  # sentences, each a tuple of paragraph parts (a formula typeset inside it)
    if e.symmetric:
        notes.append(("A is symmetric: real eigenvalues, orthogonal eigenvectors.",))
    if e.has_complex:
        notes.append(("Some eigenvalues are complex (they come in conjugate pairs for a real matrix).",))
    if e.defective:
        notes.append(("A is defective: some eigenvalue has fewer independent eigenvectors than its "
                      "multiplicity, so A has no eigenvector basis and is not diagonalisable.",))
    elif e.diagonalisation is not None:
        notes.append(("A is diagonalisable: ", DIAGONAL_FORM, "."))
    if e.numeric:
        notes.append((f"Numeric eigenvalues are shown to {SHOWN_DIGITS} significant digits.",))
    if any(v.assumptions for v in e.eigenvalues):
        notes.append(("The eigenvectors hold for values of the symbols where the pivots divided by are not zero.",))
    if notes:
        out.append(Paragraph.of(*[p for k, note in enumerate(notes) for p in ((" ",) if k else ()) + note]))
    return out


def contract(e: Eigen) -> dict:
    """The eigen JSON contract (design.md): polynomial, variable, eigenvalues with multiplicities and vectors."""
    return {
        "kind": "eigen", "input": e.input, "matrix": matrix_json(e.matrix),
        "characteristic_polynomial": str(e.polynomial), "characteristic_polynomial_latex": latex(e.polynomial),
        "factored": str(e.step("factor").after), "variable": "lambda",
        "eigenvalues": [{"value": str(v.value), "value_latex": latex(v.value),
                         "algebraic_multiplicity": v.algebraic_multiplicity,
                         "geometric_multiplicity": v.geometric_multiplicity,
                         "eigenvectors": [[str(x) for x in vec] for vec in v.eigenvectors],
                         "numeric": v.numeric} for v in e.eigenvalues],
        "symmetric": e.symmetric, "defective": e.defective, "diagonalisable": e.diagonalisation is not None,
        "complex": e.has_complex, "numeric": e.numeric,
        "steps": [step_json(s) for s in e.steps],
    }
