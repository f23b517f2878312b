"""`check` for derivations in matrix notation: which chains are matrix notation, and the verdict on them.

A chain is matrix notation when it says so: a transpose (`^T`, `^\\top`, `^{\\mathsf T}`), a norm `\\|·\\|`,
`\\odot`, a trace, `\\log\\det`, the ones vector `\\mathbf{1}`, a bold letter, a gradient or partial
derivative with respect to an uppercase or bold variable, a name given a shape (`--shape`), or a name
defined by an earlier matrix chain. A chain with a written-out matrix (`pmatrix`, ...) is not: the
scalar checker reads those entry by entry. Other chains go to the scalar checker.
"""
from __future__ import annotations

import dataclasses
import re

from gradwise.derivations.latex_input import _FORBIDDEN
from gradwise.derivations.limits import time_limit
from gradwise.derivations.matrix_calculus.parsing import parse_shapes
from gradwise.derivations.verify.judging import judge_chains, judged
from gradwise.derivations.verify.matrix_judging import MatrixContext, judge_matrix_chain
from gradwise.derivations.verify.reading import read_derivation, split_chains
from gradwise.derivations.verify.verdict import StepVerdict, Verdict
from gradwise.errors import GradwiseError, InputError, TimeLimitExceeded

MARKERS = re.compile(r"\^\s*\{?\s*-?\s*(?:T(?![A-Za-z])|\\top|\\intercal|\\mathsf)|\\\||\\[lr]?Vert|‖|\\odot|"
                     r"\\operatorname\s*\{\s*(?:tr|Tr|softmax)\s*\}|\\mathrm\s*\{\s*tr\s*\}|\\tr(?![A-Za-z])|"
                     r"\\log\s*\\det|\\mathbf\s*\{|\\boldsymbol|\\bm\s*\{|"
                     r"\\nabla\s*_\s*\{?\s*[A-Z]|\\partial\s*[A-Z]\s*\}(?!\s*\{)")
WRITTEN_OUT = re.compile(r"\\begin\s*\{\s*[pbBvV]?matrix|\\begin\s*\{\s*array")


def is_matrix_chain(sides: list[tuple[str, int]], declared: set, defined: set) -> bool:
    """Whether a chain (its sides as written) is in matrix notation: the hook `check` dispatches on."""
    text = " = ".join(t for t, _ in sides)
    if WRITTEN_OUT.search(text):
        return False
    if MARKERS.search(text):
        return True
    names = declared | defined
    return bool(names) and any(re.search(rf"(?<![A-Za-z\\]){re.escape(n)}(?![A-Za-z])", text) for n in names)


def uses_matrix_notation(text: str, shapes=None) -> bool:
    """Whether any chain of the derivation is matrix notation (then `check_matrix` judges it)."""
    if shapes:
        return True
    if not MARKERS.search(text):
        return False
    if not WRITTEN_OUT.search(text):
        return True
    try:
        return any(is_matrix_chain(chain, set(), set()) for chain in split_chains(text))
    except (GradwiseError, RecursionError):
        return False


def check_matrix(text: str, *, shapes=None, assume_positive: bool = False, timeout: float | None = 10.0,
                 step_timeout: float | None = 5.0) -> Verdict:
    """Check a derivation with chains in matrix notation; the other chains by the scalar checker."""
    verdict = Verdict(text, assume_positive=assume_positive)

    def judge_steps() -> list[StepVerdict]:
        m = _FORBIDDEN.search(text)
        if m:
            raise InputError(f"the LaTeX command \\{m.group(1)} is not allowed", text[m.start():m.start() + 40])
        context = MatrixContext(shapes=dict(parse_shapes(shapes)))
        context.declared = frozenset(context.shapes)
        return _judge_all(split_chains(text), context, assume_positive, step_timeout)
    return judged(verdict, timeout, judge_steps)


def _judge_all(chains: list, context: MatrixContext, assume_positive: bool, step_timeout) -> list[StepVerdict]:
    steps: list[StepVerdict] = []
    defined: set = set()
    for number, sides in enumerate(chains, start=1):
        if is_matrix_chain(sides, set(context.declared), defined):
            if len(sides) == 1:
                steps.append(StepVerdict(len(steps) + 1, sides[0][1], sides[0][0], "", None, None, False,
                                         "unreadable", reason=f"line {sides[0][1]}: a line without = : {sides[0][0]}",
                                         chain=number))
                continue
            limit = step_timeout * (len(sides) - 1) if step_timeout else None
            try:
                with time_limit(limit):
                    found = judge_matrix_chain(sides, context, len(steps) + 1, number)
            except TimeLimitExceeded as exc:
                if limit is None or not str(exc).startswith(f"gave up after {limit:g} s"):
                    raise  # the limit of the whole check, not of this chain
                found = [StepVerdict(len(steps) + 1, sides[-1][1], sides[0][0], sides[-1][0], None, None, False,
                                     "undecided", reason=f"gave up on this chain after {limit:g} s", chain=number)]
            defined = set(context.names)
            steps += found
        else:
            joined = " = ".join(t for t, _ in sides)
            scalar = judge_chains(read_derivation(joined), assume_positive=assume_positive, step_timeout=step_timeout)
            line = sides[0][1]
            steps += [dataclasses.replace(s, index=len(steps) + k, chain=number, line=line + s.line - 1)
                      for k, s in enumerate(scalar, start=1)]
    return steps
