"""The main job, run by `make demo` after a fresh install: the study guide for the whole syllabus.

It shows one worked derivative in the terminal, then builds the guide (every example derived and
checked while it is built) as PDF and as one offline HTML page, and says where it wrote them.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.environ.get("DEMO_OUT", os.path.join(ROOT, "out"))

EXAMPLES = [
    ["diff", "x^2 sin(x)"],
    ["study", "-o", os.path.join(OUT, "study-guide.pdf")],
    ["study", "-o", os.path.join(OUT, "study-guide.html")],
]


def main() -> int:
    os.makedirs(OUT, exist_ok=True)
    for args in EXAMPLES:
        shown = [os.path.relpath(a, ROOT) if a.startswith(OUT) else a for a in args]
        print("$ gradwise " + " ".join(shlex.quote(a) for a in shown) + "\n", flush=True)
        code = subprocess.call([sys.executable, "-m", "gradwise", *args])
        if code:
            return code
        print(flush=True)
    print(f"The study guide is in {os.path.join(OUT, 'study-guide.pdf')}\n"
          f"             and in {os.path.join(OUT, 'study-guide.html')} (one file, reads offline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
