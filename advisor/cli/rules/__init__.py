"""`advisor rules check|test|docs|diff|init`: the rulebase author's toolkit."""

from __future__ import annotations

import importlib

from advisor.cli.options import add_rules_option

ACTIONS = ("check", "test", "docs", "diff", "init")


def register(commands) -> None:
    parser = commands.add_parser("rules", help="check, test, document and compare rulebases",
                                 description="Tools for the people who write the rulebase: check it, run its test "
                                 "cases with coverage, publish its catalogue, compare two versions, start a new one.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name in ACTIONS:
        importlib.import_module(f"advisor.cli.rules.{name}").register(actions)


def add_rulebase_argument(parser) -> None:
    """The rulebase folder, as `DIR` or `--rules DIR` (default: the bundled rulebase)."""
    parser.add_argument("directory", nargs="?", metavar="DIR", default=None,
                        help="rulebase folder (default: the bundled CNRS rulebase)")
    add_rules_option(parser)
    parser.set_defaults(usage_error=parser.error)


def rulebase_dir(args):
    """The folder named by DIR or --rules (None: the bundled one); a usage error (exit 2) when they differ."""
    from pathlib import Path  # noqa: PLC0415

    given = [Path(d) for d in (args.directory, args.rules) if d is not None]
    if len(given) == 2 and given[0].resolve() != given[1].resolve():
        args.usage_error(f"DIR ({given[0]}) and --rules ({given[1]}) name different folders; give one")
    return given[0] if given else None
