"""Start-up: `gradwise diff "x^2 sin(x)"` as a process, over `python -c "import sympy"` (target <= 1.3x).

Both are run alternately, best of 5, in the same run of this script.
"""
from __future__ import annotations

import subprocess
import sys
import time


def best_of(argv: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    base = best_of([sys.executable, "-c", "import sympy"])
    ours = best_of([sys.executable, "-m", "gradwise", "diff", "x^2 sin(x)"])
    print(f'gradwise diff "x^2 sin(x)": {ours:.2f} s; python -c "import sympy": {base:.2f} s; '
          f"ratio {ours / base:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
