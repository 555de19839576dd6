"""`advisor session evaluate NAME`: advice for the session's answers; the evaluation is recorded."""

from __future__ import annotations

from advisor.cli.options import (
    add_advisor_options,
    add_output_options,
    advisor_from,
    check_output_options,
    open_store,
    print_results,
)
from advisor.cli.session import add_name
from advisor.exits import ExitStatus
from advisor.io.environment import Environment


def configure(parser, argv) -> None:
    add_name(parser)
    add_output_options(parser)
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    check_output_options(args)
    session = open_store(args, env).open(args.name)
    profile = session.profile()
    advisor = advisor_from(args, env)
    result = advisor.evaluate(profile, f"session {session.name}")
    session.record_evaluation(result, by="evaluate")
    print_results([result], args, advisor, env)
    return ExitStatus.OK
