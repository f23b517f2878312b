"""A matrix gradient as a worked solution in the style of a matrix-calculus tutorial.

1. Take the differential, one rule at a time (each rule stated, with its Matrix Cookbook equation).
2. Bring each term of df to the form gᵀ dx (tr(Gᵀ dX) for a matrix), naming the identities used.
3. Collect: df = tr(Gᵀ dX), so ∂f/∂X = G, in denominator layout (G has the shape of X).
Then where the function is not differentiable, and how the result was checked.
"""
from __future__ import annotations

from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.derivation import MatrixGradient
from gradwise.derivations.matrix_calculus.differentials import DifferentialStep, TermStep, cookbook_citation
from gradwise.derivations.matrix_calculus.notation import latex as e_latex, text
from gradwise.explainer.json_steps import step_json
from gradwise.explainer.registry import explains
from gradwise.explainer.multivariable import Label
from gradwise.explainer.numbers import readable_text
from gradwise.printing import latex
from gradwise.renderers.document import Answer, Document, Math, Notation, Paragraph, Step

P = Paragraph.of


def N(latex_: str, text_: str) -> Notation:
    return Notation(latex=latex_, text=text_)


#: rule id -> (title, statement)
RULES = {
    "constant": ("Constant", N(r"\mathrm{d}A = 0", "dA = 0")),
    "constant_factor": ("Constant factors stay", N(r"\mathrm{d}(A U B) = A\,\mathrm{d}U\,B", "d(A U B) = A dU B")),
    "sum": ("Sum rule", N(r"\mathrm{d}(U + V) = \mathrm{d}U + \mathrm{d}V", "d(U + V) = dU + dV")),
    "product": ("Product rule for differentials",
                N(r"\mathrm{d}(UV) = \mathrm{d}U\,V + U\,\mathrm{d}V", "d(U V) = dU V + U dV")),
    "transpose": ("Transpose", N(r"\mathrm{d}(U^{\top}) = (\mathrm{d}U)^{\top}", "d(Uᵀ) = (dU)ᵀ")),
    "inverse": ("Inverse", N(r"\mathrm{d}(U^{-1}) = -U^{-1}\,\mathrm{d}U\,U^{-1}", "d(U⁻¹) = −U⁻¹ dU U⁻¹")),
    "trace": ("Trace", N(r"\mathrm{d}\operatorname{tr}(U) = \operatorname{tr}(\mathrm{d}U)", "d tr(U) = tr(dU)")),
    "determinant": ("Determinant (Jacobi's formula)",
                    N(r"\mathrm{d}\det U = \det U \operatorname{tr}(U^{-1}\mathrm{d}U)", "d det(U) = det(U) tr(U⁻¹ dU)")),
    "log_determinant": ("Log-determinant",
                        N(r"\mathrm{d}\log\det U = \operatorname{tr}(U^{-1}\mathrm{d}U)", "d log det(U) = tr(U⁻¹ dU)")),
    "hadamard": ("Product rule, elementwise",
                 N(r"\mathrm{d}(U \odot V) = \mathrm{d}U \odot V + U \odot \mathrm{d}V", "d(U ⊙ V) = dU ⊙ V + U ⊙ dV")),
    "norm": ("Norm", N(r"\mathrm{d}\lVert u \rVert = \frac{u^{\top}\mathrm{d}u}{\lVert u \rVert}", "d‖u‖ = uᵀ du / ‖u‖")),
    "squared_norm": ("Squared norm", N(r"\mathrm{d}\lVert u \rVert^2 = 2u^{\top}\mathrm{d}u", "d‖u‖² = 2 uᵀ du")),
    "power": ("Power rule", N(r"\mathrm{d}(\alpha^{n}) = n\alpha^{n-1}\mathrm{d}\alpha", "d(αⁿ) = n αⁿ⁻¹ dα")),
    "exp": ("Exponential, elementwise", N(r"\mathrm{d}\exp(U) = \exp(U) \odot \mathrm{d}U", "d exp(U) = exp(U) ⊙ dU")),
    "log": ("Logarithm, elementwise", N(r"\mathrm{d}\log(U) = \mathrm{d}U \oslash U", "d log(U) = dU ⊘ U")),
    "tanh": ("tanh, elementwise", N(r"\mathrm{d}\tanh(U) = (1 - \tanh(U)^{\odot 2}) \odot \mathrm{d}U",
                                    "d tanh(U) = (1 − tanh(U)^⊙2) ⊙ dU")),
    "sigmoid": ("Sigmoid, elementwise", N(r"\mathrm{d}\sigma(U) = \sigma(U) \odot (1 - \sigma(U)) \odot \mathrm{d}U",
                                          "d σ(U) = σ(U) ⊙ (1 − σ(U)) ⊙ dU")),
    "relu": ("ReLU, elementwise", N(r"\mathrm{d}\operatorname{relu}(U) = H(U) \odot \mathrm{d}U",
                                    "d relu(U) = H(U) ⊙ dU, with H(0) = 0")),
    "sum_entries": ("Sum of entries", N(r"\mathrm{d}\operatorname{sum}(U) = \operatorname{sum}(\mathrm{d}U)",
                                        "d sum(U) = sum(dU)")),
    "logsumexp": ("Log-sum-exp", N(r"\mathrm{d}\operatorname{logsumexp}(u) = \operatorname{softmax}(u)^{\top}\mathrm{d}u",
                                   "d logsumexp(u) = softmax(u)ᵀ du")),
    "softmax": ("Softmax", N(r"\mathrm{d}s = (\operatorname{diag}(s) - s s^{\top})\,\mathrm{d}u,\ s = \operatorname{softmax}(u)",
                             "d softmax(u) = (diag(s) − s sᵀ) du, s = softmax(u)")),
    "log_softmax": ("Log-softmax", N(r"\mathrm{d}\log\operatorname{softmax}(u) = \mathrm{d}u - \mathbf{1}\operatorname{softmax}(u)^{\top}\mathrm{d}u",
                                     "d log softmax(u) = du − 1 softmax(u)ᵀ du")),
}

