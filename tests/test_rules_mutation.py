"""Seeded mutants of the bundled rulebase through `advisor rules check`: findings or a clean load, never a traceback.

Each mutant is a copy of rules/ with one authoring mistake (fuzz/rulebase_mutants.py). A mutant the check
accepts must load, and either leave the example profiles' advice unchanged or fail `advisor rules test`.
The long campaign is fuzz/fuzz_rulebase.py (docs/rulebase-tools.md).
"""

from __future__ import annotations

import random
import shutil
from collections import Counter

import pytest

from advisor.rulebase.loader import default_rules_dir
from fuzz.rulebase_mutants import example_verdicts, mutate, try_mutant

from .conftest import ROOT

MUTANTS = 240  # about a minute
PROFILES = ROOT / "profiles"


@pytest.fixture(scope="module")
def baseline(rulebase):
    return example_verdicts(rulebase, PROFILES)


def test_every_mutant_gives_findings_or_keeps_the_advice(tmp_path, run_cli, baseline):
    counts, wrong = Counter(), []
    for i in range(MUTANTS):
        rules = tmp_path / f"m{i}"
        shutil.copytree(default_rules_dir(), rules, symlinks=True)
        outcome = try_mutant(rules, mutate(rules, random.Random(f"ci-{i}")), run_cli, baseline, PROFILES)
        counts[outcome.kind] += 1
        if outcome.kind in ("crash", "missed"):
            wrong.append(f"seed ci-{i}: {outcome.kind}: {outcome.mutation}\n  {outcome.detail}")
        shutil.rmtree(rules)
    assert not wrong, "\n".join(wrong)
    assert counts["findings"] > MUTANTS / 2 and counts["same-advice"] > 0, counts  # the mutants do mutate


def test_the_mutations_are_seeded(tmp_path):
    def mutations(attempt: int) -> list[str]:
        said = []
        for i in range(5):
            rules = tmp_path / f"{attempt}-{i}"
            shutil.copytree(default_rules_dir(), rules)
            said.append(mutate(rules, random.Random(f"same-{i}")))
        return said

    assert mutations(0) == mutations(1)
