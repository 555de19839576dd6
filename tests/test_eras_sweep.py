"""The example careers advised on every date from 1985 to 2030: no deadline already past, no date or
programme from another era, and every call named is the next one still open."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from advisor.contract.profile import impossible_on
from advisor.contract.result import ExplainedRuleResult
from advisor.io.profiles import load_profiles
from advisor.rulebase.dated import CALL_HORIZON

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "profiles").glob("*.yaml"))
DAYS = [dt.date(year, month, day) for year in range(1985, 2031) for month, day in ((1, 15), (7, 1), (10, 20))]
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
FULL_DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTHS}) ((?:19|20)\d\d)\b|\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Names that only exist from a date: advice before it must use the name of its own time.
NAMES_FROM = {"Doctoral Network": dt.date(2021, 1, 1), "Postdoctoral Fellowship": dt.date(2021, 1, 1),
              "Staff Exchanges": dt.date(2021, 1, 1), "Horizon 2020": dt.date(2014, 1, 1), "Erasmus+": dt.date(2014, 1, 1),
              "Transatlantic Research Partnership": dt.date(2022, 12, 6),
              "FP7": dt.date(2007, 1, 1), "Consolidator": dt.date(2013, 1, 1), "Synergy": dt.date(2012, 1, 1),
              "Proof of Concept": dt.date(2011, 1, 1), "International Emerging Action": dt.date(2018, 5, 31),
              "International Research Project": dt.date(2021, 1, 1),
              "International Research Network": dt.date(2021, 1, 1),
              "International Research Laboratory": dt.date(2021, 1, 1), "GDRI": dt.date(2002, 1, 1)}
MONTH_NUMBER = {name: i for i, name in enumerate(MONTHS.split("|"), 1)}


def _dates(text: str) -> list[dt.date]:
    found = []
    for match in FULL_DATE.finditer(text):
        day, month, year, iso_year, iso_month, iso_day = match.groups()
        found.append(dt.date(int(year), MONTH_NUMBER[month], int(day)) if year else
                     dt.date(int(iso_year), int(iso_month), int(iso_day)))
    return found


def _what_to_do(advice: ExplainedRuleResult) -> list[str]:
    """The texts that tell a person what to do and when."""
    return [*advice.next_steps, *advice.checklist, advice.key_facts.calendar or ""]


def _everything(advice: ExplainedRuleResult) -> list[str]:
    return [advice.title, advice.summary, *advice.reasons, *_what_to_do(advice)]


@pytest.fixture(scope="module")
def profiles():
    return [loaded.profile for path in EXAMPLES for loaded in load_profiles(path)]


def test_no_past_deadline_and_nothing_from_another_era(python_advisor, profiles):
    """On each date, the advice that applies (everything but 'not offered') quotes no deadline already past, no
    date later than the next call could be, no such year in what to do, and no programme name before its time."""
    problems: list[str] = []
    for profile in profiles:
        for day in DAYS:
            if impossible_on(profile, day):  # a date before the career
                continue
            result = python_advisor.explain(python_advisor.evaluate(profile.model_copy(update={"as_of": day})))
            for advice in result.results:
                if advice.verdict == "not_offered":
                    continue
                where = f"{profile.name} on {day}, {advice.id}"
                horizon = day + CALL_HORIZON
                for text in _everything(advice):
                    problems += [f"{where}: {d} is from another era in {text!r}" for d in _dates(text) if d > horizon]
                for text in [advice.title.replace("Horizon 2020", "Horizon"), *_what_to_do(advice)]:
                    problems += [f"{where}: the year {y} is from another era in {text!r}"
                                 for y in map(int, YEAR.findall(text)) if y > horizon.year]
                for text in _what_to_do(advice):
                    problems += [f"{where}: the deadline {d} is past in {text!r}" for d in _dates(text) if d < day]
                for name, since in NAMES_FROM.items():
                    if day < since and name in advice.title:
                        problems.append(f"{where}: '{advice.title}' is named as it is only from {since}")
    assert not problems, "\n".join(problems[:20]) + f"\n... {len(problems)} in all"


def test_every_call_named_is_the_next_one_still_open(python_advisor, profiles):
    """The call a recommendation names closes on or after the date of the advice, within the horizon, and no
    call of the same recommendation closes between the two."""
    named = 0
    dated = python_advisor.rulebase.dated
    for profile in profiles:
        for day in DAYS:
            if impossible_on(profile, day):
                continue
            for advice in python_advisor.evaluate(profile.model_copy(update={"as_of": day})).results:
                call = advice.next_call
                if call is None:
                    assert advice.verdict in ("not_eligible", "not_offered") or not dated.calls.get(advice.id) \
                        or not dated.calls[advice.id].covers(day), (advice.id, day)
                    continue
                named += 1
                assert advice.verdict in ("recommended", "possible", "undecided")
                assert day <= call.closes <= day + CALL_HORIZON, (advice.id, day, call)
                earlier = [c for c in dated.calls[advice.id].around(day) if day <= c.closes < call.closes]
                assert not earlier, (advice.id, day, earlier)
                assert str(call.closes.year + 1) in call.name or str(call.closes.year) in call.name \
                    or str(call.closes.year - 1) in call.name, call
    assert named > 100

