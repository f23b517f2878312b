"""Bounding the time any input can take."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from gradwise.errors import TimeLimitExceeded


@contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimitExceeded when the block runs longer than `seconds`.

    Uses a real-time interval timer, so it works only in the main thread of a Unix process; elsewhere
    (and for None) the block runs unbounded. An outer limit that is shorter stays in force.
    """
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return
    outer_remaining, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer_remaining and outer_remaining < seconds:
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded(f"gave up after {seconds:g} s: the input is too large to work on in time "
                                "(--timeout sets the limit)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_remaining:
            signal.setitimer(signal.ITIMER_REAL, max(outer_remaining - seconds, 0.001))
