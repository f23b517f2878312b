"""Start-up: `gradwise diff "x^2 sin(x)"` as a process, over `python -c "import sympy"` (target <= 1.3x),
and over the least any SymPy tool does for the same answer: import, differentiate, print it in LaTeX
(SymPy's first sum of three terms imports sympy.tensor and sympy.combinatorics, so doing anything at all
costs more than the import).

gradwise runs as a user runs it: the `gradwise` script installed next to this Python (`python -m
gradwise`, which goes through runpy and costs some 20 ms more, is printed too, and is what runs when
the script is not installed).

All are run alternately, best of 7, in the same run of this script, with bytecode caching on (as on a user's machine:
a shell's PYTHONDONTWRITEBYTECODE would make every run compile gradwise's editable sources again).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_time(argv: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - t


def main(repeat: int = 7) -> None:
    sympy_only = [sys.executable, "-c", "import sympy"]
    sympy_diff = [sys.executable, "-c", "import sympy as s; x = s.Symbol('x'); print(s.latex(s.diff(x**2 * s.sin(x), x)))"]
    module = [sys.executable, "-m", "gradwise", "diff", "x^2 sin(x)"]
    script = Path(sys.executable).with_name("gradwise")
    ours = [str(script), "diff", "x^2 sin(x)"] if script.exists() else module
    run_time(ours)   # writes the bytecode caches
    times = [(run_time(sympy_only), run_time(sympy_diff), run_time(ours), run_time(module))
             for _ in range(repeat)]   # alternately
    base, least, mine, as_module = (min(t[i] for t in times) for i in range(4))
    print(f'gradwise diff "x^2 sin(x)": {mine:.2f} s; python -c "import sympy": {base:.2f} s; '
          f"ratio {mine / base:.2f}x (target <= 1.3x)")
    print(f"python -m gradwise diff: {as_module:.2f} s, ratio {as_module / base:.2f}x")
    print(f"SymPy alone differentiating and printing it: {least:.2f} s ({least / base:.2f}x the import); "
          f"gradwise, with every step checked and explained, is {mine / least:.2f}x that")


if __name__ == "__main__":
    main()
