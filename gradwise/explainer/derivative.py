"""A derivative's derivation as a worked solution: numbered steps, each with its rule and its check.

Detail levels: `brief` shows the main line (the top rule and the answer); `standard` shows every rule
that does work (constants and bare variables fold into their parent); `full` shows every step,
every substitution and how each step was checked.
"""
from __future__ import annotations

import dataclasses

import sympy as sp

from gradwise.derivations.derivation import Derivation, OrderDerivation
from gradwise.derivations.equivalence import Judgement
from gradwise.derivations.rules import ConstantRule, Rule, VariableRule
from gradwise.derivations.steps import EqualityStep
from gradwise.explainer.json_steps import step_json
from gradwise.explainer.registry import explains
from gradwise.explainer.wording import SIMPLIFICATIONS, describe
from gradwise.printing import latex, unicode
from gradwise.renderers.document import Answer, AsWritten, Document, Math, Notation, Paragraph, Step

DETAILS = ("brief", "standard", "full")
_TRIVIAL = (ConstantRule, VariableRule)


@explains(Derivation)
def explain(d: Derivation, detail: str = "standard") -> Document:
    """The document for a derivation, at the chosen level of detail."""
    target = sp.Derivative(d.expr, (d.var, d.order))
    title = Math.chain(target)
    blocks: list = [read_as(d.expr, d.reading)] if d.reading else []
    intro = ["Find ", Math.chain(target), "."]
    if d.is_partial:
        held = ", ".join(s.name for s in d.held_constant)
        intro.append(f" This is a partial derivative: {held} {'is' if len(d.held_constant) == 1 else 'are'} "
                     f"held constant, only {d.var.name} varies.")
    if d.order > 1:
        intro.append(f" Differentiate {d.order} times, one order after the other.")
    blocks.append(Paragraph.of(*intro))
    for o in d.orders:
        steps = order_steps(d, o, detail)
        if d.order > 1:
            blocks.append(Step(str(o.order), f"Derivative of order {o.order}", "derivative_order", None,
                               lines=(Math.chain(sp.Derivative(o.expr, o.var), o.tree.after),) if detail == "brief" else (),
                               children=() if detail == "brief" else tuple(steps),
                               conclusion=Math.chain(sp.Derivative(d.expr, (d.var, o.order)), o.result)))
        else:
            blocks.extend(steps)
        if o.note:
            blocks.append(Paragraph.of(f"Note: {o.note}."))
    answer = Math.chain(target, *textbook_forms(d))
    blocks.append(Answer.of(answer))
    return Document(title, tuple(blocks), data=contract(d, detail), answer=answer)


def textbook_forms(d: Derivation) -> tuple:
    """The answer as a textbook writes it: when the last move factored a short sum (x(x cos x + 2 sin x)),
    the expanded sum first (2x sin x + x² cos x), then the factored form; else the result alone."""
    last = d.orders[-1].simplifications[-1] if d.orders[-1].simplifications else None
    if last is None or last.rule != "factor" or not isinstance(last.before, sp.Add) or len(last.before.args) > 4:
        return (d.result,)
    if last.after != d.result or any(isinstance(f, sp.Add) or (f.is_Pow and isinstance(f.base, sp.Add))
                                     for t in last.before.args for f in sp.Mul.make_args(t)):
        return (d.result,)            # a sum of products of sums is not what a textbook writes out
    from gradwise.derivations.linalg.steps import Label
    from gradwise.printing import latex, unicode

    text, tex = [], []
    for k, term in enumerate(sorted(last.before.args, key=_textbook_key)):
        negative = term.could_extract_minus_sign()
        body = -term if negative else term
        text.append((" − " if negative else " + ") * bool(k) + ("−" if negative and not k else "") + unicode(body))
        tex.append((" - " if negative else " + ") * bool(k) + ("-" if negative and not k else "") + latex(body))
    return (Label("".join(text), "".join(tex)), d.result)


def _textbook_key(term: sp.Expr):
    """Terms in the order a textbook writes a product rule's result: lower powers of the variable first."""
    from gradwise.printing import unicode
    degree = sp.sympify(max((p.exp for p in term.atoms(sp.Pow) if p.exp.is_number), default=1))  # safe: an engine number, never user text
    return (float(degree) if degree.is_real else 0.0, len(unicode(term)))


def order_steps(d: Derivation, o: OrderDerivation, detail: str) -> list[Step]:
    """The worked steps of one order of a derivation (the rule tree, then the simplifications), without
    the rest of the document: what other explainers embed (each entry of a gradient or Hessian)."""
    steps = [_rule_step(d, o.tree, "1", detail, top=True)]
    simplifications = list(o.simplifications)
    if detail == "brief" and simplifications:
        first, last = simplifications[0], simplifications[-1]
        steps.append(Step("2", "Simplify", "simplify", None, lines=(Math.chain(first.before, last.after),),
                          check=_check_words(d.check_of(last))))
    else:
        for i, s in enumerate(simplifications, start=2):
            steps.append(_simplification_step(d, s, str(i), detail))
    return steps


