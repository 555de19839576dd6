"""`advisor rules check [DIR]`: every error and warning of a rulebase, with file:line:column and a fix."""

from __future__ import annotations

import json

from advisor.cli.options import parse_date
from advisor.cli.rules import add_rulebase_argument, rulebase_dir
from advisor.errors import UsageError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.toolkit.checks import CATALOG, Finding, check_rulebase


def configure(parser, argv) -> None:
    parser.description = ("Check a rulebase folder: schema, fields and values, types, ids and references, validity "
                          "dates, conditions that can never hold, sources, questions and test files. Exit 1 when "
                          "there is an error.")
    add_rulebase_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text", help="text for people, json for programs")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too")
    parser.add_argument("--ignore", action="append", default=[], metavar="CODE",
                        help="leave out a check, by number or name (R404 or successor-overlap); repeatable")
    parser.add_argument("--today", type=parse_date, metavar="DATE", help="the date that decides what has expired "
                        "(default: today)")
    parser.add_argument("--list", action="store_true", help="list every check and exit")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    if args.list:
        return _list(args.format, env)
    unknown = [c for c in args.ignore if c not in CATALOG and c not in {k.number for k in CATALOG.values()}]
    if unknown:
        raise UsageError(f"--ignore {unknown[0]}: no such check (see --list)")
    report = check_rulebase(rulebase_dir(args), today=args.today, ignore=set(args.ignore))
    summary = {severity: report.count(severity) for severity in ("error", "warning", "info")}
    if args.format == "json":
        json.dump({"rulebase": report.directory, "summary": summary,
                   "findings": [f.to_dict() for f in report.findings]}, env.stdout, indent=2, ensure_ascii=False)
        env.out()
    else:
        for finding in report.findings:
            env.out(_text(finding))
        env.out(f"{report.directory}: {_plural(summary['error'], 'error')}, {_plural(summary['warning'], 'warning')}, "
              f"{_plural(summary['info'], 'note')}")
    failed = summary["error"] or (args.strict and summary["warning"])
    return ExitStatus.INVALID if failed else ExitStatus.OK


def _text(finding: Finding) -> str:
    p = finding.problem
    text = f"{p.location()}: {finding.severity} {finding.check.number} {finding.check.name}: "
    text += f"{p.field}: {p.message}" if p.field else p.message
    return text + (f"\n  fix: {p.fix}" if p.fix else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _list(fmt: str, env: Environment) -> ExitStatus:
    checks = sorted(CATALOG.values(), key=lambda c: c.number)
    if fmt == "json":
        json.dump([{"code": c.number, "name": c.name, "severity": c.severity, "summary": c.summary} for c in checks],
                  env.stdout, indent=2)
        env.out()
    else:
        for c in checks:
            env.out(f"{c.number}  {c.name:<24} {c.severity:<8} {c.summary}")
    return ExitStatus.OK
