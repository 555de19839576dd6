"""The explanations' memory and the counterfactual switch never change what the advice says."""

from __future__ import annotations

import datetime as dt

import pytest

from advisor.advice import Advisor
from advisor.profile import Profile
from advisor.synthetic import synthetic_profiles


@pytest.mark.parametrize("engine", ["durable_engine", "python_engine"])
def test_remembered_explanations_equal_fresh_ones(request, rulebase, engine):
    engine = request.getfixturevalue(engine)
    shared = Advisor(rulebase, engine)  # remembers explanations across profiles
    profiles = [Profile.model_validate(d) for d in synthetic_profiles(700, seed=11)]
    profiles += [p.model_copy(update={"as_of": dt.date(2019, 3, 4)}) for p in profiles[:200]]  # same answers, other dates
    for i, profile in enumerate(profiles):
        fresh = Advisor(rulebase, engine)  # remembers nothing yet
        assert shared.evaluate(profile, "f.yaml").model_dump() == fresh.evaluate(profile, "f.yaml").model_dump(), i


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
