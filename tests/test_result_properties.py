"""Properties of the result contract on any profile the contract admits (hypothesis generates them from the model).

Whatever the answers: one result per recommendation, in order; every condition number names a
condition of the catalogue; the compact JSON reads back as the same result; remembered advice and
its texts are what an advisor with no memory says; the verdicts alone are the results' verdicts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.advice.advisor import Advisor
from advisor.contract.profile import (
    CAREER_BEFORE_PHD,
    EARLIEST_DATE,
    LATEST_DATE,
    CareerStage,
    Collaboration,
    Employer,
    Gender,
    Goal,
    PartnerType,
    Profile,
    Stage,
)
from advisor.contract.result import VERDICT_ORDER, Result, dump_compact


def maybe(strategy):
    return st.none() | strategy


def names(enum) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])


COUNTRIES = st.sampled_from(["FR", "IT", "DE", "US", "RU", "BR", "JP", "NO", "ZA", "CN"])
COLLABORATIONS = st.builds(
    Collaboration, partner_country=maybe(COUNTRIES), partner_type=maybe(names(PartnerType)),
    stage=maybe(names(Stage)), joint_publications=maybe(st.integers(0, 200)), years_active=maybe(st.integers(0, 40)),
    countries=maybe(st.integers(1, 12)), labs=maybe(st.integers(1, 30)))
def _profile(data: dict) -> Profile:
    """A profile whose PhD is not after the date of its advice (the contract refuses that)."""
    if data["phd_year"] is not None:
        data["phd_year"] = min(data["phd_year"], data["as_of"].year)
        career = data["as_of"].year - data["phd_year"] + CAREER_BEFORE_PHD
        data["collaborations"] = data["collaborations"] and [
            c.model_copy(update={"years_active": min(c.years_active, career)}) if c.years_active else c
            for c in data["collaborations"]]
    return Profile(**data)


PROFILES = st.builds(
    dict, as_of=st.dates(max(EARLIEST_DATE, dt.date(1980, 1, 1)), min(LATEST_DATE, dt.date(2035, 12, 31))),
    career_stage=maybe(names(CareerStage)), permanent_position=maybe(st.booleans()),
    in_cnrs_unit=maybe(st.booleans()), employer=maybe(names(Employer)), phd_year=maybe(st.integers(1960, 2035)),
    nationality=maybe(COUNTRIES), country=maybe(COUNTRIES), gender=maybe(names(Gender)),
    collaborations=maybe(st.lists(COLLABORATIONS, max_size=3)),
    goals=maybe(st.lists(names(Goal), max_size=4, unique=True)), willing_to_coordinate=maybe(st.booleans()),
    willing_to_relocate=maybe(st.booleans()), willing_to_serve_on_committees=maybe(st.booleans())).map(_profile)


@pytest.mark.parametrize("counterfactuals", [False, True])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(profiles=st.lists(PROFILES, min_size=1, max_size=4))
def test_results_hold_whatever_the_answers(rulebase, python_engine, counterfactuals, profiles):
    shared = Advisor(rulebase, python_engine, counterfactuals=counterfactuals)
    fresh = Advisor(rulebase, python_engine, counterfactuals=counterfactuals, memory=0)
    catalogue = shared.catalogue
    for profile in [*profiles, *profiles]:  # the second time from memory
        result = shared.evaluate(profile)
        assert [r.id for r in result.results] != [] and sorted(r.id for r in result.results) == sorted(rulebase.rules)
        ranks = [VERDICT_ORDER.index(r.verdict) for r in result.results]
        assert ranks == sorted(ranks)
        for entry in result.results:
            text = catalogue.rules[entry.id]
            for assessed in [entry, *(entry.collaborations or ())]:
                assert all(0 <= n < len(text.conditions) for n in assessed.held_conditions)
                for failed in assessed.failed_conditions:
                    assert failed.condition is None or text.conditions[failed.condition].field == failed.field
                    fact = catalogue.facts.get(failed.field)
                    assert all(fact is not None and 0 <= c.condition < len(fact.conditions) for c in failed.because)
        assert Result.model_validate_json(dump_compact(result)) == result
        made = fresh.evaluate(profile)
        assert dump_compact(result) == dump_compact(made)
        explained = shared.explain(result)
        assert explained == fresh.explain(made) and all(r.reasons for r in explained.results)
        as_of, verdicts = shared.verdicts(profile)
        assert (as_of, [(v.id, v.verdict, v.failed) for v in verdicts]) == (
            result.as_of, [(r.id, r.verdict, tuple(f.condition for f in r.failed_conditions)) for r in result.results])
