"""`advisor evaluate PROFILE...`: advice for profile files."""

from __future__ import annotations

import json
from pathlib import Path

from advisor.cli.options import add_advisor_options, advisor_from
from advisor.errors import InputError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.io.profiles import load_profiles
from advisor.render.text import render_text


def configure(parser, argv) -> None:
    parser.description = "Print advice for each profile file (YAML or JSON; - reads one from standard input)."
    parser.add_argument("profiles", nargs="+", metavar="PROFILE", type=Path)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: a readable report; json: the result contract (one object, or a list for "
                        "several profiles)")
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def run(args, env: Environment) -> ExitStatus:
    advisor = advisor_from(args, env)
    results, failed = [], False
    for path in args.profiles:
        try:
            loaded = load_profiles(path, env.stdin_bytes if str(path) == "-" else None)
        except InputError as error:
            env.problems(error)
            failed = True
            continue
        results += [advisor.evaluate(item.profile, item.source) for item in loaded]
    print_results(results, args.format, env)
    return ExitStatus.INVALID if failed else ExitStatus.OK


def print_results(results, fmt: str, env: Environment) -> None:
    """Results on standard output: the JSON contract, or the terminal report."""
    if fmt == "json":
        data = [r.model_dump(mode="json") for r in results]
        json.dump(data[0] if len(data) == 1 else data, env.stdout, indent=2, ensure_ascii=False)
        env.out()
        return
    console = env.console()
    for i, result in enumerate(results):
        if i:
            console.rule()
        render_text(result, console)
