"""The result contract, version 1 (what `advisor evaluate --format json` printed until December 2026).

Kept so that results stored then can still be read (`advisor.contract.reading.read_result`); the
advisor writes version 2 (`advisor.contract.result`). Each entry held its texts in full: a v1
`Advice` has the keys of a v2 `ExplainedRuleResult` but `held_conditions` and `shown`, with
`because` as sentences and no condition numbers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.contract.catalogue import KeyFacts, Source
from advisor.contract.result import Verdict


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FailedCondition(_Model):
    field: str = Field(description="the field (or derived fact) the condition reads")
    says: str = Field(description="the condition in plain language")
    actual: Any = Field(description="the profile's value")
    required: str = Field(description="what the condition needs")
    because: list[str] = Field(default_factory=list, description="for a derived fact: the answers behind it")


class Change(_Model):
    field: str
    value: Any
    label: str


class Counterfactual(_Model):
    changes: list[Change] = Field(description="the smallest change of answers that makes it eligible")
    text: str


class Assessment(_Model):
    """A verdict with its explanation (for a whole profile or one partnership)."""

    verdict: Verdict
    reasons: list[str] = Field(default_factory=list)
    failed_conditions: list[FailedCondition] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list, description="answers still needed (verdict undecided)")
    counterfactual: Counterfactual | None = None
    goals_served: list[str] = Field(default_factory=list)


class CollaborationAdvice(Assessment):
    index: int | None = Field(description="position in the profile's collaborations; null when they are unknown")
    partner_country: str | None = None


class Advice(Assessment):
    id: str
    title: str
    kind: str
    summary: str
    successor: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    next_steps: list[str] = Field(default_factory=list)
    checklist: list[str] = Field(default_factory=list)
    key_facts: KeyFacts
    sources: list[Source]
    collaborations: list[CollaborationAdvice] | None = Field(
        None, description="per-partnership detail for instruments given per partnership")
    trace: list[str] = Field(default_factory=list, description="the engine's rules fired for this id")


class ProfileRef(_Model):
    name: str | None = None
    source: str | None = Field(None, description="file (and position in it) the profile came from")


class RulebaseRef(_Model):
    name: str
    version: str


class Result(_Model):
    schema_version: Literal[1]
    profile: ProfileRef
    as_of: dt.date
    rulebase: RulebaseRef
    engine: str
    warnings: list[str] = Field(default_factory=list)
    results: list[Advice]
    path: list[str] = Field(default_factory=list,
                            description="the ladder: recommended ids in the order to climb them (bottom-up first)")
