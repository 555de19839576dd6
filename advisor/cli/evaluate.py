"""`advisor evaluate PROFILE...`: advice for profile files."""

from __future__ import annotations

from pathlib import Path

from advisor.cli.options import (
    add_advisor_options,
    add_output_options,
    advisor_from,
    check_output_options,
    print_results,
)
from advisor.errors import InputError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.io.profiles import load_profiles


def configure(parser, argv) -> None:
    parser.description = "Print advice for each profile file (YAML or JSON; - reads one from standard input)."
    parser.add_argument("profiles", nargs="+", metavar="PROFILE", type=Path)
    add_output_options(parser)
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    check_output_options(args)
    advisor = advisor_from(args, env)
    results, failed = [], False
    for path in args.profiles:
        try:
            loaded = load_profiles(path, env.stdin_bytes if str(path) == "-" else None)
        except InputError as error:
            env.problems(error)
            failed = True
            continue
        for item in loaded:
            try:
                results.append(advisor.evaluate(item.profile, item.source))
            except InputError as error:  # true of no date of the advice (a PhD after it)
                env.problems(error)
                failed = True
    print_results(results, args, advisor, env)
    return ExitStatus.INVALID if failed else ExitStatus.OK
