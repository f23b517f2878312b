"""Matrix expressions as NumPy code: the value f(...) and the gradient grad_X(...) as Python functions.

The code is written from our own expression tree (never from user text): variable names are the
parser's identifiers, renamed when they clash with Python keywords or the helpers. Vectors are
worked on as columns; a gradient is returned in the shape its variable was given in.
"""
from __future__ import annotations

import inspect
import keyword

import numpy as np

from gradwise.derivations.function_registry import MATRIX_ELEMENTWISE
from gradwise.derivations.matrix_calculus import expressions as e
from gradwise.derivations.matrix_calculus.expressions import SCALAR, shape
from gradwise.errors import GradwiseError

_PRELUDE = '''import numpy as np


def _softmax(u):
    z = np.exp(u - np.max(u))
    return z / np.sum(z)


def _logsumexp(u):
    m = np.max(u)
    return m + np.log(np.sum(np.exp(u - m)))
'''
#: node name -> its NumPy call: np.NAME, or a copy of the registry's stable form (numpy_forms) as _NAME
_CALLS = {r.name: r.numpy if r.numpy.startswith("np.") else "_" + r.numpy
          for r in MATRIX_ELEMENTWISE.values() if r.numpy}


def _helper(name: str) -> str:
    from gradwise.derivations import numpy_forms
    return "\n\n" + inspect.getsource(getattr(numpy_forms, name)).replace(f"def {name}(", f"def _{name}(", 1)


HELPERS = _PRELUDE + "".join(_helper(c[1:]) for c in dict.fromkeys(_CALLS.values()) if c.startswith("_"))
_RESERVED = {"np", "_softmax", "_logsumexp", *(c for c in _CALLS.values() if c.startswith("_")), "value", "shape"}


def python_name(name: str) -> str:
    """A variable's name in the generated code."""
    return name + "_" if keyword.iskeyword(name) or name in _RESERVED or name.startswith("_") else name


def dim_code(d) -> str:
    """A size in the generated code: a number, or the local name bound to an argument's dimension
    (prefixed, so a size named like a variable cannot clobber it)."""
    return str(int(d)) if isinstance(d, int) else f"_dim_{d}"


def expression_code(node: e.Node) -> str:
    """One NumPy expression for a tree (named sizes must be bound as local names)."""
    return _Code().p(node)


class _Code:
    def p(self, n: e.Node) -> str:
        return getattr(self, "_" + type(n).__name__)(n)

    def _Var(self, n):
        return python_name(n.name)

    def _Const(self, n):
        v = n.value
        return f"{v.p}" if v.q == 1 else f"({v.p} / {v.q})"

    def _Identity(self, n):
        return f"np.eye({dim_code(n.n)})"

    def _Ones(self, n):
        return f"np.ones(({dim_code(n.rows)}, {dim_code(n.cols)}))"

    def _Zero(self, n):
        return f"np.zeros(({dim_code(n.rows)}, {dim_code(n.cols)}))"

    def _Add(self, n):
        return "(" + " + ".join(self.p(t) for t in n.args) + ")"

    def _Mul(self, n):
        out, current = self.p(n.args[0]), shape(n.args[0])
        for f in n.args[1:]:
            s = shape(f)
            op = "*" if current == SCALAR or s == SCALAR else "@"
            out = f"({out} {op} {self.p(f)})"
            current = e.product_shape(current, s)
        return out

    def _Hadamard(self, n):
        return f"({self.p(n.args[0])} {'/' if n.divide else '*'} {self.p(n.args[1])})"

    def _Transpose(self, n):
        return f"{self.p(n.arg)}.T"

    def _Inverse(self, n):
        return f"np.linalg.inv({self.p(n.arg)})"

    def _Trace(self, n):
        return f"np.trace({self.p(n.arg)})"

    def _Det(self, n):
        return f"np.linalg.det({self.p(n.arg)})"

    def _LogDet(self, n):
        return f"np.log(np.linalg.det({self.p(n.arg)}))"

    def _Norm(self, n):
        return f"np.linalg.norm({self.p(n.arg)})"

    def _Power(self, n):
        x = n.exponent
        return f"({self.p(n.arg)} ** {x.p if x.q == 1 else f'({x.p} / {x.q})'})"

    def _Func(self, n):
        a = self.p(n.arg)
        if n.name == "step":
            return f"({a} > 0).astype(float)"
        if n.name == "recip":
            return f"(1.0 / {a})"
        return f"{_CALLS[n.name]}({a})"

    def _Sum(self, n):
        return f"np.sum({self.p(n.arg)})"

    def _Softmax(self, n):
        return f"_softmax({self.p(n.arg)})"

    def _LogSumExp(self, n):
        return f"_logsumexp({self.p(n.arg)})"

    def _Diag(self, n):
        return f"np.diag({self.p(n.arg)}.ravel())"


def module_code(f: e.Node, G: e.Node, X: e.Var, note: str = "") -> str:
    """A Python module with `value(...)` (f) and `grad_<X>(...)` (∂f/∂X, denominator layout)."""
    params = [python_name(v.name) for v in e.variables(f)]
    signature = ", ".join(params)
    prologue = _prologue(f)
    x = python_name(X.name)
    lines = [HELPERS, ""]
    if note:
        lines.append(f"# {note}")
    lines += [f"def value({signature}):", f'    """f = {e.Node.__str__(f)}"""', *prologue,
              f"    return float(np.sum({expression_code(f)}))", "", "",
              f"def grad_{x}({signature}):",
              f'    """∂f/∂{X.name} = {e.Node.__str__(G)} (denominator layout: the shape of {X.name})"""',
              *prologue,
              f"    return np.reshape({expression_code(G)} + np.zeros(({dim_code(X.shape[0])}, {dim_code(X.shape[1])})), "
              f"{x}_shape)", ""]
    return "\n".join(lines)


def _prologue(f: e.Node) -> list[str]:
    """Read the arguments as 2-D arrays and bind each named size to an argument's dimension."""
    out, bound = [], set()
    for v in e.variables(f):
        name = python_name(v.name)
        r, c = v.shape
        out.append(f"    {name}_shape = np.shape({name})")
        out.append(f"    {name} = np.asarray({name}, dtype=float).reshape({_dim_code(r, name, 0)}, "
                   f"{_dim_code(c, name, 1)})")
        for axis, d in enumerate(v.shape):
            if isinstance(d, str) and d not in bound:
                out.append(f"    {dim_code(d)} = {name}.shape[{axis}]")
                bound.add(d)
    return out


def _dim_code(d, name: str, axis: int) -> str:
    if isinstance(d, int):
        return str(d)
    return "-1" if axis == 0 else f"np.shape({name})[1] if np.ndim({name}) == 2 else 1"


def compile_module(source: str, X: e.Var, note: str = ""):
    """The gradient function of a generated module, with `.value` (f) and `.source` attached."""
    namespace: dict = {}
    exec(compile(source, "<gradwise.matgrad>", "exec"), namespace)  # safe: source generated from our own tree, names validated
    grad = namespace[f"grad_{python_name(X.name)}"]
    value = namespace["value"]

    def gradient(*args, **kwargs):
        with np.errstate(all="ignore"):
            out = grad(*args, **kwargs)
        if not np.all(np.isfinite(out)):
            raise GradwiseError(f"∂f/∂{X.name} is not defined (or overflows) at this point"
                                f"{': ' + note if note else ''}")
        return out

    gradient.value = value
    gradient.source = source
    gradient.__doc__ = grad.__doc__
    return gradient