WHY = {
    "constant": "Nothing here depends on the variable.",
    "constant_factor": "Only one factor depends on the variable; the constant factors stay where they are "
                       "(matrices do not commute, so their order is kept).",
    "sum": "Differentiate term by term; constant terms have differential 0.",
    "product": "One term per factor that depends on the variable, that factor replaced by its differential, "
               "the order of the factors kept.",
    "transpose": "The differential of a transpose is the transpose of the differential.",
    "inverse": ("From ", N(r"U U^{-1} = I", "U U⁻¹ = I"), ": ",
                N(r"\mathrm{d}U\, U^{-1} + U\, \mathrm{d}(U^{-1}) = 0", "dU U⁻¹ + U d(U⁻¹) = 0"), ", so ",
                N(r"\mathrm{d}(U^{-1}) = -U^{-1}\, \mathrm{d}U\, U^{-1}", "d(U⁻¹) = −U⁻¹ dU U⁻¹"), "."),
    "trace": "The trace is linear.",
    "determinant": "Jacobi's formula.",
    "log_determinant": ("From Jacobi's formula and ", N(r"\mathrm{d}\log a = \mathrm{d}a / a", "d log a = da / a"), "."),
    "relu": ("relu has a corner at 0, where it is not differentiable; ", N("H(0) = 0", "H(0) = 0"),
             " is the convention there (PyTorch's)."),
    "log_softmax": (N(r"\log\operatorname{softmax}(u) = u - \mathbf{1}\operatorname{logsumexp}(u)",
                      "log softmax(u) = u − 1·logsumexp(u)"), ", and ",
                    N(r"\mathrm{d}\operatorname{logsumexp}(u) = \operatorname{softmax}(u)^{\top}\mathrm{d}u",
                      "d logsumexp(u) = softmax(u)ᵀ du"), "."),
    "norm": ("From ", N(r"\lVert u \rVert = \sqrt{u^{\top}u}", "‖u‖ = √(uᵀu)"), "; it is not differentiable at ",
             N("u = 0", "u = 0"), "."),
}

_TR = r"\operatorname{tr}"

