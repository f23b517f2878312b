"""What every reader of user text shares: how a variable is made, and the bounds that keep reading fast.

Bounds: the input's length, its bracket depth, and the size of exact numbers it would create
(`9^9^9` is refused, not computed).
"""
from __future__ import annotations

import math

import sympy as sp

from gradwise.errors import InputError

MAX_LENGTH = 10_000
MAX_DEPTH = 100
MAX_INTEGER_BITS = 20_000  # exact numbers larger than this (about 6,000 digits) are refused
MAX_DECIMAL_EXPONENT = 6_000

GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma "
         "tau upsilon phi chi psi omega").split()
GREEK_LETTERS = dict(zip("αβγδεζηθικλμνξοπρστυφχψω", GREEK))


def symbol(name: str) -> sp.Symbol:
    """The one way gradwise makes a variable: real-valued, so |x|' = sign(x) and √(x²) = |x|."""
    return sp.Symbol(name, real=True)


def check_size(text: str) -> None:
    """Refuse input too long to read in bounded time."""
    if len(text) > MAX_LENGTH:
        raise InputError(f"input is too long ({len(text):,} characters; the limit is {MAX_LENGTH:,})",
                         text)
    if not text.strip():
        raise InputError("empty input", text)


def bounded_pow(base: sp.Expr, exponent: sp.Expr, text: str = "", column: int | None = None) -> sp.Expr:
    """base**exponent, refusing exact numbers too large to compute (their size is estimated first) and a
    negative number to a fraction, which SymPy reads as a complex principal root: (-8)^(1/3) is 1 + √3·i
    there, where the writer most likely means -2."""
    if base.is_Rational and base < 0 and exponent.is_Rational and not exponent.is_Integer:
        real = (f"; for the real root write -({-base})^({exponent})" if exponent.q % 2 else
                " (it has no real value)")
        raise InputError(f"({base})^({exponent}) is not a real number: SymPy takes a negative number to a "
                         f"fraction as the complex principal root{real}", text, column)
    if base.is_number and exponent.is_number and exponent.is_real and base.is_finite:
        try:
            b = abs(float(sp.N(base, 15)))
            e = float(sp.N(exponent, 15))
        except (TypeError, ValueError, OverflowError):
            b, e = 2.0, math.inf
        if b not in (0.0, 1.0) and abs(e) * abs(math.log2(b)) > MAX_INTEGER_BITS and exponent.is_Integer:
            raise InputError("number too large to compute exactly "
                             f"(about {abs(e) * abs(math.log10(b)):.3g} digits)", text, column)
        if not math.isfinite(e):
            raise InputError("exponent too large to compute", text, column)
    return sp.Pow(base, exponent)


def exact_number(literal: str, text: str = "", column: int | None = None) -> sp.Rational:
    """A decimal literal (`2`, `0.5`, `1e-3`) as an exact rational, refusing absurd exponents."""
    mantissa, _, exponent = literal.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_DECIMAL_EXPONENT:
        raise InputError(f"number too large to compute exactly ({literal})", text, column)
    return sp.Rational(literal)
