"""The advice's memory and the counterfactual switch never change what the advice says."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from advisor.advice.advisor import Advisor
from advisor.contract.profile import Profile, impossible_on
from advisor.contract.result import dump_compact
from advisor.engines.python import PythonEngine
from advisor.rulebase.loader import load_rulebase
from advisor.toolkit.synthetic import synthetic_profiles

from .conftest import ROOT


def _profiles(count: int, seed: int) -> list[Profile]:
    profiles = [Profile.model_validate(d) for d in synthetic_profiles(count, seed=seed)]
    profiles += [p.model_copy(update={"as_of": dt.date(2019, 3, 4)}) for p in profiles[:300]
                 if not impossible_on(p, dt.date(2019, 3, 4))]  # other dates
    return profiles + profiles[:300]  # the same profiles again, now from memory


@pytest.mark.parametrize("counterfactuals", [True, False])
@pytest.mark.parametrize("engine", ["durable_engine", "python_engine"])
def test_remembered_advice_equals_fresh_advice(request, rulebase, engine, counterfactuals):
    engine = request.getfixturevalue(engine)
    shared = Advisor(rulebase, engine, counterfactuals)  # remembers across profiles
    fresh = Advisor(rulebase, engine, counterfactuals, memory=0)  # builds everything afresh
    for i, profile in enumerate(_profiles(700, seed=11)):
        remembered, made = shared.evaluate(profile, "f.yaml"), fresh.evaluate(profile, "f.yaml")
        assert dump_compact(remembered) == dump_compact(made), i
        assert shared.explain(remembered) == fresh.explain(made), i
    assessor = shared._assessor
    assert not fresh._assessor._results and len(assessor._plans) > 100  # remembered explanations were used
    assert len(assessor._parts) > 100 and len(shared.prose._rules) > 100  # failed conditions, and texts
    if not counterfactuals:
        assert len(assessor._results) > 100  # and whole results (a counterfactual is searched each time)


def test_verdicts_alone_are_those_of_the_whole_result(rulebase, python_engine):
    advisor = Advisor(rulebase, python_engine, counterfactuals=False)
    for profile in _profiles(500, seed=12):
        as_of, verdicts = advisor.verdicts(profile)
        result = advisor.evaluate(profile)
        assert as_of == result.as_of
        assert [(v.id, v.verdict, v.failed) for v in verdicts] == [
            (r.id, r.verdict, tuple(f.condition for f in r.failed_conditions)) for r in result.results]


def test_memory_is_bounded(rulebase, python_engine):
    advisor = Advisor(rulebase, python_engine, counterfactuals=False, memory=50)
    for data in synthetic_profiles(300, seed=3):
        advisor.explain(advisor.evaluate(Profile.model_validate(data)))
        assessor = advisor._assessor
        assert all(len(memo) <= 50 for memo in (assessor._plans, assessor._results, assessor._parts,
                                                  assessor._missing, advisor.prose._rules, advisor.prose._partnerships,
                                                  advisor.prose._failed))


def test_without_counterfactuals_only_the_counterfactual_is_left_out(rulebase, python_engine):
    full, lean = Advisor(rulebase, python_engine), Advisor(rulebase, python_engine, counterfactuals=False)
    found = 0
    for data in synthetic_profiles(300, seed=5):
        profile = Profile.model_validate(data)
        a, b = full.evaluate(profile).model_dump(), lean.evaluate(profile).model_dump()
        for x, y in zip(a["results"], b["results"]):
            found += x["counterfactual"] is not None
            assert y["counterfactual"] is None
            x["counterfactual"] = None
            for c in x["collaborations"] or ():
                c["counterfactual"] = None
            assert x == y
    assert found  # the comparison did cover counterfactuals


def test_remembered_advice_not_offered_shows_each_profiles_own_values(tmp_path):
    # With the bundled rules, the steps of instruments not offered read nothing from the profile; a rule author's may.
    rules = shutil.copytree(ROOT / "rules", tmp_path / "rules")
    prc = rules / "recommendations" / "cnrs.prc.yaml"  # offered until 2021
    prc.write_text(prc.read_text().replace("  - Prepare a consolidated provisional budget;",
                                           "  - From {country}, prepare a consolidated provisional budget;"))
    rulebase = load_rulebase(rules)
    shared = Advisor(rulebase, PythonEngine(rulebase), counterfactuals=False)
    for country, name in (("FR", "France"), ("DE", "Germany"), ("FR", "France"), ("IT", "Italy")):
        result = shared.explain(shared.evaluate(Profile(country=country, as_of=dt.date(2024, 1, 1))))
        prc_advice = result.by_id()["cnrs.prc"]
        assert prc_advice.verdict == "not_offered"
        assert any(step.startswith(f"From {name},") for step in prc_advice.next_steps), prc_advice.next_steps
