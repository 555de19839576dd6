"""`advisor rules init DIR`: start a rulebase of one's own from the template (passes check and test)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from advisor.errors import cannot_write, display_path
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.toolkit.starter import is_free, start_rulebase


def configure(parser, argv) -> None:
    parser.description = ("Write a small rulebase (two example programmes, a route, a derived fact and test cases "
                          "with full coverage) into a new folder, to adapt to your institution's programmes. It never "
                          "overwrites anything.")
    parser.add_argument("directory", type=Path, metavar="DIR", help="a folder that does not exist yet, or is empty")
    parser.add_argument("--name", help="the rulebase's name (default: the template's)")
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    target: Path = args.directory
    shown = display_path(target)
    if not is_free(target):
        env.err(f"error: {shown}: already exists and is not an empty folder; nothing was written\n"
                "  fix: name a new folder")
        return ExitStatus.INVALID
    try:
        start_rulebase(target, args.name, dt.date.today())
    except OSError as error:
        env.err(cannot_write(shown, error, option=None))
        return ExitStatus.INVALID
    env.err(f"wrote a new rulebase in {shown}. Next:\n"
            f"  advisor rules check {shown}\n"
            f"  advisor rules test {shown} --min-coverage 100\n"
            f"  advisor evaluate PROFILE --rules {shown}")
    return ExitStatus.OK
