"""Validity dates: inverted windows, successors that do not follow, labels that end with nowhere to go."""

from __future__ import annotations

from advisor.toolkit.checks.catalog import Context, check, rule_problem


@check("R401", "inverted-dates", "error", "valid_until is not after valid_from: the rule is never offered")
def inverted_dates(context: Context):
    for rule in context.rulebase.rules.values():
        start, end = rule.spec.valid_from, rule.spec.valid_until
        if start and end and end <= start:
            yield rule_problem(rule, ("valid_until",), f"valid_until {end} is not after valid_from {start}: "
                               "the rule is never offered", "valid_until is the first day it no longer exists; "
                               "swap the dates or correct one")


def _successions(context: Context):
    rules = context.rulebase.rules
    for rule in rules.values():
        successor = rules.get(rule.spec.successor) if rule.spec.successor else None
        if successor and rule.spec.valid_until and successor.id != rule.id:
            yield rule, successor


@check("R402", "successor-ends-first", "error", "a successor stops being offered no later than the rule it replaces")
def successor_ends_first(context: Context):
    for rule, successor in _successions(context):
        end = successor.spec.valid_until
        if end and end <= rule.spec.valid_until:
            yield rule_problem(rule, ("successor",), f"its successor {successor.id} ends on {end}, no later than "
                               f"{rule.id} itself ({rule.spec.valid_until})",
                               f"name the label that replaced {successor.id}, or correct the dates")


@check("R403", "successor-gap", "warning", "nothing is offered between a rule's end and its successor's start")
def successor_gap(context: Context):
    for rule, successor in _successions(context):
        start = successor.spec.valid_from
        if start and start > rule.spec.valid_until:
            yield rule_problem(rule, ("valid_until",), f"{rule.id} ends on {rule.spec.valid_until} but its successor "
                               f"{successor.id} starts only on {start}: neither is offered in between",
                               "check both dates in the sources")


@check("R404", "successor-overlap", "info", "a rule and its successor are both offered for a while")
def successor_overlap(context: Context):
    for rule, successor in _successions(context):
        start, end = successor.spec.valid_from, rule.spec.valid_until
        if start is None or start < end:
            starts = [d for d in (start, rule.spec.valid_from) if d]
            since = f"from {max(starts)} " if starts else ""
            yield rule_problem(rule, ("valid_until",), f"{rule.id} and its successor {successor.id} are both offered "
                               f"{since}until {end}", "fine for a transition period; otherwise align valid_until "
                               "with the successor's valid_from")


@check("R405", "expired-no-successor", "warning", "a rule ends and names no successor")
def expired_no_successor(context: Context):
    for rule in context.rulebase.rules.values():
        end = rule.spec.valid_until
        if end and not rule.spec.successor:
            tense = "ended" if end <= context.today else "ends"
            yield rule_problem(rule, ("valid_until",), f"{rule.id} {tense} on {end} and names no successor",
                               "add `successor: <id>` (what researchers should use instead), if there is one")


@check("R406", "successor-without-end", "warning", "a rule names a successor but has no end date")
def successor_without_end(context: Context):
    for rule in context.rulebase.rules.values():
        if rule.spec.successor and not rule.spec.valid_until:
            yield rule_problem(rule, ("successor",), f"names the successor {rule.spec.successor} but has no valid_until",
                               "add valid_until: the first day it no longer exists")


@check("R407", "successor-cycle", "error", "following successors leads back to the same rule")
def successor_cycle(context: Context):
    rules = context.rulebase.rules
    for rule in rules.values():
        seen, current = [rule.id], rules.get(rule.spec.successor or "")
        while current is not None and current.id not in seen:
            seen.append(current.id)
            current = rules.get(current.spec.successor or "")
        if current is not None and current.id == rule.id:
            yield rule_problem(rule, ("successor",), "successors go round in a circle: " + " -> ".join(seen + [rule.id]),
                               "a successor is the newer label; break the circle")