#: identity id -> words and formulas (for a matrix variable)
IDENTITIES = {
    "scalar_trace": ("a scalar is its own trace, ", N(rf"a = {_TR}(a)", "a = tr(a)")),
    "trace_cyclic": ("the trace is cyclic, ", N(rf"{_TR}(ABC) = {_TR}(CAB)", "tr(A B C) = tr(C A B)")),
    "trace_transpose": (N(rf"{_TR}(A^{{\top}}) = {_TR}(A)", "tr(Aᵀ) = tr(A)"),),
    "transpose_product": (N(r"(AB)^{\top} = B^{\top} A^{\top}", "(A B)ᵀ = Bᵀ Aᵀ"),),
    "double_transpose": (N(r"M = (M^{\top})^{\top}", "M = (Mᵀ)ᵀ"),),
    "hadamard_trace": (N(rf"{_TR}(A^{{\top}} (B \odot C)) = {_TR}((A \odot B)^{{\top}} C)",
                         "tr(Aᵀ (B ⊙ C)) = tr((A ⊙ B)ᵀ C)"),),
    "trace_identity": (N(rf"\alpha\, {_TR}(M) = {_TR}((\alpha I)^{{\top}} M)", "α tr(M) = tr((α I)ᵀ M)"),),
    "sum_ones": (N(rf"\operatorname{{sum}}(M) = \langle \mathbf{{1}}, M \rangle = {_TR}(\mathbf{{1}}^{{\top}} M)",
                   "sum(M) = ⟨1, M⟩ = tr(1ᵀ M)"), " with ", N(r"\mathbf{1}", "1"), " the matrix of ones"),
    "scalar_factor": ("a scalar factor can move out of the product",),
}


#: the same identities as they read when the variable is a vector (every product in sight is 1×1 or a
#: vector, so the traces can stay unwritten)
VECTOR_IDENTITIES = {
    **IDENTITIES,
    "trace_cyclic": ("a 1×1 product can be turned around, ", N(r"a^{\top} b = b^{\top} a", "aᵀ b = bᵀ a")),
    "trace_transpose": ("a scalar equals its transpose",),
    "hadamard_trace": (N(r"a^{\top} (b \odot c) = (a \odot b)^{\top} c", "aᵀ (b ⊙ c) = (a ⊙ b)ᵀ c"),),
    "sum_ones": (N(r"\operatorname{sum}(u) = \mathbf{1}^{\top} u", "sum(u) = 1ᵀ u"), " with ",
                 N(r"\mathbf{1}", "1"), " the vector of ones"),
}


def plain(parts: tuple) -> str:
    """Words and formulas as one line of text (the JSON notes)."""
    return "".join(p.text if isinstance(p, Notation) else p for p in parts)


def _identity_parts(g: MatrixGradient, ids) -> list:
    table = IDENTITIES if g.variable_kind == "matrix" else VECTOR_IDENTITIES
    # the matrix form of an identity cites its Cookbook equation; a vector's reading (aᵀb = bᵀa) is not it
    chosen = list(dict.fromkeys(table[k] + ((f" ({cookbook_citation(k)})",) if cookbook_citation(k) and
                                            table[k] is IDENTITIES.get(k) else ()) for k in ids if k in table))
    out: list = []
    for i, parts in enumerate(chosen):
        out += (["; "] if i else []) + list(parts)
    return out


def _forms(g: MatrixGradient) -> dict:
    """The names and formulas the explanation uses, as Notation: the target ∂f/∂X, the form tr(Gᵀ dX)."""
    X = g.variable
    dX_tex, dX_text = e_latex(e.d(X)), text(e.d(X))
    target = N(rf"\partial f/\partial {e_latex(X)}", f"∂f/∂{text(X)}")   # in running text: a slash
    if g.variable_kind == "matrix":
        form, name = N(rf"{_TR}(G^{{\top}}\, {dX_tex})", f"tr(Gᵀ {dX_text})"), "G"
    elif g.variable_kind == "vector":
        form, name = N(rf"g^{{\top}} {dX_tex}", f"gᵀ {dX_text}"), "g"
    else:
        form, name = N(rf"g\, {dX_tex}", f"g {dX_text}"), "g"
    df = N(rf"\mathrm{{d}}f = {form.latex}", f"df = {form.text}")
    return {"target": target, "form": form, "name": N(name, name), "df": df, "dX": N(dX_tex, dX_text),
            "X": N(e_latex(X), text(X))}


