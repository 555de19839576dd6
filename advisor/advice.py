"""From the engine's decisions to explained advice for every recommendation id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import counterfactual
from .engines.base import Decision, Engine, SubjectOutcome
from .explain import Explainer, missing_from, passed_reasons, render
from .fields import LABELS
from .logic import Truth
from .profile import Profile
from .result import (VERDICT_ORDER, Advice, Assessment, CollaborationAdvice, FailedCondition, ProfileRef, Result,
                     RulebaseRef)
from .rulebase.conditions import format_value
from .rulebase.loader import Rule, Rulebase
from .subjects import UNKNOWN_COLLABORATIONS, subjects_of


def verdict_of(decision: Decision) -> str:
    if decision.eligible is Truth.FALSE:
        return "not_eligible"
    if decision.eligible is Truth.UNKNOWN or decision.fit is Truth.UNKNOWN:
        return "undecided"
    return "recommended" if decision.fit is Truth.TRUE else "possible"


def _goal_label(goal: str) -> str:
    return goal.replace("_", " ")


@dataclass
class Advisor:
    """Evaluates profiles against one rulebase with one engine.

    `counterfactuals=False` skips the search for what would change a `not_eligible` verdict
    (its `counterfactual` is then null).
    """

    rulebase: Rulebase
    engine: Engine
    counterfactuals: bool = True

    def __post_init__(self) -> None:
        self._static = {rule_id: dict(
            id=rule.spec.id, title=rule.spec.title, kind=rule.spec.kind, summary=rule.spec.summary,
            successor=rule.spec.successor, valid_from=rule.spec.valid_from, valid_until=rule.spec.valid_until,
            next_steps=rule.spec.next_steps, checklist=rule.spec.checklist, key_facts=rule.spec.key_facts,
            sources=rule.spec.sources, collaborations=None) for rule_id, rule in self.rulebase.rules.items()}
        self._explainer = Explainer(self.rulebase)

    def evaluate(self, profile: Profile, source: str | None = None, today: dt.date | None = None) -> Result:
        as_of = profile.as_of or today or dt.date.today()
        outcomes = self.engine.evaluate(subjects_of(profile, as_of))
        by_scope: dict[str, list[SubjectOutcome]] = {"profile": [], "collaboration": []}
        for outcome in outcomes:
            by_scope[outcome.subject.scope].append(outcome)
        traces: dict[str, list[list[str]]] = {}
        for n, outcome in enumerate(outcomes):
            for fired in outcome.trace:
                traces.setdefault(fired.rpartition(":")[0], [[] for _ in outcomes])[n].append(fired)
        results = [self._advise(rule, by_scope[rule.spec.scope], as_of, traces.get(rule.id))
                   for rule in self.rulebase.rules.values()]
        results.sort(key=lambda a: (VERDICT_ORDER.index(a.verdict), -len(a.goals_served),
                                    self.rulebase.rules[a.id].spec.path_step, a.id))
        path = [a.id for a in sorted(results, key=lambda a: self.rulebase.rules[a.id].spec.path_step)
                if a.verdict == "recommended"]
        return Result(profile=ProfileRef(name=profile.name, source=source), as_of=as_of,
                      rulebase=RulebaseRef(name=self.rulebase.info.name, version=self.rulebase.version),
                      engine=self.engine.name, warnings=self._warnings(as_of), results=results, path=path)

    def _warnings(self, as_of: dt.date) -> list[str]:
        verified = self.rulebase.info.last_verified
        if as_of > verified:
            return [f"advice is for {as_of.isoformat()}, but the rules were last verified on {verified.isoformat()}: "
                    "check current calls and deadlines before applying"]
        return []

    def _advise(self, rule: Rule, outcomes: list[SubjectOutcome], as_of: dt.date,
                traces: list[list[str]] | None) -> Advice:
        spec = rule.spec
        static = self._static[spec.id]
        if not rule.offered_on(as_of):
            return _built(Advice, static, verdict="not_offered", reasons=[self._not_offered_reason(rule, as_of)])
        if spec.scope == "collaboration" and not outcomes:
            none = _built(FailedCondition, {}, field="collaborations", says="a foreign partnership exists", actual=[],
                          required="at least one partnership", because=[])
            return _built(Advice, static, verdict="not_eligible", failed_conditions=[none],
                          reasons=["It is given per partnership, and no foreign partnership is declared yet."])
        assessments = [self._assess(rule, outcome) for outcome in outcomes]
        best = min(assessments, key=lambda a: VERDICT_ORDER.index(a.verdict))
        trace = [t for own in traces or () for t in own]
        collaborations = None
        if spec.scope == "collaboration":
            collaborations = [
                _built(CollaborationAdvice, a.__dict__,
                       index=None if o.subject.index == UNKNOWN_COLLABORATIONS else o.subject.index,
                       partner_country=o.subject.values.get("collaboration.partner_country"))
                for o, a in zip(outcomes, assessments)]
        chosen = outcomes[assessments.index(best)]
        values = chosen.values
        return _built(Advice, {**static, **best.__dict__}, trace=trace, collaborations=collaborations,
                      next_steps=[render(t, values) for t in spec.next_steps],
                      checklist=[render(t, values) for t in spec.checklist])

    def _not_offered_reason(self, rule: Rule, as_of: dt.date) -> str:
        spec = rule.spec
        if spec.valid_from and as_of < spec.valid_from:
            return f"{spec.title} is offered from {spec.valid_from.isoformat()}; the advice is for {as_of.isoformat()}."
        last_day = spec.valid_until - dt.timedelta(days=1)
        text = f"{spec.title} was offered until {last_day.isoformat()}."
        if spec.successor:
            successor = self.rulebase.rules[spec.successor].spec
            text += f" Its successor is {successor.title} ({successor.id})."
        return text

    def _assess(self, rule: Rule, outcome: SubjectOutcome) -> Assessment:
        values = outcome.values
        decision = outcome.decisions.get(rule.id, Decision())
        verdict = verdict_of(decision)
        goals = outcome.subject.values.get("goals") or []
        served = [g for g in rule.spec.serves_goals if g in goals]
        explanation = self._explainer.eligibility(rule, values)
        if verdict == "not_eligible":
            failed = self._explainer.failed_conditions(rule, values, explanation)
            found = None
            if self.counterfactuals:
                found = counterfactual.find(self.rulebase, rule, outcome.subject.values,
                                            [check.leaf for check in explanation.failed])
            return _built(
                Assessment, {}, verdict=verdict, goals_served=served, failed_conditions=failed, counterfactual=found,
                reasons=[f"Condition not met: {f.says} (yours: {_shown(f.actual)}; required: {f.required})."
                         for f in failed])
        if verdict == "undecided":
            missing = missing_from(self.rulebase, explanation, values,
                                   outcome.subject.index == UNKNOWN_COLLABORATIONS, decision.fit is Truth.UNKNOWN)
            reasons = ["Needs your answer on: " + ", ".join(LABELS.get(m, m) for m in missing) + "."]
            if decision.eligible is Truth.TRUE:
                reasons += passed_reasons(explanation)
            return _built(Assessment, {}, verdict=verdict, goals_served=served, missing=missing, reasons=reasons)
        reasons = [render(t, values) for t in rule.spec.reasons] + passed_reasons(explanation)
        if served:
            reasons.append("It serves your goal" + ("s" if len(served) > 1 else "") + ": "
                           + ", ".join(_goal_label(g) for g in served) + ".")
        else:
            reasons.append("You are eligible, though none of your stated goals calls for it.")
        return _built(Assessment, {}, verdict=verdict, goals_served=served, reasons=reasons)


_UNDECIDED = Decision()


def _built(model, base: dict, **values):
    """A result model from trusted values, without validation (the advice is built from checked data).

    This is what pydantic's `model_construct` does, minus its per-field bookkeeping, which cost
    more than the whole explanation; tests check that every result validates against its model.
    """
    template, lists = _DEFAULTS[model]
    fields = {**template, **dict.fromkeys(lists, None), **base, **values}
    for name in lists:
        if fields[name] is None:
            fields[name] = []
    built = model.__new__(model)
    object.__setattr__(built, "__dict__", fields)
    object.__setattr__(built, "__pydantic_fields_set__", set(fields))
    object.__setattr__(built, "__pydantic_extra__", None)
    object.__setattr__(built, "__pydantic_private__", None)
    return built


_DEFAULTS = {model: ({name: info.default for name, info in model.model_fields.items() if info.default_factory is None},
                     [name for name, info in model.model_fields.items() if info.default_factory is list])
             for model in (Advice, Assessment, CollaborationAdvice, FailedCondition)}


def _shown(value) -> str:
    return "none" if value in (None, []) else format_value(value)
