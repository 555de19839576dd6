"""Why a rule holds or not for one subject: the conditions that held, failed or lacked an answer."""

from __future__ import annotations

from typing import Any

from advisor.contract.fields import COLLAB
from advisor.rulebase.conditions import Leaf, leaves
from advisor.rulebase.loader import Derived, Rule, Rulebase
from advisor.rulebase.logic import Check, Explanation, Truth, explain, leaf_truth


def shown(value: Any) -> Any:
    """A value as the result contract shows it (booleans, numbers and text stay themselves; lists stay lists)."""
    if isinstance(value, (list, tuple)):
        return [shown(v) for v in value]
    return value if isinstance(value, (bool, int, str)) or value is None else str(value)


class Explainer:
    """Explanations of a rule's eligibility, and what they depend on.

    An explanation depends only on the values of the fields its conditions compare (its
    situation), so callers can remember it on them (see `advice.assess`).
    """

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        self._reads = {rule_id: tuple(sorted({name for leaf in leaves(rule.eligibility) for name in leaf.reads}))
                       for rule_id, rule in rulebase.rules.items()}
        self._derived_inputs = {fact_id: tuple(sorted({leaf.field for _, c in fact.cases for leaf in leaves(c)}))
                                for fact_id, fact in rulebase.derived.items()}

    def situation(self, rule: Rule, values: dict[str, Any], *more) -> tuple:
        """The values a rule's eligibility reads (hashable, see `subjects_of`), after the rule's id and what else
        the caller keys on (`more`): equal situations explain alike."""
        return (rule.id, *more, *map(values.get, self._reads[rule.id]))

    def inputs_of(self, field: str) -> tuple[str, ...]:
        """For a derived fact, the fields its cases compare (what `behind` reads); none for any other field."""
        return self._derived_inputs.get(field, ())

    @staticmethod
    def eligibility(rule: Rule, values: dict[str, Any]) -> Explanation:
        return explain(rule.eligibility, values)

    @staticmethod
    def behind(fact: Derived, leaf: Leaf, values: dict[str, Any]) -> list[Check]:
        """For a failed condition on a derived fact, the conditions of the fact's cases that would have given a
        value it needs, and fail: the answers that decided it (each condition once)."""
        found: dict[Leaf, Check] = {}
        for value, condition in fact.cases:
            if leaf_truth(leaf, {leaf.field: value}) is Truth.TRUE:
                for check in explain(condition, values).failed:
                    if check.leaf.field != leaf.field:
                        found.setdefault(check.leaf, check)
        return list(found.values())


def missing_from(rulebase: Rulebase, explanation: Explanation, values: dict[str, Any],
                 collaborations_unknown: bool, fit_unknown: bool) -> list[str]:
    """The answers that would settle an undecided verdict, as profile field names."""
    fields: list[str] = []
    for check in explanation.unknown:
        for name in sorted(rulebase.input_dependencies(check.leaf.field)):
            if values.get(name) is None:
                fields.append("collaborations" if collaborations_unknown and name.startswith(COLLAB) else name)
    if fit_unknown:
        fields.append("goals")
    return list(dict.fromkeys(fields))


def missing_answers(rulebase: Rulebase, rule: Rule, values: dict[str, Any], collaborations_unknown: bool,
                    fit_unknown: bool) -> list[str]:
    """The answers that would settle an undecided verdict of `rule` on these values."""
    return missing_from(rulebase, explain(rule.eligibility, values), values, collaborations_unknown, fit_unknown)
