"""Facts that change with the date of the advice: calls, dated parameters and country tables."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from advisor.contract.profile import Profile
from advisor.rulebase.conditions import PARAMETER
from advisor.rulebase.dated import CALL_HORIZON
from advisor.rulebase.loader import default_rules_dir, inspect_rulebase

D = dt.date


def test_the_next_call_is_the_first_whose_deadline_is_not_past(rulebase):
    stg = rulebase.dated.calls["eu.erc_stg"]
    call = stg.next_on(D(2024, 3, 1))
    assert (call.name, call.year, call.closes, call.expected) == ("ERC-2025-StG", 2025, D(2024, 10, 15), False)
    assert stg.next_on(D(2024, 10, 15)).name == "ERC-2025-StG"  # the deadline day itself is still open
    assert stg.next_on(D(2024, 10, 16)).name == "ERC-2026-StG"
    later = stg.next_on(D(2026, 12, 5))  # no published call: the usual pattern, said to be expected
    assert later.name == "ERC-2028-StG" and later.expected and later.closes == D(2027, 10, 15)


def test_every_published_call_is_the_next_one_until_its_deadline(rulebase):
    """At each boundary of every call: on its deadline it is still the next call, the day after it is not."""
    for rule_id, calls in rulebase.dated.calls.items():
        for spec in calls.specs:
            for published in spec.published:
                on_the_day = calls.next_on(published.closes)
                assert on_the_day is not None and on_the_day.closes == published.closes, (rule_id, published)
                after = calls.next_on(published.closes + dt.timedelta(days=1))
                assert after is None or after.closes > published.closes, (rule_id, published)


def test_no_call_further_than_the_horizon_is_named(rulebase):
    syg = rulebase.dated.calls["eu.erc_syg"]
    assert syg.next_on(D(2015, 3, 1)) is None and rulebase.dated.between_calls("eu.erc_syg", D(2015, 3, 1))
    assert syg.next_on(D(2013, 1, 10)) is not None  # the second pilot call
    for day in (D(2015, 3, 1), D(2016, 12, 1)):
        call = syg.next_on(day)
        assert call is None or call.closes <= day + CALL_HORIZON


def test_a_parameter_has_the_value_in_force_on_the_date(rulebase):
    stg_max = rulebase.dated.parameters["erc_stg_max_years"]
    assert stg_max.on(D(2006, 12, 31)) is None
    assert stg_max.on(D(2012, 12, 31)) == 12 and stg_max.on(D(2013, 1, 1)) == 7


def test_windows_are_counted_to_the_next_call_not_to_the_date_of_the_advice(python_advisor):
    """March 2024: ERC-2025-StG takes PhDs from 2018 to 2022, ERC-2025-CoG from 2013 to 2017."""
    def verdicts(phd_year: int, day: D) -> tuple[str, str]:
        result = python_advisor.evaluate(Profile(as_of=day, career_stage="junior_researcher", phd_year=phd_year,
                                                 goals=["long_term_research"])).by_id()
        return result["eu.erc_stg"].verdict, result["eu.erc_cog"].verdict

    assert verdicts(2017, D(2024, 3, 1)) == ("not_eligible", "recommended")
    assert verdicts(2018, D(2024, 3, 1)) == ("recommended", "not_eligible")
    assert verdicts(2022, D(2024, 3, 1)) == ("recommended", "not_eligible")
    assert verdicts(2023, D(2024, 3, 1)) == ("not_eligible", "not_eligible")
    # After ERC-2025-StG closed, a 2018 PhD falls between ERC-2026-StG (2019-2023) and ERC-2025-CoG (2013-2017).
    assert verdicts(2018, D(2024, 10, 16)) == ("not_eligible", "not_eligible")


def test_the_result_names_the_call_and_the_explained_result_words_it(python_advisor):
    profile = Profile(as_of=D(2024, 3, 1), career_stage="junior_researcher", phd_year=2019,
                      goals=["long_term_research"])
    result = python_advisor.evaluate(profile)
    stg = result.by_id()["eu.erc_stg"]
    assert stg.next_call.name == "ERC-2025-StG" and stg.next_call.page.startswith("https://erc.europa.eu")
    assert result.by_id()["eu.erc_cog"].next_call is None  # not eligible: no call to name
    said = python_advisor.explain(result).by_id()["eu.erc_stg"].next_call_says
    assert said == "Next call: ERC-2025-StG, open 10 July to 15 October 2024."


def test_a_country_table_lists_a_country_from_one_date_to_another(rulebase):
    suspended = rulebase.dated.tables["cnrs_suspended"]
    assert "RU" not in suspended.on(D(2022, 3, 1)) and "RU" in suspended.on(D(2022, 3, 2))
    phc = rulebase.dated.tables["phc"]
    assert "US" not in phc.on(D(2024, 1, 1)) and "BR" not in phc.on(D(2024, 1, 1))
    assert "Volubilis" in phc.on(D(2014, 6, 1))["MA"] and "Toubkal" in phc.on(D(2015, 6, 1))["MA"]  # renamed
    assert "Toubkal or PHC Maghreb" in phc.on(D(2015, 6, 1))["MA"]  # two programmes at once: both named


def test_a_partnership_reads_whether_its_country_is_listed(rulebase):
    from advisor.engines.subjects import subjects_of

    profile = Profile(as_of=D(2024, 1, 1), collaborations=[{"partner_country": "DE"}, {"partner_country": "US"},
                                                           {"partner_type": "university"}])
    _, germany, usa, unknown = subjects_of(profile, profile.as_of, rulebase)
    assert germany.values["collaboration.phc"] is True and germany.values["collaboration.phc_name"] == "PROCOPE"
    assert usa.values["collaboration.phc"] is False and "collaboration.phc_name" not in usa.values
    assert "collaboration.phc" not in unknown.values  # no country: unknown, not false
    assert germany.values[PARAMETER + "erc_stg_max_years"] == 7


def _copy(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    return rules


@pytest.mark.parametrize("file, old, new, words", [
    ("calls.yaml", "  - rule: eu.erc_stg\n", "  - rule: eu.erc_sgt\n", ["unknown rule id 'eu.erc_sgt'", "did you mean"]),
    ("parameters.yaml", "      - {since: 2013-01-01, value: 8}", "      - {since: 2013-01-01, value: 8, source: 4}",
     ["source 4 is not listed"]),
    ("countries.yaml", "{country: \"DE\"", "{country: \"Germany\"", ["should match pattern"]),
    ("calls.yaml", "closes: \"10-15\"", "closes: \"04-31\"", ["day is out of range for month"]),
])
def test_mistakes_in_the_dated_files_name_the_file_and_line(tmp_path, file, old, new, words):
    rules = _copy(tmp_path)
    path = rules / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(i for i, text_line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if new.strip().split("\n")[0] in text_line)
    _, problems = inspect_rulebase(rules)
    found = [p for p in problems if p.path.endswith(file) and all(w in p.message + " " + (p.fix or "") for w in words)]
    assert found and found[0].line == line, [str(p) for p in problems]


def test_a_window_with_one_bound_unknown_on_the_date_is_decided_by_the_other_alike_in_both_engines(tmp_path):
    from advisor.advice.advisor import open_advisor

    rules = _copy(tmp_path)
    path = rules / "parameters.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - {since: 2007-01-01, value: 3, source: 1}\n", "", 1), encoding="utf-8")
    profile = Profile(as_of=D(2010, 3, 1), career_stage="senior_researcher", phd_year=1990, goals=["consolidate"])
    verdicts = {engine: open_advisor(rules, engine).evaluate(profile).by_id()["eu.erc_stg"] for engine in
                ("python", "durable")}
    assert verdicts["python"].verdict == verdicts["durable"].verdict == "not_eligible"  # 21 years: past the maximum
    assert verdicts["python"].failed_conditions == verdicts["durable"].failed_conditions


def test_a_field_given_twice_is_reported_not_a_crash(tmp_path):
    rules = _copy(tmp_path)
    path = rules / "countries.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: phc\n", "  - id: partner_country\n", 1),
                    encoding="utf-8")
    _, problems = inspect_rulebase(rules)
    assert any("'collaboration.partner_country'" in p.message and p.code == "duplicate-id" for p in problems)


def test_a_window_undecided_for_lack_of_a_dated_limit_says_so(tmp_path):
    from advisor.advice.advisor import open_advisor

    rules = _copy(tmp_path)
    path = rules / "parameters.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - {since: 2007-01-01, value: 3, source: 1}\n", "", 1), encoding="utf-8")
    adviser = open_advisor(rules, "python")
    profile = Profile(as_of=D(2010, 3, 1), career_stage="junior_researcher", phd_year=2005, goals=["consolidate"])
    stg = adviser.explain(adviser.evaluate(profile)).by_id()["eu.erc_stg"]
    assert stg.verdict == "undecided" and stg.missing == []
    assert stg.reasons[0] == "Cannot be decided for this date: the rules do not know a limit it needs on that date."