def _rule_step(d: Derivation, step: Rule, number: str, detail: str, top: bool = False) -> Step:
    desc = describe(step)
    lines: list[Math] = []
    intermediate = step.intermediate
    children: list[Step] = []
    if detail != "brief" or top:
        # a zero term (d/dx 7 = 0, ∂/∂x sin y = 0) is the step a student most needs: shown at standard
        folded = _TRIVIAL if detail == "brief" else (VariableRule,)
        kids = [k for k in step.substeps if detail == "full" or not isinstance(k, folded)]
        if detail != "brief":
            children = [_rule_step(d, k, f"{number}.{i}", detail) for i, k in enumerate(kids, start=1)]
    if intermediate is not None:
        lines.append(Math.chain(step.before, AsWritten(intermediate)))
        conclusion = Math.chain(step.before, step.after) if children else None
        if not children:
            lines[-1] = Math.chain(step.before, AsWritten(intermediate), step.after)
    else:
        lines.append(Math.chain(step.before, step.after))
        conclusion = None
    check = _check_words(d.check_of(step)) if detail == "full" else ""
    return Step(number, desc.title, step.rule, desc.statement,
                where=desc.where if detail != "brief" else (),
                explanation=desc.explanation if detail != "brief" else None,
                lines=tuple(lines), children=tuple(children), conclusion=conclusion, check=check,
                collapsed=not top)


def _simplification_step(d: Derivation, s: EqualityStep, number: str, detail: str) -> Step:
    title, why = SIMPLIFICATIONS.get(s.rule, (s.rule.capitalize(), ""))
    return Step(number, title, s.rule, None, explanation=(Paragraph.of(*why) if isinstance(why, tuple) else Paragraph.of(why)) if why else None,
                lines=(Math.chain(s.before, s.after),),
                check=_check_words(d.check_of(s)) if detail == "full" else "")


def _check_words(j: Judgement | None) -> str:
    if j is None:
        return ""
    if j.method == "unknown":
        return "not checked: no rule"
    if j.equal is None:
        return f"not checked: {j.reason}"
    points = f" and at {j.points} random point{'s' if j.points != 1 else ''}" if j.points else ""
    return f"checked {'symbolically' if j.method in ('symbolic', 'structural') else 'numerically'}{points}"


# ----------------------------------------------------------------------------------------------------
# The JSON contract

def contract(d: Derivation, detail: str = "standard") -> dict:
    """The machine-readable derivation (`--format json`), as documented in the README."""
    if d.order == 1:
        steps = [step_json(s, _note) for s in d.orders[0].steps]
    else:
        steps = [{
            "rule": "derivative_order", "order": o.order,
            "before": str(sp.Derivative(o.expr, o.var)), "after": str(o.result),
            "latex": f"{latex(sp.Derivative(o.expr, o.var))} = {latex(o.result)}",
            "note": f"derivative of order {o.order}",
            "substeps": [step_json(s, _note) for s in o.steps],
        } for o in d.orders]
    notes = [o.note for o in d.orders if o.note]
    return {
        "kind": "derivative", "input": d.input, "variable": d.var.name, "order": d.order,
        "held_constant": [s.name for s in d.held_constant],
        "expression": str(d.expr), "expression_latex": latex(d.expr),
        "result": str(d.result), "result_latex": latex(d.result),
        "steps": steps,
        **({"notes": notes} if notes else {}),
        **reading_json(d.expr, d.reading),
    }


def read_as(expr, notes, where: str = "") -> Paragraph:
    """The first line of a worked solution whose input was interpreted: "Read as: x·y (xy read as x·y)"
    (`where` names the place in a longer input: "line 2")."""
    shown = expr if isinstance(expr, Notation) else Math.chain(expr)   # a Notation: matrix calculus
    return Paragraph.of(f"Read as ({where}): " if where else "Read as: ", shown, f" ({'; '.join(notes)}).")


def reading_json(expr, notes) -> dict:
    """`{"read_as": ..., "reading": [...]}` when the input was interpreted, else nothing (golden files hold)."""
    if not notes:
        return {}
    return {"read_as": expr.text if isinstance(expr, Notation) else unicode(expr), "reading": list(notes)}


def with_reading(document: Document, expr, notes) -> Document:
    """The document of any command, starting with its "Read as" line and carrying `read_as` in its JSON
    when the input was interpreted; unchanged otherwise."""
    if not notes:
        return document
    return dataclasses.replace(document, blocks=(read_as(expr, notes), *document.blocks),
                               data={**document.data, **reading_json(expr, notes)})


def _note(step) -> str:
    if isinstance(step, EqualityStep):
        why = SIMPLIFICATIONS.get(step.rule, (step.rule, ""))[1]
        return "".join(p if isinstance(p, str) else p.text for p in why) if isinstance(why, tuple) else why
    desc = describe(step)
    if desc.explanation is None:
        return desc.title
    text = "".join(p if isinstance(p, str) else " = ".join(unicode(e) if not isinstance(e, str) else e
                                                           for e in p.expressions) for p in desc.explanation.parts
                   if isinstance(p, (str, Math))) if not any(isinstance(p, Notation) for p in desc.explanation.parts) \
        else "".join(p if isinstance(p, str) else p.text if isinstance(p, Notation) else
                     " = ".join(unicode(e) for e in p.expressions) for p in desc.explanation.parts)
    return f"{desc.title}: {text}"
