"""`advisor evaluate PROFILE...`: advice for profile files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from advisor.cli.options import (
    EXIT_INVALID, EXIT_OK, add_engine_option, add_rules_option, open_advisor, parse_date, print_problems
)


def register(commands) -> None:
    parser = commands.add_parser("evaluate", help="advice for one or more profile files",
                                 description="Print advice for each profile file (YAML or JSON).")
    parser.add_argument("profiles", nargs="+", metavar="PROFILE", type=Path)
    parser.add_argument("--as-of", type=parse_date, metavar="DATE", help="the date the advice is for (YYYY-MM-DD); "
                        "overrides the profile's as_of (default: the profile's, else today)")
    add_rules_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: a readable report; json: the result contract (one object, or a list for "
                        "several profiles)")
    add_engine_option(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from advisor.errors import InputError
    from advisor.io.profiles import load_profiles

    advisor = open_advisor(args)
    if advisor is None:
        return EXIT_INVALID
    results, failed = [], False
    for path in args.profiles:
        try:
            loaded = load_profiles(path)
        except InputError as error:
            print_problems(error)
            failed = True
            continue
        for item in loaded:
            profile = item.profile if args.as_of is None else item.profile.model_copy(update={"as_of": args.as_of})
            results.append(advisor.evaluate(profile, item.source))
    print_results(results, args.format)
    return EXIT_INVALID if failed else EXIT_OK


def print_results(results, fmt: str) -> None:
    """Results on standard output: the JSON contract, or the terminal report."""
    if fmt == "json":
        data = [r.model_dump(mode="json") for r in results]
        json.dump(data[0] if len(data) == 1 else data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    from rich.console import Console  # noqa: PLC0415

    from advisor.render.text import render_text

    console = Console(highlight=False)
    for i, result in enumerate(results):
        if i:
            console.rule()
        render_text(result, console)
