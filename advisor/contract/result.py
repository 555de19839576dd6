"""The result contract, version 2: what is particular to one profile's advice.

A `Result` holds, per recommendation, the verdict and what decided it: the conditions that held
or failed (with the actual and the required value), the answers still missing, the goals served,
the change that would make it eligible, each partnership's assessment, and the profile's values
that the rule's texts show. Everything fixed about a rule (its title, summary, key facts,
sources, next steps, the wording of each condition) is in the `Catalogue`, referred to by rule id,
condition number and rulebase version. `ExplainedResult` is both joined: the texts people read
(`--full` JSON, and what the renderers show).

Compact JSON (`dump_compact`) leaves out every key whose value is its default (an empty list,
null): the JSON Schema gives each default. `advisor schema result` prints that schema;
`docs/result.schema.json` holds a copy that a test keeps in step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.contract.catalogue import Catalogue, KeyFacts, RulebaseRef, Source

Verdict = Literal["recommended", "possible", "undecided", "not_eligible", "not_offered"]
VERDICT_ORDER: tuple[str, ...] = ("recommended", "possible", "undecided", "not_eligible", "not_offered")
RESULT_SCHEMA_VERSION = 2


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Check(_Model):
    """A condition and the value it saw."""

    condition: int = Field(description="the condition's number in the catalogue: among the rule's `conditions`, "
                           "or, inside `because`, among the derived fact's")
    actual: Any = Field(description="the profile's value")


class FailedCondition(_Model):
    """A condition that does not hold, with what it read and what it needs."""

    condition: int | None = Field(description="its number among the rule's conditions in the catalogue; null for "
                                  "the condition of every per-partnership instrument that a partnership exists")
    field: str = Field(description="the field (or derived fact) the condition reads")
    actual: Any = Field(description="the profile's value")
    required: str = Field(description="what the condition needs")
    because: list[Check] = Field(default_factory=list, description="for a derived fact: the conditions of the fact "
                                 "(numbered among the fact's conditions in the catalogue) that decided it")


class Change(_Model):
    field: str
    value: Any


class Counterfactual(_Model):
    changes: list[Change] = Field(description="the smallest change of answers that makes it eligible")


class Assessment(_Model):
    """A verdict and what decided it (for a whole profile, or one partnership)."""

    verdict: Verdict
    goals_served: list[str] = Field(default_factory=list, description="the profile's goals it serves")
    held_conditions: list[int] = Field(default_factory=list, description="the numbers of the rule's conditions that "
                                       "hold (recommended, possible; undecided when only goals are missing)")
    failed_conditions: list[FailedCondition] = Field(default_factory=list, description="not_eligible: what fails")
    missing: list[str] = Field(default_factory=list, description="undecided: the answers still needed (fields)")
    counterfactual: Counterfactual | None = Field(None, description="not_eligible: what would make it eligible, "
                                                  "where a change of answers can")
    shown: dict[str, Any] = Field(default_factory=dict, description="the profile's values that the rule's texts "
                                  "show (their {field} placeholders); an absent one is unknown")


class _Partnership(_Model):
    index: int | None = Field(description="position in the profile's collaborations; null when they are unknown")
    partner_country: str | None = None


class PartnershipResult(Assessment, _Partnership):
    """The assessment of one partnership, for an instrument given per partnership."""


class NextCall(_Model):
    """The next call an application can still enter, on the date of the advice."""

    name: str = Field(description="the call's name, e.g. ERC-2025-StG")
    opens: dt.date | None = Field(None, description="its opening date, where known")
    closes: dt.date = Field(description="its deadline")
    expected: bool = Field(False, description="true: dates expected from past calls, not yet published")
    page: str | None = Field(None, description="the official page of the call")


class _Recommendation(_Model):
    id: str = Field(description="the recommendation id, e.g. cnrs.irp")
    next_call: NextCall | None = Field(None, description="for an instrument with calls, offered on the date: the "
                                       "next call whose deadline is not past")


class RuleResult(Assessment, _Recommendation):
    """One recommendation's advice: for one given per partnership, the best partnership's assessment, and each."""

    collaborations: list[PartnershipResult] | None = Field(
        None, description="per-partnership detail, for instruments given per partnership")


class ProfileRef(_Model):
    name: str | None = None
    source: str | None = Field(None, description="file (and position in it) the profile came from")


class _Header(_Model):
    schema_version: Literal[2] = Field(description="version of the result contract")
    profile: ProfileRef
    as_of: dt.date
    rulebase: RulebaseRef
    engine: str
    warnings: list[str] = Field(default_factory=list)
    path: list[str] = Field(default_factory=list,
                            description="the ladder: recommended ids in the order to climb them (bottom-up first)")
    standing: str | None = Field(None, description="how far the most advanced partnership has gone (the "
                                 "rulebase's `collaboration_maturity`), where known: where the researcher stands on "
                                 "the ladder")
    trace: list[str] = Field(default_factory=list, description="what the engine fired, in order, for the profile "
                             "then each partnership: `id:aspect` (eligible, ineligible, fit, unfit) and "
                             "`derive:fact=value`; empty when the advisor was asked for no trace")


class Result(_Header):
    """One profile's advice: exactly one entry per recommendation id, best verdicts first."""

    results: list[RuleResult]
    catalogue: Catalogue | None = Field(None, description="the rules' fixed texts, embedded by single-profile outputs")

    def by_id(self) -> dict[str, RuleResult]:
        return {r.id: r for r in self.results}


# -- the explained form: the result joined with the catalogue's texts --------------------------------------------

class ExplainedCheck(Check):
    says: str = Field(description="the condition in plain language")


class ExplainedFailedCondition(FailedCondition):
    says: str = Field(description="the condition in plain language")
    because: list[ExplainedCheck] = Field(default_factory=list)


class ExplainedChange(Change):
    label: str


class ExplainedCounterfactual(Counterfactual):
    changes: list[ExplainedChange]
    text: str


class ExplainedAssessment(Assessment):
    reasons: list[str] = Field(default_factory=list, description="why, in plain language")
    failed_conditions: list[ExplainedFailedCondition] = Field(default_factory=list)
    counterfactual: ExplainedCounterfactual | None = None


class ExplainedPartnership(ExplainedAssessment, _Partnership):
    partner: str = Field(description="the partnership as the researcher knows it, e.g. 'your partner in Italy "
                                     "(partnership 1)'")


class ExplainedRuleResult(ExplainedAssessment, _Recommendation):
    next_call_says: str | None = Field(None, description="the next call in words, e.g. 'Next call: ERC-2025-StG, "
                                       "open 10 July to 15 October 2024'")
    title: str
    kind: str
    summary: str
    page: str | None = Field(None, description="the official page to act on: the next call's, else the "
                                               "instrument's")
    successor: str | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    next_steps: list[str] = Field(default_factory=list)
    checklist: list[str] = Field(default_factory=list)
    key_facts: KeyFacts
    sources: list[Source]
    collaborations: list[ExplainedPartnership] | None = None


class ExplainedResult(_Header):
    """A result with every text people read: the `--full` JSON, and what the renderers show."""

    results: list[ExplainedRuleResult]

    def by_id(self) -> dict[str, ExplainedRuleResult]:
        return {r.id: r for r in self.results}


def dump_compact(result: Result) -> str:
    """The result as compact JSON: no spaces, and no key whose value is its default."""
    return result.model_dump_json(exclude_defaults=True)
