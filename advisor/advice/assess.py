"""One rule's verdict on one subject, and what decided it, as the result contract's models.

An assessment depends only on a few values (its situation): the engine's decision, the values its
conditions compare, the answers behind its derived facts, whether its missing answers are given,
the goals it serves and the values its texts show. Assessments are remembered on exactly those,
so profiles in the same situation share them (frozen models, never changed once made), and a
batch explains each situation once. The counterfactual, which depends on every answer a person
could change, is searched afresh each time it is asked for.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from advisor.advice import counterfactual
from advisor.advice.explain import Explainer, missing_from, shown
from advisor.advice.memo import Memo
from advisor.contract.result import (
    VERDICT_ORDER,
    Check,
    FailedCondition,
    PartnershipResult,
    RuleResult,
)
from advisor.engines.base import Decision, SubjectOutcome
from advisor.engines.subjects import UNKNOWN_COLLABORATIONS
from advisor.rulebase.loader import PLACEHOLDER, Rule, Rulebase
from advisor.rulebase.logic import Explanation, Truth

UNDECIDED = Decision()
NO_PARTNERSHIP = FailedCondition(condition=None, field="collaborations", actual=[], required="at least one partnership")


def verdict_of(decision: Decision) -> str:
    if decision.eligible is Truth.FALSE:
        return "not_eligible"
    if decision.eligible is Truth.UNKNOWN or decision.fit is Truth.UNKNOWN:
        return "undecided"
    return "recommended" if decision.fit is Truth.TRUE else "possible"


class Plan(NamedTuple):
    """What a rule's situation settles: the verdict, and the explanation of its eligibility."""

    verdict: str
    explanation: Explanation
    failed: tuple[int | None, ...]  # the numbers of the failed conditions


