"""A batch killed outright (SIGKILL, which no handler sees): its workers end with it, and the next run removes
the spool folder and the partial report it left."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.batch.leftovers import partial_prefix, remove_stale, spool_prefix
from advisor.toolkit.synthetic import synthetic_profiles

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the processes in /proc")


def _children(pid: int) -> list[int]:
    return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _running(pid: int) -> bool:
    """Whether the process exists and is not a zombie (one nobody has reaped yet has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _batch(source: Path, report: Path, spool: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "advisor", "batch", str(source), "--jobs", "2", "--full",
                             "--quiet", "--output", str(report)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(spool)})


def _wait_for(condition, seconds: float, why: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, why
        time.sleep(0.05)


def test_a_killed_batch_takes_its_workers_along_and_the_next_run_removes_what_it_left(tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_text("".join(json.dumps(p) + "\n" for p in synthetic_profiles(3000, seed=5)))
    spool, reports = tmp_path / "tmp", tmp_path / "reports"
    spool.mkdir()
    reports.mkdir()
    killed = _batch(source, reports / "report.jsonl", spool)
    workers: list[int] = []
    try:
        _wait_for(lambda: any(p.stat().st_size for p in reports.iterdir()) and any(spool.rglob("*.out")), 120,
                  "the run never got going")
        workers = _children(killed.pid)
        assert len(workers) == 2
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=10)
        _wait_for(lambda: not any(map(_running, workers)), 5, "the workers outlived the main process")
    finally:
        for pid in filter(_running, workers):  # the test failed: leave no process of its own behind
            os.kill(pid, signal.SIGKILL)
    assert next(reports.iterdir()).name.endswith(".partial") and list(spool.iterdir())  # what it left

    small = tmp_path / "few.jsonl"
    small.write_text("".join(json.dumps(p) + "\n" for p in synthetic_profiles(3, seed=5)))
    after = _batch(small, reports / "other.jsonl", spool)
    _, err = after.communicate(timeout=120)
    assert after.returncode in (0, 1), err
    assert [p.name for p in reports.iterdir()] == ["other.jsonl"] and list(spool.iterdir()) == []


@pytest.mark.parametrize("collected", [True, False])  # False: a zombie, whose parent has not waited for it yet
def test_only_what_runs_that_have_ended_made_is_removed(tmp_path, monkeypatch, collected):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)  # read TMPDIR again
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    if collected:
        ended.wait()  # its id names no process now
    else:
        _wait_for(lambda: not _running(ended.pid), 30, "the process did not end")
    gone = tmp_path / f"advisor-batch-{ended.pid}-abc"
    alive = tmp_path / f"{spool_prefix()}abc"  # this process's own
    for folder in (gone, alive):
        folder.mkdir()
        (folder / "x.out").write_bytes(b"personal data")
    partials = [tmp_path / f".r.json.{ended.pid}.k2_x9q1a.partial", tmp_path / f"{partial_prefix('r.json')}a1.partial",
                tmp_path / ".r.json.12345.partial.txt", tmp_path / "r.json"]
    for path in partials:
        path.write_text("{")
    remove_stale(tmp_path)
    ended.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, *(p.name for p in partials[1:])])
