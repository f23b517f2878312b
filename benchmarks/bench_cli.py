"""Start-up: `gradwise diff "x^2 sin(x)"` as a process, over `python -c "import sympy"` (target <= 1.3x).

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
    ours = [sys.executable, "-m", "gradwise", "diff", "x^2 sin(x)"]
    run_time(ours)   # writes the bytecode caches
    times = [(run_time(sympy_only), run_time(ours)) for _ in range(repeat)]   # alternately: same load
    base, mine = min(t[0] for t in times), min(t[1] for t in times)
    print(f'gradwise diff "x^2 sin(x)": {mine:.2f} s; python -c "import sympy": {base:.2f} s; '
          f"ratio {mine / base:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
