"""Facts that change with the date of the advice: parameters, calls and country tables.

Each becomes a computed field that conditions read like an answer, worked out for the
date of the advice: a parameter's value in force (`parameters.NAME`), a call's reckoning of
the PhD's age (counted to the next call still open, not to the date of the advice), and
whether a partner's country is listed in a table (`collaboration.TABLE`, with its
`collaboration.TABLE_name`).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from advisor.contract.fields import COLLAB, FieldSpec
from advisor.io.documents import Document
from advisor.rulebase.conditions import PARAMETER
from advisor.rulebase.model import (
    CallSeries,
    CallsFile,
    CountryTable,
    Parameter,
    ParametersFile,
    TablesFile,
)


@dataclass(frozen=True)
class DatedFile:
    """One of the rulebase's files of dated facts: its model, its list of entries, and in each entry the list
    whose items name a source."""

    model: type
    key: str
    sourced: str


DATED_FILES = {"parameters.yaml": DatedFile(ParametersFile, "parameters", "values"),
               "calls.yaml": DatedFile(CallsFile, "calls", "published"),
               "countries.yaml": DatedFile(TablesFile, "tables", "entries")}
CALL_HORIZON = dt.timedelta(days=550)  # about 18 months: how far ahead the next call can be


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
        return FieldSpec(PARAMETER + self.spec.id, "int", "profile", "computed", (), ("as_of",),
                         title=self.spec.description)


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


def _month_day(year: int, text: str) -> dt.date:
    month, day = map(int, text.split("-"))
    if (month, day) == (2, 29) and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return dt.date(year, month, day)


class Calls:
    """A recommendation's calls, in one or more series (a programme renamed keeps its rule): those published,
    and those each series' usual pattern gives for other years."""

    def __init__(self, specs: list[CallSeries]):
        self.specs = specs
        self.reckoning = next((s.counts_phd for s in specs if s.counts_phd is not None), None)
        self._by_year = functools.lru_cache(maxsize=256)(self._around_year)
        starts = [w.first for s in specs for w in s.usual] + [p.closes.year for s in specs for p in s.published]
        self.first_year = min(starts, default=dt.date.max.year)

    @staticmethod
    def _call(spec: CallSeries, year: int, opens: dt.date | None, closes: dt.date, expected: bool) -> Call:
        return Call(spec.rule, spec.name.replace("{year}", str(year)), year, opens, closes, expected, spec.page)

    def around(self, day: dt.date) -> list[Call]:
        """Every call closing from the year before `day` to two years after, in closing order."""
        return self._by_year(day.year)

    def _around_year(self, year: int) -> list[Call]:
        day = dt.date(year, 1, 1)
        found = []
        for spec in self.specs:
            published = [self._call(spec, p.year, p.opens, p.closes, False) for p in spec.published]
            found += [c for c in published if day.year - 1 <= c.closes.year <= day.year + 2]
            for window in spec.usual:
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
                    found.append(self._call(spec, year + spec.year_offset, opens, closes, True))
        return sorted(found, key=lambda c: c.closes)

    def covers(self, day: dt.date) -> bool:
        """Whether the calls are recorded on that day (before the first one recorded, nothing is said of them)."""
        return day.year >= self.first_year

    def next_on(self, day: dt.date) -> Call | None:
        """The first call whose deadline is not past on `day` (the one an application can still enter), if it
        closes within CALL_HORIZON: a call further off belongs to another era, or is not yet known."""
        return next((c for c in self.around(day) if day <= c.closes <= day + CALL_HORIZON), None)

    def last_before(self, day: dt.date) -> Call | None:
        """The last call whose deadline passed before `day`, within the two years before."""
        return next((c for c in reversed(self.around(day - dt.timedelta(days=365))) if c.closes < day), None)

    def phd_age(self, call: Call | None, as_of: dt.date, phd_year: int) -> int:
        """The PhD's age as the call counts it (without a call ahead: as a call in the year of the advice would)."""
        if self.reckoning.to == "deadline":
            return (call.closes.year if call else as_of.year) - phd_year
        return (call.year if call else as_of.year + self.specs[0].year_offset) - phd_year

    @property
    def field(self) -> FieldSpec | None:
        if self.reckoning is None:
            return None
        counted = "1 January of the next call's year" if self.reckoning.to == "call_year_start" else \
            "the next call's deadline"
        return FieldSpec(self.reckoning.field, "int", "profile", "computed", (), ("phd_year", "as_of"),
                         title=f"years from your PhD to {counted}")


class Table:
    """A dated country table: which countries are listed on a date, and under what name."""

    def __init__(self, spec: CountryTable):
        self.spec = spec
        # The table changes only on its entries' dates: it is worked out once per period between them.
        self._changes = sorted({d for e in spec.entries for d in (e.since, e.until) if d is not None})
        self._periods: dict[int, dict[str, str]] = {}

    def on(self, day: dt.date) -> dict[str, str]:
        """The countries listed on that day, each with its name (or names, joined by 'or')."""
        period = bisect.bisect_right(self._changes, day)
        found = self._periods.get(period)
        if found is None:
            listed: dict[str, list[str]] = {}
            for e in self.spec.entries:
                if (e.since is None or e.since <= day) and (e.until is None or day < e.until):
                    listed.setdefault(e.country, []).append(e.name)
            found = self._periods[period] = {country: " or ".join(dict.fromkeys(names))
                                              for country, names in listed.items()}
        return found

    @property
    def fields(self) -> list[FieldSpec]:
        depends = (COLLAB + "partner_country", "as_of")
        title = self.spec.title
        return [FieldSpec(COLLAB + self.spec.id, "bool", "collaboration", "computed", (True, False), depends,
                          title=f"your partner's country listed in: {title}"),
                FieldSpec(COLLAB + self.spec.id + "_name", "text", "collaboration", "computed", (), depends,
                          title=f"programme for your partner's country ({title})")]


@dataclass
class DatedFacts:
    """The rulebase's parameters, calls and tables, and the computed fields they give on a date."""

    parameters: dict[str, DatedParameter]
    calls: dict[str, Calls]  # by rule id
    tables: dict[str, Table]
    documents: dict[str, Document] = field(default_factory=dict)  # the files read, by name, for places
    entries: dict[int, int] = field(default_factory=dict)  # a parameter, series or table (by id) -> its index

    def place(self, file: str, entry: Any, *at) -> tuple[str, int | None, int | None]:
        """Where in its file an entry (or a key path inside it) is: (path, line, column)."""
        doc = self.documents[file]
        line, column = doc.where((DATED_FILES[file].key, self.entries[id(entry)], *at))
        return doc.path, line, column

    @classmethod
    def none(cls) -> DatedFacts:
        return cls({}, {}, {})

    def fields(self) -> list[FieldSpec]:
        """The computed fields these facts give (a name may repeat: the loader reports it)."""
        specs = [p.field for p in self.parameters.values()]
        specs += [c.field for c in self.calls.values() if c.field is not None]
        return specs + [f for t in self.tables.values() for f in t.fields]

    def next_call(self, rule_id: str, day: dt.date) -> Call | None:
        calls = self.calls.get(rule_id)
        return None if calls is None else calls.next_on(day)

    def between_calls(self, rule_id: str, day: dt.date) -> bool:
        """Whether a rule with calls has none ahead on that day, within the years its calls are recorded."""
        calls = self.calls.get(rule_id)
        return calls is not None and calls.covers(day) and calls.next_on(day) is None

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
            if calls.reckoning is not None:
                values[calls.reckoning.field] = calls.phd_age(calls.next_on(as_of), as_of, phd_year)

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
