"""`advisor evaluate PROFILE...`: advice for profile files."""

from __future__ import annotations

from pathlib import Path

from pydantic import TypeAdapter

from advisor.advice.advisor import Advisor
from advisor.cli.options import add_advisor_options, advisor_from
from advisor.contract.result import ExplainedResult, Result
from advisor.errors import InputError, UsageError
from advisor.exits import ExitStatus
from advisor.io.environment import Environment
from advisor.io.profiles import load_profiles
from advisor.render.text import render_text

COMPACT, EXPLAINED = TypeAdapter(list[Result]), TypeAdapter(list[ExplainedResult])


def configure(parser, argv) -> None:
    parser.description = "Print advice for each profile file (YAML or JSON; - reads one from standard input)."
    parser.add_argument("profiles", nargs="+", metavar="PROFILE", type=Path)
    add_output_options(parser)
    add_advisor_options(parser)
    parser.set_defaults(handler=run)


def add_output_options(parser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: a readable report; json: the result contract, with the catalogue of the rules' "
                        "texts (one object, or a list for several profiles)")
    parser.add_argument("--full", action="store_true",
                        help="with --format json: every text joined into each result (reasons, titles, next steps...) "
                        "instead of the catalogue")


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
    print_results(results, args, advisor, env)
    return ExitStatus.INVALID if failed else ExitStatus.OK


def print_results(results: list[Result], args, advisor: Advisor, env: Environment) -> None:
    """Results on standard output: the JSON contract, or the terminal report."""
    if args.full and args.format != "json":
        raise UsageError("--full is for --format json (the text report shows every text already)")
    if args.format == "json":
        if args.full:
            shown, adapter, options = [advisor.explain(r) for r in results], EXPLAINED, {}
        else:
            shown = [r.model_copy(update={"catalogue": advisor.catalogue}) for r in results]
            adapter, options = COMPACT, {"exclude_defaults": True}
        if len(shown) == 1:  # one object, not a list of one
            env.out(shown[0].model_dump_json(indent=2, **options))
        else:
            env.out(adapter.dump_json(shown, indent=2, **options).decode())
        return
    console = env.console()
    for i, result in enumerate(results):
        if i:
            console.rule()
        render_text(advisor.explain(result), console)
