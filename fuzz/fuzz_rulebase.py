"""The long rulebase-mutation campaign: thousands of seeded mutants of the bundled rulebase through `rules check`.

    python fuzz/fuzz_rulebase.py [--mutants 2000] [--seed 1] [--seconds 600] [--show 20]

Each mutant is a copy of rules/ with one ordinary authoring mistake (see
rulebase_mutants.py). Prints the counts (tried, findings, accepted with the
same advice, accepted but caught by the rule tests, missed, crashes) and the
crashes and misses, each with its seed so it can be replayed; exits 1 if
there is a crash. The counts of the last run are in docs/rulebase-tools.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from rulebase_mutants import example_verdicts, mutate, try_mutant

from advisor.cli.main import main
from advisor.io.environment import Environment
from advisor.rulebase.loader import default_rules_dir, load_rulebase

ROOT = Path(__file__).resolve().parent.parent


def run(*args) -> tuple[int, str, str]:
    """`advisor ARGS...` in-process, as the tests run it."""
    env = Environment.in_memory("")
    try:
        code = main([str(a) for a in args], env)
    except SystemExit as exit_:
        code = exit_.code
    return (code, *env.written())


def campaign(mutants: int, seed: int, seconds: float, show: int) -> int:
    source, profiles = default_rules_dir(), ROOT / "profiles"
    baseline = example_verdicts(load_rulebase(source), profiles)
    counts: Counter[str] = Counter()
    remarkable = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(mutants):
            if time.monotonic() - started > seconds:
                break
            rules = Path(scratch) / f"m{i}"
            shutil.copytree(source, rules, symlinks=True)
            mutation = mutate(rules, random.Random(f"{seed}-{i}"))
            outcome = try_mutant(rules, mutation, run, baseline, profiles)
            counts[outcome.kind] += 1
            if outcome.kind in ("crash", "missed"):
                remarkable.append((f"{seed}-{i}", outcome))
            shutil.rmtree(rules, ignore_errors=True)
    tried = sum(counts.values())
    print(f"seed {seed}: {tried} mutants in {time.monotonic() - started:.0f} s")
    for kind in ("findings", "same-advice", "caught-by-tests", "missed", "crash"):
        print(f"  {kind:<16} {counts[kind]}")
    for name, outcome in remarkable[:show]:
        print(f"\n{outcome.kind} (random seed {name}): {outcome.mutation}\n  {outcome.detail}")
    return 1 if counts["crash"] else 0


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=600, help="stop after this long, whatever the count")
    parser.add_argument("--show", type=int, default=20, help="how many crashes and misses to print")
    args = parser.parse_args(argv)
    return campaign(args.mutants, args.seed, args.seconds, args.show)


if __name__ == "__main__":
    sys.exit(main_())
