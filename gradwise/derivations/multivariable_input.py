"""Reading the input of the many-variable engines: the function(s), the variables, a point, substitutions.

Text goes through the safe parser; numbers become exact SymPy numbers; every error is one line.
"""
from __future__ import annotations

import sympy as sp

from gradwise.derivations.parsing import parse, parse_variables, parse_with_reading
from gradwise.errors import GradwiseError

MAX_VARIABLES = 30


def read_input(expression) -> tuple[str, object, tuple[str, ...]]:
    """The input as text, what it was read as, and how it was read where that was not literal."""
    if isinstance(expression, str):
        read = parse_with_reading(expression)
        return expression, read.expr, read.notes
    if isinstance(expression, (list, tuple)):
        functions = [read_number(f) for f in expression]
        return str(functions), functions, ()
    return str(expression), expression, ()


def read_variables(expr, wrt, text: str) -> list[sp.Symbol]:
    """The variables to differentiate in: from --wrt, else every free symbol by name."""
    if wrt is None:
        variables = sorted(expr.free_symbols, key=lambda s: s.name)
        if not variables:
            raise GradwiseError(f'"{text}" has no variables; say which with --wrt')
    elif isinstance(wrt, str):
        variables = parse_variables(wrt)
    else:
        variables = [v if isinstance(v, sp.Symbol) else parse_variables(str(v))[0] for v in wrt]
    if len(set(variables)) != len(variables):
        raise GradwiseError(f"a variable is listed twice in --wrt {wrt}")
    if len(variables) > MAX_VARIABLES:
        raise GradwiseError(f"at most {MAX_VARIABLES} variables, not {len(variables)}")
    return variables


def read_point(at, variables: list[sp.Symbol]) -> dict:
    """`x=1,y=2` (or a dict) as {x: 1, y: 2}; every variable needs a value."""
    if isinstance(at, dict):
        point = {(k if isinstance(k, sp.Symbol) else parse_variables(str(k))[0]): read_number(v) for k, v in at.items()}
    else:
        point = {}
        for item in str(at).split(","):
            if "=" not in item:
                raise GradwiseError(f"--at expects name=value pairs, as in x=1,y=2 (not '{item.strip()}')")
            name, value = item.split("=", 1)
            point[parse_variables(name)[0]] = parse(value.strip())
    missing = [v.name for v in variables if v not in point]
    if missing:
        raise GradwiseError(f"--at gives no value for {', '.join(missing)}")
    for v, value in point.items():
        if not isinstance(value, sp.Expr) or value.free_symbols or not value.is_real:
            raise GradwiseError(f"the value of {v} in --at must be a real number, not {value}")
    return point


def read_number(value) -> sp.Expr:
    """A value or expression given by a caller: text goes through the safe parser, numbers become exact
    SymPy numbers, SymPy objects stay as they are."""
    if isinstance(value, str):
        return parse(value.strip())
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise GradwiseError(f"expected a number, not {value!r}")
    return sp.Integer(value) if isinstance(value, int) else sp.nsimplify(value, rational=True)


def read_substitutions(text) -> dict:
    """`x=cos(t), y=t^2` (or a dict) as {x: cos(t), y: t²}, for the chain rule."""
    if isinstance(text, dict):
        return {(k if isinstance(k, sp.Symbol) else parse_variables(str(k))[0]): read_number(v) for k, v in text.items()}
    out = {}
    for item in split_top_level(str(text)):
        if "=" not in item:
            raise GradwiseError(f"--chain expects name=expression pairs, as in x=cos(t),y=t^2 (not '{item}')")
        name, value = item.split("=", 1)
        out[parse_variables(name)[0]] = parse(value.strip())
    return out


def split_top_level(text: str) -> list[str]:
    """Split at commas outside brackets: x=max(t, 1), y=t."""
    parts, depth, current = [], 0, ""
    for c in text:
        depth += c in "([" and 1 or 0
        depth -= c in ")]" and 1 or 0
        if c == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += c
    parts.append(current.strip())
    return [p for p in parts if p]
