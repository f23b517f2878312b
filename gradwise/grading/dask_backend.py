"""Dask: submissions judged on a `distributed` cluster, a LocalCluster of N processes (`local:N`) or an
existing scheduler (`tcp://HOST:8786`); its workers need gradwise installed.

The pipeline keeps only a bounded window of futures in flight. A worker that dies has its tasks
rescheduled by the scheduler on another worker; the pipeline writes each verdict once, by position.
Inside a worker each submission runs in a killable child process (`workers.judge_hard`), because the
tasks of a Dask worker run in threads, where the judge's own time limit cannot fire.
"""
from __future__ import annotations

import logging
from concurrent.futures import Future

from gradwise.grading.submissions import Submission
from gradwise.errors import GradwiseError
from gradwise.grading.workers import Settings, failed_verdict, judge_hard

INSTALL = "--scheduler needs Dask's distributed: pip install 'gradwise[dask]'"


def available() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


class DaskBackend:
    """A Dask client (and its LocalCluster for `local:N`); `submit` returns a distributed future."""

    def __init__(self, scheduler: str, settings: Settings):
        if not available():
            raise GradwiseError(INSTALL)
        import dask
        from distributed import Client, LocalCluster
        self.settings, self.cluster = settings, None
        if scheduler.startswith("local:"):
            count = scheduler.split(":", 1)[1]
            if not count.isdigit() or int(count) < 1:
                raise GradwiseError(f"--scheduler {scheduler}: write local:N with N the number of worker processes")
            # workers may then start the killable child process that judges each submission
            dask.config.set({"distributed.worker.daemon": False})
            self.cluster = LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(scheduler, timeout="10s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise GradwiseError(f"cannot reach the Dask scheduler at {scheduler}: {exc} (write local:N for a "
                                    "cluster on this machine, or tcp://HOST:8786)") from None
        self.workers = max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))

    @property
    def window(self) -> int:
        return self.workers * 16

    def submit(self, submission: Submission) -> Future:
        return self.client.submit(judge_hard, submission, self.settings, pure=False)

    def result(self, submission: Submission, future) -> dict:
        try:
            return future.result()
        except Exception as exc:  # KilledWorker: the task killed every worker it was given
            return failed_verdict(submission.name, exc)

    def close(self, now: bool = False) -> None:
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
