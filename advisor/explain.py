"""Why a rule holds or not for one subject: reasons, failed conditions, missing answers."""

from __future__ import annotations

import re
from typing import Any

from .fields import COLLAB
from .logic import Truth, explain
from .rulebase.conditions import Leaf, format_value
from .rulebase.loader import Rule, Rulebase
from .result import FailedCondition

PLACEHOLDER = re.compile(r"\{([a-z_.]+)\}")


def render(template: str, values: dict[str, Any]) -> str:
    """Fill `{field}` placeholders from the profile; unknown answers read as 'unknown'."""
    def fill(match: re.Match) -> str:
        value = values.get(match.group(1))
        return "unknown" if value is None else format_value(value)
    return PLACEHOLDER.sub(fill, template)


def shown(value: Any) -> Any:
    """A value as the result contract shows it (booleans and numbers stay themselves)."""
    if isinstance(value, (list, tuple)):
        return [shown(v) for v in value]
    return value if isinstance(value, (bool, int, str)) or value is None else str(value)


def _because(rulebase: Rulebase, leaf: Leaf, values: dict[str, Any]) -> list[str]:
    """For a failed condition on a derived fact, the answers that decided it."""
    fact = rulebase.derived.get(leaf.field)
    if fact is None:
        return []
    reasons: list[str] = []
    for value, condition in fact.cases:
        wanted = Leaf(leaf.field, leaf.op, leaf.value)
        if _holds(wanted, value):
            result = explain(condition, values)
            reasons += [f"{c.leaf.describe()} (you: {format_value(c.actual)})" for c in result.failed
                        if c.leaf.field != leaf.field]
    return list(dict.fromkeys(reasons))


def _holds(leaf: Leaf, value: Any) -> bool:
    from .logic import leaf_truth  # noqa: PLC0415

    return leaf_truth(leaf, {leaf.field: value}) is Truth.TRUE


def failed_conditions(rulebase: Rulebase, rule: Rule, values: dict[str, Any]) -> list[FailedCondition]:
    result = explain(rule.eligibility, values)
    return [FailedCondition(field=c.leaf.field, says=c.leaf.describe(), actual=shown(c.actual),
                            required=c.leaf.required(), because=_because(rulebase, c.leaf, values))
            for c in result.failed]


def passed_reasons(rule: Rule, values: dict[str, Any]) -> list[str]:
    result = explain(rule.eligibility, values)
    return [c.leaf.describe()[:1].upper() + c.leaf.describe()[1:] for c in result.passed]


def missing_answers(rulebase: Rulebase, rule: Rule, values: dict[str, Any], collaborations_unknown: bool,
                    fit_unknown: bool) -> list[str]:
    """The answers that would settle an undecided verdict, as profile field names."""
    result = explain(rule.eligibility, values)
    fields: list[str] = []
    for check in result.unknown:
        for name in sorted(rulebase.input_dependencies(check.leaf.field)):
            if values.get(name) is None:
                fields.append("collaborations" if collaborations_unknown and name.startswith(COLLAB) else name)
    if fit_unknown:
        fields.append("goals")
    return list(dict.fromkeys(fields))
