"""Steps as JSON, the shape every kind of result shares:
`{"rule", "before", "after", "latex", "note", "check", "substeps"}`, expressions as SymPy str()."""
from __future__ import annotations

from typing import Callable

from gradwise.printing import latex


def step_json(step, note: Callable[[object], str], check: Callable[[object], object] | None = None) -> dict:
    """One step and its sub-steps. `step` has rule, before, after and substeps; `check` returns a Judgement."""
    out = {
        "rule": step.rule,
        "before": str(step.before),
        "after": str(step.after),
        "latex": f"{latex(step.before)} = {latex(step.after)}",
        "note": note(step),
    }
    judgement = check(step) if check else None
    if judgement is not None:
        out["check"] = {"method": judgement.method, "points": judgement.points, "valid": judgement.equal}
    out["substeps"] = [step_json(s, note, check) for s in step.substeps]
    return out
