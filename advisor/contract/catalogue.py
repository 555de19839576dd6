"""The fixed text of each recommendation (title, summary, key facts, sources...): the catalogue results refer to."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.contract.words import Words


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class Source(_Strict):
    """Where a rule's facts come from: the talk's slide or a public page."""

    title: str = Field(description="what the source is, e.g. 'the talk, slide: international instruments'")
    url: str | None = Field(None, description="a public URL, where there is one")
    status: Literal["confirmed", "confirmed_secondary", "unconfirmed", "talk"] = Field(
        description="the facts file's tag: confirmed [C], confirmed_secondary [C-sec], unconfirmed [U], or talk")


class KeyFacts(_Strict):
    duration: str | None = None
    funding: str | None = None
    calendar: str | None = None
    who_applies: str | None = None


class _Text(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RulebaseRef(_Text):
    name: str
    version: str = Field(description="the rulebase's version and a hash of its files")


class ConditionText(_Text):
    """One condition of a rule (or of a derived fact), as people read it."""

    field: str = Field(description="the field (or derived fact) it reads")
    says: str = Field(description="the condition in plain language")
    required: str = Field(description="what it needs, e.g. 'yes', 'at most 2', 'one of agency, ministry'")


class EraText(_Text):
    """An earlier name of a recommendation, until a date."""

    until: dt.date = Field(description="first day this name no longer applies")
    title: str
    summary: str | None = None


class RuleText(_Text):
    """Everything fixed about one recommendation; results refer to it by id."""

    id: str
    title: str
    kind: str = Field(description="cnrs_label, route or programme")
    summary: str
    scope: str = Field(description="profile, or collaboration: assessed once per foreign partnership")
    path_step: int = Field(description="its rung on the ladder: lower comes earlier")
    valid_from: dt.date | None = Field(None, description="first day it is offered (absent: always was)")
    valid_until: dt.date | None = Field(None, description="first day it is no longer offered (absent: still is)")
    successor: str | None = Field(None, description="the id of what replaced it")
    eras: list[EraText] = Field(default_factory=list, description="its earlier names, oldest first")
    serves_goals: list[str]
    reasons: list[str] = Field(default_factory=list, description="why it fits; {field} placeholders show the "
                               "profile's values (a result's `shown`)")
    next_steps: list[str] = Field(default_factory=list, description="what to do next; {field} placeholders too")
    checklist: list[str] = Field(default_factory=list, description="what to confirm that the profile cannot say")
    key_facts: KeyFacts
    sources: list[Source]
    page: str | None = Field(None, description="the official page a person acts on (to apply, or read the rules)")
    conditions: list[ConditionText] = Field(default_factory=list, description="its eligibility conditions, numbered "
                                            "from 0 in this order: results name them by number")


    def in_era(self, day: dt.date) -> bool:
        """Whether the day falls within its validity dates."""
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_until is None or day < self.valid_until)

    def era(self, day: dt.date) -> EraText | None:
        """The earlier name in use on that day, if any."""
        return next((era for era in self.eras if day < era.until), None)


class FactText(_Text):
    """A fact the rules derive from answers; `conditions` are numbered as results' `because` name them."""

    id: str
    description: str
    conditions: list[ConditionText] = Field(default_factory=list)


class Catalogue(_Text):
    """The fixed text of every rule of one rulebase version (`advisor rules docs --format json`)."""

    rulebase: RulebaseRef
    labels: dict[str, str] = Field(description="each field's name for people (missing answers, changes, placeholders)")
    values: dict[str, dict[str, str]] = Field(default_factory=dict,
                                              description="by field, each value's words for people (enum answers "
                                                          "and derived facts)")
    rules: dict[str, RuleText] = Field(description="by recommendation id, in the rulebase's order")
    facts: dict[str, FactText] = Field(default_factory=dict, description="the derived facts, by id")
    glossary: dict[str, str] = Field(default_factory=dict, description="acronyms and terms of the texts, explained")

    @cached_property
    def words(self) -> Words:
        """The words people read for the fields and values of this rulebase."""
        return Words(self.labels, self.values)
