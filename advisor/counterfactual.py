"""The smallest change of answers that would make a `not_eligible` verdict eligible."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from .engines.python import derive
from .fields import ACTIONABLE, years_since_phd
from .logic import Truth, truth_of
from .rulebase.conditions import format_value, leaves
from .rulebase.loader import Rule, Rulebase
from .result import Change, Counterfactual

MAX_PAIRS = 400


def recompute(rulebase: Rulebase, inputs: dict[str, Any]) -> dict[str, Any]:
    """Computed and derived values for a set of input answers."""
    values = dict(inputs)
    since = years_since_phd(values.get("phd_year"), values["as_of"])
    values.pop("years_since_phd", None)
    if since is not None:
        values["years_since_phd"] = since
    for scope in ("profile", "collaboration"):
        values.update(derive(rulebase, scope, values))
    return values


def _candidates(rulebase: Rulebase, rule: Rule, inputs: dict[str, Any]) -> list[tuple[str, Any]]:
    """Plausible new answers for the actionable fields behind the rule's conditions."""
    conditions = [rule.eligibility] + [c for fact in rulebase.derived.values() for _, c in fact.cases]
    numbers: dict[str, set[int]] = {}
    for leaf in (leaf for c in conditions for leaf in leaves(c)):
        if isinstance(leaf.value, int) and not isinstance(leaf.value, bool):
            numbers.setdefault(leaf.field, set()).update({leaf.value - 1, leaf.value, leaf.value + 1})
        elif leaf.op == "between":
            numbers.setdefault(leaf.field, set()).update(leaf.value)
    fields = sorted({dep for leaf in leaves(rule.eligibility) for dep in rulebase.input_dependencies(leaf.field)}
                    & ACTIONABLE, key=lambda f: (f == "as_of", f))
    result: list[tuple[str, Any]] = []
    for name in fields:
        spec = rulebase.fields[name]
        current = inputs.get(name)
        if name == "as_of":
            result += [("as_of", dt.date(current.year + k, 1, 1)) for k in range(1, 13)]
        elif spec.type == "bool":
            result += [(name, v) for v in (True, False) if v != current]
        elif spec.type == "enum":
            result += [(name, v) for v in spec.values if v != current]
        elif spec.type == "int":
            result += [(name, v) for v in sorted(numbers.get(name, ())) if v >= 0 and v != current]
    return result


def find(rulebase: Rulebase, rule: Rule, inputs: dict[str, Any]) -> Counterfactual | None:
    """Try every single change, then pairs; the first that makes the rule eligible wins."""
    candidates = _candidates(rulebase, rule, inputs)
    singles = ((c,) for c in candidates)
    pairs = itertools.islice((p for p in itertools.combinations(candidates, 2) if p[0][0] != p[1][0]), MAX_PAIRS)
    for changes in itertools.chain(singles, pairs):
        changed = dict(inputs)
        changed.update(changes)
        if not rule.offered_on(changed["as_of"]):
            continue
        if truth_of(rule.eligibility, recompute(rulebase, changed)) is Truth.TRUE:
            return _describe(rulebase, changes)
    return None


def _describe(rulebase: Rulebase, changes: tuple[tuple[str, Any], ...]) -> Counterfactual:
    items = [Change(field=name, value=value if not isinstance(value, dt.date) else value.isoformat(),
                    label=rulebase.fields[name].label) for name, value in changes]
    parts = []
    for name, value in changes:
        if name == "as_of":
            parts.append(f"from {value.isoformat()} on")
        else:
            parts.append(f"with {rulebase.fields[name].label}: {format_value(value)}")
    return Counterfactual(changes=items, text="Eligible " + " and ".join(parts) + ".")
