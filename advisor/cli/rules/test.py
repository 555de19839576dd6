"""`advisor rules test [DIR]`: run the rule test cases, report each, and measure coverage."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from advisor.cli.options import add_engine_option, advisor_from
from advisor.cli.rules import add_rulebase_argument, rulebase_dir
from advisor.errors import InputError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.rulebase.naming import Names
from advisor.toolkit.cases import RuleCase, read_cases, run_case
from advisor.toolkit.coverage import Coverage, CoverageRecorder
from advisor.toolkit.testreport import render_test_report


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a percentage; write a number from 0 to 100")
    return value


def configure(parser, argv) -> None:
    parser.description = ("Run every case of tests/*.yaml (the same cases pytest collects), report each, and measure "
                          "coverage: each rule seen applying and not applying, each condition seen true and false. "
                          "Exit 1 when a case fails or coverage is too low.")
    add_rulebase_argument(parser)
    add_engine_option(parser)
    parser.add_argument("--min-coverage", type=_percent, metavar="PERCENT",
                        help="fail when rule or condition coverage is below PERCENT (e.g. 100)")
    parser.add_argument("-k", dest="select", metavar="TEXT",
                        help="run only the cases whose file or name contains TEXT, or the cases of the "
                             "recommendation TEXT names (an acronym or title such as IRN, in any case)")
    parser.add_argument("--quiet", "-q", action="store_true", help="list only failed cases and uncovered conditions")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    args.rules = rulebase_dir(args)
    advisor = advisor_from(args, env)
    cases, problems = read_cases(advisor.rulebase.directory)
    if problems:
        env.problems(InputError(problems))
    if args.select:
        cases = selected(cases, args.select, Names(advisor.catalogue.rules))
    recorder = CoverageRecorder(advisor.rulebase)
    outcomes = []
    for case in cases:
        outcome = run_case(advisor, case)
        if outcome.result is not None:
            recorder.record(outcome.profile, outcome.result)
        outcomes.append(outcome)
    coverage = recorder.coverage
    rules, conditions = coverage.rule_figures(), coverage.condition_figures()
    too_low = args.min_coverage is not None and min(Coverage.percent(rules), Coverage.percent(conditions)) \
        < args.min_coverage
    if args.format == "json":
        _print_json(advisor.rulebase, outcomes, coverage, problems, env)
    else:
        render_test_report(outcomes, coverage, args.min_coverage, args.quiet, env.console(soft_wrap=True),
                           selected=bool(args.select))
    failed = problems or not cases or any(not o.passed for o in outcomes) or too_low
    return ExitStatus.INVALID if failed else ExitStatus.OK


def selected(cases: list[RuleCase], text: str, names: Names) -> list[RuleCase]:
    """The cases whose file or name contains `text`, and those of the file of the one recommendation it names."""
    named = names.candidates(text)
    own_file = named[0] if len(named) == 1 else None
    return [c for c in cases if text.lower() in c.id.lower() or Path(c.path).stem == own_file]


def _print_json(rulebase, outcomes, coverage, problems, env: Environment) -> None:
    rules, conditions = coverage.rule_figures(), coverage.condition_figures()
    data = {
        "rulebase": {"name": rulebase.info.name, "version": rulebase.version},
        "problems": [p.to_dict() for p in problems],
        "cases": [{"id": o.case.id, "path": o.case.path, "line": o.case.line, "passed": o.passed,
                   "failures": o.failures} for o in outcomes],
        "coverage": {
            "rules": {"seen": rules[0], "wanted": rules[1], "percent": round(Coverage.percent(rules), 1),
                      "items": [{"id": r.rule_id, "applied": r.applied, "not_applied": r.not_applied,
                                 "can_fail": r.can_fail} for r in coverage.rules.values()]},
            "conditions": {"seen": conditions[0], "wanted": conditions[1],
                           "percent": round(Coverage.percent(conditions), 1),
                           "uncovered": [{"owner": c.owner, "path": c.path, "line": c.line,
                                          "condition": c.leaf.formula(), "never_seen": c.missing}
                                         for c in coverage.conditions() if c.missing]},
        },
    }
    json.dump(data, env.stdout, indent=2, ensure_ascii=False)
    env.out()
