"""One rule's verdict on a profile, and what decided it, as the result contract's models.

A rule's assessment depends only on a few values (its situation): the engine's decision, the
values its conditions compare, the answers behind its failed derived facts, whether its missing
answers are given, the goals it serves and the values its texts show. What each part of an
assessment needs is remembered on exactly what it depends on (the explanation on the situation, a
failed condition on its values, the missing answers on which are given), and whole results on
all of it: profiles in the same situation share one frozen result, and a batch explains each
situation once. The counterfactual, which depends on every answer a person could change, is
searched afresh each time it is asked for.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple, TypeVar

from advisor.advice import counterfactual
from advisor.advice.explain import Explainer, missing_from, shown
from advisor.advice.memo import Memo
from advisor.contract.result import (
    VERDICT_ORDER,
    Assessment,
    Check,
    FailedCondition,
    PartnershipResult,
    RuleResult,
)
from advisor.engines.base import Decision, SubjectOutcome
from advisor.engines.subjects import UNKNOWN_COLLABORATIONS
from advisor.rulebase.conditions import Leaf
from advisor.rulebase.loader import PLACEHOLDER, Rule, Rulebase
from advisor.rulebase.logic import Explanation, Truth

UNDECIDED = Decision()
NO_PARTNERSHIP = FailedCondition(condition=None, field="collaborations", actual=[], required="at least one partnership")
RANK = {verdict: rank for rank, verdict in enumerate(VERDICT_ORDER)}
T = TypeVar("T")


def best(assessed: list[T]) -> T:
    """The assessment that speaks for an instrument given per partnership: the first of the best verdict."""
    return min(assessed, key=lambda a: RANK[a.verdict])


def verdict_of(decision: Decision) -> str:
    if decision.eligible is Truth.FALSE:
        return "not_eligible"
    if decision.eligible is Truth.UNKNOWN or decision.fit is Truth.UNKNOWN:
        return "undecided"
    return "recommended" if decision.fit is Truth.TRUE else "possible"


class Plan(NamedTuple):
    """What a rule's situation (its decision, and the values its conditions compare) settles."""

    situation: tuple
    verdict: str
    explanation: Explanation
    failed: tuple[int | None, ...]  # not_eligible: the numbers of the failed conditions
    held: tuple[int, ...]  # eligible (or undecided on goals alone): the numbers of the conditions that hold
    reads: tuple[str, ...]  # not_eligible: the answers behind its failed derived facts; undecided: those it needs


