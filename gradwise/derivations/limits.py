"""Bounding the time any input can take."""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

from gradwise.errors import GradwiseError, TimeLimitExceeded


@contextmanager
def time_limit(seconds: float | None, error: type[Exception] | None = None):
    """Raise TimeLimitExceeded (or `error`) when the block runs longer than `seconds`.

    Uses a real-time interval timer, so it works only in the main thread of a Unix process; elsewhere
    (and for None) the block runs unbounded. An outer limit that is shorter stays in force, and an outer
    limit is restored with the time that is left of it.
    """
    if seconds is not None and not (seconds >= 0):  # negative or NaN: setitimer would raise
        raise GradwiseError(f"the time limit must be a positive number of seconds, not {seconds:g}")
    if not seconds or seconds == float("inf") or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return
    outer_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer_remaining and outer_remaining < seconds:
        yield
        return

    def expire(signum, frame):
        if error is not None:
            raise error(f"over {seconds:g} s")
        raise TimeLimitExceeded(f"gave up after {seconds:g} s: the input is too large to work on in time "
                                "(--timeout sets the limit)")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    # it fires again every 0.1 s: library code that catches every exception cannot swallow the limit
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_remaining:
            left = max(outer_remaining - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, 0.1)


def explodes(expr, point: dict, max_log2: float = 4000.0) -> bool:
    """Whether evaluating expr at point would build a number with an enormous exponent (x^x^x^x at 2.9,
    exp(exp(exp(x)))).

    Only powers with a variable exponent and exponentials can do that; they are checked from the inside
    out in double precision, so a tower is never evaluated when it would be too large: such a point is
    resampled, not computed (mpmath would run out of memory on it).
    """
    import math

    import sympy as sp

    nodes = [p for p in sp.postorder_traversal(expr)
             if (isinstance(p, sp.Pow) and p.exp.free_symbols) or (isinstance(p, sp.exp) and p.free_symbols)]
    for p in nodes:
        try:
            if isinstance(p, sp.exp):
                exponent = complex(sp.N(p.args[0].xreplace(point), 15))
                if exponent.real > max_log2 * math.log(2):
                    return True
                continue
            base = complex(sp.N(p.base.xreplace(point), 15))
            exponent = complex(sp.N(p.exp.xreplace(point), 15))
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, MemoryError):
            return True
        if base == 0:
            continue
        if abs(exponent) * abs(math.log2(abs(base))) > max_log2:
            return True
    return False
