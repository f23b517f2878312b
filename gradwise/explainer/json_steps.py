"""Steps as JSON, the one shape every kind of result shares:
`{"rule", "before", "after", "latex", "note", "check", "substeps"}`, expressions as SymPy str()."""
from __future__ import annotations

from typing import Callable

from gradwise.printing import latex


def step_json(step, note: Callable[[object], str], *, show: Callable[[object], str] = str,
              extra: Callable[[object], dict] | None = None) -> dict:
    """One step and its sub-steps, with the check stored on the step; `extra` adds (or replaces) fields."""
    out = {
        "rule": step.rule,
        "before": show(step.before),
        "after": show(step.after),
        "latex": f"{latex(step.before)} = {latex(step.after)}",
        "note": note(step),
    }
    if extra is not None:
        out.update(extra(step))
    if step.check is not None:
        out["check"] = {"method": step.check.method, "points": step.check.points, "valid": step.check.equal}
    out["substeps"] = [step_json(s, note, show=show, extra=extra) for s in step.substeps]
    return out
