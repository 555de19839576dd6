"""Measure the core: import time, rulebase loading, evaluation time per profile.

    python benchmarks/bench_evaluate.py [--profiles 3000] [--seed 7]

Prints a Markdown table (the one in docs/engine.md). Numbers depend on the
machine; the table there says which machine gave them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time

from advisor.advice.advisor import Advisor
from advisor.contract.profile import Profile
from advisor.contract.result import dump_compact
from advisor.engines.durable import DurableEngine
from advisor.engines.python import PythonEngine
from advisor.engines.subjects import subjects_of
from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.synthetic import synthetic_profiles


def _median_seconds(command: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _each(work, items) -> None:
    """Run `work` on every item, keeping no result (kept results would make the garbage collector the cost)."""
    for item in items:
        work(item)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    bare = _median_seconds([sys.executable, "-c", "pass"])
    imported = _median_seconds([sys.executable, "-c", "import advisor.cli.main"])
    full = _median_seconds([sys.executable, "-c", "import advisor.advice.advisor, advisor.engines.durable"])
    load = _best_of(5, lambda: load_rulebase())
    rulebase = load_rulebase()
    build = _best_of(5, lambda: DurableEngine(rulebase))

    profiles = [Profile.model_validate(d) for d in synthetic_profiles(args.profiles, seed=args.seed)]
    today = dt.date(2026, 1, 1)
    subjects = [subjects_of(p, p.as_of or today, rulebase) for p in profiles]
    rows = []
    for engine in (DurableEngine(rulebase), PythonEngine(rulebase)):
        decide = _best_of(3, lambda: _each(engine.evaluate, subjects))
        # Each advisor starts with an empty memory of advice: the first of the runs pays for building it.
        lean = Advisor(rulebase, engine, counterfactuals=False, trace=False)
        cold = _best_of(1, lambda: _each(lambda p: dump_compact(lean.evaluate(p)), profiles))
        warm = _best_of(3, lambda: _each(lambda p: dump_compact(lean.evaluate(p)), profiles))
        advisor = Advisor(rulebase, engine)
        advise = _best_of(3, lambda: _each(advisor.evaluate, profiles))
        rows.append((engine.name, decide, cold, warm, advise))

    n = len(profiles)
    print("| measure | value |\n|---|---|")
    print(f"| interpreter start (`python -c pass`) | {bare * 1000:.0f} ms |")
    print(f"| `import advisor.cli.main` (what `advisor --help` pays) | {(imported - bare) * 1000:.0f} ms |")
    print(f"| import of the evaluation path (advice + durable_rules) | {(full - bare) * 1000:.0f} ms |")
    print(f"| load and check the bundled rulebase ({len(rulebase.rules)} rules) | {load * 1000:.1f} ms |")
    print(f"| compile it into durable_rules rulesets | {build * 1000:.1f} ms |")
    for name, decide, cold, warm, advise in rows:
        for label, seconds in (("decisions only", decide),
                               ("explained advice as JSON, no counterfactuals, first pass", cold),
                               ("explained advice as JSON, no counterfactuals, same profiles again", warm),
                               ("full explained advice as a `Result` model", advise)):
            print(f"| {name}: {label} | {seconds / n * 1e6:.0f} µs per profile ({n / seconds:,.0f} profiles/s) |")
    print(f"\n{n:,} synthetic profiles (seed {args.seed}), best of 3 runs; imports: median of 7.")


if __name__ == "__main__":
    main()
