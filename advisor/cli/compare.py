"""`advisor compare (--session NAME | PROFILE) ID ID...`: instruments side by side for one researcher."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from advisor.cli.options import (
    EXIT_INVALID, EXIT_OK, EXIT_USAGE, add_engine_option, add_rules_option, parse_date, print_problems
)
from advisor.cli.subjects import add_subject_options, load_subject, with_as_of


def register(commands) -> None:
    parser = commands.add_parser("compare", help="two or more instruments side by side for one researcher",
                                 description="Compare instruments for one researcher: status, duration, funding, "
                                             "calendar, who applies, what is missing. Give a PROFILE file and the "
                                             "ids, or --session NAME and the ids.")
    parser.add_argument("items", nargs="+", metavar="[PROFILE] ID",
                        help="a profile file (unless --session is given), then recommendation ids such as "
                             "cnrs.irp cnrs.irn")
    add_subject_options(parser)
    parser.add_argument("--as-of", type=parse_date, metavar="DATE", help="the date the advice is for")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    add_rules_option(parser)
    add_engine_option(parser)
    parser.set_defaults(handler=run)


def run(args) -> int:
    from advisor.advice.compare import compare
    from advisor.errors import InputError
    from advisor.cli.options import open_advisor

    profile_path, ids = (None, args.items) if args.session else (Path(args.items[0]), args.items[1:])
    if len(ids) < 2:
        print("error: name two or more recommendation ids to compare, e.g. cnrs.irp cnrs.irn", file=sys.stderr)
        return EXIT_USAGE
    try:
        subject = load_subject(args, profile_path)
        advisor = open_advisor(args)
        if advisor is None:
            return EXIT_INVALID
        result = advisor.evaluate(with_as_of(subject.profile, args.as_of), subject.source)
        rows = compare(result, ids)
    except InputError as error:
        print_problems(error)
        return EXIT_INVALID
    if args.format == "json":
        json.dump({"as_of": result.as_of.isoformat(), "rulebase": result.rulebase.model_dump(),
                   "instruments": [r.to_dict() for r in rows]}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        from advisor.render.sidebyside import compare_markdown

        sys.stdout.write(compare_markdown(rows))
    else:
        from rich.console import Console  # noqa: PLC0415

        from advisor.render.sidebyside import compare_table

        Console(highlight=False).print(compare_table(rows))
    return EXIT_OK
