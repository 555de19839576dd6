"""The shape of rulebase files, as pydantic models (also their JSON Schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.contract.catalogue import KeyFacts, Source
from advisor.contract.profile import Goal

RuleId = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class RulebaseInfo(_Strict):
    """`rulebase.yaml`: what this rulebase is and when its facts were last checked."""

    name: str
    version: str
    last_verified: dt.date = Field(description="advice for a later date gets a warning")
    description: str | None = None
    glossary: dict[str, str] = Field(default_factory=dict,
                                     description="each acronym or term of the rules' texts, explained for readers "
                                                 "(reports list those they use)")


class Era(_Strict):
    """The name an instrument had until a date (a programme renamed keeps its rule and id)."""

    until: dt.date = Field(description="first day this name no longer applies")
    title: str
    summary: str | None = Field(None, description="one line: what it was then (absent: the rule's summary)")


class RuleFile(_Strict):
    """One recommendation: an instrument, a route or a programme."""

    id: RuleId = Field(pattern=r"^[a-z]+\.[a-z0-9_]+$", description="the contract id, e.g. cnrs.irp")
    title: str
    summary: str = Field(description="one line: what it is")
    kind: Literal["cnrs_label", "route", "programme"]
    scope: Literal["profile", "collaboration"] = Field(
        "profile", description="collaboration: evaluated once per foreign partnership")
    valid_from: dt.date | None = Field(None, description="first day it exists (absent: always existed)")
    valid_until: dt.date | None = Field(None, description="first day it no longer exists (absent: still offered)")
    successor: RuleId | None = Field(None, description="what replaced it, when valid_until is set")
    replaces: list[RuleId] = Field(default_factory=list)
    eras: list[Era] = Field(default_factory=list, description="its earlier names, oldest first; advice uses the "
                            "name of its date")
    path_step: int = Field(ge=0, le=99, description="its rung on the ladder: lower comes earlier")
    eligibility: dict[str, Any] | None = Field(None, description="hard gates; absent means open to everyone")
    serves_goals: list[Goal] = Field(min_length=1, description="the goals it serves (its fit)")
    reasons: list[str] = Field(default_factory=list, description="why it fits; {field} placeholders allowed")
    checklist: list[str] = Field(default_factory=list, description="what the profile cannot express: 'confirm that ...'")
    next_steps: list[str] = Field(min_length=1)
    key_facts: KeyFacts = Field(default_factory=KeyFacts)
    sources: list[Source] = Field(min_length=1)
    page: str | None = Field(None, pattern=r"^https?://\S+$",
                             description="the official page a person acts on (to apply, or read the rules); the "
                                         "next call's page comes first where there is one")


class DerivedCase(_Strict):
    value: bool | str
    when: dict[str, Any] | None = Field(None, description="absent on the last case: otherwise")


class DerivedFact(_Strict):
    """A fact derived from answers by rules (first matching case wins)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    scope: Literal["profile", "collaboration"]
    type: Literal["bool", "enum"]
    values: list[str] = Field(default_factory=list, description="for enum facts: every value")
    labels: dict[str, str] = Field(default_factory=dict,
                                   description="for enum facts: each value in the words the advice shows")
    description: str
    cases: list[DerivedCase] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)


    @model_validator(mode="after")
    def _labels_name_values(self) -> "DerivedFact":
        unknown = sorted(set(self.labels) - set(self.values))
        if unknown:
            raise ValueError(f"labels name values the fact does not have: {', '.join(unknown)} "
                             f"(its values: {', '.join(self.values) or 'none'})")
        return self


class FactsFile(_Strict):
    derived: list[DerivedFact]


_COUNTRY = r"^[A-Z]{2}$"
_MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


class DatedValue(_Strict):
    """A parameter's value from a date on (until the next dated value)."""

    since: dt.date
    value: int
    source: int = Field(0, ge=0, description="which of the parameter's sources gives it (its index)")


class Parameter(_Strict):
    """A number that changes over time (a window, a limit), referred to by name from conditions."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str = Field(description="what the number is, in plain words")
    values: list[DatedValue] = Field(min_length=1, description="in date order; before the first, it is unknown")
    sources: list[Source] = Field(min_length=1)


class ParametersFile(_Strict):
    parameters: list[Parameter]


class UsualWindow(_Strict):
    """The yearly pattern of a call (month-day of opening and closing), for the years it held."""

    opens: str | None = Field(None, pattern=_MONTH_DAY, description="month-day; after `closes`: the year before")
    closes: str = Field(pattern=_MONTH_DAY)
    first: int = Field(ge=1900, le=2199, description="first deadline year")
    last: int | None = Field(None, ge=1900, le=2199, description="last deadline year (absent: still running)")
    skip: list[int] = Field(default_factory=list, description="deadline years without a call")

    @field_validator("opens", "closes")
    @classmethod
    def _a_day_of_the_year(cls, text: str | None) -> str | None:
        if text is not None:
            dt.date(2000, *map(int, text.split("-")))  # a leap year: 02-29 is a day, 04-31 is not
        return text


class PublishedCall(_Strict):
    """A call whose dates were published."""

    year: int = Field(ge=1900, le=2199, description="the call year, as in its name")
    opens: dt.date | None = None
    closes: dt.date
    source: int = Field(0, ge=0, description="which of the series' sources gives its dates (its index)")


class PhdReckoning(_Strict):
    """How a call counts the age of the PhD: a field the rule's conditions read."""

    field: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="the computed field's name")
    to: Literal["call_year_start", "deadline"] = Field(
        description="call_year_start: call year minus PhD year (ERC, 1 January of the call year); "
                    "deadline: year of the deadline minus PhD year (MSCA)")


class CallSeries(_Strict):
    """The calls of one recommendation: those published, and the usual pattern for the others."""

    rule: RuleId
    name: str = Field(description="a call's name, {year} standing for its call year")
    year_offset: int = Field(0, ge=-1, le=1, description="call year = year of the deadline + this")
    page: str | None = Field(None, description="the official page of the call")
    counts_phd: PhdReckoning | None = None
    usual: list[UsualWindow] = Field(default_factory=list)
    published: list[PublishedCall] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)


class CallsFile(_Strict):
    calls: list[CallSeries]


class TableEntry(_Strict):
    """A country listed from one date to another."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    country: str = Field(pattern=_COUNTRY, description="ISO 3166-1 alpha-2 code")
    name: str = Field(description="the programme, partner or office, in words")
    since: dt.date | None = Field(None, alias="from", description="first day listed (absent: as far as known)")
    until: dt.date | None = Field(None, description="first day no longer listed (absent: still listed)")
    source: int = Field(0, ge=0)


class CountryTable(_Strict):
    """Countries where something exists (a programme, a partner), dated: rules read it per partnership."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    description: str
    sources: list[Source] = Field(min_length=1)
    entries: list[TableEntry]


class TablesFile(_Strict):
    tables: list[CountryTable]
