"""The command line as a user meets it: outputs, exit codes, one-line errors."""
import argparse
import json
import pathlib
import subprocess
import sys

import pytest
import sympy as sp

from gradwise.cli import main


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_text_has_numbered_steps_and_rules(capsys):
    code, out, err = run(capsys, "diff", "x^2 sin(x)")
    assert code == 0
    assert "1. Product rule" in out and "1.1 Power rule" in out and "Answer:" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_diff_json_contract(capsys):
    code, out, _ = run(capsys, "diff", r"\frac{1}{1+e^{-x}}", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "derivative" and data["variable"] == "x"
    assert data["result"] == "(1 - sigmoid(x))*sigmoid(x)"
    assert data["steps"][0]["before"] == "Derivative(1/(1 + exp(-x)), x)"
    for key in ("rule", "before", "after", "latex", "note", "substeps"):
        assert key in data["steps"][0]


def test_json_steps_are_equalities(capsys):
    from gradwise.derivations import functions as fn
    from gradwise.derivations.parsing import symbol
    names = {"x": symbol("x"), "w": symbol("w"), "b": symbol("b"), "sigmoid": fn.sigmoid, "u": symbol("u"),
             "v": symbol("v"), "Derivative": sp.Derivative}
    _, out, _ = run(capsys, "diff", "sigmoid(w*x + b)^2", "--wrt", "w", "--format", "json")

    def walk(step):
        before = sp.sympify(step["before"], locals=names)  # safe: our own output in a test
        after = sp.sympify(step["after"], locals=names)  # safe: our own output in a test
        assert sp.simplify(before.doit() - after) == 0
        for s in step["substeps"]:
            walk(s)

    for step in json.loads(out)["steps"]:
        walk(step)


def test_diff_latex_is_align(capsys):
    code, out, _ = run(capsys, "diff", "sigmoid(w*x + b)", "--wrt", "w", "--format", "latex")
    assert code == 0 and r"\begin{align*}" in out and r"\sigma" in out


def test_diff_latex_standalone(capsys):
    _, out, _ = run(capsys, "diff", "x^2", "--format", "latex", "--standalone")
    assert out.startswith(r"\documentclass") and out.rstrip().endswith(r"\end{document}")
    assert "shell-escape" not in out


def test_diff_markdown(capsys):
    _, out, _ = run(capsys, "diff", "tanh(x)", "--format", "md")
    assert "$$" in out and r"\tanh" in out


def test_order_two(capsys):
    code, out, _ = run(capsys, "diff", "x^3 e^x", "--order", "2", "--detail", "full")
    assert code == 0 and "Derivative of order 2" in out and "checked" in out


@pytest.mark.parametrize("args, message", [
    (["diff", "x^2 + )"], "error: unexpected ')' at column 7 in \"x^2 + )\""),
    (["diff", "x y"], "several variables (x, y)"),
    (["diff", "x", "--order", "0"], "order must be between 1 and"),
    (["diff", r"\input{/etc/passwd}"], "not allowed"),
    (["diff", "9^9^9"], "too large"),
    (["diff", "x", "--wrt", "1x"], "not a variable name"),
    (["diff", "x", "--format", "pdf"], None),
])
def test_bad_input_is_one_line_exit_2(capsys, args, message):
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own errors (unknown choice) also exit 2
        code = exc.code
    _, err = capsys.readouterr()
    assert code == 2
    if message:
        assert message in err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_output_file(tmp_path, capsys):
    target = tmp_path / "d.tex"
    code, _, err = run(capsys, "diff", "x^2", "--format", "latex", "-o", str(target))
    assert code == 0 and target.read_text().startswith("% gradwise")


def test_console_script_runs():
    result = subprocess.run([sys.executable, "-m", "gradwise", "diff", "x^2"], capture_output=True, text=True)
    assert result.returncode == 0 and "2x" in result.stdout


def test_the_installed_script_is_the_console_entry():
    script = pathlib.Path(sys.executable).with_name("gradwise")
    if not script.exists():
        pytest.skip("the gradwise script is not installed next to this Python")
    result = subprocess.run([str(script), "diff", "sinn(x)"], capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.startswith("error: unknown function 'sinn'")
    assert "console" in script.read_text()


def test_the_process_collects_garbage_while_the_command_runs():
    # console() keeps the collector off while the modules load, then freezes them: the command itself must
    # run with the collector on (a long batch would otherwise grow without bound) and the modules frozen
    code = ("import gc, sys\n"
            "import gradwise.cli.diff as d\n"
            "def run(args):\n"
            "    print(gc.isenabled(), gc.get_freeze_count() > 10000)\n"
            "    return 0\n"
            "d.run = run\n"
            "sys.argv = ['gradwise', 'diff', 'x']\n"
            "from gradwise.cli import console\n"
            "console()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.split() == ["True", "True"]


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    out, _ = capsys.readouterr()
    assert "examples:" in out


def test_the_command_table_lists_what_each_module_registers():
    # the start-up table (gradwise --help without importing every command) must match the modules
    from gradwise.cli import COMMANDS, build_parser
    parser = build_parser()
    registered = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in registered._choices_actions}
    assert set(registered.choices) == set(COMMANDS)
    assert helps == {name: summary for name, (_, summary) in COMMANDS.items()}
    for name, (module, _) in COMMANDS.items():
        assert registered.choices[name].get_default("run").__module__ == f"gradwise.cli.{module}"


def test_a_command_imports_only_its_own_module():
    code = ("import sys; from gradwise.cli import main; main(['diff', 'x^2']); "
            "print(sorted(m for m in sys.modules if m.startswith(('gradwise.cli.', 'matplotlib', "
            "'latex2sympy2_extended', 'gradwise.simulations', 'gradwise.derivations.matrix_calculus'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "['gradwise.cli._arguments', 'gradwise.cli._common', 'gradwise.cli.diff']"
