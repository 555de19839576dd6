"""Conditions that can never hold, rules that can never be eligible, derived cases that never apply."""

from __future__ import annotations

from advisor.errors import Problem, display_path
from advisor.rulebase.conditions import Condition, Leaf, leaves
from advisor.toolkit.checks.catalog import Context, check, rule_problem
from advisor.toolkit.checks.satisfiable import Search


def _leaf_text(leaf: Leaf, search: Search, facts_path: str) -> str:
    text = leaf.formula()
    fact = search.origin.get(leaf)
    return f"{text} ({facts_path}:{leaf.line}, how {fact} is derived)" if fact else f"{text} (line {leaf.line})"


def _why(search: Search, context: Context) -> str:
    """The contradictions met, in words (at most three)."""
    facts_path = display_path(context.rulebase.directory / "facts.yaml")
    if not search.conflicts:
        return "it is an empty `any:`"
    parts = ["; ".join(_leaf_text(leaf, search, facts_path) for leaf in group) for group in search.conflicts[:3]]
    more = f" (and {len(search.conflicts) - 3} more)" if len(search.conflicts) > 3 else ""
    return "these cannot all be true: " + " / or: ".join(parts) + more


def _dead_parts(search: Search, cond: Condition) -> list[tuple[Condition, str]]:
    """The topmost parts of a satisfiable condition that can never hold themselves, with the reason."""
    found = []
    for item in () if isinstance(cond, Leaf) else cond.items:
        if not search.holds_sometimes(item):
            found.append((item, search.conflicts))
        else:
            found += _dead_parts(search, item)
    return found


def _first_line(cond: Condition) -> int | None:
    return next((leaf.line for leaf in leaves(cond)), None)


@check("R301", "never-eligible", "error", "no answers can ever make a rule eligible: it never applies")
def never_eligible(context: Context):
    search = Search(context.rulebase)
    for rule in context.sound_rules():
        if not search.holds_sometimes(rule.eligibility):
            yield rule_problem(rule, ("eligibility",), f"{rule.id} can never be eligible: {_why(search, context)}",
                               "remove or correct the contradicting conditions")


@check("R302", "never-holds", "warning", "part of a condition can never hold (a dead alternative)")
def never_holds(context: Context):
    search = Search(context.rulebase)
    for rule in context.sound_rules():
        if not search.holds_sometimes(rule.eligibility):
            continue  # reported as never-eligible
        for part, conflicts in _dead_parts(search, rule.eligibility):
            search.conflicts = conflicts
            line = _first_line(part) or rule.line_of.get(("eligibility",), (None,))[0]
            yield Problem(rule.path, f"this condition can never hold: {_why(search, context)}", line, None,
                          "eligibility", "remove it or correct it")


@check("R303", "dead-case", "warning", "a derived fact's case never applies (bad `when`, or earlier cases cover it)")
def dead_case(context: Context):
    if context.facts is None:
        return
    search = Search(context.rulebase)
    for fact in context.rulebase.derived.values():
        for j, (value, effective) in enumerate(fact.cases):
            if search.holds_sometimes(effective):
                continue
            if not search.holds_sometimes(effective.items[-1]):
                why = _why(search, context)
            else:
                why = "the cases before it already match every profile it matches"
            yield context.fact_problem(fact.id, ("cases", j), f"the case giving {value!r} never applies: {why}",
                                       "reorder the cases or correct the condition")
