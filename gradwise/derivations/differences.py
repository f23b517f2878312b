"""The central difference every finite-difference check computes: (g(x + h) − g(x − h)) / 2h."""
from __future__ import annotations

from typing import Any, Callable


def central_difference(g: Callable[[Any], Any], x: Any, h: Any) -> Any:
    """(g(x + h) − g(x − h)) / 2h, in whatever arithmetic x, h and g's values have (float64, NumPy arrays,
    mpmath numbers, SymPy numbers); None when g is undefined (None) at either point."""
    up, down = g(x + h), g(x - h)
    if up is None or down is None:
        return None
    return (up - down) / (2 * h)
