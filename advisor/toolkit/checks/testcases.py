"""Rule test cases that test less than they seem: repeated cases, cases whose advice depends on the day they run."""

from __future__ import annotations

import json

from advisor.errors import Problem
from advisor.toolkit.checks.catalog import Context, check


@check("R703", "duplicate-case", "warning", "a test case repeats another (its name, or its profile and expectations)")
def duplicate_case(context: Context):
    cases, _ = context.cases
    names: dict[tuple[str, str], int | None] = {}
    contents: dict[str, tuple[str, str, int | None]] = {}
    for case in cases:
        earlier = names.setdefault((case.path, case.name), case.line)
        if earlier != case.line:
            yield Problem(case.path, f"the case name '{case.name}' is also used on line {earlier}", case.line, None,
                          "name", "give each case its own name: reports tell cases apart by it")
            continue
        content = json.dumps([case.profile.data, case.expect], sort_keys=True, default=str)
        path, name, line = contents.setdefault(content, (case.path, case.name, case.line))
        if (path, line) != (case.path, case.line):
            place = f"line {line}" if path == case.path else f"{path}:{line}"
            yield Problem(case.path, f"case '{case.name}' repeats case '{name}' ({place}): the same profile and "
                          "expectations", case.line, None, None, "remove it, or change what it tests")


@check("R704", "case-without-date", "warning", "a test case's profile has no as_of: its advice changes with the day")
def case_without_date(context: Context):
    cases, _ = context.cases
    for case in cases:
        if isinstance(case.profile.data, dict) and case.profile.data.get("as_of") is None:
            yield Problem(case.path, f"case '{case.name}' has no as_of: its advice is for the day the tests run, "
                          "and changes as rules expire and calls close", case.line, None, "profile.as_of",
                          "add as_of: YYYY-MM-DD to its profile, the date the expected advice holds")
