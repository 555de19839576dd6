"""How the advice explains itself: reasons, failed conditions, missing answers, what would change."""

from __future__ import annotations

import datetime as dt

from advisor.advice.prose import fill
from advisor.contract.profile import Profile
from advisor.contract.result import VERDICT_ORDER, ExplainedResult, Result, dump_compact
from advisor.contract.words import Words
from advisor.io.profiles import load_profiles
from advisor.toolkit.synthetic import synthetic_profiles

CNRS_RESEARCHER = dict(as_of="2024-03-01", career_stage="junior_researcher", permanent_position=True,
                       in_cnrs_unit=True, employer="cnrs", phd_year=2016, country="FR", goals=["consolidate"],
                       willing_to_coordinate=True, willing_to_relocate=False, willing_to_serve_on_committees=False)
ITALY = dict(partner_country="IT", partner_type="university", stage="joint_results", joint_publications=4,
             years_active=3, countries=1, labs=2)


def advise(advisor, **answers):
    """The explained result (with its texts) for these answers, and its entries by id."""
    result = advisor.explain(advisor.evaluate(Profile.model_validate(answers)))
    return result, result.by_id()


def test_not_eligible_names_the_failed_condition_and_what_would_change(advisor):
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "permanent_position": False, "collaborations": [ITALY]})
    irp = by_id["cnrs.irp"]
    assert irp.verdict == "not_eligible"
    (failed,) = irp.failed_conditions
    assert failed.field == "cnrs_coordinator" and failed.actual is False
    assert any("permanent position" in b.says for b in failed.because)
    assert [c.field for c in irp.counterfactual.changes] == ["permanent_position"]
    assert irp.counterfactual.text == "Eligible with a permanent position: yes."


def test_counterfactual_can_be_waiting(advisor):
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "phd_year": 2019})
    cog = by_id["eu.erc_cog"]
    assert cog.verdict == "not_eligible"
    assert cog.counterfactual.changes[0].field == "as_of"
    assert cog.counterfactual.text == "Eligible from 1 January 2027 on."  # more than 7 years after a 2019 PhD


def test_past_is_never_changed(advisor):
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "phd_year": 1990})
    stg = by_id["eu.erc_stg"]
    assert stg.verdict == "not_eligible" and stg.counterfactual is None


def test_missing_answers_make_undecided_and_are_listed(advisor):
    _, by_id = advise(advisor, as_of="2024-03-01", goals=["consolidate"], collaborations=[ITALY])
    irp = by_id["cnrs.irp"]
    assert irp.verdict == "undecided"
    assert {"in_cnrs_unit", "permanent_position", "career_stage"} <= set(irp.missing)
    assert "Needs your answer on" in irp.reasons[0]


def test_unknown_collaborations_versus_none(advisor):
    _, unknown = advise(advisor, **CNRS_RESEARCHER)
    _, none = advise(advisor, **{**CNRS_RESEARCHER, "collaborations": []})
    assert unknown["cnrs.iea"].verdict == "undecided" and unknown["cnrs.iea"].missing == ["collaborations"]
    assert none["cnrs.iea"].verdict == "not_eligible"
    assert none["cnrs.iea"].failed_conditions[0].field == "collaborations"


def test_goals_unknown_leave_an_eligible_instrument_undecided(advisor):
    answers = {k: v for k, v in CNRS_RESEARCHER.items() if k != "goals"}
    _, by_id = advise(advisor, **answers, collaborations=[ITALY])
    assert by_id["cnrs.irp"].verdict == "undecided" and by_id["cnrs.irp"].missing == ["goals"]


def test_possible_when_no_goal_calls_for_it(advisor):
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "goals": ["innovation"], "collaborations": [ITALY]})
    assert by_id["cnrs.irp"].verdict == "possible"
    assert by_id["cnrs.irp"].goals_served == []


