"""A matrix gradient as a worked solution in the style of a matrix-calculus tutorial.

1. Take the differential, one rule at a time (each rule stated, with its Matrix Cookbook equation).
2. Bring each term of df to the form gᵀ dx (tr(Gᵀ dX) for a matrix), naming the identities used.
3. Collect: df = tr(Gᵀ dX), so ∂f/∂X = G, in denominator layout (G has the shape of X).
Then where the function is not differentiable, and how the result was checked.
"""
from __future__ import annotations

from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.derivation import MatrixGradient
from gradwise.derivations.matrix_calculus.differentials import COOKBOOK, DifferentialStep, TermStep
from gradwise.derivations.matrix_calculus.notation import latex as e_latex, text
from gradwise.explainer.json_steps import step_json
from gradwise.explainer.multivariable import Label
from gradwise.printing import latex
from gradwise.renderers.document import Document, Math, Notation, Paragraph, Step

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
    "inverse": "From U U⁻¹ = I: dU U⁻¹ + U d(U⁻¹) = 0, so d(U⁻¹) = −U⁻¹ dU U⁻¹.",
    "trace": "The trace is linear.",
    "determinant": "Jacobi's formula.",
    "log_determinant": "From Jacobi's formula and d log a = da / a.",
    "relu": "relu has a corner at 0, where it is not differentiable; H(0) = 0 is the convention there "
            "(PyTorch's).",
    "log_softmax": "log softmax(u) = u − 1·logsumexp(u), and d logsumexp(u) = softmax(u)ᵀ du.",
    "norm": "From ‖u‖ = √(uᵀu); it is not differentiable at u = 0.",
}

#: identity id -> words (for a vector variable, then for a matrix)
IDENTITIES = {
    "scalar_trace": "a scalar is its own trace, a = tr(a)",
    "trace_cyclic": "the trace is cyclic, tr(A B C) = tr(C A B) (Cookbook 16)",
    "trace_transpose": "tr(Aᵀ) = tr(A) (Cookbook 13)",
    "transpose_product": "(A B)ᵀ = Bᵀ Aᵀ",
    "double_transpose": "M = (Mᵀ)ᵀ",
    "hadamard_trace": "tr(Aᵀ (B ⊙ C)) = tr((A ⊙ B)ᵀ C)",
    "trace_identity": "α tr(M) = tr((α I)ᵀ M)",
    "sum_ones": "sum(M) = ⟨1, M⟩ = tr(1ᵀ M) with 1 the matrix of ones",
    "scalar_factor": "a scalar factor can move out of the product",
}


#: the same identities as they read when the variable is a vector (every product in sight is 1×1 or a
#: vector, so the traces can stay unwritten)
VECTOR_IDENTITIES = {
    "trace_cyclic": "a 1×1 product can be turned around, aᵀ b = bᵀ a",
    "trace_transpose": "a scalar equals its transpose",
    "transpose_product": "(A B)ᵀ = Bᵀ Aᵀ",
    "double_transpose": "M = (Mᵀ)ᵀ",
    "hadamard_trace": "aᵀ (b ⊙ c) = (a ⊙ b)ᵀ c",
    "sum_ones": "sum(u) = 1ᵀ u with 1 the vector of ones",
    "scalar_factor": "a scalar factor can move out of the product",
    "trace_identity": "α tr(M) = tr((α I)ᵀ M)",
    "scalar_trace": "a scalar is its own trace, a = tr(a)",
}


def _identity_words(g: MatrixGradient, ids) -> list[str]:
    table = IDENTITIES if g.variable_kind == "matrix" else VECTOR_IDENTITIES
    return list(dict.fromkeys(table[k] for k in ids if k in table))


def explain(g: MatrixGradient, detail: str = "standard") -> Document:
    X = g.variable
    dX = e.d(X)
    fname = e.Var(name="f")
    target = f"∂f/∂{text(X)}"
    form = "tr(Gᵀ dX)" if g.variable_kind == "matrix" else ("gᵀ dx" if g.variable_kind == "vector" else "g dα")
    form = form.replace("dX", text(dX)).replace("dx", text(dX)).replace("dα", text(dX))
    blocks: list = []
    blocks.append(P(f"Find {target} for ", Math.chain(fname, g.expression), ", where ", _shapes_words(g), "."))
    blocks.append(P(f"Layout: denominator. The gradient {target} has the shape of {text(X)} "
                    f"({e.shape_text(X.shape)}), as in the Matrix Cookbook and PyTorch's .grad."))
    blocks.append(P(f"Method: take the differential df, then write it in the form {form}; "
                    f"whatever stands in the place of {'G' if g.variable_kind == 'matrix' else 'g'} is {target}."))
    blocks.append(_differential_step(g, detail))
    blocks.append(_terms_step(g, detail))
    blocks.append(_collect_step(g, detail))
    answer = Math.chain(Label(f"∂f/∂{text(X)}", rf"\frac{{\partial f}}{{\partial {e_latex(X)}}}"), g.result)
    blocks.append(P("Answer: ", answer, f"   ({e.shape_text(X.shape)}, denominator layout)"))
    for note in g.notes:
        blocks.append(P("Note: " + note + "."))
    blocks += _ones_note(g.result)
    c = g.result_check
    sizes = ", ".join(f"{k} = {v}" for k, v in g.sizes.items())
    blocks.append(P(f"Checked: every line above agrees with central finite differences of f along random "
                    f"directions at random {'matrices' if len(g.sizes) else 'values'} ({c.samples} samples"
                    f"{'; sizes ' + sizes if sizes else ''}"
                    f"{f'; largest relative error {c.max_error:.1e}' if detail == 'full' else ''})."))
    return Document(f"{target} for f = {text(g.expression)}", tuple(blocks), data=contract(g), answer=answer)


