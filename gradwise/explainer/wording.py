"""What a tutor says about each rule: its name, the rule in symbols, and a sentence for this use of it.

One entry per rule id. `describe(step)` returns the title, the statement and the explanation for one
step of a derivative's rule tree.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from gradwise.derivations import rules as r
from gradwise.derivations import functions as fn
from gradwise.renderers.document import Math, Notation, Paragraph


@dataclass(frozen=True)
class Description:
    title: str
    statement: Notation | Math | None
    explanation: Paragraph | None
    where: tuple[Math, ...] = ()


def N(latex: str, text: str) -> Notation:
    return Notation(latex=latex, text=text)


P = Paragraph.of


def M(*exprs) -> Math:
    return Math.chain(*exprs)


def _eq(a, b) -> Math:
    return Math.chain(a, b)


FUNCTION_RULES: dict[type, tuple[str, Notation, str]] = {
    sp.exp: ("Exponential", N(r"\frac{\mathrm{d}}{\mathrm{d}x} e^{x} = e^{x}", "d/dx[eˣ] = eˣ"),
             "the exponential function is its own derivative."),
    sp.log: ("Natural logarithm", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \ln x = \frac{1}{x}", "d/dx[ln x] = 1/x"),
             "the derivative of ln x is 1/x (for x > 0; for x < 0 it is the derivative of ln|x|, also 1/x)."),
    sp.sin: ("Sine", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \sin x = \cos x", "d/dx[sin x] = cos x"),
             "the sine's derivative is the cosine."),
    sp.cos: ("Cosine", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \cos x = -\sin x", "d/dx[cos x] = −sin x"),
             "the cosine's derivative is minus the sine: mind the sign."),
    sp.tan: ("Tangent", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \tan x = \sec^2 x", "d/dx[tan x] = sec²x"),
             "from tan = sin/cos by the quotient rule, the derivative is 1/cos² = sec²."),
    sp.sec: ("Secant", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \sec x = \sec x \tan x", "d/dx[sec x] = sec x·tan x"),
             "from sec = 1/cos by the chain rule."),
    sp.csc: ("Cosecant", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \csc x = -\csc x \cot x", "d/dx[csc x] = −csc x·cot x"),
             "from csc = 1/sin by the chain rule."),
    sp.cot: ("Cotangent", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \cot x = -\csc^2 x", "d/dx[cot x] = −csc²x"),
             "from cot = cos/sin by the quotient rule."),
    sp.asin: ("Inverse sine", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \arcsin x = \frac{1}{\sqrt{1-x^2}}",
                                "d/dx[arcsin x] = 1/√(1 − x²)"), "defined for |x| < 1."),
    sp.acos: ("Inverse cosine", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \arccos x = -\frac{1}{\sqrt{1-x^2}}",
                                  "d/dx[arccos x] = −1/√(1 − x²)"), "defined for |x| < 1."),
    sp.atan: ("Inverse tangent", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \arctan x = \frac{1}{1+x^2}",
                                   "d/dx[arctan x] = 1/(1 + x²)"), "defined for every real x."),
    sp.acot: ("Inverse cotangent", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \operatorname{arccot} x = -\frac{1}{1+x^2}",
                                     "d/dx[arccot x] = −1/(1 + x²)"), "defined for every real x."),
    sp.sinh: ("Hyperbolic sine", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \sinh x = \cosh x", "d/dx[sinh x] = cosh x"),
              "like sine, but with no minus sign anywhere."),
    sp.cosh: ("Hyperbolic cosine", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \cosh x = \sinh x", "d/dx[cosh x] = sinh x"),
              "unlike cosine, there is no minus sign."),
    sp.tanh: ("Hyperbolic tangent", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \tanh x = 1 - \tanh^2 x",
                                      "d/dx[tanh x] = 1 − tanh²x"),
              "the derivative is written with tanh itself, so a network that has stored the activation "
              "tanh(x) gets its derivative almost for free. It is at most 1, at x = 0."),
    sp.coth: ("Hyperbolic cotangent", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \coth x = 1 - \coth^2 x",
                                        "d/dx[coth x] = 1 − coth²x"), "like tanh."),
    sp.asinh: ("Inverse hyperbolic sine", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \operatorname{arsinh} x = \frac{1}{\sqrt{x^2+1}}",
                                            "d/dx[arsinh x] = 1/√(x² + 1)"), "defined for every real x."),
    sp.acosh: ("Inverse hyperbolic cosine", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \operatorname{arcosh} x = \frac{1}{\sqrt{x^2-1}}",
                                              "d/dx[arcosh x] = 1/√(x² − 1)"), "defined for x > 1."),
    sp.atanh: ("Inverse hyperbolic tangent", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \operatorname{artanh} x = \frac{1}{1-x^2}",
                                               "d/dx[artanh x] = 1/(1 − x²)"), "defined for |x| < 1."),
    sp.Abs: ("Absolute value", N(r"\frac{\mathrm{d}}{\mathrm{d}x} |x| = \operatorname{sgn}(x)", "d/dx|x| = sgn(x)"),
             "|x| has slope −1 left of 0 and +1 right of it; at 0 it has a corner and no derivative."),
    sp.sign: ("Sign function", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \operatorname{sgn} x = 2\delta(x)",
                                 "d/dx[sgn x] = 2δ(x)"), "it is flat, so 0 everywhere except at the jump at 0."),
    sp.Heaviside: ("Step function", N(r"\frac{\mathrm{d}}{\mathrm{d}x} H(x) = \delta(x)", "d/dx[H(x)] = δ(x)"),
                   "it is flat, so 0 everywhere except at the jump at 0."),
    sp.erf: ("Error function", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \operatorname{erf} x = \frac{2}{\sqrt{\pi}} e^{-x^2}",
                                 "d/dx[erf x] = (2/√π)·e^(−x²)"),
             "erf is defined as an integral of the Gaussian, so its derivative is that Gaussian (this is how "
             "GELU, x·(1 + erf(x/√2))/2, is differentiated)."),
    fn.sigmoid: ("Sigmoid", N(r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)", "σ′(x) = σ(x)·(1 − σ(x))"),
                 ("with ", N(r"\sigma(x) = \frac{1}{1 + e^{-x}}", "σ(x) = 1/(1 + e⁻ˣ)"), ", the chain rule gives ",
                  N(r"\frac{e^{-x}}{(1 + e^{-x})^{2}}", "e⁻ˣ/(1 + e⁻ˣ)²"), ", which is ",
                  N(r"\sigma(x)\,(1 - \sigma(x))", "σ(x)·(1 − σ(x))"), ". It is at most ", N(r"\tfrac{1}{4}", "1/4"),
                  ", at x = 0: one reason deep sigmoid networks have vanishing gradients.")),
    fn.softplus: ("Softplus", N(r"\frac{\mathrm{d}}{\mathrm{d}x} \ln(1 + e^{x}) = \sigma(x)",
                                "d/dx[softplus x] = σ(x)"),
                  (N(r"\operatorname{softplus}(x) = \ln(1 + e^{x})", "softplus(x) = ln(1 + eˣ)"),
                   " is a smooth ReLU, and its derivative is the sigmoid.")),
    fn.relu: ("ReLU", N(r"\operatorname{ReLU}'(x) = H(x) = \begin{cases}1 & x > 0\\ 0 & x \le 0\end{cases}",
                        "ReLU′(x) = H(x): 1 for x > 0, 0 for x ≤ 0"),
              "ReLU(x) = max(0, x) has slope 1 for x > 0 and 0 for x < 0. At 0 it has a corner; gradwise uses "
              "ReLU′(0) = 0, the convention PyTorch uses."),
}


def describe(step: r.Rule) -> Description:
    """Title, rule statement and explanation for one step."""
    handler = _HANDLERS.get(type(step))
    if handler is None:
        return Description(step.rule.replace("_", " ").capitalize(), None, None)
    desc = handler(step)
    var = getattr(step, "var", None)
    if isinstance(desc.statement, Notation) and isinstance(var, sp.Symbol) and var.name != "x":
        desc = replace(desc, statement=in_variable(desc.statement, var))
    return desc


_SUPERSCRIPT = dict(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))


def in_variable(n: Notation, var: sp.Symbol) -> Notation:
    """A rule statement written in x, restated in the variable the step uses (d/dw, not d/dx)."""
    import re

    from gradwise.printing import latex

    name, tex = var.name, latex(var)
    if not re.fullmatch(r"[A-Za-z]\w*", name):
        return n
    new_tex = re.sub(r"(?<![\\A-Za-z])x(?![A-Za-z])", lambda _: tex if len(tex) == 1 else "{" + tex + "}", n.latex)
    text = re.sub(r"(?<![A-Za-z])x(?![A-Za-z])", name, n.text.replace("d/dx", "d/d\0"))
    text = text.replace("d/d\0", f"d/d{name}")
    text = text.replace("ˣ", _SUPERSCRIPT.get(name, "ˣ") if len(name) == 1 else "ˣ")
    if "ˣ" in text:     # no superscript letter for this name: keep the rule in x rather than half-renamed
        return n
    return Notation(new_tex, text)


def _constant(step: r.ConstantRule) -> Description:
    held = sorted(step.expr.free_symbols, key=lambda s: s.name)
    if held:
        names = ", ".join(s.name for s in held)
        why = P(Math.chain(step.expr), f" does not depend on {step.var.name}: {names} is held constant, "
                "so its derivative is 0.")
    else:
        why = P("The derivative of a constant is 0.")
    return Description("Constant", N(r"\frac{\mathrm{d}}{\mathrm{d}x} c = 0", "d/dx[c] = 0"), why)


def _variable(step) -> Description:
    return Description("Variable", N(r"\frac{\mathrm{d}}{\mathrm{d}x} x = 1", "d/dx[x] = 1"), None)


def _constant_multiple(step: r.ConstantMultipleRule) -> Description:
    c = step.constant
    base = _log_base(c)
    if base is not None:
        why = P("Change of base: ", Math.chain(sp.Symbol(f"log_{base}(u)"), sp.log(sp.Symbol("u")) / sp.log(base)),
                ", so the constant ", Math.chain(c), " stays in front.")
        return Description("Logarithm in base " + str(base),
                           N(r"\log_b u = \frac{\ln u}{\ln b}", "log_b(u) = ln(u)/ln(b)"), why)
    return Description("Constant multiple", N(r"(c\,f)' = c\,f'", "(c·f)′ = c·f′"),
                       P("The constant factor ", Math.chain(c), " stays in front; differentiate the rest."))


def _log_base(c: sp.Expr):
    num, den = c.as_numer_denom()
    if num == 1 and isinstance(den, sp.log) and den.args[0].is_number:
        return den.args[0]
    return None


def _sum(step: r.SumRule) -> Description:
    return Description("Sum rule", N(r"(f + g)' = f' + g'", "(f + g)′ = f′ + g′"),
                       P("Differentiate term by term."))


def _power(step: r.PowerRule) -> Description:
    n = step.exponent
    note = "" if n.is_Integer and n > 0 else (
        " It holds for any real exponent n: here n is negative." if n.is_negative else
        " It holds for any real exponent n, also roots: √x = x^(1/2)." if n.is_Rational else
        " It holds for any exponent n that does not contain the variable.")
    return Description("Power rule", N(r"\frac{\mathrm{d}}{\mathrm{d}x} x^{n} = n\,x^{n-1}", "d/dx[xⁿ] = n·xⁿ⁻¹"),
                       P("Bring the exponent down and lower it by one, with ",
                         Math.chain(sp.Symbol("n"), n), "." + note))


def _exponential(step: r.ExponentialRule) -> Description:
    return Description("Exponential with base " + str(step.base),
                       N(r"\frac{\mathrm{d}}{\mathrm{d}x} a^{x} = a^{x} \ln a", "d/dx[aˣ] = aˣ·ln a"),
                       P("Write ", Math.chain(step.expr, sp.exp(step.var * sp.log(step.base))),
                         " and use the chain rule: the factor ln a comes out."))


def _product(step: r.ProductRule) -> Description:
    names = [sp.Symbol(c) for c in "uvwpqrs"][:len(step.factors)]
    if len(step.factors) == 2:
        statement = N(r"(uv)' = u'v + uv'", "(u·v)′ = u′·v + u·v′")
        why = "a product of two factors: differentiate one factor at a time, keeping the other."
    else:
        statement = N(r"(uvw)' = u'vw + uv'w + uvw'", "(u·v·w)′ = u′·v·w + u·v′·w + u·v·w′")
        why = f"a product of {len(step.factors)} factors: one term per factor, that factor differentiated."
    where = tuple(Math.chain(n, f) for n, f in zip(names, step.factors))
    return Description("Product rule", statement, P("The expression is " + why), where)


def _quotient(step: r.QuotientRule) -> Description:
    return Description("Quotient rule", N(r"\left(\frac{f}{g}\right)' = \frac{f'g - fg'}{g^{2}}",
                                          "(f/g)′ = (f′·g − f·g′)/g²"),
                       P("Numerator and denominator both contain ", Math.chain(step.var),
                         ". Mind the order: f′g comes first, and the minus sign."),
                       (Math.chain(sp.Symbol("f"), step.numerator), Math.chain(sp.Symbol("g"), step.denominator)))


def _chain(step: r.ChainRule) -> Description:
    outer = step.outer_step.expr
    return Description("Chain rule", N(r"\frac{\mathrm{d}}{\mathrm{d}x} f\bigl(u(x)\bigr) = f'(u)\,u'(x)",
                                        "d/dx[f(u(x))] = f′(u)·u′(x)"),
                       P("An inner expression sits inside ", Math.chain(outer), ": substitute ",
                         Math.chain(step.u, step.inner),
                         f", differentiate the outside in {step.u.name}, then multiply by the derivative "
                         "of the inside."),
                       (Math.chain(step.u, step.inner),))


def _log_differentiation(step: r.LogDifferentiationRule) -> Description:
    return Description("Logarithmic differentiation",
                       N(r"y = f^{g} \Rightarrow \ln y = g \ln f \Rightarrow y' = f^{g}\,(g \ln f)'",
                         "y = f^g ⇒ ln y = g·ln f ⇒ y′ = f^g·(g·ln f)′"),
                       P("The variable is in both the base and the exponent, so neither the power rule "
                         "(constant exponent) nor the exponential rule (constant base) applies. Take logs: ",
                         Math.chain(sp.log(sp.Symbol("y")), step.logarithm),
                         ", differentiate both sides, and multiply by y."))


def _multivariable(step: r.MultivariableChainRule) -> Description:
    name = step.function_name
    if isinstance(step.expr, (sp.Max, sp.Min)):
        why = (f"{name} follows whichever argument is {'larger' if name == 'max' else 'smaller'}; the step "
               "functions H pick it out. Where the arguments tie, it has a corner and no derivative.")
    elif isinstance(step.expr, fn.logsumexp):
        why = "the partial derivative of logsumexp in each input is that input's softmax probability."
    else:
        why = "∂softmaxₖ/∂aⱼ = softmaxₖ·(δₖⱼ − softmaxⱼ): each input changes every probability."
    return Description(f"Chain rule through {name}",
                       N(r"\frac{\mathrm{d}}{\mathrm{d}x} f(a_1, \dots, a_n) = \sum_i \frac{\partial f}{\partial a_i} a_i'",
                         "d/dx[f(a₁, …, aₙ)] = Σᵢ ∂f/∂aᵢ · aᵢ′"),
                       P(f"{name} has several inputs: add up each input's partial derivative times that "
                         f"input's derivative. Here {why}"))


def _elementary(step: r.ElementaryRule) -> Description:
    title, statement, why = FUNCTION_RULES.get(type(step.expr), (step.function_name, None, ""))
    if isinstance(why, tuple):
        first = why[0][0].upper() + why[0][1:] if isinstance(why[0], str) else why[0]
        return Description(title, statement, P(first, *why[1:]))
    return Description(title, statement, P(why[0].upper() + why[1:]) if why else None)


def _unknown(step: r.UnknownRule) -> Description:
    return Description("No rule", None, P("gradwise has no rule for ", Math.chain(step.expr),
                                         ", so its derivative is left unevaluated, not guessed."))


_HANDLERS = {
    r.ConstantRule: _constant, r.VariableRule: _variable, r.ConstantMultipleRule: _constant_multiple,
    r.SumRule: _sum, r.PowerRule: _power, r.ExponentialRule: _exponential, r.ProductRule: _product,
    r.QuotientRule: _quotient, r.ChainRule: _chain, r.LogDifferentiationRule: _log_differentiation,
    r.MultivariableChainRule: _multivariable, r.ElementaryRule: _elementary, r.UnknownRule: _unknown,
}

SIMPLIFICATIONS = {
    "rewrite_sigmoid": ("Write it with σ", ("Since ", N(r"\sigma(a) = \frac{1}{1 + e^{-a}}", "σ(a) = 1/(1 + e⁻ᵃ)"), ", ",
                                            N(r"e^{-a} = \frac{1 - \sigma(a)}{\sigma(a)}", "e⁻ᵃ = (1 − σ(a))/σ(a)"),
                                            "; substitute and cancel.")),
    "cancel": ("Cancel", "Put everything over one denominator and cancel common factors."),
    "factor": ("Factor", "Take out the common factors."),
    "expand": ("Expand", "Multiply out the brackets."),
    "collect": ("Collect", "Group the terms by powers of the variable."),
    "trig_identity": ("Trigonometric identity", "Use sin² + cos² = 1 and related identities."),
}