def test_not_offered_names_the_successor_and_the_dates(advisor):
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "collaborations": [ITALY]})
    lia = by_id["cnrs.lia"]
    assert lia.verdict == "not_offered" and lia.successor == "cnrs.irp"
    assert "was offered until 31 December 2020" in lia.reasons[0]
    assert "Its successor is International Research Project (IRP)." in lia.reasons[0]
    earlier = {**CNRS_RESEARCHER, "phd_year": 2010}
    _, before = advise(advisor, **{**earlier, "as_of": "2015-01-01", "collaborations": [ITALY]})
    assert before["cnrs.iea"].verdict == "not_offered"
    assert before["cnrs.iea"].reasons == ["International Emerging Action (IEA) is offered from 31 May 2018; "
                                          "the advice is for 1 January 2015. On that date, what it replaced was "
                                          "offered: International Programme for Scientific Cooperation (PICS)."]
    _, later = advise(advisor, **{**earlier, "as_of": "2016-07-14", "collaborations": [ITALY]})
    assert "the advice is for 14 July 2016." in later["cnrs.iea"].reasons[0]  # remembered, with its own date


def test_reasons_are_filled_from_the_profile(advisor):
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "collaborations": [ITALY]})
    assert any("Italy" in r for r in by_id["cnrs.irp"].reasons)
    assert "It serves your goal: consolidate an existing collaboration." in by_id["cnrs.irp"].reasons


def test_advice_per_collaboration_keeps_the_best_and_the_detail(advisor):
    usa = dict(partner_country="US", partner_type="university", stage="contacts", joint_publications=0,
               years_active=1, countries=1, labs=2)
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "collaborations": [usa, ITALY]})
    irp = by_id["cnrs.irp"]
    assert irp.verdict == "recommended"
    assert [(c.partner_country, c.verdict) for c in irp.collaborations] == [("US", "not_eligible"),
                                                                          ("IT", "recommended")]


def test_results_are_ordered_and_cover_every_id(advisor, rulebase):
    result, by_id = advise(advisor, **{**CNRS_RESEARCHER, "collaborations": [ITALY]})
    assert sorted(by_id) == sorted(rulebase.rules)
    ranks = [VERDICT_ORDER.index(a.verdict) for a in result.results]
    assert ranks == sorted(ranks)
    steps = [rulebase.rules[i].spec.path_step for i in result.path]
    assert steps == sorted(steps)


def test_results_are_ordered_by_verdict_goals_served_rung_and_id(advisor, rulebase):
    for data in synthetic_profiles(150, seed=11):
        result = advisor.evaluate(Profile.model_validate(data), today=dt.date(2026, 1, 1))
        keys = [(VERDICT_ORDER.index(a.verdict), -len(a.goals_served), rulebase.rules[a.id].spec.path_step, a.id)
                for a in result.results]
        assert keys == sorted(keys)


def test_norway_stays_norway(advisor, tmp_path):
    path = tmp_path / "norway.yaml"
    path.write_text("nationality: NO\ncountry: no\npermanent_position: yes\nas_of: 2024-01-01\n")
    (loaded,) = load_profiles(path)
    assert loaded.profile.nationality == "NO" and loaded.profile.country == "NO"
    assert loaded.profile.permanent_position is True
    assert advisor.evaluate(loaded.profile).as_of == dt.date(2024, 1, 1)


def test_default_date_is_today(advisor):
    result = advisor.evaluate(Profile(), today=dt.date(2025, 5, 5))
    assert result.as_of == dt.date(2025, 5, 5)
    assert all(a.verdict in VERDICT_ORDER for a in result.results)


def test_results_read_back_from_json_are_the_same(advisor):
    for data in synthetic_profiles(200, seed=5):
        result = advisor.evaluate(Profile.model_validate(data))
        assert Result.model_validate_json(dump_compact(result)) == result
        explained = advisor.explain(result)
        assert ExplainedResult.model_validate_json(explained.model_dump_json()) == explained


def test_next_steps_are_filled_from_the_partnership(advisor):
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "collaborations": [ITALY]})
    steps = " ".join(by_id["fr.phc"].next_steps)
    assert "{" not in steps and "Galilée page" in steps  # the programme named from the country table


def test_next_steps_without_a_partnership_show_no_raw_placeholder(advisor):
    _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "collaborations": []})
    assert by_id["fr.phc"].verdict == "not_eligible"
    steps = " ".join(by_id["fr.phc"].next_steps + by_id["fr.phc"].checklist)
    assert "{" not in steps and "[programme for your partner's country (Hubert Curien partnerships)]" in steps


def test_an_unknown_placeholder_reads_as_its_label(advisor):
    words = Words(advisor.catalogue.labels, advisor.catalogue.values)
    assert fill("with {collaboration.partner_country}", {}, words) == "with [partner's country]"
    assert fill("with {collaboration.partner_country}", {"collaboration.partner_country": "IT"}, words) == "with Italy"
    assert fill("in {collaboration.partner_country}", {"collaboration.partner_country": "US"}, words) == \
        "in the United States"


