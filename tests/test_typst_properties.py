"""Property: whatever expression the engine can hold, its Typst math compiles and shows every symbol."""
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from gradwise.derivations import functions as fn
from gradwise.derivations.parsing import symbol
from gradwise.printing.typst import typst
from gradwise.renderers.pdf import compile_typst

NAMES = ["x", "y", "w", "b", "alpha", "theta_1", "w_ij", "loss", "x_max"]
UNARY = [sp.sin, sp.cos, sp.tan, sp.exp, sp.log, sp.sqrt, sp.Abs, sp.tanh, sp.asin, sp.erf, sp.sign,
         fn.sigmoid, fn.relu, fn.softplus, lambda a: sp.Heaviside(a), lambda a: sp.DiracDelta(a)]

atoms = st.one_of(st.sampled_from([symbol(n) for n in NAMES]),
                  st.integers(-9, 9).map(sp.Integer),
                  st.fractions(max_denominator=9).map(lambda f: sp.Rational(f.numerator, f.denominator)),
                  st.sampled_from([sp.pi, sp.E]))


def _safe(build):
    """A constructor that falls back on its first argument when SymPy refuses (zoo, incomparable, ...)."""
    def make(args):
        try:
            out = build(*args)
        except Exception:  # noqa: BLE001 - any refusal of SymPy: keep the simpler expression
            return args[0]
        return args[0] if out.has(sp.zoo, sp.nan, sp.oo, -sp.oo) else out
    return make


def _extend(children):
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(_safe(lambda a, b: a + b)),
        pair.map(_safe(lambda a, b: a * b)),
        pair.map(_safe(lambda a, b: a / b)),
        st.tuples(children, st.integers(-3, 4)).map(_safe(lambda a, n: a ** n)),
        st.tuples(children, st.sampled_from(UNARY)).map(_safe(lambda a, f: f(a))),
        pair.map(_safe(lambda a, b: sp.Max(a, b))),
        pair.map(_safe(lambda a, b: fn.logsumexp(a, b))),
        st.tuples(children).map(_safe(lambda a: sp.Derivative(a, symbol("x")))),
        pair.map(_safe(lambda a, b: sp.ImmutableMatrix([[a, b], [b, a]]))),
        pair.map(_safe(lambda a, b: sp.Piecewise((a, symbol("x") > 0), (b, True)))),
    )


expressions = st.recursive(atoms, _extend, max_leaves=6)


@settings(max_examples=40, deadline=None)
@given(st.lists(expressions, min_size=1, max_size=3))
def test_typst_math_always_compiles(exprs):
    source = "".join(f"$ {typst(e)} $\n$ {typst(e, literal=True)} $\n" for e in exprs)
    try:
        compile_typst(source)
    except Exception as exc:  # pragma: no cover - the message names the expression
        raise AssertionError(f"{exprs!r} -> {source!r}: {exc}") from exc


@settings(max_examples=40, deadline=None)
@given(expressions)
def test_every_symbol_is_shown(e):
    out = typst(e)
    for s in e.free_symbols:
        base = s.name.split("_")[0]
        assert base in out, (e, out)
