"""Why a rule holds or not for one subject: reasons, failed conditions, missing answers."""

from __future__ import annotations

import re
from typing import Any

from advisor.contract.fields import COLLAB, LABELS
from advisor.rulebase.conditions import Leaf, format_value, leaves
from advisor.rulebase.loader import Rule, Rulebase
from advisor.rulebase.logic import Explanation, Truth, explain, leaf_truth

PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")


def render(template: str, values: dict[str, Any]) -> str:
    """Fill `{field}` placeholders from the profile; an unknown answer shows as its label in brackets."""
    def fill(match: re.Match) -> str:
        value = values.get(match.group(1))
        return f"[{LABELS.get(match.group(1), match.group(1))}]" if value is None else format_value(value)
    return PLACEHOLDER.sub(fill, template)


def shown(value: Any) -> Any:
    """A value as the result contract shows it (booleans and numbers stay themselves)."""
    if isinstance(value, (list, tuple)):
        return [shown(v) for v in value]
    return value if isinstance(value, (bool, int, str)) or value is None else str(value)


class Explainer:
    """Explanations of a rule's eligibility, and what they depend on.

    An explanation depends only on the values of the fields its conditions compare (its
    situation), so callers can remember it on them (see `Advisor`).
    """

    def __init__(self, rulebase: Rulebase):
        self.rulebase = rulebase
        self._reads = {rule_id: tuple(sorted({leaf.field for leaf in leaves(rule.eligibility)}))
                       for rule_id, rule in rulebase.rules.items()}
        self._derived_inputs = {fact_id: tuple(sorted({leaf.field for _, c in fact.cases for leaf in leaves(c)}))
                                for fact_id, fact in rulebase.derived.items()}

    def situation(self, rule: Rule, values: dict[str, Any], *more) -> tuple:
        """The values a rule's eligibility reads (hashable, see `subjects_of`), after the rule's id and what else
        the caller keys on (`more`): equal situations explain alike."""
        return (rule.id, *more, *map(values.get, self._reads[rule.id]))

    def reads(self, rule: Rule) -> tuple[str, ...]:
        """Every value an explanation of the rule reads: its conditions' fields and, for a derived fact among
        them, the fields its cases compare (what `because` shows)."""
        fields = self._reads[rule.id]
        return tuple(sorted({*fields, *(name for f in fields for name in self._derived_inputs.get(f, ()))}))

    @staticmethod
    def eligibility(rule: Rule, values: dict[str, Any]) -> Explanation:
        return explain(rule.eligibility, values)

    def because_fields(self, leaf: Leaf) -> tuple[str, ...]:
        """The fields `because` reads for a failed condition (those behind a derived fact; none otherwise)."""
        return self._derived_inputs.get(leaf.field, ())

    def because(self, leaf: Leaf, values: dict[str, Any]) -> list[str]:
        """For a failed condition on a derived fact, the answers that decided it."""
        fact = self.rulebase.derived.get(leaf.field)
        return [] if fact is None else self._answers_behind(fact, leaf, values)

    @staticmethod
    def _answers_behind(fact, leaf: Leaf, values: dict[str, Any]) -> list[str]:
        reasons: list[str] = []
        for value, condition in fact.cases:
            if leaf_truth(leaf, {leaf.field: value}) is Truth.TRUE:
                reasons += [f"{c.leaf.describe()} (yours: {format_value(c.actual)})"
                            for c in explain(condition, values).failed if c.leaf.field != leaf.field]
        return list(dict.fromkeys(reasons))


def passed_reasons(explanation: Explanation) -> list[str]:
    """The conditions that hold, as sentences."""
    return [c.leaf.describe()[:1].upper() + c.leaf.describe()[1:] for c in explanation.passed]


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
