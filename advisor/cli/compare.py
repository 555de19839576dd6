"""`advisor compare (--session NAME | PROFILE) ID ID...`: instruments side by side for one researcher."""

from __future__ import annotations

import json
from pathlib import Path

from advisor.advice.compare import compare
from advisor.cli.options import (
    add_advisor_options,
    add_subject_options,
    advisor_from,
    load_subject,
)
from advisor.errors import UsageError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.sidebyside import compare_markdown, compare_table


def configure(parser, argv) -> None:
    parser.description = ("Compare instruments for one researcher: status, duration, funding, calendar, who "
                          "applies, what is missing. Give a PROFILE file and the ids, or --session NAME and the ids.")
    parser.add_argument("items", nargs="+", metavar="[PROFILE] ID",
                        help="a profile file (unless --session is given), then recommendation ids such as "
                             "cnrs.irp cnrs.irn")
    add_subject_options(parser)
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    profile_path, ids = (None, args.items) if args.session else (Path(args.items[0]), args.items[1:])
    if len(ids) < 2:
        raise UsageError("name two or more recommendation ids to compare, e.g. cnrs.irp cnrs.irn")
    subject = load_subject(args, profile_path, env)
    advisor = advisor_from(args, env)
    result = advisor.explain(advisor.evaluate(subject.profile, subject.source))
    rows = compare(result, ids)
    if args.format == "json":
        json.dump({"as_of": result.as_of.isoformat(), "rulebase": result.rulebase.model_dump(),
                   "instruments": [r.to_dict() for r in rows]}, env.stdout, indent=2, ensure_ascii=False)
        env.out()
    elif args.format == "markdown":
        env.stdout.write(compare_markdown(rows))
    else:
        env.console().print(compare_table(rows))
    return ExitStatus.OK
