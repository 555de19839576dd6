"""durable_rules and the plain-Python evaluation must decide every rule alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from advisor.advice.assess import verdict_of
from advisor.contract.profile import Profile
from advisor.engines.subjects import subjects_of
from advisor.io.profiles import load_profiles
from advisor.rulebase.loader import default_rules_dir
from advisor.toolkit.cases import load_cases
from advisor.toolkit.synthetic import synthetic_profiles

ROOT = Path(__file__).resolve().parent.parent


def _decisions(engine, profile: Profile):
    as_of = profile.as_of or dt.date(2026, 1, 1)
    return [(o.subject.key, o.derived, {k: (d.eligible, d.fit) for k, d in o.decisions.items()})
            for o in engine.evaluate(subjects_of(profile, as_of, engine.rulebase))]


def _assert_agree(durable_engine, python_engine, profile, label):
    durable, python = _decisions(durable_engine, profile), _decisions(python_engine, profile)
    assert durable == python, f"engines disagree on {label}"


def test_agree_on_rule_case_profiles(durable_engine, python_engine):
    from advisor.io.profiles import profiles_from_document

    for case in load_cases(default_rules_dir()):
        (loaded,) = profiles_from_document(case.profile)
        _assert_agree(durable_engine, python_engine, loaded.profile, case.id)


def test_agree_on_example_profiles(durable_engine, python_engine):
    paths = sorted((ROOT / "profiles").glob("*.yaml"))
    assert paths, "no example profiles"
    for path in paths:
        for loaded in load_profiles(path):
            _assert_agree(durable_engine, python_engine, loaded.profile, path.name)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_agree_on_generated_profiles(durable_engine, python_engine, seed):
    for i, data in enumerate(synthetic_profiles(1500, seed=seed)):
        _assert_agree(durable_engine, python_engine, Profile.model_validate(data), f"seed {seed} profile {i}")


def test_generated_profiles_reach_every_verdict(rulebase, python_engine):
    """The generator spans the vocabulary: every rule is seen eligible, undecided and refused."""
    seen: dict[str, set[str]] = {rule_id: set() for rule_id in rulebase.rules}
    for data in synthetic_profiles(6000, seed=9):
        profile = Profile.model_validate(data)
        for outcome in python_engine.evaluate(subjects_of(profile, profile.as_of, rulebase)):
            for rule_id, decision in outcome.decisions.items():
                if rulebase.rules[rule_id].offered_on(profile.as_of):
                    seen[rule_id].add(verdict_of(decision))
    for rule_id, verdicts in seen.items():
        assert verdicts & {"recommended", "possible"}, f"{rule_id} never eligible: {verdicts}"
        assert "undecided" in verdicts, f"{rule_id} never undecided: {verdicts}"
        if rulebase.rules[rule_id].spec.eligibility:
            assert "not_eligible" in verdicts, f"{rule_id} never refused"
