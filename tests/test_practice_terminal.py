"""`gradwise practice` at a real terminal (a pseudo-terminal driven by pexpect): answer, hint, Ctrl-C, Ctrl-D."""
from __future__ import annotations

import os
import sys

import pytest

pexpect = pytest.importorskip("pexpect", reason="pexpect (the dev extra) drives the pseudo-terminal")

from gradwise.practice import generate  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 120


def _spawn(tmp_path, *args):
    env = dict(os.environ, PYTHONPATH=ROOT, GRADWISE_DATA_DIR=str(tmp_path), TERM="dumb")
    return pexpect.spawn(sys.executable, ["-m", "gradwise", "practice", *args], env=env, encoding="utf-8",
                         timeout=TIMEOUT, dimensions=(40, 100))


def test_typing_a_hint_a_wrong_and_a_right_answer_then_ctrl_c(tmp_path):
    first = generate("determinant", 4, 1)
    child = _spawn(tmp_path, "determinant", "--seed", "4", "--count", "3")
    child.expect("seed 4")
    child.expect("Problem 1/3")
    child.expect("> ")
    child.sendline("hint")
    child.expect("hint 1/")
    child.expect("> ")
    child.sendline(str(int(first.answer) + 1))
    child.expect("wrong")
    child.expect("> ")
    child.sendline(first.answer_text)
    child.expect("right")
    child.expect("Problem 2/3")
    child.expect("> ")
    child.sendintr()                       # Ctrl-C: the session ends with its summary
    child.expect("Score: 1/1 right")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_ctrl_d_ends_cleanly_with_the_summary(tmp_path):
    child = _spawn(tmp_path, "dot_product", "--seed", "2", "--count", "2")
    child.expect("Problem 1/2")
    child.expect("> ")
    child.sendline("skip")
    child.expect("Problem 2/2")
    child.expect("> ")
    child.sendeof()
    child.expect("Score: 0/1 right")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
