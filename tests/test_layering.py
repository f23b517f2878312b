"""The arrows between the parts hold: import-linter's contracts (pyproject.toml) are kept, and break on
an import against them."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = ("from importlinter.cli import lint_imports; "
        "raise SystemExit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")

def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_contracts_are_kept():
    run = _lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize("module, line, broken", [
    ("derivations/equivalence.py", "import gradwise.explainer.check", "gradwise.derivations is not allowed to import gradwise.explainer"),
    ("renderers/text.py", "import gradwise.simulations.compile", "gradwise.renderers is not allowed to import gradwise.simulations"),
    ("printing/latex.py", "import gradwise.derivations.parsing", "printing reads only the function registry"),
    ("derivations/matrix_calculus/expressions.py", "import gradwise.derivations.matrix_calculus.notation",
     "No cycles are allowed in gradwise.derivations.matrix_calculus"),
])
def test_an_import_against_the_layering_breaks_a_contract(tmp_path, module, line, broken):
    shutil.copytree(ROOT / "gradwise", tmp_path / "gradwise", ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / "gradwise" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # the deliberate wrong arrow\n",
                      encoding="utf-8")
    run = _lint(tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert broken in run.stdout, run.stdout


def test_a_diagnosis_carries_its_mistake_and_values_and_the_explainer_words_them():
    import sympy as sp

    from gradwise.derivations.parsing import symbol
    from gradwise.derivations.verify.diagnosis import diagnose_derivative
    from gradwise.explainer.mistake_words import WORDS

    x = symbol("x")
    d = diagnose_derivative(sp.Derivative(5 * x**2, x), 2 * x)
    assert d.mistake == "dropped_constant" and d.wording.key == "dropped_constant"
    assert dict(d.wording.values) == {"factor": 5}
    assert d.words == "the constant factor 5 was dropped" == WORDS["dropped_constant"](factor=sp.Integer(5))
