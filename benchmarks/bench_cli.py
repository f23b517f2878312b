"""Start-up: `gradwise diff "x^2 sin(x)"` as a process, over `python -c "import sympy"` (target <= 1.3x),
and over the least any SymPy tool does for the same answer: import, differentiate, print it in LaTeX
(SymPy's first sum of three terms imports sympy.tensor and sympy.combinatorics, so doing anything at all
costs more than the import).

Both are run alternately, best of 7, in the same run of this script, with bytecode caching on (as on a user's machine:
a shell's PYTHONDONTWRITEBYTECODE would make every run compile gradwise's editable sources again).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_time(argv: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - t


def main(repeat: int = 7) -> None:
    sympy_only = [sys.executable, "-c", "import sympy"]
    sympy_diff = [sys.executable, "-c", "import sympy as s; x = s.Symbol('x'); print(s.latex(s.diff(x**2 * s.sin(x), x)))"]
    ours = [sys.executable, "-m", "gradwise", "diff", "x^2 sin(x)"]
    run_time(ours)   # writes the bytecode caches
    times = [(run_time(sympy_only), run_time(sympy_diff), run_time(ours)) for _ in range(repeat)]   # alternately
    base, least, mine = (min(t[i] for t in times) for i in range(3))
    print(f'gradwise diff "x^2 sin(x)": {mine:.2f} s; python -c "import sympy": {base:.2f} s; '
          f"ratio {mine / base:.2f}x (target <= 1.3x)")
    print(f"SymPy alone differentiating and printing it: {least:.2f} s ({least / base:.2f}x the import); "
          f"gradwise, with every step checked and explained, is {mine / least:.2f}x that")


if __name__ == "__main__":
    main()
