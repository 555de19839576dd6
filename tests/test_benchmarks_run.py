"""Every benchmark still runs against the current code (on a handful of profiles: the numbers are not checked)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

TINY = {
    "bench_batch.py": ["--sizes", "30", "--inputs", "jsonl", "--formats", "table"],
    "bench_evaluate.py": ["--profiles", "30"],
    "bench_evaluate_stream.py": ["--sizes", "20"],
    "bench_ask.py": ["--profiles", "3"],
    "bench_stages.py": ["--profiles", "30", "--engine", "python"],
    "bench_ruletools.py": ["--profiles", "10"],
    "bench_sessions.py": ["--revisions", "5", "--notes", "5"],
    "bench_instructions.py": ["--profiles", "10", "--warmup", "2"],
    "bench_serve.py": ["--requests", "20", "--concurrency", "2", "--warmup", "1"],
}


def test_every_benchmark_is_listed():
    assert sorted(TINY) == sorted(p.name for p in (ROOT / "benchmarks").glob("bench_*.py"))


@pytest.mark.parametrize("name", sorted(TINY))
def test_the_benchmark_runs(name, tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), *TINY[name]], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