@explains(MatrixGradient)
def explain(g: MatrixGradient, detail: str = "standard") -> Document:
    X = g.variable
    fname = e.Var(name="f")
    f = _forms(g)
    target = f"∂f/∂{text(X)}"
    blocks: list = []
    blocks.append(P("Find ", f["target"], " for ", Math.chain(fname, g.expression), ", where ", *_shapes_words(g),
                    "."))
    blocks.append(P("Layout: denominator. The gradient ", f["target"], " has the shape of ", f["X"],
                    f" ({e.shape_text(X.shape)}), as in the Matrix Cookbook and PyTorch's .grad."))
    blocks.append(P("Method: take the differential ", N(r"\mathrm{d}f", "df"), ", then write it in the form ",
                    f["form"], "; whatever stands in the place of ", f["name"], " is ", f["target"], "."))
    blocks.append(_differential_step(g, detail))
    blocks.append(_terms_step(g, detail))
    blocks.append(_collect_step(g, detail))
    answer = Math.chain(Label(target, rf"\frac{{\partial f}}{{\partial {e_latex(X)}}}"), g.result)
    blocks.append(Answer.of(answer, f"   ({e.shape_text(X.shape)}, denominator layout)"))
    for note in g.notes:
        blocks.append(P("Note: " + note + "."))
    blocks += _ones_note(g.result)
    c = g.result_check
    sizes = ", ".join(f"{k} = {v}" for k, v in g.sizes.items())
    blocks.append(P(f"Checked: every line above agrees with central finite differences of f along random "
                    f"directions at random {'matrices' if len(g.sizes) else 'values'} ({c.samples} samples"
                    f"{'; sizes ' + sizes if sizes else ''}"
                    f"{'; largest relative error ' + readable_text(c.max_error, 2) if detail == 'full' else ''})."))
    return Document(f"{target} for f = {text(g.expression)}", tuple(blocks), data=contract(g), answer=answer)


def _ones_note(result: e.Node) -> list:
    """For a result holding 1ᵀy (or yᵀ1): it is the sum of y, which is 1 for a label or a probability vector."""
    for node in e.walk(result):
        if isinstance(node, e.Mul) and len(node.args) == 2:
            ones = [a for a in node.args if isinstance(a, e.Ones) and 1 in (a.rows, a.cols)]
            other = [a for a in node.args if not isinstance(a, e.Ones)]
            if ones and other:
                y = Math.chain(other[0].arg if isinstance(other[0], e.Transpose) else other[0])
                return [P("Note: ", Math.chain(node), " is the sum of the entries of ", y, "; for a one-hot ", y,
                          " (a class label) or any probability vector it is 1, and the gradient reads with ",
                          Math.chain(node, 1), ".")]
    return []


def _shapes_words(g: MatrixGradient) -> list:
    parts: list = []
    for name, s in g.shapes.items():
        v = e.var(name, s)
        parts += [", " if parts else "", N(e_latex(v), text(v)),
                  f" is {'a ' + e.kind_of(s) if e.kind_of(s) != 'scalar' else 'a scalar'}"
                  + (f" ({e.shape_text(s)})" if s != e.SCALAR else "")]
    return [p for p in parts if p != ""]


def _why(rule: str) -> Paragraph:
    """Why a rule holds, in words and formulas."""
    why = WHY[rule]
    return P(why) if isinstance(why, str) else P(*why)


def _rule_title(rule: str) -> tuple[str, Notation | None]:
    title, statement = RULES.get(rule, (rule.replace("_", " ").capitalize(), None))
    citation = cookbook_citation(rule)  # the rule table (differentials.COOKBOOK) is the one home
    if citation:
        title = f"{title} ({citation})"
    return title, statement


