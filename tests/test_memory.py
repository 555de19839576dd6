"""Thousands of evaluations in one process: no error, no growth in memory."""

from __future__ import annotations

from pathlib import Path

from advisor.advice.advisor import Advisor
from advisor.contract.profile import Profile
from advisor.toolkit.synthetic import synthetic_profiles


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def test_5000_profiles_in_one_process_without_growth(rulebase, durable_engine):
    # A small memory of advice, so it is full (and starting afresh) well within the warm-up:
    # what is measured is what a leak would add, not the bounded memory filling up.
    advisor = Advisor(rulebase, durable_engine, memory=300)
    profiles = [Profile.model_validate(d) for d in synthetic_profiles(5000, seed=42)]
    for profile in profiles[:1000]:  # warm up caches and allocator pools
        advisor.evaluate(profile)
    before = _rss_kib()
    verdicts = 0
    for profile in profiles:
        verdicts += len(advisor.evaluate(profile).results)
    growth = _rss_kib() - before
    assert verdicts == 5000 * len(advisor.rulebase.rules)
    assert growth < 8 * 1024, f"memory grew by {growth} KiB over 5,000 evaluations"
