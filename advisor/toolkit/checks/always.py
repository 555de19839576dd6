"""Comparisons that say nothing: an empty `all: []`, a number beyond what its field can take."""

from __future__ import annotations

from typing import Any, Iterator

from advisor.errors import Problem
from advisor.rulebase.conditions import Condition, Param, leaves
from advisor.toolkit.checks.catalog import Context, check, rule_problem
from advisor.toolkit.checks.satisfiable import bounds


def _empty_alls(raw: Any, at: tuple = ()) -> Iterator[tuple]:
    """The place of every `all: []` in a condition as written."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key == "all" and value == []:
                yield at + (key,)
            else:
                yield from _empty_alls(value, at + (key,))
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            yield from _empty_alls(item, at + (i,))


@check("R304", "empty-all", "warning", "an empty `all: []` always holds: a condition left unwritten")
def empty_all(context: Context):
    message, fix = "an empty `all: []` always holds", "write its conditions, or remove it"
    for rule in context.sound_rules():
        for at in _empty_alls(rule.spec.eligibility, ("eligibility",)):
            yield rule_problem(rule, at, message, fix)
    if context.facts is not None:
        for fact in context.rulebase.derived.values():
            for j, case in enumerate(fact.spec.cases):
                for at in _empty_alls(case.when, ("cases", j, "when")):
                    yield context.fact_problem(fact.id, at, message, fix)


def _conditions(context: Context) -> Iterator[tuple[str, Condition]]:
    """(file, condition) for each sound rule's eligibility and, when facts.yaml loaded, each derived case."""
    for rule in context.sound_rules():
        yield rule.path, rule.eligibility
    if context.facts is not None:
        for fact in context.rulebase.derived.values():
            for _, condition in fact.cases:
                yield context.facts.path, condition


@check("R305", "out-of-bounds", "warning",
       "a comparison with a number no answer can reach (below or above what its field takes): it always or never holds")
def out_of_bounds(context: Context):
    seen = set()
    for path, condition in _conditions(context):
        for leaf in leaves(condition):
            spec = context.rulebase.fields.get(leaf.field)
            if spec is None or spec.type != "int" or (path, leaf.line) in seen:
                continue
            low, high = bounds(leaf.field)
            numbers = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
            beyond = [n for n in numbers if isinstance(n, int) and not isinstance(n, (bool, Param))
                      and ((low is not None and n < low) or (high is not None and n > high))]
            if beyond:
                seen.add((path, leaf.line))
                span = f"at least {low}" if high is None else f"at most {high}" if low is None else \
                    f"from {low} to {high}"
                yield Problem(path, f"{leaf.field} is {span} in every profile: {beyond[0]} is beyond that, so "
                              f"'{leaf.formula()}' says the same for everyone", leaf.line, None, leaf.field,
                              f"write a number {span} (a typo?)")