def _differential_step(g: MatrixGradient, detail: str) -> Step:
    children = []
    if detail != "brief":
        for i, s in enumerate(g.differential_steps, start=1):
            title, statement = _rule_title(s.rule)
            children.append(Step(f"1.{i}", title, s.rule, statement,
                                 explanation=_why(s.rule) if s.rule in WHY and detail == "full" else None,
                                 lines=(Math.chain(s.target, s.replacement),),
                                 check=_check_words(g.check_of(s)) if detail == "full" else ""))
    df = e.d(e.Var(name="f"))
    return Step("1", "Take the differential", "differential", None,
                explanation=P("Apply d to f, one rule at a time, until only ", Math.chain(e.d(g.variable)),
                              " is left."),
                lines=(Math.chain(df, e.d(g.expression)),), children=tuple(children),
                conclusion=Math.chain(df, g.df))


def _terms_step(g: MatrixGradient, detail: str) -> Step:
    children = []
    if detail != "brief":
        for i, s in enumerate(g.term_steps, start=1):
            used = _identity_parts(g, s.identities)
            explanation = P("Using ", *used, ".") if used else None
            children.append(Step(f"2.{i}", f"Term {i}" if len(g.term_steps) > 1 else "The term", "gradient_form",
                                 None, explanation=explanation, lines=(Math.chain(s.before, s.after),),
                                 check=_check_words(g.check_of(s)) if detail == "full" else ""))
    f = _forms(g)
    lines = ()
    if g.expand_step is not None:
        lines = (Math.chain(e.d(e.Var(name="f")), g.expand_step.after),)
    return Step("2", "Write each term in the gradient form", "gradient_form", None,
                explanation=P("Multiply out the brackets that hold the differential. " if lines else "",
                              "Each term of ", N(r"\mathrm{d}f", "df"), " is a scalar, linear in ", f["dX"],
                              ": move the differential to the right with the trace identities, to the form ",
                              f["form"], "."),
                lines=lines, children=tuple(children),
                check=_check_words(g.check_of(g.expand_step)) if detail == "full" and lines else "")


def _collect_step(g: MatrixGradient, detail: str) -> Step:
    name = "G" if g.variable_kind == "matrix" else "g"
    lines = [Math.chain(e.d(e.Var(name="f")), g.collect_step.after)]
    if g.collected != g.result:
        lines.append(Math.chain(Label(name, name), g.collected, g.result))
    f = _forms(g)
    how = ([f["df"], " for every ", f["dX"], " means ", f["name"], " is the gradient"]
           if g.variable_kind != "scalar" else [f["df"], " means ", f["name"], " is the derivative"])
    return Step("3", "Collect and read off the gradient", "collect", None,
                explanation=P("Add the terms' gradients and simplify; ", *how, "."),
                lines=tuple(lines), check=_check_words(g.result_check) if detail == "full" else "")


def _check_words(c) -> str:
    if c is None:
        return ""
    return f"checked by finite differences ({c.samples} samples, relative error {readable_text(c.max_error, 1)})"


# ---------------------------------------------------------------------------------------------------- JSON

def contract(g: MatrixGradient) -> dict:
    """The JSON contract of `gradwise matgrad` (documented in the README)."""
    steps = [step_json(s, _note) for s in g.steps]
    c = g.result_check
    return {
        "kind": "matrix_gradient", "input": g.input, "variable": g.variable.name, "layout": "denominator",
        "shapes": {name: e.shape_text(s) for name, s in g.shapes.items()},
        "expression": str(g.expression), "expression_latex": latex(g.expression),
        "result": str(g.result), "result_latex": latex(g.result), "result_text": text(g.result),
        "result_shape": e.shape_text(g.variable.shape),
        "steps": steps, "notes": g.notes,
        "check": {"method": "central finite differences along random directions", "valid": c.valid,
                  "samples": c.samples, "max_relative_error": c.max_error, "sizes": g.sizes},
    }


def _note(step) -> str:
    if isinstance(step, DifferentialStep):
        title, statement = _rule_title(step.rule)
        return f"{title}: {statement.text}" if statement else title
    if isinstance(step, TermStep):
        return "; ".join(plain(IDENTITIES[k]) + (f" ({cookbook_citation(k)})" if cookbook_citation(k) else "")
                         for k in step.identities if k in IDENTITIES)
    if step.rule == "expand":
        return "multiply out the brackets that hold the differential"
    return "collect the terms: df = tr(Gᵀ dX), so the gradient is G"
