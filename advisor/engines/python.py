"""The plain-Python evaluation of the compiled conditions (also the one that explains)."""

from __future__ import annotations

from typing import Any

from advisor.engines.base import SubjectOutcome
from advisor.engines.subjects import Subject
from advisor.rulebase.loader import Rulebase
from advisor.rulebase.logic import Truth


def derive(rulebase: Rulebase, scope: str, values: dict[str, Any], only: set[str] | None = None) -> dict[str, Any]:
    """The derived facts of one scope (or just those in `only`): the value of the first case that holds, if known."""
    derived: dict[str, Any] = {}
    for fact in rulebase.derived.values():
        if fact.spec.scope != scope or (only is not None and fact.id not in only):
            continue
        for value, test in fact.case_tests:
            if test(values) is Truth.TRUE:
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
                eligible = rule.eligibility_test(values)
                fit = rule.fit_test(values)
                if eligible is not Truth.UNKNOWN:
                    outcome.record(rule.id, "eligible" if eligible is Truth.TRUE else "ineligible")
                if fit is not Truth.UNKNOWN:
                    outcome.record(rule.id, "fit" if fit is Truth.TRUE else "unfit")
            outcomes.append(outcome)
        return outcomes