class Assessor:
    """The results of every rule of one rulebase, remembered on what each depends on (`memory` of each kind)."""

    def __init__(self, rulebase: Rulebase, counterfactuals: bool = True, memory: int = 8192):
        self.rulebase = rulebase
        self.counterfactuals = counterfactuals
        self.explainer = Explainer(rulebase)
        self._shows = {rule_id: placeholders(rule) for rule_id, rule in rulebase.rules.items()}
        self._serves = {rule_id: rule.spec.serves_goals for rule_id, rule in rulebase.rules.items()}
        self._plans, self._results, self._partnerships = Memo(memory), Memo(memory), Memo(memory)
        self._parts, self._missing = Memo(memory), Memo(memory)

    # -- verdicts alone -------------------------------------------------------------------------------------------
    def plan(self, rule: Rule, outcome: SubjectOutcome) -> Plan:
        """The verdict on one subject and the explanation behind it, remembered on the values it compares."""
        values = outcome.values
        decision = outcome.decisions.get(rule.id, UNDECIDED)
        situation = self.explainer.situation(rule, values, decision.eligible, decision.fit)
        found = self._plans.get(situation)
        if found is None:
            found = self._plans.keep(situation, self._plan(rule, situation, decision, values))
        return found

    def _plan(self, rule: Rule, situation: tuple, decision: Decision, values: dict[str, Any]) -> Plan:
        explanation = self.explainer.eligibility(rule, values)
        verdict = verdict_of(decision)
        held = tuple(rule.conditions[c.leaf] for c in explanation.passed)
        if verdict == "not_eligible":
            failed = tuple(rule.conditions[c.leaf] for c in explanation.failed)
            behind = {name for c in explanation.failed for name in self.explainer.inputs_of(c.leaf.field)}
            return Plan(situation, verdict, explanation, failed, (), tuple(sorted(behind)))
        if verdict == "undecided":
            needed = {name for c in explanation.unknown for name in self.rulebase.input_dependencies(c.leaf.field)}
            return Plan(situation, verdict, explanation, (), held if decision.eligible is Truth.TRUE else (),
                        tuple(sorted(needed)))
        return Plan(situation, verdict, explanation, (), held, ())

    def served(self, rule: Rule, goals: frozenset[str]) -> tuple[str, ...]:
        """The profile's goals that the rule serves, in the rule's order."""
        return tuple(goal for goal in self._serves[rule.id] if goal in goals)

    # -- one recommendation's result ------------------------------------------------------------------------------
    def result(self, rule: Rule, outcomes: list[SubjectOutcome], profile: SubjectOutcome,
               goals: frozenset[str]) -> RuleResult:
        """An offered rule's result for a profile: on the profile, or on each partnership (the best speaks)."""
        served = self.served(rule, goals)
        if rule.spec.scope == "profile":
            plan = self.plan(rule, profile)
            key = self._key(rule, profile, plan, served)
            return self._remembered(key, lambda: RuleResult(id=rule.id,
                                                            **self._assessment(rule, profile, plan, served)))
        if not outcomes:  # none declared
            return self._remembered((rule.id, "none", *self._placeholder_values(rule, profile)), lambda: RuleResult(
                id=rule.id, verdict="not_eligible", failed_conditions=[NO_PARTNERSHIP], collaborations=[],
                shown=self._shown(rule, profile.values)))
        plans = [self.plan(rule, outcome) for outcome in outcomes]
        keys = tuple((self._key(rule, o, plan, served), o.subject.index, o.subject.values.get(_COUNTRY))
                     for o, plan in zip(outcomes, plans))

        def made() -> RuleResult:
            partnerships = [self._partnership(rule, o, plan, served, key)
                            for o, plan, key in zip(outcomes, plans, keys)]
            speaks = best(partnerships)
            return RuleResult(id=rule.id, collaborations=partnerships,
                              **{name: getattr(speaks, name) for name in Assessment.model_fields})
        return self._remembered(None if any(key is None for key, _, _ in keys) else keys, made)

    def _partnership(self, rule: Rule, outcome: SubjectOutcome, plan: Plan, served: tuple[str, ...],
                     key: tuple) -> PartnershipResult:
        """One partnership's assessment, remembered on what it depends on and the partnership's place."""
        def made() -> PartnershipResult:
            index, country = key[1], key[2]
            return PartnershipResult(index=None if index == UNKNOWN_COLLABORATIONS else index, partner_country=country,
                                     **self._assessment(rule, outcome, plan, served))
        return self._remembered(None if key[0] is None else key, made, self._partnerships)

    def not_offered(self, rule: Rule, profile: SubjectOutcome) -> RuleResult:
        return self._remembered((rule.id, "not_offered", *self._placeholder_values(rule, profile)), lambda: RuleResult(
            id=rule.id, verdict="not_offered", shown=self._shown(rule, profile.values)))

    # -- one subject's assessment -----------------------------------------------------------------------------------
    def _key(self, rule: Rule, outcome: SubjectOutcome, plan: Plan, served: tuple[str, ...]) -> tuple | None:
        """All an assessment depends on (None when it holds a counterfactual, which depends on every answer)."""
        if self.counterfactuals and plan.verdict == "not_eligible":
            return None
        values = outcome.values
        if plan.verdict == "undecided":
            depends = (outcome.subject.index == UNKNOWN_COLLABORATIONS, *(values.get(n) is None for n in plan.reads))
        else:
            depends = tuple(map(values.get, plan.reads))
        return (plan.situation, served, depends, *self._placeholder_values(rule, outcome))

    def _placeholder_values(self, rule: Rule, outcome: SubjectOutcome) -> tuple:
        """The values of the fields the rule's texts show, as a key (values are hashable: see `subjects_of`)."""
        return tuple(map(outcome.values.get, self._shows[rule.id]))

    def _assessment(self, rule: Rule, outcome: SubjectOutcome, plan: Plan, served: tuple[str, ...]) -> dict[str, Any]:
        """The fields of an `Assessment` of one subject."""
        values = outcome.values
        fields: dict[str, Any] = {"verdict": plan.verdict, "goals_served": list(served),
                                  "held_conditions": list(plan.held), "shown": self._shown(rule, values)}
        if plan.verdict == "not_eligible":
            failed = plan.explanation.failed
            fields["failed_conditions"] = [self._failed(rule, check.leaf, check.actual, values) for check in failed]
            if self.counterfactuals:
                fields["counterfactual"] = counterfactual.find(self.rulebase, rule, outcome.subject.values,
                                                               [check.leaf for check in failed])
        elif plan.verdict == "undecided":
            fields["missing"] = self._missing_answers(rule, plan, outcome)
        return fields

    def _shown(self, rule: Rule, values: dict[str, Any]) -> dict[str, Any]:
        """The values the rule's texts show (their placeholders), where known."""
        return {name: shown(values[name]) for name in self._shows[rule.id] if values.get(name) is not None}

    def _missing_answers(self, rule: Rule, plan: Plan, outcome: SubjectOutcome) -> list[str]:
        """The answers that would settle an undecided verdict, remembered on which of them are given."""
        values = outcome.values
        unknown_partnerships = outcome.subject.index == UNKNOWN_COLLABORATIONS
        key = (plan.situation, unknown_partnerships, *(values.get(name) is None for name in plan.reads))
        found = self._missing.get(key)
        if found is None:
            decision = outcome.decisions.get(rule.id, UNDECIDED)
            found = self._missing.keep(key, missing_from(self.rulebase, plan.explanation, values,
                                                         unknown_partnerships, decision.fit is Truth.UNKNOWN))
        return found

    def _failed(self, rule: Rule, leaf: Leaf, actual: Any, values: dict[str, Any]) -> FailedCondition:
        """A failed condition, remembered on the rule, the condition, the value it saw and the answers behind it
        when it reads a derived fact (rules failing alike on one fact share what is behind it)."""
        behind = tuple(map(values.get, self.explainer.inputs_of(leaf.field)))
        key = (rule.id, rule.conditions[leaf], actual, behind, *map(values.get, leaf.reads[1:]))
        found = self._parts.get(key)
        if found is None:
            found = self._parts.keep(key, FailedCondition(
                condition=rule.conditions[leaf], field=leaf.field, actual=shown(actual), required=leaf.required(values),
                because=self._because(leaf, values, behind)))
        return found

    def _because(self, leaf: Leaf, values: dict[str, Any], behind: tuple) -> list[Check]:
        fact = self.rulebase.derived.get(leaf.field)
        if fact is None:
            return []
        key = (leaf, behind)
        found = self._parts.get(key)
        if found is None:
            found = self._parts.keep(key, [Check(condition=fact.conditions[c.leaf], actual=shown(c.actual))
                                           for c in self.explainer.behind(fact, leaf, values)])
        return found

    def _remembered(self, key: tuple | None, make: Callable[[], Any], memo: Memo | None = None) -> Any:
        """The result (of a rule, or a partnership) remembered on `key`, else made, and remembered unless the key
        is None."""
        if key is None:
            return make()
        memo = self._results if memo is None else memo
        found = memo.get(key)
        return found if found is not None else memo.keep(key, make())


_COUNTRY = "collaboration.partner_country"


def placeholders(rule: Rule) -> tuple[str, ...]:
    """The fields a rule's texts show (their `{field}` placeholders)."""
    texts = [*rule.spec.reasons, *rule.spec.next_steps, *rule.spec.checklist]
    return tuple(sorted({name for text in texts for name in PLACEHOLDER.findall(text)}))
