"""Coverage of a rulebase by its test cases: what the cases made each rule and each condition do.

A rule is covered when the cases saw it apply (recommended or possible) and
not apply (not eligible or not offered); a rule with no gate and no dates
cannot fail to apply, so only the first counts for it. A condition (each
comparison in a rule's eligibility, its goal fit, and each derived fact's
cases) is covered when it was seen true and seen false, on a profile for
which the rule was on offer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.contract.result import Result
from advisor.engines.python import PythonEngine
from advisor.engines.subjects import subjects_of
from advisor.errors import display_path
from advisor.rulebase.conditions import TRUE, All, Leaf, leaves
from advisor.rulebase.loader import Rulebase
from advisor.rulebase.logic import Truth, leaf_truth

APPLIES = ("recommended", "possible")
DOES_NOT_APPLY = ("not_eligible", "not_offered")


@dataclass
class ConditionCoverage:
    owner: str  # a rule id, or "derived <fact id>"
    leaf: Leaf
    path: str
    line: int | None
    seen: set[bool] = field(default_factory=set)

    @property
    def missing(self) -> list[str]:
        return [word for value, word in ((True, "true"), (False, "false")) if value not in self.seen]


@dataclass
class RuleCoverage:
    rule_id: str
    can_fail: bool  # has a gate or validity dates, so it can be seen not applying
    applied: bool = False
    not_applied: bool = False
    conditions: list[ConditionCoverage] = field(default_factory=list)

    @property
    def outcomes(self) -> tuple[int, int]:
        """(seen, wanted) outcomes of the rule itself."""
        return self.applied + (self.not_applied and self.can_fail), 1 + self.can_fail

    @property
    def missing(self) -> list[str]:
        gaps = [] if self.applied else ["applies"]
        return gaps + (["does not apply"] if self.can_fail and not self.not_applied else [])


@dataclass
class Coverage:
    rules: dict[str, RuleCoverage]
    derived: list[ConditionCoverage]

    def conditions(self) -> list[ConditionCoverage]:
        return [c for r in self.rules.values() for c in r.conditions] + self.derived

    def rule_figures(self) -> tuple[int, int]:
        seen, wanted = zip(*(r.outcomes for r in self.rules.values())) if self.rules else ((), ())
        return sum(seen), sum(wanted)

    def condition_figures(self) -> tuple[int, int]:
        conditions = self.conditions()
        return sum(len(c.seen) for c in conditions), 2 * len(conditions)

    @staticmethod
    def percent(figures: tuple[int, int]) -> float:
        seen, wanted = figures
        return 100.0 if wanted == 0 else 100.0 * seen / wanted


class CoverageRecorder:
    """Watches each case's profile and result, and records what the rules and conditions did."""

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        self.engine = PythonEngine(rulebase)
        self.coverage = Coverage({}, [])
        for rule in rulebase.rules.values():
            can_fail = rule.eligibility != TRUE or bool(rule.spec.valid_from or rule.spec.valid_until)
            entry = RuleCoverage(rule.id, can_fail)
            goals_line = rule.line_of.get(("serves_goals",), (None,))[0]
            entry.conditions = [ConditionCoverage(rule.id, leaf, rule.path, leaf.line) for leaf in leaves(rule.eligibility)]
            entry.conditions += [ConditionCoverage(rule.id, leaf, rule.path, goals_line) for leaf in leaves(rule.fit)]
            self.coverage.rules[rule.id] = entry
        facts_path = display_path(rulebase.directory / "facts.yaml")
        self._derived: dict[str, list[list[ConditionCoverage]]] = {}
        for fact in rulebase.derived.values():
            per_case = [[ConditionCoverage(f"derived {fact.id}", leaf, facts_path, leaf.line) for leaf in leaves(_when(cond))]
                        for _, cond in fact.cases]
            self._derived[fact.id] = per_case
            self.coverage.derived += [c for case in per_case for c in case]

    def record(self, profile, result: Result) -> None:
        for advice in result.results:
            entry = self.coverage.rules.get(advice.id)
            if entry is not None:
                entry.applied |= advice.verdict in APPLIES
                entry.not_applied |= advice.verdict in DOES_NOT_APPLY
        for outcome in self.engine.evaluate(subjects_of(profile, result.as_of, self.rulebase)):
            values = {**outcome.subject.values, **outcome.derived}
            for rule in self.rulebase.rules.values():
                if rule.spec.scope == outcome.subject.scope and self.rulebase.offered(rule, result.as_of):
                    _see(self.coverage.rules[rule.id].conditions, values)
            for fact in self.rulebase.derived.values():
                if fact.spec.scope == outcome.subject.scope:
                    for case in self._derived[fact.id]:
                        _see(case, values)


def _when(condition: All):
    """A derived case's own `when` (its effective condition also rules out the earlier cases)."""
    return condition.items[-1]


def _see(conditions: list[ConditionCoverage], values: dict) -> None:
    for item in conditions:
        truth = leaf_truth(item.leaf, values)
        if truth is not Truth.UNKNOWN:
            item.seen.add(truth is Truth.TRUE)
