"""The default number of batch workers: the cores this process may use, within its cgroup's CPU quota."""

from __future__ import annotations

import os

import pytest

from advisor.batch import cores


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A machine with 64 cores, all allowed, and cgroup files written by each test (none at first)."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    monkeypatch.setattr(cores, "CGROUP_V2_MAX", tmp_path / "cpu.max")
    monkeypatch.setattr(cores, "CGROUP_V1", tmp_path / "cpu")
    return tmp_path


@pytest.mark.parametrize("cpu_max, expected", [
    (None, 64),  # no cgroup files: every allowed core
    ("max 100000\n", 64),  # no quota
    ("200000 100000\n", 2),  # docker --cpus=2, a Kubernetes limit of 2
    ("150000 100000\n", 2),  # 1.5 cores: two workers share them
    ("50000 100000\n", 1),
])
def test_a_cpu_quota_bounds_the_default_number_of_workers(machine, cpu_max, expected):
    if cpu_max is not None:
        (machine / "cpu.max").write_text(cpu_max)
    assert cores.usable_cores() == expected


def test_cgroup_v1_quota_and_cpuset(machine, monkeypatch):
    (machine / "cpu").mkdir()
    (machine / "cpu" / "cpu.cfs_quota_us").write_text("400000\n")
    (machine / "cpu" / "cpu.cfs_period_us").write_text("100000\n")
    assert cores.usable_cores() == 4
    (machine / "cpu" / "cpu.cfs_quota_us").write_text("-1\n")  # unlimited
    assert cores.usable_cores() == 64
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)  # docker --cpuset-cpus
    assert cores.usable_cores() == 3


def test_unreadable_or_odd_cgroup_files_fall_back_to_the_allowed_cores(machine):
    (machine / "cpu.max").write_text("garbage\n")
    assert cores.usable_cores() == 64
    (machine / "cpu.max").write_text("0 100000\n")
    assert cores.usable_cores() == 64
