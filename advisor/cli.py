"""The `advisor` command line. Exit codes: 0 advice given, 1 invalid input, 2 usage error."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD, e.g. 2024-06-01") from None


def _add_rules_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="DIR", type=Path, default=None,
                        help="rulebase folder (default: the bundled CNRS rulebase)")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="advisor", description="Which international cooperation instruments fit "
                                     "a researcher, why, and what to do next.")
    parser.add_argument("--version", action="version", version=f"advisor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    evaluate = commands.add_parser("evaluate", help="advice for one or more profile files",
                                   description="Print advice for each profile file (YAML or JSON).")
    evaluate.add_argument("profiles", nargs="+", metavar="PROFILE", type=Path)
    evaluate.add_argument("--as-of", type=_date, metavar="DATE", help="the date the advice is for (YYYY-MM-DD); "
                          "overrides the profile's as_of (default: the profile's, else today)")
    _add_rules_option(evaluate)
    evaluate.add_argument("--format", choices=("text", "json"), default="text",
                          help="text: a readable report; json: the result contract (one object, or a list for "
                          "several profiles)")
    evaluate.add_argument("--engine", choices=("durable", "python"), default="durable",
                          help="durable_rules (default) or the plain-Python evaluation of the same conditions")

    schema = commands.add_parser("schema", help="print a JSON Schema (profile, rules or result)")
    schema.add_argument("which", choices=("profile", "rules", "result"))
    return parser


def _errors(error, stream=sys.stderr) -> None:
    for problem in error.problems:
        print(f"error: {problem}", file=stream)


def cmd_evaluate(args) -> int:
    from .advice import Advisor  # noqa: PLC0415
    from .engines import make_engine  # noqa: PLC0415
    from .errors import InputError  # noqa: PLC0415
    from .profiles_io import load_profiles  # noqa: PLC0415
    from .rulebase.loader import load_rulebase  # noqa: PLC0415

    try:
        rulebase = load_rulebase(args.rules)
    except InputError as error:
        _errors(error)
        print("The rulebase has errors; fix them (`advisor rules check` lists them all).", file=sys.stderr)
        return EXIT_INVALID
    advisor = Advisor(rulebase, make_engine(args.engine, rulebase))
    results, failed = [], False
    for path in args.profiles:
        try:
            loaded = load_profiles(path)
        except InputError as error:
            _errors(error)
            failed = True
            continue
        for item in loaded:
            profile = item.profile if args.as_of is None else item.profile.model_copy(update={"as_of": args.as_of})
            results.append(advisor.evaluate(profile, item.source))
    _print(results, args.format)
    return EXIT_INVALID if failed else EXIT_OK


def _print(results, fmt: str) -> None:
    if fmt == "json":
        data = [r.model_dump(mode="json") for r in results]
        json.dump(data[0] if len(data) == 1 else data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    from rich.console import Console  # noqa: PLC0415

    from .render.text import render_text  # noqa: PLC0415

    console = Console(highlight=False)
    for i, result in enumerate(results):
        if i:
            console.rule()
        render_text(result, console)


def cmd_schema(args) -> int:
    from .schemas import schema  # noqa: PLC0415

    json.dump(schema(args.which), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


COMMANDS = {"evaluate": cmd_evaluate, "schema": cmd_schema}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
