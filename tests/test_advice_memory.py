"""The advice's memory and the counterfactual switch never change what the advice says."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from advisor.advice.advisor import Advisor
from advisor.contract.profile import Profile
from advisor.toolkit.synthetic import synthetic_profiles


@pytest.mark.parametrize("counterfactuals", [True, False])
@pytest.mark.parametrize("engine", ["durable_engine", "python_engine"])
def test_remembered_advice_equals_fresh_advice(request, rulebase, engine, counterfactuals):
    engine = request.getfixturevalue(engine)
    shared = Advisor(rulebase, engine, counterfactuals)  # remembers across profiles
    fresh = Advisor(rulebase, engine, counterfactuals, memory=0)  # builds everything afresh
    profiles = [Profile.model_validate(d) for d in synthetic_profiles(1500, seed=11)]
    profiles += [p.model_copy(update={"as_of": dt.date(2019, 3, 4)}) for p in profiles[:300]]  # same answers, other dates
    profiles += profiles[:300]  # the same profiles again, now from memory
    for i, profile in enumerate(profiles):
        assert shared.evaluate_json(profile, "f.yaml").json == fresh.evaluate_json(profile, "f.yaml").json, i
    assert not fresh._pieces and len(shared._pieces) > 100  # the comparison did cover remembered pieces
    assert len(shared._unoffered) > 10  # and advice for instruments not offered, remembered around its date
    if not counterfactuals:
        assert len(shared._advice_given) > 100  # and whole advice on profile-level rules


def test_memory_is_bounded(rulebase, python_engine):
    advisor = Advisor(rulebase, python_engine, counterfactuals=False, memory=50)
    for data in synthetic_profiles(300, seed=3):
        advisor.evaluate_json(Profile.model_validate(data))
        assert all(len(memo) <= 50 for memo in (advisor._pieces, advisor._plans, advisor._advice_given))


def test_the_json_and_the_model_say_the_same(rulebase, python_engine):
    advisor = Advisor(rulebase, python_engine)
    for data in synthetic_profiles(200, seed=4):
        profile = Profile.model_validate(data)
        evaluation = advisor.evaluate_json(profile, "x.yaml")
        result = advisor.evaluate(profile, "x.yaml")
        assert json.loads(evaluation.json) == result.model_dump(mode="json")
        assert [(a.id, a.verdict, a.failed) for a in evaluation.advice] == [
            (a.id, a.verdict, tuple(f.says for f in a.failed_conditions)) for a in result.results]


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
    import shutil  # noqa: PLC0415

    from advisor.engines.python import PythonEngine
    from advisor.rulebase.loader import load_rulebase

    from .conftest import ROOT  # noqa: PLC0415

    rules = shutil.copytree(ROOT / "rules", tmp_path / "rules")
    prc = rules / "recommendations" / "cnrs.prc.yaml"  # offered until 2021
    prc.write_text(prc.read_text().replace("  - Prepare a consolidated provisional budget;",
                                           "  - From {country}, prepare a consolidated provisional budget;"))
    rulebase = load_rulebase(rules)
    shared = Advisor(rulebase, PythonEngine(rulebase), counterfactuals=False)
    for country in ("FR", "DE", "FR", "IT"):
        result = json.loads(shared.evaluate_json(Profile(country=country, as_of=dt.date(2024, 1, 1))).json)
        (prc_advice,) = [a for a in result["results"] if a["id"] == "cnrs.prc"]
        assert prc_advice["verdict"] == "not_offered"
        assert any(step.startswith(f"From {country},") for step in prc_advice["next_steps"]), prc_advice["next_steps"]