def test_instruments_are_offered_exactly_from_their_first_day_to_their_last(advisor, rulebase):
    """Within its era, an instrument with calls is offered while a call is ahead (see test_dated)."""
    days = {d for rule in rulebase.rules.values() for d in (rule.spec.valid_from, rule.spec.valid_until) if d}
    assert len(days) > 3
    for day in sorted(days):
        for as_of in (day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)):
            _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "phd_year": None, "as_of": as_of.isoformat(),
                                          "collaborations": [ITALY]})
            offered = dict(zip(rulebase.rules, advisor.offered_on(as_of)))
            for rule_id, rule in rulebase.rules.items():
                assert (by_id[rule_id].verdict == "not_offered") is not offered[rule_id], (rule_id, as_of)
                assert offered[rule_id] == (rule.offered_on(as_of) and not rulebase.dated.between_calls(rule_id, as_of))


def test_a_result_refers_to_the_catalogue_for_every_text(advisor):
    """The compact result holds no text of a rule: conditions by number, values the texts show, the goals."""
    usa = dict(ITALY, partner_country="US", stage="contacts", joint_publications=0)
    result = advisor.evaluate(Profile.model_validate({**CNRS_RESEARCHER, "permanent_position": False,
                                                      "collaborations": [usa, ITALY]}))
    catalogue, irp = advisor.catalogue, result.by_id()["cnrs.irp"]
    assert "title" not in irp.model_fields_set and "reasons" not in type(irp).model_fields
    us, italy = irp.collaborations
    assert irp.verdict == us.verdict == italy.verdict == "not_eligible" and irp.failed_conditions == us.failed_conditions
    (failed,) = italy.failed_conditions  # the first, best partnership speaks for the instrument
    condition = catalogue.rules["cnrs.irp"].conditions[failed.condition]
    assert (condition.field, condition.required) == (failed.field, failed.required) == ("cnrs_coordinator", "yes")
    fact = catalogue.facts["cnrs_coordinator"]
    assert any("permanent position" in fact.conditions[c.condition].says for c in failed.because)
    assert irp.shown == us.shown == {"collaboration.partner_country": "US"}
    assert italy.shown == {"collaboration.partner_country": "IT"}
    text = dump_compact(result)
    assert 4 * len(text) < len(advisor.explain(result).model_dump_json())
    assert catalogue.rules["cnrs.irp"].title not in text
    assert '"schema_version":2' in text and '"reasons"' not in text and '"trace"' in text


def test_held_conditions_are_the_reasons_that_hold(advisor):
    result, by_id = advise(advisor, **{**CNRS_RESEARCHER, "collaborations": [ITALY]})
    irp = by_id["cnrs.irp"]
    says = [advisor.catalogue.rules["cnrs.irp"].conditions[n].says for n in irp.held_conditions]
    assert says and all(s[:1].upper() + s[1:] + "." in irp.reasons for s in says)


def test_without_a_trace_the_result_has_none(rulebase, python_engine):
    from advisor.advice.advisor import Advisor

    profile = Profile.model_validate({**CNRS_RESEARCHER, "collaborations": [ITALY]})
    traced = Advisor(rulebase, python_engine).evaluate(profile)
    untraced = Advisor(rulebase, python_engine, trace=False).evaluate(profile)
    assert "cnrs.irp:eligible" in traced.trace and untraced.trace == []
    assert traced.model_copy(update={"trace": []}) == untraced

def test_a_label_not_offered_yet_and_one_withdrawn_say_so_on_each_date(advisor):
    """The same remembered result (UMI not offered, nothing to show) is worded for each date."""
    for as_of, said in (("1997-01-15", "is offered from 1 September 2002; the advice is for 15 January 1997."),
                        ("2024-03-01", "was offered until 31 December 2020."),
                        ("1999-05-05", "the advice is for 5 May 1999."),
                        ("2025-01-01", "was offered until 31 December 2020.")):
        _, by_id = advise(advisor, **{**CNRS_RESEARCHER, "phd_year": None, "as_of": as_of})
        assert by_id["cnrs.umi"].verdict == "not_offered" and said in by_id["cnrs.umi"].reasons[0], as_of