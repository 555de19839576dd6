"""How many cores this process may really use: the default number of batch workers.

`os.cpu_count()` counts the machine's cores. In a container or a job limited to fewer (a cpuset,
or a CPU quota as Docker's `--cpus` and Kubernetes' limits set), one worker per machine core would
start dozens of workers of about 80 MB each on a 2-core allowance, and the system would kill the
run for its memory. So: the cores this process may run on, and no more than its cgroup's quota.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP_V2_MAX = Path("/sys/fs/cgroup/cpu.max")  # "QUOTA PERIOD", or "max PERIOD" when unlimited
CGROUP_V1 = Path("/sys/fs/cgroup/cpu")  # cpu.cfs_quota_us (-1 when unlimited) and cpu.cfs_period_us


def usable_cores() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    quota = _quota()
    return max(1, min(cores, math.ceil(quota)) if quota else cores)


def _quota() -> float | None:
    """The CPU quota in cores (1.5 for 150 ms per 100 ms), or None when there is none or it cannot be read."""
    try:
        quota, period = CGROUP_V2_MAX.read_text().split()[:2]
    except (OSError, ValueError):
        try:
            quota = (CGROUP_V1 / "cpu.cfs_quota_us").read_text().strip()
            period = (CGROUP_V1 / "cpu.cfs_period_us").read_text().strip()
        except OSError:
            return None
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:  # "max": no quota
        return None
    return quota_us / period_us if quota_us > 0 and period_us > 0 else None
