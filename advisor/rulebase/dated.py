"""Facts that change with the date of the advice: parameters, calls and country tables.

Each becomes a computed field that conditions read like an answer, worked out for the
date of the advice: a parameter's value in force (`parameters.NAME`), a call's reckoning of
the PhD's age (counted to the next call still open, not to the date of the advice), and
whether a partner's country is listed in a table (`collaboration.TABLE`, with its
`collaboration.TABLE_name`).
"""

from __future__ import annotations

import bisect
import functools
import datetime as dt
from dataclasses import dataclass
from typing import Any

from advisor.contract.fields import COLLAB, FieldSpec
from advisor.rulebase.model import CallSeries, CountryTable, Parameter

PARAMETER = "parameters."
CALL_HORIZON = dt.timedelta(days=550)  # about 18 months: how far ahead the next call can be


def parameter_field(name: str) -> str:
    return PARAMETER + name


class DatedParameter:
    """A parameter's values by date."""

    def __init__(self, spec: Parameter):
        self.spec = spec
        self._days = [v.since for v in spec.values]

    def on(self, day: dt.date) -> int | None:
        at = bisect.bisect_right(self._days, day)
        return self.spec.values[at - 1].value if at else None

    @property
    def field(self) -> FieldSpec:
        return FieldSpec(parameter_field(self.spec.id), "int", "profile", "computed", (), ("as_of",))


@dataclass(frozen=True)
class Call:
    """One call of a recommendation: its name, dates and whether they are published or expected."""

    rule: str
    name: str
    year: int
    opens: dt.date | None
    closes: dt.date
    expected: bool  # True: dates extrapolated from past calls, not published
    page: str | None

    @property
    def reference(self) -> dt.date:
        """1 January of the call year (ERC's reference date for the age of the PhD)."""
        return dt.date(self.year, 1, 1)


def _month_day(year: int, text: str) -> dt.date:
    month, day = map(int, text.split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return dt.date(year, month, 28)


class Calls:
    """A recommendation's calls: those published, and those its usual pattern gives for other years."""

    def __init__(self, spec: CallSeries):
        self.spec = spec
        self.next_on = functools.lru_cache(maxsize=1024)(self._next_on)

    def _call(self, year: int, opens: dt.date | None, closes: dt.date, expected: bool) -> Call:
        return Call(self.spec.rule, self.spec.name.replace("{year}", str(year)), year, opens, closes, expected,
                    self.spec.page)

    def around(self, day: dt.date) -> list[Call]:
        """Every call closing from the year before `day` to CALL_HORIZON years after, in closing order."""
        published = [self._call(p.year, p.opens, p.closes, False) for p in self.spec.published]
        found = [c for c in published if day.year - 1 <= c.closes.year <= day.year + 2]
        for window in self.spec.usual:
            last = window.last if window.last is not None else dt.date.max.year
            for year in range(max(window.first, day.year - 1), min(last, day.year + 2) + 1):
                if year in window.skip:
                    continue
                closes = _month_day(year, window.closes)
                opens = None if window.opens is None else _month_day(year, window.opens)
                if opens is not None and opens > closes:
                    opens = _month_day(year - 1, window.opens)
                if any(abs((c.closes - closes).days) < 60 for c in published):
                    continue  # this year's call is published: its own dates
                found.append(self._call(year + self.spec.year_offset, opens, closes, True))
        return sorted(found, key=lambda c: c.closes)

    def _next_on(self, day: dt.date) -> Call | None:
        """The first call whose deadline is not past on `day` (the one an application can still enter), if it
        closes within CALL_HORIZON_DAYS: a call further off belongs to another era, or is not yet known."""
        return next((c for c in self.around(day) if day <= c.closes <= day + CALL_HORIZON), None)

    def phd_age(self, call: Call, phd_year: int) -> int:
        reckoning = self.spec.counts_phd
        return (call.year if reckoning.to == "call_year_start" else call.closes.year) - phd_year

    @property
    def field(self) -> FieldSpec | None:
        reckoning = self.spec.counts_phd
        return None if reckoning is None else FieldSpec(reckoning.field, "int", "profile", "computed", (),
                                                        ("phd_year", "as_of"))


class Table:
    """A dated country table: which countries are listed on a date, and under what name."""

    def __init__(self, spec: CountryTable):
        self.spec = spec
        self.on = functools.lru_cache(maxsize=1024)(self._on)

    def _on(self, day: dt.date) -> dict[str, str]:
        return {e.country: e.name for e in self.spec.entries
                if (e.since is None or e.since <= day) and (e.until is None or day < e.until)}

    @property
    def fields(self) -> list[FieldSpec]:
        depends = (COLLAB + "partner_country", "as_of")
        return [FieldSpec(COLLAB + self.spec.id, "bool", "collaboration", "computed", (True, False), depends),
                FieldSpec(COLLAB + self.spec.id + "_name", "text", "collaboration", "computed", (), depends)]


@dataclass
class DatedFacts:
    """The rulebase's parameters, calls and tables, and the computed fields they give on a date."""

    parameters: dict[str, DatedParameter]
    calls: dict[str, Calls]  # by rule id
    tables: dict[str, Table]

    @classmethod
    def none(cls) -> DatedFacts:
        return cls({}, {}, {})

    def fields(self) -> dict[str, FieldSpec]:
        specs = [p.field for p in self.parameters.values()]
        specs += [c.field for c in self.calls.values() if c.field is not None]
        specs += [f for t in self.tables.values() for f in t.fields]
        return {spec.name: spec for spec in specs}

    def next_call(self, rule_id: str, day: dt.date) -> Call | None:
        calls = self.calls.get(rule_id)
        return None if calls is None else calls.next_on(day)

    def add_profile_values(self, values: dict[str, Any], as_of: dt.date) -> None:
        """The computed values of a profile on the date of the advice (`values` holds its answers)."""
        for parameter in self.parameters.values():
            value = parameter.on(as_of)
            if value is not None:
                values[parameter.field.name] = value
        phd_year = values.get("phd_year")
        if phd_year is None:
            return
        for calls in self.calls.values():
            if calls.spec.counts_phd is not None:
                call = calls.next_on(as_of)
                if call is not None:
                    values[calls.spec.counts_phd.field] = calls.phd_age(call, phd_year)

    def add_partnership_values(self, values: dict[str, Any], as_of: dt.date) -> None:
        """The computed values of one partnership (`values` holds the profile's and the partnership's)."""
        country = values.get(COLLAB + "partner_country")
        if country is None:
            return
        for table in self.tables.values():
            listed = table.on(as_of)
            key = COLLAB + table.spec.id
            values[key] = country in listed
            if country in listed:
                values[key + "_name"] = listed[country]
