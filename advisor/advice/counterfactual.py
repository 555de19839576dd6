"""The smallest change of answers that would make a `not_eligible` verdict eligible.

Only answers a person can act on are changed (holding a permanent position,
joining a CNRS unit, a partnership's progress, waiting for a later date),
never their past (PhD year, nationality). A change must touch every failed
condition, which keeps the search to a handful of evaluations.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from advisor.contract.fields import ACTIONABLE
from advisor.contract.result import Change, Counterfactual
from advisor.engines.python import derive
from advisor.engines.subjects import add_computed
from advisor.rulebase.conditions import Leaf, leaves
from advisor.rulebase.loader import Rule, Rulebase
from advisor.rulebase.logic import Truth


def recompute(rulebase: Rulebase, inputs: dict[str, Any], derived: set[str]) -> dict[str, Any]:
    """Computed values and the `derived` facts for a set of input answers."""
    computed = {name for name, spec in rulebase.fields.items() if spec.origin == "computed"}
    values = {name: value for name, value in inputs.items() if name not in computed}
    add_computed(rulebase, values)
    for scope in ("profile", "collaboration"):
        values.update(derive(rulebase, scope, values, derived))
    return values


def _thresholds(rulebase: Rulebase, rule: Rule) -> dict[str, set[int]]:
    """The numbers worth trying per field: each threshold the rule or a derived fact compares with, and its
    neighbours."""
    cached = rule.__dict__.get("_thresholds")
    if cached is not None:
        return cached
    conditions = [rule.eligibility] + [c for fact in rulebase.derived.values() for _, c in fact.cases]
    numbers: dict[str, set[int]] = {}
    for leaf in (leaf for c in conditions for leaf in leaves(c)):
        if leaf.op == "between":
            numbers.setdefault(leaf.field, set()).update(v for v in leaf.value if isinstance(v, int))
        elif isinstance(leaf.value, int) and not isinstance(leaf.value, bool):
            numbers.setdefault(leaf.field, set()).update({leaf.value - 1, leaf.value, leaf.value + 1})
    rule.__dict__["_thresholds"] = numbers
    return numbers


def _values_for(rulebase: Rulebase, name: str, current: Any, numbers: dict[str, set[int]]) -> list[Any]:
    spec = rulebase.fields[name]
    if name == "as_of":
        return [dt.date(current.year + k, 1, 1) for k in range(1, 13)]
    if spec.type == "bool":
        return [v for v in (True, False) if v != current]
    if spec.type == "enum":
        return [v for v in spec.values if v != current]
    if spec.type == "int":
        lowest = spec.minimum if spec.minimum is not None else 0
        near = (lambda v: abs(v - current)) if current is not None else (lambda v: v)
        return sorted((v for v in numbers.get(name, ()) if v >= lowest and v != current), key=near)
    return []


def find(rulebase: Rulebase, rule: Rule, inputs: dict[str, Any], failed: list[Leaf]) -> Counterfactual | None:
    """The first single change, else pair of changes, that makes the rule eligible."""
    needs = [rulebase.input_dependencies(leaf.field) & ACTIONABLE for leaf in failed]
    if not failed or not all(needs):
        return None
    fields = sorted(set().union(*needs), key=lambda f: (f == "as_of", f))
    numbers = _thresholds(rulebase, rule)
    candidates = [(name, value) for name in fields for value in _values_for(rulebase, name, inputs.get(name), numbers)]
    derived = {leaf.field for leaf in leaves(rule.eligibility) if leaf.field in rulebase.derived}

    def covers(changes) -> bool:
        touched = {name for name, _ in changes}
        return all(need & touched for need in needs)

    singles = ((c,) for c in candidates)
    pairs = (p for p in itertools.combinations(candidates, 2) if p[0][0] != p[1][0])
    for changes in itertools.chain(singles, pairs):
        if not covers(changes):
            continue
        changed = {**inputs, **dict(changes)}
        if rulebase.offered(rule, changed["as_of"]) and \
                rule.eligibility_test(recompute(rulebase, changed, derived)) is Truth.TRUE:
            return _describe(changes)
    return None


def _describe(changes: tuple[tuple[str, Any], ...]) -> Counterfactual:
    return Counterfactual(changes=[Change(field=name, value=value.isoformat() if isinstance(value, dt.date) else value)
                                   for name, value in changes])
