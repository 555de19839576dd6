"""One module per `advisor` subcommand, each with `register(subparsers)`.

Modules import their heavy dependencies inside the handler, so that
`advisor --help` stays fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def parse_date(text: str) -> dt.date:
    from advisor.contract.profile import EARLIEST_DATE, LATEST_DATE

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD, e.g. 2024-06-01") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise argparse.ArgumentTypeError(f"{text} is outside the dates advice can be for "
                                         f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})")
    return day


def add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", type=Path, default=None,
                        help="rulebase folder (default: the bundled CNRS rulebase)")


def add_engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=("durable", "python"), default="durable",
                        help="durable_rules (default) or the plain-Python evaluation of the same conditions")


def print_problems(error, stream=None) -> None:
    """Print every problem of an InputError on standard error."""
    for problem in error.problems:
        print(f"error: {problem}", file=stream or sys.stderr)


def open_rulebase(directory):
    """The rulebase in `directory` (None: the bundled one), or None after printing its problems."""
    from advisor.errors import InputError
    from advisor.rulebase.loader import load_rulebase

    try:
        return load_rulebase(directory)
    except InputError as error:
        print_problems(error)
        print("The rulebase has errors; fix them (`advisor rules check` lists them all).", file=sys.stderr)
        return None


def open_advisor(args):
    """The rulebase and engine named by --rules and --engine, or None after printing why not."""
    from advisor.advice.advisor import Advisor
    from advisor.engines import make_engine

    rulebase = open_rulebase(args.rules)
    if rulebase is None:
        return None
    return Advisor(rulebase, make_engine(getattr(args, "engine", "durable"), rulebase))
