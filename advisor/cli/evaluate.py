"""`advisor evaluate PROFILE...`: advice for profile files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from advisor.advice.advisor import Advisor
from advisor.cli.options import (
    add_advisor_options,
    add_output_options,
    advisor_from,
    check_output_options,
    print_results,
)
from advisor.contract.result import Result
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
    evaluation = Evaluation(args.profiles, advisor_from(args, env), env)
    print_results(evaluation, args, evaluation.advisor, env)
    return ExitStatus.INVALID if evaluation.failed else ExitStatus.OK


class Evaluation:
    """The result of every profile of the files, made one at a time as they are printed (a file may hold
    thousands: kept, their results took 1.4 GB for 5,000); each problem is reported on standard error as
    it is found, and `failed` says whether there was any."""

    def __init__(self, paths: list[Path], advisor: Advisor, env: Environment):
        self.paths, self.advisor, self.env = paths, advisor, env
        self.failed = False

    def __iter__(self) -> Iterator[Result]:
        for path in self.paths:
            try:
                loaded = load_profiles(path, self.env.stdin_bytes if str(path) == "-" else None)
            except InputError as error:
                self._report(error)
                continue
            for item in loaded:
                try:
                    yield self.advisor.evaluate(item.profile, item.source)
                except InputError as error:  # true of no date of the advice (a PhD after it)
                    self._report(error)

    def _report(self, error: InputError) -> None:
        self.env.problems(error)
        self.failed = True
