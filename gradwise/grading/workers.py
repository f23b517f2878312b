"""Killable worker processes: each submission is judged in a child process with a hard time limit.

The judge's own limit (SIGALRM, `--timeout`) works only in a main thread and can be delayed by long C
calls; here the parent kills a worker that runs past the limit plus a grace period (pebble's
ProcessPool replaces it), so no submission can hold up the batch.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import Future, TimeoutError as FutureTimeout
from dataclasses import dataclass

from gradwise.grading.submissions import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, Submission, check_one, error_verdict

HANG_HOOK = "GRADWISE_TEST_HANG"  # tests: the submission of this name never returns in its worker
SLOW_HOOK = "GRADWISE_TEST_SLOW"  # tests: each submission first waits this many seconds


@dataclass(frozen=True)
class Settings:
    """How every submission of a batch is judged (and, with a task, marked)."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    assume_positive: bool = False
    task: object | None = None              # a credit.Task
    shapes: str | None = None               # --shape, for derivations in matrix notation

    @property
    def hard_limit(self) -> float:
        """Seconds after which the worker is killed: the judge's own limit should fire well before."""
        return self.timeout * 1.5 + 2.0


def judge(submission: Submission, settings: Settings) -> dict:
    """The verdict of one submission (with its credit when the settings have a task)."""
    if os.environ.get(HANG_HOOK) and submission.name == os.environ[HANG_HOOK]:
        _hang()
    if os.environ.get(SLOW_HOOK):
        time.sleep(float(os.environ[SLOW_HOOK]))
    return check_one(submission, settings.timeout, settings.max_bytes, settings.assume_positive, settings.shapes,
                     extend=_add_credit(settings) if settings.task is not None else None)


def _add_credit(settings: Settings):
    from gradwise.grading.credit import credit

    def add(verdict, out: dict) -> None:
        out["credit"] = credit(verdict, settings.task, settings.assume_positive)
    return add


def _hang() -> None:
    while True:  # deaf to the judge's own time limit: only a kill stops it
        try:
            time.sleep(3600)
        except BaseException:
            pass


def killed_verdict(name: str, settings: Settings) -> dict:
    return error_verdict(name, f"gave up after {settings.timeout:g} s (the worker was stopped)")


def failed_verdict(name: str, exc: BaseException) -> dict:
    return error_verdict(name, f"the worker failed: {type(exc).__name__}")


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers, they must not print tracebacks
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # the parsers load and warm up on first use (seconds): not on the clock of the first submission
    check_one(Submission("warm-up", "x + x = 2x"), timeout=60)


class ProcessBackend:
    """N worker processes on this machine; `submit` returns a future of the verdict."""

    def __init__(self, jobs: int, settings: Settings, max_tasks: int = 500):
        self.jobs, self.settings, self.max_tasks = jobs, settings, max_tasks
        self.pool = None  # started by the first submission to judge: a batch the cache answers starts none

    def _start(self):
        import multiprocessing

        import pebble
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.pool = pebble.ProcessPool(max_workers=self.jobs, max_tasks=self.max_tasks, initializer=_worker_init,
                                       context=context)
        return self.pool

    @property
    def window(self) -> int:
        return self.jobs * 16

    def submit(self, submission: Submission) -> Future:
        pool = self.pool or self._start()
        return pool.schedule(judge, (submission, self.settings), timeout=self.settings.hard_limit)

    def result(self, submission: Submission, future: Future) -> dict:
        try:
            return future.result()
        except FutureTimeout:
            return killed_verdict(submission.name, self.settings)
        except Exception as exc:  # the worker died (ProcessExpired) or the function raised
            return failed_verdict(submission.name, exc)

    def close(self, now: bool = False) -> None:
        if self.pool is None:
            return
        if now:
            self.pool.stop()
        else:
            self.pool.close()
        self.pool.join(timeout=10)


def judge_hard(submission: Submission, settings: Settings) -> dict:
    """`judge` in a killable child of this process, for a Dask worker: its tasks run in threads, where
    the judge's own time limit cannot fire. Children are kept between submissions; a process
    that may not have children (a daemonic Dask worker) judges in place."""
    import multiprocessing
    if multiprocessing.current_process().daemon:
        return judge(submission, settings)
    with _IDLE_LOCK:
        child = _IDLE.pop() if _IDLE else _Child()
    try:
        return child.run(submission, settings)
    finally:
        with _IDLE_LOCK:
            _IDLE.append(child)


class _Child:
    """A worker process fed through a pipe: the answer is waited for at most the hard limit, then the
    process is killed and the next submission gets a new one."""

    def __init__(self):
        import multiprocessing
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.process = None

    def _start(self) -> None:
        self.conn, theirs = self.context.Pipe()
        self.process = self.context.Process(target=_serve, args=(theirs, os.getpid()), daemon=True)
        self.process.start()
        theirs.close()
        self.conn.poll(120.0)  # "ready", after the warm-up
        self.conn.recv()

    def run(self, submission: Submission, settings: Settings) -> dict:
        try:
            if self.process is None or not self.process.is_alive():
                self._start()
            self.conn.send((submission, settings))
            if self.conn.poll(settings.hard_limit):
                return self.conn.recv()
            verdict = killed_verdict(submission.name, settings)
        except (EOFError, OSError) as exc:
            verdict = failed_verdict(submission.name, exc)
        self.process.kill()
        self.process.join()
        self.process = None
        return verdict


def _serve(conn, parent: int) -> None:
    """Judge what the parent sends until it closes the pipe or dies. A forked child holds copies of
    the parent's pipe ends, so a parent killed outright (a Dask worker's SIGKILL) never closes the
    pipe: the child notices that it has been handed to another parent instead, and exits."""
    _worker_init()
    conn.send("ready")
    while True:
        if not conn.poll(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                return
            continue
        try:
            submission, settings = conn.recv()
        except EOFError:
            return
        conn.send(judge(submission, settings))


PARENT_CHECK_SECONDS = 1.0


_IDLE: list[_Child] = []  # children not judging now, for the next task of any thread
_IDLE_LOCK = threading.Lock()
