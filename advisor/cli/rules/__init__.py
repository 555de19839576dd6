"""`advisor rules check|test|docs|diff|init`: the rulebase author's toolkit, one module per action."""

from __future__ import annotations

import argparse
from pathlib import Path

from advisor.cli.commands import add_commands
from advisor.cli.options import add_rules_option
from advisor.errors import UsageError

ACTIONS = {
    "check": "find errors and warnings in a rulebase",
    "test": "run the rulebase's test cases, with coverage",
    "docs": "generate the catalogue of instruments and routes",
    "diff": "which profiles' verdicts change between two rulebase versions",
    "init": "start a new rulebase from a template",
}


def configure(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    parser.description = ("Tools for the people who write the rulebase: check it, run its test cases with coverage, "
                          "publish its catalogue, compare two versions, start a new one.")
    add_commands(parser, "advisor.cli.rules", ACTIONS, argv, "action", "ACTION")


def add_rulebase_argument(parser: argparse.ArgumentParser) -> None:
    """The rulebase folder, as `DIR` or `--rules DIR` (default: the bundled rulebase)."""
    parser.add_argument("directory", nargs="?", metavar="DIR", default=None,
                        help="rulebase folder (default: the bundled CNRS rulebase)")
    add_rules_option(parser)


def rulebase_dir(args: argparse.Namespace) -> Path | None:
    """The folder named by DIR or --rules (None: the bundled one); a usage error when they differ."""
    given = [Path(d) for d in (args.directory, args.rules) if d is not None]
    if len(given) == 2 and given[0].resolve() != given[1].resolve():
        raise UsageError(f"DIR ({given[0]}) and --rules ({given[1]}) name different folders; give one")
    return given[0] if given else None
