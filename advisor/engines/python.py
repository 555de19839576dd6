"""The plain-Python evaluation of the compiled conditions (also the one that explains)."""

from __future__ import annotations

from typing import Any

from ..logic import Truth, truth_of
from ..rulebase.loader import Rulebase
from ..subjects import Subject
from .base import SubjectOutcome


def derive(rulebase: Rulebase, scope: str, values: dict[str, Any]) -> dict[str, Any]:
    """The derived facts of one scope: the value of the first case that holds, if known."""
    derived: dict[str, Any] = {}
    for fact in rulebase.derived.values():
        if fact.spec.scope != scope:
            continue
        for value, condition in fact.cases:
            truth = truth_of(condition, values)
            if truth is Truth.TRUE:
                derived[fact.id] = value
                break
    return derived


class PythonEngine:
    name = "python"

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        self.by_scope = {scope: [r for r in rulebase.rules.values() if r.spec.scope == scope]
                         for scope in ("profile", "collaboration")}

    def evaluate(self, subjects: list[Subject]) -> list[SubjectOutcome]:
        outcomes = []
        profile_derived = derive(self.rulebase, "profile", subjects[0].values)
        for subject in subjects:
            values = {**subject.values, **profile_derived}
            derived = dict(profile_derived)
            if subject.scope == "collaboration":
                own = derive(self.rulebase, "collaboration", values)
                values.update(own)
                derived.update(own)
            outcome = SubjectOutcome(subject, derived)
            outcome.trace += [f"derive:{k}={v}" for k, v in derived.items()]
            for rule in self.by_scope[subject.scope]:
                eligible = truth_of(rule.eligibility, values)
                fit = truth_of(rule.fit, values)
                if eligible is not Truth.UNKNOWN:
                    outcome.record(rule.id, "eligible" if eligible is Truth.TRUE else "ineligible")
                if fit is not Truth.UNKNOWN:
                    outcome.record(rule.id, "fit" if fit is Truth.TRUE else "unfit")
            outcomes.append(outcome)
        return outcomes
