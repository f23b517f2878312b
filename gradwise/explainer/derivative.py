"""A derivative's derivation as a worked solution: numbered steps, each with its rule and its check.

Detail levels: `brief` shows the main line (the top rule and the answer); `standard` shows every rule
that does work (constants and bare variables fold into their parent); `full` shows every step,
every substitution and how each step was checked.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.derivation import Derivation, OrderDerivation
from gradwise.derivations.equivalence import Judgement
from gradwise.derivations.rules import ConstantRule, Rule, VariableRule
from gradwise.derivations.steps import EqualityStep
from gradwise.explainer.json_steps import step_json
from gradwise.explainer.wording import SIMPLIFICATIONS, describe
from gradwise.printing import latex, unicode
from gradwise.renderers.document import AsWritten, Document, Math, Paragraph, Step

DETAILS = ("brief", "standard", "full")
_TRIVIAL = (ConstantRule, VariableRule)


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
    answer = Math.chain(target, d.result)
    blocks.append(Paragraph.of("Answer: ", answer))
    return Document(title, tuple(blocks), data=contract(d, detail), answer=answer)


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
        kids = [k for k in step.substeps if detail == "full" or not isinstance(k, _TRIVIAL)]
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
    return Step(number, title, s.rule, None, explanation=Paragraph.of(why) if why else None,
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
        steps = [step_json(s, _note, d.check_of) for s in d.orders[0].steps]
    else:
        steps = [{
            "rule": "derivative_order", "order": o.order,
            "before": str(sp.Derivative(o.expr, o.var)), "after": str(o.result),
            "latex": f"{latex(sp.Derivative(o.expr, o.var))} = {latex(o.result)}",
            "note": f"derivative of order {o.order}",
            "substeps": [step_json(s, _note, d.check_of) for s in o.steps],
        } for o in d.orders]
    return {
        "kind": "derivative", "input": d.input, "variable": d.var.name, "order": d.order,
        "held_constant": [s.name for s in d.held_constant],
        "expression": str(d.expr), "expression_latex": latex(d.expr),
        "result": str(d.result), "result_latex": latex(d.result),
        "steps": steps,
        **({"read_as": unicode(d.expr), "reading": list(d.reading)} if d.reading else {}),
    }


def read_as(expr, notes) -> Paragraph:
    """The first line of a worked solution whose input was interpreted: "Read as: x·y (xy read as x·y)"."""
    return Paragraph.of("Read as: ", Math.chain(expr), f" ({'; '.join(notes)}).")


def _note(step) -> str:
    if isinstance(step, EqualityStep):
        return SIMPLIFICATIONS.get(step.rule, (step.rule, ""))[1]
    desc = describe(step)
    if desc.explanation is None:
        return desc.title
    text = "".join(p if isinstance(p, str) else " = ".join(unicode(e) if not isinstance(e, str) else e
                                                           for e in p.expressions) for p in desc.explanation.parts
                   if isinstance(p, (str, Math)))
    return f"{desc.title}: {text}"