def _ones_note(result: e.Node) -> list:
    """For a result holding 1ᵀy (or yᵀ1): it is the sum of y, which is 1 for a label or a probability vector."""
    for node in e.walk(result):
        if isinstance(node, e.Mul) and len(node.args) == 2:
            ones = [a for a in node.args if isinstance(a, e.Ones) and 1 in (a.rows, a.cols)]
            other = [a for a in node.args if not isinstance(a, e.Ones)]
            if ones and other:
                y, shown = text(other[0].arg if isinstance(other[0], e.Transpose) else other[0]), text(node)
                return [P(f"Note: {shown} is the sum of the entries of {y}; for a one-hot {y} (a class label) or "
                          f"any probability vector it is 1, and the gradient reads with {shown} = 1.")]
    return []


def _shapes_words(g: MatrixGradient) -> str:
    parts = []
    for name, s in g.shapes.items():
        v = e.var(name, s)
        parts.append(f"{text(v)} is {'a ' + e.kind_of(s) if e.kind_of(s) != 'scalar' else 'a scalar'}"
                     + (f" ({e.shape_text(s)})" if s != e.SCALAR else ""))
    return ", ".join(parts)


def _rule_title(rule: str) -> tuple[str, Notation | None]:
    title, statement = RULES.get(rule, (rule.replace("_", " ").capitalize(), None))
    if rule in COOKBOOK:
        title = f"{title} (Cookbook {COOKBOOK[rule]})"
    return title, statement


def _differential_step(g: MatrixGradient, detail: str) -> Step:
    children = []
    if detail != "brief":
        for i, s in enumerate(g.differential_steps, start=1):
            title, statement = _rule_title(s.rule)
            children.append(Step(f"1.{i}", title, s.rule, statement,
                                 explanation=P(WHY[s.rule]) if s.rule in WHY and detail == "full" else None,
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
            used = _identity_words(g, s.identities)
            explanation = P("Using " + "; ".join(used) + ".") if used else None
            children.append(Step(f"2.{i}", f"Term {i}" if len(g.term_steps) > 1 else "The term", "gradient_form",
                                 None, explanation=explanation, lines=(Math.chain(s.before, s.after),),
                                 check=_check_words(g.check_of(s)) if detail == "full" else ""))
    kind = g.variable_kind
    dX = text(e.d(g.variable))
    what = f"tr(Gᵀ {dX})" if kind == "matrix" else (f"gᵀ {dX}" if kind == "vector" else f"g {dX}")
    lines = ()
    if g.expand_step is not None:
        lines = (Math.chain(e.d(e.Var(name="f")), g.expand_step.after),)
    return Step("2", f"Write each term as {what}", "gradient_form", None,
                explanation=P("Multiply out the brackets that hold the differential. " if lines else "",
                              "Each term of df is a scalar, linear in ", Math.chain(e.d(g.variable)),
                              ": move the differential to the right with the trace identities."),
                lines=lines, children=tuple(children),
                check=_check_words(g.check_of(g.expand_step)) if detail == "full" and lines else "")


def _collect_step(g: MatrixGradient, detail: str) -> Step:
    name = "G" if g.variable_kind == "matrix" else "g"
    lines = [Math.chain(e.d(e.Var(name="f")), g.collect_step.after)]
    if g.collected != g.result:
        lines.append(Math.chain(Label(name, name), g.collected, g.result))
    how = {"matrix": f"df = tr(Gᵀ d{text(g.variable)}) for every d{text(g.variable)} means G is the gradient",
           "vector": f"df = gᵀ d{text(g.variable)} for every d{text(g.variable)} means g is the gradient",
           }.get(g.variable_kind, "df = g dα means g is the derivative")
    return Step("3", "Collect and read off the gradient", "collect", None,
                explanation=P(f"Add the terms' gradients and simplify; {how}."),
                lines=tuple(lines), check=_check_words(g.result_check) if detail == "full" else "")


def _check_words(c) -> str:
    if c is None:
        return ""
    return f"checked by finite differences ({c.samples} samples, relative error {c.max_error:.0e})"


# ---------------------------------------------------------------------------------------------------- JSON

def contract(g: MatrixGradient) -> dict:
    """The JSON contract of `gradwise matgrad` (documented in the README)."""
    steps = [step_json(s, _note, g.check_of) for s in g.steps]
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
        return "; ".join(IDENTITIES[k] for k in step.identities if k in IDENTITIES)
    if step.rule == "expand":
        return "multiply out the brackets that hold the differential"
    return "collect the terms: df = tr(Gᵀ dX), so the gradient is G"
