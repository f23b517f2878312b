"""The judging child a Dask worker keeps (grading/workers.judge_hard) dies with its parent: a worker
killed outright must not leave a process behind (the suite used to leak one per killed worker)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PARENT = """
from gradwise.grading.submissions import Submission
from gradwise.grading.workers import Settings, _IDLE, judge_hard
assert judge_hard(Submission("a", "x = x"), Settings())["valid"]
print(_IDLE[0].process.pid, flush=True)
import time
time.sleep(600)
"""


def _running(pid: int) -> bool:
    """Whether pid is a live process (an unreaped zombie has exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_judging_child_exits_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        child = int(parent.stdout.readline())
        assert _running(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        for _ in range(100):   # it looks for a new parent every PARENT_CHECK_SECONDS (1 s)
            if not _running(child):
                break
            time.sleep(0.1)
        assert not _running(child), "the judging child outlived its killed parent"
    finally:
        parent.kill()
