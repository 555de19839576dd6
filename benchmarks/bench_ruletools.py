"""Measure the rulebase toolkit on the bundled rulebase: check, test with coverage, docs, diff.

    python benchmarks/bench_ruletools.py [--profiles 1000] [--seed 7]

Prints a Markdown table (the one in docs/rulebase-tools.md). Numbers depend
on the machine; the table there says which machine gave them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import tracemalloc
from pathlib import Path

from bench_evaluate import _best_of, _median_seconds  # the same timing helpers as the core benchmark

from advisor.advice.advisor import Advisor
from advisor.contract.profile import Profile
from advisor.engines.durable import DurableEngine
from advisor.engines.python import PythonEngine
from advisor.io.profiles import LoadedProfile
from advisor.render.catalogue import render_catalogue
from advisor.rulebase.loader import default_rules_dir, load_rulebase
from advisor.toolkit.cases import read_cases, run_case
from advisor.toolkit.checks import check_rulebase
from advisor.toolkit.coverage import CoverageRecorder
from advisor.toolkit.diff import compare
from advisor.toolkit.synthetic import synthetic_profiles


def _run_cases(advisor: Advisor, cases) -> None:
    recorder = CoverageRecorder(advisor.rulebase)
    for case in cases:
        outcome = run_case(advisor, case)
        recorder.record(outcome.profile, outcome.result)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rulebase = load_rulebase()
    cases, _ = read_cases(default_rules_dir())
    advisor = Advisor(rulebase, DurableEngine(rulebase))
    check = _best_of(5, check_rulebase)
    tests = _best_of(3, lambda: _run_cases(advisor, cases))
    markdown = _best_of(5, lambda: render_catalogue(rulebase))
    html = _best_of(5, lambda: render_catalogue(rulebase, "html"))

    with tempfile.TemporaryDirectory() as scratch:
        new_dir = Path(scratch) / "rules"
        shutil.copytree(default_rules_dir(), new_dir)
        irp = new_dir / "recommendations" / "cnrs.irp.yaml"
        irp.write_text(irp.read_text().replace("collaboration.countries, at_most: 2", "collaboration.countries, at_most: 1"))
        new = load_rulebase(new_dir)
        profiles = [LoadedProfile(Profile.model_validate(d), f"synthetic#{i}")
                    for i, d in enumerate(synthetic_profiles(args.profiles, seed=args.seed))]
        other = Advisor(new, DurableEngine(new))
        today = dt.date(2026, 1, 1)
        diff_time = _best_of(3, lambda: compare(advisor, other, profiles, today))
        plain = [Advisor(r, PythonEngine(r)) for r in (rulebase, new)]
        python_time = _best_of(3, lambda: compare(*plain, profiles, today))
        tracemalloc.start()
        diff = compare(advisor, other, profiles, today)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    cli = [sys.executable, "-m", "advisor", "rules"]
    check_cli = _median_seconds(cli + ["check"], runs=5)
    test_cli = _median_seconds(cli + ["test", "-q"], runs=3)
    n = len(profiles)
    print("| measure | value |\n|---|---|")
    print(f"| check the bundled rulebase ({len(rulebase.rules)} rules, {len(cases)} test cases), in process | "
          f"{check * 1000:.0f} ms |")
    print(f"| `advisor rules check`, whole command | {check_cli * 1000:.0f} ms |")
    print(f"| run the {len(cases)} test cases with coverage (durable_rules), in process | {tests * 1000:.0f} ms "
          f"({tests / len(cases) * 1000:.2f} ms a case) |")
    print(f"| `advisor rules test -q`, whole command | {test_cli * 1000:.0f} ms |")
    print(f"| catalogue, Markdown / HTML | {markdown * 1000:.0f} ms / {html * 1000:.0f} ms |")
    print(f"| diff of two rulebases on {n:,} synthetic profiles, durable_rules | {diff_time:.2f} s "
          f"({n / diff_time:,.0f} profiles/s; {len(diff.changes)} verdicts changed) |")
    print(f"| the same diff with `--engine python` | {python_time:.2f} s ({n / python_time:,.0f} profiles/s) |")
    print(f"| peak Python memory of that diff (tracemalloc) | {peak / 2**20:.1f} MiB |")
    print("\nBest of 3-5 runs in process; whole commands: median of 3-5, interpreter start included.")


if __name__ == "__main__":
    main()
