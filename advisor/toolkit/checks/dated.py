"""Parameters, calls and country tables: what the loader cannot see from one file."""

from __future__ import annotations

from advisor.errors import Problem
from advisor.rulebase.conditions import leaves, parameters_of
from advisor.toolkit.checks.catalog import Context, check


def _read_parameters(context: Context) -> set[str]:
    conditions = [rule.eligibility for rule in context.rulebase.rules.values()]
    conditions += [condition for fact in context.rulebase.derived.values() for _, condition in fact.cases]
    return {p.name for condition in conditions for leaf in leaves(condition) for p in parameters_of(leaf.value)}


@check("R411", "unused-parameter", "warning", "a parameter that no condition reads")
def unused_parameter(context: Context):
    used = _read_parameters(context)
    dated = context.rulebase.dated
    for name, parameter in dated.parameters.items():
        if name not in used:
            path, line, column = dated.place("parameters.yaml", parameter.spec, "id")
            yield Problem(path, f"the parameter '{name}' is read by no condition", line, column, name,
                          "use it in a condition (write its name where the number goes), or remove it")


@check("R412", "call-outside-era", "warning", "a published call closes outside the dates its rule is offered")
def call_outside_era(context: Context):
    dated = context.rulebase.dated
    for rule_id, calls in dated.calls.items():
        rule = context.rulebase.rules.get(rule_id)
        if rule is None:
            continue
        start, end = rule.spec.valid_from, rule.spec.valid_until
        for spec in calls.specs:
            for j, call in enumerate(spec.published):
                if (start and call.closes < start) or (end and call.closes >= end):
                    path, line, column = dated.place("calls.yaml", spec, "published", j)
                    yield Problem(path, f"{spec.name.replace('{year}', str(call.year))} closes on {call.closes}, "
                                  f"outside the dates {rule_id} is offered (from {start or 'always'} until "
                                  f"{end or 'now'})", line, column, rule_id,
                                  "correct the call's dates, or the rule's valid_from / valid_until")


@check("R413", "usual-after-last", "error", "a call pattern whose first year is after its last")
def usual_after_last(context: Context):
    dated = context.rulebase.dated
    for rule_id, calls in dated.calls.items():
        for spec in calls.specs:
            for j, window in enumerate(spec.usual):
                if window.last is not None and window.last < window.first:
                    path, line, column = dated.place("calls.yaml", spec, "usual", j, "last")
                    yield Problem(path, f"a pattern of {rule_id} runs from {window.first} to {window.last}",
                                  line, column, rule_id, "swap first and last, or correct one")


@check("R414", "table-dates", "error", "a country table entry ends no later than it starts: it is never listed")
def table_dates(context: Context):
    dated = context.rulebase.dated
    for table_id, table in dated.tables.items():
        for j, entry in enumerate(table.spec.entries):
            if entry.since and entry.until and entry.until <= entry.since:
                path, line, column = dated.place("countries.yaml", table.spec, "entries", j)
                yield Problem(path, f"{entry.name} ({entry.country}) in {table_id} is listed from {entry.since} "
                              f"until {entry.until}: never", line, column, table_id,
                              "until is the first day no longer listed: correct one of the dates")
