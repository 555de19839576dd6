"""durable_rules' session between profiles: facts retracted, the session deleted on any doubt."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor.contract.profile import Profile
from advisor.engines import durable
from advisor.engines.durable import SID, DurableEngine
from advisor.engines.subjects import subjects_of
from advisor.toolkit.synthetic import synthetic_profiles


class Watched:
    """The C extension, with its retractions made to fail on demand and its deletions counted."""

    def __init__(self, real, failing: bool):
        self.real, self.failing, self.deleted = real, failing, 0

    def retract_facts(self, handle, facts):
        code = self.real.retract_facts(handle, facts)
        return (1, code[1]) if self.failing else code

    def delete_state(self, handle, sid):
        self.deleted += 1
        return self.real.delete_state(handle, sid)

    def __getattr__(self, name):
        return getattr(self.real, name)


def _empty(ruleset) -> bool:
    """Whether the session holds no fact (a deleted session is reported as unknown, error 309)."""
    try:
        return ruleset.engine.get_facts(ruleset.handle, SID) == "[]"
    except Exception as error:  # the C extension raises bare exceptions with a code
        return "309" in str(error)


def _decisions(engine, profile: Profile):
    return [(o.subject.key, o.derived, {k: (d.eligible, d.fit) for k, d in o.decisions.items()})
            for o in engine.evaluate(subjects_of(profile, profile.as_of or dt.date(2026, 1, 1), engine.rulebase))]


@pytest.mark.parametrize("failing", [False, True])
def test_each_profile_starts_from_an_empty_session(rulebase, python_engine, monkeypatch, failing):
    monkeypatch.setattr(durable, "DELETE_EVERY", 250)
    engine = DurableEngine(rulebase)
    rulesets = engine.derive_stage + engine.verdict_stage
    for ruleset in rulesets:
        ruleset.engine = Watched(ruleset.engine, failing)
    profiles = [Profile.model_validate(d) for d in synthetic_profiles(600, seed=8)]
    for i, profile in enumerate(profiles):
        assert _decisions(engine, profile) == _decisions(python_engine, profile), i
        assert all(_empty(r) for r in rulesets), i
    deleted = sum(r.engine.deleted for r in rulesets)
    # retracting works: the session is deleted only every DELETE_EVERY profiles; when it fails, after each profile
    assert deleted == (600 * len(rulesets) if failing else 2 * len(rulesets))


def test_a_fact_left_behind_deletes_the_session(rulebase, monkeypatch):
    engine = DurableEngine(rulebase)
    ruleset = engine.verdict_stage[0]
    ruleset.engine = Watched(ruleset.engine, failing=False)
    monkeypatch.setattr(ruleset.engine, "get_facts", lambda handle, sid: '[{"id": "s0"}]', raising=False)
    engine.evaluate(subjects_of(Profile(as_of=dt.date(2024, 1, 1)), dt.date(2024, 1, 1), rulebase))
    assert ruleset.engine.deleted == 1


def test_a_stop_mid_profile_leaves_no_fact_for_the_next(rulebase, python_engine, monkeypatch):
    """Ctrl-C or SIGTERM while the agenda runs: the session is deleted, and the next profile is decided alone."""
    engine = DurableEngine(rulebase)
    ruleset = engine.verdict_stage[0]
    ruleset.engine = Watched(ruleset.engine, failing=False)
    first, second = (Profile.model_validate(d) for d in synthetic_profiles(2, seed=9))
    monkeypatch.setattr(ruleset.engine, "complete_and_start_action",
                        lambda *a: (_ for _ in ()).throw(KeyboardInterrupt), raising=False)
    with pytest.raises(KeyboardInterrupt):
        _decisions(engine, first)
    assert ruleset.engine.deleted == 1 and _empty(ruleset)
    monkeypatch.undo()
    assert _decisions(engine, second) == _decisions(python_engine, second)