class Assessor:
    """Assessments of every rule of one rulebase, remembered on what each depends on (`memory` of each kind)."""

    def __init__(self, rulebase: Rulebase, counterfactuals: bool = True, memory: int = 8192):
        self.rulebase = rulebase
        self.counterfactuals = counterfactuals
        self.explainer = Explainer(rulebase)
        self._shows = {rule_id: placeholders(rule) for rule_id, rule in rulebase.rules.items()}
        self._reads = {rule_id: self._depends_on(rule) for rule_id, rule in rulebase.rules.items()}
        self._serves = {rule_id: rule.spec.serves_goals for rule_id, rule in rulebase.rules.items()}
        self._plans, self._assessed, self._results = Memo(memory), Memo(memory), Memo(memory)

    def _depends_on(self, rule: Rule) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The values an assessment reads (its explanation's and its texts'), and the answers whose presence
        alone matters to it (the missing answers of an undecided verdict)."""
        explained = self.explainer.reads(rule)
        values = {*explained, *self._shows[rule.id]}
        presence = {name for field in explained for name in self.rulebase.input_dependencies(field)}
        return tuple(sorted(values)), tuple(sorted(presence - values))

    # -- verdicts alone -------------------------------------------------------------------------------------------
    def plan(self, rule: Rule, outcome: SubjectOutcome) -> Plan:
        """The verdict on one subject and the explanation behind it, remembered on the values it compares."""
        values = outcome.values
        decision = outcome.decisions.get(rule.id, UNDECIDED)
        situation = self.explainer.situation(rule, values, decision.eligible, decision.fit)
        found = self._plans.get(situation)
        if found is None:
            explanation = self.explainer.eligibility(rule, values)
            verdict = verdict_of(decision)
            failed = tuple(rule.conditions[c.leaf] for c in explanation.failed) if verdict == "not_eligible" else ()
            found = self._plans.keep(situation, Plan(verdict, explanation, failed))
        return found

    def served(self, rule: Rule, profile: SubjectOutcome) -> tuple[str, ...]:
        """The profile's goals that the rule serves, in the rule's order."""
        goals = profile.values.get("goals") or ()
        return tuple(goal for goal in self._serves[rule.id] if goal in goals)

    # -- whole assessments ------------------------------------------------------------------------------------------
    def assess(self, rule: Rule, outcome: SubjectOutcome, served: tuple[str, ...]) -> tuple[tuple | None, dict[str, Any]]:
        """The assessment of one subject (the fields of an `Assessment`), and the key it is remembered on (None
        with a counterfactual, which depends on every answer)."""
        values = outcome.values
        decision = outcome.decisions.get(rule.id, UNDECIDED)
        unknown_partnerships = outcome.subject.index == UNKNOWN_COLLABORATIONS
        reads, presence = self._reads[rule.id]
        key = (rule.id, decision.eligible, decision.fit, unknown_partnerships, served, *map(values.get, reads),
               *map(values.__contains__, presence))
        found = self._assessed.get(key)
        if found is None:
            found = self._assessed.keep(key, self._assessment(rule, outcome, served, unknown_partnerships))
        if self.counterfactuals and found["verdict"] == "not_eligible":
            change = counterfactual.find(self.rulebase, rule, outcome.subject.values,
                                         [c.leaf for c in self.plan(rule, outcome).explanation.failed])
            if change is not None:
                return None, {**found, "counterfactual": change}
        return key, found

    def _assessment(self, rule: Rule, outcome: SubjectOutcome, served: tuple[str, ...],
                    unknown_partnerships: bool) -> dict[str, Any]:
        values = outcome.values
        plan = self.plan(rule, outcome)
        explanation = plan.explanation
        fields: dict[str, Any] = {"verdict": plan.verdict, "goals_served": list(served),
                                  "shown": {name: shown(values[name]) for name in self._shows[rule.id]
                                            if values.get(name) is not None}}
        if plan.verdict == "not_eligible":
            fields["failed_conditions"] = [self._failed(rule, check.leaf, check.actual, values)
                                           for check in explanation.failed]
        elif plan.verdict == "undecided":
            decision = outcome.decisions.get(rule.id, UNDECIDED)
            fields["missing"] = missing_from(self.rulebase, explanation, values, unknown_partnerships,
                                             decision.fit is Truth.UNKNOWN)
            if decision.eligible is Truth.TRUE:
                fields["held_conditions"] = [rule.conditions[c.leaf] for c in explanation.passed]
        else:
            fields["held_conditions"] = [rule.conditions[c.leaf] for c in explanation.passed]
        return fields

    def _failed(self, rule: Rule, leaf, actual: Any, values: dict[str, Any]) -> FailedCondition:
        fact = self.rulebase.derived.get(leaf.field)
        because = [] if fact is None else [Check(condition=fact.conditions[c.leaf], actual=shown(c.actual))
                                           for c in self.explainer.behind(fact, leaf, values)]
        return FailedCondition(condition=rule.conditions[leaf], field=leaf.field, actual=shown(actual),
                               required=leaf.required(), because=because)

    # -- one recommendation's result --------------------------------------------------------------------------------
    def result(self, rule: Rule, outcomes: list[SubjectOutcome], profile: SubjectOutcome,
               trace: tuple[str, ...]) -> RuleResult:
        """An offered rule's result for a profile: on the profile, or on each partnership (the best speaks)."""
        served = self.served(rule, profile)
        if rule.spec.scope == "profile":
            key, fields = self.assess(rule, profile, served)
            return self._remembered(key and (key, trace), lambda: RuleResult(id=rule.id, trace=list(trace), **fields))
        if not outcomes:  # none declared
            shows = {name: shown(profile.values[name]) for name in self._shows[rule.id]
                     if profile.values.get(name) is not None}
            return self._remembered((rule.id, "none", trace, *shows.items()), lambda: RuleResult(
                id=rule.id, verdict="not_eligible", failed_conditions=[NO_PARTNERSHIP], collaborations=[],
                shown=shows, trace=list(trace)))
        assessed = [self.assess(rule, outcome, served) for outcome in outcomes]
        keys = tuple((key, o.subject.index, o.subject.values.get("collaboration.partner_country"))
                     for (key, _), o in zip(assessed, outcomes))

        def made() -> RuleResult:
            partnerships = [PartnershipResult(index=None if o.subject.index == UNKNOWN_COLLABORATIONS
                                              else o.subject.index, partner_country=country, **fields)
                            for (_, fields), o, (_, _, country) in zip(assessed, outcomes, keys)]
            best = min(range(len(assessed)), key=lambda i: RANK[assessed[i][1]["verdict"]])
            return RuleResult(id=rule.id, trace=list(trace), collaborations=partnerships, **assessed[best][1])
        return self._remembered(None if any(k is None for k, _, _ in keys) else (keys, trace), made)

    def not_offered(self, rule: Rule, profile: SubjectOutcome) -> RuleResult:
        shows = tuple((name, shown(profile.values[name])) for name in self._shows[rule.id]
                      if profile.values.get(name) is not None)
        return self._remembered((rule.id, "not_offered", shows), lambda: RuleResult(
            id=rule.id, verdict="not_offered", shown=dict(shows)))

    def _remembered(self, key: tuple | None, make: Callable[[], RuleResult]) -> RuleResult:
        """The result remembered on `key`, else made (and remembered unless the key is None)."""
        if key is None:
            return make()
        found = self._results.get(key)
        return found if found is not None else self._results.keep(key, make())


RANK = {verdict: rank for rank, verdict in enumerate(VERDICT_ORDER)}


def placeholders(rule: Rule) -> tuple[str, ...]:
    """The fields a rule's texts show (their `{field}` placeholders)."""
    texts = [*rule.spec.reasons, *rule.spec.next_steps, *rule.spec.checklist]
    return tuple(sorted({name for text in texts for name in PLACEHOLDER.findall(text)}))
