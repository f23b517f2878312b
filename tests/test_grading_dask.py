"""Dask: a batch on a LocalCluster gives the same verdicts, line for line, as worker processes, and a
worker killed mid-run loses nothing. One cluster is shared by the tests of this module."""
from __future__ import annotations

import json
import os
import signal
import time

import pytest

from test_grading_stream import gradwise, make_class, verdict_lines

distributed = pytest.importorskip("distributed", reason="Dask's distributed is the 'dask' extra (in 'dev')")


@pytest.fixture(scope="module")
def cluster():
    import dask
    with dask.config.set({"distributed.worker.daemon": False}):
        local = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                         dashboard_address=":0")
        client = distributed.Client(local)
        client.run(_warm_up)  # each worker's judging child loads the parsers once, before the tests
        yield local, client
        client.close()
        local.close()


def _warm_up():
    from gradwise.grading.batch import Submission
    from gradwise.grading.workers import Settings, judge_hard
    return judge_hard(Submission("warm-up", "x = x"), Settings())["valid"]


def test_local_cluster_and_worker_processes_give_the_same_file(tmp_path):
    path = tmp_path / "class.jsonl"
    expected = make_class(path, 2000)
    files = {}
    for name, how in (("jobs", ["--jobs", "2", "--timeout", "60"]), ("dask", ["--scheduler", "local:2", "--timeout", "60"])):
        out = tmp_path / f"{name}.jsonl"
        done = gradwise(str(path), "-o", str(out), *how, env={"GRADWISE_CACHE_DIR": str(tmp_path / name)})
        assert done.returncode == 2, done.stderr
        files[name] = out.read_text()
    assert files["dask"] == files["jobs"]
    *verdicts, summary = [json.loads(line) for line in files["dask"].splitlines()]
    assert [v["name"] for v in verdicts] == [name for name, _ in expected]
    assert summary["submissions"] == 2000 and summary["error"] == 0


def test_a_worker_killed_mid_run_loses_nothing(cluster, tmp_path):
    local, client = cluster
    path = tmp_path / "class.jsonl"
    make_class(path, 60, bad_every=1000)  # different texts, each judged
    reference = tmp_path / "reference.jsonl"
    gradwise(str(path), "-o", str(reference), "--jobs", "2", "--timeout", "60",
             env={"GRADWISE_CACHE_DIR": str(tmp_path / "r")})
    env = {"GRADWISE_CACHE_DIR": str(tmp_path / "c")}
    out = tmp_path / "dask.jsonl"
    run = gradwise(str(path), "-o", str(out), "--scheduler", local.scheduler_address, "--no-cache", "--timeout", "60",
                   env=env, background=True)
    for _ in range(1200):  # until the first verdicts are written, at most two minutes
        if out.exists() and out.read_text().count("\n") >= 3:
            break
        time.sleep(0.1)
    written_before = out.read_text().count("\n")
    pids = client.run(os.getpid)
    os.kill(next(iter(pids.values())), signal.SIGKILL)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 2, err  # its line 6 is broken
    assert written_before < 60, "the run ended before a worker could be killed"
    assert out.read_text() == reference.read_text()
    assert len(verdict_lines(out)) == 61


def test_an_address_nobody_listens_on_and_a_bad_local_count_are_refused_by_name():
    from gradwise.errors import GradwiseError
    from gradwise.grading.dask_backend import DaskBackend
    from gradwise.grading.workers import Settings
    with pytest.raises(GradwiseError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskBackend("tcp://127.0.0.1:9", Settings())
    with pytest.raises(GradwiseError, match="write local:N"):
        DaskBackend("local:zero", Settings())
