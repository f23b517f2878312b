"""The flagship examples: run by `make demo` after a fresh install."""
from __future__ import annotations

import shlex
import subprocess
import sys

EXAMPLES = [
    ["diff", "x^2 sin(x)"],
    ["diff", "sigmoid(w*x + b)", "--wrt", "w", "--detail", "brief"],
    ["diff", r"\frac{1}{1+e^{-x}}"],
    ["diff", "x^x", "--detail", "brief"],
]


def main() -> int:
    for args in EXAMPLES:
        print("$ gradwise " + " ".join(shlex.quote(a) for a in args) + "\n", flush=True)
        code = subprocess.call([sys.executable, "-m", "gradwise", *args])
        if code:
            return code
        print(flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
