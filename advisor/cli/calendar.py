"""`advisor calendar (PROFILE | --session NAME) [--ics FILE]`: the next deadlines of the instruments that fit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from advisor.cli.options import (
    add_advisor_options,
    add_one_subject,
    advisor_from,
    one_subject,
    saved,
)
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.render.deadlines import deadlines, ics, print_deadlines


def configure(parser, argv) -> None:
    parser.description = ("List the next call deadline of each recommended or possible instrument, soonest first, "
                          "and write them as an iCalendar file that calendar programs import (one all-day event "
                          "per deadline, with a reminder two weeks before).")
    add_one_subject(parser)
    parser.add_argument("--ics", type=Path, metavar="FILE", help="also write the deadlines to this .ics file")
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    subject = one_subject(args, env)
    advisor = advisor_from(args, env, counterfactuals=False)
    result = advisor.explain(advisor.evaluate(subject.profile, subject.source))
    found = deadlines(result)
    print_deadlines(found, result, env.console())
    if args.ics is None:
        return ExitStatus.OK
    if not saved(env, args.ics, ics(found, result, dt.datetime.now(dt.timezone.utc)), "--ics"):
        return ExitStatus.INVALID
    env.err(f"{len(found)} deadline{'s' if len(found) != 1 else ''} written to {args.ics} (iCalendar).")
    return ExitStatus.OK
