"""The shape of rulebase files, as pydantic models (also their JSON Schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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
    path_step: int = Field(ge=0, le=99, description="its rung on the ladder: lower comes earlier")
    eligibility: dict[str, Any] | None = Field(None, description="hard gates; absent means open to everyone")
    serves_goals: list[Goal] = Field(min_length=1, description="the goals it serves (its fit)")
    reasons: list[str] = Field(default_factory=list, description="why it fits; {field} placeholders allowed")
    checklist: list[str] = Field(default_factory=list, description="what the profile cannot express: 'confirm that ...'")
    next_steps: list[str] = Field(min_length=1)
    key_facts: KeyFacts = Field(default_factory=KeyFacts)
    sources: list[Source] = Field(min_length=1)


class DerivedCase(_Strict):
    value: bool | str
    when: dict[str, Any] | None = Field(None, description="absent on the last case: otherwise")


class DerivedFact(_Strict):
    """A fact derived from answers by rules (first matching case wins)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    scope: Literal["profile", "collaboration"]
    type: Literal["bool", "enum"]
    values: list[str] = Field(default_factory=list, description="for enum facts: every value")
    description: str
    cases: list[DerivedCase] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)


class FactsFile(_Strict):
    derived: list[DerivedFact]
