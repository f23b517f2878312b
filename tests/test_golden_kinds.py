"""Golden outputs for one result of every kind, in text, LaTeX and Markdown (tests/golden/kind-*.*),
and every kind's LaTeX fragment compiled in a document that loads amsmath alone.

The samples are the ones tests/test_documents_kinds.py renders (seeded, so the numbers are stable).
After an intended change, regenerate with GRADWISE_UPDATE_GOLDEN=1 and read the diff.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gradwise.renderers import render
from test_documents_kinds import KINDS, _document

GOLDEN = Path(__file__).parent / "golden"
FORMATS = {"text": "txt", "latex": "tex", "md": "md"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_golden_kind(kind, fmt):
    out = render(_document(kind, "standard"), fmt)
    path = GOLDEN / f"kind-{kind}.{FORMATS[fmt]}"
    if os.environ.get("GRADWISE_UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"missing {path}: run with GRADWISE_UPDATE_GOLDEN=1"
    assert out == path.read_text(encoding="utf-8"), (
        f"{kind} in {fmt} differs from {path}; if the change is intended, regenerate with "
        "GRADWISE_UPDATE_GOLDEN=1 and review the diff")


FRAGMENT_HOST = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n%s\n\\end{document}\n"


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("kind", KINDS)
def test_latex_fragment_compiles_with_amsmath_alone(kind, tmp_path):
    fragment = render(_document(kind, "standard"), "latex")
    assert r"\begin{minipage}" not in fragment and r"\sin{\left(" not in fragment
    (tmp_path / "f.tex").write_text(FRAGMENT_HOST % fragment, encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "f.tex"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
    assert run.returncode == 0, f"{kind}: {errors[:3]}"
