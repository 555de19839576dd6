"""How the files hang together: names, successions both ways, test cases for every rule."""

from __future__ import annotations

from pathlib import Path

from advisor.errors import Problem, did_you_mean, display_path
from advisor.toolkit.checks.catalog import Context, check, rule_problem

READ_LIKE = {".yaml", ".yml", ".json"}  # names that look like rule or test files (.YAML, .yml...)


@check("R204", "file-name", "warning", "a rule file is not named after its id")
def file_name(context: Context):
    for rule in context.rulebase.rules.values():
        if Path(rule.path).stem != rule.id:
            yield rule_problem(rule, ("id",), f"the file of {rule.id} is named {Path(rule.path).name}",
                               f"rename it to {rule.id}.yaml, so that people find it")


def _key_or_id(rule, key: str) -> tuple:
    return (key,) if (key,) in rule.line_of else ("id",)


@check("R205", "one-way-succession", "warning", "a successor does not list what it replaces, or the other way round")
def one_way_succession(context: Context):
    rules = context.rulebase.rules
    for rule in rules.values():
        successor = rules.get(rule.spec.successor or "")
        if successor and rule.id not in successor.spec.replaces:
            yield rule_problem(successor, _key_or_id(successor, "replaces"),
                               f"{rule.id} names {successor.id} as its successor, but {successor.id} does not "
                               f"list it in `replaces`", f"add {rule.id} to replaces: [...]")
        for i, old in enumerate(rule.spec.replaces):
            if old in rules and rules[old].spec.successor != rule.id:
                yield rule_problem(rules[old], _key_or_id(rules[old], "successor"),
                                   f"{rule.id} replaces {old}, but {old} names "
                                   f"{rules[old].spec.successor or 'no successor'}", f"set successor: {rule.id}")


@check("R007", "ignored-file", "warning", "a file in recommendations/ or tests/ that is not read: only .yaml files are")
def ignored_file(context: Context):
    for folder in ("recommendations", "tests"):
        place = context.rulebase.directory / folder
        for path in sorted(place.iterdir()) if place.is_dir() else ():
            if path.suffix.lower() in READ_LIKE and path.suffix != ".yaml":
                yield Problem(display_path(path), f"is not read: only the .yaml files of {folder}/ are",
                              fix=f"rename it to {path.stem}.yaml, or move it out of {folder}/")


@check("R701", "test-file", "error", "a rule test file or case is malformed, or its profile is invalid")
def test_files(context: Context):
    cases, problems = context.cases
    yield from problems
    unparsed = {Path(p).stem for p in context.broken}  # rule files that did not load: their ids are not unknown
    for case in cases:
        for rule_id, line in case.expect_lines.items():
            if rule_id not in context.rulebase.rules and rule_id not in unparsed:
                guess = did_you_mean(rule_id, context.rulebase.rules)
                yield Problem(case.path, f"case '{case.name}' expects advice on '{rule_id}', which is no rule id", line,
                              None, "expect", f"did you mean '{guess}'?" if guess else "use an id from recommendations/",
                              code="unknown-id")


@check("R702", "untested-rule", "warning", "no test case says what a rule must advise")
def untested_rule(context: Context):
    cases, _ = context.cases
    expected = {rule_id for case in cases for rule_id in case.expect}
    for rule in context.rulebase.rules.values():
        if rule.id not in expected:
            yield rule_problem(rule, ("id",), f"no test case in tests/ expects advice on {rule.id}",
                               "add a case where it applies and one where it does not (see docs/rulebase.md)")
